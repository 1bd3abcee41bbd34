// SPDX-License-Identifier: GPL-2.0-only
/*
 * FUNC -> ir_func, VAR (+ DATASEC placement) -> ir_var, DECL_TAG ->
 * annotations. Tags are grouped per target first (sorted), so every
 * annotation list is allocated once at its final length: many tags on one
 * target cost O(tags), not O(tags^2) as appending one by one would.
 */
#include "btfl_ir.h"

#include <errno.h>
#include <stdlib.h>

static int btfl_ir_func(struct btfl_ir *x, uint32_t id, const struct bfmt_type *t)
{
	struct ir_func *f;
	int err = ir_cu__add_func(x->cu, &f);

	if (err)
		return err;
	f->proto = btfl_ir_type(x, t->size_type);
	f->orig_off = id;
	if (bfmt_vlen(t) == BFMT_LINKAGE_GLOBAL)
		f->flags |= IR_FF_EXTERNAL;
	else if (bfmt_vlen(t) == BFMT_LINKAGE_EXTERN)
		f->flags |= IR_FF_EXTERNAL | IR_FF_DECLARATION;
	x->slot[id] = (uint32_t)x->cu->funcs.len;
	return btfl_ir_name(x, t->name_off, &f->name);
}

static int btfl_ir_var(struct btfl_ir *x, uint32_t id, const struct bfmt_type *t)
{
	uint32_t linkage = ((const struct bfmt_var *)bfmt_type_extra(t))->linkage;
	struct ir_var *v;
	int err = ir_cu__add_var(x->cu, &v);

	if (err)
		return err;
	v->type = btfl_ir_type(x, t->size_type);
	v->orig_off = id;
	if (linkage == BFMT_LINKAGE_GLOBAL)
		v->flags |= IR_VF_EXTERNAL;
	else if (linkage == BFMT_LINKAGE_EXTERN)
		v->flags |= IR_VF_EXTERNAL | IR_VF_DECLARATION;
	x->slot[id] = (uint32_t)x->cu->vars.len;
	return btfl_ir_name(x, t->name_off, &v->name);
}

/* The first DATASEC that lists a VAR gives its section and offset. */
static int btfl_ir_datasec(struct btfl_ir *x, const struct bfmt_type *t)
{
	const struct bfmt_var_secinfo *vs = bfmt_type_extra(t);
	const char *sec;
	uint32_t i;
	int err = btfl_ir_name(x, t->name_off, &sec);

	for (i = 0; !err && i < bfmt_vlen(t); i++) {
		uint32_t s = vs[i].type < x->nr ? x->slot[vs[i].type] : 0;
		const struct bfmt_type *vt = bfmt_btf__type(x->btf, vs[i].type);
		struct ir_var *v;

		if (!s || !vt || bfmt_kind(vt) != BFMT_KIND_VAR)
			continue;
		v = &x->cu->vars.v[s - 1];
		if (!v->section) {
			v->section = sec;
			v->section_offset = vs[i].offset;
		}
	}
	return err;
}

int btfl_ir_decls(struct btfl_ir *x)
{
	uint32_t id;
	int err = 0;

	for (id = 1; !err && id < x->nr; id++) {
		const struct bfmt_type *t = bfmt_btf__type(x->btf, id);

		if (bfmt_kind(t) == BFMT_KIND_FUNC)
			err = btfl_ir_func(x, id, t);
		else if (bfmt_kind(t) == BFMT_KIND_VAR)
			err = btfl_ir_var(x, id, t);
	}
	for (id = 1; !err && id < x->nr; id++) {
		const struct bfmt_type *t = bfmt_btf__type(x->btf, id);

		if (bfmt_kind(t) == BFMT_KIND_DATASEC)
			err = btfl_ir_datasec(x, t);
	}
	return err;
}

struct btfl_tag {
	uint32_t target;
	int32_t idx;
	uint32_t id;
};

