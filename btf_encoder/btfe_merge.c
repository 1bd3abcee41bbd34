// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfe_merge: fold each unit's freshly encoded types into the table, so
 * that a type some earlier unit already produced is not stored again.
 *
 * WHY
 *
 * Every unit of a kernel repeats the types of the headers it includes: the
 * 2,170 units of Debian's 6.1 vmlinux encode 3.4 million types that describe
 * about 825 thousand structurally distinct ones. Appending them all and
 * deduplicating at the end costs a table, and a refinement, four times as
 * large as needed. Here each unit's types are compared with the table as
 * soon as they are encoded; the ones already there take the existing ids,
 * only the others stay.
 *
 * HOW
 *
 * The unit's types are the ids [first, end) of the table (the fragment).
 * Their references stay inside the fragment, except to void and to the
 * array index type (one int shared by every unit).
 *
 * 1. A hash per fragment type that two structurally equal types always share
 *    (bisimulation-invariant): h0 hashes the record with its type ids zeroed
 *    (strings are offsets in the one string table, so equal names hash
 *    equal); h(k+1) combines h0 with h(k) of each referenced type, in order;
 *    a type without references keeps h0 at every level. After MERGE_ROUNDS
 *    rounds this is a hash of the type's unfolding to that depth, cycles
 *    included. Types outside the fragment enter with the hash they were
 *    stored with (they are referenceless ints or void, see above, so that is
 *    the same value).
 * 2. For each fragment type in id order that is not decided yet, the earlier
 *    types of equal hash are candidates; a lock-step walk over (fragment
 *    type, earlier type) pairs checks one: equal records up to ids, and
 *    references leading to pairs that check again; each fragment type is
 *    paired with one earlier type only (a hypothesis; cycles close on it).
 *    When the walk succeeds, every pair it made is a match (the pairs form a
 *    bisimulation, so each match is exact); when it fails, the next
 *    candidate is tried; a type no candidate matches is new.
 *    A walk can only fail wrongly if the table held two equal types (the
 *    type would be paired with one where the walk needs the other); step 2b
 *    sees to it that it does not.
 * 2b. The new types of the unit are refined among themselves (two anonymous
 *    unions of one layout are two DIEs): equal ones keep the first.
 * 3. The new types are compacted to ids first, first+1, ... in their order,
 *    every reference rewritten (to the earlier id for a match, to the new id
 *    for a new type), and their hashes are indexed for the next units.
 *
 * By induction the unit types in the table are pairwise distinct: this is
 * the structural quotient of the concatenation, in first-occurrence order.
 * Only structurally equal types are merged and the earliest copy keeps its
 * place, so the final btfd_dedup() gives exactly what it gives on the
 * concatenation (btfe_dedup.c, THE QUOTIENT FIRST). The functions,
 * variables and their prototypes added at btfe_encoder__finish() do not
 * come through here (their hashes would not be comparable, see step 1):
 * the final dedup merges them (17 thousand prototypes on vmlinux).
 *
 * Measured on Debian's 6.1 vmlinux: 3.4 million encoded unit types leave
 * 825 thousand in the table; peak RSS of the whole run 818 -> 403 MB.
 * MERGE_ROUNDS trades hashing for walks: with 12 rounds, equal hashes of
 * types that differ deeper (a forward declaration 20 pointers away) cost
 * four times as much in failed walks; 24 is about the best.
 *
 * Cost: O(MERGE_ROUNDS * references) for the hashes, and walks that
 * succeed visit each fragment type once. Memory: 12 bytes per stored type
 * plus the hash index, and per-fragment scratch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_dedup_internal.h"
#include "btfe_internal.h"
#include "src/util/vec.h"

#define MERGE_ROUNDS 24

struct words {
	uint32_t *v;
	size_t len, cap;
};

/* Per-fragment scratch: fragment types are indexed from 0 (= id first). */
struct frag {
	struct btfe_merge *m;
	struct bfmt_btf *btf;
	uint32_t first, n;
	uint32_t *edge_start;	/* n + 1: first reference of each type */
	struct words edges;	/* referenced ids, type by type, in order */
	struct words pos;	/* per edge: its word in the type's record */
	uint64_t *h0, *h, *hn;	/* n each: hashes (step 1) */
	uint32_t *to;		/* n: 0 undecided, NEW, or the earlier id */
	uint32_t *hyp;		/* n: the current walk's pairing */
	uint32_t *stamp;	/* n: the walk that set hyp */
	uint32_t walk;
	struct {
		uint64_t *v;	/* pairs to check: local << 32 | earlier id */
		size_t len, cap;
	} stack;
	struct words paired;	/* locals the current walk paired */
	struct words ka;	/* scratch record */
};

static const uint32_t NEW = UINT32_MAX;

