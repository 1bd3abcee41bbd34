/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-only: the properties deduplicating split BTF must have, checked in
 * one place for the unit tests (fixed seeds) and the dedup fuzz harness
 * (any input), each of which asserts in its own style.
 *
 * Owns:    nothing after return. Threads: none. Errors: none; a failed
 *          allocation counts as a failed property.
 */
#ifndef BTFENC_TESTS_DEDUP_PROPS_H
#define BTFENC_TESTS_DEDUP_PROPS_H

#include <stdint.h>

#include "btf_encoder/btf_dedup.h"
#include "btf_gen.h"

/*
 * base (a copy of g, deduplicated) is the base of two split tables: g2
 * once, and g2 followed by `copies` copies of it in orders drawn from rng;
 * both are deduplicated with opts (NULL: defaults). Holds when the base
 * keeps its bytes, both give the same bytes, g2 once gives them also with
 * opts' refine_base set (the base refined with it, not taken as proven
 * distinct: btfe_dedup_split.c), the result covers the input
 * (btf_graph_covers()), is minimal, has no more types than base and g2
 * together, loads in the strict BTF loader on base and is a fixed point.
 * Returns NULL, or the name of the first property that fails.
 */
const char *dedup_split_props(struct btf_rng *rng, const struct bfmt_btf *g,
			      const struct bfmt_btf *g2, uint32_t copies,
			      const struct btfd_opts *opts);

#endif
