// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfe_dedup_split: the refinement of split BTF when no two base types are
 * equal, without refining the base.
 *
 * WHY
 *
 * A module's split BTF is deduplicated against the whole kernel base: 95
 * thousand base types for a few thousand of the module's, and each
 * refinement (two per pass) splits the base's blocks all over again, with
 * the same answer every time, since base types never point into the split
 * part and are never aliased. On a small module that was a quarter of the
 * run (two refinements of 98 thousand nodes and 209 thousand edges, about
 * 14 ms of 52). A kernel base is a deduplicated table, in which no two types
 * are equal; when that is known, each split type is either equal to exactly
 * one base type or to none, and finding which is a question about the split
 * types alone.
 *
 * HOW
 *
 * 1. A hash of every node's unfolding (the head start's hash of
 *    btfe_dedup_start.c, with 64 bits): round 0 is the key's block, round
 *    k + 1 combines it with round k of the heads, label by label. Equal
 *    nodes get equal hashes at every round (the hash is a function of the
 *    class). A node alone in its key's block keeps its block's hash: it can
 *    only be equal to itself.
 * 2. The proof that the base is discrete: the base nodes that share a key's
 *    block with another node have pairwise different hashes. Different
 *    hashes mean different classes, so then no two base nodes are equal.
 *    The rounds go on until this holds (6 on Debian's 6.1 kernel), up to
 *    SPLIT_ROUNDS_MAX; base hashes depend on base nodes only, so a round
 *    that tells no more of them apart than the last ends the attempt. If
 *    it fails (two base types are equal, or hashes collide), the caller
 *    refines the whole graph as before. The proof and the base's hashes,
 *    round by round, are kept for the pass's next refinement (struct
 *    btfd_split_memo), which then hashes only the split nodes.
 * 3. Candidates: a split node's candidate is the base node of its hash, if
 *    any (at most one, by 2). A split node equal to a base node has that
 *    node as its candidate.
 * 4. Verification, exact: a pair (split x, base y) stands while x and y
 *    have the same key's block and, label by label, x's head is y's head
 *    (a base node; heads are read after the aliases) or a split node whose
 *    pair is y's head. Pairs that
 *    fail are dropped, and so are the pairs whose split heads lost theirs,
 *    until nothing changes: what stands is the largest relation with this
 *    property, a bisimulation between split and base nodes that holds
 *    every equal pair, so exactly the equal pairs.
 * 5. The split nodes left without a pair are refined among themselves
 *    (btfd_refine()), their edges into the base (or into split nodes that
 *    have a pair) entering one sink node per base node, each a block of its
 *    own: two such nodes are equal exactly when the refinement says so, and
 *    none of them is equal to a base node.
 * The blocks: a base node is its own (its id), a paired split node its
 * base node's, the others numbered from start_id on. The driver takes it
 * from there as from btfd_refine() (the numbering carries no meaning).
 *
 * Cost: the rounds over the nodes of shared key blocks (on a small module,
 * 6 rounds over about a third of the base), a hash table of those base
 * nodes per round from the fourth, and work linear in the split part; the
 * pass's next refinement only the split part's. Memory: a few arrays per
 * node, the base's hashes of every round (8 bytes per round for each base
 * node of a shared key block and each base node those enter) and their
 * edges once more (4 bytes each).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_dedup_internal.h"
#include "util/hmap.h"

#define SPLIT_ROUNDS_MAX 32
#define NONE UINT32_MAX

/*
 * What the first refinement of a pass learns, for the next one (the edges'
 * layout, the key blocks and the base's part do not change within a pass;
 * only the split nodes' heads move to their aliases' targets).
 */
struct btfd_split_memo {
	bool tried, distinct;
	uint32_t rounds;	/* the rounds the proof took */
	uint32_t *estart;	/* n + 1: each node's first edge */
	uint32_t *active;	/* nodes of shared key blocks, in id order */
	uint32_t nr_active;
	uint32_t nr_base;	/* the first nr_base of them are base nodes */
	uint32_t *slot;		/* per base node: its place in a round, or NONE */
	uint32_t width;		/* a round: the nr_base active base nodes' hashes,
				 * then those of the other base nodes they
				 * enter (constant: their blocks') */
	uint32_t *bstart;	/* nr_base + 1: each one's first in src */
	uint32_t *src;		/* per edge of theirs: its head's place */
	uint64_t *bh;		/* (rounds + 1) * width: the hashes, by round */
	uint32_t *index;	/* the last round's: slot + 1, open addressing */
	size_t index_mask;
};