void btfe_merge_deinit(struct btfe_merge *m)
{
	vec_free(&m->hash);
	vec_free(&m->next);
	free(m->index);
	m->index = NULL;
	m->index_cap = m->index_len = 0;
}

/*
 * The hash index (struct btfe_merge.index): 3.4 million lookups on a kernel,
 * at random in 825 thousand entries, so one cache line per probe matters.
 * The hashes are mixed already; the slot is their low bits.
 */
static struct btfe_merge_slot *index_slot(const struct btfe_merge *m, uint32_t start, uint64_t h)
{
	size_t mask = m->index_cap - 1, i = (size_t)h & mask;
	uint32_t tag = (uint32_t)(h >> 32);

	for (;; i = (i + 1) & mask) {
		struct btfe_merge_slot *s = &m->index[i];

		if (!s->id || (s->tag == tag && m->hash.v[s->id - start] == h))
			return s;
	}
}

/* The last id stored with hash h, or 0. */
static uint32_t index_get(const struct btfe_merge *m, uint32_t start, uint64_t h)
{
	return m->index_cap ? index_slot(m, start, h)->id : 0;
}

/*
 * Twice the slots, every stored id placed again in id order: each hash's
 * slot ends holding its last id, as before, and the stored hashes are read
 * in order instead of at random through the old slots.
 */
static int index_grow(struct btfe_merge *m, uint32_t start)
{
	size_t ncap = m->index_cap ? m->index_cap * 2 : 1024, i;
	struct btfe_merge_slot *index = calloc(ncap, sizeof(*index));

	if (!index)
		return -ENOMEM;
	free(m->index);
	m->index = index;
	m->index_cap = ncap;
	m->index_len = 0;
	for (i = 0; i < m->hash.len; i++) {
		struct btfe_merge_slot *s = index_slot(m, start, m->hash.v[i]);

		m->index_len += !s->id;
		s->id = start + (uint32_t)i;
		s->tag = (uint32_t)(m->hash.v[i] >> 32);
	}
	return 0;
}

/* Make id (whose hash is in hash[] already) the last one of its hash;
 * *last gets the one before it, or 0. */
static int index_put(struct btfe_merge *m, uint32_t start, uint32_t id, uint32_t *last)
{
	uint64_t h = m->hash.v[id - start];
	struct btfe_merge_slot *s;

	if ((m->index_len + 1) * 4 >= m->index_cap * 3) {
		*last = index_get(m, start, h);
		return index_grow(m, start);	/* places id too, last of its hash */
	}
	s = index_slot(m, start, h);
	*last = s->id;
	m->index_len += !s->id;
	s->id = id;
	s->tag = (uint32_t)(h >> 32);
	return 0;
}

/* A copy of t's record, into buf. */
static int record_of(const struct bfmt_type *t, struct words *buf)
{
	long size = bfmt_type__size(t);
	size_t words;

	if (size < 0)
		return -EINVAL;
	words = (size_t)size / 4;
	buf->len = 0;
	if (vec_reserve(buf, words))
		return -ENOMEM;
	memcpy(buf->v, t, (size_t)size);
	buf->len = words;
	return 0;
}

struct edge_ctx {
	struct frag *f;
	const uint32_t *rec;
};

/* One reference in the copy of a fragment type's record: its id and
 * where it sits are kept, and the copy's field is zeroed (the key). */
static int push_edge(uint32_t *field, void *ctx)
{
	struct edge_ctx *ec = ctx;

	if (vec_push(&ec->f->edges) || vec_push(&ec->f->pos))
		return -ENOMEM;
	*vec_last(&ec->f->edges) = *field;
	*vec_last(&ec->f->pos) = (uint32_t)(field - ec->rec);
	*field = 0;
	return 0;
}

static int frag_init(struct frag *f, struct btfe_merge *m, struct bfmt_btf *btf,
		     uint32_t first)
{
	uint32_t i, n;
	size_t cells;
	int err;

	memset(f, 0, sizeof(*f));
	f->m = m;
	f->btf = btf;
	f->first = first;
	f->n = n = bfmt_btf__nr_types(btf) - first;
	cells = n ? n : 1;
	f->edge_start = calloc((size_t)n + 1, sizeof(*f->edge_start));
	f->h0 = calloc(cells, sizeof(*f->h0));
	f->h = calloc(cells, sizeof(*f->h));
	f->hn = calloc(cells, sizeof(*f->hn));
	f->to = calloc(cells, sizeof(*f->to));
	f->hyp = calloc(cells, sizeof(*f->hyp));
	f->stamp = calloc(cells, sizeof(*f->stamp));
	if (!f->edge_start || !f->h0 || !f->h || !f->hn || !f->to || !f->hyp || !f->stamp)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct edge_ctx ec = { .f = f };

		f->edge_start[i] = (uint32_t)f->edges.len;
		err = record_of(bfmt_btf__type(btf, first + i), &f->ka);
		ec.rec = f->ka.v;
		if (!err)
			err = bfmt_type__visit_ids((struct bfmt_type *)f->ka.v, push_edge, &ec);
		if (err)
			return err;
		f->h0[i] = hash_bytes(f->ka.v, f->ka.len * 4, 0);
	}
	f->edge_start[n] = (uint32_t)f->edges.len;
	return 0;
}

