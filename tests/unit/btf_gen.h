/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-only BTF helpers: a generator of random, kernel-valid type graphs, a
 * way to append a (permuted) copy of one table to another, and a minimal
 * raw-BTF reader (host byte order only; the real loader is btf_loader's).
 * Errors: 0 or negative errno. No global state: the generator's random
 * state lives in its caller's seed.
 */
#ifndef BTFENC_TESTS_BTF_GEN_H
#define BTFENC_TESTS_BTF_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "btf_format/btf_types.h"

/* A small xorshift generator, so tests are reproducible by seed. With
 * bytes set (the fuzzers), each draw takes the next 4 bytes instead, until
 * they run out; then xorshift goes on. */
struct btf_rng {
	uint64_t s;
	const uint8_t *bytes;
	size_t nr_bytes;
};

uint32_t btf_rng_next(struct btf_rng *r);
/* Uniform in [0, n). */
uint32_t btf_rng_below(struct btf_rng *r, uint32_t n);

/*
 * About nr_types random types: ints, pointers (with cycles, to anything
 * including later types), structs and unions (named from a small pool, so
 * same-named different ones exist, or anonymous; nested by value), FWDs and
 * enum forwards, ENUM/ENUM64, typedefs, modifiers, arrays, function
 * prototypes and FUNCs, VARs in one DATASEC, DECL_TAGs and TYPE_TAGs.
 */
int btf_gen_random(uint64_t seed, uint32_t nr_types, struct bfmt_btf **ret);
/* The same, drawing from rng (advanced). */
int btf_gen_random_rng(struct btf_rng *rng, uint32_t nr_types, struct bfmt_btf **ret);

/*
 * Append the types of src (not split) to dst in the order perm gives:
 * perm[k] is the src id (1-based) that becomes dst's k-th new type; NULL
 * keeps src's order. References are remapped, strings re-added.
 */
int btf_gen_append(struct bfmt_btf *dst, const struct bfmt_btf *src,
		   const uint32_t *perm);

/*
 * A table without base holding btf's base types, then btf's own, at the
 * same ids (strings by content): split BTF seen whole, for the graph checks
 * of btf_graph_eq.h. One level of base.
 */
int btf_gen_flatten(const struct bfmt_btf *btf, struct bfmt_btf **ret);

/* A random permutation of 1..n into perm (n entries). */
void btf_gen_perm(struct btf_rng *r, uint32_t *perm, uint32_t n);

/* Parse a raw BTF blob in host byte order into a new table (no base). */
int btf_read_raw(const void *data, size_t len, struct bfmt_btf **ret);

#endif
