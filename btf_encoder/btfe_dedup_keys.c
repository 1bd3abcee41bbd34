// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfe_dedup_keys: phases 1 and 2 of the deduplicator (btfe_dedup.c tells
 * the whole): each node's local key and its edges, the initial partition
 * by equal keys, the names kept once the keys are numbered, and the
 * open-addressing grouping that numbering and the head start share.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_dedup_internal.h"
#include "util/hmap.h"
#include "util/par.h"
#include "util/vec.h"

/* Phase 1 and 2: local keys and edges. */

/* A string field: replace the offset by the string's canonical offset. */
static int key_visit_str(uint32_t *field, void *ctx)
{
	struct dedup *d = ctx;
	const char *s = bfmt_btf__str(d->btf, *field);

	if (!s)
		return -EINVAL;
	return strset_add(&d->names, s, field);
}

struct slice_visit {
	struct dedup *d;
	uint32_t node;
	size_t at;		/* where its next edge goes */
	uint32_t label;
};

/* An id field: the edge goes to its place (see btfd_build_keys()), and the
 * field is zeroed in the key. */
static int slice_id(uint32_t *field, void *ctx)
{
	struct slice_visit *sv = ctx;
	struct dedup *d = sv->d;

	if (*field >= d->nr)
		return -EINVAL;
	d->tail.v[sv->at] = sv->node;
	d->label.v[sv->at] = sv->label++;
	d->head.v[sv->at++] = *field;
	*field = 0;
	return 0;
}

/*
 * A node's key: its record with the type-id fields zeroed (the edges) and
 * the string offsets canonical. In place (d->inplace: the offsets are
 * canonical already, as in every table built here; btfd_build_keys())
 * only its hash is kept (of a copy with the ids zeroed), and keys_equal()
 * compares the records but for their ids: no copy of every record
 * (Debian's 6.1 vmlinux: 40 MB; its first dedup pass's keys 0.18 -> 0.10
 * s). Otherwise the keys are copies, their strings made canonical here.
 */
static int add_key(struct dedup *d, uint32_t id, size_t edge_at)
{
	const struct bfmt_type *t = bfmt_btf__type(d->btf, id);
	struct slice_visit sv = { d, id, edge_at, 0 };
	long size = t ? bfmt_type__size(t) : -1;
	size_t at = d->keys.len, words;
	struct bfmt_type *k;
	int err;

	if (size < 0)
		return -EINVAL;
	words = (size_t)size / 4;
	if (vec_reserve(&d->keys, at + words))
		return -ENOMEM;
	memcpy(&d->keys.v[at], t, (size_t)size);
	d->keys.len += words;
	k = (struct bfmt_type *)&d->keys.v[at];
	err = bfmt_type__visit_ids(k, slice_id, &sv);
	if (!err)
		err = bfmt_type__visit_strs(k, key_visit_str, d);
	if (err)
		return err;
	d->key_hash[id] = d->opts->force_collisions
				  ? 0 : hash_bytes(k, (size_t)size, 0);
	return 0;
}

static int count_id(uint32_t *field, void *ctx)
{
	(void)field;
	++*(size_t *)ctx;
	return 0;
}

/*
 * Room for the keys and edges of nodes [id, nr), reserved at once: grown
 * step by step, the copies left behind stayed in the heap (Debian's 6.1
 * vmlinux: 166 MB more resident after the keys where they take 90).
 */
static int reserve_keys(struct dedup *d, uint32_t id, uint32_t *estart, size_t *largest_ret)
{
	size_t words = 0, edges = 0, largest = sizeof(struct bfmt_type);
	uint32_t first = id;

	for (; id < d->nr; id++) {
		struct bfmt_type *t = bfmt_btf__type(d->btf, id);
		long size = t ? bfmt_type__size(t) : -1;

		if (size < 0)
			return -EINVAL;
		words += (size_t)size / 4;
		if ((size_t)size > largest)
			largest = (size_t)size;
		bfmt_type__visit_ids(t, count_id, &edges);
		if (estart)
			estart[id - first + 1] = (uint32_t)edges;
	}
	if (edges > UINT32_MAX - d->tail.len)
		return -E2BIG;
	if (largest_ret)
		*largest_ret = largest;
	if ((!d->inplace && vec_reserve(&d->keys, d->keys.len + words)) ||
	    vec_reserve(&d->tail, d->tail.len + edges) ||
	    vec_reserve(&d->label, d->label.len + edges) ||
	    vec_reserve(&d->head, d->head.len + edges))
		return -ENOMEM;
	return 0;
}