static void frag_deinit(struct frag *f)
{
	free(f->edge_start);
	free(f->h0);
	free(f->h);
	free(f->hn);
	free(f->to);
	free(f->hyp);
	free(f->stamp);
	vec_free(&f->edges);
	vec_free(&f->pos);
	vec_free(&f->stack);
	vec_free(&f->paired);
	vec_free(&f->ka);
}

/* The stored hash of an earlier id (void and unknown ids: 0). */
static uint64_t stored_hash(const struct btfe_merge *m, const struct bfmt_btf *btf,
			    uint32_t id)
{
	if (id < btf->start_id || id - btf->start_id >= m->hash.len)
		return 0;
	return m->hash.v[id - btf->start_id];
}

/*
 * Step 1. Each reference is first made an index into one array of hashes:
 * a fragment type's own slot, or a slot after them holding an outside
 * type's stored hash (void and the index type: constant over the rounds).
 * Only the types with references are rehashed each round; the others keep
 * h0 in both arrays. The rounds then have no branch and no copy.
 */
static int frag_hash(struct frag *f)
{
	uint32_t n = f->n, nr_edges = f->edge_start[n], i, r, e, nr_out = 0, nr_active = 0;
	uint32_t *loc = malloc(((size_t)nr_edges + 1) * sizeof(*loc));
	uint32_t *active = malloc(((size_t)n + 1) * sizeof(*active));
	uint64_t *out_hash = NULL, *h, *hn;
	struct hmap out;	/* outside id -> its slot - n */
	int err = -ENOMEM;

	hmap_init(&out);
	if (!loc || !active)
		goto done;
	for (e = 0; e < nr_edges; e++) {
		uint32_t id = f->edges.v[e];
		uint64_t slot;

		if (id >= f->first) {
			loc[e] = id - f->first;
			continue;
		}
		if (!hmap_get(&out, id, &slot)) {
			uint64_t *grown = realloc(out_hash, ((size_t)nr_out + 1) * sizeof(*grown));

			if (!grown || hmap_set(&out, id, nr_out)) {
				free(grown ? grown : out_hash);
				out_hash = NULL;
				goto done;
			}
			out_hash = grown;
			out_hash[nr_out] = stored_hash(f->m, f->btf, id);
			slot = nr_out++;
		}
		loc[e] = n + (uint32_t)slot;
	}
	h = realloc(f->h, ((size_t)n + nr_out + 1) * sizeof(*h));
	if (h)
		f->h = h;
	hn = realloc(f->hn, ((size_t)n + nr_out + 1) * sizeof(*hn));
	if (hn)
		f->hn = hn;
	if (!h || !hn)
		goto done;
	for (i = 0; i < n; i++) {
		h[i] = hn[i] = f->h0[i];
		if (f->edge_start[i + 1] > f->edge_start[i])
			active[nr_active++] = i;
	}
	for (i = 0; i < nr_out; i++)
		h[n + i] = hn[n + i] = out_hash[i];
	for (r = 0; r < MERGE_ROUNDS; r++) {
		uint64_t *t;

		for (i = 0; i < nr_active; i++) {
			uint32_t x = active[i];
			uint64_t v = f->h0[x];

			/* Horner over the (mixed) references, one mix per
			 * type: the dependency chain per reference is one
			 * multiply, not a whole mix. */
			for (e = f->edge_start[x]; e < f->edge_start[x + 1]; e++)
				v = v * 0x100000001b3ULL + h[loc[e]];
			hn[x] = hash_u64(v);
		}
		t = h;
		h = hn;
		hn = t;
	}
	f->h = h;	/* the last round's */
	f->hn = hn;
	err = 0;
done:
	free(loc);
	free(active);
	free(out_hash);
	hmap_deinit(&out);
	return err;
}

/* Ask for the cache lines a check of earlier id y reads first: its stored
 * hash and where its record is. */
static void prefetch_stored(const struct frag *f, uint32_t y)
{
	uint32_t at = y - f->btf->start_id;

	if (y >= f->btf->start_id && at < f->m->hash.len) {
		__builtin_prefetch(&f->m->hash.v[at]);
		__builtin_prefetch(&f->btf->offs.v[at]);
	}
}

