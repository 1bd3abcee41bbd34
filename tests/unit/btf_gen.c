// SPDX-License-Identifier: GPL-2.0-only
/* Test-only BTF helpers: random graphs, permuted copies, a raw reader. */
#include "btf_gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t btf_rng_next(struct btf_rng *r)
{
	uint64_t x = r->s ? r->s : 0x9e3779b97f4a7c15ULL;

	if (r->nr_bytes) {
		uint32_t v = 0;
		size_t i;

		for (i = 0; i < 4 && r->nr_bytes; i++, r->nr_bytes--)
			v = v << 8 | *r->bytes++;
		return v;
	}

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r->s = x;
	return (uint32_t)(x >> 32);
}

uint32_t btf_rng_below(struct btf_rng *r, uint32_t n)
{
	return n ? btf_rng_next(r) % n : 0;
}

void btf_gen_perm(struct btf_rng *r, uint32_t *perm, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		perm[i] = i + 1;
	for (i = n; i > 1; i--) {
		uint32_t j = btf_rng_below(r, i), t = perm[i - 1];

		perm[i - 1] = perm[j];
		perm[j] = t;
	}
}

/* Generator state: the table and, per id, the byte size when the type can
 * be embedded by value (0: it cannot). */
struct gen {
	struct btf_rng rng;
	struct bfmt_btf *btf;
	uint32_t *size;		/* per id */
	uint32_t cap;
	uint32_t *ptrs;		/* PTR ids whose target is chosen at the end */
	uint32_t nr_ptrs;
	uint32_t *vars;		/* VAR ids for the DATASEC */
	uint32_t nr_vars;
	int err;		/* first error; later steps do nothing */
};

/* The string prefix followed by n, added to the table. */
static uint32_t gen_str(struct gen *g, const char *prefix, uint32_t n)
{
	char buf[32];
	uint32_t off = 0;

	snprintf(buf, sizeof(buf), "%s%u", prefix, n);
	if (!g->err)
		g->err = bfmt_btf__add_str(g->btf, buf, &off);
	return off;
}

/* Add a type; returns its id (0 once an error happened). */
static uint32_t gen_add(struct gen *g, enum bfmt_kind k, uint32_t vlen, bool kflag,
			uint32_t name, uint32_t size_type, uint32_t byte_size, void **extra)
{
	uint32_t id = 0;

	if (g->err)
		return 0;
	g->err = bfmt_btf__add_type(g->btf, k, vlen, kflag, name, size_type, &id, extra);
	if (g->err || id >= g->cap)
		return g->err = g->err ? g->err : -E2BIG, 0;
	g->size[id] = byte_size;
	return id;
}

/* A random earlier type that can be embedded by value. */
static uint32_t gen_sized(struct gen *g, uint32_t below)
{
	for (int tries = 0; tries < 64; tries++) {
		uint32_t id = 1 + btf_rng_below(&g->rng, below - 1);

		if (g->size[id])
			return id;
	}
	return 1;	/* the first int */
}

static void gen_struct(struct gen *g, uint32_t id_now, bool is_union)
{
	uint32_t vlen = 1 + btf_rng_below(&g->rng, 4), i, off = 0, size = 0;
	uint32_t ty[4], name = 0;
	struct bfmt_member *m;
	uint32_t id;

	if (btf_rng_below(&g->rng, 4))
		name = gen_str(g, is_union ? "u" : "s", btf_rng_below(&g->rng, 6));
	for (i = 0; i < vlen; i++) {
		ty[i] = gen_sized(g, id_now);
		if (is_union)
			size = g->size[ty[i]] > size ? g->size[ty[i]] : size;
		else
			size += g->size[ty[i]];
	}
	id = gen_add(g, is_union ? BFMT_KIND_UNION : BFMT_KIND_STRUCT, vlen, false,
		     name, size, size, (void **)&m);
	for (i = 0; id && i < vlen; i++) {
		uint32_t mname = gen_str(g, "m", i);

		m = bfmt_type_extra(bfmt_btf__type(g->btf, id));
		m[i].name_off = mname;
		m[i].type = ty[i];
		m[i].offset = off * 8;
		if (!is_union)
			off += g->size[ty[i]];
	}
}

/*
 * Enums e0..e3; e1 and e3 are always ENUM64, as one C enum is one kind in
 * one build. Several different enums (and forwards) share each name.
 */