void btfd_split_memo_free(struct btfd_split_memo *m)
{
	if (!m)
		return;
	free(m->estart);
	free(m->active);
	free(m->slot);
	free(m->bstart);
	free(m->src);
	free(m->bh);
	free(m->index);
	free(m);
}

struct split {
	const struct dedup *d;
	struct btfd_split_memo *m;
	uint32_t n, start;	/* nodes; the first split node */
	uint64_t *sh, *shn;	/* n - start: split hashes, this round, next */
	uint32_t *pair;		/* n - start: a split node's base node, or NONE */
};

static void split_free(struct split *s)
{
	free(s->sh);
	free(s->shn);
	free(s->pair);
}

/* Edges must be grouped by tail in node order, labels 0, 1, ... (how
 * btfd_build_keys() lays them out), and base nodes enter base nodes only;
 * *ok false otherwise. */
static int split_edges(struct split *s, bool *ok)
{
	const struct dedup *d = s->d;
	struct btfd_split_memo *m = s->m;
	size_t e;

	*ok = false;
	m->estart = calloc((size_t)s->n + 2, sizeof(*m->estart));
	if (!m->estart)
		return -ENOMEM;
	for (e = 0; e < d->tail.len; e++) {
		uint32_t t = d->tail.v[e];

		if (t >= s->n || d->head.v[e] >= s->n || (e && t < d->tail.v[e - 1]) ||
		    (t < s->start && d->head.v[e] >= s->start))
			return 0;	/* (a base node entering a split one: no base) */
		if (d->label.v && d->label.v[e] != m->estart[t + 1])
			return 0;
		m->estart[t + 1]++;
	}
	for (e = 0; e < s->n; e++)
		m->estart[e + 1] += m->estart[e];
	*ok = true;
	return 0;
}

/* Step 1's setup: the active nodes, and the base's round 0. */
static int split_seed(struct split *s)
{
	const struct dedup *d = s->d;
	struct btfd_split_memo *m = s->m;
	uint32_t *count = calloc(d->nr_init_blocks ? d->nr_init_blocks : 1, sizeof(*count));
	uint32_t v, i, j, w, nr_src;

	m->active = malloc((s->n ? s->n : 1) * sizeof(*m->active));
	m->slot = malloc(s->start * sizeof(*m->slot));
	if (!count || !m->active || !m->slot) {
		free(count);
		return -ENOMEM;
	}
	for (v = 0; v < s->n; v++)
		count[d->init_block[v]]++;
	for (v = 0; v < s->n; v++) {
		bool shared = count[d->init_block[v]] > 1;

		if (v < s->start)
			m->slot[v] = shared ? m->nr_active : NONE;
		if (shared)
			m->active[m->nr_active++] = v;
		if (v + 1 == s->start)
			m->nr_base = m->nr_active;
	}
	free(count);
	/* The active base nodes' edges, each as its head's place in a
	 * round; the other heads get places after the active nodes. */
	for (i = 0, nr_src = 0; i < m->nr_base; i++)
		nr_src += m->estart[m->active[i] + 1] - m->estart[m->active[i]];
	m->bstart = malloc(((size_t)m->nr_base + 1) * sizeof(*m->bstart));
	m->src = malloc((nr_src ? nr_src : 1) * sizeof(*m->src));
	if (!m->bstart || !m->src)
		return -ENOMEM;
	w = m->nr_base;
	for (i = 0, nr_src = 0; i < m->nr_base; i++) {
		m->bstart[i] = nr_src;
		for (j = m->estart[m->active[i]]; j < m->estart[m->active[i] + 1]; j++) {
			uint32_t h = d->head.v[j];

			if (m->slot[h] == NONE)
				m->slot[h] = w++;
			m->src[nr_src++] = m->slot[h];
		}
	}
	m->bstart[m->nr_base] = nr_src;
	m->width = w;
	m->bh = malloc((w ? w : 1) * sizeof(*m->bh));
	if (!m->bh)
		return -ENOMEM;
	for (v = 0; v < s->start; v++)
		if (m->slot[v] != NONE)
			m->bh[m->slot[v]] = hash_u64(d->init_block[v]);
	return 0;
}

/* A base node's hash in round k (a node alone in its key's block keeps
 * its block's). */
static inline uint64_t base_hash(const struct split *s, uint32_t v, uint32_t k)
{
	const struct btfd_split_memo *m = s->m;

	return m->slot[v] == NONE ? hash_u64(s->d->init_block[v])
				  : m->bh[(size_t)k * m->width + m->slot[v]];
}

