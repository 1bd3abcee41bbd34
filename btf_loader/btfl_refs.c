// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pass 3: the rules that need the referenced types resolved (the kernel's
 * *_resolve, *_check_member, btf_func_check, btf_func_proto_check), for
 * every type of this table:
 *
 *  PTR, modifiers, TYPEDEF, TYPE_TAG
 *           the target is void, or not a VAR/DATASEC/DECL_TAG and resolves
 *           to a sized type, a FWD or a FUNC_PROTO (the kernel also lets a
 *           FUNC through, by accident of its resolver: we do not); in a
 *           chain of modifiers, TYPE_TAGs come first (kernel
 *           btf_check_type_tags)
 *  ARRAY    index: a regular INT (through modifiers); element: sized, not
 *           an INT bitfield, element size * count fits in 32 bits
 *  STRUCT, UNION
 *           member types sized (not FWD, FUNC, FUNC_PROTO, VAR, ...);
 *           placement: non-bitfields byte aligned, floats aligned to
 *           min(size, pointer size), every member (bitfields by their bits)
 *           inside the size; bitfields (kind_flag) only on regular INTs and
 *           enums, no wider than the type
 *  FUNC     refers to a FUNC_PROTO whose parameters are all named
 *  FUNC_PROTO
 *           return type void or sized, parameter types sized
 *  VAR      type sized
 *  DATASEC  entries are VARs, each entry's size >= its VAR's type size
 *  DECL_TAG the target is a FUNC, STRUCT, UNION, VAR or TYPEDEF;
 *           component_idx -1, or (FUNC, STRUCT, UNION only) below the
 *           member/parameter count
 */
#include "btfl_internal.h"

#include <errno.h>
#include <stdio.h>

struct btfl_refs {
	struct btfl_ctx *c;
	const struct bfmt_btf *btf;
	const struct btfl_res *res;
	uint32_t id;
	const struct bfmt_type *t;
};

#define REF_FAIL(r, ...) btfl_fail_type((r)->c, (r)->btf, (r)->id, __VA_ARGS__)

/* Kind of id; BFMT_KIND_UNKN for void. */
static enum bfmt_kind btfl_kind_of(const struct bfmt_btf *btf, uint32_t id)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);

	return t ? bfmt_kind(t) : BFMT_KIND_UNKN;
}

static const char *btfl_kname(const struct bfmt_btf *btf, uint32_t id)
{
	return id ? bfmt_kind_name(btfl_kind_of(btf, id)) : "void";
}

/* Whether btfl_need_size() passes, without making its message. */
static bool btfl_has_size(const struct btfl_refs *r, uint32_t id)
{
	return id && r->res[id].sized && !btfl_is_source_only(btfl_kind_of(r->btf, id));
}

/* A value of type id must have a size (members, parameters, VARs). */
static int btfl_need_size(struct btfl_refs *r, const char *what, uint32_t id)
{
	enum bfmt_kind k = btfl_kind_of(r->btf, id);

	if (btfl_is_source_only(k))
		return REF_FAIL(r, "%s %u is a %s, not a type", what, id, bfmt_kind_name(k));
	if (!id || !r->res[id].sized)
		return REF_FAIL(r, "%s %u (%s) has no size", what, id, btfl_kname(r->btf, id));
	return 0;
}

static int btfl_refs_modifier(struct btfl_refs *r)
{
	uint32_t to = r->t->size_type, rid;
	enum bfmt_kind k = btfl_kind_of(r->btf, to), rk;

	if (!to)
		return 0;
	if (btfl_is_source_only(k))
		return REF_FAIL(r, "type %u is a %s, not a type", to, bfmt_kind_name(k));
	if (bfmt_kind(r->t) != BFMT_KIND_TYPE_TAG && bfmt_kind(r->t) != BFMT_KIND_PTR &&
	    r->res[r->id].tag_below)
		return REF_FAIL(r, "a TYPE_TAG follows in its chain of modifiers "
				"(type tags must come first)");
	if (r->res[to].sized)
		return 0;
	rid = r->res[to].rid;
	rk = btfl_kind_of(r->btf, rid);
	if (!rid || rk == BFMT_KIND_FWD || rk == BFMT_KIND_FUNC_PROTO)
		return 0;
	return REF_FAIL(r, "type %u resolves to [%u] %s, which has no size", to, rid,
			bfmt_kind_name(rk));
}

static int btfl_refs_array(struct btfl_refs *r)
{
	const struct bfmt_array *a = bfmt_type_extra(r->t);
	uint32_t irid = r->res[a->index_type].rid, erid = r->res[a->type].rid;
	const struct bfmt_type *it = bfmt_btf__type(r->btf, irid);
	const struct bfmt_type *et = bfmt_btf__type(r->btf, erid);
	int err = btfl_need_size(r, "index type", a->index_type);

	if (err)
		return err;
	if (!it || bfmt_kind(it) != BFMT_KIND_INT || !btfl_int_is_regular(it))
		return REF_FAIL(r, "index type %u is not a regular INT", a->index_type);
	if (btfl_is_source_only(btfl_kind_of(r->btf, a->type)) || !r->res[a->type].sized)
		return REF_FAIL(r, "element type %u (%s) has no size", a->type,
				btfl_kname(r->btf, a->type));
	if (bfmt_kind(et) == BFMT_KIND_INT && !btfl_int_is_regular(et))
		return REF_FAIL(r, "element type %u is an INT bitfield", a->type);
	if (!r->res[r->id].sized)
		return REF_FAIL(r, "%u elements of %u bytes overflow 32 bits", a->nelems,
				r->res[a->type].size);
	return 0;
}

