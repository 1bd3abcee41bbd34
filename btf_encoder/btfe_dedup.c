// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfe_dedup: BTF deduplication by partition refinement.
 *
 * THE PROBLEM
 *
 * The encoder appends every compilation unit's types to one table, so a
 * kernel build holds each header type once per CU that includes it: about
 * 3 million types that describe about 100 thousand distinct ones. Two types
 * are the same when they have the same local shape (kind, name, size,
 * member names and offsets, enum values, ...) and their references, taken in
 * order, lead to types that are again the same. References can form cycles
 * (struct list { struct list *next; }), so "the same" is not a bottom-up
 * hash: it is the largest relation with that property, the coarsest
 * bisimulation of the type graph, in automata terms the states of the
 * minimal DFA where a type is a state, its local shape an output and its
 * i-th reference the transition on letter i.
 *
 * libbpf's btf__dedup (its comment and Andrii Nakryiko's write-up explain
 * it) finds that relation greedily: for every struct it takes candidates
 * from a hash bucket and walks both graphs in lock step, recording a
 * hypothetical mapping; the first candidate whose walk succeeds becomes the
 * canonical type. The walk compares against canonical types chosen earlier,
 * so a candidate whose cycle was already split over two different canonical
 * types, or whose FWD was resolved one way in one CU and another way in
 * another, fails the walk and becomes a new canonical type. The result
 * depends on the order of the input: libbpf 1.1.2 turns eight concatenated
 * copies of a kernel's BTF into more types than one copy.
 *
 * Here the relation is computed globally instead, so no decision is ever
 * taken against an earlier, partial one: a graph isomorphic to a part of the
 * table always lands in the same classes as that part.
 *
 * A WORKED EXAMPLE (two CUs concatenated)
 *
 *   CU1: [1] INT int            CU2: [7]  INT int
 *        [2] STRUCT list {next:3}    [8]  PTR -> 9
 *        [3] PTR -> 2                [9]  STRUCT list {next:8}
 *        [4] FWD struct task         [10] STRUCT task {pid:7}
 *        [5] PTR -> 4                [11] PTR -> 10
 *        [6] STRUCT holder           [12] STRUCT holder
 *            {l:2 @0, t:5 @128}           {l:9 @0, t:11 @128}
 *
 * Local shapes give the first partition: {1,7} {2,9} {3,5,8,11} {4} {10}
 * {6,12}. Refinement splits the pointers by the blocks they enter:
 * {3,8} (to list), {5} (to the FWD), {11} (to task); then the holders, whose
 * second members now enter different blocks: {6} {12}. Nothing splits any
 * more. The list cycle needed no special case: 2 and 9 stay together
 * because their pointers stay together, and vice versa.
 * The FWD pass sees that "struct task" has exactly one full class, {10}, so
 * every edge into 4 is redirected to 10 and the refinement runs again: now
 * {5,11} and {6,12} stay together. Each class keeps its smallest id, in id
 * order: 1, 2, 3, 5, 6, 10 become the output ids 1..6, and 4 maps to task.
 *
 * THE PHASES (btfd_dedup below)
 *
 * 1. Local keys: every type (base types too, so split types can match them)
 *    is copied with its type-id fields zeroed and its string offsets
 *    replaced by offsets in a scratch string set, so equal strings compare
 *    equal whatever table they sit in (unless the table's offsets are
 *    canonical already: bfmt_btf.strs_canonical). Equal keys, found by
 *    hashing and exact comparison, form the initial partition.
 * 2. Edges: the i-th type-id field of a type is an edge labelled i (a
 *    struct's member i, a FUNC_PROTO's return then parameters, an ARRAY's
 *    element then index). Void is node 0 with an empty key.
 * 3. Refinement (btfe_dedup_refine.c): Hopcroft/Valmari DFA minimisation,
 *    iterative (no recursion, so no input depth can exhaust the stack),
 *    O(E log N).
 *    Split BTF whose base types are proven pairwise unequal (a hash of
 *    their unfolding tells them all apart, as it does for a kernel's
 *    deduplicated BTF) is not refined with its base: each split type is
 *    paired with the one base type of its hash, pairs are checked exactly,
 *    and only the unpaired split types are refined (btfe_dedup_split.c).
 * 4. Forward declarations: a FWD (struct or union, by kind_flag) whose name
 *    has exactly one class of full STRUCT (or UNION) definitions is aliased
 *    to that class: edges into it are redirected and phase 3 runs again,
 *    since types that differed only by FWD-vs-full can now merge. That may
 *    make more names unambiguous, so 3-4 repeat until no alias is added. A
 *    struct name with several definitions keeps its FWD: choosing one would
 *    be a guess about a layout. An enum forward declaration (ENUM or ENUM64
 *    with no values) resolves to a full enum of its name, preferring its own
 *    kind and size, and the first one when there are several, as libbpf
 *    does (see fwd_key()). Split FWDs may resolve to base definitions; base
 *    types are never aliased.
 * 4b. Forward declarations in context (btfe_dedup_fwd.c), after phase 4
 *    (in the first pass only when phase 4 adds nothing): STRUCT/UNION
 *    classes of one local shape (one initial block) are each compared
 *    with a representative of their shape by a lock-step
 *    walk over class pairs that accepts "FWD X here, full struct X there";
 *    on a match the classes walked in lock step are joined in a union-find
 *    (equal up to FWD-vs-definition), and each FWD class met is aliased to
 *    the smallest representative of the set of the definitions it was
 *    paired with (unless they lie in different sets); then 3-4 run again.
 *    This is libbpf's FWD resolution during its struct walk, made
 *    order-independent, and it converges on the kernel (662 copies of
 *    task_struct, each with other FWDs, become one).
 * The phases run in passes, each on the quotient the previous one wrote
 * (THE QUOTIENT FIRST in btfd_dedup()): a first pass of phases 1-3, 5, 6
 * with no forward resolution (a kernel's 3.4 million types become 825
 * thousand), then passes of one round of phase 4 and 4b each, until one
 * adds no alias; the first of them, whose phase 4 runs alone and merges
 * little (825k -> 704k types for Debian's 6.1 vmlinux), runs the next
 * round in place instead of writing its quotient (dedup_pass()). Every
 * pass works on a smaller table than the last (825k, 94k types), and a
 * pass whose input is a quotient starts from the discrete partition
 * instead of refining.
 * The encoder's table usually is one already (btfe_merge.c folds every
 * unit's types as they come, and what finish adds by records; it says so
 * with btfd_opts.input_minimal): then even the first pass only resolves
 * forward declarations, on the 825 thousand distinct types.
 * 5. Compaction: each class is represented by its smallest non-aliased id;
 *    a type maps to its class representative (an aliased FWD to its
 *    target's). Split representatives get new ids in increasing order of
 *    old id; representatives in the base keep their base ids.
 * 6. Rewrite: a new table (same base) receives the representatives in order,
 *    with every type id remapped and every string re-added in order of first
 *    reference; it replaces the old one only when everything succeeded.
 *
 * Identical VARs, DATASECs, FUNCs and DECL_TAGs merge like any other type
 * (a DECL_TAG's key holds its name and component index, its edge the
 * target), so concatenated copies of a table come back to one copy.
 *
 * WHY IT TERMINATES
 *
 * Refinement only splits blocks and cords, at most N + E times in all. Each
 * round of phase 4 or 4b adds at least one alias or stops, and a FWD is
 * aliased at most once, so there are at most (number of FWDs + 1) rounds;
 * phase 4b is further capped at CTX_ROUNDS_MAX (32) rounds, each a full
 * refinement (if the cap were hit, a second dedup could resolve more).
 *
 * WHY IT IS DETERMINISTIC, A FIXED POINT AND ORDER-INDEPENDENT
 *
 * The coarsest stable partition is unique: it does not depend on the order
 * splitters are processed or on hash values (hashes only group candidates;
 * exact comparison decides). Representatives and output order follow old
 * ids; strings follow output order. Concatenated (even permuted) copies of a
 * graph form a graph whose coarsest partition puts corresponding types
 * together, and the FWD decisions see the same classes per name, so the
 * output has the size of one copy's. The output is the quotient by the
 * coarsest partition, in which no two types are equivalent, and its
 * remaining FWDs were ambiguous and still are: deduplicating it again maps
 * every type to itself, in the same order, with the same strings.
 *
 * The one guess, for enum forwards with several candidates, is made per
 * class of forwards from counts over classes, with ties broken by smallest
 * id, so copies of a graph still agree on it (btfe_dedup_fwd.c).
 *
 * COMPLEXITY
 *
 * N types, E type references, W record words, R rounds of phase 3-4:
 * O(W + R * (N + E log N)) expected time (hash tables), O(W + N + E) memory
 * (about 45 bytes per edge during refinement). Measured: the running
 * kernel's BTF (126,585 types) in 0.1 s, eight concatenated copies of it
 * (1.01M types) back to 126,585 types in under 1 s.
 *
 * FILES
 *
 * btfe_dedup.c (this file): the driver, phase 3's rounds, phases 5 and 6;
 * btfe_dedup_keys.c: phases 1 and 2; btfe_dedup_start.c: where a
 * refinement starts; btfe_dedup_refine.c: the partition refinement;
 * btfe_dedup_split.c: phase 3 for split BTF on a base without equal types;
 * btfe_dedup_fwd.c: phases 4 and 4b.
 */
#include "btf_dedup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_dedup_internal.h"
#include "util/vec.h"

static void dedup_deinit(struct dedup *d)
{
	strset_deinit(&d->names);
	vec_free(&d->keys);
	vec_free(&d->tail);
	vec_free(&d->label);
	vec_free(&d->head);
	free(d->key_off);
	free(d->key_hash);
	free(d->name);
	free(d->init_block);
	free(d->alias);
	free(d->block);
	free(d->rep);
	free(d->newid);
	btfd_split_memo_free(d->split_memo);
}

static void btfd_base_free(struct dedup_base *b)
{
	strset_deinit(&b->names);
	vec_free(&b->keys);
	vec_free(&b->tail);
	vec_free(&b->label);
	vec_free(&b->head);
	free(b->key_off);
	free(b->key_hash);
	memset(b, 0, sizeof(*b));
}

static void words_move(struct dedup_words *to, struct dedup_words *from, size_t len)
{
	*to = *from;
	to->len = len;
	memset(from, 0, sizeof(*from));
}

/* Borrow the base's keys, edges and strings from an earlier pass. */
static void base_lend(struct dedup *d)
{
	struct dedup_base *b = d->base;
	uint32_t start = d->btf->start_id;

	d->names = b->names;
	memset(&b->names, 0, sizeof(b->names));
	words_move(&d->keys, &b->keys, b->nr_words);
	words_move(&d->tail, &b->tail, b->nr_edges);
	words_move(&d->label, &b->label, b->nr_edges);
	words_move(&d->head, &b->head, b->nr_edges);
	if (!b->inplace)
		memcpy(d->key_off, b->key_off, ((size_t)start + 1) * sizeof(*d->key_off));
	memcpy(d->key_hash, b->key_hash, (size_t)start * sizeof(*d->key_hash));
	d->nr_labels = b->nr_labels;
	d->base_edges = b->nr_edges;
	d->base_labels = b->nr_labels;
	d->base_done = true;
}

/* Give them back, or keep them the first time (once built). */
static void base_return(struct dedup *d)
{
	struct dedup_base *b = d->base;
	uint32_t start = d->btf->start_id;

	if (!b || !d->base_done)
		return;
	if (!b->valid) {
		b->inplace = d->inplace;
		b->key_off = d->inplace ? NULL : malloc(((size_t)start + 1) * sizeof(*b->key_off));
		b->key_hash = malloc((size_t)start * sizeof(*b->key_hash));
		if ((!d->inplace && !b->key_off) || !b->key_hash) {
			btfd_base_free(b);
			return;
		}
		if (!d->inplace)
			memcpy(b->key_off, d->key_off, ((size_t)start + 1) * sizeof(*b->key_off));
		memcpy(b->key_hash, d->key_hash, (size_t)start * sizeof(*b->key_hash));
		b->nr_words = d->inplace ? 0 : d->key_off[start];
		b->nr_edges = d->base_edges;
		b->nr_labels = d->base_labels;
		b->valid = true;
	}
	b->names = d->names;
	memset(&d->names, 0, sizeof(d->names));
	words_move(&b->keys, &d->keys, b->nr_words);
	words_move(&b->tail, &d->tail, b->nr_edges);
	words_move(&b->label, &d->label, b->nr_edges);
	words_move(&b->head, &d->head, b->nr_edges);
}

static int dedup_init(struct dedup *d, struct bfmt_btf *btf, const struct btfd_opts *opts,
		      struct dedup_base *base)
{
	size_t n;

	memset(d, 0, sizeof(*d));
	d->btf = btf;
	d->opts = opts;
	d->nr = bfmt_btf__nr_types(btf);
	d->base = btf->start_id > 1 ? base : NULL;
	/* Every table built here has canonical offsets, and most read ones. */
	d->inplace = btf->strs_canonical;
	n = d->nr;
	d->key_off = d->inplace ? NULL : calloc(n + 1, sizeof(*d->key_off));
	d->key_hash = calloc(n, sizeof(*d->key_hash));
	d->init_block = calloc(n, sizeof(*d->init_block));
	d->alias = calloc(n, sizeof(*d->alias));
	d->block = calloc(n, sizeof(*d->block));
	d->rep = calloc(n, sizeof(*d->rep));
	if ((!d->inplace && !d->key_off) || !d->key_hash || !d->init_block ||
	    !d->alias || !d->block || !d->rep)
		return -ENOMEM;
	/* A pass's quotient keeps canonical offsets, so the mode never
	 * changes between passes; if it did, the base's part is rebuilt. */
	if (d->base && d->base->valid && d->base->inplace != d->inplace)
		btfd_base_free(d->base);
	if (d->base && d->base->valid)
		base_lend(d);
	else if (strset_init(&d->names))
		return -ENOMEM;
	return 0;
}

/* Phase 3: one refinement round over the current aliases; minimal: the
 * table is known to be its own quotient and nothing is aliased. */
static int refine(struct dedup *d, bool minimal)
{
	struct btfd_graph g = {
		.nr_nodes = d->nr,
		.nr_edges = (uint32_t)d->tail.len,
		.tail = d->tail.v,
		.label = d->label.v,
		.head = d->head.v,
		.nr_labels = d->nr_labels,
		.init_block = d->init_block,
		.nr_init_blocks = d->nr_init_blocks,
	};
	uint32_t e, v;
	bool split_done = false;
	int err = 0;

	for (e = 0; e < g.nr_edges; e++) {
		uint32_t h = d->head.v[e];

		d->head.v[e] = d->alias[h] ? d->alias[h] : h;
	}
	/* Split BTF on a base with no two types equal: the base's nodes
	 * need no refining (btfe_dedup_split.c). */
	if (!minimal && d->base && !d->opts->refine_base) {
		err = btfd_split_refine(d, d->block, &split_done);
		if (err)
			return err;
	}
	if (split_done) {
		d->rounds++;
		d->split_rounds++;
	} else if (minimal) {
		/* The input is a quotient already: every node its own class. */
		for (v = 0; v < d->nr; v++)
			d->block[v] = v;
	} else {
		uint32_t *init = NULL, *split = NULL, *sub = NULL;
		uint8_t *lone = NULL;

		/* A table of its own (no base): a head start (btfd_wl_blocks()),
		 * only the edges that can split something
		 * (btfd_edges_of_shared_blocks()), and no label array from then
		 * on: labels are places among a node's edges, which the
		 * refinement and the forward phases tell themselves
		 * (edge_label(), edge_head()), so the array is not held at
		 * the pass's peak. */
		if (!d->base) {
			init = malloc((d->nr ? d->nr : 1) * sizeof(*init));
			err = init ? btfd_wl_blocks(d, d->head.v, init, &g.nr_init_blocks)
				   : -ENOMEM;
			g.init_block = init;
			if (!err) {
				vec_free(&d->label);
				g.label = NULL;
			}
		}
		/* Then blocks split by their lone heads, and only the edges
		 * between shared blocks. Split BTF: the keys' blocks (most
		 * base types have a key of their own, and the split by lone
		 * heads costs a small module more than it saves). */
		if (!err && !d->base)
			err = btfd_split_by_lone_heads(d, g.init_block, g.nr_init_blocks, &split,
						  &g.nr_init_blocks, &lone);
		if (!err && split)
			g.init_block = split;
		if (!err)
			err = btfd_edges_of_shared_blocks(d, g.init_block, g.nr_init_blocks, lone,
						     &sub, &g.nr_edges);
		g.edges = sub;
		free(lone);
		if (!err)
			err = btfd_refine(&g, d->block);
		free(sub);
		free(split);
		free(init);
		if (err)
			return err;
		d->rounds++;
	}
	/* Representatives: the smallest non-aliased node of each class. */
	for (v = 0; v < d->nr; v++)
		d->rep[v] = UINT32_MAX;
	d->nr_classes = 0;
	for (v = 0; v < d->nr; v++)
		if (!d->alias[v] && d->rep[d->block[v]] == UINT32_MAX) {
			d->rep[d->block[v]] = v;
			d->nr_classes++;
		}
	return 0;
}

/* After a refinement without aliases: is every base node its own class? */
static bool base_distinct(const struct dedup *d)
{
	uint32_t v;

	for (v = 0; v < d->btf->start_id && v < d->nr; v++)
		if (d->rep[d->block[v]] != v)
			return false;
	return true;
}

/* Phase 5: new ids. */

static uint32_t target_of(const struct dedup *d, uint32_t v)
{
	return d->rep[d->block[d->alias[v] ? d->alias[v] : v]];
}

static int assign_ids(struct dedup *d)
{
	uint32_t v, next = d->btf->start_id;

	/* Allocated only now: it is not needed while the refinement's
	 * arrays are, at the peak of the pass. */
	d->newid = malloc((d->nr ? d->nr : 1) * sizeof(*d->newid));
	if (!d->newid)
		return -ENOMEM;
	for (v = 0; v < d->btf->start_id; v++)
		d->newid[v] = v;
	for (v = d->btf->start_id; v < d->nr; v++)
		if (target_of(d, v) == v)
			d->newid[v] = next++;
	for (v = d->btf->start_id; v < d->nr; v++)
		d->newid[v] = d->newid[target_of(d, v)];
	return 0;
}

/* Phase 6: the rewritten table. */

struct rewrite {
	const struct dedup *d;
	struct bfmt_btf *out;
};

static int rewrite_id(uint32_t *field, void *ctx)
{
	const struct rewrite *rw = ctx;

	*field = rw->d->newid[target_of(rw->d, *field)];
	return 0;
}

static int rewrite_str(uint32_t *field, void *ctx)
{
	const struct rewrite *rw = ctx;

	return bfmt_btf__add_str(rw->out, bfmt_btf__str(rw->d->btf, *field), field);
}

static int copy_type(struct rewrite *rw, uint32_t v)
{
	const struct bfmt_type *t = bfmt_btf__type(rw->d->btf, v);
	long extra = bfmt_type__size(t) - (long)sizeof(*t);
	struct bfmt_type *nt;
	uint32_t id;
	void *ex;
	int err;

	err = bfmt_btf__add_type(rw->out, bfmt_kind(t), bfmt_vlen(t), bfmt_kflag(t),
				 t->name_off, t->size_type, &id, &ex);
	if (err)
		return err;
	memcpy(ex, bfmt_type_extra(t), (size_t)extra);
	nt = bfmt_btf__type(rw->out, id);
	bfmt_type__visit_ids(nt, rewrite_id, rw);
	return bfmt_type__visit_strs(nt, rewrite_str, rw);
}

static int rewrite(struct dedup *d, struct bfmt_btf **out_ret)
{
	struct rewrite rw = { .d = d };
	uint32_t v;
	int err;

	err = bfmt_btf__new(d->btf->base, &rw.out);
	if (err)
		return err;
	for (v = d->btf->start_id; v < d->nr && !err; v++)
		if (target_of(d, v) == v)
			err = copy_type(&rw, v);
	if (err) {
		bfmt_btf__free(rw.out);
		return err;
	}
	*out_ret = rw.out;
	return 0;
}

/* Bound on phase 4b rounds, each a full refinement; see WHY IT TERMINATES. */
#define CTX_ROUNDS_MAX 32

/* What the passes of one btfd_dedup() add up to. */
struct dedup_totals {
	uint32_t rounds, nr_aliased, nr_ctx_aliased, ctx_rounds;
	uint32_t fwd_passes;	/* passes that resolved forwards */
	bool again;		/* another pass may merge more */
	bool minimal;		/* the next pass's input is a quotient in
				 * which no two types are equal */
	bool base_distinct;	/* no two base types are equal */
};

/*
 * One pass: refine; unless structural only (asked for, or the table shrinks
 * much on structure alone), one round of forward resolution (phase 4, else
 * phase 4b) and, when it aliased something, a refinement that merges what
 * the aliases made equal; then the quotient. *out_ret is NULL when the pass
 * changed nothing (btf is its own quotient).
 */
/*
 * One round of forward resolution: phase 4, phase 4b, and the refinement
 * when they added aliases (*added). Phase 4b follows phase 4, except in the
 * first forward-resolution pass over a table of its own (first) when phase
 * 4 added aliases (*skipped_ctx): there, on the largest table, before phase
 * 4 has merged the definitions that differ only by forwards, it walks many
 * more pairs (Debian's 6.1 vmlinux: 0.07 -> 0.6 s). Later, it saves whole
 * passes: vmlinux takes 3 passes instead of 5 (dedup 2.0 -> 1.4 s), its
 * modules 2 instead of 3, with the same bytes.
 */
static int fwd_round(struct dedup *d, struct dedup_totals *tot, bool first, bool *added,
		     bool *skipped_ctx)
{
	bool in_context = false;
	int err = btfd_resolve_fwds(d, added);

	*skipped_ctx = first && *added && d->btf->start_id <= 1 && tot->fwd_passes == 0;
	if (!err && !*skipped_ctx && d->ctx_rounds < CTX_ROUNDS_MAX) {
		d->ctx_rounds++;
		err = btfd_resolve_fwds_in_context(d, &in_context);
		*added |= in_context;
	}
	if (!err && *added)
		err = refine(d, false);
	tot->fwd_passes++;
	return err;
}

/* Does btf have a type of its own that phase 4 or 4b could alias (a FWD,
 * an enum without values)? Without one, a pass over a quotient aliases
 * nothing and merges nothing: it would give its input back. */
static bool has_forwards(const struct bfmt_btf *btf)
{
	uint32_t id;

	for (id = btf->start_id; id < bfmt_btf__nr_types(btf); id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);
		enum bfmt_kind k = bfmt_kind(t);

		if (k == BFMT_KIND_FWD ||
		    ((k == BFMT_KIND_ENUM || k == BFMT_KIND_ENUM64) && !bfmt_vlen(t)))
			return true;
	}
	return false;
}

