// SPDX-License-Identifier: GPL-2.0-only
/* Test-only: type-graph equivalence of BTF tables (see btf_graph_eq.h). */
#include "btf_graph_eq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/hmap.h"
#include "util/strset.h"
#include "util/vec.h"

/* Interning of u32 word strings: equal strings get equal small numbers. */
struct interner {
	struct { uint32_t *v; size_t len, cap; } words;
	struct { uint32_t *v; size_t len, cap; } start;	/* per entry + 1 */
	uint32_t *slots;	/* entry + 1, 0 = empty */
	size_t nr_slots;
};

static void interner_deinit(struct interner *in)
{
	vec_free(&in->words);
	vec_free(&in->start);
	free(in->slots);
	memset(in, 0, sizeof(*in));
}

static int interner_init(struct interner *in, size_t expect)
{
	memset(in, 0, sizeof(*in));
	in->nr_slots = 16;
	while (in->nr_slots < expect * 2)
		in->nr_slots <<= 1;
	in->slots = calloc(in->nr_slots, sizeof(*in->slots));
	if (!in->slots || vec_push(&in->start))
		return -ENOMEM;
	return 0;
}

/* *id_ret = number of w[0..n) (the table never fills: sized for expect). */
static int intern(struct interner *in, const uint32_t *w, size_t n, uint32_t *id_ret)
{
	size_t mask = in->nr_slots - 1, i = hash_bytes(w, n * 4, 7) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t e = in->slots[i];

		if (!e)
			break;
		e--;
		if (in->start.v[e + 1] - in->start.v[e] == n &&
		    !memcmp(&in->words.v[in->start.v[e]], w, n * 4)) {
			*id_ret = e;
			return 0;
		}
	}
	if (vec_reserve(&in->words, in->words.len + n) || vec_push(&in->start))
		return -ENOMEM;
	if (n)
		memcpy(&in->words.v[in->words.len], w, n * 4);
	in->words.len += n;
	*vec_last(&in->start) = (uint32_t)in->words.len;
	*id_ret = (uint32_t)in->start.len - 2;
	in->slots[i] = *id_ret + 1;
	return 0;
}

/* The union of up to two tables as one node set: a's ids, then b's. */
struct geq {
	const struct bfmt_btf *t[2];
	uint32_t na, n;
	struct strset strs;
	uint32_t *key;		/* per node: class of its local shape */
	uint32_t *name;		/* per node: canonical name offset in strs */
	uint32_t *cls;		/* per node: equivalence class */
	uint32_t nr_cls;
	struct { uint32_t *v; size_t len, cap; } succ;	/* successors, flat */
	uint32_t *succ_off;	/* per node + 1 */
};

static const struct bfmt_type *geq_type(const struct geq *g, uint32_t v)
{
	return v < g->na ? bfmt_btf__type(g->t[0], v) : bfmt_btf__type(g->t[1], v - g->na);
}

struct key_ctx {
	struct geq *g;
	uint32_t v;
	int err;
};

static int key_id(uint32_t *field, void *ctx)
{
	struct key_ctx *k = ctx;
	uint32_t to = *field + (k->v < k->g->na ? 0 : k->g->na);

	*field = 0;
	if (vec_push(&k->g->succ))
		return -ENOMEM;
	*vec_last(&k->g->succ) = to;
	return 0;
}

static int key_str(uint32_t *field, void *ctx)
{
	struct key_ctx *k = ctx;
	const struct bfmt_btf *b = k->v < k->g->na ? k->g->t[0] : k->g->t[1];
	const char *s = bfmt_btf__str(b, *field);

	return s ? strset_add(&k->g->strs, s, field) : -EINVAL;
}