/* In place, slices of nodes are built on the -j threads (par_for(); the
 * first pass over Debian's 6.1 vmlinux: 0.07 s on one thread). */
struct key_slices {
	struct dedup *d;
	uint32_t first;		/* the first node built */
	const uint32_t *estart;	/* per node - first, + 1: its first edge */
	size_t largest;		/* the largest record */
	int err[PAR_MAX];	/* per part: its first failure */
};

static int slice_str(uint32_t *field, void *ctx)
{
	return bfmt_btf__str(ctx, *field) ? 0 : -EINVAL;
}

static void key_slice(void *ctx, unsigned part, size_t begin, size_t end)
{
	struct key_slices *ks = ctx;
	struct dedup *d = ks->d;
	uint32_t *copy = malloc(ks->largest);
	size_t i;
	int err = copy ? 0 : -ENOMEM;

	for (i = begin; i < end && !err; i++) {
		uint32_t v = ks->first + (uint32_t)i;
		const struct bfmt_type *t = bfmt_btf__type(d->btf, v);
		size_t size = (size_t)bfmt_type__size(t);	/* checked */
		struct slice_visit sv = { d, v, d->tail.len + ks->estart[i], 0 };
		struct bfmt_type *k = memcpy(copy, t, size);

		err = bfmt_type__visit_ids(k, slice_id, &sv);
		if (!err)
			err = bfmt_type__visit_strs(k, slice_str, d->btf);
		if (!err)
			d->key_hash[v] = d->opts->force_collisions ? 0 : hash_bytes(k, size, 0);
	}
	free(copy);
	ks->err[part] = err;
}

/* The copies, one node after the other (strset_add() is not shared). */
static int add_keys(struct dedup *d, uint32_t id, const uint32_t *estart)
{
	uint32_t v;
	int err;

	for (v = id; v < d->nr; v++) {
		d->key_off[v] = (uint32_t)d->keys.len;
		if (d->keys.len > UINT32_MAX / 2)
			return -E2BIG;
		err = add_key(d, v, d->tail.len + estart[v - id]);
		if (err)
			return err;
	}
	d->key_off[d->nr] = (uint32_t)d->keys.len;
	return 0;
}

/*
 * Phases 1 and 2 for the nodes not lent by an earlier pass: keys, and the
 * edges, node by node in label order. Each node's edges go where the
 * counts of the nodes before it put them (reserve_keys()), so in place
 * the nodes are built in slices on the -j threads and the arrays are the
 * ones one thread builds.
 */
int btfd_build_keys(struct dedup *d)
{
	struct key_slices ks = { .d = d, .first = 1 };
	uint32_t *estart, v, id = 1, most = 0, base_most;
	unsigned parts, p;
	int err;

	if (d->base_done)
		id = d->btf->start_id;	/* lent by an earlier pass */
	else
		d->key_hash[0] = d->opts->force_collisions ? 0 : hash_u64(0);
	estart = calloc((size_t)(d->nr - id) + 1, sizeof(*estart));
	err = estart ? reserve_keys(d, id, estart, &ks.largest) : -ENOMEM;
	if (err) {
		free(estart);
		return err;
	}
	base_most = d->nr_labels;
	for (v = id; v < d->nr; v++) {
		uint32_t n = estart[v - id + 1] - estart[v - id];

		if (n > most)
			most = n;
		if (v < d->btf->start_id && n > base_most)
			base_most = n;
	}
	if (d->inplace) {
		ks.first = id;
		ks.estart = estart;
		parts = par_for(d->nr - id, d->opts->jobs, 1u << 14, key_slice, &ks);
		for (p = 0; p < parts && !err; p++)
			err = ks.err[p];
	} else {
		err = add_keys(d, id, estart);
	}
	if (!err) {
		/* The base's part ends where the split part's first node
		 * begins (a table without a base: at once). */
		if (!d->base_done && id <= d->btf->start_id && d->btf->start_id < d->nr) {
			d->base_edges = d->tail.len + estart[d->btf->start_id - id];
			d->base_labels = base_most;
			d->base_done = true;
		}
		d->tail.len = d->label.len = d->head.len = d->tail.len + estart[d->nr - id];
		if (most > d->nr_labels)
			d->nr_labels = most;
	}
	free(estart);
	return err;
}