static int dedup_pass(struct dedup *d, struct dedup_totals *tot, struct bfmt_btf **out_ret)
{
	bool added = false, structural;
	int err;

	*out_ret = NULL;
	d->ctx_rounds = tot->ctx_rounds;
	err = btfd_build_keys(d);
	if (!err)
		err = btfd_number_keys(d);
	if (!err)
		err = btfd_keep_names(d);
	if (!err)
		err = refine(d, tot->minimal);
	if (!err && !tot->minimal)
		tot->base_distinct = base_distinct(d);
	/* A table that shrinks by more than an eighth on structure alone is
	 * first replaced by its quotient (THE QUOTIENT FIRST). Not split BTF
	 * with forwards of its own: a quotient by structure alone would merge
	 * them into equal forwards of the base, which are never aliased, so
	 * they could no longer resolve to the split's definitions as they do
	 * without the copies (a dedup fuzz finding: the same types with
	 * permuted copies appended gave other bytes). */
	structural = d->opts->structural_only ||
		     (d->nr_classes < d->nr - d->nr / 8 && !(d->base && has_forwards(d->btf)));
	if (!err && !structural) {
		bool skipped_ctx = false, more = false;

		err = fwd_round(d, tot, true, &added, &skipped_ctx);
		/* After a first round without 4b, the next one (phases 4 and
		 * 4b, as any later pass) runs in this same pass when the round
		 * merged little: writing the quotient and keying it again
		 * would cost more than refining the larger graph (Debian's 6.1
		 * vmlinux: 825 -> 704 thousand types; 0.2 s). Every decision
		 * depends on classes only, so the bytes are those of a pass of
		 * its own. */
		if (!err && skipped_ctx && d->nr_classes > d->nr - d->nr / 4)
			err = fwd_round(d, tot, false, &more, &skipped_ctx);
	}
	if (err)
		return err;
	tot->rounds += d->rounds;
	tot->nr_aliased += d->nr_aliased;
	tot->nr_ctx_aliased += d->nr_ctx_aliased;
	tot->ctx_rounds = d->ctx_rounds;
	tot->again = added || (structural && !d->opts->structural_only);
	diag_report(d->opts->diag, DIAG_DEBUG,
		    "dedup pass: %u types, %zu edges, %u keys -> %u classes%s%s",
		    d->nr - d->btf->start_id, d->tail.len, d->nr_init_blocks,
		    d->nr_classes, added ? ", forwards resolved" : structural ? " (structure only)" : "",
		    d->split_rounds ? ", base not refined" : "");
	if (!added && d->nr_classes == d->nr)
		return 0;	/* nothing merged: btf is minimal already */
	err = assign_ids(d);
	if (!err)
		err = rewrite(d, out_ret);
	/* A quotient is its own quotient, base included when no two base
	 * types were equal (base types are never aliased, so they stay so). */
	tot->minimal = !err && (d->btf->start_id <= 1 || tot->base_distinct);
	return err;
}

