// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bodies btfenc diff compares: a struct's or union's members with the
 * anonymous structs and unions it embeds flattened into paths ("u.x", at
 * offsets from the start of the outer type), and an enum's enumerators.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bdiff_int.h"
#include "util/vec.h"

const char *bdiff_enum_sign(const struct bfmt_type *t)
{
	return bfmt_kflag(t) ? "signed" : "unsigned";
}

const char *bdiff_int_encoding(uint32_t info)
{
	uint32_t e = bfmt_int_encoding(info);

	if (e & BFMT_INT_BOOL)
		return "bool";
	if (e & BFMT_INT_CHAR)
		return e & BFMT_INT_SIGNED ? "signed char" : "char";
	return e & BFMT_INT_SIGNED ? "signed" : "unsigned";
}

const char *bdiff_linkage(uint32_t linkage, char *buf, size_t len)
{
	switch (linkage) {
	case BFMT_LINKAGE_STATIC: return "static";
	case BFMT_LINKAGE_GLOBAL: return "global";
	case BFMT_LINKAGE_EXTERN: return "extern";
	default:
		snprintf(buf, len, "linkage %" PRIu32, linkage);
		return buf;
	}
}

static char *body_spell(const struct bfmt_btf *btf, uint32_t id, struct arena *a)
{
	struct tn_buf b;
	char *s = NULL;

	tn_buf_init(&b);
	bdiff_spell(btf, id, &b);
	if (!b.oom)
		s = arena_strdup(a, tn_buf_str(&b));
	tn_buf_deinit(&b);
	return s;
}

static int members_walk(const struct bfmt_btf *btf, uint32_t id, const char *prefix,
			uint64_t base, uint64_t outer, int depth, struct arena *a,
			struct bdiff_members *ret)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);
	const struct bfmt_member *m;
	uint32_t i, n;
	bool kflag;

	if (!t || depth > BDIFF_MAX_DEPTH || ret->len > BDIFF_MAX_MEMBERS)
		return 0;
	m = bfmt_type_extra(t);
	n = bfmt_vlen(t);
	kflag = bfmt_kflag(t);
	for (i = 0; i < n; i++) {
		const char *name = bfmt_btf__str(btf, m[i].name_off);
		uint64_t off = base + bfmt_member_bit_offset(m[i].offset, kflag);
		bool anon = bdiff_is_anon_aggr(btf, m[i].type);
		struct bdiff_member *e;
		char *path;
		int err;

		if (!name)
			name = "";
		if (anon && !*name) {
			/* C11 anonymous member: its members are the outer type's. */
			err = members_walk(btf, m[i].type, prefix, off, outer, depth + 1, a, ret);
			if (err)
				return err;
			continue;
		}
		path = arena_alloc(a, strlen(prefix) + strlen(name) + 8);
		if (!path || vec_push(ret))
			return -ENOMEM;
		sprintf(path, "%s%s", prefix, *name ? name : "<anon>");
		e = vec_last(ret);
		e->path = path;
		e->type = body_spell(btf, m[i].type, a);
		e->bit_offset = off;
		e->bitfield_size = bfmt_member_bitfield_size(m[i].offset, kflag);
		e->rel_offset = off - outer;
		e->nested = *prefix;
		if (!e->type)
			return -ENOMEM;
		if (anon) {
			char *sub = arena_alloc(a, strlen(path) + 2);

			if (!sub)
				return -ENOMEM;
			sprintf(sub, "%s.", path);
			err = members_walk(btf, m[i].type, sub, off, off, depth + 1, a, ret);
			if (err)
				return err;
		}
	}
	return 0;
}

static int member_cmp(const void *pa, const void *pb)
{
	const struct bdiff_member *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	return a->bit_offset < b->bit_offset ? -1 : a->bit_offset > b->bit_offset;
}

int bdiff_members(const struct bfmt_btf *btf, uint32_t id, struct arena *a,
		  struct bdiff_members *ret)
{
	const char *run = NULL;
	size_t i, dup = 0;
	int err = members_walk(btf, id, "", 0, 0, 0, a, ret);

	if (err)
		return err;
	if (ret->len > 1)
		qsort(ret->v, ret->len, sizeof(*ret->v), member_cmp);
	/* Paths must be keys: the second "<anon>" becomes "<anon>#2". */
	for (i = 0; i < ret->len; i++) {
		char *p;

		if (!run || strcmp(ret->v[i].path, run)) {
			run = ret->v[i].path;
			dup = 1;
			continue;
		}
		p = arena_alloc(a, strlen(run) + 24);
		if (!p)
			return -ENOMEM;
		sprintf(p, "%s#%zu", run, ++dup);
		ret->v[i].path = p;
	}
	return 0;
}

int bdiff_enumerators(const struct bfmt_btf *btf, uint32_t id, struct arena *a,
		      struct bdiff_enumerators *ret)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);
	bool sign = bfmt_kflag(t);
	uint32_t i, n = bfmt_vlen(t);
	char buf[32];

	for (i = 0; i < n; i++) {
		const char *name;
		uint32_t name_off;
		struct bdiff_enumerator *e;

		if (bfmt_kind(t) == BFMT_KIND_ENUM64) {
			const struct bfmt_enum64 *v = (const struct bfmt_enum64 *)bfmt_type_extra(t) + i;
			uint64_t x = (uint64_t)v->val_hi32 << 32 | v->val_lo32;

			name_off = v->name_off;
			if (sign)
				snprintf(buf, sizeof(buf), "%" PRId64, (int64_t)x);
			else
				snprintf(buf, sizeof(buf), "%" PRIu64, x);
		} else {
			const struct bfmt_enum *v = (const struct bfmt_enum *)bfmt_type_extra(t) + i;

			name_off = v->name_off;
			if (sign)
				snprintf(buf, sizeof(buf), "%" PRId32, v->val);
			else
				snprintf(buf, sizeof(buf), "%" PRIu32, (uint32_t)v->val);
		}
		name = bfmt_btf__str(btf, name_off);
		if (vec_push(ret))
			return -ENOMEM;
		e = vec_last(ret);
		e->name = arena_strdup(a, name ? name : "");
		e->value = arena_strdup(a, buf);
		if (!e->name || !e->value)
			return -ENOMEM;
	}
	return 0;
}

static int enumerator_cmp(const void *pa, const void *pb)
{
	const struct bdiff_enumerator *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	return c ? c : strcmp(a->value, b->value);
}

void bdiff_sort_enumerators(struct bdiff_enumerators *e)
{
	if (e->len > 1)
		qsort(e->v, e->len, sizeof(*e->v), enumerator_cmp);
}
