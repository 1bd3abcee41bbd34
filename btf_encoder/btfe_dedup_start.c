// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfe_dedup_start: where a refinement of a table without a base starts
 * (btfe_dedup.c tells the whole): blocks by key and a hash of each node's
 * unfolding, split again by the lone nodes their edges enter, and only
 * the edges that can still split something.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_dedup_internal.h"
#include "util/hmap.h"
#include "util/par.h"

/*
 * A head start for the refinement: the partition by key and a hash of the
 * node's unfolding to some depth (references combined in order).
 * Bisimilar nodes share both, and a hash collision only makes a block
 * coarser, so the coarsest stable partition refining it is the one
 * refining the keys. On Debian's 6.1 vmlinux it has 514k blocks where the
 * answer has 704k (FWD-vs-definition differences lie deep), and the
 * refinement after it is 0.3 s faster in all (2.4 -> 2.1 s of dedup); in
 * split BTF, whose base nodes split off at once, it costs more than it
 * saves, so it is used only without a base. Rounds hash only the nodes
 * with edges in shared blocks (0.82 -> 0.78 s of vmlinux dedup), and keep
 * 32 bits per node: each round reads the hashes of all heads at random,
 * and half the array is half the cache misses; a collision only makes a
 * block coarser (with 825 thousand nodes, a few dozen pairs).
 *
 * Rounds: the first refinement of a pass (after phase 4 on vmlinux) has its
 * differences deep, and 24 rounds leave less to the refinement than 16;
 * a later one (after phase 4b) is exact within 6 rounds on vmlinux, and
 * an exact start is returned at once (btfd_refine()), so 8 do. Measured on
 * Debian's 6.1 vmlinux, dedup -j1: 16/16 rounds 0.66-0.69 s, 24/16 0.62,
 * 24/8 0.58-0.60, 24/4 0.66 (no longer exact: the refinement runs).
 */
#define WL_ROUNDS_FIRST 24
#define WL_ROUNDS_LATER 8

/* One round over a slice of the active nodes (par_for(): the rounds of
 * Debian's 6.1 vmlinux take 80 ms of each refinement on one thread). */
struct wl_round {
	const struct dedup *d;
	const uint32_t *head, *estart, *active, *h;
	const uint64_t *seed;	/* per active node: its key block, mixed */
	uint32_t *hn;
};

static void wl_round_slice(void *ctx, unsigned part, size_t begin, size_t end)
{
	const struct wl_round *w = ctx;
	size_t a;

	(void)part;
	for (a = begin; a < end; a++) {
		uint32_t v = w->active[a], j;
		uint64_t x = w->seed[a];

		for (j = w->estart[v]; j < w->estart[v + 1]; j++)
			x = x * 0x100000001b3ULL + w->h[w->head[j]];
		w->hn[v] = (uint32_t)hash_u64(x);
	}
}

static bool wl_hash_of(const struct grouping *g, uint32_t v, uint64_t *h)
{
	*h = ((const uint32_t *)g->arg)[v];
	return true;
}

static bool same_key_block(const struct grouping *g, uint32_t u, uint32_t v)
{
	return g->d->init_block[u] == g->d->init_block[v];
}

