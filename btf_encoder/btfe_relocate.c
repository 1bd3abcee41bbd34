// SPDX-License-Identifier: GPL-2.0-only
/*
 * Relocation of split BTF from its distilled base onto a full base:
 * btfd_relocate_map() and btfd_relocate() (btf_distill.h has the contract).
 *
 * This is what the kernel does when it loads a module whose ELF file has
 * .BTF.base (kernel/bpf/btf_relocate.c, shared with libbpf): every
 * distilled base type is looked up by name in the running vmlinux's BTF,
 * then the module's ids and string offsets are rewritten for that vmlinux.
 *
 * The matching rules (btf_distill.h lists them per kind) come down to:
 * name and kind always; size for INT, FLOAT and ENUM always; size for a
 * STRUCT/UNION when the split BTF embeds it by value (its layout would
 * silently change otherwise) or when the full base has more than one
 * STRUCT/UNION of that name (the size is then the only way to choose). A
 * distilled type with no match, or with two, is an error.
 *
 * How: the distilled types are sorted by name once; then one pass over the
 * full base counts same-named STRUCT/UNIONs, and a second pass looks each
 * named base type up by binary search and records matches. So the cost is
 * O((B + D) log D) for B base and D distilled types.
 *
 * Where we differ from the kernel on purpose (only for malformed or
 * pathological input, never for what btfd_distill_base() or libbpf
 * produce): a distilled STRUCT/UNION only matches a base type of the same
 * kind (the kernel checks only the name and size, so a same-named INT
 * could match); a distilled FWD's kind_flag (not the candidate's) decides
 * between STRUCT and UNION; a FWD matches whatever STRUCT/UNION of its
 * name exists, so same-named duplicates make it ambiguous instead of
 * unmatched.
 */
#include "btf_distill.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_distill_int.h"

/* A distilled type by name, for sorting and binary search. */
struct rel_name {
	const char *name;
	uint32_t id;
};

struct reloc {
	const struct bfmt_btf *split;	/* split BTF on a distilled base */
	const struct bfmt_btf *dist;	/* its distilled base */
	const struct bfmt_btf *full;	/* the base to relocate onto */
	const struct diag *d;
	const char *what;		/* put in front of error lines */
	uint32_t nr_dist;		/* bfmt_btf__nr_types(dist) */
	struct rel_name *names;		/* distilled ids 1.., sorted by name */
	uint32_t *map;			/* per distilled id: full id, 0 = none */
	uint32_t *other;		/* per distilled id: a second match */
	uint32_t *near;			/* per distilled id: same name and kind,
					 * other size (for the message) */
	uint32_t *nr_same;		/* per distilled id: full STRUCT/UNIONs
					 * that have its name */
	bool *embedded;			/* per distilled id: a split STRUCT/UNION
					 * holds it by value */
};

