// SPDX-License-Identifier: GPL-2.0-only
/*
 * Distilled base BTF: btfd_distill_base() (btf_distill.h has the contract).
 *
 * The problem. A kernel module's BTF is split BTF: its ids start after the
 * last vmlinux id and its types refer to vmlinux types by id. Rebuild
 * vmlinux with one more type and every such id is off. The fix (libbpf
 * 1.5, Linux 6.11, "bpf: distilled base BTF") ships with the module a
 * small base, .BTF.base, that says what each referenced base type WAS -
 * "struct sk_buff, 232 bytes", "int, 4 bytes, signed" - and lets the
 * kernel find each one again by name in the vmlinux it runs
 * (btfe_relocate.c), then rewrite the module's ids.
 *
 * What stays in the distilled base is what can be found again by name:
 *   named INT, FLOAT           whole (encoding and size disambiguate);
 *   FWD                        whole;
 *   named STRUCT, UNION        no members, original size: the size lets
 *                              relocation tell same-named types apart and
 *                              check types the module embeds by value;
 *   named ENUM, ENUM64         an ENUM with no values and the original size
 *                              (relocation matches ENUM or ENUM64).
 * Everything else the split BTF needs from the base moves into the new
 * split BTF, whole: pointers, typedefs, modifiers, arrays, function
 * prototypes, type tags and anonymous STRUCT/UNION/ENUM/ENUM64 - these have
 * no name to be found by, so the module carries its own copy. "Needs" is
 * transitive: what a moved type refers to is needed too, except behind a
 * named STRUCT/UNION, whose members are not kept. Base FUNC, VAR, DATASEC
 * and DECL_TAG cannot be referred to (-EINVAL, as libbpf).
 *
 * Worked example. Base: [1] int, [2] struct list_head {next, prev: [3]},
 * [3] PTR -> [2], [4] struct task_struct, [5] PTR -> [4], [6] TYPEDEF u32
 * -> [7] unsigned int, [8] struct { int a; } (anonymous). Split, from [9]:
 * [9] struct mod { struct list_head l; struct task_struct *t; u32 x;
 * <anon [8]> y; int z; }. Needed: [2] (named, members not followed), [5]
 * and through it [4], [6] and through it [7], [8] and through it [1].
 * Distilled base: [1] int, [2] struct list_head size 16 (no members),
 * [3] struct task_struct (no members), [4] unsigned int. New split from
 * [5]: [5] struct mod, then the moved types in base id order: [6] PTR ->
 * [3], [7] TYPEDEF u32 -> [4], [8] struct { int a; } -> [1].
 *
 * Passes: (1) walk the split types' references with an explicit stack,
 * marking each needed base type as kept or moved; (2) add the kept types
 * to the new base in base id order; (3) copy the split types, then the
 * moved types in base id order, to the new split table; (4) rewrite every
 * id there. Then (5) check the result by relocating it onto the base it
 * came from (btfd_reloc_map): every distilled type must come back to the
 * type it was made from. This fails for base STRUCT/UNIONs that share name
 * and size (the kernel has no way to choose; libbpf distils them anyway and
 * the kernel refuses the module's BTF) - we refuse to write such a
 * .BTF.base and say which type and which candidates.
 *
 * Where we differ from libbpf on purpose: an anonymous INT or FLOAT (not
 * produced by compilers, but valid BTF) moves to the split BTF instead of
 * going to the distilled base, where the kernel's relocation would reject
 * it as anonymous. Output is otherwise the same types in the same order.
 */
#include "btf_distill.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_distill_int.h"
#include "util/vec.h"

enum dist_where {
	DIST_UNUSED = 0,	/* the split BTF does not need it */
	DIST_BASE,		/* kept (perhaps reduced) in the distilled base */
	DIST_SPLIT,		/* moved, whole, into the new split BTF */
};

struct distill {
	const struct bfmt_btf *src;	/* the input split BTF */
	const struct diag *d;		/* where errors go */
	uint32_t nr_base;		/* src->start_id: ids below are base ids */
	uint32_t nr_types;		/* bfmt_btf__nr_types(src) */
	uint8_t *where;			/* per base id: enum dist_where */
	uint32_t *map;			/* per base id: its new id */
	struct { uint32_t *v; size_t len, cap; } stack;	/* moved ids to walk */
	uint32_t from;			/* id whose references are being walked */
};

const char *btfd_type_name(const struct bfmt_btf *b, const struct bfmt_type *t)
{
	const char *s = t->name_off ? bfmt_btf__str(b, t->name_off) : NULL;

	return s && *s ? s : "(anon)";
}

struct copy_ctx {
	struct bfmt_btf *dst;
	const struct bfmt_btf *src;
};

