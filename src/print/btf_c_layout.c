// SPDX-License-Identifier: GPL-2.0-only
/*
 * C-header printer, layout half: what alignment the compiler will give each
 * printed type, which composites need __attribute__((packed)) or
 * __attribute__((aligned(N))), and where padding must go so that every
 * member lands at the offset BTF gives and every composite has BTF's size.
 *
 * The compiler model is the SysV/Itanium one gcc and clang use on x86-64,
 * arm64 and bpf: a scalar of size S is aligned to S (up to 16; complex
 * types to half their size), a pointer to the pointer size, an array to its
 * element, a struct to its largest member (1 when packed; N with
 * aligned(N)); a non-packed bitfield of type T cannot straddle a
 * sizeof(T)-aligned unit; unnamed bitfields do not align the struct.
 */
#include <errno.h>
#include <string.h>

#include "btf_c_int.h"
#include "../util/vec.h"

static uint32_t natural_align(uint64_t size)
{
	uint32_t a = 1;

	while (a < 16 && size % ((uint64_t)a * 2) == 0 && (uint64_t)a * 2 <= size)
		a *= 2;
	return a;
}

static bool is_complex_name(const char *s)
{
	return strstr(s, "complex") || strstr(s, "Complex");
}

uint64_t btfc_size_of(const struct btfc *c, uint32_t id)
{
	uint64_t mult = 1;
	uint32_t guard;

	for (guard = 0; guard <= c->nr; guard++) {
		const struct bfmt_type *t = btfc_type(c, id);
		const struct bfmt_array *a;

		if (!t)
			return 0;
		switch (bfmt_kind(t)) {
		case BFMT_KIND_INT:
		case BFMT_KIND_FLOAT:
		case BFMT_KIND_ENUM:
		case BFMT_KIND_ENUM64:
		case BFMT_KIND_STRUCT:
		case BFMT_KIND_UNION:
			return mult * t->size_type;
		case BFMT_KIND_PTR:
			return mult * c->ptr_size;
		case BFMT_KIND_ARRAY:
			a = bfmt_type_extra(t);
			mult *= a->nelems;
			if (mult > UINT32_MAX)
				return UINT32_MAX;	/* the loader caps sizes */
			id = a->type;
			break;
		case BFMT_KIND_TYPEDEF:
		case BFMT_KIND_CONST:
		case BFMT_KIND_VOLATILE:
		case BFMT_KIND_RESTRICT:
		case BFMT_KIND_TYPE_TAG:
			id = t->size_type;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

uint32_t btfc_align_of(const struct btfc *c, uint32_t id)
{
	uint32_t guard;

	for (guard = 0; guard <= c->nr; guard++) {
		const struct bfmt_type *t = btfc_type(c, id);

		if (!t)
			return 1;
		switch (bfmt_kind(t)) {
		case BFMT_KIND_INT:
		case BFMT_KIND_FLOAT:
			if (is_complex_name(btfc_name(c, t)))
				return natural_align(t->size_type / 2);
			return natural_align(t->size_type);
		case BFMT_KIND_ENUM:
		case BFMT_KIND_ENUM64:
			return natural_align(t->size_type);
		case BFMT_KIND_STRUCT:
		case BFMT_KIND_UNION:
			return c->t[id].align ? c->t[id].align : 1;
		case BFMT_KIND_PTR:
			return c->ptr_size;
		case BFMT_KIND_ARRAY:
			id = ((const struct bfmt_array *)bfmt_type_extra(t))->type;
			break;
		case BFMT_KIND_TYPEDEF:
		case BFMT_KIND_CONST:
		case BFMT_KIND_VOLATILE:
		case BFMT_KIND_RESTRICT:
		case BFMT_KIND_TYPE_TAG:
			id = t->size_type;
			break;
		default:
			return 1;
		}
	}
	return 1;
}

/* Bit offset and bitfield width of member i (old and new encodings). */
static void member_info(const struct btfc *c, const struct bfmt_type *t,
			uint32_t i, uint64_t *off, uint32_t *width)
{
	const struct bfmt_member *m = (const struct bfmt_member *)bfmt_type_extra(t) + i;
	const struct bfmt_type *mt;

	*off = bfmt_member_bit_offset(m->offset, bfmt_kflag(t));
	*width = bfmt_member_bitfield_size(m->offset, bfmt_kflag(t));
	if (bfmt_kflag(t))
		return;
	/* Without kind_flag a bitfield is an INT with fewer bits. */
	mt = btfc_type(c, m->type);
	if (mt && bfmt_kind(mt) == BFMT_KIND_INT) {
		uint32_t info = *(const uint32_t *)bfmt_type_extra(mt);

		if (bfmt_int_bits(info) < mt->size_type * 8) {
			*width = bfmt_int_bits(info);
			*off += bfmt_int_offset(info);
		}
	}
}

/* The first composite reached by value from id, or 0. */
static uint32_t by_value_composite(const struct btfc *c, uint32_t id)
{
	uint32_t guard;

	for (guard = 0; guard <= c->nr; guard++) {
		const struct bfmt_type *t = btfc_type(c, id);

		if (!t)
			return 0;
		switch (bfmt_kind(t)) {
		case BFMT_KIND_STRUCT:
		case BFMT_KIND_UNION:
			return id;
		case BFMT_KIND_ARRAY:
			id = ((const struct bfmt_array *)bfmt_type_extra(t))->type;
			break;
		case BFMT_KIND_TYPEDEF:
		case BFMT_KIND_CONST:
		case BFMT_KIND_VOLATILE:
		case BFMT_KIND_RESTRICT:
		case BFMT_KIND_TYPE_TAG:
			id = t->size_type;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

static uint64_t roundup64(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

/* Where a non-packed compiler puts member (off, width, type) after cur. */
static uint64_t natural_pos(const struct btfc *c, uint64_t cur, uint32_t type,
			    uint32_t width, bool packed)
{
	uint64_t unit;

	if (!width)
		return roundup64(cur, packed ? 8 : 8ull * btfc_align_of(c, type));
	unit = 8 * btfc_size_of(c, type);
	if (packed || !unit || cur / unit == (cur + width - 1) / unit)
		return cur;
	return roundup64(cur, unit);
}

static void layout_one(struct btfc *c, uint32_t id)
{
	const struct bfmt_type *t = btfc_type(c, id);
	const struct bfmt_member *m = bfmt_type_extra(t);
	uint32_t i, vlen = bfmt_vlen(t), a_nat = 1, ea, n;
	uint64_t end = 0, cur = 0, sz = t->size_type, endb;
	bool packed = false, is_struct = bfmt_kind(t) == BFMT_KIND_STRUCT;

	for (i = 0; i < vlen; i++) {
		uint64_t off;
		uint32_t w, a = btfc_align_of(c, m[i].type);

		member_info(c, t, i, &off, &w);
		if (a > a_nat)
			a_nat = a;
		if (!w) {
			if (off % 8 || (off / 8) % a)
				packed = true;
		} else {
			uint64_t unit = 8 * btfc_size_of(c, m[i].type);

			if (unit && off / unit != (off + w - 1) / unit)
				packed = true;
		}
		/* A member the compiler would put further than BTF says. */
		if (is_struct && off < natural_pos(c, cur, m[i].type, w, packed))
			packed = true;
		cur = off + (w ? w : 8 * btfc_size_of(c, m[i].type));
		if (cur > end)
			end = cur;
	}
	if (sz % a_nat)
		packed = true;
	ea = packed ? 1 : a_nat;
	endb = (end + 7) / 8;
	c->t[id].packed = packed;
	c->t[id].align = ea;
	c->t[id].aligned_attr = 0;
	if (roundup64(endb, ea) >= sz)
		return;
	/* Smallest alignment that pads the members out to sz. */
	for (n = ea * 2; n && n <= sz; n *= 2) {
		if (roundup64(endb, n) == sz) {
			c->t[id].aligned_attr = n;
			c->t[id].align = n;
			return;
		}
		if (roundup64(endb, n) > sz)
			break;
	}
}

int btfc_layout_all(struct btfc *c)
{
	uint32_t id;

	c->walk.len = 0;
	for (id = 1; id < c->nr; id++) {
		const struct bfmt_type *t = btfc_type(c, id);

		if (!t || !btfc_is_composite(bfmt_kind(t)) || c->t[id].layout)
			continue;
		if (vec_push(&c->walk))
			return -ENOMEM;
		c->walk.v[c->walk.len - 1] = id;
		while (c->walk.len) {
			uint32_t top = c->walk.v[c->walk.len - 1];
			const struct bfmt_type *tt = btfc_type(c, top);
			const struct bfmt_member *m = bfmt_type_extra(tt);
			uint32_t i;

			if (c->t[top].layout == BTFC_DONE) {
				c->walk.len--;
				continue;
			}
			if (c->t[top].layout == BTFC_BUSY) {
				layout_one(c, top);
				c->t[top].layout = BTFC_DONE;
				c->walk.len--;
				continue;
			}
			c->t[top].layout = BTFC_BUSY;
			for (i = 0; i < bfmt_vlen(tt); i++) {
				uint32_t dep = by_value_composite(c, m[i].type);

				if (!dep || c->t[dep].layout != BTFC_NONE)
					continue;
				if (vec_push(&c->walk))
					return -ENOMEM;
				c->walk.v[c->walk.len - 1] = dep;
			}
		}
	}
	return 0;
}

uint64_t btfc_enum_val(const struct bfmt_type *t, uint32_t i)
{
	if (bfmt_kind(t) == BFMT_KIND_ENUM64) {
		const struct bfmt_enum64 *e = (const struct bfmt_enum64 *)bfmt_type_extra(t) + i;

		return (uint64_t)e->val_hi32 << 32 | e->val_lo32;
	} else {
		const struct bfmt_enum *e = (const struct bfmt_enum *)bfmt_type_extra(t) + i;

		if (bfmt_kflag(t))
			return (uint64_t)(int64_t)e->val;
		return (uint32_t)e->val;
	}
}

const char *btfc_enum_val_name(const struct btfc *c, const struct bfmt_type *t,
			       uint32_t i)
{
	uint32_t off;
	const char *s;

	if (bfmt_kind(t) == BFMT_KIND_ENUM64)
		off = ((const struct bfmt_enum64 *)bfmt_type_extra(t))[i].name_off;
	else
		off = ((const struct bfmt_enum *)bfmt_type_extra(t))[i].name_off;
	s = bfmt_btf__str(c->btf, off);
	return s ? s : "";
}

uint32_t btfc_enum_natural_size(const struct btfc *c, const struct bfmt_type *t)
{
	uint32_t i;

	(void)c;
	for (i = 0; i < bfmt_vlen(t); i++) {
		uint64_t v = btfc_enum_val(t, i);

		if (bfmt_kflag(t)) {
			if ((int64_t)v < INT32_MIN || (int64_t)v > INT32_MAX)
				return 8;
		} else if (v > UINT32_MAX) {
			return 8;
		}
	}
	return 4;
}

/* Padding from bit cur to bit to, as tasks at indentation ind. */
static int pad(struct btfc *c, uint64_t cur, uint64_t to, uint32_t ind)
{
	static const struct { uint32_t bits; const char *s; } units[] = {
		{ 64, NULL }, { 32, "int: 32;\n" }, { 16, "short: 16;\n" },
		{ 8, "char: 8;\n" },
	};
	const char *u64 = c->ptr_size == 8 ? "long: 64;\n" : "long long: 64;\n";
	static const char *const small[] = {
		NULL, "char: 1;\n", "char: 2;\n", "char: 3;\n", "char: 4;\n",
		"char: 5;\n", "char: 6;\n", "char: 7;\n",
	};
	int err = 0;

	while (cur < to && !err) {
		uint64_t gap = to - cur;
		size_t i;

		if (cur % 8 || gap < 8) {
			uint64_t k = 8 - cur % 8;

			if (k > gap)
				k = gap;
			err = btfc_scratch(c, BTFC_OP_INDENT, ind, 0, NULL) ?:
			      btfc_scratch(c, BTFC_OP_STR, 0, 0, small[k]);
			cur += k;
			continue;
		}
		if (gap > 64 * 8) {
			err = btfc_scratch(c, BTFC_OP_INDENT, ind, 0, NULL) ?:
			      btfc_scratch(c, BTFC_OP_PADARR, (uint32_t)(gap / 8),
					   (uint32_t)(cur / 8), NULL);
			cur += gap / 8 * 8;
			continue;
		}
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (cur % units[i].bits == 0 && gap >= units[i].bits)
				break;
		err = btfc_scratch(c, BTFC_OP_INDENT, ind, 0, NULL) ?:
		      btfc_scratch(c, BTFC_OP_STR, 0, 0, units[i].s ? units[i].s : u64);
		cur += units[i].bits;
	}
	return err;
}

int btfc_layout_members(struct btfc *c, uint32_t id, uint32_t ind)
{
	const struct bfmt_type *t = btfc_type(c, id);
	const struct bfmt_member *m = bfmt_type_extra(t);
	bool is_struct = bfmt_kind(t) == BFMT_KIND_STRUCT;
	bool packed = c->t[id].packed;
	uint64_t cur = 0, end = 0, sz = 8ull * t->size_type;
	uint32_t i;
	int err = 0;

	for (i = 0; i < bfmt_vlen(t) && !err; i++) {
		uint64_t off, p;
		uint32_t w;
		const char *name = bfmt_btf__str(c->btf, m[i].name_off);

		member_info(c, t, i, &off, &w);
		if (is_struct) {
			p = natural_pos(c, cur, m[i].type, w, packed);
			if (off > p)
				err = pad(c, cur, off, ind);
		}
		err = err ?: btfc_scratch(c, BTFC_OP_INDENT, ind, 0, NULL) ?:
		      btfc_scratch(c, BTFC_OP_DECL, m[i].type, ind, name ? name : "");
		if (!err && w)
			err = btfc_scratch(c, BTFC_OP_BITS, w, 0, NULL);
		err = err ?: btfc_scratch(c, BTFC_OP_STR, 0, 0, ";\n");
		cur = off + (w ? w : 8 * btfc_size_of(c, m[i].type));
		if (cur > end)
			end = cur;
	}
	if (err)
		return err;
	if (roundup64(end, 8ull * c->t[id].align) >= sz)
		return 0;
	if (is_struct)
		return pad(c, end, sz, ind);
	return btfc_scratch(c, BTFC_OP_INDENT, ind, 0, NULL) ?:
	       btfc_scratch(c, BTFC_OP_PADARR, (uint32_t)(sz / 8), 0, NULL);
}
