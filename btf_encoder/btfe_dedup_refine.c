// SPDX-License-Identifier: GPL-2.0-only
/*
 * Partition refinement for the deduplicator: Hopcroft's DFA minimisation in
 * the form Valmari and Lehtinen gave it for partial transition functions
 * ("Efficient minimization of DFAs with partial transition functions",
 * STACS 2008), written from the published description.
 *
 * Two partitions are refined against each other:
 *   - blocks partition the nodes (types); they start as init_block;
 *   - cords partition the edges; they start as "all edges with label a".
 * A block B splits every cord into "edges entering B" and the rest; a cord C
 * splits every block into "nodes with an edge in C" and the rest. Each
 * block and cord is used as a splitter once, in the order they appear; when
 * a set that was already used splits, the smaller half gets the new number
 * and is used later, so every element takes part in O(log n) splits (the
 * Hopcroft "process the smaller half" argument). That a node has at most one
 * edge per label is what makes the remaining half implied: "has an edge in
 * the old cord but not in the new half" is "has an edge in the other half".
 * Block 0 is never used as a splitter: once cords are split by every other
 * block, a cord whose heads are in no other block has them all in block 0.
 *
 * When no splitter is left, nodes of one block have, for every label, their
 * edges in one cord, and every cord's edges enter one block: the partition
 * is stable, and since only forced splits happened, it is the coarsest one.
 */
#include "btfe_dedup_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A refinable partition of elements 0..n-1 into sets 0..nr_sets-1. What
 * one step touches sits together: an element's place and set, a set's
 * bounds and mark count (the arrays are large and accessed at random). */
struct rpart_elem {
	uint32_t loc;		/* its index in elems */
	uint32_t set;		/* its set */
};

struct rpart_set {
	uint32_t first;		/* first index in elems */
	uint32_t past;		/* one past its last index */
	uint32_t marked;	/* how many of its elements are marked */
};

struct rpart {
	uint32_t nr_sets;
	uint32_t *elems;	/* elements, grouped by set */
	struct rpart_elem *el;	/* per element */
	struct rpart_set *sets;	/* per set, cap_sets allocated */
	uint32_t *touched;	/* sets with marked elements, nr_touched long
				 * (cap_sets allocated: a set is touched once) */
	uint32_t nr_touched;
	size_t cap_sets;
};

