/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-only: decide whether BTF tables describe the same type graph, up to
 * id order. Independent of the deduplicator on purpose: it uses plain
 * Moore-style refinement (signature = own class + classes of referenced
 * types, until the number of classes stops growing), which is simple enough
 * to trust and slow enough (O(depth * size)) to keep to test-sized inputs.
 * Two types are equivalent when they have the same local shape (strings by
 * content) and equivalent referenced types, cycles included.
 * Returns are booleans; allocation failure counts as "no".
 */
#ifndef BTFENC_TESTS_BTF_GRAPH_EQ_H
#define BTFENC_TESTS_BTF_GRAPH_EQ_H

#include <stdbool.h>

#include "btf_format/btf_types.h"

/* Every type of a is equivalent to some type of b, and vice versa. For
 * minimal tables this is isomorphism. */
bool btf_graph_equiv(const struct bfmt_btf *a, const struct bfmt_btf *b);

/* No two types of a are equivalent (nothing left to deduplicate). */
bool btf_graph_minimal(const struct bfmt_btf *a);

/*
 * As btf_graph_equiv(in, out), except that a forward declaration in `in`
 * (FWD, or ENUM/ENUM64 without values) may stand for a full definition of
 * the same name and namespace in `out`: what deduplication with FWD
 * resolution must preserve.
 */
bool btf_graph_covers(const struct bfmt_btf *in, const struct bfmt_btf *out);

#endif
