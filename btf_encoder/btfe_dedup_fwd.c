// SPDX-License-Identifier: GPL-2.0-only
/*
 * Phase 4 of the deduplicator (btfe_dedup.c has the whole story): which
 * forward declarations become which full definitions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
	const struct bfmt_type *k = bfmt_btf__type(d->btf, v);
	uint64_t key = (uint64_t)d->name[v] << 24 | (uint64_t)g << 22;

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

/* Edge i's label, given edge i - 1's (prev): the array's, or without one
 * (a table of its own after its first refinement, refine()) its place
 * among its node's edges, which is what the label is there. */
static uint32_t edge_label(const struct dedup *d, uint32_t i, uint32_t prev)
{
	if (d->label.len)
		return d->label.v[i];
	return i && d->tail.v[i] == d->tail.v[i - 1] ? prev + 1 : 0;
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
	uint8_t *cand, *open;
	uint32_t lab, v, nr_open = 0;
	size_t i;
	int err = 0;

	/* Most tables have no such forward (split BTF seldom does): then
	 * one look at each node is the whole cost (not one per edge: a
	 * kernel has four edges per node, each a random record read). */
	open = calloc(d->nr ? d->nr : 1, 1);
	if (!open)
		return -ENOMEM;
	for (v = d->btf->start_id; v < d->nr; v++)
		if (is_open_enum_fwd(d, e, v)) {
			open[v] = 1;
			nr_open++;
		}
	if (!nr_open) {
		free(open);
		return 0;
	}
	/* Only edges into a candidate class can be twins. */
	cand = calloc(d->nr, 1);
	if (!cand) {
		free(open);
		return -ENOMEM;
	}
	for (i = 0; i < e->list.len; i++)
		cand[e->list.v[i].cls] = 1;
	hmap_init(&twins);
	for (i = 0, lab = 0; i < d->tail.len && !err; i++) {
		lab = edge_label(d, (uint32_t)i, lab);
		if (cand[d->block[d->head.v[i]]])
			err = hmap_set(&twins, twin_key(d->init_block[d->tail.v[i]],
							lab, d->block[d->head.v[i]]), 1);
	}
	free(cand);
	for (i = 0, lab = 0; i < d->tail.len && !err; i++) {
		uint32_t f = d->head.v[i], t = d->tail.v[i], j;

		lab = edge_label(d, (uint32_t)i, lab);
		/* One vote per class, not per copy: the copies of a class
		 * that a pass has not written out yet vote once. */
		if (!open[f] || d->rep[d->block[t]] != t)
			continue;
		for (j = enum_candidates(d, e, f); j && !err; j = e->list.v[j - 1].prev) {
			uint32_t c = e->list.v[j - 1].cls;
			uint64_t n = 0, key = (uint64_t)d->block[f] << 32 | c;

			if (!hmap_get(&twins, twin_key(d->init_block[t], lab, c), NULL))
				continue;
			hmap_get(votes, key, &n);
			err = hmap_set(votes, key, n + 1);
		}
	}
	hmap_deinit(&twins);
	free(open);
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

/*
 * Phase 4b: forward declarations resolved in context (libbpf does this in its
 * struct walk). Two STRUCT (or UNION) classes of one local shape (so one
 * initial block: kind, name, size, member names and offsets) that differ only
 * where, through equal chains of pointers, modifiers, typedefs and arrays, one
 * reaches a FWD and the other a full definition of that FWD's name and kind,
 * describe the same type as far as anyone can tell: the FWD nodes reached
 * there are aliased to that definition, and the refinement that follows
 * merges the two classes.
 *
 * "Otherwise equal" is a lock-step walk over pairs of classes (ctx_walk:
 * pairs assumed equal when first met, each class paired with one class
 * only), so structs that reach each other's variants through cycles (every
 * kernel struct that points to task_struct) match as a whole.
 *
 * Within a shape group, every class is compared with one representative (the
 * class with the fewest members ending at a FWD, then the smallest id), not
 * with every other class: linear work per group. A match resolves the FWD
 * *class* met in the walk (all FWDs of that name and kind that the
 * refinement keeps together, as libbpf resolves its canonical FWD).
 *
 * Matches of one round are combined, not judged one by one: the non-FWD
 * class pairs a successful walk assumed equal (the two compared classes and
 * everything reached from them in lock step) are equal up to FWD-vs-
 * definition, and are joined in a union-find over classes (ctx_compare).
 * After all groups, a FWD class resolves to the smallest representative
 * of the set of the definitions it was paired with, when those all lie in one
 * set (ctx_decide); it stays when it was paired with definitions of
 * different sets (two contexts that really disagree). Without the union, a
 * FWD paired with two copies of one struct that are not one class yet
 * (task_struct, whose copies differ only in their own unresolved FWDs)
 * would stay forever. The union-find only chooses targets: types merge only
 * through the refinement that follows, so nothing unequal is merged.
 * Decisions depend only on classes and, for representatives, on smallest
 * ids, so concatenated permuted copies decide the same for every copy.
 */

#define CHAIN_MAX 32	/* longer pointer/modifier chains are not followed */

struct ctx_state {
	struct dedup *d;
	uint32_t *out_start;	/* per node + 1: its first edge */
	uint32_t *res;		/* per FWD class: target class + 1, CTX_CONFLICT, 0 */
	/* The walk hypothesis, dense over classes: r-side class -> x-side
	 * class (valid where fwd_stamp is the walk's stamp), and which x-side
	 * classes are taken (bwd_stamp). */
	uint32_t *fwd_to;
	uint32_t *fwd_stamp;
	uint32_t *bwd_stamp;
	uint32_t stamp;
	uint8_t *kind;		/* per node: BTF kind | KIND_KFLAG | KIND_NAMED */
	struct {
		uint64_t *v;	/* class pairs still to compare */
		size_t len, cap;
	} stack;
	struct {
		uint64_t *v;	/* (FWD class << 32 | definition class) seen */
		size_t len, cap;
	} pairs;
	struct {
		uint64_t *v;	/* non-FWD class pairs the walk assumed equal */
		size_t len, cap;
	} eqs;
	struct {
		uint64_t *v;	/* pairs of all matches (FWD class << 32 | def) */
		size_t len, cap;
	} all_pairs;
	uint32_t *uf;		/* per class: union-find parent (matched defs) */
	uint32_t *minrep;	/* per union-find root: smallest rep of its set */
	struct {
		uint64_t *v;	/* struct/union class representatives, as
				 * initial block << 32 | node */
		size_t len, cap;
	} reps;
};

static const uint32_t CTX_CONFLICT = UINT32_MAX;

static const struct bfmt_type *node_type(const struct dedup *d, uint32_t v)
{
	return v ? bfmt_btf__type(d->btf, v) : NULL;
}

#define KIND_KFLAG 0x80
#define KIND_NAMED 0x40
#define KIND_MASK 0x1f

/* f is a named struct/union FWD and s a definition of its name and kind
 * (kind holds each node's kind and flags, see ctx_setup). */
static bool fwd_defines(const struct dedup *d, const uint8_t *kind, uint32_t f, uint32_t s)
{
	if ((kind[f] & (KIND_MASK | KIND_NAMED)) != (BFMT_KIND_FWD | KIND_NAMED))
		return false;
	if ((kind[s] & KIND_MASK) !=
	    ((kind[f] & KIND_KFLAG) ? BFMT_KIND_UNION : BFMT_KIND_STRUCT))
		return false;
	return d->name[f] == d->name[s];
}

/* The edge of node v labelled l (v has it). */
static uint32_t edge_head(const struct ctx_state *cs, uint32_t v, uint32_t l)
{
	return cs->d->head.v[cs->out_start[v] + l];
}

/* A kind a member's chain goes through on its way to a FWD. */
static bool chain_kind(enum bfmt_kind k)
{
	switch (k) {
	case BFMT_KIND_PTR:
	case BFMT_KIND_CONST:
	case BFMT_KIND_VOLATILE:
	case BFMT_KIND_RESTRICT:
	case BFMT_KIND_TYPEDEF:
	case BFMT_KIND_TYPE_TAG:
	case BFMT_KIND_ARRAY:
		return true;
	default:
		return false;
	}
}

/* Whether member l of node v ends, through a chain, at a FWD. */
static bool member_reaches_fwd(const struct ctx_state *cs, uint32_t v, uint32_t l)
{
	uint32_t u = edge_head(cs, v, l), s;

	for (s = 0; s < CHAIN_MAX; s++) {
		const struct bfmt_type *t = node_type(cs->d, u);

		if (!t || !chain_kind(bfmt_kind(t)))
			return t && bfmt_kind(t) == BFMT_KIND_FWD;
		u = edge_head(cs, u, 0);
	}
	return false;
}

static uint32_t nr_fwd_members(const struct ctx_state *cs, uint32_t v)
{
	uint32_t l, n = 0, m = cs->out_start[v + 1] - cs->out_start[v];

	for (l = 0; l < m; l++)
		n += member_reaches_fwd(cs, v, l);
	return n;
}

static void ctx_note(struct ctx_state *cs, uint32_t f, uint32_t cls)
{
	if (!cs->res[f])
		cs->res[f] = cls + 1;
	else if (cs->res[f] != cls + 1)
		cs->res[f] = CTX_CONFLICT;
}

/* Union-find over classes, iterative (path halving). */
static uint32_t uf_find(uint32_t *uf, uint32_t c)
{
	while (uf[c] != c) {
		uf[c] = uf[uf[c]];
		c = uf[c];
	}
	return c;
}

#define WALK_MAX (1u << 20)	/* class pairs one comparison may visit */

static int walk_push(struct ctx_state *cs, uint32_t u, uint32_t w)
{
	if (vec_push(&cs->stack))
		return -ENOMEM;
	*vec_last(&cs->stack) = (uint64_t)u << 32 | w;
	return 0;
}

/*
 * Whether the classes of r and x are equal up to FWD-vs-definition: a
 * lock-step walk over pairs of classes, each pair assumed equal when first
 * met (so cycles close), each class paired with one class only; two classes
 * match when they are one class, when one is a FWD and the other a
 * definition of its name and kind (noted in cs->pairs), or when they have
 * one local key and their edges, label by label, lead to matching classes.
 * Two classes that earlier matches of this round already joined in the
 * union-find match without being walked again: they were shown equal up to
 * FWD-vs-definition, and their FWD pairs are already noted. Without that,
 * each of the ~700 copies of task_struct in a kernel walked most of the
 * kernel's types again (75 million pairs per round; now 0.6 million).
 * Iterative: an explicit stack, at most WALK_MAX pairs (then: no match).
 */
static int ctx_walk(struct ctx_state *cs, uint32_t r, uint32_t x, bool *match_ret)
{
	const struct dedup *d = cs->d;
	uint32_t visited = 0;
	int err;

	*match_ret = false;
	if (++cs->stamp == 0) {		/* wrapped: forget every old walk */
		memset(cs->fwd_stamp, 0, (size_t)d->nr * sizeof(*cs->fwd_stamp));
		memset(cs->bwd_stamp, 0, (size_t)d->nr * sizeof(*cs->bwd_stamp));
		cs->stamp = 1;
	}
	cs->stack.len = 0;
	cs->pairs.len = 0;
	cs->eqs.len = 0;
	err = walk_push(cs, d->block[r], d->block[x]);
	while (!err && cs->stack.len) {
		uint64_t top = cs->stack.v[--cs->stack.len];
		uint32_t cu = (uint32_t)(top >> 32), cw = (uint32_t)top;
		uint32_t u = d->rep[cu], w = d->rep[cw], l, m;
		const struct bfmt_type *t;

		if (cu == cw || uf_find(cs->uf, cu) == uf_find(cs->uf, cw))
			continue;
		if (cs->fwd_stamp[cu] == cs->stamp) {
			if (cs->fwd_to[cu] != cw)
				return 0;
			continue;
		}
		if (cs->bwd_stamp[cw] == cs->stamp)
			return 0;	/* cw is already paired with another class */
		if (++visited > WALK_MAX || u == UINT32_MAX || w == UINT32_MAX)
			return 0;
		cs->fwd_to[cu] = cw;
		cs->fwd_stamp[cu] = cs->stamp;
		cs->bwd_stamp[cw] = cs->stamp;
		if (fwd_defines(d, cs->kind, u, w) || fwd_defines(d, cs->kind, w, u)) {
			if (vec_push(&cs->pairs))
				return -ENOMEM;
			*vec_last(&cs->pairs) = fwd_defines(d, cs->kind, u, w)
							? (uint64_t)cu << 32 | cw
							: (uint64_t)cw << 32 | cu;
			continue;
		}
		t = node_type(d, u);
		if (!t || d->init_block[u] != d->init_block[w] || bfmt_kind(t) == BFMT_KIND_FWD)
			return 0;
		if (vec_push(&cs->eqs))
			return -ENOMEM;
		*vec_last(&cs->eqs) = (uint64_t)cu << 32 | cw;
		m = cs->out_start[u + 1] - cs->out_start[u];
		for (l = 0; l < m && !err; l++)
			err = walk_push(cs, d->block[edge_head(cs, u, l)],
					d->block[edge_head(cs, w, l)]);
	}
	*match_ret = !err;
	return err;
}

static void uf_union(uint32_t *uf, uint32_t a, uint32_t b)
{
	a = uf_find(uf, a);
	b = uf_find(uf, b);
	if (a != b)
		uf[a > b ? a : b] = a < b ? a : b;
}

/*
 * Compare class representative x with the group's representative r: when
 * they match through at least one FWD-vs-definition pair, keep the pairs and
 * union the non-FWD classes the walk paired (equal up to FWD-vs-definition).
 */
static int ctx_compare(struct ctx_state *cs, uint32_t r, uint32_t x)
{
	bool match;
	size_t i;
	int err = ctx_walk(cs, r, x, &match);

	if (err || !match)
		return err;
	for (i = 0; i < cs->pairs.len; i++) {
		if (vec_push(&cs->all_pairs))
			return -ENOMEM;
		*vec_last(&cs->all_pairs) = cs->pairs.v[i];
	}
	for (i = 0; i < cs->eqs.len; i++)
		uf_union(cs->uf, (uint32_t)(cs->eqs.v[i] >> 32), (uint32_t)cs->eqs.v[i]);
	return 0;
}

/*
 * After all comparisons: each FWD class resolves to the smallest
 * representative of the union-find set of the definitions it was paired
 * with, when all those definitions fall into one set.
 */
static void ctx_decide(struct ctx_state *cs)
{
	const struct dedup *d = cs->d;
	uint32_t c;
	size_t i;

	for (c = 0; c < d->nr; c++)
		cs->minrep[c] = UINT32_MAX;
	for (c = 0; c < d->nr; c++) {
		uint32_t root = uf_find(cs->uf, c);

		if (d->rep[c] < cs->minrep[root])
			cs->minrep[root] = d->rep[c];
	}
	for (i = 0; i < cs->all_pairs.len; i++)
		ctx_note(cs, (uint32_t)(cs->all_pairs.v[i] >> 32),
			 uf_find(cs->uf, (uint32_t)cs->all_pairs.v[i]));
}

/* Sort keys: initial block << 32 | node, so a group is in id order. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int ctx_setup(struct ctx_state *cs)
{
	const struct dedup *d = cs->d;
	uint32_t v, e;

	cs->out_start = calloc((size_t)d->nr + 1, sizeof(*cs->out_start));
	cs->res = calloc(d->nr, sizeof(*cs->res));
	cs->uf = malloc((size_t)d->nr * sizeof(*cs->uf));
	cs->minrep = malloc((size_t)d->nr * sizeof(*cs->minrep));
	cs->fwd_to = malloc((size_t)d->nr * sizeof(*cs->fwd_to));
	cs->fwd_stamp = calloc(d->nr, sizeof(*cs->fwd_stamp));
	cs->bwd_stamp = calloc(d->nr, sizeof(*cs->bwd_stamp));
	cs->kind = calloc(d->nr, sizeof(*cs->kind));
	if (!cs->out_start || !cs->res || !cs->uf || !cs->minrep || !cs->fwd_to ||
	    !cs->fwd_stamp || !cs->bwd_stamp || !cs->kind)
		return -ENOMEM;
	/* One read of each record: its kind, and whether it represents a
	 * class of structs or unions. */
	for (v = 1; v < d->nr; v++) {
		const struct bfmt_type *t = node_type(d, v);
		enum bfmt_kind k = bfmt_kind(t);

		cs->kind[v] = (uint8_t)(k | (bfmt_kflag(t) ? KIND_KFLAG : 0) |
					(t->name_off ? KIND_NAMED : 0));
		if ((k == BFMT_KIND_STRUCT || k == BFMT_KIND_UNION) &&
		    d->rep[d->block[v]] == v) {
			if (vec_push(&cs->reps))
				return -ENOMEM;
			*vec_last(&cs->reps) = (uint64_t)d->init_block[v] << 32 | v;
		}
	}
	for (v = 0; v < d->nr; v++)
		cs->uf[v] = v;
	/* Edges were recorded node by node, in label order. */
	for (e = 0; e < d->tail.len; e++)
		cs->out_start[d->tail.v[e] + 1]++;
	for (v = 0; v < d->nr; v++)
		cs->out_start[v + 1] += cs->out_start[v];
	if (cs->reps.len)
		qsort(cs->reps.v, cs->reps.len, sizeof(*cs->reps.v), cmp_u64);
	return 0;
}

