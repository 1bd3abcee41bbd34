// SPDX-License-Identifier: GPL-2.0-only
/* struct bfmt_btf: building, indexing, visiting and serialising BTF. */
#include "btf_types.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/vec.h"

int bfmt_btf__new(const struct bfmt_btf *base, struct bfmt_btf **ret)
{
	struct bfmt_btf *btf = calloc(1, sizeof(*btf));
	int err;

	if (!btf)
		return -ENOMEM;
	btf->base = base;
	btf->strs_canonical = !base || base->strs_canonical;
	if (base) {
		btf->start_id = bfmt_btf__nr_types(base);
		btf->start_str_off = base->start_str_off + (uint32_t)base->strs.len;
		err = strset_init_raw(&btf->strs);
	} else {
		btf->start_id = 1;
		err = strset_init(&btf->strs);
	}
	if (err) {
		free(btf);
		return err;
	}
	*ret = btf;
	return 0;
}

/* Give a mapped table's mapping back; its records and strings go with it. */
static void bfmt_btf__unmap(struct bfmt_btf *btf)
{
	if (!btf->map)
		return;
	btf->data.v = NULL;
	btf->data.len = btf->data.cap = 0;
	btf->strs.data = NULL;
	btf->strs.len = btf->strs.cap = 0;
	munmap(btf->map, btf->map_len);
	btf->map = NULL;
	btf->map_len = 0;
}

void bfmt_btf__free(struct bfmt_btf *btf)
{
	if (!btf)
		return;
	bfmt_btf__unmap(btf);
	vec_free(&btf->data);
	vec_free(&btf->offs);
	strset_deinit(&btf->strs);
	if (btf->owns_base)
		bfmt_btf__free((struct bfmt_btf *)btf->base);
	free(btf);
}

void bfmt_btf__replace(struct bfmt_btf *btf, struct bfmt_btf *src)
{
	bfmt_btf__unmap(btf);
	vec_free(&btf->data);
	vec_free(&btf->offs);
	strset_deinit(&btf->strs);
	btf->data.v = src->data.v;
	btf->data.len = src->data.len;
	btf->data.cap = src->data.cap;
	btf->offs.v = src->offs.v;
	btf->offs.len = src->offs.len;
	btf->offs.cap = src->offs.cap;
	btf->strs = src->strs;
	btf->map = src->map;
	btf->map_len = src->map_len;
	btf->strs_canonical = src->strs_canonical;
	/* src's buffers now belong to btf: free only the shell. */
	free(src);
}

int bfmt_btf__truncate(struct bfmt_btf *btf, uint32_t nr)
{
	uint32_t keep;

	if (btf->map)
		return -EPERM;
	if (nr < btf->start_id || nr > bfmt_btf__nr_types(btf))
		return -EINVAL;
	keep = nr - btf->start_id;
	if (keep < btf->offs.len) {
		btf->data.len = btf->offs.v[keep];
		btf->offs.len = keep;
	}
	return 0;
}

int bfmt_btf__add_str(struct bfmt_btf *btf, const char *s, uint32_t *off_ret)
{
	const struct bfmt_btf *b;
	uint32_t off;
	int err;

	if (!s || !*s) {
		*off_ret = 0;
		return 0;
	}
	for (b = btf->base; b; b = b->base) {
		if (!strset_find(&b->strs, s, &off)) {
			*off_ret = b->start_str_off + off;
			return 0;
		}
	}
	if (btf->map) {
		if (strset_find(&btf->strs, s, &off))
			return -EPERM;
	} else {
		err = strset_add(&btf->strs, s, &off);
		if (err)
			return err;
	}
	*off_ret = btf->start_str_off + off;
	return 0;
}

int bfmt_btf__add_type(struct bfmt_btf *btf, enum bfmt_kind kind, uint32_t vlen,
		       bool kflag, uint32_t name_off, uint32_t size_type,
		       uint32_t *id_ret, void **extra_ret)
{
	long extra = bfmt_extra_size(kind, vlen);
	size_t words, at;
	struct bfmt_type *t;

	if (btf->map)
		return -EPERM;
	if (extra < 0 || vlen > BFMT_MAX_VLEN)
		return -EINVAL;
	if (bfmt_btf__nr_types(btf) > BFMT_MAX_NR_TYPES)
		return -E2BIG;
	words = (sizeof(*t) + (size_t)extra) / 4;
	if (vec_reserve(&btf->data, btf->data.len + words) ||
	    vec_reserve(&btf->offs, btf->offs.len + 1))
		return -ENOMEM;
	at = btf->data.len;
	t = (struct bfmt_type *)&btf->data.v[at];
	memset(t, 0, words * 4);
	t->name_off = name_off;
	t->info = bfmt_info(kind, vlen, kflag);
	t->size_type = size_type;
	btf->data.len += words;
	btf->offs.v[btf->offs.len++] = (uint32_t)at;
	*id_ret = btf->start_id + (uint32_t)btf->offs.len - 1;
	if (extra_ret)
		*extra_ret = bfmt_type_extra(t);
	return 0;
}

