// SPDX-License-Identifier: GPL-2.0-only
/*
 * The definitions of one side of a diff: every named type, function and
 * variable of the table's own types, each with a signature, the text of
 * everything the diff compares (size, members with their spelled types and
 * offsets, enumerators, prototype, linkage). Two definitions with equal
 * signatures are equal for btfenc diff, whatever their ids.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bdiff_int.h"
#include "util/vec.h"

static int def_category(enum bdiff_entity e)
{
	return e == BDIFF_E_FUNC ? 1 : e == BDIFF_E_VAR ? 2 : 0;
}

int bdiff_def_cmp(const struct bdiff_def *a, const struct bdiff_def *b)
{
	int c = def_category(a->entity) - def_category(b->entity);

	if (c)
		return c;
	c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->entity != b->entity)
		return a->entity < b->entity ? -1 : 1;
	return strcmp(a->sig, b->sig);
}

static int def_qsort_cmp(const void *a, const void *b)
{
	return bdiff_def_cmp(a, b);
}

static bool def_wanted(const struct bdiff_opts *o, enum bdiff_entity e, const char *name)
{
	unsigned int cat = e == BDIFF_E_FUNC ? BDIFF_ONLY_FUNCS :
			   e == BDIFF_E_VAR ? BDIFF_ONLY_VARS : BDIFF_ONLY_TYPES;
	size_t i;

	if (o && o->only && !(o->only & cat))
		return false;
	if (!o || !o->nr_names)
		return true;
	for (i = 0; i < o->nr_names; i++)
		if (!strcmp(o->names[i], name))
			return true;
	return false;
}

/* The body of a struct, union or enum, appended to sig. */
static int def_body_sig(const struct bfmt_btf *btf, uint32_t id, struct tn_buf *sig)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);
	struct arena scratch;
	int err = 0;
	size_t i;

	arena_init(&scratch);
	tn_printf(sig, "{size %" PRIu32 ";", t->size_type);
	if (bfmt_kind(t) == BFMT_KIND_STRUCT || bfmt_kind(t) == BFMT_KIND_UNION) {
		struct bdiff_members m = { 0 };

		err = bdiff_members(btf, id, &scratch, &m);
		for (i = 0; !err && i < m.len; i++)
			tn_printf(sig, "%s:%s@%" PRIu64 ":%" PRIu32 ";", m.v[i].path, m.v[i].type,
				  m.v[i].bit_offset, m.v[i].bitfield_size);
		vec_free(&m);
	} else {
		struct bdiff_enumerators e = { 0 };

		tn_printf(sig, "%s;", bdiff_enum_sign(t));
		err = bdiff_enumerators(btf, id, &scratch, &e);
		bdiff_sort_enumerators(&e);
		for (i = 0; !err && i < e.len; i++)
			tn_printf(sig, "%s=%s;", e.v[i].name, e.v[i].value);
		vec_free(&e);
	}
	tn_printf(sig, "}");
	arena_deinit(&scratch);
	return err;
}

static bool def_is_anon_body(const struct bfmt_btf *btf, uint32_t id)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);
	enum bfmt_kind k;

	if (!t || *bdiff_name(btf, t))
		return false;
	k = bfmt_kind(t);
	return k == BFMT_KIND_STRUCT || k == BFMT_KIND_UNION || k == BFMT_KIND_ENUM ||
	       k == BFMT_KIND_ENUM64;
}

/* The entity and signature of type id, or false if it is not one. */
static int def_sig(const struct bfmt_btf *btf, uint32_t id, enum bdiff_entity *ent,
		   bool *fwd, struct tn_buf *sig)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);
	char lbuf[32];

	*fwd = false;
	switch (bfmt_kind(t)) {
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		*ent = bfmt_kind(t) == BFMT_KIND_STRUCT ? BDIFF_E_STRUCT : BDIFF_E_UNION;
		return def_body_sig(btf, id, sig);
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		*ent = BDIFF_E_ENUM;
		return def_body_sig(btf, id, sig);
	case BFMT_KIND_FWD:
		*ent = bfmt_kflag(t) ? BDIFF_E_UNION : BDIFF_E_STRUCT;
		*fwd = true;
		tn_printf(sig, "fwd");
		return 0;
	case BFMT_KIND_TYPEDEF:
		*ent = BDIFF_E_TYPEDEF;
		bdiff_spell(btf, t->size_type, sig);
		return def_is_anon_body(btf, t->size_type) ? def_body_sig(btf, t->size_type, sig) : 0;
	case BFMT_KIND_INT: {
		uint32_t info = *(const uint32_t *)bfmt_type_extra(t);

		*ent = BDIFF_E_INT;
		tn_printf(sig, "%" PRIu32 " %s %" PRIu32 " %" PRIu32, t->size_type,
			  bdiff_int_encoding(info), bfmt_int_bits(info), bfmt_int_offset(info));
		return 0;
	}
	case BFMT_KIND_FLOAT:
		*ent = BDIFF_E_FLOAT;
		tn_printf(sig, "%" PRIu32, t->size_type);
		return 0;
	case BFMT_KIND_FUNC:
		*ent = BDIFF_E_FUNC;
		tn_printf(sig, "%s ", bdiff_linkage(bfmt_vlen(t), lbuf, sizeof(lbuf)));
		bdiff_spell(btf, t->size_type, sig);
		return 0;
	case BFMT_KIND_VAR:
		*ent = BDIFF_E_VAR;
		tn_printf(sig, "%s ", bdiff_linkage(((const struct bfmt_var *)bfmt_type_extra(t))->linkage,
						    lbuf, sizeof(lbuf)));
		bdiff_spell(btf, t->size_type, sig);
		return 0;
	default:
		return 1;
	}
}

