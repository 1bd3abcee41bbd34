// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "btfd_refine": the deduplicator's partition refinement on its own,
 * against a naive fixed-point refinement, on random labelled graphs. Each
 * graph is refined from a coarse start (the refinement has work to do) and
 * from its own answer (a stable start, which btfd_refine() recognises and
 * returns without refining), with labels given by position or by an array,
 * edges grouped by node or shuffled (the stable-start check must then
 * leave it to the refinement).
 */
#include <stdlib.h>
#include <string.h>

#include "btf_encoder/btfe_dedup_internal.h"
#include "tests.h"

struct graph {
	uint32_t n, m, nr_kinds;
	uint32_t *kind;			/* per node: its label set is 0..kind-1 */
	uint32_t *tail, *label, *head;	/* per edge */
};

static uint32_t rng_next(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

/* n nodes, kind 0..3 edges each (labels 0..kind-1, by node in label order),
 * heads at random among few nodes of each kind so that blocks merge. */
static void graph_random(struct graph *g, uint32_t n, uint64_t seed)
{
	uint32_t v, e = 0, l;

	memset(g, 0, sizeof(*g));
	g->n = n;
	g->nr_kinds = 4;
	g->kind = calloc(n, sizeof(*g->kind));
	g->tail = calloc((size_t)n * 3 + 1, sizeof(*g->tail));
	g->label = calloc((size_t)n * 3 + 1, sizeof(*g->label));
	g->head = calloc((size_t)n * 3 + 1, sizeof(*g->head));
	CU_ASSERT_FATAL(g->kind && g->tail && g->label && g->head);
	for (v = 0; v < n; v++)
		g->kind[v] = rng_next(&seed) % 4;
	for (v = 0; v < n; v++)
		for (l = 0; l < g->kind[v]; l++, e++) {
			g->tail[e] = v;
			g->label[e] = l;
			/* Mostly the low nodes: many nodes end up alike. */
			g->head[e] = rng_next(&seed) % (rng_next(&seed) % 4 ? 8 : n);
		}
	g->m = e;
}

static void graph_free(struct graph *g)
{
	free(g->kind);
	free(g->tail);
	free(g->label);
	free(g->head);
}

/* Shuffle the edges (labels then come from the array). */
static void graph_shuffle(struct graph *g, uint64_t seed)
{
	uint32_t i;

	for (i = g->m; i > 1; i--) {
		uint32_t j = rng_next(&seed) % i, t;

		t = g->tail[i - 1], g->tail[i - 1] = g->tail[j], g->tail[j] = t;
		t = g->label[i - 1], g->label[i - 1] = g->label[j], g->label[j] = t;
		t = g->head[i - 1], g->head[i - 1] = g->head[j], g->head[j] = t;
	}
}

/* Renumber blocks by first occurrence; returns how many. */
static uint32_t canon(uint32_t *block, uint32_t n)
{
	uint32_t *map = malloc((size_t)n * sizeof(*map)), v, nr = 0;

	CU_ASSERT_FATAL(map != NULL);
	for (v = 0; v < n; v++)
		map[v] = UINT32_MAX;
	for (v = 0; v < n; v++) {
		if (map[block[v]] == UINT32_MAX)
			map[block[v]] = nr++;
		block[v] = map[block[v]];
	}
	free(map);
	return nr;
}

/* Naive: split by (block, block of the head of each label) until nothing
 * splits. O(n^2) per round: the graphs are small. */
static uint32_t naive_refine(const struct graph *g, uint32_t *block)
{
	uint32_t n = g->n, *next = malloc((size_t)n * sizeof(*next));
	uint32_t *sig = calloc((size_t)n * 4, sizeof(*sig));
	uint32_t nr = canon(block, n), e, v, w;

	CU_ASSERT_FATAL(next && sig);
	for (;;) {
		uint32_t nr_next = 0;

		for (v = 0; v < n; v++)
			sig[v * 4] = block[v];
		for (e = 0; e < g->m; e++)
			sig[g->tail[e] * 4 + 1 + g->label[e]] = block[g->head[e]];
		for (v = 0; v < n; v++) {
			next[v] = UINT32_MAX;
			for (w = 0; w < v && next[v] == UINT32_MAX; w++)
				if (!memcmp(&sig[w * 4], &sig[v * 4], 4 * sizeof(*sig)))
					next[v] = next[w];
			if (next[v] == UINT32_MAX)
				next[v] = nr_next++;
		}
		memcpy(block, next, (size_t)n * sizeof(*block));
		if (nr_next == nr)
			break;
		nr = nr_next;
	}
	free(next);
	free(sig);
	return nr;
}

/* btfd_refine() from init gives the partition want (canonical numbering). */
static void check_refine(const struct graph *g, const uint32_t *init, uint32_t nr_init,
			 bool positional, const uint32_t *want)
{
	uint32_t *got = malloc((size_t)g->n * sizeof(*got)), v;
	struct btfd_graph bg = {
		.nr_nodes = g->n, .nr_edges = g->m,
		.tail = g->tail, .label = positional ? NULL : g->label, .head = g->head,
		.nr_labels = 3, .init_block = init, .nr_init_blocks = nr_init,
	};

	CU_ASSERT_FATAL(got != NULL);
	CU_ASSERT_EQUAL_FATAL(btfd_refine(&bg, got), 0);
	for (v = 0; v < g->n; v++)
		CU_ASSERT_FATAL(got[v] < g->n);
	canon(got, g->n);
	CU_ASSERT_EQUAL(memcmp(got, want, (size_t)g->n * sizeof(*got)), 0);
	free(got);
}

static void run_case(uint32_t n, uint64_t seed, bool shuffled)
{
	struct graph g;
	uint32_t *want = malloc((size_t)n * sizeof(*want));
	uint32_t *start = malloc((size_t)n * sizeof(*start)), nr_want, v;

	CU_ASSERT_FATAL(want && start);
	graph_random(&g, n, seed);
	if (shuffled)
		graph_shuffle(&g, seed + 1);
	/* Coarse start: the kinds. */
	memcpy(want, g.kind, (size_t)n * sizeof(*want));
	nr_want = naive_refine(&g, want);
	CU_ASSERT(nr_want > g.nr_kinds);	/* there was something to split */
	check_refine(&g, g.kind, g.nr_kinds, false, want);
	if (!shuffled)
		check_refine(&g, g.kind, g.nr_kinds, true, want);
	/* Stable start: the answer itself, numbered backwards and sparsely
	 * (numbers need not be dense or below the node count). */
	for (v = 0; v < n; v++)
		start[v] = (nr_want - 1 - want[v]) * 3;
	check_refine(&g, start, nr_want * 3, false, want);
	if (!shuffled)
		check_refine(&g, start, nr_want * 3, true, want);
	/* One node moved into the wrong block: not stable, and refined. */
	for (v = 0; v < n; v++)
		if (g.kind[v] == g.kind[0] && want[v] != want[0])
			break;
	if (v < n) {
		uint32_t *coarse = malloc((size_t)n * sizeof(*coarse)), *w2;

		CU_ASSERT_FATAL(coarse != NULL);
		memcpy(coarse, want, (size_t)n * sizeof(*coarse));
		coarse[v] = want[0];		/* v joins node 0's block */
		w2 = malloc((size_t)n * sizeof(*w2));
		CU_ASSERT_FATAL(w2 != NULL);
		memcpy(w2, coarse, (size_t)n * sizeof(*w2));
		naive_refine(&g, w2);
		check_refine(&g, coarse, nr_want, false, w2);
		free(w2);
		free(coarse);
	}
	free(want);
	free(start);
	graph_free(&g);
}

static void test_random_grouped(void)
{
	uint64_t seed;

	for (seed = 1; seed <= 40; seed++)
		run_case(20 + (uint32_t)seed * 7, seed, false);
}

static void test_random_shuffled(void)
{
	uint64_t seed;

	for (seed = 100; seed <= 120; seed++)
		run_case(20 + (uint32_t)seed, seed, true);
}

int register_btfd_refine_suite(void)
{
	static const struct unit_test tests[] = {
		{ "random_grouped", test_random_grouped },
		{ "random_shuffled", test_random_shuffled },
		{ NULL, NULL },
	};

	return unit_add_suite("btfd_refine", tests);
}