static void gen_enum(struct gen *g)
{
	uint32_t vlen = btf_rng_below(&g->rng, 5) ? 1 + btf_rng_below(&g->rng, 3) : 0;
	uint32_t nr = btf_rng_below(&g->rng, 4), name = gen_str(g, "e", nr), i, id;
	uint32_t base = btf_rng_below(&g->rng, 2);
	bool is64 = nr & 1;
	void *ex;

	/* An enum forward declaration is incomplete: not embedded by value. */
	id = gen_add(g, is64 ? BFMT_KIND_ENUM64 : BFMT_KIND_ENUM, vlen, false, name,
		     is64 ? 8 : 4, !vlen ? 0 : is64 ? 8 : 4, &ex);
	for (i = 0; id && i < vlen; i++) {
		uint32_t vname = gen_str(g, "E", base * 10 + i);

		ex = bfmt_type_extra(bfmt_btf__type(g->btf, id));
		if (is64) {
			struct bfmt_enum64 *e = ex;

			e[i].name_off = vname;
			e[i].val_lo32 = base + i;
			e[i].val_hi32 = base;
		} else {
			struct bfmt_enum *e = ex;

			e[i].name_off = vname;
			e[i].val = (int32_t)(base + i);
		}
	}
}

static void gen_proto(struct gen *g, uint32_t id_now)
{
	uint32_t vlen = btf_rng_below(&g->rng, 4), i, id;
	uint32_t ret = btf_rng_below(&g->rng, 3) ? gen_sized(g, id_now) : 0;
	uint32_t ty[4];
	struct bfmt_param *p;

	for (i = 0; i < vlen; i++)
		ty[i] = gen_sized(g, id_now);
	id = gen_add(g, BFMT_KIND_FUNC_PROTO, vlen, false, 0, ret, 0, (void **)&p);
	for (i = 0; id && i < vlen; i++) {
		uint32_t pname = gen_str(g, "p", i);

		p = bfmt_type_extra(bfmt_btf__type(g->btf, id));
		p[i].name_off = pname;
		p[i].type = ty[i];
	}
}

/* A random earlier type of one of the given kinds, or 0. */
static uint32_t gen_pick(struct gen *g, uint32_t below, uint32_t kinds)
{
	for (int tries = 0; tries < 64; tries++) {
		uint32_t id = 1 + btf_rng_below(&g->rng, below - 1);

		if (kinds & (1u << bfmt_kind(bfmt_btf__type(g->btf, id))))
			return id;
	}
	return 0;
}

static void gen_decl_tag(struct gen *g, uint32_t id_now)
{
	uint32_t kinds = 1u << BFMT_KIND_STRUCT | 1u << BFMT_KIND_UNION |
			 1u << BFMT_KIND_FUNC | 1u << BFMT_KIND_VAR;
	uint32_t target = gen_pick(g, id_now, kinds), id;
	const struct bfmt_type *t;
	int32_t comp = -1;
	void *ex;

	if (!target)
		return;
	t = bfmt_btf__type(g->btf, target);
	if (bfmt_kind(t) == BFMT_KIND_STRUCT || bfmt_kind(t) == BFMT_KIND_UNION) {
		if (btf_rng_below(&g->rng, 2))
			comp = (int32_t)btf_rng_below(&g->rng, bfmt_vlen(t));
	} else if (bfmt_kind(t) == BFMT_KIND_FUNC) {
		uint32_t n = bfmt_vlen(bfmt_btf__type(g->btf, t->size_type));

		if (n && btf_rng_below(&g->rng, 2))
			comp = (int32_t)btf_rng_below(&g->rng, n);
	}
	id = gen_add(g, BFMT_KIND_DECL_TAG, 0, false,
		     gen_str(g, "tag", btf_rng_below(&g->rng, 2)), target, 0, &ex);
	if (id)
		((struct bfmt_decl_tag *)bfmt_type_extra(bfmt_btf__type(g->btf, id)))
			->component_idx = comp;
}

static void gen_ref(struct gen *g, uint32_t id_now, enum bfmt_kind k)
{
	uint32_t to = gen_sized(g, id_now), name = 0, id;
	void *ex;

	if (k == BFMT_KIND_TYPEDEF)
		name = gen_str(g, "t", btf_rng_below(&g->rng, 4));
	if (k == BFMT_KIND_TYPE_TAG)
		name = gen_str(g, "tt", btf_rng_below(&g->rng, 2));
	if (k == BFMT_KIND_TYPE_TAG) {
		/* The kernel wants type tags right under a pointer. */
		to = gen_add(g, BFMT_KIND_TYPE_TAG, 0, false, name, to, 0, NULL);
		gen_add(g, BFMT_KIND_PTR, 0, false, 0, to, 8, NULL);
		return;
	}
	id = gen_add(g, k, 0, false, name, to, g->size[to], &ex);
	(void)id;
}