/* Kinds whose size_type is a type id (a FUNC_PROTO's: its return). */
static bool bfmt_size_type_is_id(enum bfmt_kind k)
{
	switch (k) {
	case BFMT_KIND_PTR:
	case BFMT_KIND_TYPEDEF:
	case BFMT_KIND_VOLATILE:
	case BFMT_KIND_CONST:
	case BFMT_KIND_RESTRICT:
	case BFMT_KIND_FUNC:
	case BFMT_KIND_VAR:
	case BFMT_KIND_DECL_TAG:
	case BFMT_KIND_TYPE_TAG:
	case BFMT_KIND_FUNC_PROTO:
		return true;
	default:
		return false;
	}
}

/* Visit the field at word skip of each of n entries of stride words. */
static int bfmt_visit_entries(uint32_t *w, uint32_t n, uint32_t stride, uint32_t skip,
			      bfmt_field_fn fn, void *ctx)
{
	uint32_t i;
	int err = 0;

	for (i = 0; i < n && !err; i++)
		err = fn(&w[i * stride + skip], ctx);
	return err;
}

int bfmt_type__visit_ids(struct bfmt_type *t, bfmt_field_fn fn, void *ctx)
{
	enum bfmt_kind k = bfmt_kind(t);
	uint32_t n = bfmt_vlen(t), *x = bfmt_type_extra(t);
	int err;

	if (bfmt_size_type_is_id(k)) {
		err = fn(&t->size_type, ctx);
		if (err || k != BFMT_KIND_FUNC_PROTO)
			return err;
		return bfmt_visit_entries(x, n, 2, 1, fn, ctx);		/* param types */
	}
	switch (k) {
	case BFMT_KIND_ARRAY:
		return bfmt_visit_entries(x, 2, 1, 0, fn, ctx);		/* type, index */
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		return bfmt_visit_entries(x, n, 3, 1, fn, ctx);		/* member types */
	case BFMT_KIND_DATASEC:
		return bfmt_visit_entries(x, n, 3, 0, fn, ctx);		/* entry types */
	default:
		return 0;
	}
}

/* n entries of stride words each, equal except for word skip of each. */
static bool bfmt_entries_equal_but(const uint32_t *a, const uint32_t *b, uint32_t n,
				   uint32_t stride, uint32_t skip)
{
	uint32_t i, w;

	for (i = 0; i < n; i++, a += stride, b += stride)
		for (w = 0; w < stride; w++)
			if (w != skip && a[w] != b[w])
				return false;
	return true;
}

/* The fields bfmt_type__visit_ids() visits are the ones left out: the same
 * strides and places. */
bool bfmt_type__equal_but_ids(const struct bfmt_type *a, const struct bfmt_type *b)
{
	const uint32_t *ea = bfmt_type_extra(a), *eb = bfmt_type_extra(b);
	enum bfmt_kind k = bfmt_kind(a);
	uint32_t n = bfmt_vlen(a);
	long extra;

	if (a->info != b->info || a->name_off != b->name_off)
		return false;
	if (!bfmt_size_type_is_id(k) && a->size_type != b->size_type)
		return false;
	switch (k) {
	case BFMT_KIND_FUNC_PROTO:
		return bfmt_entries_equal_but(ea, eb, n, 2, 1);
	case BFMT_KIND_ARRAY:
		return ea[2] == eb[2];	/* nelems */
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		return bfmt_entries_equal_but(ea, eb, n, 3, 1);
	case BFMT_KIND_DATASEC:
		return bfmt_entries_equal_but(ea, eb, n, 3, 0);
	default:
		break;	/* the extra words compare (VAR, DECL_TAG, INT, enums) */
	}
	extra = bfmt_extra_size(k, n);
	return extra <= 0 || !memcmp(ea, eb, (size_t)extra);
}