static int push_pair(struct frag *f, uint32_t local, uint32_t earlier)
{
	if (vec_push(&f->stack))
		return -ENOMEM;
	prefetch_stored(f, earlier);
	*vec_last(&f->stack) = (uint64_t)local << 32 | earlier;
	return 0;
}

/* Does local x's record equal earlier id y's, ids aside? If so, push the
 * pairs their references make (references out of the fragment must be
 * the same id). Equal infos mean equal layouts: the records are compared
 * in place, word by word, x's reference positions telling which words are
 * ids (pushed pairs of a failed check are never looked at). */
static int check_pair(struct frag *f, uint32_t x, uint32_t y, bool *ok)
{
	const struct bfmt_type *tx = bfmt_btf__type(f->btf, f->first + x);
	const struct bfmt_type *ty = y ? bfmt_btf__type(f->btf, y) : NULL;
	const uint32_t *rx = (const uint32_t *)tx, *ry = (const uint32_t *)ty;
	uint32_t e = 0, nx = f->edge_start[x + 1] - f->edge_start[x];
	/* (A fragment without references has no edge arrays at all.) */
	const uint32_t *ids = nx ? f->edges.v + f->edge_start[x] : NULL;
	const uint32_t *pos = nx ? f->pos.v + f->edge_start[x] : NULL;
	size_t w, words;
	long size;
	int err;

	*ok = false;
	if (!ty || tx->info != ty->info || f->h[x] != stored_hash(f->m, f->btf, y))
		return 0;
	size = bfmt_type__size(tx);
	if (size < 0)
		return -EINVAL;
	words = (size_t)size / 4;
	for (w = 0; w < words; w++) {
		if (e < nx && pos[e] == w) {
			uint32_t a = ids[e++], b = ry[w];

			if (a < f->first) {
				if (a != b)
					return 0;
				continue;
			}
			err = push_pair(f, a - f->first, b);
			if (err)
				return err;
			continue;
		}
		if (rx[w] != ry[w])
			return 0;
	}
	*ok = e == nx;
	return 0;
}

/* Step 2: one candidate. On success every pair made is a match. */
static int walk(struct frag *f, uint32_t x0, uint32_t y0, bool *ok_ret)
{
	bool ok = true;
	size_t i;
	int err;

	if (++f->walk == 0) {
		memset(f->stamp, 0, (size_t)f->n * sizeof(*f->stamp));
		f->walk = 1;
	}
	f->stack.len = 0;
	f->paired.len = 0;
	err = push_pair(f, x0, y0);
	while (!err && ok && f->stack.len) {
		uint64_t top = f->stack.v[--f->stack.len];
		uint32_t x = (uint32_t)(top >> 32), y = (uint32_t)top;

		if (f->to[x]) {
			ok = f->to[x] == y;
			continue;
		}
		if (f->stamp[x] == f->walk) {
			ok = f->hyp[x] == y;
			continue;
		}
		f->stamp[x] = f->walk;
		f->hyp[x] = y;
		if (vec_push(&f->paired))
			return -ENOMEM;
		*vec_last(&f->paired) = x;
		err = check_pair(f, x, y, &ok);
	}
	if (err)
		return err;
	if (ok)
		for (i = 0; i < f->paired.len; i++)
			f->to[f->paired.v[i]] = f->hyp[f->paired.v[i]];
	*ok_ret = ok;
	return 0;
}

/*
 * The lookups of step 2 go to random places in tables of megabytes (the
 * index, the stored hashes, the records), one after the other: each waits
 * for memory. Types a few places ahead are looked up in stages, as far as
 * the cache already allows, so that their lines arrive while this one is
 * walked: 16 ahead the index's home slot, 8 ahead what that slot names,
 * 4 ahead its record. Only cache hints: nothing is decided here.
 */
enum { AHEAD_SLOT = 16, AHEAD_STORED = 8, AHEAD_RECORD = 4 };

/* The id in h's home slot when its tag is h's (where index_get() mostly
 * ends), else 0. */
static uint32_t home_id(const struct frag *f, uint32_t x)
{
	const struct btfe_merge_slot *s;
	uint64_t h;

	if (x >= f->n || f->to[x] || !f->m->index_cap)
		return 0;
	h = f->h[x];
	s = &f->m->index[(size_t)h & (f->m->index_cap - 1)];
	return s->tag == (uint32_t)(h >> 32) ? s->id : 0;
}

static void prefetch_ahead(const struct frag *f, uint32_t x)
{
	uint32_t y;

	if (x + AHEAD_SLOT < f->n && !f->to[x + AHEAD_SLOT] && f->m->index_cap)
		__builtin_prefetch(&f->m->index[(size_t)f->h[x + AHEAD_SLOT] &
						 (f->m->index_cap - 1)]);
	y = home_id(f, x + AHEAD_STORED);
	if (y)
		prefetch_stored(f, y);
	y = home_id(f, x + AHEAD_RECORD);
	if (y >= f->btf->start_id && y - f->btf->start_id < f->m->hash.len)
		__builtin_prefetch(bfmt_btf__type(f->btf, y));
}