static void gen_one(struct gen *g, uint32_t id_now)
{
	uint32_t r = btf_rng_below(&g->rng, 20);
	uint32_t id;

	if (r < 3) {
		gen_add(g, BFMT_KIND_PTR, 0, false, 0, 0, 8, NULL);
		id = bfmt_btf__nr_types(g->btf) - 1;
		if (!g->err)
			g->ptrs[g->nr_ptrs++] = id;
	} else if (r < 7) {
		gen_struct(g, id_now, r == 6);
	} else if (r < 8) {
		bool is_union = btf_rng_below(&g->rng, 4) == 0;
		uint32_t name = gen_str(g, is_union ? "u" : "s", btf_rng_below(&g->rng, 6));

		gen_add(g, BFMT_KIND_FWD, 0, is_union, name, 0, 0, NULL);
	} else if (r < 10) {
		gen_enum(g);
	} else if (r < 11) {
		gen_ref(g, id_now, BFMT_KIND_TYPEDEF);
	} else if (r < 12) {
		gen_ref(g, id_now, btf_rng_below(&g->rng, 2) ? BFMT_KIND_CONST
							      : BFMT_KIND_VOLATILE);
	} else if (r < 13) {
		uint32_t elem = gen_sized(g, id_now), n = 1 + btf_rng_below(&g->rng, 3);
		struct bfmt_array *a;

		id = gen_add(g, BFMT_KIND_ARRAY, 0, false, 0, 0, g->size[elem] * n,
			     (void **)&a);
		if (id) {
			a->type = elem;
			a->index_type = 1;
			a->nelems = n;
		}
	} else if (r < 14) {
		gen_proto(g, id_now);
	} else if (r < 15) {
		uint32_t proto = gen_pick(g, id_now, 1u << BFMT_KIND_FUNC_PROTO);
		void *ex;

		if (proto)
			gen_add(g, BFMT_KIND_FUNC, BFMT_LINKAGE_GLOBAL, false,
				gen_str(g, "f", btf_rng_below(&g->rng, 4)), proto, 0, &ex);
	} else if (r < 16) {
		uint32_t ty = gen_sized(g, id_now);
		struct bfmt_var *v;

		/* VARs named uniquely: the DATASEC lists them all. */
		id = gen_add(g, BFMT_KIND_VAR, 0, false, gen_str(g, "v", g->nr_vars), ty,
			     0, (void **)&v);
		if (id) {
			v->linkage = BFMT_LINKAGE_GLOBAL;
			g->vars[g->nr_vars++] = id;
		}
	} else if (r < 17) {
		gen_decl_tag(g, id_now);
	} else if (r < 18) {
		gen_ref(g, id_now, BFMT_KIND_TYPE_TAG);
	} else {
		static const struct { const char *name; uint32_t size, enc; } ints[] = {
			{ "int", 4, BFMT_INT_SIGNED }, { "char", 1, BFMT_INT_CHAR },
			{ "long", 8, BFMT_INT_SIGNED },
		};
		uint32_t i = btf_rng_below(&g->rng, 3), name, *ex;

		name = 0;
		if (!g->err)
			g->err = bfmt_btf__add_str(g->btf, ints[i].name, &name);
		id = gen_add(g, BFMT_KIND_INT, 0, false, name, ints[i].size, ints[i].size,
			     (void **)&ex);
		if (id)
			*ex = bfmt_int_info(ints[i].enc, 0, ints[i].size * 8);
	}
}

/* Kinds a pointer may point to (void too). */
static const uint32_t ptr_target_kinds =
	1u << BFMT_KIND_INT | 1u << BFMT_KIND_PTR | 1u << BFMT_KIND_ARRAY |
	1u << BFMT_KIND_STRUCT | 1u << BFMT_KIND_UNION | 1u << BFMT_KIND_ENUM |
	1u << BFMT_KIND_FWD | 1u << BFMT_KIND_TYPEDEF | 1u << BFMT_KIND_VOLATILE |
	1u << BFMT_KIND_CONST | 1u << BFMT_KIND_FUNC_PROTO | 1u << BFMT_KIND_ENUM64;