/* Round k of the base's active nodes (heads: base nodes only). */
static int base_round(struct split *s, uint32_t k)
{
	struct btfd_split_memo *m = s->m;
	size_t w = m->width ? m->width : 1;
	uint64_t *bh = realloc(m->bh, ((size_t)k + 1) * w * sizeof(*bh)), *prev, *cur;
	uint32_t i, j;

	if (!bh)
		return -ENOMEM;
	m->bh = bh;
	prev = bh + (k - 1) * w;
	cur = bh + k * w;
	if (m->width > m->nr_base)
		memcpy(cur + m->nr_base, prev + m->nr_base,
		       (m->width - m->nr_base) * sizeof(*cur));
	for (i = 0; i < m->nr_base; i++) {
		uint64_t x = bh[i];	/* round 0: its block's hash */

		for (j = m->bstart[i]; j < m->bstart[i + 1]; j++)
			x = x * 0x100000001b3ULL + prev[m->src[j]];
		cur[i] = hash_u64(x);
	}
	return 0;
}

/* Step 2: index the active base nodes by their round-k hash; *nr_distinct:
 * how many hashes they have (all distinct: one each). */
static int base_index(struct split *s, uint32_t k, uint32_t *nr_distinct)
{
	struct btfd_split_memo *m = s->m;
	const uint64_t *h = m->bh + (size_t)k * m->width;
	size_t cap = 16, i;
	uint32_t a;

	*nr_distinct = 0;
	while (cap < (size_t)m->nr_base * 2)
		cap <<= 1;
	if (!m->index) {
		m->index = malloc(cap * sizeof(*m->index));
		if (!m->index)
			return -ENOMEM;
	}
	memset(m->index, 0, cap * sizeof(*m->index));
	m->index_mask = cap - 1;
	for (a = 0; a < m->nr_base; a++) {
		for (i = h[a] & m->index_mask; m->index[i]; i = (i + 1) & m->index_mask)
			if (h[m->index[i] - 1] == h[a])
				break;
		if (!m->index[i]) {
			m->index[i] = a + 1;
			++*nr_distinct;
		}
	}
	return 0;
}

/* Steps 1 and 2 for the base, once per pass. */
static int base_prove(struct split *s)
{
	struct btfd_split_memo *m = s->m;
	uint32_t k, nr = 0, last = 0;
	bool ok = false;
	int err = split_edges(s, &ok);

	m->tried = true;
	if (!err && ok)
		err = split_seed(s);
	for (k = 1; !err && ok && !m->distinct && k <= SPLIT_ROUNDS_MAX; k++) {
		err = base_round(s, k);
		/* The proof is cheap next to a round, but not free: tried
		 * from round 4 on (the base of Debian's 6.1 kernel needs 6).
		 * Base hashes depend on base nodes only, so once a round
		 * tells no more of them apart, none will: stop there. */
		if (err || k < 4)
			continue;
		err = base_index(s, k, &nr);
		m->distinct = !err && nr == m->nr_base;
		m->rounds = k;
		if (!err && !m->distinct && nr == last)
			break;
		last = nr;
	}
	if (err)
		m->distinct = false;
	return err;
}

/* Step 1 for the split nodes: their hashes in the proof's last round. */
static int split_hashes(struct split *s)
{
	const struct btfd_split_memo *m = s->m;
	const uint32_t *head = s->d->head.v;
	uint32_t nsplit = s->n - s->start, x, k, a;
	uint64_t *t;

	s->sh = malloc((nsplit ? nsplit : 1) * sizeof(*s->sh));
	s->shn = malloc((nsplit ? nsplit : 1) * sizeof(*s->shn));
	if (!s->sh || !s->shn)
		return -ENOMEM;
	for (x = 0; x < nsplit; x++)
		s->sh[x] = s->shn[x] = hash_u64(s->d->init_block[s->start + x]);
	for (k = 1; k <= m->rounds; k++) {
		for (a = m->nr_base; a < m->nr_active; a++) {
			uint32_t v = m->active[a], j;
			uint64_t h = hash_u64(s->d->init_block[v]);

			for (j = m->estart[v]; j < m->estart[v + 1]; j++)
				h = h * 0x100000001b3ULL +
				    (head[j] < s->start ? base_hash(s, head[j], k - 1)
							: s->sh[head[j] - s->start]);
			s->shn[v - s->start] = hash_u64(h);
		}
		t = s->sh;
		s->sh = s->shn;
		s->shn = t;
	}
	return 0;
}