static bool keys_equal(const struct dedup *d, uint32_t a, uint32_t b)
{
	uint32_t la, lb;

	/* In place: the records, but for their ids (void's key is empty). */
	if (d->inplace)
		return a && b ? bfmt_type__equal_but_ids(bfmt_btf__type(d->btf, a),
							 bfmt_btf__type(d->btf, b))
			      : a == b;
	la = d->key_off[a + 1] - d->key_off[a];
	lb = d->key_off[b + 1] - d->key_off[b];
	return la == lb && !memcmp(&d->keys.v[d->key_off[a]],
				   &d->keys.v[d->key_off[b]], (size_t)la * 4);
}

/* See btfe_dedup_internal.h. */
int btfd_group_nodes(const struct grouping *g, uint32_t n, uint32_t nr_members,
		       uint32_t *class, uint32_t *next)
{
	size_t cap = 16, mask, i;
	uint32_t *slots, v;

	while (cap < (size_t)nr_members * 2)
		cap <<= 1;
	mask = cap - 1;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (v = 0; v < n; v++) {
		uint64_t hv, hu;

		if (!g->hash(g, v, &hv))
			continue;
		for (i = hv & mask;; i = (i + 1) & mask) {
			uint32_t u;

			if (!slots[i]) {
				slots[i] = v + 1;
				class[v] = (*next)++;
				break;
			}
			u = slots[i] - 1;
			if (g->hash(g, u, &hu) && hu == hv && g->same(g, u, v)) {
				class[v] = class[u];
				break;
			}
		}
	}
	free(slots);
	return 0;
}

static bool key_hash_of(const struct grouping *g, uint32_t v, uint64_t *h)
{
	*h = g->d->key_hash[v];
	return true;
}

static bool same_key(const struct grouping *g, uint32_t u, uint32_t v)
{
	return keys_equal(g->d, u, v);
}

/* Number the distinct keys in order of first occurrence. */
int btfd_number_keys(struct dedup *d)
{
	const struct grouping g = { d, NULL, key_hash_of, same_key };

	return btfd_group_nodes(&g, d->nr, d->nr, d->init_block, &d->nr_init_blocks);
}

/* After numbering, the keys are needed only for their names: keep those
 * and free the rest, before the refinement needs its memory (the keys are
 * a copy of every record: 40 MB of Debian's 6.1 vmlinux). Split BTF keeps
 * them: the next pass borrows the base's part. */
int btfd_keep_names(struct dedup *d)
{
	uint32_t v;

	d->name = malloc((d->nr ? d->nr : 1) * sizeof(*d->name));
	if (!d->name)
		return -ENOMEM;
	d->name[0] = 0;
	for (v = 1; v < d->nr; v++) {
		const struct bfmt_type *k = d->inplace ? bfmt_btf__type(d->btf, v)
			: (const struct bfmt_type *)&d->keys.v[d->key_off[v]];

		d->name[v] = k->name_off;
	}
	if (!d->base) {
		vec_free(&d->keys);
		free(d->key_hash);
		d->key_hash = NULL;
		free(d->key_off);
		d->key_off = NULL;
	}
	return 0;
}
