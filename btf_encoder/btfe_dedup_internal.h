/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btfe_dedup_internal: the pieces of the deduplicator that are not the
 * driver (btfe_dedup.c explains the algorithm as a whole).
 *
 * btfd_refine() is a generic partition refinement over a labelled directed
 * graph: it knows nothing about BTF. The driver turns a BTF table into
 * nodes (types), an initial partition (equal local shape) and edges (the
 * i-th type-id field of a record is an edge labelled i).
 *
 * struct dedup is the state of one btfd_dedup() call, shared by the driver
 * (btfe_dedup.c: refinement rounds, compaction, rewrite), the keys and
 * edges (btfe_dedup_keys.c), the refinement's starting blocks
 * (btfe_dedup_start.c), the split-BTF refinement (btfe_dedup_split.c)
 * and the forward-declaration phase (btfe_dedup_fwd.c).
 *
 * Owns:    nothing beyond one call.
 * Threads: btfd_build_keys() and btfd_wl_blocks() run slices on
 *          d->opts->jobs threads (par_for()), joined before they return.
 * Errors:  0 or -ENOMEM (-EINVAL from the driver for malformed tables).
 */
#ifndef BTFENC_BTFE_DEDUP_INTERNAL_H
#define BTFENC_BTFE_DEDUP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "btf_dedup.h"
#include "util/strset.h"

/* A deterministic labelled graph: no node has two edges with one label. */
struct btfd_graph {
	uint32_t nr_nodes;
	uint32_t nr_edges;
	const uint32_t *edges;		/* NULL: edges 0..nr_edges-1; else the
					 * nr_edges edge numbers refined (the
					 * others leave nodes alone in their
					 * initial block, see btfe_dedup.c) */
	const uint32_t *tail;		/* per edge: the node it leaves */
	const uint32_t *label;		/* per edge: its label, < nr_labels; NULL:
					 * the edges are grouped by tail in label
					 * order, 0, 1, ... (an edge's label is
					 * its place among its tail's) */
	const uint32_t *head;		/* per edge: the node it enters */
	uint32_t nr_labels;
	const uint32_t *init_block;	/* per node: initial block, < nr_init_blocks;
					 * nodes of one block have the same
					 * label set */
	uint32_t nr_init_blocks;
};

/*
 * Coarsest refinement of init_block in which two nodes share a block only if,
 * for every label, their edges lead into one block (the coarsest
 * bisimulation, i.e. DFA minimisation). block_ret (nr_nodes entries) gets a
 * block number per node; the numbering itself carries no meaning.
 * Runs in O(nr_nodes + nr_labels + nr_edges * log nr_nodes) time and linear
 * memory, without recursion. An initial partition that is stable already
 * comes back as it is (numbered anew) after one O(nr_nodes + nr_edges)
 * check, when every node's edges are consecutive and in label order.
 */
int btfd_refine(const struct btfd_graph *g, uint32_t *block_ret);

struct btfd_split_memo;

/* A growable array of words (util/vec.h). */
struct dedup_words {
	uint32_t *v;
	size_t len, cap;
};

/*
 * What every pass over split BTF computes the same way: the base's keys,
 * edges and canonical strings (the base never changes, and its nodes come
 * first). Filled by the first pass, lent to the later ones.
 */
struct dedup_base {
	bool valid;
	struct strset names;		/* base strings first, then any */
	struct dedup_words keys, tail, label, head;	/* base prefixes */
	bool inplace;			/* built in place: no keys, no key_off */
	uint32_t *key_off;		/* start_id + 1 */
	uint64_t *key_hash;		/* start_id */
	size_t nr_words, nr_edges;	/* the prefixes' lengths */
	uint32_t nr_labels;
};

/* Everything one deduplication needs; freed by dedup_deinit(). */
struct dedup {
	struct bfmt_btf *btf;		/* the table being deduplicated */
	const struct btfd_opts *opts;	/* never NULL (defaults filled in) */
	uint32_t nr;			/* nodes: ids 0..nr-1, base included */
	struct dedup_base *base;	/* split BTF: the base's part, or NULL */
	struct strset names;		/* scratch set: canonical string offsets */
	bool inplace;			/* the table's string offsets are
					 * canonical: a key is its record with
					 * the id fields zeroed, hashed through
					 * a copy and compared in place (keys,
					 * key_off unused) */
	struct dedup_words keys;	/* local keys, back to back */
	uint32_t *key_off;		/* per node + 1: start of its key in keys */
	uint64_t *key_hash;		/* per node: hash of its key */
	uint32_t *init_block;		/* per node: class of its key */
	uint32_t *name;			/* per node: its name's canonical offset
					 * (keys, key_off and key_hash are freed
					 * once numbered, except for a base's) */
	uint32_t nr_init_blocks;
	struct dedup_words tail;	/* per edge: the referencing node */
	struct dedup_words label;	/* per edge: index of the id field */
	struct dedup_words head;	/* per edge: the referenced node, as read,
					 * then moved to its alias target by each
					 * refinement (a target is never a FWD,
					 * so never aliased itself) */
	size_t base_edges;		/* edges leaving base nodes */
	uint32_t base_labels;		/* nr_labels over base nodes */
	bool base_done;			/* keys and edges of the base are built */
	uint32_t nr_labels;
	uint32_t *alias;		/* per node: resolved definition, 0 = none */
	uint32_t *block;		/* per node: class after refinement */
	uint32_t *rep;			/* per class: smallest non-aliased node */
	uint32_t *newid;		/* per node: id in the output (made by
					 * the compaction) */
	uint32_t nr_classes;		/* classes after the last refinement */
	uint32_t rounds;		/* refinement rounds run */
	uint32_t split_rounds;		/* of which by btfd_split_refine() */
	struct btfd_split_memo *split_memo;	/* its findings on the base */
	uint32_t nr_aliased;		/* FWDs resolved */
	uint32_t nr_ctx_aliased;	/* of which in context (phase 4b) */
	uint32_t ctx_rounds;		/* phase 4b rounds run */
};