static int frag_match(struct frag *f)
{
	uint32_t x;
	int err;

	for (x = 0; x < f->n; x++) {
		uint64_t last = 0;
		uint32_t y;
		bool ok = false;

		prefetch_ahead(f, x);
		if (f->to[x])
			continue;
		last = index_get(f->m, f->btf->start_id, f->h[x]);
		if (last)
			for (y = (uint32_t)last; y && !ok;
			     y = f->m->next.v[y - f->btf->start_id]) {
				err = walk(f, x, y, &ok);
				if (err)
					return err;
			}
		if (!ok)
			f->to[x] = NEW;
	}
	return 0;
}

/*
 * Step 2b: the new types of one unit may repeat each other (two anonymous
 * unions of one layout are two DIEs). Left alone they would make the table
 * hold two equal types, and later walks, pairing each type with one only,
 * would then fail where either would do. So the new types are refined among
 * themselves: a key is the record with references to decided types kept
 * (as their ids) and references to new types marked, with the type's hash
 * of step 1 (equal types share it); edges join new types. With the hash in
 * the key nearly every new type starts alone in its block, and a unit
 * whose new types all do needs no refinement (without it, a PTR to one new
 * struct and a PTR to another had the same key, and every unit was
 * refined: 0.17 s of Debian's 6.1 vmlinux). A unit whose new types have
 * pairwise different hashes has no two equal: not even its keys are built.
 * Each class keeps its first type.
 */
struct collapse {
	struct words keys;	/* per new type, its key, back to back */
	uint32_t *key_off;	/* nn + 1 */
	uint64_t *key_hash;	/* nn */
	uint32_t *init;		/* nn: initial block */
	uint32_t *dense;	/* n: local -> new-type index, or UINT32_MAX */
	uint32_t *local;	/* nn: new-type index -> local */
	struct words tail, label, head;
	uint32_t nn, nr_labels, nr_init;
	uint32_t cur, field;	/* while building: the type, its id field */
	const struct frag *f;
};

static const uint32_t NEW_MARK = UINT32_MAX;

static int collapse_field(uint32_t *field, void *ctx)
{
	struct collapse *c = ctx;
	const struct frag *f = c->f;
	uint32_t id = *field, label = c->field++;

	if (label + 1 > c->nr_labels)
		c->nr_labels = label + 1;
	if (id < f->first)
		return 0;
	if (f->to[id - f->first] != NEW) {
		*field = f->to[id - f->first];
		return 0;
	}
	*field = NEW_MARK;
	if (vec_push(&c->tail) || vec_push(&c->label) || vec_push(&c->head))
		return -ENOMEM;
	*vec_last(&c->tail) = c->cur;
	*vec_last(&c->label) = label;
	*vec_last(&c->head) = c->dense[id - f->first];
	return 0;
}

static bool collapse_keys_equal(const struct collapse *c, uint32_t a, uint32_t b)
{
	uint32_t la = c->key_off[a + 1] - c->key_off[a];

	return c->f->h[c->local[a]] == c->f->h[c->local[b]] &&
	       la == c->key_off[b + 1] - c->key_off[b] &&
	       !memcmp(&c->keys.v[c->key_off[a]], &c->keys.v[c->key_off[b]], (size_t)la * 4);
}

static int collapse_number(struct collapse *c)
{
	size_t cap = 16, mask, i;
	uint32_t *slots, v;

	while (cap < (size_t)c->nn * 2)
		cap <<= 1;
	mask = cap - 1;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (v = 0; v < c->nn; v++)
		for (i = c->key_hash[v] & mask;; i = (i + 1) & mask) {
			if (!slots[i]) {
				slots[i] = v + 1;
				c->init[v] = c->nr_init++;
				break;
			}
			if (c->key_hash[slots[i] - 1] == c->key_hash[v] &&
			    collapse_keys_equal(c, slots[i] - 1, v)) {
				c->init[v] = c->init[slots[i] - 1];
				break;
			}
		}
	free(slots);
	return 0;
}

