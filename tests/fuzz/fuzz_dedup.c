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

static struct bfmt_btf *flat(const struct bfmt_btf *b)
{
	struct bfmt_btf *f = NULL;

	FUZZ_CHECK(btf_gen_flatten(b, &f) == 0);
	return f;
}

static void split_mode(struct btf_rng *rng, const struct bfmt_btf *g, uint32_t nr_types,
		       uint32_t copies, const struct btfd_opts *dopts)
{
	struct bfmt_btf *g2 = NULL, *base = clone(g), *one, *multi, *fin, *fout;
	struct bfmt_btf *loaded = NULL;
	struct btfl_opts lo = { 0 };
	size_t lb1, lb2, l1, lm, l2;
	void *b1, *b2, *d1, *dm, *d2;
	uint32_t *perm, k;

	FUZZ_CHECK(btfd_dedup(base, NULL) == 0);
	b1 = blob(base, &lb1);
	FUZZ_CHECK(btf_gen_random_rng(rng, nr_types / 2 + 4, &g2) == 0);
	FUZZ_CHECK(bfmt_btf__new(base, &one) == 0);
	FUZZ_CHECK(bfmt_btf__new(base, &multi) == 0);
	FUZZ_CHECK(btf_gen_append(one, g2, NULL) == 0);
	FUZZ_CHECK(btf_gen_append(multi, g2, NULL) == 0);
	perm = malloc((g2->offs.len + 1) * sizeof(*perm));
	FUZZ_CHECK(perm != NULL);
	for (k = 0; k < copies; k++) {
		btf_gen_perm(rng, perm, (uint32_t)g2->offs.len);
		FUZZ_CHECK(btf_gen_append(multi, g2, perm) == 0);
	}
	free(perm);
	fin = flat(multi);
	FUZZ_CHECK(btfd_dedup(one, NULL) == 0);
	FUZZ_CHECK(btfd_dedup(multi, dopts) == 0);
	b2 = blob(base, &lb2);
	FUZZ_CHECK(lb1 == lb2 && !memcmp(b1, b2, lb1));
	d1 = blob(one, &l1);
	dm = blob(multi, &lm);
	FUZZ_CHECK(l1 == lm && !memcmp(d1, dm, l1));
	fout = flat(multi);
	FUZZ_CHECK(btf_graph_covers(fin, fout));
	FUZZ_CHECK(btf_graph_minimal(fout));
	FUZZ_CHECK(btfl_load_mem(dm, lm, base, &lo, &loaded) == 0);
	bfmt_btf__free(loaded);
	FUZZ_CHECK(btfd_dedup(multi, dopts) == 0);
	d2 = blob(multi, &l2);
	FUZZ_CHECK(lm == l2 && !memcmp(dm, d2, lm));
	free(b1);
	free(b2);
	free(d1);
	free(dm);
	free(d2);
	bfmt_btf__free(fin);
	bfmt_btf__free(fout);
	bfmt_btf__free(multi);
	bfmt_btf__free(one);
	bfmt_btf__free(base);
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
