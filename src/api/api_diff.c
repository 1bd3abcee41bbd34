// SPDX-License-Identifier: GPL-2.0-only
/*
 * Public API: diff (btfenc_diff() and the change list) over src/diff; the
 * lines and reports are src/diff/bdiff_render.h's, as btfenc diff prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "diff/bdiff_render.h"

#define API_DIFF_ALL (BTFENC_DIFF_TYPES | BTFENC_DIFF_FUNCS | BTFENC_DIFF_VARS)

_Static_assert((unsigned)BTFENC_DIFF_TYPES == BDIFF_ONLY_TYPES &&
	       (unsigned)BTFENC_DIFF_FUNCS == BDIFF_ONLY_FUNCS &&
	       (unsigned)BTFENC_DIFF_VARS == BDIFF_ONLY_VARS, "diff categories match the engine's");
_Static_assert((int)BTFENC_CHANGE_ADDED == (int)BDIFF_ADDED &&
	       (int)BTFENC_CHANGE_REMOVED == (int)BDIFF_REMOVED &&
	       (int)BTFENC_CHANGE_CHANGED == (int)BDIFF_CHANGED, "change ops match the engine's");

struct btfenc_changes {
	struct bdiff *d;	/* owned */
	char *lines;		/* owned: every record's line, each ended by a NUL */
	size_t *line_off;	/* owned: where record i's line starts in lines */
};

/* Render every record's line once, so that the accessors can hand out
 * strings that live as long as the handle. */
static int render_lines(struct btfenc_changes *ch)
{
	size_t n = bdiff__nr_changes(ch->d), len = 0, i;
	FILE *f;
	int err = 0;

	ch->line_off = calloc(n ? n : 1, sizeof(*ch->line_off));
	f = ch->line_off ? open_memstream(&ch->lines, &len) : NULL;
	if (!f)
		return -ENOMEM;
	for (i = 0; i < n && !err; i++) {
		if (fflush(f))
			err = -ENOMEM;
		ch->line_off[i] = len;
		bdiff_render_line(bdiff__change(ch->d, i), false, f);
		fputc('\0', f);
	}
	if (ferror(f))
		err = -ENOMEM;
	if (fclose(f) && !err)
		err = -ENOMEM;
	return err;
}

void btfenc_changes_free(struct btfenc_changes *changes)
{
	if (!changes)
		return;
	bdiff__free(changes->d);
	free(changes->lines);
	free(changes->line_off);
	free(changes);
}

int btfenc_diff(const struct btfenc_btf *old_btf, const struct btfenc_btf *new_btf,
		const struct btfenc_opts *opts, struct btfenc_changes **ret)
{
	struct bdiff_opts dopts = { 0 };
	struct btfenc_changes *ch;
	struct api_ctx c;
	int err;

	if (!old_btf || !new_btf || !ret)
		return -EINVAL;
	err = api_ctx_init(&c, opts);
	if (err)
		return err;
	if (c.o.diff_only & ~API_DIFF_ALL) {
		diag_report(&c.diag, DIAG_ERROR, "diff: unknown categories 0x%x in diff_only",
			    c.o.diff_only & ~API_DIFF_ALL);
		return -EINVAL;
	}
	dopts.only = c.o.diff_only;
	dopts.names = c.o.diff_names;
	while (dopts.names && dopts.names[dopts.nr_names])
		dopts.nr_names++;
	ch = calloc(1, sizeof(*ch));
	if (!ch)
		return -ENOMEM;
	err = bdiff__new(old_btf->btf, new_btf->btf, &dopts, &ch->d);
	if (!err)
		err = render_lines(ch);
	if (err) {
		diag_report(&c.diag, DIAG_ERROR, "diff: %s", strerror(-err));
		btfenc_changes_free(ch);
		return err;
	}
	*ret = ch;
	return 0;
}

size_t btfenc_changes_count(const struct btfenc_changes *changes)
{
	return changes ? bdiff__nr_changes(changes->d) : 0;
}

static const struct bdiff_change *change_at(const struct btfenc_changes *changes, size_t i)
{
	return changes ? bdiff__change(changes->d, i) : NULL;
}

int btfenc_changes_op(const struct btfenc_changes *changes, size_t i)
{
	const struct bdiff_change *c = change_at(changes, i);

	return c ? (int)c->op : -EINVAL;
}

int btfenc_changes_category(const struct btfenc_changes *changes, size_t i)
{
	const struct bdiff_change *c = change_at(changes, i);

	if (!c)
		return -EINVAL;
	if (bdiff_entity_is_type(c->entity))
		return BTFENC_DIFF_TYPES;
	return c->entity == BDIFF_E_FUNC ? BTFENC_DIFF_FUNCS : BTFENC_DIFF_VARS;
}

const char *btfenc_changes_entity(const struct btfenc_changes *changes, size_t i)
{
	const struct bdiff_change *c = change_at(changes, i);

	return c ? bdiff_entity_name(c->entity) : NULL;
}

const char *btfenc_changes_name(const struct btfenc_changes *changes, size_t i)
{
	const struct bdiff_change *c = change_at(changes, i);

	return c ? c->name : NULL;
}

const char *btfenc_changes_line(const struct btfenc_changes *changes, size_t i)
{
	return change_at(changes, i) ? changes->lines + changes->line_off[i] : NULL;
}

/* A report rendered into a new string (*ret, on success only). */
static int render_report(const struct btfenc_changes *changes, const char *old_name,
			 const char *new_name, int json, int pretty, char **ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	if (!changes || !ret)
		return -EINVAL;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	if (json)
		err = bdiff_render_json(changes->d, old_name, new_name, pretty != 0, f);
	else
		err = bdiff_render_text(changes->d, false, f);
	if (fclose(f) || err) {
		free(buf);
		return -ENOMEM;		/* a memory stream fails only for memory */
	}
	*ret = buf;
	return 0;
}

int btfenc_changes_text(const struct btfenc_changes *changes, char **ret)
{
	return render_report(changes, NULL, NULL, 0, 0, ret);
}

int btfenc_changes_json(const struct btfenc_changes *changes, const char *old_name,
			const char *new_name, int pretty, char **ret)
{
	return render_report(changes, old_name, new_name, 1, pretty, ret);
}