static int collapse_build(struct collapse *c, struct frag *f)
{
	uint32_t x, k;
	int err;

	c->f = f;
	c->dense = malloc((f->n ? f->n : 1) * sizeof(*c->dense));
	if (!c->dense)
		return -ENOMEM;
	for (x = 0; x < f->n; x++) {
		c->dense[x] = UINT32_MAX;
		if (f->to[x] == NEW)
			c->dense[x] = c->nn++;
	}
	c->key_off = calloc((size_t)c->nn + 1, sizeof(*c->key_off));
	c->key_hash = calloc(c->nn ? c->nn : 1, sizeof(*c->key_hash));
	c->init = calloc(c->nn ? c->nn : 1, sizeof(*c->init));
	c->local = calloc(c->nn ? c->nn : 1, sizeof(*c->local));
	if (!c->key_off || !c->key_hash || !c->init || !c->local)
		return -ENOMEM;
	for (x = 0, k = 0; x < f->n; x++) {
		const struct bfmt_type *t;
		long size;
		uint32_t *rec;

		if (f->to[x] != NEW)
			continue;
		t = bfmt_btf__type(f->btf, f->first + x);
		size = bfmt_type__size(t);
		if (size < 0)
			return -EINVAL;
		c->local[k] = x;
		c->key_off[k] = (uint32_t)c->keys.len;
		if (vec_reserve(&c->keys, c->keys.len + (size_t)size / 4))
			return -ENOMEM;
		rec = c->keys.v + c->keys.len;
		memcpy(rec, t, (size_t)size);
		c->keys.len += (size_t)size / 4;
		c->cur = k;
		c->field = 0;
		err = bfmt_type__visit_ids((struct bfmt_type *)rec, collapse_field, c);
		if (err)
			return err;
		c->key_hash[k] = hash_bytes(rec, (size_t)size, f->h[x]);
		k++;
	}
	c->key_off[c->nn] = (uint32_t)c->keys.len;
	return collapse_number(c);
}

static void collapse_free(struct collapse *c)
{
	vec_free(&c->keys);
	vec_free(&c->tail);
	vec_free(&c->label);
	vec_free(&c->head);
	free(c->key_off);
	free(c->key_hash);
	free(c->init);
	free(c->dense);
	free(c->local);
}

/* Do two new types share their hash of step 1? If not, no two are equal
 * and there is nothing to collapse (most units: the keys are not built). */
static int new_hashes_repeat(const struct frag *f, bool *repeat)
{
	size_t cap = 16, mask, i;
	uint64_t *slots;
	uint32_t x;

	*repeat = false;
	while (cap < (size_t)f->n * 2)
		cap <<= 1;
	mask = cap - 1;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (x = 0; x < f->n && !*repeat; x++) {
		uint64_t h = f->h[x] | 1;	/* 0 marks a free slot */

		if (f->to[x] != NEW)
			continue;
		for (i = (size_t)h & mask; slots[i]; i = (i + 1) & mask)
			if (slots[i] == h) {
				*repeat = true;	/* or equal but for the low bit */
				break;
			}
		slots[i] = h;
	}
	free(slots);
	return 0;
}

/* rep[x] (n entries, preset to x) gets the first local of x's class. */
static int frag_collapse(struct frag *f, uint32_t *rep)
{
	struct collapse c = { 0 };
	uint32_t *block = NULL, *first_of = NULL, k;
	bool repeat;
	int err = new_hashes_repeat(f, &repeat);

	if (err || !repeat)
		return err;
	err = collapse_build(&c, f);

	if (!err && c.nn > 1 && c.nr_init < c.nn) {
		struct btfd_graph g = {
			.nr_nodes = c.nn, .nr_edges = (uint32_t)c.tail.len,
			.tail = c.tail.v, .label = c.label.v, .head = c.head.v,
			.nr_labels = c.nr_labels ? c.nr_labels : 1,
			.init_block = c.init, .nr_init_blocks = c.nr_init,
		};

		block = malloc(c.nn * sizeof(*block));
		first_of = malloc(c.nn * sizeof(*first_of));
		if (!block || !first_of)
			err = -ENOMEM;
		if (!err)
			err = btfd_refine(&g, block);
		for (k = 0; !err && k < c.nn; k++)
			first_of[k] = UINT32_MAX;
		for (k = 0; !err && k < c.nn; k++) {
			if (first_of[block[k]] == UINT32_MAX)
				first_of[block[k]] = c.local[k];
			rep[c.local[k]] = first_of[block[k]];
		}
	}
	free(block);
	free(first_of);
	collapse_free(&c);
	return err;
}

struct remap_ctx {
	const struct frag *f;
	const uint32_t *final;
};

static int remap_id(uint32_t *field, void *ctx)
{
	const struct remap_ctx *rc = ctx;

	if (*field >= rc->f->first)
		*field = rc->final[*field - rc->f->first];
	return 0;
}

