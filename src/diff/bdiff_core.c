// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_diff's driver: collect the definitions of both sides, walk them in
 * their common sorted order one (entity, name) group at a time, and say
 * what was added, removed or changed (see btf_diff.h for the rules).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bdiff_int.h"
#include "util/vec.h"

static const char *const entity_names[BDIFF_E_NR] = {
	[BDIFF_E_STRUCT] = "struct", [BDIFF_E_UNION] = "union", [BDIFF_E_ENUM] = "enum",
	[BDIFF_E_TYPEDEF] = "typedef", [BDIFF_E_INT] = "int", [BDIFF_E_FLOAT] = "float",
	[BDIFF_E_FUNC] = "func", [BDIFF_E_VAR] = "var",
};

const char *bdiff_entity_name(enum bdiff_entity e)
{
	return (unsigned)e < BDIFF_E_NR ? entity_names[e] : "?";
}

bool bdiff_entity_is_type(enum bdiff_entity e)
{
	return e != BDIFF_E_FUNC && e != BDIFF_E_VAR;
}

const char *bdiff_op_name(enum bdiff_op op)
{
	switch (op) {
	case BDIFF_ADDED: return "added";
	case BDIFF_REMOVED: return "removed";
	default: return "changed";
	}
}

const char *bdiff_field_name(enum bdiff_field f)
{
	static const char *const names[] = {
		[BDIFF_F_ENTITY] = "entity", [BDIFF_F_DEFS] = "definitions",
		[BDIFF_F_DECL] = "declaration", [BDIFF_F_SIZE] = "size",
		[BDIFF_F_TARGET] = "type", [BDIFF_F_LINKAGE] = "linkage",
		[BDIFF_F_ENCODING] = "encoding", [BDIFF_F_BITS] = "bits",
		[BDIFF_F_MEMBER] = "member", [BDIFF_F_MEMBER_TYPE] = "member_type",
		[BDIFF_F_MEMBER_OFFSET] = "member_offset", [BDIFF_F_MEMBER_BITS] = "member_bits",
		[BDIFF_F_ENUMERATOR] = "enumerator", [BDIFF_F_ENUM_VALUE] = "enumerator_value",
		[BDIFF_F_RETURN] = "return", [BDIFF_F_NR_PARAMS] = "params",
		[BDIFF_F_PARAM] = "param", [BDIFF_F_TAGS] = "tags",
		[BDIFF_F_PLACE] = "section",
	};

	return (unsigned)f < sizeof(names) / sizeof(names[0]) && names[f] ? names[f] : "?";
}

int bdiff_add(struct bdiff *d, const struct bdiff_change *c)
{
	if (vec_push(&d->changes))
		return -ENOMEM;
	*vec_last(&d->changes) = *c;
	return 0;
}

/* Same (category, name, entity)? */
static bool same_group(const struct bdiff_def *a, const struct bdiff_def *b)
{
	return a->entity == b->entity && !strcmp(a->name, b->name);
}

static size_t group_end(const struct bdiff_side *s, size_t i)
{
	size_t j = i + 1;

	while (j < s->defs.len && same_group(&s->defs.v[i], &s->defs.v[j]))
		j++;
	return j;
}

static int group_whole(struct bdiff *d, const struct bdiff_side *s, const struct bdiff_def *def,
		       enum bdiff_op op)
{
	struct bdiff_change c = { .entity = def->entity, .name = def->name, .op = op,
				  .field = BDIFF_F_ENTITY };
	const char *desc;
	int err = bdiff_describe(d, s, def, &desc);

	if (err)
		return err;
	if (op == BDIFF_ADDED)
		c.new_val = desc;
	else
		c.old_val = desc;
	return bdiff_add(d, &c);
}

static const char *count_str(struct bdiff *d, size_t n)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%zu", n);
	return arena_strdup(&d->arena, buf);
}