/*
 * Phases 1 and 2 (btfe_dedup_keys.c). btfd_build_keys(): the keys (their
 * hashes, and copies unless d->inplace) and edges of the nodes not lent by
 * an earlier pass, on d->opts->jobs threads in place. btfd_number_keys():
 * d->init_block by equal keys. btfd_keep_names(): d->name, then the keys
 * are freed (kept for a base). 0, -EINVAL for a malformed table, -ENOMEM,
 * -E2BIG.
 */
int btfd_build_keys(struct dedup *d);
int btfd_number_keys(struct dedup *d);
int btfd_keep_names(struct dedup *d);

/*
 * Classes of an equivalence over some of the nodes 0..n-1, numbered in
 * order of their first node from *next on: class[v] of each node that
 * takes part (hash() says so and gives its hash). Open addressing over node
 * ids, sized for nr_members; equal hashes are only a reason to ask same().
 * Used for the keys, the head start's hashes and the lone heads' split.
 */
struct grouping {
	const struct dedup *d;
	const void *arg;
	bool (*hash)(const struct grouping *g, uint32_t v, uint64_t *h);
	bool (*same)(const struct grouping *g, uint32_t u, uint32_t v);
};
int btfd_group_nodes(const struct grouping *g, uint32_t n, uint32_t nr_members,
		     uint32_t *class, uint32_t *next);

/*
 * Where a refinement without a base starts (btfe_dedup_start.c), each a
 * partition the answer refines, or the edges it needs: btfd_wl_blocks()
 * blocks by key and unfolding hash (*nr_ret of them, into init, heads from
 * head); btfd_split_by_lone_heads() those blocks split by the lone nodes
 * their edges enter (*init_ret NULL when none does; *lone_ret per node:
 * alone in init); btfd_edges_of_shared_blocks() the edges leaving nodes of
 * shared blocks and not entering lone_head nodes (*sub_ret NULL: nearly
 * all, keep them). 0 or -ENOMEM.
 */
int btfd_wl_blocks(const struct dedup *d, const uint32_t *head, uint32_t *init,
		   uint32_t *nr_ret);
int btfd_split_by_lone_heads(const struct dedup *d, const uint32_t *init, uint32_t nr_blocks,
			     uint32_t **init_ret, uint32_t *nr_ret, uint8_t **lone_ret);
int btfd_edges_of_shared_blocks(const struct dedup *d, const uint32_t *init,
				uint32_t nr_blocks, const uint8_t *lone_head,
				uint32_t **sub_ret, uint32_t *nr_ret);

/*
 * The refinement of split BTF whose base nodes are proven pairwise
 * unequal (btfe_dedup_split.c): d->block for every node, as btfd_refine()
 * would give it over the whole graph (heads read from d->head, aliases
 * applied), *done true; *done false when the proof fails or the edges are
 * not laid out by tail and label (the caller refines). What it learns
 * of the base is kept in d->split_memo for the pass's next refinement.
 * 0 or -ENOMEM.
 */
int btfd_split_refine(struct dedup *d, uint32_t *block, bool *done);
void btfd_split_memo_free(struct btfd_split_memo *m);

/*
 * Phase 4 (btfe_dedup_fwd.c): alias the forward declarations that resolve
 * under the current classes (d->block, d->rep); *added_ret says whether any
 * alias was added, so the caller refines again.
 */
int btfd_resolve_fwds(struct dedup *d, bool *added_ret);

/*
 * Phase 4b (btfe_dedup_fwd.c): alias the struct/union FWD nodes that, in
 * some struct or union, stand where an otherwise equal struct or union of
 * the same shape has a full definition of that name (through equal pointer,
 * modifier, typedef and array chains); *added_ret as above. Runs after
 * phase 4 (aliases phase 4 just added are left as they are).
 */
int btfd_resolve_fwds_in_context(struct dedup *d, bool *added_ret);

#endif