/* Where a member's bits are: [start, start + bits), and whether it is a
 * bitfield (exempt from byte alignment). */
struct btfl_span {
	uint64_t start;
	uint64_t bits;
	bool bitfield;
};

static int btfl_member_span(struct btfl_refs *r, const struct bfmt_member *m,
			    const char *name, struct btfl_span *s)
{
	bool kflag = bfmt_kflag(r->t);
	uint32_t nr = bfmt_member_bitfield_size(m->offset, kflag);
	const struct bfmt_type *mt = bfmt_btf__type(r->btf, r->res[m->type].rid);
	enum bfmt_kind k = bfmt_kind(mt);
	uint64_t width = (uint64_t)r->res[m->type].size * 8;

	s->start = bfmt_member_bit_offset(m->offset, kflag);
	s->bits = width;
	s->bitfield = false;
	if (k == BFMT_KIND_INT) {
		uint32_t v = *(const uint32_t *)bfmt_type_extra(mt);

		if (kflag && !btfl_int_is_regular(mt))
			return REF_FAIL(r, "member '%s': kind_flag member of a non-regular INT", name);
		width = bfmt_int_bits(v);
		s->bits = width;
		if (!kflag) {	/* old encoding: the INT says where its bits are */
			s->start += bfmt_int_offset(v);
			s->bitfield = true;
		}
	} else if ((k == BFMT_KIND_ENUM || k == BFMT_KIND_ENUM64) && width < 32) {
		width = 32;	/* the kernel allows int-wide enum bitfields */
	} else if (nr && k != BFMT_KIND_ENUM && k != BFMT_KIND_ENUM64) {
		return REF_FAIL(r, "member '%s' bitfield_size %u on a %s", name, nr,
				bfmt_kind_name(k));
	}
	if (nr > width)
		return REF_FAIL(r, "member '%s' bitfield_size %u wider than its type (%llu bits)",
				name, nr, (unsigned long long)width);
	if (nr) {
		s->bits = nr;
		s->bitfield = true;
	}
	return 0;
}

static int btfl_refs_member(struct btfl_refs *r, const struct bfmt_member *m)
{
	const char *name = btfl_str(r->btf, m->name_off);
	const struct btfl_res *mr = &r->res[m->type];
	enum bfmt_kind k = btfl_kind_of(r->btf, m->type);
	uint32_t size = r->t->size_type;
	struct btfl_span s;
	int err;

	if (btfl_is_source_only(k) || k == BFMT_KIND_FWD || k == BFMT_KIND_FUNC ||
	    k == BFMT_KIND_FUNC_PROTO || !mr->sized)
		return REF_FAIL(r, "member '%s' type %u (%s) has no size", name, m->type,
				bfmt_kind_name(k));
	err = btfl_member_span(r, m, name, &s);
	if (err)
		return err;
	if (!s.bitfield && s.start % 8)
		return REF_FAIL(r, "member '%s' offset %llu not byte aligned", name,
				(unsigned long long)s.start);
	if (btfl_kind_of(r->btf, mr->rid) == BFMT_KIND_FLOAT &&
	    s.start % (8ull * (mr->size < r->c->ptr_size ? mr->size : r->c->ptr_size)))
		return REF_FAIL(r, "member '%s' offset %llu misaligned for a FLOAT of %u bytes",
				name, (unsigned long long)s.start, mr->size);
	if (s.bitfield && s.start % 8 + s.bits > 128)
		return REF_FAIL(r, "member '%s' bitfield spans more than 128 bits", name);
	if ((s.start + s.bits + 7) / 8 > size)
		return REF_FAIL(r, "member '%s' offset %llu bits %llu beyond size %u", name,
				(unsigned long long)s.start, (unsigned long long)s.bits, size);
	return 0;
}

static int btfl_refs_struct(struct btfl_refs *r)
{
	const struct bfmt_member *m = bfmt_type_extra(r->t);
	uint32_t i;
	int err = 0;

	for (i = 0; !err && i < bfmt_vlen(r->t); i++)
		err = btfl_refs_member(r, &m[i]);
	return err;
}

static const struct bfmt_type *btfl_proto_of(const struct bfmt_btf *btf,
					     const struct bfmt_type *func)
{
	const struct bfmt_type *p = bfmt_btf__type(btf, func->size_type);

	return p && bfmt_kind(p) == BFMT_KIND_FUNC_PROTO ? p : NULL;
}

