// SPDX-License-Identifier: GPL-2.0-only
/*
 * bdiff_json: the records of a diff as the one JSON object `btfenc diff
 * --json` prints (bdiff_render.h),
 *
 *   {"old": FILE, "new": FILE,
 *    "changes": [{"entity": "struct", "name": "foo", "op": "changed",
 *                 "field": "size", "old": 16, "new": 24}, ...],
 *    "summary": {"added": 0, "removed": 0, "changed": 1}}
 *
 * in the order of the records. "item" names the member, enumerator or
 * parameter; "old" is absent for an addition, "new" for a removal; numbers
 * are JSON numbers (enumerator values included); a member added or removed
 * also has "bit_offset" and "bitfield_size". The top-level "old" and "new"
 * (the files) are left out when not given. With --pretty, two-space
 * indentation, one member a line.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "bdiff_render.h"

struct jw {
	FILE *out;
	bool pretty;
	int depth;
	bool first;	/* nothing written yet at this depth */
};

static void jw_sep(struct jw *w)
{
	if (!w->first)
		fputc(',', w->out);
	w->first = false;
	if (w->pretty)
		fprintf(w->out, "\n%*s", 2 * w->depth, "");
}

static void jw_string(struct jw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', w->out);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(w->out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(w->out, "\\u%04x", *p);
		else
			fputc(*p, w->out);
	}
	fputc('"', w->out);
}

static void jw_key(struct jw *w, const char *key)
{
	jw_sep(w);
	jw_string(w, key);
	fputs(w->pretty ? ": " : ":", w->out);
}

static void jw_open(struct jw *w, char c)
{
	fputc(c, w->out);
	w->depth++;
	w->first = true;
}

static void jw_close(struct jw *w, char c)
{
	bool empty = w->first;

	w->depth--;
	if (w->pretty && !empty)
		fprintf(w->out, "\n%*s", 2 * w->depth, "");
	fputc(c, w->out);
	w->first = false;
}

static void jw_str(struct jw *w, const char *key, const char *v)
{
	jw_key(w, key);
	jw_string(w, v);
}

static void jw_uint(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	fprintf(w->out, "%" PRIu64, v);
}

/* A value: a number (numeric records hold decimal text) or a string. */
static void jw_val(struct jw *w, const char *key, const char *v, bool numeric)
{
	if (!v)
		return;
	jw_key(w, key);
	if (numeric)
		fputs(v, w->out);
	else
		jw_string(w, v);
}

static void json_change(struct jw *w, const struct bdiff_change *c)
{
	jw_sep(w);
	jw_open(w, '{');
	jw_str(w, "entity", bdiff_entity_name(c->entity));
	jw_str(w, "name", c->name);
	jw_str(w, "op", bdiff_op_name(c->op));
	jw_str(w, "field", bdiff_field_name(c->field));
	if (c->item)
		jw_str(w, "item", c->item);
	jw_val(w, "old", c->old_val, c->numeric);
	jw_val(w, "new", c->new_val, c->numeric);
	if (c->field == BDIFF_F_MEMBER) {
		jw_uint(w, "bit_offset", c->bit_offset);
		jw_uint(w, "bitfield_size", c->bitfield_size);
	}
	jw_close(w, '}');
}

int bdiff_render_json(const struct bdiff *d, const char *old, const char *new, bool pretty,
		      FILE *out)
{
	struct jw w = { .out = out, .pretty = pretty, .first = true };
	const struct bdiff_change *c;
	struct bdiff_summary s;
	size_t i;

	jw_open(&w, '{');
	if (old)
		jw_str(&w, "old", old);
	if (new)
		jw_str(&w, "new", new);
	jw_key(&w, "changes");
	jw_open(&w, '[');
	for (i = 0; (c = bdiff__change(d, i)); i++)
		json_change(&w, c);
	jw_close(&w, ']');
	bdiff_summarize(d, &s);
	jw_key(&w, "summary");
	jw_open(&w, '{');
	jw_uint(&w, "added", s.added);
	jw_uint(&w, "removed", s.removed);
	jw_uint(&w, "changed", s.changed);
	jw_close(&w, '}');
	jw_close(&w, '}');
	fputc('\n', out);
	return ferror(out) ? -EIO : 0;
}