static int copy_str(uint32_t *field, void *arg)
{
	struct copy_ctx *c = arg;
	const char *s = bfmt_btf__str(c->src, *field);

	if (!s)
		return -EINVAL;
	return bfmt_btf__add_str(c->dst, s, field);
}

int btfd_copy_type(struct bfmt_btf *dst, const struct bfmt_btf *src, uint32_t src_id,
		   uint32_t *id_ret)
{
	const struct bfmt_type *t = bfmt_btf__type(src, src_id);
	struct copy_ctx c = { dst, src };
	long size = t ? bfmt_type__size(t) : -1;
	uint32_t id;
	void *extra;
	int err;

	if (size < 0)
		return -EINVAL;
	err = bfmt_btf__add_type(dst, bfmt_kind(t), bfmt_vlen(t), bfmt_kflag(t), t->name_off,
				 t->size_type, &id, &extra);
	if (err)
		return err;
	memcpy(extra, bfmt_type_extra(t), (size_t)size - sizeof(*t));
	/* add_str() never moves type records, so the pointer stays valid. */
	err = bfmt_type__visit_strs(bfmt_btf__type(dst, id), copy_str, &c);
	if (err)
		return err;
	*id_ret = id;
	return 0;
}

/* Where a needed base type goes (DIST_UNUSED: it cannot be distilled). */
static enum dist_where dist_place(const struct bfmt_btf *b, const struct bfmt_type *t)
{
	switch (bfmt_kind(t)) {
	case BFMT_KIND_INT:
	case BFMT_KIND_FLOAT:
	case BFMT_KIND_FWD:
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		return btfd_named(b, t) ? DIST_BASE : DIST_SPLIT;
	case BFMT_KIND_ARRAY:
	case BFMT_KIND_TYPEDEF:
	case BFMT_KIND_PTR:
	case BFMT_KIND_CONST:
	case BFMT_KIND_RESTRICT:
	case BFMT_KIND_VOLATILE:
	case BFMT_KIND_FUNC_PROTO:
	case BFMT_KIND_TYPE_TAG:
		return DIST_SPLIT;
	default:
		return DIST_UNUSED;
	}
}

/* Visitor over the references of ds->from: mark the base types they need. */
static int dist_need(uint32_t *field, void *arg)
{
	struct distill *ds = arg;
	const struct bfmt_type *t, *from;
	uint32_t id = *field;
	enum dist_where w;

	if (id >= ds->nr_types) {
		diag_report(ds->d, DIAG_ERROR, "distill: type [%u] refers to type [%u], "
			    "beyond the last type [%u]", ds->from, id, ds->nr_types - 1);
		return -EINVAL;
	}
	if (id == 0 || id >= ds->nr_base || ds->where[id])
		return 0;
	t = bfmt_btf__type(ds->src, id);
	w = t ? dist_place(ds->src, t) : DIST_UNUSED;
	if (w == DIST_UNUSED) {
		from = bfmt_btf__type(ds->src, ds->from);
		diag_report(ds->d, DIAG_ERROR, "distill: type [%u] %s '%s' refers to base "
			    "type [%u] %s '%s', which a distilled base cannot describe",
			    ds->from, bfmt_kind_name(bfmt_kind(from)),
			    btfd_type_name(ds->src, from), id,
			    t ? bfmt_kind_name(bfmt_kind(t)) : "UNKN",
			    t ? btfd_type_name(ds->src, t) : "");
		return -EINVAL;
	}
	ds->where[id] = (uint8_t)w;
	if (w == DIST_SPLIT) {
		if (vec_push(&ds->stack))
			return -ENOMEM;
		*vec_last(&ds->stack) = id;
	}
	return 0;
}

/* Pass 1: mark every base type the split types need, transitively. */
static int dist_mark(struct distill *ds)
{
	uint32_t id;
	int err = 0;

	for (id = ds->nr_base; id < ds->nr_types && !err; id++) {
		ds->from = id;
		err = bfmt_type__visit_ids(bfmt_btf__type(ds->src, id), dist_need, ds);
	}
	while (!err && ds->stack.len) {
		id = ds->stack.v[--ds->stack.len];
		ds->from = id;
		err = bfmt_type__visit_ids(bfmt_btf__type(ds->src, id), dist_need, ds);
	}
	return err;
}

/* Copy one type for passes 2 and 3; a bad string offset is reported. */
static int dist_copy(const struct distill *ds, struct bfmt_btf *dst, uint32_t id,
		     uint32_t *id_ret)
{
	int err = btfd_copy_type(dst, ds->src, id, id_ret);

	if (err == -EINVAL)
		diag_report(ds->d, DIAG_ERROR, "distill: type [%u]: unknown kind or string "
			    "offset out of range", id);
	return err;
}