static void gen_finish(struct gen *g)
{
	uint32_t n = bfmt_btf__nr_types(g->btf), i, off = 0, id;
	struct bfmt_var_secinfo *si;

	/* Pointer targets last, so they reach later types: cycles. As in C,
	 * every cycle passes through a struct or union (libbpf refuses
	 * others), so later targets are only those. */
	for (i = 0; i < g->nr_ptrs && !g->err; i++) {
		uint32_t to = btf_rng_below(&g->rng, 8) ? gen_pick(g, n, ptr_target_kinds) : 0;
		uint32_t k = to ? bfmt_kind(bfmt_btf__type(g->btf, to)) : 0;

		if (to >= g->ptrs[i] && k != BFMT_KIND_STRUCT && k != BFMT_KIND_UNION &&
		    k != BFMT_KIND_FWD)
			to = gen_pick(g, g->ptrs[i], ptr_target_kinds);

		bfmt_btf__type(g->btf, g->ptrs[i])->size_type = to;
	}
	if (!g->nr_vars || g->err)
		return;
	for (i = 0; i < g->nr_vars; i++)
		off += g->size[bfmt_btf__type(g->btf, g->vars[i])->size_type];
	id = gen_add(g, BFMT_KIND_DATASEC, g->nr_vars, false, 0, off, 0, (void **)&si);
	if (!id)
		return;
	g->err = bfmt_btf__add_str(g->btf, ".data", &bfmt_btf__type(g->btf, id)->name_off);
	si = bfmt_type_extra(bfmt_btf__type(g->btf, id));
	for (i = 0, off = 0; i < g->nr_vars; i++) {
		uint32_t sz = g->size[bfmt_btf__type(g->btf, g->vars[i])->size_type];

		si[i].type = g->vars[i];
		si[i].offset = off;
		si[i].size = sz;
		off += sz;
	}
}

int btf_gen_random(uint64_t seed, uint32_t nr_types, struct bfmt_btf **ret)
{
	struct btf_rng rng = { .s = seed * 2 + 1 };

	return btf_gen_random_rng(&rng, nr_types, ret);
}

int btf_gen_random_rng(struct btf_rng *rng, uint32_t nr_types, struct bfmt_btf **ret)
{
	struct gen g = { .rng = *rng, .cap = nr_types + 64 };
	static const char *const names[] = { "int", "char", "long" };
	static const uint32_t sizes[] = { 4, 1, 8 };
	uint32_t i, *ex, name;

	g.size = calloc(g.cap, sizeof(*g.size));
	g.ptrs = calloc(g.cap, sizeof(*g.ptrs));
	g.vars = calloc(g.cap, sizeof(*g.vars));
	g.err = (!g.size || !g.ptrs || !g.vars) ? -ENOMEM : bfmt_btf__new(NULL, &g.btf);
	for (i = 0; i < 3 && !g.err; i++) {
		g.err = bfmt_btf__add_str(g.btf, names[i], &name);
		if (gen_add(&g, BFMT_KIND_INT, 0, false, name, sizes[i], sizes[i], (void **)&ex))
			*ex = bfmt_int_info(i == 1 ? BFMT_INT_CHAR : BFMT_INT_SIGNED, 0,
					    sizes[i] * 8);
	}
	while (!g.err && bfmt_btf__nr_types(g.btf) < nr_types)
		gen_one(&g, bfmt_btf__nr_types(g.btf));
	gen_finish(&g);
	*rng = g.rng;
	free(g.size);
	free(g.ptrs);
	free(g.vars);
	if (g.err) {
		bfmt_btf__free(g.btf);
		return g.err;
	}
	*ret = g.btf;
	return 0;
}

/* Copying types between tables. */

struct copy_ctx {
	const struct bfmt_btf *src;
	struct bfmt_btf *dst;
	const uint32_t *pos;	/* src id -> dst id */
	uint32_t nr;		/* src ids are < nr */
	const char *strs;	/* raw reader: string section, else NULL */
	uint32_t strs_len;
};

static int copy_id(uint32_t *field, void *ctx)
{
	const struct copy_ctx *c = ctx;

	if (*field >= c->nr)
		return -EINVAL;
	*field = c->pos ? c->pos[*field] : *field;
	return 0;
}

