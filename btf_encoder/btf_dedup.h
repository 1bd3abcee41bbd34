/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_dedup: btfenc's own BTF deduplicator (btfe_dedup.c tells how it works).
 *
 * Contract:
 *   - btfd_dedup() rewrites a struct bfmt_btf in place: every set of types
 *     that describe the same thing (equal local shape and equivalent
 *     referenced types, cycles included) becomes one type, forward
 *     declarations whose full definition is unambiguous by name and kind
 *     become that definition, ids are compacted in first-occurrence order,
 *     every type reference is rewritten and the string section is rebuilt
 *     with only the strings still referenced, in first-reference order.
 *   - Split BTF: with btf->base set, the base is borrowed and never changed;
 *     split types equivalent to base types become references to base ids and
 *     only the split part is rewritten. The base should itself be
 *     deduplicated (otherwise the smallest equivalent base id is used).
 *   - Deterministic: the output depends only on the input's bytes. The
 *     output is a fixed point: deduplicating it again changes nothing.
 *   - Memory and time are linear, up to a log factor, in the table size; no
 *     recursion, whatever the input's depth.
 * Owns:    nothing after return. Borrows: btf (modified), opts.
 * Threads: up to opts->jobs for the parallel steps, joined before each
 *          step ends (they read the table and write disjoint slices);
 *          btf must not be used concurrently.
 * Errors:  0 or negative errno (-EINVAL for a malformed table: unknown kind,
 *          type id or string offset out of range; -ENOMEM; -E2BIG). On
 *          error btf is unchanged, unless opts->in_place: then it may hold
 *          the result of a pass, an equivalent, smaller, valid table.
 */
#ifndef BTFENC_BTF_DEDUP_H
#define BTFENC_BTF_DEDUP_H

#include <stdbool.h>

#include "btf_format/btf_types.h"
#include "util/diag.h"

struct btfd_opts {
	const struct diag *diag;	/* NULL: silent; DIAG_DEBUG gets a summary */
	bool input_minimal;		/* no two types of the table are
					 * structurally equal (the encoder's
					 * merge_units says so): the first
					 * refinement is skipped */
	bool structural_only;		/* merge equivalent types only; leave
					 * forward declarations unresolved */
	bool force_collisions;		/* test hook: every type hashes alike, so
					 * only exact comparison tells them apart
					 * (and a split type with no base type of
					 * its hash is paired with a wrong one) */
	bool refine_base;		/* test hook: split BTF is refined with its
					 * whole base even when no two base types
					 * can be equal (btfe_dedup_split.c) */
	unsigned jobs;			/* threads for the steps that split
					 * into independent slices (0, 1: the
					 * calling thread only); the result is
					 * the same for any number */
	bool in_place;			/* each pass's quotient replaces btf at
					 * once, so the input's memory is given
					 * back before the next pass (the encoder,
					 * which drops btf on error anyway) */
	uint32_t **map_ret;		/* not NULL: on success, a malloc'd
					 * array giving each id of the input
					 * (0 and base ids included, so one
					 * entry per id below the input's
					 * bfmt_btf__nr_types()) its id in the
					 * output; the caller frees it */
};

/* Deduplicate btf in place (see the contract above). opts may be NULL. */
int btfd_dedup(struct bfmt_btf *btf, const struct btfd_opts *opts);

#endif