/* The base node of the last round's hash h, or NONE. */
static uint32_t split_lookup(const struct split *s, uint64_t h)
{
	const struct btfd_split_memo *m = s->m;
	const uint64_t *bh = m->bh + (size_t)m->rounds * m->width;
	size_t i;

	for (i = h & m->index_mask; m->index[i]; i = (i + 1) & m->index_mask)
		if (bh[m->index[i] - 1] == h)
			return m->active[m->index[i] - 1];
	return NONE;
}

/* The base node that head v stands for (itself, or its pair), or NONE. */
static uint32_t split_base_of(const struct split *s, uint32_t v)
{
	return v < s->start ? v : s->pair[v - s->start];
}

/* Step 4's local check of the pair (x, its base node). */
static bool split_pair_holds(const struct split *s, uint32_t x)
{
	const struct dedup *d = s->d;
	uint32_t y = s->pair[x - s->start], j, k, nx = s->m->estart[x + 1] - s->m->estart[x];

	if (d->init_block[x] != d->init_block[y] || nx != s->m->estart[y + 1] - s->m->estart[y])
		return false;
	for (j = s->m->estart[x], k = s->m->estart[y]; j < s->m->estart[x + 1]; j++, k++)
		if (split_base_of(s, d->head.v[j]) != d->head.v[k])
			return false;
	return true;
}

/* Steps 3 and 4. */
static int split_pairs(struct split *s)
{
	const struct dedup *d = s->d;
	uint32_t nsplit = s->n - s->start, x, i, top = 0;
	uint32_t *pstart = calloc((size_t)nsplit + 1, sizeof(*pstart));
	uint32_t *preds = NULL, *stack = NULL;
	size_t e;

	s->pair = malloc((nsplit ? nsplit : 1) * sizeof(*s->pair));
	if (!pstart || !s->pair)
		goto nomem;
	for (x = s->start; x < s->n; x++) {
		uint32_t y = split_lookup(s, s->sh[x - s->start]);

		/* The test hook: a node without a candidate gets a wrong
		 * one, which step 4 alone must turn down. */
		if (y == NONE && d->opts->force_collisions)
			y = (uint32_t)(hash_u64(x) % s->start);
		s->pair[x - s->start] = y;
	}
	/* Who enters each split node, among the split nodes. */
	for (e = s->m->estart[s->start]; e < s->m->estart[s->n]; e++)
		if (d->head.v[e] >= s->start)
			pstart[d->head.v[e] - s->start]++;
	for (x = 0; x < nsplit; x++)
		pstart[x + 1] += pstart[x];
	preds = malloc((pstart[nsplit] ? pstart[nsplit] : 1) * sizeof(*preds));
	stack = malloc((nsplit ? nsplit : 1) * sizeof(*stack));
	if (!preds || !stack)
		goto nomem;
	for (x = s->n; x-- > s->start;)
		for (e = s->m->estart[x]; e < s->m->estart[x + 1]; e++)
			if (d->head.v[e] >= s->start)
				preds[--pstart[d->head.v[e] - s->start]] = x;
	/* A pair that fails is dropped, and with it every pair whose split
	 * head it was: those needed it. */
	for (x = s->start; x < s->n; x++) {
		if (s->pair[x - s->start] == NONE || split_pair_holds(s, x))
			continue;
		s->pair[x - s->start] = NONE;
		stack[top++] = x;
		while (top) {
			uint32_t t = stack[--top] - s->start;

			for (i = pstart[t]; i < pstart[t + 1]; i++) {
				uint32_t p = preds[i];

				if (s->pair[p - s->start] != NONE) {
					s->pair[p - s->start] = NONE;
					stack[top++] = p;
				}
			}
		}
	}
	free(pstart);
	free(preds);
	free(stack);
	return 0;
nomem:
	free(pstart);
	free(preds);
	free(stack);
	return -ENOMEM;
}