static int cmp_name(const void *a, const void *b)
{
	const struct rel_name *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* First index in names whose name is >= s. */
static uint32_t lower_bound(const struct reloc *r, const char *s)
{
	uint32_t lo = 0, hi = r->nr_dist - 1;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->names[mid].name, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The distilled base may hold only named INT, FLOAT, ENUM, STRUCT, UNION
 * and FWD types (btf_relocate_validate_distilled_base()). */
static int rel_validate(struct reloc *r)
{
	for (uint32_t id = 1; id < r->nr_dist; id++) {
		const struct bfmt_type *t = bfmt_btf__type(r->dist, id);
		const char *bad = NULL;

		switch (bfmt_kind(t)) {
		case BFMT_KIND_INT:
		case BFMT_KIND_FLOAT:
		case BFMT_KIND_ENUM:
		case BFMT_KIND_STRUCT:
		case BFMT_KIND_UNION:
		case BFMT_KIND_FWD:
			if (!btfd_named(r->dist, t))
				bad = "is anonymous";
			break;
		default:
			bad = "has a kind a distilled base cannot hold";
			break;
		}
		if (bad) {
			diag_report(r->d, DIAG_ERROR, "%sdistilled base type [%u] %s %s", r->what,
				    id, bfmt_kind_name(bfmt_kind(t)), bad);
			return -EINVAL;
		}
		r->names[id - 1] = (struct rel_name){ bfmt_btf__str(r->dist, t->name_off), id };
	}
	qsort(r->names, r->nr_dist - 1, sizeof(*r->names), cmp_name);
	return 0;
}

/* Mark distilled STRUCT/UNIONs that split STRUCT/UNION members hold by
 * value (through typedefs, modifiers, type tags and arrays). */
static int rel_mark_embedded(struct reloc *r)
{
	uint32_t nr = bfmt_btf__nr_types(r->split);

	for (uint32_t id = r->split->start_id; id < nr; id++) {
		const struct bfmt_type *t = bfmt_btf__type(r->split, id);
		const struct bfmt_member *m = bfmt_type_extra(t);

		if (bfmt_kind(t) != BFMT_KIND_STRUCT && bfmt_kind(t) != BFMT_KIND_UNION)
			continue;
		for (uint32_t i = 0; i < bfmt_vlen(t); i++) {
			uint32_t next = m[i].type, steps = 0;

			/* steps bounds a malformed typedef cycle */
			while (next && steps++ < nr) {
				const struct bfmt_type *u = bfmt_btf__type(r->split, next);

				if (!u) {
					diag_report(r->d, DIAG_ERROR, "%stype [%u] refers to "
						    "type [%u], beyond the last type", r->what,
						    id, next);
					return -EINVAL;
				}
				switch (bfmt_kind(u)) {
				case BFMT_KIND_CONST:
				case BFMT_KIND_VOLATILE:
				case BFMT_KIND_RESTRICT:
				case BFMT_KIND_TYPEDEF:
				case BFMT_KIND_TYPE_TAG:
					next = u->size_type;
					break;
				case BFMT_KIND_ARRAY:
					next = ((const struct bfmt_array *)bfmt_type_extra(u))->type;
					break;
				case BFMT_KIND_STRUCT:
				case BFMT_KIND_UNION:
					if (next < r->nr_dist)
						r->embedded[next] = true;
					next = 0;
					break;
				default:
					next = 0;
					break;
				}
			}
		}
	}
	return 0;
}

/* May distilled type dt (id di) stand for full base type bt? With *near
 * set when only the size kept a STRUCT/UNION from matching. */
static bool rel_match(const struct reloc *r, uint32_t di, const struct bfmt_type *dt,
		      const struct bfmt_type *bt, bool *near)
{
	enum bfmt_kind dk = bfmt_kind(dt), bk = bfmt_kind(bt);

	*near = false;
	switch (dk) {
	case BFMT_KIND_INT:
		return bk == BFMT_KIND_INT && bt->size_type == dt->size_type &&
		       bfmt_int_encoding(*(const uint32_t *)bfmt_type_extra(bt)) ==
		       bfmt_int_encoding(*(const uint32_t *)bfmt_type_extra(dt));
	case BFMT_KIND_FLOAT:
		return bk == BFMT_KIND_FLOAT && bt->size_type == dt->size_type;
	case BFMT_KIND_ENUM:
		return (bk == BFMT_KIND_ENUM || bk == BFMT_KIND_ENUM64) &&
		       bt->size_type == dt->size_type;
	case BFMT_KIND_FWD:
		if (bk == BFMT_KIND_FWD)
			return bfmt_kflag(bt) == bfmt_kflag(dt);
		return bk == (bfmt_kflag(dt) ? BFMT_KIND_UNION : BFMT_KIND_STRUCT);
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		if (bk != dk)
			return false;
		if ((r->embedded[di] || r->nr_same[di] > 1) && bt->size_type != dt->size_type) {
			*near = true;
			return false;
		}
		return true;
	default:
		return false;
	}
}

/* One pass over the full base per phase: counting same-named STRUCT/UNIONs
 * (count = true), then matching. */
static void rel_scan(struct reloc *r, bool count)
{
	uint32_t nr = bfmt_btf__nr_types(r->full);

	for (uint32_t id = 1; id < nr; id++) {
		const struct bfmt_type *bt = bfmt_btf__type(r->full, id);
		enum bfmt_kind bk = bfmt_kind(bt);
		bool comp = bk == BFMT_KIND_STRUCT || bk == BFMT_KIND_UNION;
		const char *name;
		uint32_t i;

		if (!btfd_named(r->full, bt) || (count && !comp))
			continue;
		name = bfmt_btf__str(r->full, bt->name_off);
		for (i = lower_bound(r, name);
		     i < r->nr_dist - 1 && !strcmp(r->names[i].name, name); i++) {
			uint32_t di = r->names[i].id;
			bool near;

			if (count) {
				r->nr_same[di]++;
				continue;
			}
			if (!rel_match(r, di, bfmt_btf__type(r->dist, di), bt, &near)) {
				if (near && !r->near[di])
					r->near[di] = id;
				continue;
			}
			if (!r->map[di])
				r->map[di] = id;
			else if (!r->other[di])
				r->other[di] = id;
		}
	}
}

/* Every distilled type must have exactly one match: say which does not. */
static int rel_check(const struct reloc *r)
{
	for (uint32_t di = 1; di < r->nr_dist; di++) {
		const struct bfmt_type *t = bfmt_btf__type(r->dist, di);
		const char *kind = bfmt_kind_name(bfmt_kind(t));
		const char *name = btfd_type_name(r->dist, t);

		if (r->map[di] && !r->other[di])
			continue;
		if (r->map[di])
			diag_report(r->d, DIAG_ERROR, "%sdistilled base type [%u] %s '%s' "
				    "size %u: ambiguous, base types [%u] and [%u] both match "
				    "(same name, kind and size)", r->what, di, kind, name,
				    t->size_type, r->map[di], r->other[di]);
		else if (r->near[di])
			diag_report(r->d, DIAG_ERROR, "%sdistilled base type [%u] %s '%s' "
				    "size %u: base type [%u] of that name has size %u%s",
				    r->what, di, kind, name, t->size_type, r->near[di],
				    bfmt_btf__type(r->full, r->near[di])->size_type,
				    r->embedded[di] ? " (split BTF embeds it, sizes must match)"
						    : " (several of that name: sizes must match)");
		else
			diag_report(r->d, DIAG_ERROR, "%sdistilled base type [%u] %s '%s' "
				    "size %u: no type of that name, kind and size in the base",
				    r->what, di, kind, name,
				    bfmt_kind(t) == BFMT_KIND_FWD ? 0 : t->size_type);
		return -EINVAL;
	}
	return 0;
}

static void rel_deinit(struct reloc *r)
{
	free(r->names);
	free(r->map);
	free(r->other);
	free(r->near);
	free(r->nr_same);
	free(r->embedded);
}

int btfd_reloc_map(const struct bfmt_btf *split, const struct bfmt_btf *full_base,
		   const struct diag *d, const char *what, uint32_t **map_ret)
{
	struct reloc r = { .split = split, .full = full_base, .d = d, .what = what };
	size_t n;
	int err;

	if (!split->base || split->base->base || split->base == full_base) {
		diag_report(d, DIAG_ERROR, "%snot split BTF on a distilled base%s", what,
			    split->base == full_base ? " (it is already on that base)" : "");
		return -EINVAL;
	}
	r.dist = split->base;
	r.nr_dist = bfmt_btf__nr_types(r.dist);
	n = r.nr_dist;
	r.names = calloc(n, sizeof(*r.names));
	r.map = calloc(n, sizeof(*r.map));
	r.other = calloc(n, sizeof(*r.other));
	r.near = calloc(n, sizeof(*r.near));
	r.nr_same = calloc(n, sizeof(*r.nr_same));
	r.embedded = calloc(n, sizeof(*r.embedded));
	if (!r.names || !r.map || !r.other || !r.near || !r.nr_same || !r.embedded)
		err = -ENOMEM;
	else
		err = rel_validate(&r);
	if (!err)
		err = rel_mark_embedded(&r);
	if (!err && r.nr_dist > 1) {
		rel_scan(&r, true);
		rel_scan(&r, false);
		err = rel_check(&r);
	}
	if (!err) {
		*map_ret = r.map;
		r.map = NULL;
	}
	rel_deinit(&r);
	return err;
}

int btfd_relocate_map(const struct bfmt_btf *split, const struct bfmt_btf *full_base,
		      const struct diag *d, uint32_t **map_ret)
{
	return btfd_reloc_map(split, full_base, d, "relocate: ", map_ret);
}

struct rel_remap {
	const uint32_t *map;	/* distilled id -> full id */
	uint32_t nr_dist;	/* first old split id */
	uint32_t nr_old;	/* one past the last old split id */
	uint32_t start;		/* first new split id */
};

static int rel_remap_id(uint32_t *field, void *arg)
{
	const struct rel_remap *c = arg;

	if (*field >= c->nr_old)
		return -EINVAL;
	if (*field >= c->nr_dist)
		*field = *field - c->nr_dist + c->start;
	else
		*field = c->map[*field];
	return 0;
}

/* The old-to-new id map btfd_relocate() hands out. */
static int rel_id_map(const struct rel_remap *c, uint32_t **ret)
{
	uint32_t *m = malloc((size_t)c->nr_old * sizeof(*m));

	if (!m)
		return -ENOMEM;
	for (uint32_t id = 0; id < c->nr_old; id++)
		m[id] = id < c->nr_dist ? c->map[id] : id - c->nr_dist + c->start;
	*ret = m;
	return 0;
}

int btfd_relocate(struct bfmt_btf *split, const struct bfmt_btf *full_base,
		  const struct diag *d, uint32_t **id_map_ret)
{
	struct rel_remap c = { .nr_old = bfmt_btf__nr_types(split) };
	const struct bfmt_btf *old_base = split->base;
	bool owned = split->owns_base;
	struct bfmt_btf *n = NULL;
	uint32_t *map = NULL, *ids = NULL, id, nid;
	int err = btfd_relocate_map(split, full_base, d, &map);

	if (err)
		return err;
	c.map = map;
	c.nr_dist = split->start_id;
	err = bfmt_btf__new(full_base, &n);
	if (!err)
		c.start = n->start_id;
	for (id = split->start_id; id < c.nr_old && !err; id++) {
		err = btfd_copy_type(n, split, id, &nid);
		if (!err)
			err = bfmt_type__visit_ids(bfmt_btf__type(n, nid), rel_remap_id, &c);
		if (err == -EINVAL)
			diag_report(d, DIAG_ERROR, "relocate: type [%u]: unknown kind, type id or "
				    "string offset out of range", id);
	}
	if (!err && id_map_ret)
		err = rel_id_map(&c, &ids);
	free(map);
	if (err) {
		bfmt_btf__free(n);
		return err;
	}
	/* Everything succeeded: swap the new records in. */
	split->base = full_base;
	split->start_id = n->start_id;
	split->start_str_off = n->start_str_off;
	split->owns_base = false;
	bfmt_btf__replace(split, n);
	if (owned)
		bfmt_btf__free((struct bfmt_btf *)old_base);
	if (id_map_ret)
		*id_map_ret = ids;
	return 0;
}