/* Pass 2: the distilled base, in base id order. */
static int dist_build_base(struct distill *ds, struct bfmt_btf *nb)
{
	for (uint32_t id = 1; id < ds->nr_base; id++) {
		const struct bfmt_type *t = bfmt_btf__type(ds->src, id);
		enum bfmt_kind kind;
		uint32_t name;
		int err;

		if (ds->where[id] != DIST_BASE)
			continue;
		kind = bfmt_kind(t);
		switch (kind) {
		case BFMT_KIND_STRUCT:
		case BFMT_KIND_UNION:
		case BFMT_KIND_ENUM:
		case BFMT_KIND_ENUM64:
			err = bfmt_btf__add_str(nb, bfmt_btf__str(ds->src, t->name_off), &name);
			if (!err)
				err = bfmt_btf__add_type(nb, kind == BFMT_KIND_ENUM64 ?
							 BFMT_KIND_ENUM : kind, 0, false, name,
							 t->size_type, &ds->map[id], NULL);
			break;
		default:
			err = dist_copy(ds, nb, id, &ds->map[id]);
			break;
		}
		if (err)
			return err;
	}
	return 0;
}

struct remap_ctx {
	const struct distill *ds;
	uint32_t split_start;	/* new split's first id */
};

static int dist_remap(uint32_t *field, void *arg)
{
	const struct remap_ctx *c = arg;

	if (*field == 0)
		return 0;
	if (*field < c->ds->nr_base) {
		if (!c->ds->map[*field])
			return -EINVAL;	/* cannot happen: pass 1 marked it */
		*field = c->ds->map[*field];
	} else {
		*field = *field - c->ds->nr_base + c->split_start;
	}
	return 0;
}

/* Pass 3 and 4: split types, then moved base types; then every id. */
static int dist_build_split(struct distill *ds, struct bfmt_btf *ns)
{
	struct remap_ctx c = { ds, ns->start_id };
	uint32_t id, nid;
	int err = 0;

	for (id = ds->nr_base; id < ds->nr_types && !err; id++)
		err = dist_copy(ds, ns, id, &nid);
	for (id = 1; id < ds->nr_base && !err; id++)
		if (ds->where[id] == DIST_SPLIT)
			err = dist_copy(ds, ns, id, &ds->map[id]);
	for (id = ns->start_id; id < bfmt_btf__nr_types(ns) && !err; id++)
		err = bfmt_type__visit_ids(bfmt_btf__type(ns, id), dist_remap, &c);
	return err;
}

/* Pass 5: the kernel must find every distilled type again in the base it
 * was made from, and find that very type. */
static int dist_check(const struct distill *ds, const struct bfmt_btf *nb,
		      const struct bfmt_btf *ns)
{
	uint32_t *m = NULL, id;
	int err = btfd_reloc_map(ns, ds->src->base, ds->d,
				 "distill: the distilled base would not relocate onto its own base: ",
				 &m);

	if (err)
		return err;
	for (id = 1; id < ds->nr_base; id++) {
		const struct bfmt_type *t;

		if (ds->where[id] != DIST_BASE || m[ds->map[id]] == id)
			continue;
		t = bfmt_btf__type(nb, ds->map[id]);
		diag_report(ds->d, DIAG_ERROR, "distill: distilled base type [%u] %s '%s' "
			    "made from base type [%u] would relocate onto base type [%u]",
			    ds->map[id], bfmt_kind_name(bfmt_kind(t)), btfd_type_name(nb, t),
			    id, m[ds->map[id]]);
		err = -EINVAL;
		break;
	}
	free(m);
	return err;
}

int btfd_distill_base(const struct bfmt_btf *split, const struct diag *d,
		      struct bfmt_btf **new_base_ret, struct bfmt_btf **new_split_ret)
{
	struct distill ds = { .src = split, .d = d };
	struct bfmt_btf *nb = NULL, *ns = NULL;
	int err;

	if (!split->base) {
		diag_report(d, DIAG_ERROR, "distill: not split BTF (no base)");
		return -EINVAL;
	}
	ds.nr_base = split->start_id;
	ds.nr_types = bfmt_btf__nr_types(split);
	ds.where = calloc(ds.nr_base, sizeof(*ds.where));
	ds.map = calloc(ds.nr_base, sizeof(*ds.map));
	err = ds.where && ds.map ? dist_mark(&ds) : -ENOMEM;
	if (!err)
		err = bfmt_btf__new(NULL, &nb);
	if (!err)
		err = dist_build_base(&ds, nb);
	if (!err)
		err = bfmt_btf__new(nb, &ns);
	if (!err)
		err = dist_build_split(&ds, ns);
	if (!err)
		err = dist_check(&ds, nb, ns);
	vec_free(&ds.stack);
	free(ds.where);
	free(ds.map);
	if (err) {
		bfmt_btf__free(ns);
		bfmt_btf__free(nb);
		return err;
	}
	*new_base_ret = nb;
	*new_split_ret = ns;
	return 0;
}
