// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the deduplicator with structurally valid type graphs. Input: byte 0
 * sets the size (4 to 259 types), byte 1 the number of permuted copies
 * appended (bits 0-1), force_collisions (bit 2) and split BTF (bit 3); the
 * rest drives the generator of tests/unit/btf_gen.c and the permutations.
 * Checks, as the unit tests do for fixed seeds: dedup succeeds; its output
 * covers the input (equivalent, a FWD standing for its definition), is
 * minimal, is the same bytes whether or not copies were appended, loads in
 * the strict BTF loader, and is a fixed point. Split BTF: a second random
 * graph as split BTF on the first, deduplicated, as base; the base keeps
 * its bytes, and the checks apply to the split table seen whole with it.
 */
#include <errno.h>
#include <string.h>

#include "btf_encoder/btf_dedup.h"
#include "btf_gen.h"
#include "btf_graph_eq.h"
#include "dedup_props.h"
#include "btf_loader/btf_loader.h"
#include "fuzz.h"

static struct bfmt_btf *clone(const struct bfmt_btf *src)
{
	struct bfmt_btf *b = NULL;

	FUZZ_CHECK(bfmt_btf__new(NULL, &b) == 0);
	FUZZ_CHECK(btf_gen_append(b, src, NULL) == 0);
	return b;
}

static void *blob(const struct bfmt_btf *b, size_t *len)
{
	void *data = NULL;

	FUZZ_CHECK(bfmt_btf__serialize(b, false, &data, len) == 0);
	return data;
}

static void split_mode(struct btf_rng *rng, const struct bfmt_btf *g, uint32_t nr_types,
		       uint32_t copies, const struct btfd_opts *dopts)
{
	struct bfmt_btf *g2 = NULL;
	const char *bad;

	FUZZ_CHECK(btf_gen_random_rng(rng, nr_types / 2 + 4, &g2) == 0);
	bad = dedup_split_props(rng, g, g2, copies, dopts);
	FUZZ_CHECK_MSG(!bad, bad);
	bfmt_btf__free(g2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btfd_opts dopts = { 0 };
	struct btf_rng rng = { .s = 1 };
	struct bfmt_btf *g = NULL, *one, *multi, *input, *loaded = NULL;
	struct btfl_opts lo = { 0 };
	uint32_t nr_types, copies, k, *perm;
	size_t l1, lm, l2;
	void *d1, *dm, *d2;
	int err;

	if (size < 2)
		return 0;
	nr_types = 4u + data[0];
	copies = data[1] & 3;
	dopts.force_collisions = data[1] & 4;
	rng.bytes = data + 2;
	rng.nr_bytes = size - 2;
	err = btf_gen_random_rng(&rng, nr_types, &g);
	FUZZ_CHECK(err == 0);
	if (data[1] & 8) {
		split_mode(&rng, g, nr_types, copies, &dopts);
		bfmt_btf__free(g);
		return 0;
	}
	one = clone(g);
	multi = clone(g);
	perm = malloc((g->offs.len + 1) * sizeof(*perm));
	FUZZ_CHECK(perm != NULL);
	for (k = 0; k < copies; k++) {
		btf_gen_perm(&rng, perm, (uint32_t)g->offs.len);
		FUZZ_CHECK(btf_gen_append(multi, g, perm) == 0);
	}
	free(perm);
	input = clone(multi);

	FUZZ_CHECK(btfd_dedup(one, NULL) == 0);
	FUZZ_CHECK(btfd_dedup(multi, &dopts) == 0);
	FUZZ_CHECK(btf_graph_covers(g, one));
	FUZZ_CHECK(btf_graph_covers(input, multi));
	FUZZ_CHECK(btf_graph_minimal(multi));
	FUZZ_CHECK(btf_graph_equiv(one, multi));
	d1 = blob(one, &l1);
	dm = blob(multi, &lm);
	FUZZ_CHECK(l1 == lm && !memcmp(d1, dm, l1));

	/* Valid BTF, and a fixed point. */
	err = btfl_load_mem(dm, lm, NULL, &lo, &loaded);
	FUZZ_CHECK(err == 0);
	bfmt_btf__free(loaded);
	FUZZ_CHECK(btfd_dedup(multi, &dopts) == 0);
	d2 = blob(multi, &l2);
	FUZZ_CHECK(lm == l2 && !memcmp(dm, d2, lm));

	free(d1);
	free(dm);
	free(d2);
	bfmt_btf__free(input);
	bfmt_btf__free(multi);
	bfmt_btf__free(one);
	bfmt_btf__free(g);
	return 0;
}