static int def_push(struct bdiff_side *s, struct arena *a, enum bdiff_entity ent,
		    const char *name, uint32_t id, const char *sig, bool fwd,
		    const struct bdiff_attrs *at)
{
	struct bdiff_def *d;

	if (vec_push(&s->defs))
		return -ENOMEM;
	d = vec_last(&s->defs);
	d->entity = ent;
	d->id = id;
	d->fwd = fwd;
	d->tags = at && id >= at->start ? at->tags[id - at->start] : NULL;
	d->place = at && id >= at->start ? at->place[id - at->start] : NULL;
	d->name = arena_strdup(a, name);
	d->sig = arena_strdup(a, sig);
	return d->name && d->sig ? 0 : -ENOMEM;
}

/* Anonymous enums no typedef names: their enumerators form one pool. */
static int def_pool(struct bdiff_side *s, const uint8_t *named, struct arena *a)
{
	const struct bfmt_btf *btf = s->btf;
	uint32_t id, nr = bfmt_btf__nr_types(btf);
	struct tn_buf sig;
	size_t i;
	int err = 0;

	for (id = btf->start_id; !err && id < nr; id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);
		enum bfmt_kind k = bfmt_kind(t);

		if ((k == BFMT_KIND_ENUM || k == BFMT_KIND_ENUM64) && !*bdiff_name(btf, t) &&
		    !named[id - btf->start_id])
			err = bdiff_enumerators(btf, id, a, &s->pool);
	}
	if (err || !s->pool.len)
		return err;
	bdiff_sort_enumerators(&s->pool);
	tn_buf_init(&sig);
	for (i = 0; i < s->pool.len; i++)
		tn_printf(&sig, "%s=%s;", s->pool.v[i].name, s->pool.v[i].value);
	err = sig.oom ? -ENOMEM : def_push(s, a, BDIFF_E_ENUM, "", 0, tn_buf_str(&sig), false,
					   NULL);
	tn_buf_deinit(&sig);
	return err;
}

/* Drop declarations of names the side also defines. */
static void def_drop_fwds(struct bdiff_side *s)
{
	size_t i, j, k = 0;

	for (i = 0; i < s->defs.len; i = j) {
		bool defined = false;

		for (j = i; j < s->defs.len && s->defs.v[j].entity == s->defs.v[i].entity &&
			    !strcmp(s->defs.v[j].name, s->defs.v[i].name); j++)
			defined |= !s->defs.v[j].fwd;
		for (; i < j; i++)
			if (!defined || !s->defs.v[i].fwd)
				s->defs.v[k++] = s->defs.v[i];
	}
	s->defs.len = k;
}

int bdiff_collect(struct bdiff_side *s, const struct bdiff_opts *opts, struct arena *a)
{
	const struct bfmt_btf *btf = s->btf;
	uint32_t id, nr = bfmt_btf__nr_types(btf);
	uint8_t *named = calloc(nr - btf->start_id + 1, 1);
	struct bdiff_attrs at = { 0 };
	struct tn_buf sig;
	int err;

	if (!named)
		return -ENOMEM;
	err = bdiff_attrs_collect(btf, a, &at);
	if (err) {
		free(named);
		return err;
	}
	tn_buf_init(&sig);
	for (id = btf->start_id; !err && id < nr; id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);
		const char *name = bdiff_name(btf, t);
		enum bdiff_entity ent;
		bool fwd;

		if (bfmt_kind(t) == BFMT_KIND_TYPEDEF && t->size_type >= btf->start_id &&
		    t->size_type < nr)
			named[t->size_type - btf->start_id] = 1;
		if (!*name)
			continue;
		tn_buf_reset(&sig);
		err = def_sig(btf, id, &ent, &fwd, &sig);
		if (err > 0) {
			err = 0;
			continue;
		}
		/* Tags and a variable's place are part of the definition. */
		if (!err && at.tags[id - at.start])
			tn_printf(&sig, " tags{%s}", at.tags[id - at.start]);
		if (!err && at.place[id - at.start])
			tn_printf(&sig, " @%s", at.place[id - at.start]);
		if (!err && sig.oom)
			err = -ENOMEM;
		if (!err && def_wanted(opts, ent, name))
			err = def_push(s, a, ent, name, id, tn_buf_str(&sig), fwd, &at);
	}
	if (!err && def_wanted(opts, BDIFF_E_ENUM, "") && !(opts && opts->nr_names))
		err = def_pool(s, named, a);
	tn_buf_deinit(&sig);
	bdiff_attrs_free(&at);
	free(named);
	if (err)
		return err;
	if (s->defs.len > 1)
		qsort(s->defs.v, s->defs.len, sizeof(*s->defs.v), def_qsort_cmp);
	def_drop_fwds(s);
	return 0;
}