int bfmt_type__visit_strs(struct bfmt_type *t, bfmt_field_fn fn, void *ctx)
{
	uint32_t n = bfmt_vlen(t), *x = bfmt_type_extra(t);
	int err = fn(&t->name_off, ctx);

	if (err)
		return err;
	switch (bfmt_kind(t)) {
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
	case BFMT_KIND_ENUM64:
		return bfmt_visit_entries(x, n, 3, 0, fn, ctx);		/* names */
	case BFMT_KIND_ENUM:
	case BFMT_KIND_FUNC_PROTO:
		return bfmt_visit_entries(x, n, 2, 0, fn, ctx);
	default:
		return 0;
	}
}

struct bfmt_append_ctx {
	struct bfmt_btf *dst;
	const struct bfmt_btf *src;
	uint32_t shift_from;	/* first id of src's own types */
	uint32_t shift_to;	/* where they land in dst */
};

static int bfmt_append_id(uint32_t *id, void *arg)
{
	struct bfmt_append_ctx *c = arg;

	if (*id >= c->shift_from)
		*id = *id - c->shift_from + c->shift_to;
	return 0;
}

static int bfmt_append_str(uint32_t *off, void *arg)
{
	struct bfmt_append_ctx *c = arg;
	const char *s = bfmt_btf__str(c->src, *off);

	if (!s)
		return -EINVAL;
	return bfmt_btf__add_str(c->dst, s, off);
}

int bfmt_btf__append(struct bfmt_btf *dst, const struct bfmt_btf *src)
{
	struct bfmt_append_ctx c = { dst, src, src->start_id, bfmt_btf__nr_types(dst) };
	size_t i;
	int err;

	for (i = 0; i < src->offs.len; i++) {
		const struct bfmt_type *t = bfmt_btf__type(src, src->start_id + (uint32_t)i);
		long size = bfmt_type__size(t);
		struct bfmt_type *n;
		uint32_t id;
		void *extra;

		if (size < 0)
			return -EINVAL;
		err = bfmt_btf__add_type(dst, bfmt_kind(t), bfmt_vlen(t), bfmt_kflag(t),
					 t->name_off, t->size_type, &id, &extra);
		if (err)
			return err;
		memcpy(extra, bfmt_type_extra(t), (size_t)size - sizeof(*t));
		n = bfmt_btf__type(dst, id);
		err = bfmt_type__visit_ids(n, bfmt_append_id, &c);
		if (!err)
			err = bfmt_type__visit_strs(n, bfmt_append_str, &c);
		if (err)
			return err;
	}
	return 0;
}

static void bfmt_put16(unsigned char *p, uint16_t v, bool be)
{
	if (be) {
		p[0] = v >> 8;
		p[1] = v & 0xff;
	} else {
		p[0] = v & 0xff;
		p[1] = v >> 8;
	}
}