/* One group on both sides (sorted by signature): cancel equal ones. */
static int group_both(struct bdiff *d, const struct bdiff_side *o, size_t oi, size_t oe,
		      const struct bdiff_side *n, size_t ni, size_t ne)
{
	size_t nr_o = oe - oi, nr_n = ne - ni, lo = 0, ln = 0, i = oi, j = ni, k;
	const struct bdiff_def **left = calloc(nr_o + nr_n + 1, sizeof(*left));
	int err = 0;

	if (!left)
		return -ENOMEM;
	while (i < oe || j < ne) {
		int x = i == oe ? 1 : j == ne ? -1 : strcmp(o->defs.v[i].sig, n->defs.v[j].sig);

		if (x < 0) {
			left[lo++] = &o->defs.v[i++];
		} else if (x > 0) {
			left[nr_o + ln++] = &n->defs.v[j++];
		} else {
			i++;
			j++;
		}
	}
	if (lo == ln) {
		for (k = 0; !err && k < lo; k++)
			err = bdiff_compare_pair(d, o, left[k], n, left[nr_o + k]);
	} else {
		struct bdiff_change c = { .entity = o->defs.v[oi].entity,
					  .name = o->defs.v[oi].name, .op = BDIFF_CHANGED,
					  .field = BDIFF_F_DEFS, .numeric = true };

		c.old_val = count_str(d, nr_o);
		c.new_val = count_str(d, nr_n);
		err = c.old_val && c.new_val ? bdiff_add(d, &c) : -ENOMEM;
	}
	free(left);
	return err;
}

static int bdiff_walk(struct bdiff *d, const struct bdiff_side *o, const struct bdiff_side *n)
{
	size_t i = 0, j = 0;
	int err = 0;

	while (!err && (i < o->defs.len || j < n->defs.len)) {
		int x = i == o->defs.len ? 1 : j == n->defs.len ? -1 :
			bdiff_def_cmp(&o->defs.v[i], &n->defs.v[j]);
		size_t ie = i < o->defs.len ? group_end(o, i) : i;
		size_t je = j < n->defs.len ? group_end(n, j) : j;

		/* bdiff_def_cmp also orders by signature: same group? */
		if (x && i < o->defs.len && j < n->defs.len &&
		    same_group(&o->defs.v[i], &n->defs.v[j]))
			x = 0;
		if (x < 0) {
			err = group_whole(d, o, &o->defs.v[i], BDIFF_REMOVED);
			i = ie;
		} else if (x > 0) {
			err = group_whole(d, n, &n->defs.v[j], BDIFF_ADDED);
			j = je;
		} else {
			err = group_both(d, o, i, ie, n, j, je);
			i = ie;
			j = je;
		}
	}
	return err;
}

static void side_deinit(struct bdiff_side *s)
{
	vec_free(&s->defs);
	vec_free(&s->pool);
}

int bdiff__new(const struct bfmt_btf *old, const struct bfmt_btf *new,
	       const struct bdiff_opts *opts, struct bdiff **ret)
{
	struct bdiff_side o = { .btf = old }, n = { .btf = new };
	struct bdiff *d;
	int err;

	if (!old || !new || !ret)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	arena_init(&d->arena);
	err = bdiff_collect(&o, opts, &d->arena);
	if (!err)
		err = bdiff_collect(&n, opts, &d->arena);
	if (!err)
		err = bdiff_walk(d, &o, &n);
	side_deinit(&o);
	side_deinit(&n);
	if (err) {
		bdiff__free(d);
		return err;
	}
	*ret = d;
	return 0;
}

size_t bdiff__nr_changes(const struct bdiff *d)
{
	return d->changes.len;
}

const struct bdiff_change *bdiff__change(const struct bdiff *d, size_t i)
{
	return i < d->changes.len ? &d->changes.v[i] : NULL;
}

void bdiff__free(struct bdiff *d)
{
	if (!d)
		return;
	vec_free(&d->changes);
	arena_deinit(&d->arena);
	free(d);
}