/* One pass over btf; *out is its quotient, or NULL for btf itself. With
 * map, each entry (an id of the first pass's input) moves on to its id in
 * this pass's output. */
static int dedup_once(struct bfmt_btf *btf, const struct btfd_opts *opts,
		      struct dedup_base *base, struct dedup_totals *tot,
		      struct bfmt_btf **out, uint32_t *map, uint32_t map_len)
{
	struct dedup d;
	uint32_t i;
	int err;

	err = dedup_init(&d, btf, opts, base);
	if (!err)
		err = dedup_pass(&d, tot, out);
	if (!err && *out && map)
		for (i = 0; i < map_len; i++)
			map[i] = d.newid[map[i]];
	base_return(&d);
	dedup_deinit(&d);
	return err;
}

/*
 * THE QUOTIENT FIRST: a table that is mostly copies (every unit's types
 * appended, as without btfe_opts.merge_units) first gets a pass with no
 * forward resolution, which takes the quotient by structural equivalence
 * alone; then passes of one forward-resolution round each run on the
 * previous pass's quotient, smaller each time, until a round adds no
 * alias. Representatives are smallest ids and a quotient keeps their
 * order, and every decision depends only on classes, so the result is the
 * one the rounds would give on the whole table.
 */
int btfd_dedup(struct bfmt_btf *btf, const struct btfd_opts *opts)
{
	static const struct btfd_opts defaults;
	struct dedup_totals tot = { 0 };
	struct dedup_base base = { 0 };
	struct bfmt_btf *cur = NULL, *next = NULL;	/* cur NULL: btf itself */
	uint32_t before = bfmt_btf__nr_types(btf), *map = NULL, i;
	int err;

	if (!opts)
		opts = &defaults;
	if (opts->map_ret) {
		map = malloc((before ? before : 1) * sizeof(*map));
		if (!map)
			return -ENOMEM;
		for (i = 0; i < before; i++)
			map[i] = i;
	}
	tot.minimal = opts->input_minimal && btf->start_id <= 1;
	do {
		err = dedup_once(cur ? cur : btf, opts, &base, &tot, &next, map, before);
		if (err || !next)
			break;
		/* Small modules: the pass that would only confirm is most of
		 * the time (the base's keys and refinement again). */
		if (tot.again && !opts->structural_only && !has_forwards(next))
			tot.again = false;
		if (opts->in_place) {
			bfmt_btf__replace(btf, next);	/* frees the pass's input */
			continue;
		}
		bfmt_btf__free(cur);
		cur = next;
	} while (tot.again);
	btfd_base_free(&base);
	if (err) {
		bfmt_btf__free(cur);
		free(map);
		return err;
	}
	if (opts->map_ret)
		*opts->map_ret = map;
	diag_report(opts->diag, DIAG_DEBUG,
		    "dedup: %u -> %u types, %u fwds resolved (%u in context), %u rounds",
		    before - btf->start_id,
		    bfmt_btf__nr_types(cur ? cur : btf) - btf->start_id,
		    tot.nr_aliased, tot.nr_ctx_aliased, tot.rounds);
	if (cur)
		bfmt_btf__replace(btf, cur);
	return 0;
}
