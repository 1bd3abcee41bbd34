// SPDX-License-Identifier: GPL-2.0-only
/*
 * Comparing one pair of definitions (same entity and name, different
 * signatures) and writing what differs as records: size, members,
 * enumerators, prototype, linkage, target.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bdiff_int.h"
#include "util/vec.h"

struct cmp {
	struct bdiff *d;
	const struct bdiff_def *def;	/* entity and name of the records */
	const struct bfmt_btf *ob, *nb;
};

static int cmp_rec(const struct cmp *c, enum bdiff_op op, enum bdiff_field f, const char *item,
		   const char *ov, const char *nv, bool numeric)
{
	struct bdiff_change r = { .entity = c->def->entity, .name = c->def->name, .op = op,
				  .field = f, .item = item, .old_val = ov, .new_val = nv,
				  .numeric = numeric };

	return bdiff_add(c->d, &r);
}

static const char *cmp_num(struct bdiff *d, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return arena_strdup(&d->arena, buf);
}

/* A numeric change, if the values differ. */
static int cmp_nums(const struct cmp *c, enum bdiff_field f, const char *item,
		    uint64_t ov, uint64_t nv)
{
	const char *os, *ns;

	if (ov == nv)
		return 0;
	os = cmp_num(c->d, ov);
	ns = cmp_num(c->d, nv);
	if (!os || !ns)
		return -ENOMEM;
	return cmp_rec(c, BDIFF_CHANGED, f, item, os, ns, true);
}

/* A text change, if the texts differ (copies them into the arena). */
static int cmp_texts(const struct cmp *c, enum bdiff_field f, const char *item,
		     const char *ov, const char *nv)
{
	const char *os, *ns;

	if (!strcmp(ov, nv))
		return 0;
	os = arena_strdup(&c->d->arena, ov);
	ns = arena_strdup(&c->d->arena, nv);
	if (!os || !ns)
		return -ENOMEM;
	return cmp_rec(c, BDIFF_CHANGED, f, item, os, ns, false);
}

static const char *cmp_spell(struct bdiff *d, const struct bfmt_btf *btf, uint32_t id)
{
	struct tn_buf b;
	const char *s = NULL;

	tn_buf_init(&b);
	bdiff_spell(btf, id, &b);
	if (!b.oom)
		s = arena_strdup(&d->arena, tn_buf_str(&b));
	tn_buf_deinit(&b);
	return s;
}

/* Member records are sorted by where the member is, then by path. */
struct cmp_mrec {
	uint64_t key;
	struct bdiff_change c;
};

static int cmp_mrec_order(const void *pa, const void *pb)
{
	const struct cmp_mrec *a = pa, *b = pb;
	int x;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	x = strcmp(a->c.item, b->c.item);
	if (x)
		return x;
	if (a->c.op != b->c.op)
		return a->c.op == BDIFF_REMOVED ? -1 : b->c.op == BDIFF_REMOVED ? 1 :
		       a->c.op < b->c.op ? -1 : 1;
	return a->c.field < b->c.field ? -1 : a->c.field > b->c.field;
}

struct cmp_mrecs {
	struct cmp_mrec *v;
	size_t len, cap;
};

static int cmp_mpush(const struct cmp *c, struct cmp_mrecs *r, uint64_t key, enum bdiff_op op,
		     enum bdiff_field f, const struct bdiff_member *m, const char *ov,
		     const char *nv, bool numeric)
{
	struct cmp_mrec *e;

	if (vec_push(r))
		return -ENOMEM;
	e = vec_last(r);
	e->key = key;
	e->c = (struct bdiff_change){ .entity = c->def->entity, .name = c->def->name, .op = op,
				      .field = f, .item = m->path, .old_val = ov, .new_val = nv,
				      .numeric = numeric, .bit_offset = m->bit_offset,
				      .bitfield_size = m->bitfield_size };
	return 0;
}

static int cmp_member_pair(const struct cmp *c, struct cmp_mrecs *r,
			   const struct bdiff_member *o, const struct bdiff_member *n)
{
	uint64_t key = n->bit_offset;
	int err = 0;

	if (strcmp(o->type, n->type))
		err = cmp_mpush(c, r, key, BDIFF_CHANGED, BDIFF_F_MEMBER_TYPE, n, o->type,
				n->type, false);
	/* A member inside a named embedded one moved only if it moved
	 * within it: "u" moving is said once, not for each of u's members. */
	if (!err && o->bit_offset != n->bit_offset &&
	    (!o->nested || !n->nested || o->rel_offset != n->rel_offset)) {
		const char *os = cmp_num(c->d, o->bit_offset), *ns = cmp_num(c->d, n->bit_offset);

		err = os && ns ? cmp_mpush(c, r, key, BDIFF_CHANGED, BDIFF_F_MEMBER_OFFSET, n,
					   os, ns, true) : -ENOMEM;
	}
	if (!err && o->bitfield_size != n->bitfield_size) {
		const char *os = cmp_num(c->d, o->bitfield_size);
		const char *ns = cmp_num(c->d, n->bitfield_size);

		err = os && ns ? cmp_mpush(c, r, key, BDIFF_CHANGED, BDIFF_F_MEMBER_BITS, n,
					   os, ns, true) : -ENOMEM;
	}
	return err;
}