static void bfmt_put32(unsigned char *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

int bfmt_btf__serialize(const struct bfmt_btf *btf, bool big_endian,
			void **buf_ret, size_t *len_ret)
{
	size_t hdr = sizeof(struct bfmt_header);
	size_t types = btf->data.len * 4, strs = btf->strs.len, i;
	unsigned char *buf;

	if (types > UINT32_MAX || strs > UINT32_MAX || types + strs > UINT32_MAX - hdr)
		return -E2BIG;
	buf = malloc(hdr + types + strs);
	if (!buf)
		return -ENOMEM;
	bfmt_put16(buf, BFMT_MAGIC, big_endian);
	buf[2] = BFMT_VERSION;
	buf[3] = 0;
	bfmt_put32(buf + 4, (uint32_t)hdr, big_endian);
	bfmt_put32(buf + 8, 0, big_endian);
	bfmt_put32(buf + 12, (uint32_t)types, big_endian);
	bfmt_put32(buf + 16, (uint32_t)types, big_endian);
	bfmt_put32(buf + 20, (uint32_t)strs, big_endian);
	/* Every field of every record is a u32 word, so the type section
	 * swaps word by word. */
	for (i = 0; i < btf->data.len; i++)
		bfmt_put32(buf + hdr + 4 * i, btf->data.v[i], big_endian);
	if (strs)
		memcpy(buf + hdr + types, btf->strs.data, strs);
	*buf_ret = buf;
	*len_ret = hdr + types + strs;
	return 0;
}

/* --- Loader support: adopting raw sections (btf_loader) --- */

/* Word offsets of every record in words[0, nr_words), appended to offs. */
static int bfmt_index_records(struct bfmt_btf *btf, const uint32_t *words,
			      size_t nr_words)
{
	size_t at = 0;

	while (at < nr_words) {
		const struct bfmt_type *t = (const struct bfmt_type *)&words[at];
		long size;

		if (nr_words - at < sizeof(*t) / 4)
			return -EINVAL;
		size = bfmt_type__size(t);
		if (size < 0 || (size_t)size / 4 > nr_words - at)
			return -EINVAL;
		if (bfmt_btf__nr_types(btf) > BFMT_MAX_NR_TYPES)
			return -E2BIG;
		if (vec_reserve(&btf->offs, btf->offs.len + 1))
			return -ENOMEM;
		btf->offs.v[btf->offs.len++] = (uint32_t)at;
		at += (size_t)size / 4;
	}
	return 0;
}

/* For bfmt_strs_canonical(): does the reference start a string? */
static int bfmt_str_at_start(uint32_t *field, void *ctx)
{
	const struct bfmt_btf *btf = ctx;
	uint32_t off = *field;

	while (btf && off < btf->start_str_off)
		btf = btf->base;
	if (!btf || off - btf->start_str_off >= btf->strs.len)
		return -EINVAL;
	off -= btf->start_str_off;
	if (btf->strs.data[off] == '\0' && *field)
		return -EINVAL;	/* an empty string other than offset 0 */
	return off == 0 || btf->strs.data[off - 1] == '\0' ? 0 : -EINVAL;
}

/*
 * Is an adopted table's string section canonical (see strs_canonical)? Its
 * base must be; no string of its blob may repeat one before it or one of
 * the base; every reference must point at a string's start (BTF allows a
 * name inside another string's tail). Linear, no hashing beyond the index
 * lookups of a split table's own strings.
 */
static bool bfmt_strs_canonical(const struct bfmt_btf *btf)
{
	const struct bfmt_btf *b;
	size_t off = 0, nr = 0;
	uint32_t id, found;

	if (btf->base && !btf->base->strs_canonical)
		return false;
	/* Without a base, the index just built knows whether a string
	 * repeats; with one, each string is looked up there too. */
	while (btf->base && off < btf->strs.len) {
		const char *s = btf->strs.data + off;
		size_t len = strnlen(s, btf->strs.len - off);

		if (len == btf->strs.len - off)
			break;
		if (len) {
			nr++;
			for (b = btf->base; b; b = b->base)
				if (!strset_find(&b->strs, s, &found))
					return false;
		}
		off += len + 1;
	}
	if (btf->base ? nr != btf->strs.nr_strs : btf->strs.nr_repeats != 0)
		return false;	/* a string repeats */
	for (id = btf->start_id; id < bfmt_btf__nr_types(btf); id++)
		if (bfmt_type__visit_strs(bfmt_btf__type(btf, id), bfmt_str_at_start,
					  (void *)btf))
			return false;
	return true;
}

int bfmt_btf__adopt_raw(struct bfmt_btf *btf, uint32_t *words, size_t nr_words,
			char *strs, size_t strs_len)
{
	struct strset idx = { .data = strs, .len = strs_len, .cap = strs_len,
			      .with_empty = !btf->base };
	int err;

	if (btf->map || btf->offs.len || btf->data.len || nr_words > UINT32_MAX ||
	    strs_len > UINT32_MAX)
		return -EINVAL;
	if (!btf->base && (!strs_len || strs[0] || strs[strs_len - 1]))
		return -EINVAL;
	/* Index the blob's strings first (the only step that can fail after
	 * the records are indexed), so that on failure nothing is taken. */
	err = strset_reindex(&idx);
	if (!err)
		err = bfmt_index_records(btf, words, nr_words);
	if (err) {
		free(idx.slots);
		free(idx.tags);
		vec_free(&btf->offs);
		return err;
	}
	vec_free(&btf->data);
	btf->data.v = words;
	btf->data.len = btf->data.cap = nr_words;
	/* The blob and its index replace the set's own: a split BTF built on
	 * this table then finds the strings it already has instead of
	 * carrying copies. */
	strset_deinit(&btf->strs);
	btf->strs = idx;
	btf->strs_canonical = bfmt_strs_canonical(btf);
	return 0;
}

int bfmt_btf__adopt_mapped(struct bfmt_btf *btf, uint32_t *words, size_t nr_words,
			   char *strs, size_t strs_len, void *map, size_t map_len)
{
	int err;

	if (!map || (uintptr_t)words % 4)
		return -EINVAL;
	err = bfmt_btf__adopt_raw(btf, words, nr_words, strs, strs_len);
	if (err)
		return err;
	btf->data.cap = nr_words;
	btf->strs.cap = strs_len;
	btf->map = map;
	btf->map_len = map_len;
	return 0;
}

void bfmt_btf__own_base(struct bfmt_btf *btf)
{
	btf->owns_base = btf->base != NULL;
}
