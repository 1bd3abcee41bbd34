// SPDX-License-Identifier: GPL-2.0-only
/* Split-BTF dedup properties (see dedup_props.h). */
#include "dedup_props.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "btf_graph_eq.h"
#include "btf_loader/btf_loader.h"

/* Serialized bytes of a table, or NULL. */
static void *props_blob(const struct bfmt_btf *b, size_t *len)
{
	void *data = NULL;

	return bfmt_btf__serialize(b, false, &data, len) ? NULL : data;
}

static bool same_blobs(const struct bfmt_btf *a, const void *bytes, size_t len)
{
	size_t la;
	void *da = props_blob(a, &la);
	bool same = da && bytes && la == len && !memcmp(da, bytes, len);

	free(da);
	return same;
}

/* A split table on base holding g2, then `copies` shuffled copies of it. */
static struct bfmt_btf *split_copies(struct btf_rng *rng, const struct bfmt_btf *base,
				     const struct bfmt_btf *g2, uint32_t copies)
{
	struct bfmt_btf *t = NULL;
	uint32_t *perm = malloc((g2->offs.len + 1) * sizeof(*perm)), k;
	bool ok = perm && !bfmt_btf__new(base, &t) && !btf_gen_append(t, g2, NULL);

	for (k = 0; ok && k < copies; k++) {
		btf_gen_perm(rng, perm, (uint32_t)g2->offs.len);
		ok = !btf_gen_append(t, g2, perm);
	}
	free(perm);
	if (!ok) {
		bfmt_btf__free(t);
		return NULL;
	}
	return t;
}

static const char *check(struct btf_rng *rng, struct bfmt_btf *base, const struct bfmt_btf *g2,
			 uint32_t copies, const struct btfd_opts *opts)
{
	struct bfmt_btf *one = split_copies(rng, base, g2, 0);
	struct bfmt_btf *whole = split_copies(rng, base, g2, 0);
	struct btfd_opts wo = opts ? *opts : (struct btfd_opts){ 0 };
	struct bfmt_btf *multi = split_copies(rng, base, g2, copies);
	struct bfmt_btf *fin = NULL, *fout = NULL, *loaded = NULL;
	struct btfl_opts lo = { 0 };
	size_t lb, l1, lm;
	void *b = props_blob(base, &lb), *d1 = NULL, *dm = NULL;
	const char *bad = NULL;

	wo.refine_base = true;
	if (!one || !whole || !multi || !b || btf_gen_flatten(multi, &fin))
		bad = "setup";
	else if (btfd_dedup(one, opts) || btfd_dedup(multi, opts))
		bad = "dedup succeeds";
	else if (!same_blobs(base, b, lb))
		bad = "the base keeps its bytes";
	else if (!(d1 = props_blob(one, &l1)) || !(dm = props_blob(multi, &lm)) ||
		 l1 != lm || memcmp(d1, dm, l1))
		bad = "copies give the same bytes";
	else if (btfd_dedup(whole, &wo) || !same_blobs(whole, d1, l1))
		bad = "the same bytes as refining the whole base";
	else if (btf_gen_flatten(multi, &fout) || !btf_graph_covers(fin, fout))
		bad = "covers the input";
	else if (!btf_graph_minimal(fout))
		bad = "minimal";
	else if (bfmt_btf__nr_types(one) > bfmt_btf__nr_types(base) + (uint32_t)g2->offs.len)
		bad = "no more types than base and split";
	else if (btfl_load_mem(dm, lm, base, &lo, &loaded))
		bad = "loads in the strict loader";
	else if (btfd_dedup(multi, opts) || !same_blobs(multi, dm, lm))
		bad = "a fixed point";
	bfmt_btf__free(loaded);
	free(b);
	free(d1);
	free(dm);
	bfmt_btf__free(fin);
	bfmt_btf__free(fout);
	bfmt_btf__free(multi);
	bfmt_btf__free(one);
	bfmt_btf__free(whole);
	return bad;
}

const char *dedup_split_props(struct btf_rng *rng, const struct bfmt_btf *g,
			      const struct bfmt_btf *g2, uint32_t copies,
			      const struct btfd_opts *opts)
{
	struct bfmt_btf *base = NULL;
	const char *bad;

	if (bfmt_btf__new(NULL, &base) || btf_gen_append(base, g, NULL) ||
	    btfd_dedup(base, NULL))
		bad = "setup of the base";
	else
		bad = check(rng, base, g2, copies, opts);
	bfmt_btf__free(base);
	return bad;
}