static int cmp_members(const struct cmp *c, uint32_t oid, uint32_t nid)
{
	struct bdiff_members om = { 0 }, nm = { 0 };
	struct cmp_mrecs r = { 0 };
	size_t i = 0, j = 0;
	int err;

	err = bdiff_members(c->ob, oid, &c->d->arena, &om);
	if (!err)
		err = bdiff_members(c->nb, nid, &c->d->arena, &nm);
	while (!err && (i < om.len || j < nm.len)) {
		int x = i == om.len ? 1 : j == nm.len ? -1 : strcmp(om.v[i].path, nm.v[j].path);

		if (x < 0) {
			err = cmp_mpush(c, &r, om.v[i].bit_offset, BDIFF_REMOVED, BDIFF_F_MEMBER,
					&om.v[i], om.v[i].type, NULL, false);
			i++;
		} else if (x > 0) {
			err = cmp_mpush(c, &r, nm.v[j].bit_offset, BDIFF_ADDED, BDIFF_F_MEMBER,
					&nm.v[j], NULL, nm.v[j].type, false);
			j++;
		} else {
			err = cmp_member_pair(c, &r, &om.v[i++], &nm.v[j++]);
		}
	}
	if (!err && r.len > 1)
		qsort(r.v, r.len, sizeof(*r.v), cmp_mrec_order);
	for (i = 0; !err && i < r.len; i++)
		err = bdiff_add(c->d, &r.v[i].c);
	vec_free(&r);
	vec_free(&om);
	vec_free(&nm);
	return err;
}

/* One name's enumerators on each side: equal values cancel, the rest pair
 * up as renumberings, what is left was added or removed. */
static int cmp_enum_run(const struct cmp *c, const struct bdiff_enumerator *o, size_t no,
			const struct bdiff_enumerator *n, size_t nn)
{
	const struct bdiff_enumerator **lo = calloc(no + 1, sizeof(*lo));
	const struct bdiff_enumerator **ln = calloc(nn + 1, sizeof(*ln));
	size_t i = 0, j = 0, k, nlo = 0, nln = 0;
	int err = lo && ln ? 0 : -ENOMEM;

	while (!err && (i < no || j < nn)) {
		int x = i == no ? 1 : j == nn ? -1 : strcmp(o[i].value, n[j].value);

		if (x < 0) {
			lo[nlo++] = &o[i++];
		} else if (x > 0) {
			ln[nln++] = &n[j++];
		} else {
			i++;
			j++;
		}
	}
	for (k = 0; !err && k < nlo && k < nln; k++)
		err = cmp_rec(c, BDIFF_CHANGED, BDIFF_F_ENUM_VALUE, lo[k]->name, lo[k]->value,
			      ln[k]->value, true);
	for (; !err && k < nlo; k++)
		err = cmp_rec(c, BDIFF_REMOVED, BDIFF_F_ENUMERATOR, lo[k]->name, lo[k]->value,
			      NULL, true);
	for (k = nlo; !err && k < nln; k++)
		err = cmp_rec(c, BDIFF_ADDED, BDIFF_F_ENUMERATOR, ln[k]->name, NULL,
			      ln[k]->value, true);
	free(lo);
	free(ln);
	return err;
}

/* Two sorted lists of enumerators. */
static int cmp_enum_lists(const struct cmp *c, const struct bdiff_enumerators *o,
			  const struct bdiff_enumerators *n)
{
	size_t i = 0, j = 0;
	int err = 0;

	while (!err && (i < o->len || j < n->len)) {
		const char *name = i == o->len ? n->v[j].name :
				   j == n->len ? o->v[i].name :
				   strcmp(o->v[i].name, n->v[j].name) <= 0 ? o->v[i].name :
				   n->v[j].name;
		size_t i2 = i, j2 = j;

		while (i2 < o->len && !strcmp(o->v[i2].name, name))
			i2++;
		while (j2 < n->len && !strcmp(n->v[j2].name, name))
			j2++;
		err = cmp_enum_run(c, o->v + i, i2 - i, n->v + j, j2 - j);
		i = i2;
		j = j2;
	}
	return err;
}