/* Local shapes and successor lists. */
static int geq_keys(struct geq *g)
{
	struct interner in;
	uint32_t v, buf[4096];
	int err = interner_init(&in, g->n);

	for (v = 0; v < g->n && !err; v++) {
		const struct bfmt_type *t = geq_type(g, v);
		struct key_ctx k = { .g = g, .v = v };
		long size = t ? bfmt_type__size(t) : 0;
		uint32_t *w = buf;

		g->succ_off[v] = (uint32_t)g->succ.len;
		if (size < 0)
			err = -EINVAL;
		if (!err && (size_t)size > sizeof(buf))
			w = malloc((size_t)size);
		if (!err && !w)
			err = -ENOMEM;
		if (err)
			break;
		if (t) {
			memcpy(w, t, (size_t)size);
			err = bfmt_type__visit_ids((struct bfmt_type *)w, key_id, &k);
			if (!err)
				err = bfmt_type__visit_strs((struct bfmt_type *)w, key_str, &k);
			g->name[v] = ((struct bfmt_type *)w)->name_off;
		}
		if (!err)
			err = intern(&in, w, (size_t)size / 4, &g->key[v]);
		if (w != buf)
			free(w);
	}
	g->succ_off[g->n] = (uint32_t)g->succ.len;
	interner_deinit(&in);
	return err;
}

/* Moore refinement until the class count is stable. */
static int geq_refine(struct geq *g)
{
	uint32_t *sig = NULL, prev = 0, v;
	int err = 0;

	memcpy(g->cls, g->key, g->n * sizeof(*g->cls));
	for (v = 0; v < g->n; v++)
		prev = g->key[v] + 1 > prev ? g->key[v] + 1 : prev;
	for (;;) {
		struct interner in = { 0 };
		uint32_t *next = malloc(g->n * sizeof(*next)), count = 0;

		err = next ? interner_init(&in, g->n) : -ENOMEM;
		for (v = 0; v < g->n && !err; v++) {
			uint32_t a = g->succ_off[v], z = g->succ_off[v + 1], i;

			free(sig);
			sig = malloc((z - a + 1) * sizeof(*sig));
			if (!sig) {
				err = -ENOMEM;
				break;
			}
			sig[0] = g->cls[v];
			for (i = a; i < z; i++)
				sig[i - a + 1] = g->cls[g->succ.v[i]];
			err = intern(&in, sig, z - a + 1, &next[v]);
			count = next[v] + 1 > count ? next[v] + 1 : count;
		}
		if (next && !err)
			memcpy(g->cls, next, g->n * sizeof(*next));
		free(next);
		interner_deinit(&in);
		if (err || count == prev)
			break;
		prev = count;
	}
	g->nr_cls = prev;
	free(sig);
	return err;
}

static void geq_deinit(struct geq *g)
{
	strset_deinit(&g->strs);
	free(g->key);
	free(g->name);
	free(g->cls);
	free(g->succ_off);
	vec_free(&g->succ);
}

static int geq_init(struct geq *g, const struct bfmt_btf *a, const struct bfmt_btf *b)
{
	memset(g, 0, sizeof(*g));
	g->t[0] = a;
	g->t[1] = b;
	g->na = bfmt_btf__nr_types(a);
	g->n = g->na + (b ? bfmt_btf__nr_types(b) : 0);
	g->key = calloc(g->n, sizeof(*g->key));
	g->name = calloc(g->n, sizeof(*g->name));
	g->cls = calloc(g->n, sizeof(*g->cls));
	g->succ_off = calloc(g->n + 1, sizeof(*g->succ_off));
	if (!g->key || !g->name || !g->cls || !g->succ_off || strset_init(&g->strs))
		return -ENOMEM;
	if (geq_keys(g))
		return -EINVAL;
	return geq_refine(g);
}

/* Does every class of nodes [lo1, hi1) occur among nodes [lo2, hi2)? */
static bool classes_within(const struct geq *g, uint32_t lo1, uint32_t hi1,
			   uint32_t lo2, uint32_t hi2)
{
	bool *seen = calloc(g->nr_cls + 1, 1), ok = seen != NULL;
	uint32_t v;

	for (v = lo2; ok && v < hi2; v++)
		seen[g->cls[v]] = true;
	for (v = lo1; ok && v < hi1; v++)
		ok = seen[g->cls[v]];
	free(seen);
	return ok;
}

bool btf_graph_equiv(const struct bfmt_btf *a, const struct bfmt_btf *b)
{
	struct geq g;
	bool ok = !geq_init(&g, a, b);

	ok = ok && classes_within(&g, 0, g.na, g.na, g.n) &&
	     classes_within(&g, g.na, g.n, 0, g.na);
	geq_deinit(&g);
	return ok;
}