static int rpart_init(struct rpart *p, uint32_t n)
{
	size_t cells = n ? n : 1;

	memset(p, 0, sizeof(*p));
	p->elems = calloc(cells, sizeof(*p->elems));
	p->el = calloc(cells, sizeof(*p->el));
	if (!p->elems || !p->el) {
		free(p->elems);
		free(p->el);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Room for 'need' sets. The sets grow as they split instead of being
 * allocated for one per element up front: a kernel's 3.3 million edges end
 * in far fewer cords, and the per-set arrays were the refinement's largest.
 */
static int rpart_reserve(struct rpart *p, size_t need)
{
	size_t cap = p->cap_sets + p->cap_sets / 2;
	struct rpart_set *sets;
	uint32_t *touched;

	if (need <= p->cap_sets)
		return 0;
	if (cap < need)
		cap = need;
	if (cap < 16)
		cap = 16;
	sets = realloc(p->sets, cap * sizeof(*sets));
	if (!sets)
		return -ENOMEM;
	p->sets = sets;
	touched = realloc(p->touched, cap * sizeof(*touched));
	if (!touched)
		return -ENOMEM;
	p->touched = touched;
	p->cap_sets = cap;
	return 0;
}

static void rpart_deinit(struct rpart *p)
{
	free(p->elems);
	free(p->el);
	free(p->sets);
	free(p->touched);
	memset(p, 0, sizeof(*p));
}

/*
 * Set up the sets from a key per element (key < nr_keys): a counting sort,
 * so elements of one set keep increasing order. Empty keys get no set.
 */
static int rpart_group(struct rpart *p, uint32_t n, const uint32_t *key, const uint32_t *idx,
		       uint32_t nr_keys)
{
	uint32_t *count = calloc((size_t)nr_keys + 1, sizeof(*count));
	uint32_t *setof = calloc((size_t)nr_keys + 1, sizeof(*setof));
	uint32_t i, k, at = 0, used = 0;

	if (!count || !setof) {
		free(count);
		free(setof);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		count[key[idx ? idx[i] : i]]++;
	for (k = 0; k < nr_keys; k++)
		used += count[k] != 0;
	if (rpart_reserve(p, used)) {
		free(count);
		free(setof);
		return -ENOMEM;
	}
	for (k = 0; k < nr_keys; k++) {
		if (!count[k])
			continue;
		setof[k] = p->nr_sets;
		p->sets[p->nr_sets].first = at;
		p->sets[p->nr_sets].past = at;	/* advanced as elements land */
		p->sets[p->nr_sets].marked = 0;
		at += count[k];
		p->nr_sets++;
	}
	for (i = 0; i < n; i++) {
		uint32_t s = setof[key[idx ? idx[i] : i]];

		p->el[i].set = s;
		p->el[i].loc = p->sets[s].past;
		p->elems[p->sets[s].past++] = i;
	}
	free(count);
	free(setof);
	return 0;
}

/* Move e to the marked front of its set. */
static void rpart_mark(struct rpart *p, uint32_t e)
{
	struct rpart_elem *pe = &p->el[e];
	struct rpart_set *ps = &p->sets[pe->set];
	uint32_t i = pe->loc, j = ps->first + ps->marked, other;

	if (i < j)
		return;		/* already marked */
	other = p->elems[j];
	p->elems[i] = other;
	p->el[other].loc = i;
	p->elems[j] = e;
	pe->loc = j;
	if (!ps->marked++)
		p->touched[p->nr_touched++] = pe->set;
}

/* Split every touched set into marked and unmarked; the smaller part gets
 * the new set number. */
static int rpart_split(struct rpart *p)
{
	if (rpart_reserve(p, (size_t)p->nr_sets + p->nr_touched))
		return -ENOMEM;
	while (p->nr_touched) {
		uint32_t s = p->touched[--p->nr_touched];
		struct rpart_set *ps = &p->sets[s], *pz = &p->sets[p->nr_sets];
		uint32_t mid = ps->first + ps->marked, z = p->nr_sets, i;

		ps->marked = 0;
		if (mid == ps->past)
			continue;	/* all marked: no split */
		if (mid - ps->first <= ps->past - mid) {
			pz->first = ps->first;
			pz->past = mid;
			ps->first = mid;
		} else {
			pz->first = mid;
			pz->past = ps->past;
			ps->past = mid;
		}
		for (i = pz->first; i < pz->past; i++)
			p->el[p->elems[i]].set = z;
		pz->marked = 0;
		p->nr_sets++;
	}
	return 0;
}

/* The edge number of element e of the cords. */
static inline uint32_t edge_of(const struct btfd_graph *g, uint32_t e)
{
	return g->edges ? g->edges[e] : e;
}

/* Elements grouped by head: those entering node v are
 * by_head[start[v]..start[v+1]). */
static int group_by_head(const struct btfd_graph *g, uint32_t **by_head_ret,
			 uint32_t **start_ret)
{
	uint32_t *start = calloc((size_t)g->nr_nodes + 1, sizeof(*start));
	uint32_t *by_head = malloc(((size_t)g->nr_edges + 1) * sizeof(*by_head));
	uint32_t v, e;

	if (!start || !by_head) {
		free(start);
		free(by_head);
		return -ENOMEM;
	}
	for (e = 0; e < g->nr_edges; e++)
		start[g->head[edge_of(g, e)] + 1]++;
	for (v = 0; v < g->nr_nodes; v++)
		start[v + 1] += start[v];
	for (e = 0; e < g->nr_edges; e++)
		by_head[start[g->head[edge_of(g, e)]]++] = e;
	/* start[v] now holds the old start[v + 1]: shift back. */
	memmove(start + 1, start, (size_t)g->nr_nodes * sizeof(*start));
	start[0] = 0;
	*by_head_ret = by_head;
	*start_ret = start;
	return 0;
}

/* The label of each element of the cords, for a graph without a label
 * array (see struct btfd_graph): *ret has nr_edges entries. */
static int positional_labels(const struct btfd_graph *g, uint32_t **ret)
{
	uint32_t *first = malloc(((size_t)g->nr_nodes + 1) * sizeof(*first));
	uint32_t *lab = malloc((g->nr_edges ? g->nr_edges : 1) * sizeof(*lab));
	uint32_t e, last = UINT32_MAX, i, hi = 0;

	if (!first || !lab) {
		free(first);
		free(lab);
		return -ENOMEM;
	}
	/* Every edge number up to the largest one refined, in order. */
	for (i = 0; i < g->nr_edges; i++)
		if (edge_of(g, i) + 1 > hi)
			hi = edge_of(g, i) + 1;
	for (e = 0; e < hi; e++)
		if (g->tail[e] != last) {
			last = g->tail[e];
			first[last] = e;
		}
	for (i = 0; i < g->nr_edges; i++)
		lab[i] = edge_of(g, i) - first[g->tail[edge_of(g, i)]];
	free(first);
	*ret = lab;
	return 0;
}

/*
 * Is the initial partition stable already? Then it is the answer: a
 * refinement only splits, and the coarsest stable partition refines every
 * stable one it is coarser than. The deduplicator's head start is often
 * exact (Debian's 6.1 vmlinux: the second refinement of its first pass
 * starts from the 94,288 blocks it ends with, and the splitters' loop
 * took 90 ms to find nothing to split). The check is one pass: every node
 * must have, element for element, the labels and the heads' initial blocks
 * of the first node of its block. It needs each node's elements to be
 * consecutive and in increasing label order (how the deduplicator lists
 * them); when they are not, it answers "not known" (false) and the
 * refinement runs. lab: the label of each element, or NULL for g->label.
 */
struct stable_scan {
	uint32_t *run;		/* per node: its first element, or NONE */
	uint32_t *len;		/* per node: its number of elements */
	uint32_t *first;	/* per initial block: its first node, or NONE */
};

#define NONE UINT32_MAX

static inline uint32_t elem_label(const struct btfd_graph *g, const uint32_t *lab, uint32_t i)
{
	return lab ? lab[i] : g->label[edge_of(g, i)];
}

static bool runs_of_nodes(const struct btfd_graph *g, const uint32_t *lab,
			  struct stable_scan *s)
{
	uint32_t i, prev = NONE;

	for (i = 0; i < g->nr_nodes; i++) {
		s->run[i] = NONE;
		s->len[i] = 0;
	}
	for (i = 0; i < g->nr_edges; i++) {
		uint32_t t = g->tail[edge_of(g, i)];

		if (t != prev) {
			if (s->run[t] != NONE)
				return false;	/* not consecutive */
			s->run[t] = i;
			prev = t;
		} else if (elem_label(g, lab, i) <= elem_label(g, lab, i - 1)) {
			return false;		/* not in label order */
		}
		s->len[t]++;
	}
	return true;
}

static bool same_run(const struct btfd_graph *g, const uint32_t *lab,
		     const struct stable_scan *s, uint32_t v, uint32_t r)
{
	uint32_t i, n = s->len[v];

	if (n != s->len[r])
		return false;
	for (i = 0; i < n; i++) {
		uint32_t a = s->run[v] + i, b = s->run[r] + i;

		if (elem_label(g, lab, a) != elem_label(g, lab, b) ||
		    g->init_block[g->head[edge_of(g, a)]] != g->init_block[g->head[edge_of(g, b)]])
			return false;
	}
	return true;
}

static int initial_is_stable(const struct btfd_graph *g, const uint32_t *lab,
			     uint32_t *block_ret, bool *stable)
{
	struct stable_scan s = {
		.run = malloc(((size_t)g->nr_nodes + 1) * sizeof(*s.run)),
		.len = malloc(((size_t)g->nr_nodes + 1) * sizeof(*s.len)),
		.first = malloc(((size_t)g->nr_init_blocks + 1) * sizeof(*s.first)),
	};
	uint32_t v, nr = 0;
	bool ok;

	*stable = false;
	if (!s.run || !s.len || !s.first) {
		free(s.run);
		free(s.len);
		free(s.first);
		return -ENOMEM;
	}
	ok = runs_of_nodes(g, lab, &s);
	for (v = 0; ok && v < g->nr_init_blocks; v++)
		s.first[v] = NONE;
	for (v = 0; ok && v < g->nr_nodes; v++) {
		uint32_t b = g->init_block[v];

		if (s.first[b] == NONE)
			s.first[b] = v;
		else
			ok = same_run(g, lab, &s, v, s.first[b]);
	}
	/* Stable: number the blocks densely, in order of their first node. */
	for (v = 0; ok && v < g->nr_nodes; v++) {
		uint32_t f = s.first[g->init_block[v]];

		block_ret[v] = f == v ? nr++ : block_ret[f];
	}
	*stable = ok;
	free(s.run);
	free(s.len);
	free(s.first);
	return 0;
}

int btfd_refine(const struct btfd_graph *g, uint32_t *block_ret)
{
	struct rpart blocks, cords;
	uint32_t *by_head = NULL, *start = NULL, *lab = NULL, b = 1, c = 0, i;
	bool stable = false;
	int err;

	if (!g->label) {
		err = positional_labels(g, &lab);
		if (err)
			return err;
	}
	err = initial_is_stable(g, lab, block_ret, &stable);
	if (err || stable) {
		free(lab);
		return err;
	}
	err = rpart_init(&blocks, g->nr_nodes);
	if (!err)
		err = rpart_init(&cords, g->nr_edges);
	if (err) {
		rpart_deinit(&blocks);
		free(lab);
		return err;
	}
	err = rpart_group(&blocks, g->nr_nodes, g->init_block, NULL, g->nr_init_blocks);
	if (!err && lab)
		err = rpart_group(&cords, g->nr_edges, lab, NULL, g->nr_labels);
	else if (!err)
		err = rpart_group(&cords, g->nr_edges, g->label, g->edges, g->nr_labels);
	free(lab);
	if (!err)
		err = group_by_head(g, &by_head, &start);
	if (err)
		goto out;
	while (!err && c < cords.nr_sets) {
		/* Cord c splits the blocks by "has an edge in c". */
		for (i = cords.sets[c].first; i < cords.sets[c].past; i++)
			rpart_mark(&blocks, g->tail[edge_of(g, cords.elems[i])]);
		err = rpart_split(&blocks);
		c++;
		/* Every block not yet used splits the cords by "enters it". */
		for (; !err && b < blocks.nr_sets; b++) {
			for (i = blocks.sets[b].first; i < blocks.sets[b].past; i++) {
				uint32_t v = blocks.elems[i], j;

				for (j = start[v]; j < start[v + 1]; j++)
					rpart_mark(&cords, by_head[j]);
			}
			err = rpart_split(&cords);
		}
	}
	if (err)
		goto out;
	for (i = 0; i < g->nr_nodes; i++)
		block_ret[i] = blocks.el[i].set;
out:
	free(by_head);
	free(start);
	rpart_deinit(&cords);
	rpart_deinit(&blocks);
	return err;
}