static int cmp_enums(const struct cmp *c, uint32_t oid, uint32_t nid)
{
	struct bdiff_enumerators oe = { 0 }, ne = { 0 };
	int err;

	err = bdiff_enumerators(c->ob, oid, &c->d->arena, &oe);
	if (!err)
		err = bdiff_enumerators(c->nb, nid, &c->d->arena, &ne);
	if (!err) {
		bdiff_sort_enumerators(&oe);
		bdiff_sort_enumerators(&ne);
		err = cmp_enum_lists(c, &oe, &ne);
	}
	vec_free(&oe);
	vec_free(&ne);
	return err;
}

/* The bodies of two structs, unions or enums (named, or a typedef's). */
static int cmp_body(const struct cmp *c, uint32_t oid, uint32_t nid)
{
	const struct bfmt_type *o = bfmt_btf__type(c->ob, oid), *n = bfmt_btf__type(c->nb, nid);
	bool oenum = bfmt_kind(o) == BFMT_KIND_ENUM || bfmt_kind(o) == BFMT_KIND_ENUM64;
	bool nenum = bfmt_kind(n) == BFMT_KIND_ENUM || bfmt_kind(n) == BFMT_KIND_ENUM64;
	int err = cmp_nums(c, BDIFF_F_SIZE, NULL, o->size_type, n->size_type);

	if (err || oenum != nenum)
		return err;
	if (!oenum)
		return cmp_members(c, oid, nid);
	err = cmp_texts(c, BDIFF_F_ENCODING, NULL, bdiff_enum_sign(o), bdiff_enum_sign(n));
	return err ? err : cmp_enums(c, oid, nid);
}

static int cmp_linkage(const struct cmp *c, uint32_t ol, uint32_t nl)
{
	char ob[32], nb[32];

	return cmp_texts(c, BDIFF_F_LINKAGE, NULL, bdiff_linkage(ol, ob, sizeof(ob)),
			 bdiff_linkage(nl, nb, sizeof(nb)));
}

static const char *cmp_param(struct bdiff *d, const struct bfmt_btf *btf,
			     const struct bfmt_type *proto, uint32_t i)
{
	const struct bfmt_param *p = (const struct bfmt_param *)bfmt_type_extra(proto) + i;

	if (i == bfmt_vlen(proto) - 1 && !p->type && !p->name_off)
		return "...";
	return cmp_spell(d, btf, p->type);
}

static int cmp_func(const struct cmp *c, const struct bfmt_type *of, const struct bfmt_type *nf)
{
	const struct bfmt_type *op = bfmt_btf__type(c->ob, of->size_type);
	const struct bfmt_type *np = bfmt_btf__type(c->nb, nf->size_type);
	const char *os, *ns;
	uint32_t i, on, nn;
	int err = cmp_linkage(c, bfmt_vlen(of), bfmt_vlen(nf));

	if (err || !op || !np || bfmt_kind(op) != BFMT_KIND_FUNC_PROTO ||
	    bfmt_kind(np) != BFMT_KIND_FUNC_PROTO)
		return err;
	os = cmp_spell(c->d, c->ob, op->size_type);
	ns = cmp_spell(c->d, c->nb, np->size_type);
	if (!os || !ns)
		return -ENOMEM;
	err = cmp_texts(c, BDIFF_F_RETURN, NULL, os, ns);
	on = bfmt_vlen(op);
	nn = bfmt_vlen(np);
	if (!err)
		err = cmp_nums(c, BDIFF_F_NR_PARAMS, NULL, on, nn);
	for (i = 0; !err && i < on && i < nn; i++) {
		char item[16];
		const char *it;

		os = cmp_param(c->d, c->ob, op, i);
		ns = cmp_param(c->d, c->nb, np, i);
		if (!os || !ns)
			return -ENOMEM;
		if (!strcmp(os, ns))
			continue;
		snprintf(item, sizeof(item), "%" PRIu32, i + 1);
		it = arena_strdup(&c->d->arena, item);
		err = it ? cmp_rec(c, BDIFF_CHANGED, BDIFF_F_PARAM, it, os, ns, false) : -ENOMEM;
	}
	return err;
}

static bool cmp_anon_body(const struct bfmt_btf *btf, uint32_t id)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);

	return t && !*bdiff_name(btf, t) && bfmt_kind(t) != BFMT_KIND_FWD &&
	       (bfmt_kind(t) == BFMT_KIND_STRUCT || bfmt_kind(t) == BFMT_KIND_UNION ||
		bfmt_kind(t) == BFMT_KIND_ENUM || bfmt_kind(t) == BFMT_KIND_ENUM64);
}