static int btfl_refs_func(struct btfl_refs *r)
{
	const struct bfmt_type *p = btfl_proto_of(r->btf, r->t);
	const struct bfmt_param *a;
	uint32_t i;

	if (!p)
		return REF_FAIL(r, "type %u (%s) is not a FUNC_PROTO", r->t->size_type,
				btfl_kname(r->btf, r->t->size_type));
	a = bfmt_type_extra(p);
	for (i = 0; i < bfmt_vlen(p); i++)
		if (a[i].type && !a[i].name_off)
			return REF_FAIL(r, "param %u of prototype [%u] has no name", i,
					r->t->size_type);
	return 0;
}

static int btfl_refs_proto(struct btfl_refs *r)
{
	const struct bfmt_param *a = bfmt_type_extra(r->t);
	uint32_t i;
	int err = 0;

	if (r->t->size_type)
		err = btfl_need_size(r, "return type", r->t->size_type);
	for (i = 0; !err && i < bfmt_vlen(r->t); i++) {
		char what[32];

		/* varargs (btfl_meta.c made sure it is last), or fine: the
		 * message is made only for a failure (a kernel's 70 thousand
		 * parameters spent 2% of a small module's run formatting it) */
		if (!a[i].type || btfl_has_size(r, a[i].type))
			continue;
		snprintf(what, sizeof(what), "param %u type", i);
		err = btfl_need_size(r, what, a[i].type);
	}
	return err;
}

static int btfl_refs_var(struct btfl_refs *r)
{
	return btfl_need_size(r, "type", r->t->size_type);
}

static int btfl_refs_datasec(struct btfl_refs *r)
{
	const struct bfmt_var_secinfo *v = bfmt_type_extra(r->t);
	uint32_t i;

	for (i = 0; i < bfmt_vlen(r->t); i++) {
		const struct bfmt_type *var = bfmt_btf__type(r->btf, v[i].type);
		uint32_t need;

		if (bfmt_kind(var) != BFMT_KIND_VAR)
			return REF_FAIL(r, "entry %u type %u is a %s, not a VAR", i, v[i].type,
					bfmt_kind_name(bfmt_kind(var)));
		need = r->res[var->size_type].size;
		if (v[i].size < need)
			return REF_FAIL(r, "entry %u (VAR '%s') size %u smaller than its type's %u",
					i, btfl_str(r->btf, var->name_off), v[i].size, need);
	}
	return 0;
}

static int btfl_refs_decl_tag(struct btfl_refs *r)
{
	int32_t idx = ((const struct bfmt_decl_tag *)bfmt_type_extra(r->t))->component_idx;
	const struct bfmt_type *to = bfmt_btf__type(r->btf, r->t->size_type);
	enum bfmt_kind k = to ? bfmt_kind(to) : BFMT_KIND_UNKN;
	uint32_t vlen;

	if (k != BFMT_KIND_FUNC && k != BFMT_KIND_STRUCT && k != BFMT_KIND_UNION &&
	    k != BFMT_KIND_VAR && k != BFMT_KIND_TYPEDEF)
		return REF_FAIL(r, "target type %u is a %s, which cannot be tagged",
				r->t->size_type, btfl_kname(r->btf, r->t->size_type));
	if (idx == -1)
		return 0;
	if (k == BFMT_KIND_VAR || k == BFMT_KIND_TYPEDEF)
		return REF_FAIL(r, "component_idx %d on a %s, must be -1", (int)idx,
				bfmt_kind_name(k));
	if (k == BFMT_KIND_FUNC) {
		to = btfl_proto_of(r->btf, to);
		if (!to)
			return REF_FAIL(r, "target FUNC %u has no FUNC_PROTO", r->t->size_type);
	}
	vlen = bfmt_vlen(to);
	if ((uint32_t)idx >= vlen)
		return REF_FAIL(r, "component_idx %d beyond the %u %s of [%u]", (int)idx, vlen,
				k == BFMT_KIND_FUNC ? "params" : "members", r->t->size_type);
	return 0;
}

static int btfl_refs_one(struct btfl_refs *r)
{
	enum bfmt_kind k = bfmt_kind(r->t);

	if (k == BFMT_KIND_PTR || btfl_is_modifier(k))
		return btfl_refs_modifier(r);
	switch (k) {
	case BFMT_KIND_ARRAY: return btfl_refs_array(r);
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION: return btfl_refs_struct(r);
	case BFMT_KIND_FUNC: return btfl_refs_func(r);
	case BFMT_KIND_FUNC_PROTO: return btfl_refs_proto(r);
	case BFMT_KIND_VAR: return btfl_refs_var(r);
	case BFMT_KIND_DATASEC: return btfl_refs_datasec(r);
	case BFMT_KIND_DECL_TAG: return btfl_refs_decl_tag(r);
	default: return 0;
	}
}

int btfl_check_refs(struct btfl_ctx *c, const struct bfmt_btf *btf,
		    const struct btfl_res *res)
{
	struct btfl_refs r = { .c = c, .btf = btf, .res = res };
	uint32_t n = bfmt_btf__nr_types(btf);
	int err = 0;

	for (r.id = btf->start_id; !err && r.id < n; r.id++) {
		r.t = bfmt_btf__type(btf, r.id);
		err = btfl_refs_one(&r);
	}
	return err;
}