bool btf_graph_minimal(const struct bfmt_btf *a)
{
	struct geq g;
	bool ok = !geq_init(&g, a, NULL);

	ok = ok && g.nr_cls == g.n;
	geq_deinit(&g);
	return ok;
}

/* The namespace a definition or forward declaration lives in, 0 for none;
 * *fwd says which of the two it is. */
static int fwd_space(const struct bfmt_type *t, bool *fwd)
{
	*fwd = false;
	if (!t)
		return 0;
	switch (bfmt_kind(t)) {
	case BFMT_KIND_FWD:
		*fwd = true;
		return bfmt_kflag(t) ? 2 : 1;
	case BFMT_KIND_STRUCT:
		return 1;
	case BFMT_KIND_UNION:
		return 2;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		*fwd = bfmt_vlen(t) == 0;
		return 3;
	default:
		return 0;
	}
}

/* May in-node a stand for out-node b before looking at references? */
static bool pair_candidate(const struct geq *g, uint32_t a, uint32_t b)
{
	bool fa, fb;
	int sa, sb;

	if (g->key[a] == g->key[b])
		return true;
	sa = fwd_space(geq_type(g, a), &fa);
	sb = fwd_space(geq_type(g, b), &fb);
	return sa && sa == sb && fa && !fb && g->name[a] && g->name[a] == g->name[b];
}

struct pairs {
	struct hmap idx;	/* a << 32 | b -> index */
	struct { uint64_t *v; size_t len, cap; } list;
	bool *alive;
};

static bool pair_alive(const struct pairs *p, uint32_t a, uint32_t b)
{
	uint64_t i;

	return hmap_get(&p->idx, (uint64_t)a << 32 | b, &i) && p->alive[i];
}

/* Greatest fixed point: drop pairs whose references do not pair up. */
static void pairs_prune(const struct geq *g, struct pairs *p)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (size_t i = 0; i < p->list.len; i++) {
			uint32_t a = (uint32_t)(p->list.v[i] >> 32), b = (uint32_t)p->list.v[i];
			uint32_t na = g->succ_off[a + 1] - g->succ_off[a];
			uint32_t nb = g->succ_off[b + 1] - g->succ_off[b];

			if (!p->alive[i])
				continue;
			for (uint32_t k = 0; k < na && k < nb; k++) {
				if (!pair_alive(p, g->succ.v[g->succ_off[a] + k],
						g->succ.v[g->succ_off[b] + k])) {
					p->alive[i] = false;
					changed = true;
					break;
				}
			}
		}
	}
}

static int pairs_build(const struct geq *g, struct pairs *p)
{
	for (uint32_t a = 0; a < g->na; a++) {
		for (uint32_t b = g->na; b < g->n; b++) {
			if (!pair_candidate(g, a, b))
				continue;
			if (vec_push(&p->list) ||
			    hmap_set(&p->idx, (uint64_t)a << 32 | b, p->list.len - 1))
				return -ENOMEM;
			*vec_last(&p->list) = (uint64_t)a << 32 | b;
		}
	}
	p->alive = malloc(p->list.len + 1);
	if (!p->alive)
		return -ENOMEM;
	memset(p->alive, 1, p->list.len + 1);
	return 0;
}

bool btf_graph_covers(const struct bfmt_btf *in, const struct bfmt_btf *out)
{
	struct pairs p = { 0 };
	bool *has = NULL, ok;
	struct geq g;

	hmap_init(&p.idx);
	ok = !geq_init(&g, in, out) && !pairs_build(&g, &p);
	if (ok) {
		pairs_prune(&g, &p);
		has = calloc(g.n, 1);
		ok = has != NULL;
	}
	for (size_t i = 0; ok && i < p.list.len; i++) {
		if (p.alive[i]) {
			has[p.list.v[i] >> 32] = true;
			has[(uint32_t)p.list.v[i]] = true;
		}
	}
	for (uint32_t v = 0; ok && v < g.n; v++)
		ok = has[v];
	free(has);
	free(p.alive);
	vec_free(&p.list);
	hmap_deinit(&p.idx);
	geq_deinit(&g);
	return ok;
}