int btfd_wl_blocks(const struct dedup *d, const uint32_t *head, uint32_t *init,
		     uint32_t *nr_ret)
{
	struct grouping g = { d, NULL, wl_hash_of, same_key_block };
	uint32_t n = d->nr, v, r, nb = 0, nr_active = 0;
	uint32_t *estart = calloc((size_t)n + 1, sizeof(*estart));
	uint32_t *active = malloc((n ? n : 1) * sizeof(*active));
	uint32_t *h = malloc((n ? n : 1) * sizeof(*h)), *hn = malloc((n ? n : 1) * sizeof(*hn));
	uint64_t *seed = NULL;
	size_t e;

	if (!estart || !active || !h || !hn)
		goto nomem;
	/* A node alone in its key's block can only be bisimilar to itself,
	 * so its block number is as good a hash as its unfolding: it stays
	 * fixed, and only the nodes with edges in shared blocks (the
	 * active ones) are hashed again each round. */
	for (v = 0; v < n; v++)
		estart[d->init_block[v]]++;
	for (v = 0; v < n; v++) {
		h[v] = hn[v] = (uint32_t)hash_u64(d->init_block[v]);
		active[v] = estart[d->init_block[v]] > 1;
	}
	memset(estart, 0, ((size_t)n + 1) * sizeof(*estart));
	for (e = 0; e < d->tail.len; e++)
		estart[d->tail.v[e] + 1]++;
	for (v = 0; v < n; v++) {
		if (active[v] && estart[v + 1])
			active[nr_active++] = v;	/* nr_active <= v */
		estart[v + 1] += estart[v];
	}
	seed = malloc((nr_active ? nr_active : 1) * sizeof(*seed));
	if (!seed)
		goto nomem;
	for (v = 0; v < nr_active; v++)
		seed[v] = hash_u64(d->init_block[active[v]]);
	for (r = 0; r < (d->rounds ? WL_ROUNDS_LATER : WL_ROUNDS_FIRST); r++) {
		struct wl_round w = { d, head, estart, active, h, seed, hn };
		uint32_t *t;

		par_for(nr_active, d->opts->jobs, 1u << 15, wl_round_slice, &w);
		t = h;
		h = hn;
		hn = t;
	}
	free(seed);
	seed = NULL;
	g.arg = h;
	if (btfd_group_nodes(&g, n, n, init, &nb))
		goto nomem;
	free(estart);
	free(active);
	free(h);
	free(hn);
	*nr_ret = nb;
	return 0;
nomem:
	free(estart);
	free(active);
	free(seed);
	free(h);
	free(hn);
	return -ENOMEM;
}

/* Do nodes u and v (of one initial block) enter the same lone nodes,
 * label for label? Nodes of one block have the same labels (their keys
 * are equal), so their edges pair up in order. */
static bool same_lone_heads(const struct dedup *d, const uint32_t *estart, const uint8_t *lone,
			    uint32_t u, uint32_t v)
{
	uint32_t k, n = estart[u + 1] - estart[u];

	if (n != estart[v + 1] - estart[v])
		return false;
	for (k = 0; k < n; k++) {
		uint32_t hu = d->head.v[estart[u] + k], hv = d->head.v[estart[v] + k];

		if ((lone[hu] || lone[hv]) && hu != hv)
			return false;
	}
	return true;
}

/*
 * An edge entering a node alone in its initial block need not take part in
 * the refinement either, once the blocks are split by such edges: two
 * nodes whose edges of one label enter different lone nodes (or one a lone
 * node and the other not) share no class in the answer, and nodes entering
 * the same lone nodes stay stable with respect to those edges whatever
 * else splits, since a lone node stays alone. So each block is split first
 * by its nodes' lone heads, label for label (a hash picks where to look,
 * the edges decide), and the refinement then needs only the edges between
 * nodes of shared blocks (btfd_edges_of_shared_blocks()). The coarsest stable
 * partition is the same: the split is one every stable refinement makes.
 * On Debian's 6.1 vmlinux this leaves 0.66 and 1.48 million edges to the
 * two refinements of its first pass, where they had 1.47 and 3.11.
 *
 * *init_ret: the split blocks (*nr_ret of them; NULL, and init stands,
 * when no node of a shared block enters a lone node); lone_ret: per node,
 * whether it was alone in init.
 */
/* What the lone heads' split compares (struct grouping's arg). */
struct lone_split {
	const uint32_t *init, *estart;
	const uint8_t *lone;
	const uint64_t *sig;	/* per node: 0 when it enters no lone node */
};

static bool sig_of(const struct grouping *g, uint32_t v, uint64_t *h)
{
	const struct lone_split *ls = g->arg;

	*h = ls->sig[v];
	return *h != 0;
}

static bool same_lone_split(const struct grouping *g, uint32_t u, uint32_t v)
{
	const struct lone_split *ls = g->arg;

	return ls->init[u] == ls->init[v] &&
	       same_lone_heads(g->d, ls->estart, ls->lone, u, v);
}