/* Step 3: keep the new types, compacted; final[x] is x's id from now on. */
static int frag_compact(struct frag *f, uint32_t *final)
{
	struct remap_ctx rc = { .f = f, .final = final };
	struct words out = { 0 };
	uint32_t x, next = f->first, *rep = malloc((f->n ? f->n : 1) * sizeof(*rep));
	size_t at;
	int err = 0;

	if (!rep)
		return -ENOMEM;
	for (x = 0; x < f->n; x++)
		rep[x] = x;
	err = frag_collapse(f, rep);
	for (x = 0; x < f->n; x++) {
		if (f->to[x] != NEW)
			final[x] = f->to[x];
		else if (rep[x] == x)
			final[x] = next++;
		else
			final[x] = final[rep[x]];
	}
	for (x = 0; x < f->n && !err; x++) {
		if (f->to[x] != NEW || rep[x] != x)
			continue;
		err = record_of(bfmt_btf__type(f->btf, f->first + x), &f->ka);
		if (!err)
			err = bfmt_type__visit_ids((struct bfmt_type *)f->ka.v, remap_id, &rc);
		if (!err && vec_reserve(&out, out.len + f->ka.len))
			err = -ENOMEM;
		if (!err) {
			memcpy(out.v + out.len, f->ka.v, f->ka.len * 4);
			out.len += f->ka.len;
		}
	}
	if (!err)
		err = bfmt_btf__truncate(f->btf, f->first);
	for (at = 0; !err && at < out.len;) {
		const struct bfmt_type *t = (const void *)(out.v + at);
		long size = bfmt_type__size(t);
		uint32_t id;
		void *extra;

		err = bfmt_btf__add_type(f->btf, bfmt_kind(t), bfmt_vlen(t), bfmt_kflag(t),
					 t->name_off, t->size_type, &id, &extra);
		if (!err)
			memcpy(extra, bfmt_type_extra(t), (size_t)size - sizeof(*t));
		at += (size_t)size / 4;
	}
	vec_free(&out);
	/* Index the new types' hashes for the units to come. */
	for (x = 0; x < f->n && !err; x++) {
		uint32_t id = final[x];

		if (f->to[x] != NEW || rep[x] != x)
			continue;
		if (vec_push(&f->m->hash) || vec_push(&f->m->next)) {
			err = -ENOMEM;
			break;
		}
		*vec_last(&f->m->hash) = f->h[x];
		err = index_put(f->m, f->btf->start_id, id, vec_last(&f->m->next));
	}
	free(rep);
	return err;
}

int btfe_merge_fragment(struct btfe_merge *m, struct bfmt_btf *btf, uint32_t first,
			uint32_t **final_ret)
{
	struct frag f;
	uint32_t *final;
	int err;

	*final_ret = NULL;
	if (m->hash.len != first - btf->start_id)
		return -EINVAL;		/* every earlier type came through here */
	err = frag_init(&f, m, btf, first);
	final = calloc(f.n ? f.n : 1, sizeof(*final));
	if (!err && !final)
		err = -ENOMEM;
	if (!err)
		err = frag_hash(&f);
	if (!err)
		err = frag_match(&f);
	if (!err)
		err = frag_compact(&f, final);
	frag_deinit(&f);
	if (err) {
		free(final);
		return err;
	}
	*final_ret = final;
	return 0;
}

/*
 * The types btfe_encoder__finish() adds (FUNC_PROTOs of the functions,
 * FUNCs, VARs, DATASECs, DECL_TAGs) refer only to types already in the
 * table, which are pairwise distinct, and to each other in id order. Two of
 * them are equal exactly when their records are, once their references are
 * moved to the types kept: they are folded by their records' bytes, against
 * every earlier type of the same kinds too (a function's prototype may be a
 * function pointer's in some unit). The whole table is then pairwise
 * distinct, and the final dedup need not refine it before it resolves
 * forward declarations.
 */
static bool tail_kind(enum bfmt_kind k)
{
	switch (k) {
	case BFMT_KIND_FUNC_PROTO:
	case BFMT_KIND_FUNC:
	case BFMT_KIND_VAR:
	case BFMT_KIND_DATASEC:
	case BFMT_KIND_DECL_TAG:
		return true;
	default:
		return false;
	}
}

struct tail {
	struct bfmt_btf *btf;
	uint32_t first;
	uint32_t cur;		/* the tail type being folded, - first */
	bool forward;		/* it refers to a later one: leave it all */
	uint32_t *final;	/* per tail type: its id from now on */
	struct hmap index;	/* record hash -> last id of that hash */
	struct words next;	/* per id - start_id: earlier id of that hash */
	struct words rec;	/* scratch */
	struct words out;	/* the kept tail records */
	struct words out_off;	/* per kept tail type: its record in out */
	uint32_t nr_kept;
};

static int tail_remap(uint32_t *field, void *ctx)
{
	struct tail *t = ctx;

	if (*field < t->first)
		return 0;
	if (*field - t->first >= t->cur) {
		t->forward = true;
		return -EAGAIN;
	}
	*field = t->final[*field - t->first];
	return 0;
}

static uint64_t tail_hash(const uint32_t *rec, size_t words)
{
	return hash_bytes(rec, words * 4, 0x7a11);
}