int btfd_resolve_fwds_in_context(struct dedup *d, bool *added_ret)
{
	struct ctx_state cs = { .d = d };
	size_t i, j, k;
	uint32_t v;
	int err;

	*added_ret = false;
	err = ctx_setup(&cs);
	for (i = 0; !err && i < cs.reps.len; i = j) {
		uint32_t r = (uint32_t)cs.reps.v[i], best = UINT32_MAX;

		for (j = i + 1; j < cs.reps.len && cs.reps.v[j] >> 32 == cs.reps.v[i] >> 32; j++)
			;
		if (j - i < 2)
			continue;
		/* The representative: fewest FWD members, then smallest id
		 * (the group is in id order). */
		for (k = i; k < j && best; k++) {
			uint32_t n = nr_fwd_members(&cs, (uint32_t)cs.reps.v[k]);

			if (n < best) {
				best = n;
				r = (uint32_t)cs.reps.v[k];
			}
		}
		for (k = i; k < j && !err; k++)
			if ((uint32_t)cs.reps.v[k] != r)
				err = ctx_compare(&cs, r, (uint32_t)cs.reps.v[k]);
	}
	if (!err)
		ctx_decide(&cs);
	for (v = d->btf->start_id; !err && v < d->nr; v++) {
		uint32_t c = d->block[v];
		const struct bfmt_type *t = node_type(d, v);

		if (d->alias[v] || !cs.res[c] || cs.res[c] == CTX_CONFLICT ||
		    !t || bfmt_kind(t) != BFMT_KIND_FWD)
			continue;
		d->alias[v] = cs.minrep[cs.res[c] - 1];
		d->nr_aliased++;
		d->nr_ctx_aliased++;
		*added_ret = true;
	}
	free(cs.out_start);
	free(cs.res);
	free(cs.uf);
	free(cs.minrep);
	vec_free(&cs.eqs);
	vec_free(&cs.all_pairs);
	vec_free(&cs.reps);
	vec_free(&cs.stack);
	vec_free(&cs.pairs);
	free(cs.fwd_to);
	free(cs.fwd_stamp);
	free(cs.bwd_stamp);
	free(cs.kind);
	return err;
}