static int btfl_tag_cmp(const void *a, const void *b)
{
	const struct btfl_tag *x = a, *y = b;

	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Prototypes are shared between functions: a function whose parameters
 * carry tags gets its own copy, made once (priv marks it). */
static struct ir_type *btfl_ir_private_proto(struct btfl_ir *x, uint32_t fidx,
					     uint8_t *priv)
{
	struct ir_func *f = &x->cu->funcs.v[fidx];
	ir_id old = f->proto, nid;
	struct ir_type *o, *n;

	if (priv[fidx] || !ir_cu__type(x->cu, old))
		return ir_cu__type(x->cu, f->proto);
	if (ir_cu__add_type(x->cu, IR_KIND_FUNC_PROTO, &nid))
		return NULL;
	o = ir_cu__type(x->cu, old);
	n = ir_cu__type(x->cu, nid);
	*n = *o;
	n->params = arena_memdup(&x->cu->arena, o->params,
				 (o->vlen ? o->vlen : 1) * sizeof(*o->params));
	if (!n->params)
		return NULL;
	f->proto = nid;
	priv[fidx] = 1;
	return n;
}

/* Where the tags of (target, idx) go; NULL when the model has no place
 * (a tag on the varargs marker) or on ENOMEM (*nomem set). */
static struct ir_annots *btfl_ir_annots(struct btfl_ir *x, const struct btfl_tag *g,
					uint8_t *priv, bool *nomem)
{
	const struct bfmt_type *t = bfmt_btf__type(x->btf, g->target);
	uint32_t s = g->target < x->nr ? x->slot[g->target] : 0;
	struct ir_type *it;

	if (!t || !s)
		return NULL;
	switch (bfmt_kind(t)) {
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
	case BFMT_KIND_TYPEDEF:
		it = ir_cu__type(x->cu, s);
		if (g->idx < 0)
			return &it->annots;
		return (uint32_t)g->idx < it->vlen ? &it->members[g->idx].annots : NULL;
	case BFMT_KIND_VAR:
		return &x->cu->vars.v[s - 1].annots;
	case BFMT_KIND_FUNC:
		if (g->idx < 0)
			return &x->cu->funcs.v[s - 1].annots;
		it = btfl_ir_private_proto(x, s - 1, priv);
		if (!it) {
			*nomem = true;
			return NULL;
		}
		return (uint32_t)g->idx < it->vlen ? &it->params[g->idx].annots : NULL;
	default:
		return NULL;
	}
}

/* One group of equal (target, idx): one list of n values. */
static int btfl_ir_tag_group(struct btfl_ir *x, const struct btfl_tag *g, size_t n,
			     uint8_t *priv)
{
	bool nomem = false;
	struct ir_annots *a = btfl_ir_annots(x, g, priv, &nomem);
	const char **v;
	size_t i;

	if (!a)
		return nomem ? -ENOMEM : 0;
	v = arena_calloc(&x->cu->arena, n + a->len, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < a->len; i++)
		v[i] = a->v[i];
	for (i = 0; i < n; i++) {
		const char *s;
		int err = btfl_ir_name(x, bfmt_btf__type(x->btf, g[i].id)->name_off, &s);

		if (err)
			return err;
		v[a->len + i] = s ? s : "";
	}
	a->v = v;
	a->len += (uint32_t)n;
	return 0;
}

static size_t btfl_collect_tags(struct btfl_ir *x, struct btfl_tag *tags)
{
	size_t n = 0;
	uint32_t id;

	for (id = 1; id < x->nr; id++) {
		const struct bfmt_type *t = bfmt_btf__type(x->btf, id);

		if (bfmt_kind(t) != BFMT_KIND_DECL_TAG)
			continue;
		tags[n].target = t->size_type;
		tags[n].idx = ((const struct bfmt_decl_tag *)bfmt_type_extra(t))->component_idx;
		tags[n++].id = id;
	}
	return n;
}

int btfl_ir_tags(struct btfl_ir *x)
{
	struct btfl_tag *tags = malloc(sizeof(*tags) * x->nr);
	uint8_t *priv = calloc(x->cu->funcs.len + 1, 1);
	size_t n, i, j;
	int err = 0;

	if (!tags || !priv) {
		free(tags);
		free(priv);
		return -ENOMEM;
	}
	n = btfl_collect_tags(x, tags);
	qsort(tags, n, sizeof(*tags), btfl_tag_cmp);
	for (i = 0; !err && i < n; i = j) {
		for (j = i + 1; j < n && tags[j].target == tags[i].target &&
				tags[j].idx == tags[i].idx; j++)
			;
		err = btfl_ir_tag_group(x, &tags[i], j - i, priv);
	}
	free(tags);
	free(priv);
	return err;
}