static int tail_index(struct tail *t, uint64_t h, uint32_t id)
{
	uint64_t last = 0;
	uint32_t at = id - t->btf->start_id;

	if (vec_reserve(&t->next, (size_t)at + 1))
		return -ENOMEM;
	while (t->next.len <= at)
		t->next.v[t->next.len++] = 0;
	hmap_get(&t->index, h, &last);
	t->next.v[at] = (uint32_t)last;
	return hmap_set(&t->index, h, id);
}

/* The record of id: in the table before first, else a kept tail type's in
 * out. */
static const uint32_t *tail_record(const struct tail *t, uint32_t id)
{
	if (id < t->first)
		return (const uint32_t *)bfmt_btf__type(t->btf, id);
	return t->out.v + t->out_off.v[id - t->first];
}

/* An earlier (or already kept) type whose record is rec, or 0. */
static uint32_t tail_find(const struct tail *t, uint64_t h, const uint32_t *rec,
			  size_t words)
{
	uint64_t last = 0;
	uint32_t id;

	if (!hmap_get(&t->index, h, &last))
		return 0;
	for (id = (uint32_t)last; id; id = t->next.v[id - t->btf->start_id]) {
		const uint32_t *r = tail_record(t, id);

		if ((size_t)bfmt_type__size((const struct bfmt_type *)r) == words * 4 &&
		    !memcmp(r, rec, words * 4))
			return id;
	}
	return 0;
}

/* Index the earlier types of the tail's kinds by their records. */
static int tail_index_table(struct tail *t)
{
	uint32_t id;
	int err = 0;

	for (id = t->btf->start_id; id < t->first && !err; id++) {
		const struct bfmt_type *ty = bfmt_btf__type(t->btf, id);

		if (tail_kind(bfmt_kind(ty)))
			err = tail_index(t, tail_hash((const uint32_t *)ty,
						      (size_t)bfmt_type__size(ty) / 4), id);
	}
	return err;
}

static int tail_fold(struct tail *t, uint32_t n)
{
	uint32_t x;
	int err = tail_index_table(t);

	for (x = 0; x < n && !err; x++) {
		const struct bfmt_type *ty = bfmt_btf__type(t->btf, t->first + x);
		long size = bfmt_type__size(ty);
		size_t words = (size_t)size / 4;
		uint32_t found = 0;
		uint64_t h;

		err = record_of(ty, &t->rec);
		if (err)
			break;
		t->cur = x;
		err = bfmt_type__visit_ids((struct bfmt_type *)t->rec.v, tail_remap, t);
		if (err)
			break;
		h = tail_hash(t->rec.v, words);
		if (tail_kind(bfmt_kind(ty)))
			found = tail_find(t, h, t->rec.v, words);
		if (found) {
			t->final[x] = found;
			continue;
		}
		t->final[x] = t->first + t->nr_kept;
		if (vec_push(&t->out_off) || vec_reserve(&t->out, t->out.len + words)) {
			err = -ENOMEM;
			break;
		}
		*vec_last(&t->out_off) = (uint32_t)t->out.len;
		memcpy(t->out.v + t->out.len, t->rec.v, words * 4);
		t->out.len += words;
		t->nr_kept++;
		if (tail_kind(bfmt_kind(ty)))
			err = tail_index(t, h, t->final[x]);
	}
	return err;
}

int btfe_merge_tail(struct bfmt_btf *btf, uint32_t first)
{
	struct tail t = { .btf = btf, .first = first };
	uint32_t n = bfmt_btf__nr_types(btf) - first, k;
	int err;

	t.final = calloc(n ? n : 1, sizeof(*t.final));
	if (!t.final)
		return -ENOMEM;
	hmap_init(&t.index);
	err = tail_fold(&t, n);
	if (err == -EAGAIN && t.forward)
		err = 1;	/* not in id order: left as it is */
	if (!err && t.nr_kept < n) {
		err = bfmt_btf__truncate(btf, first);
		for (k = 0; !err && k < t.nr_kept; k++) {
			const struct bfmt_type *ty = (const void *)(t.out.v + t.out_off.v[k]);
			long size = bfmt_type__size(ty);
			uint32_t id;
			void *extra;

			err = bfmt_btf__add_type(btf, bfmt_kind(ty), bfmt_vlen(ty), bfmt_kflag(ty),
						 ty->name_off, ty->size_type, &id, &extra);
			if (!err)
				memcpy(extra, bfmt_type_extra(ty), (size_t)size - sizeof(*ty));
		}
	}
	free(t.final);
	hmap_deinit(&t.index);
	vec_free(&t.next);
	vec_free(&t.rec);
	vec_free(&t.out);
	vec_free(&t.out_off);
	return err;
}
