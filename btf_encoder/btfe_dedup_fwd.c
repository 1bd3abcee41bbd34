// SPDX-License-Identifier: GPL-2.0-only
/*
 * Phase 4 of the deduplicator (btfe_dedup.c has the whole story): which
 * forward declarations become which full definitions.
 */
#include <errno.h>
#include <stdlib.h>

#include "btfe_dedup_internal.h"
#include "util/hmap.h"
#include "util/vec.h"

/* What a full definition or a forward declaration is named for: the
 * namespace a FWD can resolve in. */
enum fwd_group {
	FWD_NONE,
	FWD_STRUCT,
	FWD_UNION,
	FWD_ENUM,	/* ENUM and ENUM64 alike */
};

static enum fwd_group fwd_group(const struct bfmt_type *t, bool *is_fwd)
{
	enum bfmt_kind k = bfmt_kind(t);

	*is_fwd = false;
	switch (k) {
	case BFMT_KIND_FWD:
		*is_fwd = true;
		return bfmt_kflag(t) ? FWD_UNION : FWD_STRUCT;
	case BFMT_KIND_STRUCT:
		return FWD_STRUCT;
	case BFMT_KIND_UNION:
		return FWD_UNION;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		*is_fwd = bfmt_vlen(t) == 0;
		return FWD_ENUM;
	default:
		return FWD_NONE;
	}
}

/*
 * The names a definition is filed under and a forward declaration looks up.
 * The loose key is (name, namespace). Enums have a second, strict key that
 * adds kind, kind_flag and size: an enum forward declaration takes a full
 * enum of exactly its kind and size if there is one, else any full ENUM or
 * ENUM64 of its name (libbpf, too, treats an enum forward as compatible with
 * any enum of its name, so an ENUM forward can resolve to an ENUM64).
 *
 * Several classes under an enum key do not make the forward stay: libbpf
 * resolves such a forward to whichever candidate its hash bucket or its
 * struct walk meets first, and we must not keep more types than libbpf. It
 * is also harmless: an enum forward has no values, so all that could be seen
 * through it is its name, which every candidate shares. Which one: the
 * candidate that lets the most of the forward's referencers merge with an
 * existing type (a PTR to the forward whose twin, a PTR to the candidate,
 * is already there), ties going to the candidate that occurs first; see
 * vote_enum_fwds(). Structs and unions get no such guess: their layout would be seen
 * through the pointers to them, so their FWD resolves only when the name
 * has exactly one class of definitions.
 */
static uint64_t fwd_key(const struct dedup *d, uint32_t v, enum fwd_group g, bool strict)
{
	const struct bfmt_type *k = (const void *)&d->keys.v[d->key_off[v]];
	uint64_t key = (uint64_t)k->name_off << 24 | (uint64_t)g << 22;

	if (strict)
		key |= 1u << 21 | (uint64_t)bfmt_kind(k) << 16 | (uint64_t)bfmt_kflag(k) << 15 |
		       (k->size_type & 0x7fff);
	return key;
}

static const uint64_t FWD_AMBIGUOUS = UINT64_MAX;


/* Enum candidates: per key, a list of distinct classes in filing order. */
struct enum_defs {
	struct hmap last;	/* key -> index of its last entry + 1 */
	struct {
		struct enum_def {
			uint32_t cls;	/* a class of full enums */
			uint32_t prev;	/* previous entry of its key + 1, 0 = none */
		} *v;
		size_t len, cap;
	} list;
};

static int enum_defs_add(struct enum_defs *e, uint64_t key, uint32_t cls)
{
	uint64_t last = 0;
	uint32_t i;

	hmap_get(&e->last, key, &last);
	for (i = (uint32_t)last; i; i = e->list.v[i - 1].prev)
		if (e->list.v[i - 1].cls == cls)
			return 0;
	if (vec_push(&e->list))
		return -ENOMEM;
	*vec_last(&e->list) = (struct enum_def){ cls, (uint32_t)last };
	return hmap_set(&e->last, key, e->list.len);
}

/* Index + 1 of the last candidate of an enum forward, 0 for none. */
static uint32_t enum_candidates(const struct dedup *d, const struct enum_defs *e, uint32_t v)
{
	uint64_t last;

	if (hmap_get(&e->last, fwd_key(d, v, FWD_ENUM, true), &last) ||
	    hmap_get(&e->last, fwd_key(d, v, FWD_ENUM, false), &last))
		return (uint32_t)last;
	return 0;
}

/* Struct and union names -> their one class or FWD_AMBIGUOUS; enum names ->
 * all their classes. */
static int collect_definitions(struct dedup *d, struct hmap *defs, struct enum_defs *e)
{
	uint32_t v;
	int err = 0;

	for (v = 1; v < d->nr && !err; v++) {
		const struct bfmt_type *t = bfmt_btf__type(d->btf, v);
		uint32_t cls = d->block[v];
		enum fwd_group g;
		uint64_t key, prev;
		bool is_fwd;

		g = fwd_group(t, &is_fwd);
		if (g == FWD_NONE || is_fwd || !t->name_off)
			continue;
		if (g == FWD_ENUM) {
			err = enum_defs_add(e, fwd_key(d, v, g, true), cls);
			if (!err)
				err = enum_defs_add(e, fwd_key(d, v, g, false), cls);
			continue;
		}
		key = fwd_key(d, v, g, false);
		if (!hmap_get(defs, key, &prev))
			err = hmap_set(defs, key, cls);
		else if (prev != cls && prev != FWD_AMBIGUOUS)
			err = hmap_set(defs, key, FWD_AMBIGUOUS);
	}
	return err;
}