/* Step 5, and the blocks. */
static int split_rest(struct split *s, uint32_t *block)
{
	const struct dedup *d = s->d;
	uint32_t nsplit = s->n - s->start, nu = 0, ns = 0, nb = 0, x, v;
	uint32_t *local = malloc((nsplit ? nsplit : 1) * sizeof(*local));
	uint32_t *dense = NULL, *init = NULL, *tail = NULL, *head = NULL, *gblock = NULL;
	uint32_t *renum = NULL, nr_labels = 1;
	struct hmap sink;	/* base node -> its sink's number */
	size_t e, ne = 0;
	int err = -ENOMEM;

	hmap_init(&sink);
	if (!local)
		goto out;
	for (v = 0; v < s->start; v++)
		block[v] = v;
	for (x = s->start; x < s->n; x++) {
		uint32_t y = s->pair[x - s->start];

		local[x - s->start] = y == NONE ? nu++ : NONE;
		if (y != NONE)
			block[x] = y;
		else
			ne += s->m->estart[x + 1] - s->m->estart[x];
	}
	err = 0;
	if (!nu)
		goto out;
	err = -ENOMEM;
	tail = malloc((ne ? ne : 1) * sizeof(*tail));
	head = malloc((ne ? ne : 1) * sizeof(*head));
	if (!tail || !head)
		goto out;
	/* Edges of the unpaired nodes; heads: unpaired nodes 0..nu-1, then
	 * one sink per base node entered. */
	for (x = s->start, ne = 0; x < s->n; x++) {
		if (local[x - s->start] == NONE)
			continue;
		if (s->m->estart[x + 1] - s->m->estart[x] > nr_labels)
			nr_labels = s->m->estart[x + 1] - s->m->estart[x];
		for (e = s->m->estart[x]; e < s->m->estart[x + 1]; e++, ne++) {
			uint32_t h = d->head.v[e], b = split_base_of(s, h);
			uint64_t at;

			tail[ne] = local[x - s->start];
			if (b == NONE) {
				head[ne] = local[h - s->start];
				continue;
			}
			if (!hmap_get(&sink, b, &at)) {
				at = ns++;
				if (hmap_set(&sink, b, at))
					goto out;
			}
			head[ne] = nu + (uint32_t)at;
		}
	}
	init = malloc(((size_t)nu + ns) * sizeof(*init));
	gblock = malloc(((size_t)nu + ns) * sizeof(*gblock));
	dense = malloc((d->nr_init_blocks ? d->nr_init_blocks : 1) * sizeof(*dense));
	renum = malloc(((size_t)nu + ns) * sizeof(*renum));
	if (!init || !gblock || !dense || !renum)
		goto out;
	for (v = 0; v < d->nr_init_blocks; v++)
		dense[v] = NONE;
	for (x = s->start; x < s->n; x++) {
		uint32_t l = local[x - s->start], k = d->init_block[x];

		if (l == NONE)
			continue;
		if (dense[k] == NONE)
			dense[k] = nb++;
		init[l] = dense[k];
	}
	for (v = 0; v < ns; v++)
		init[nu + v] = nb++;
	{
		struct btfd_graph g = {
			.nr_nodes = nu + ns, .nr_edges = (uint32_t)ne,
			.tail = tail, .head = head, .nr_labels = nr_labels,
			.init_block = init, .nr_init_blocks = nb,
		};

		err = btfd_refine(&g, gblock);
	}
	if (err)
		goto out;
	/* Numbered from start_id on in order of first node: fewer than the
	 * split nodes, so below d->nr. */
	for (v = 0; v < nu + ns; v++)
		renum[v] = NONE;
	for (x = s->start, nb = 0; x < s->n; x++) {
		uint32_t l = local[x - s->start];

		if (l == NONE)
			continue;
		if (renum[gblock[l]] == NONE)
			renum[gblock[l]] = s->start + nb++;
		block[x] = renum[gblock[l]];
	}
out:
	hmap_deinit(&sink);
	free(local);
	free(dense);
	free(init);
	free(tail);
	free(head);
	free(gblock);
	free(renum);
	return err;
}

int btfd_split_refine(struct dedup *d, uint32_t *block, bool *done)
{
	struct split s = { .d = d, .n = d->nr, .start = d->btf->start_id };
	int err = 0;

	*done = false;
	if (s.start <= 1 || s.start > s.n)
		return 0;
	if (!d->split_memo) {
		d->split_memo = calloc(1, sizeof(*d->split_memo));
		if (!d->split_memo)
			return -ENOMEM;
	}
	s.m = d->split_memo;
	if (!s.m->tried)
		err = base_prove(&s);
	if (!err && s.m->distinct)
		err = split_hashes(&s);
	if (!err && s.m->distinct)
		err = split_pairs(&s);
	if (!err && s.m->distinct)
		err = split_rest(&s, block);
	split_free(&s);
	*done = !err && s.m->distinct;
	return err;
}