int btfd_split_by_lone_heads(const struct dedup *d, const uint32_t *init, uint32_t nr_blocks,
			       uint32_t **init_ret, uint32_t *nr_ret, uint8_t **lone_ret)
{
	uint32_t n = d->nr, cells = n ? n : 1, nb = nr_blocks, nr_sig = 0, v;
	uint32_t *count = calloc(nr_blocks ? nr_blocks : 1, sizeof(*count));
	uint32_t *estart = calloc((size_t)n + 1, sizeof(*estart));
	uint32_t *out = malloc(cells * sizeof(*out));
	uint64_t *sig = calloc(cells, sizeof(*sig));
	uint8_t *lone = malloc(cells);
	struct lone_split ls = { init, estart, lone, sig };
	struct grouping g = { d, &ls, sig_of, same_lone_split };
	size_t e;

	*init_ret = NULL;
	*lone_ret = NULL;
	if (!count || !estart || !out || !sig || !lone)
		goto nomem;
	for (v = 0; v < n; v++)
		count[init[v]]++;
	for (v = 0; v < n; v++)
		lone[v] = count[init[v]] == 1;
	/* Edges are grouped by tail, in node order (btfd_build_keys()). */
	for (e = 0; e < d->tail.len; e++)
		estart[d->tail.v[e] + 1]++;
	for (v = 0; v < n; v++)
		estart[v + 1] += estart[v];
	for (v = 0; v < n; v++) {
		uint64_t x = hash_u64(init[v]);
		bool any = false;
		uint32_t j;

		out[v] = init[v];
		if (lone[v])
			continue;
		for (j = estart[v]; j < estart[v + 1]; j++)
			if (lone[d->head.v[j]]) {
				x = hash_combine(x, (uint64_t)(j - estart[v]) << 32 | d->head.v[j]);
				any = true;
			}
		if (any) {
			sig[v] = x | 1;		/* 0: enters no lone node */
			nr_sig++;
		}
	}
	if (!nr_sig) {
		free(out);
		goto done;
	}
	if (btfd_group_nodes(&g, n, nr_sig, out, &nb))
		goto nomem;
	*init_ret = out;
	*nr_ret = nb;
done:
	free(count);
	free(estart);
	free(sig);
	*lone_ret = lone;
	return 0;
nomem:
	free(count);
	free(estart);
	free(out);
	free(sig);
	free(lone);
	return -ENOMEM;
}

/*
 * A node alone in its initial block stays alone: the refinement can only
 * split blocks, and a block of one is stable whatever its edges do. So
 * its edges need not take part: only those leaving nodes of shared blocks
 * do (*sub_ret, *nr_ret of them; NULL when that is nearly all). The
 * partition is the same, the cords and the reverse index smaller: after
 * btfd_wl_blocks() on Debian's 6.1 vmlinux, 431 thousand of 825 thousand nodes
 * are alone and 1.8 of 3.3 million edges leave them; in split BTF most
 * base types have a key of their own (a small Debian module: dedup 0.047
 * -> 0.036 s, peak RSS 25.8 -> 22.5 MB). With lone_head (per node, see
 * btfd_split_by_lone_heads(); may be NULL), edges entering a lone node are left
 * out too.
 */
int btfd_edges_of_shared_blocks(const struct dedup *d, const uint32_t *init,
				  uint32_t nr_blocks, const uint8_t *lone_head,
				  uint32_t **sub_ret, uint32_t *nr_ret)
{
	uint32_t *count = calloc(nr_blocks ? nr_blocks : 1, sizeof(*count));
	uint32_t *sub, v, n = 0;
	size_t e;

	*sub_ret = NULL;
	if (!count)
		return -ENOMEM;
	for (v = 0; v < d->nr; v++)
		count[init[v]]++;
#define KEEP_EDGE(e) (count[init[d->tail.v[e]]] > 1 && !(lone_head && lone_head[d->head.v[e]]))
	for (e = 0; e < d->tail.len; e++)
		n += KEEP_EDGE(e);
	if (n > d->tail.len - d->tail.len / 8) {
		free(count);
		return 0;	/* keep them all: no copy of the numbers */
	}
	sub = malloc((n ? n : 1) * sizeof(*sub));
	if (!sub) {
		free(count);
		return -ENOMEM;
	}
	n = 0;
	for (e = 0; e < d->tail.len; e++)
		if (KEEP_EDGE(e))
			sub[n++] = (uint32_t)e;
#undef KEEP_EDGE
	free(count);
	*sub_ret = sub;
	*nr_ret = n;
	return 0;
}