/* Typedef target or variable type. */
static int cmp_target(const struct cmp *c, uint32_t oid, uint32_t nid)
{
	const char *os = cmp_spell(c->d, c->ob, oid), *ns = cmp_spell(c->d, c->nb, nid);

	if (!os || !ns)
		return -ENOMEM;
	return cmp_texts(c, BDIFF_F_TARGET, NULL, os, ns);
}

static int cmp_int(const struct cmp *c, const struct bfmt_type *o, const struct bfmt_type *n)
{
	uint32_t oi = *(const uint32_t *)bfmt_type_extra(o), ni = *(const uint32_t *)bfmt_type_extra(n);
	int err = cmp_nums(c, BDIFF_F_SIZE, NULL, o->size_type, n->size_type);

	if (!err)
		err = cmp_texts(c, BDIFF_F_ENCODING, NULL, bdiff_int_encoding(oi),
				bdiff_int_encoding(ni));
	if (!err)
		err = cmp_nums(c, BDIFF_F_BITS, NULL, bfmt_int_bits(oi), bfmt_int_bits(ni));
	return err;
}

int bdiff_compare_pair(struct bdiff *d, const struct bdiff_side *os, const struct bdiff_def *od,
		       const struct bdiff_side *ns, const struct bdiff_def *nd)
{
	struct cmp c = { .d = d, .def = od, .ob = os->btf, .nb = ns->btf };
	const struct bfmt_type *o = bfmt_btf__type(os->btf, od->id);
	const struct bfmt_type *n = bfmt_btf__type(ns->btf, nd->id);
	size_t before = d->changes.len;
	int err = 0;

	if (od->fwd != nd->fwd) {
		err = cmp_rec(&c, BDIFF_CHANGED, BDIFF_F_DECL, NULL,
			      od->fwd ? "declaration" : "definition",
			      nd->fwd ? "declaration" : "definition", false);
	} else if (!od->id) {	/* the pool of anonymous enumerators */
		err = cmp_enum_lists(&c, &os->pool, &ns->pool);
	} else {
		switch (od->entity) {
		case BDIFF_E_STRUCT:
		case BDIFF_E_UNION:
		case BDIFF_E_ENUM:
			err = cmp_body(&c, od->id, nd->id);
			break;
		case BDIFF_E_TYPEDEF:
			err = cmp_target(&c, o->size_type, n->size_type);
			if (!err && cmp_anon_body(os->btf, o->size_type) &&
			    cmp_anon_body(ns->btf, n->size_type))
				err = cmp_body(&c, o->size_type, n->size_type);
			break;
		case BDIFF_E_INT:
			err = cmp_int(&c, o, n);
			break;
		case BDIFF_E_FLOAT:
			err = cmp_nums(&c, BDIFF_F_SIZE, NULL, o->size_type, n->size_type);
			break;
		case BDIFF_E_FUNC:
			err = cmp_func(&c, o, n);
			break;
		case BDIFF_E_VAR:
			err = cmp_linkage(&c, ((const struct bfmt_var *)bfmt_type_extra(o))->linkage,
					  ((const struct bfmt_var *)bfmt_type_extra(n))->linkage);
			if (!err)
				err = cmp_target(&c, o->size_type, n->size_type);
			break;
		default:
			break;
		}
		if (!err)
			err = cmp_texts(&c, BDIFF_F_TAGS, NULL, od->tags ? od->tags : "",
					nd->tags ? nd->tags : "");
		if (!err && od->entity == BDIFF_E_VAR)
			err = cmp_texts(&c, BDIFF_F_PLACE, NULL, od->place ? od->place : "",
					nd->place ? nd->place : "");
	}
	/* The signatures differ, so something must be said. */
	if (!err && d->changes.len == before)
		err = cmp_rec(&c, BDIFF_CHANGED, BDIFF_F_ENTITY, NULL, od->sig, nd->sig, false);
	return err;
}

int bdiff_describe(struct bdiff *d, const struct bdiff_side *s, const struct bdiff_def *def,
		   const char **ret)
{
	const struct bfmt_type *t = def->id ? bfmt_btf__type(s->btf, def->id) : NULL;

	*ret = NULL;
	if (def->fwd) {
		*ret = "declaration";
		return 0;
	}
	if (!t)
		return 0;
	switch (def->entity) {
	case BDIFF_E_FUNC:
	case BDIFF_E_VAR:
	case BDIFF_E_TYPEDEF:
		*ret = cmp_spell(d, s->btf, t->size_type);
		return *ret ? 0 : -ENOMEM;
	default:
		return 0;
	}
}