/* The unresolved enum forward an edge enters, with several candidates. */
static bool is_open_enum_fwd(const struct dedup *d, const struct enum_defs *e, uint32_t v)
{
	const struct bfmt_type *t = bfmt_btf__type(d->btf, v);
	uint32_t last;
	bool is_fwd;

	if (v < d->btf->start_id || d->alias[v] || !t || !t->name_off ||
	    fwd_group(t, &is_fwd) != FWD_ENUM || !is_fwd)
		return false;
	last = enum_candidates(d, e, v);
	return last && e->list.v[last - 1].prev;
}

static uint64_t twin_key(uint32_t init_block, uint32_t label, uint32_t cls)
{
	return hash_combine(hash_combine(hash_u64(init_block), label), cls);
}

/*
 * votes: (class of forward << 32 | candidate class) -> how many edges into
 * the forward have a twin: an edge with the same label, from a type of the
 * same local shape, into the candidate. Twins are looked up by hash: a
 * collision can only make a vote wrong, never a resolution invalid.
 */
static int vote_enum_fwds(struct dedup *d, const struct enum_defs *e, struct hmap *votes)
{
	struct hmap twins;
	size_t i;
	int err = 0;

	hmap_init(&twins);
	for (i = 0; i < d->tail.len && !err; i++)
		err = hmap_set(&twins, twin_key(d->init_block[d->tail.v[i]], d->label.v[i],
						d->block[d->head[i]]), 1);
	for (i = 0; i < d->tail.len && !err; i++) {
		uint32_t f = d->head[i], j;

		if (!is_open_enum_fwd(d, e, f))
			continue;
		for (j = enum_candidates(d, e, f); j && !err; j = e->list.v[j - 1].prev) {
			uint32_t c = e->list.v[j - 1].cls;
			uint64_t n = 0, key = (uint64_t)d->block[f] << 32 | c;

			if (!hmap_get(&twins, twin_key(d->init_block[d->tail.v[i]],
						       d->label.v[i], c), NULL))
				continue;
			hmap_get(votes, key, &n);
			err = hmap_set(votes, key, n + 1);
		}
	}
	hmap_deinit(&twins);
	return err;
}

/* The class enum forward v resolves to: most votes, then first occurring. */
static uint32_t pick_enum(const struct dedup *d, const struct enum_defs *e,
			  const struct hmap *votes, uint32_t v)
{
	uint32_t best = UINT32_MAX, j;
	uint64_t best_n = 0;

	for (j = enum_candidates(d, e, v); j; j = e->list.v[j - 1].prev) {
		uint32_t c = e->list.v[j - 1].cls;
		uint64_t n = 0;

		hmap_get(votes, (uint64_t)d->block[v] << 32 | c, &n);
		if (best == UINT32_MAX || n > best_n ||
		    (n == best_n && d->rep[c] < d->rep[best])) {
			best = c;
			best_n = n;
		}
	}
	return best;
}

/* The class forward declaration v resolves to, or FWD_AMBIGUOUS. */
static uint64_t fwd_target(const struct dedup *d, const struct hmap *defs,
			   const struct enum_defs *e, const struct hmap *votes,
			   uint32_t v, enum fwd_group g)
{
	uint64_t cls;

	if (g == FWD_ENUM)
		return enum_candidates(d, e, v) ? pick_enum(d, e, votes, v) : FWD_AMBIGUOUS;
	if (hmap_get(defs, fwd_key(d, v, g, false), &cls))
		return cls;
	return FWD_AMBIGUOUS;
}

int btfd_resolve_fwds(struct dedup *d, bool *added_ret)
{
	struct enum_defs e = { 0 };
	struct hmap defs, votes;
	uint32_t v;
	int err;

	*added_ret = false;
	hmap_init(&defs);
	hmap_init(&votes);
	hmap_init(&e.last);
	err = collect_definitions(d, &defs, &e);
	if (!err)
		err = vote_enum_fwds(d, &e, &votes);
	for (v = d->btf->start_id; !err && v < d->nr; v++) {
		const struct bfmt_type *t = bfmt_btf__type(d->btf, v);
		enum fwd_group g;
		bool is_fwd;
		uint64_t cls;

		g = fwd_group(t, &is_fwd);
		if (!is_fwd || d->alias[v] || !t->name_off)
			continue;
		cls = fwd_target(d, &defs, &e, &votes, v, g);
		if (cls == FWD_AMBIGUOUS)
			continue;
		d->alias[v] = d->rep[cls];
		d->nr_aliased++;
		*added_ret = true;
	}
	hmap_deinit(&defs);
	hmap_deinit(&votes);
	hmap_deinit(&e.last);
	vec_free(&e.list);
	return err;
}