static int copy_str(uint32_t *field, void *ctx)
{
	const struct copy_ctx *c = ctx;
	const char *s;

	if (c->strs) {
		if (*field >= c->strs_len || !memchr(c->strs + *field, 0, c->strs_len - *field))
			return -EINVAL;
		s = c->strs + *field;
	} else {
		s = bfmt_btf__str(c->src, *field);
	}
	return s ? bfmt_btf__add_str(c->dst, s, field) : -EINVAL;
}

/* Append one record (common part + extra) and fix its fields. */
static int copy_record(struct copy_ctx *c, const struct bfmt_type *t)
{
	long size = bfmt_type__size(t);
	struct bfmt_type *nt;
	uint32_t id;
	void *ex;
	int err;

	if (size < 0)
		return -EINVAL;
	err = bfmt_btf__add_type(c->dst, bfmt_kind(t), bfmt_vlen(t), bfmt_kflag(t),
				 t->name_off, t->size_type, &id, &ex);
	if (err)
		return err;
	memcpy(ex, bfmt_type_extra(t), (size_t)size - sizeof(*t));
	nt = bfmt_btf__type(c->dst, id);
	err = bfmt_type__visit_ids(nt, copy_id, c);
	return err ? err : bfmt_type__visit_strs(nt, copy_str, c);
}

int btf_gen_append(struct bfmt_btf *dst, const struct bfmt_btf *src, const uint32_t *perm)
{
	uint32_t n = (uint32_t)src->offs.len, start = bfmt_btf__nr_types(dst), k;
	uint32_t *pos = calloc((size_t)n + 1, sizeof(*pos));
	struct copy_ctx c = { .src = src, .dst = dst, .pos = pos, .nr = n + 1 };
	int err = 0;

	if (!pos)
		return -ENOMEM;
	if (src->start_id != 1)
		err = -EINVAL;
	for (k = 0; k < n; k++)
		pos[perm ? perm[k] : k + 1] = start + k;
	for (k = 0; k < n && !err; k++)
		err = copy_record(&c, bfmt_btf__type(src, perm ? perm[k] : k + 1));
	free(pos);
	return err;
}

int btf_gen_flatten(const struct bfmt_btf *btf, struct bfmt_btf **ret)
{
	const struct bfmt_btf *part[2] = { btf->base, btf };
	struct bfmt_btf *dst = NULL;
	uint32_t id;
	int i, err;

	*ret = NULL;
	if (btf->base && btf->base->base)
		return -EINVAL;
	err = bfmt_btf__new(NULL, &dst);
	for (i = 0; i < 2 && !err; i++) {
		/* Ids stay: the flat table numbers the types as btf does. */
		struct copy_ctx c = { .src = part[i], .dst = dst,
				      .nr = bfmt_btf__nr_types(btf) };

		if (!part[i])
			continue;
		for (id = part[i]->start_id; id < bfmt_btf__nr_types(part[i]) && !err; id++)
			err = copy_record(&c, bfmt_btf__type(part[i], id));
	}
	if (err) {
		bfmt_btf__free(dst);
		return err;
	}
	*ret = dst;
	return 0;
}

int btf_read_raw(const void *data, size_t len, struct bfmt_btf **ret)
{
	const struct bfmt_header *h = data;
	struct copy_ctx c = { 0 };
	const unsigned char *types;
	size_t at = 0, hl;
	int err;

	if (len < sizeof(*h) || h->magic != BFMT_MAGIC || h->hdr_len < sizeof(*h))
		return -EINVAL;
	hl = h->hdr_len;
	if (hl > len || (size_t)h->type_off + h->type_len > len - hl ||
	    (size_t)h->str_off + h->str_len > len - hl || h->type_len % 4)
		return -EINVAL;
	types = (const unsigned char *)data + hl + h->type_off;
	c.strs = (const char *)data + hl + h->str_off;
	c.strs_len = h->str_len;
	c.nr = UINT32_MAX;
	err = bfmt_btf__new(NULL, &c.dst);
	while (!err && at < h->type_len) {
		const struct bfmt_type *t = (const void *)(types + at);
		long size;

		if (h->type_len - at < sizeof(*t))
			err = -EINVAL;
		size = err ? -1 : bfmt_type__size(t);
		if (size < 0 || (size_t)size > h->type_len - at)
			err = -EINVAL;
		if (!err)
			err = copy_record(&c, t);
		at += err ? 0 : (size_t)size;
	}
	if (err) {
		bfmt_btf__free(c.dst);
		return err;
	}
	*ret = c.dst;
	return 0;
}
