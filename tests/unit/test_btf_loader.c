// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "btf_loader": loading raw BTF (both byte orders, extended headers,
 * split BTF), ELF .BTF, /sys/kernel/btf/vmlinux; one malformed blob per
 * validation rule, each with its errno and a diag line naming the type id,
 * kind and field; the IR view. Oracles where present: libbpf (btf__new
 * accepts every valid blob) and the running kernel's verifier (rejects the
 * malformed blobs the kernel rules too).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcntl.h>
#include <gelf.h>

#include "btf_loader/btf_loader.h"
#include "src/btf_format/btf_types.h"
#include "tests/tools/kcheck.h"
#include "tests.h"

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>
#endif

/* --- diag capture --- */

struct capture {
	char msg[1024];
	int count;
};

static void capture_sink(void *ctx, enum diag_level level, const char *msg)
{
	struct capture *c = ctx;

	if (level != DIAG_ERROR)
		return;
	c->count++;
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
}

static struct diag capture_diag(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	return (struct diag){ .sink = capture_sink, .ctx = c, .max_level = DIAG_DEBUG };
}

/* --- the good table: one type of every kind --- */

enum {
	T_INT = 1, T_PTR_S, T_ARR, T_S, T_U, T_E, T_E64, T_FWD, T_LONG, T_TD,
	T_CONST, T_VOL, T_RESTRICT, T_PROTO, T_FN, T_VAR, T_SEC, T_FLOAT,
	T_TAG_MEMBER, T_TAG_PARAM, T_TYPE_TAG, T_PTR_TAG, T_PROTO_VA, T_PTR_FWD,
	T_TD_FN, T_NR,
};

static uint32_t str(struct bfmt_btf *b, const char *s)
{
	uint32_t off;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(b, s, &off), 0);
	return off;
}

static void *add(struct bfmt_btf *b, enum bfmt_kind k, uint32_t vlen, bool kflag,
		 const char *name, uint32_t st, uint32_t want_id)
{
	uint32_t id;
	void *extra = NULL;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(b, k, vlen, kflag, name ? str(b, name) : 0,
						 st, &id, &extra), 0);
	CU_ASSERT_EQUAL_FATAL(id, want_id);
	return extra;
}

static void set_member(struct bfmt_btf *b, struct bfmt_member *m, const char *name,
		       uint32_t type, uint32_t off)
{
	m->name_off = str(b, name);
	m->type = type;
	m->offset = off;
}

static void set_param(struct bfmt_btf *b, struct bfmt_param *p, const char *name, uint32_t type)
{
	p->name_off = name ? str(b, name) : 0;
	p->type = type;
}

static void build_aggregates(struct bfmt_btf *b)
{
	struct bfmt_member *m;
	struct bfmt_enum *e;
	struct bfmt_enum64 *e64;
	struct bfmt_array *a;

	a = add(b, BFMT_KIND_ARRAY, 0, false, NULL, 0, T_ARR);
	*a = (struct bfmt_array){ T_INT, T_INT, 4 };
	m = add(b, BFMT_KIND_STRUCT, 4, true, "s", 32, T_S);
	set_member(b, &m[0], "a", T_INT, 0);
	set_member(b, &m[1], "b", T_INT, 3u << 24 | 32);
	set_member(b, &m[2], "p", T_PTR_S, 64);
	set_member(b, &m[3], "arr", T_ARR, 128);
	m = add(b, BFMT_KIND_UNION, 2, false, "u", 8, T_U);
	set_member(b, &m[0], "i", T_INT, 0);
	set_member(b, &m[1], "l", T_LONG, 0);
	e = add(b, BFMT_KIND_ENUM, 2, true, "e", 4, T_E);
	e[0] = (struct bfmt_enum){ str(b, "A"), 0 };
	e[1] = (struct bfmt_enum){ str(b, "B"), -1 };
	e64 = add(b, BFMT_KIND_ENUM64, 1, false, "e64", 8, T_E64);
	e64[0] = (struct bfmt_enum64){ str(b, "BIG"), 0, 1 };
}

static void build_funcs(struct bfmt_btf *b)
{
	struct bfmt_param *p;
	struct bfmt_var_secinfo *vs;

	p = add(b, BFMT_KIND_FUNC_PROTO, 2, false, NULL, T_INT, T_PROTO);
	set_param(b, &p[0], "x", T_INT);
	set_param(b, &p[1], "y", T_PTR_S);
	add(b, BFMT_KIND_FUNC, BFMT_LINKAGE_GLOBAL, false, "fn", T_PROTO, T_FN);
	((struct bfmt_var *)add(b, BFMT_KIND_VAR, 0, false, "gv", T_INT, T_VAR))->linkage =
		BFMT_LINKAGE_GLOBAL;
	vs = add(b, BFMT_KIND_DATASEC, 1, false, ".data", 16, T_SEC);
	vs[0] = (struct bfmt_var_secinfo){ T_VAR, 0, 4 };
	add(b, BFMT_KIND_FLOAT, 0, false, "double", 8, T_FLOAT);
	((struct bfmt_decl_tag *)add(b, BFMT_KIND_DECL_TAG, 0, false, "tag1", T_S,
				     T_TAG_MEMBER))->component_idx = 1;
	((struct bfmt_decl_tag *)add(b, BFMT_KIND_DECL_TAG, 0, false, "ftag", T_FN,
				     T_TAG_PARAM))->component_idx = 0;
	add(b, BFMT_KIND_TYPE_TAG, 0, false, "user", T_INT, T_TYPE_TAG);
	add(b, BFMT_KIND_PTR, 0, false, NULL, T_TYPE_TAG, T_PTR_TAG);
	p = add(b, BFMT_KIND_FUNC_PROTO, 2, false, NULL, 0, T_PROTO_VA);
	set_param(b, &p[0], "x", T_INT);
	set_param(b, &p[1], NULL, 0);
	add(b, BFMT_KIND_PTR, 0, false, NULL, T_FWD, T_PTR_FWD);
	add(b, BFMT_KIND_TYPEDEF, 0, false, "fnt", T_PROTO_VA, T_TD_FN);
}

static struct bfmt_btf *build_good(void)
{
	struct bfmt_btf *b;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &b), 0);
	*(uint32_t *)add(b, BFMT_KIND_INT, 0, false, "int", 4, T_INT) =
		bfmt_int_info(BFMT_INT_SIGNED, 0, 32);
	add(b, BFMT_KIND_PTR, 0, false, NULL, T_S, T_PTR_S);
	build_aggregates(b);
	add(b, BFMT_KIND_FWD, 0, false, "fwd_s", 0, T_FWD);
	*(uint32_t *)add(b, BFMT_KIND_INT, 0, false, "long", 8, T_LONG) =
		bfmt_int_info(BFMT_INT_SIGNED, 0, 64);
	add(b, BFMT_KIND_TYPEDEF, 0, false, "td", T_S, T_TD);
	add(b, BFMT_KIND_CONST, 0, false, NULL, T_INT, T_CONST);
	add(b, BFMT_KIND_VOLATILE, 0, false, NULL, T_CONST, T_VOL);
	add(b, BFMT_KIND_RESTRICT, 0, false, NULL, T_PTR_S, T_RESTRICT);
	build_funcs(b);
	return b;
}

/* --- oracles --- */

static void libbpf_accepts(const void *raw, size_t len)
{
#ifdef HAVE_LIBBPF
	struct btf *lb = btf__new(raw, (__u32)len);

	CU_ASSERT_PTR_NOT_NULL(lb);
	btf__free(lb);
#else
	(void)raw;
	(void)len;
#endif
}

static struct bfmt_btf *load(const void *raw, size_t len, const struct bfmt_btf *base,
			     struct capture *cap, int *err)
{
	struct diag d = capture_diag(cap);
	struct btfl_opts o = { .diag = &d, .name = "x.btf" };
	struct bfmt_btf *btf = NULL;

	*err = btfl_load_mem(raw, len, base, &o, &btf);
	return btf;
}

/* Records and strings equal, word for word. */
static void assert_same(const struct bfmt_btf *a, const struct bfmt_btf *b)
{
	CU_ASSERT_EQUAL_FATAL(a->data.len, b->data.len);
	CU_ASSERT_EQUAL(memcmp(a->data.v, b->data.v, a->data.len * 4), 0);
	CU_ASSERT_EQUAL_FATAL(a->strs.len, b->strs.len);
	CU_ASSERT_EQUAL(memcmp(a->strs.data, b->strs.data, a->strs.len), 0);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(a), bfmt_btf__nr_types(b));
}

static void test_roundtrip(void)
{
	struct bfmt_btf *good = build_good(), *back;
	struct btfl_info info;
	struct capture cap;
	struct diag d = capture_diag(&cap);
	struct btfl_opts o = { .diag = &d, .info_ret = &info };

	for (int be = 0; be < 2; be++) {
		void *raw;
		size_t len;

		CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(good, be, &raw, &len), 0);
		libbpf_accepts(raw, len);
		back = NULL;
		CU_ASSERT_EQUAL(btfl_load_mem(raw, len, NULL, &o, &back), 0);
		if (cap.count)
			fprintf(stderr, "\nunexpected: %s\n", cap.msg);
		if (back) {
			assert_same(good, back);
			CU_ASSERT_EQUAL(info.big_endian, be);
			CU_ASSERT_EQUAL(info.ptr_size, 8);
			CU_ASSERT_EQUAL(info.hdr_len, 24);
		}
		if (!be) {
			int k = kcheck_btf(raw, len, NULL, 0);

			CU_ASSERT_NOT_EQUAL(k, KCHECK_REJECTED);
		}
		bfmt_btf__free(back);
		free(raw);
	}
	bfmt_btf__free(good);
}

/* hdr_len 32: 8 extension bytes, skipped; the payload stays as it was. */
static void test_header_extension(void)
{
	struct bfmt_btf *good = build_good(), *back;
	unsigned char *raw, *ext;
	size_t len;
	struct capture cap;
	int err;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(good, false, (void **)&raw, &len), 0);
	ext = calloc(1, len + 8);
	memcpy(ext, raw, 24);
	memset(ext + 24, 0xab, 8);	/* unknown, non-zero: still skipped */
	memcpy(ext + 32, raw + 24, len - 24);
	ext[4] = 32;
	back = load(ext, len + 8, NULL, &cap, &err);
	CU_ASSERT_EQUAL(err, 0);
	if (back)
		assert_same(good, back);
	bfmt_btf__free(back);
	/* hdr_len beyond the data */
	ext[4] = 0xff;
	ext[5] = 0xff;
	back = load(ext, len + 8, NULL, &cap, &err);
	CU_ASSERT_EQUAL(err, -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "hdr_len"));
	free(ext);
	free(raw);
	bfmt_btf__free(good);
}

/* --- malformed blobs: one per rule --- */

struct bad_case {
	const char *name;
	void (*mutate)(struct bfmt_btf *b);		/* on the table, or */
	void (*mutate_raw)(unsigned char *r, size_t *len);	/* on its LE bytes */
	int err;
	const char *want1, *want2;			/* in the diag line */
	bool kernel;					/* the kernel rejects it too */
};

#define T(id) bfmt_btf__type(b, (id))
#define X(id, type) ((type *)bfmt_type_extra(T(id)))
#define MUT(fn, body) static void fn(struct bfmt_btf *b) { body; }
#define RAW(fn, body) static void fn(unsigned char *r, size_t *len) { (void)len; body; }

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* header fields */
RAW(r_magic, r[0] = 0x12)
RAW(r_version, r[2] = 2)
RAW(r_flags, r[3] = 1)
RAW(r_hdr_short, put32(r + 4, 20))
RAW(r_truncated, *len = 6)
RAW(r_type_beyond, put32(r + 12, get32(r + 12) + 4096))
RAW(r_str_beyond, put32(r + 20, get32(r + 20) + 1))
RAW(r_type_unaligned, put32(r + 8, 2))
RAW(r_overlap, put32(r + 16, 0))
RAW(r_gap, put32(r + 16, get32(r + 16) + 1); put32(r + 20, get32(r + 20) - 1))
RAW(r_str_no_nul, r[*len - 1] = 'x')
RAW(r_str_first, r[24 + get32(r + 16)] = 'x')
RAW(r_no_types, put32(r + 20, get32(r + 20) + get32(r + 12)); put32(r + 12, 0);
    put32(r + 16, 0); memset(r + 24, 0, get32(r + 20)))
RAW(r_unknown_kind, r[24 + 7] = 25)
RAW(r_record_truncated, put32(r + 12, get32(r + 12) - 2); put32(r + 16, get32(r + 16) - 2);
    put32(r + 20, get32(r + 20) + 2))

/* common */
MUT(m_vlen_past_end, T(T_S)->info = bfmt_info(BFMT_KIND_STRUCT, 0xffff, true))
MUT(m_info_reserved, T(T_INT)->info |= 1u << 20)
MUT(m_name_off, T(T_S)->name_off = 99999)
/* INT */
MUT(m_int_vlen, T(T_INT)->info |= 1)
MUT(m_int_kflag, T(T_INT)->info |= 1u << 31)
MUT(m_int_reserved, *X(T_INT, uint32_t) |= 1u << 28)
MUT(m_int_128, *X(T_LONG, uint32_t) = bfmt_int_info(0, 100, 64); T(T_LONG)->size_type = 32)
MUT(m_int_size, *X(T_INT, uint32_t) = bfmt_int_info(0, 0, 40))
MUT(m_int_enc, *X(T_INT, uint32_t) = bfmt_int_info(3, 0, 32))
/* PTR and modifiers */
MUT(m_ptr_name, T(T_PTR_S)->name_off = T(T_S)->name_off)
MUT(m_ptr_range, T(T_PTR_S)->size_type = 5000)
MUT(m_const_kflag, T(T_CONST)->info |= 1u << 31)
MUT(m_typedef_noname, T(T_TD)->name_off = 0)
MUT(m_typedef_ident, T(T_TD)->name_off = str(b, "bad-name"))
MUT(m_type_tag_empty, T(T_TYPE_TAG)->name_off = 0)
MUT(m_const_var, T(T_CONST)->size_type = T_VAR)
MUT(m_ptr_func, T(T_PTR_S)->size_type = T_FN)
/* ARRAY */
MUT(m_arr_size, T(T_ARR)->size_type = 4)
MUT(m_arr_elem_void, X(T_ARR, struct bfmt_array)->type = 0)
MUT(m_arr_index_void, X(T_ARR, struct bfmt_array)->index_type = 0)
MUT(m_arr_index_struct, X(T_ARR, struct bfmt_array)->index_type = T_U)
MUT(m_arr_elem_fwd, X(T_ARR, struct bfmt_array)->type = T_FWD)
MUT(m_arr_overflow, X(T_ARR, struct bfmt_array)->nelems = 0x40000001)
/* STRUCT / UNION */
MUT(m_struct_name, T(T_S)->name_off = str(b, "9lives"))
MUT(m_member_name, X(T_S, struct bfmt_member)[1].name_off = str(b, "bad-name"))
MUT(m_member_name_off, X(T_S, struct bfmt_member)[1].name_off = 99999)
MUT(m_member_void, X(T_S, struct bfmt_member)[2].type = 0)
MUT(m_member_range, X(T_S, struct bfmt_member)[2].type = 777)
MUT(m_union_offset, X(T_U, struct bfmt_member)[1].offset = 8)
MUT(m_member_order, X(T_S, struct bfmt_member)[2].offset = 16)
MUT(m_member_beyond, X(T_S, struct bfmt_member)[3].offset = 264)
MUT(m_member_too_big, X(T_S, struct bfmt_member)[3].offset = 160)
MUT(m_member_fwd, X(T_S, struct bfmt_member)[3].type = T_FWD)
MUT(m_member_unaligned, X(T_S, struct bfmt_member)[2].offset = 65)
MUT(m_member_bf_ptr, X(T_S, struct bfmt_member)[2].offset = 1u << 24 | 64)
MUT(m_member_bf_wide, X(T_S, struct bfmt_member)[1].offset = 33u << 24 | 32)
/* ENUM */
MUT(m_enum_size, T(T_E)->size_type = 3)
MUT(m_enum_noname, X(T_E, struct bfmt_enum)[1].name_off = 0)
MUT(m_enum64_ident, X(T_E64, struct bfmt_enum64)[0].name_off = str(b, "a b"))
/* FWD */
MUT(m_fwd_type, T(T_FWD)->size_type = 1)
MUT(m_fwd_noname, T(T_FWD)->name_off = 0)
/* FUNC / FUNC_PROTO */
MUT(m_func_linkage, T(T_FN)->info = bfmt_info(BFMT_KIND_FUNC, 3, false))
MUT(m_func_extern, T(T_FN)->info = bfmt_info(BFMT_KIND_FUNC, BFMT_LINKAGE_EXTERN, false))
MUT(m_func_not_proto, T(T_FN)->size_type = T_INT)
MUT(m_func_unnamed_param, X(T_PROTO, struct bfmt_param)[1].name_off = 0)
MUT(m_proto_name, T(T_PROTO)->name_off = T(T_S)->name_off)
MUT(m_proto_void_param, X(T_PROTO, struct bfmt_param)[0].type = 0;
    X(T_PROTO, struct bfmt_param)[0].name_off = 0)
MUT(m_proto_va_name, X(T_PROTO_VA, struct bfmt_param)[1].name_off = T(T_S)->name_off)
MUT(m_proto_ret_fwd, T(T_PROTO)->size_type = T_FWD)
MUT(m_proto_param_fwd, X(T_PROTO, struct bfmt_param)[0].type = T_FWD)
MUT(m_proto_param_sec, X(T_PROTO, struct bfmt_param)[0].type = T_SEC)
/* VAR / DATASEC */
MUT(m_var_void, T(T_VAR)->size_type = 0)
MUT(m_var_linkage, X(T_VAR, struct bfmt_var)->linkage = BFMT_LINKAGE_EXTERN)
MUT(m_var_fwd, T(T_VAR)->size_type = T_FWD)
MUT(m_sec_size0, T(T_SEC)->size_type = 0)
MUT(m_sec_name, T(T_SEC)->name_off = 0)
MUT(m_sec_beyond, X(T_SEC, struct bfmt_var_secinfo)[0].offset = 14)
MUT(m_sec_not_var, X(T_SEC, struct bfmt_var_secinfo)[0].type = T_INT)
MUT(m_sec_small, X(T_SEC, struct bfmt_var_secinfo)[0].type = T_VAR;
    T(T_VAR)->size_type = T_LONG)
/* FLOAT */
MUT(m_float_size, T(T_FLOAT)->size_type = 3)
/* DECL_TAG */
MUT(m_tag_empty, T(T_TAG_MEMBER)->name_off = 0)
MUT(m_tag_idx, X(T_TAG_MEMBER, struct bfmt_decl_tag)->component_idx = -2)
MUT(m_tag_target, T(T_TAG_MEMBER)->size_type = T_INT)
MUT(m_tag_idx_beyond, X(T_TAG_MEMBER, struct bfmt_decl_tag)->component_idx = 4)
MUT(m_tag_var_idx, T(T_TAG_MEMBER)->size_type = T_VAR)
MUT(m_tag_param_beyond, X(T_TAG_PARAM, struct bfmt_decl_tag)->component_idx = 2)
MUT(m_tag_order, T(T_TD_FN)->size_type = T_TYPE_TAG)
MUT(m_member_huge_array, X(T_ARR, struct bfmt_array)->nelems = 0x08000004)
/* cycles */
MUT(m_cycle_struct, X(T_S, struct bfmt_member)[3].type = T_TD)
MUT(m_cycle_typedef, T(T_TD)->size_type = T_TD)
MUT(m_cycle_ptr, T(T_PTR_S)->size_type = T_RESTRICT)

static const struct bad_case bad_cases[] = {
	{ "magic", NULL, r_magic, -ENOEXEC, "x.btf: not BTF", NULL, true },
	{ "version", NULL, r_version, -EINVAL, "BTF header", "version 2", true },
	{ "flags", NULL, r_flags, -EINVAL, "BTF header", "flags 0x1", true },
	{ "hdr_short", NULL, r_hdr_short, -EINVAL, "hdr_len 20", NULL, true },
	{ "truncated", NULL, r_truncated, -EINVAL, "truncated", NULL, true },
	{ "type_beyond", NULL, r_type_beyond, -EINVAL, "type section", "beyond", true },
	{ "str_beyond", NULL, r_str_beyond, -EINVAL, "string section", "beyond", true },
	{ "type_unaligned", NULL, r_type_unaligned, -EINVAL, "not 4-byte aligned", NULL, true },
	{ "overlap", NULL, r_overlap, -EINVAL, "overlaps", NULL, true },
	{ "gap", NULL, r_gap, -EINVAL, "gap", NULL, true },
	{ "str_no_nul", NULL, r_str_no_nul, -EINVAL, "does not end with a NUL", NULL, true },
	{ "str_first", NULL, r_str_first, -EINVAL, "does not start", NULL, true },
	{ "no_types", NULL, r_no_types, -EINVAL, "no types", NULL, true },
	{ "unknown_kind", NULL, r_unknown_kind, -EINVAL, "type [1]: unknown kind 25", NULL, true },
	{ "record_truncated", NULL, r_record_truncated, -EINVAL, "type [25]: record truncated", NULL, true },
	{ "record_past_end", m_vlen_past_end, NULL, -EINVAL, "type [4] STRUCT", "runs past the end", true },
	{ "info_reserved", m_info_reserved, NULL, -EINVAL, "type [1]", "reserved bits", true },
	{ "name_off", m_name_off, NULL, -EINVAL, "type [4] STRUCT", "name offset 99999", true },
	{ "int_vlen", m_int_vlen, NULL, -EINVAL, "type [1] INT 'int'", "vlen 1", true },
	{ "int_kflag", m_int_kflag, NULL, -EINVAL, "type [1] INT 'int'", "kind_flag", true },
	{ "int_reserved", m_int_reserved, NULL, -EINVAL, "type [1] INT", "reserved bits", true },
	{ "int_128", m_int_128, NULL, -EINVAL, "type [9] INT 'long'", "exceed 128", true },
	{ "int_size", m_int_size, NULL, -EINVAL, "type [1] INT", "exceed size 4", true },
	{ "int_enc", m_int_enc, NULL, -EINVAL, "type [1] INT", "encoding 0x3", true },
	{ "ptr_name", m_ptr_name, NULL, -EINVAL, "type [2] PTR 's'", "name must be empty", true },
	{ "ptr_range", m_ptr_range, NULL, -EINVAL, "type [2] PTR", "type 5000: no such type", true },
	{ "const_kflag", m_const_kflag, NULL, -EINVAL, "type [11] CONST", "kind_flag", true },
	{ "typedef_noname", m_typedef_noname, NULL, -EINVAL, "type [10] TYPEDEF", "must not be empty", true },
	{ "typedef_ident", m_typedef_ident, NULL, -EINVAL, "type [10] TYPEDEF 'bad-name'", "valid identifier", true },
	{ "type_tag_empty", m_type_tag_empty, NULL, -EINVAL, "type [21] TYPE_TAG", "tag value", true },
	{ "const_var", m_const_var, NULL, -EINVAL, "type [11] CONST", "is a VAR", true },
	{ "ptr_func", m_ptr_func, NULL, -EINVAL, "type [2] PTR", "FUNC, which has no size", true },
	{ "arr_size", m_arr_size, NULL, -EINVAL, "type [3] ARRAY", "size 4, must be 0", true },
	{ "arr_elem_void", m_arr_elem_void, NULL, -EINVAL, "type [3] ARRAY", "element type is void", true },
	{ "arr_index_void", m_arr_index_void, NULL, -EINVAL, "type [3] ARRAY", "index type is void", true },
	{ "arr_index_struct", m_arr_index_struct, NULL, -EINVAL, "type [3] ARRAY", "index type 5 is not a regular INT", true },
	{ "arr_elem_fwd", m_arr_elem_fwd, NULL, -EINVAL, "type [3] ARRAY", "element type 8 (FWD)", true },
	{ "arr_overflow", m_arr_overflow, NULL, -EINVAL, "type [3] ARRAY", "overflow", true },
	{ "struct_name", m_struct_name, NULL, -EINVAL, "type [4] STRUCT '9lives'", "identifier", true },
	{ "member_name", m_member_name, NULL, -EINVAL, "type [4] STRUCT 's'", "member 1 name 'bad-name'", true },
	{ "member_name_off", m_member_name_off, NULL, -EINVAL, "type [4] STRUCT", "member 1 name offset", true },
	{ "member_void", m_member_void, NULL, -EINVAL, "type [4] STRUCT", "member 'p' type is void", true },
	{ "member_range", m_member_range, NULL, -EINVAL, "type [4] STRUCT", "member type 777", true },
	{ "union_offset", m_union_offset, NULL, -EINVAL, "type [5] UNION 'u'", "member 'l' offset 8", true },
	{ "member_order", m_member_order, NULL, -EINVAL, "type [4] STRUCT", "member 'p' offset 16 before", true },
	{ "member_beyond", m_member_beyond, NULL, -EINVAL, "type [4] STRUCT 's'", "member 'arr' offset 264 beyond size 32", true },
	{ "member_too_big", m_member_too_big, NULL, -EINVAL, "type [4] STRUCT 's'", "member 'arr' offset 160 bits 128 beyond size 32", true },
	{ "member_fwd", m_member_fwd, NULL, -EINVAL, "type [4] STRUCT", "member 'arr' type 8 (FWD) has no size", true },
	{ "member_unaligned", m_member_unaligned, NULL, -EINVAL, "type [4] STRUCT", "member 'p' offset 65 not byte aligned", true },
	{ "member_bf_ptr", m_member_bf_ptr, NULL, -EINVAL, "type [4] STRUCT", "member 'p' bitfield_size 1 on a PTR", true },
	{ "member_bf_wide", m_member_bf_wide, NULL, -EINVAL, "type [4] STRUCT", "member 'b' bitfield_size 33 wider", true },
	{ "enum_size", m_enum_size, NULL, -EINVAL, "type [6] ENUM 'e'", "size 3", true },
	{ "enum_noname", m_enum_noname, NULL, -EINVAL, "type [6] ENUM", "enumerator 1 has no name", true },
	{ "enum64_ident", m_enum64_ident, NULL, -EINVAL, "type [7] ENUM64", "enumerator 0 name 'a b'", true },
	{ "fwd_type", m_fwd_type, NULL, -EINVAL, "type [8] FWD 'fwd_s'", "type 1, must be 0", true },
	{ "fwd_noname", m_fwd_noname, NULL, -EINVAL, "type [8] FWD", "must not be empty", true },
	{ "func_linkage", m_func_linkage, NULL, -EINVAL, "type [15] FUNC 'fn'", "linkage 3", true },
	{ "func_extern", m_func_extern, NULL, -EINVAL, "type [15] FUNC 'fn'", "linkage 2", true },
	{ "func_not_proto", m_func_not_proto, NULL, -EINVAL, "type [15] FUNC", "type 1 (INT) is not a FUNC_PROTO", true },
	{ "func_unnamed_param", m_func_unnamed_param, NULL, -EINVAL, "type [15] FUNC", "param 1 of prototype [14] has no name", true },
	{ "proto_name", m_proto_name, NULL, -EINVAL, "type [14] FUNC_PROTO 's'", "name must be empty", true },
	{ "proto_void_param", m_proto_void_param, NULL, -EINVAL, "type [14] FUNC_PROTO", "param 0 is void", true },
	{ "proto_va_name", m_proto_va_name, NULL, -EINVAL, "type [23] FUNC_PROTO", "varargs marker has a name", true },
	{ "proto_ret_fwd", m_proto_ret_fwd, NULL, -EINVAL, "type [14] FUNC_PROTO", "return type 8 (FWD) has no size", true },
	{ "proto_param_fwd", m_proto_param_fwd, NULL, -EINVAL, "type [14] FUNC_PROTO", "param 0 type 8 (FWD) has no size", true },
	{ "proto_param_sec", m_proto_param_sec, NULL, -EINVAL, "type [14] FUNC_PROTO", "param 0 type 17 is a DATASEC", true },
	{ "var_void", m_var_void, NULL, -EINVAL, "type [16] VAR 'gv'", "type is void", true },
	{ "var_linkage", m_var_linkage, NULL, -EINVAL, "type [16] VAR", "linkage 2", true },
	{ "var_fwd", m_var_fwd, NULL, -EINVAL, "type [16] VAR", "type 8 (FWD) has no size", true },
	{ "sec_size0", m_sec_size0, NULL, -EINVAL, "type [17] DATASEC '.data'", "size 0", true },
	{ "sec_name", m_sec_name, NULL, -EINVAL, "type [17] DATASEC", "section name", true },
	{ "sec_beyond", m_sec_beyond, NULL, -EINVAL, "type [17] DATASEC", "entry 0 (type 16) offset 14 size 4 beyond section size 16", true },
	{ "sec_not_var", m_sec_not_var, NULL, -EINVAL, "type [17] DATASEC", "entry 0 type 1 is a INT, not a VAR", true },
	{ "sec_small", m_sec_small, NULL, -EINVAL, "type [17] DATASEC", "size 4 smaller than its type's 8", true },
	{ "float_size", m_float_size, NULL, -EINVAL, "type [18] FLOAT 'double'", "size 3", true },
	{ "tag_empty", m_tag_empty, NULL, -EINVAL, "type [19] DECL_TAG", "tag value", true },
	{ "tag_idx", m_tag_idx, NULL, -EINVAL, "type [19] DECL_TAG 'tag1'", "component_idx -2", true },
	{ "tag_target", m_tag_target, NULL, -EINVAL, "type [19] DECL_TAG", "target type 1 is a INT", true },
	{ "tag_idx_beyond", m_tag_idx_beyond, NULL, -EINVAL, "type [19] DECL_TAG", "component_idx 4 beyond the 4 members", true },
	{ "tag_var_idx", m_tag_var_idx, NULL, -EINVAL, "type [19] DECL_TAG", "on a VAR, must be -1", true },
	{ "tag_param_beyond", m_tag_param_beyond, NULL, -EINVAL, "type [20] DECL_TAG 'ftag'", "component_idx 2 beyond the 2 params", true },
	{ "tag_order", m_tag_order, NULL, -EINVAL, "type [25] TYPEDEF 'fnt'", "type tags must come first", true },
	{ "member_huge_array", m_member_huge_array, NULL, -EINVAL, "type [4] STRUCT 's'", "member 'arr' offset 128 bits 4294967424 beyond size 32", true },
	{ "cycle_struct", m_cycle_struct, NULL, -EINVAL, "STRUCT 's'", "reference cycle", true },
	{ "cycle_typedef", m_cycle_typedef, NULL, -EINVAL, "type [10] TYPEDEF 'td'", "reference cycle", true },
	{ "cycle_ptr", m_cycle_ptr, NULL, -EINVAL, "cycle of pointers and modifiers", NULL, true },
	{ NULL, NULL, NULL, 0, NULL, NULL, false },
};

static void check_bad(const struct bad_case *bc)
{
	struct bfmt_btf *good = build_good(), *back;
	unsigned char *raw;
	size_t len;
	struct capture cap;
	int err, k;

	if (bc->mutate)
		bc->mutate(good);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(good, false, (void **)&raw, &len), 0);
	if (bc->mutate_raw)
		bc->mutate_raw(raw, &len);
	back = load(raw, len, NULL, &cap, &err);
	CU_ASSERT_PTR_NULL(back);
	CU_ASSERT_EQUAL(err, bc->err);
	CU_ASSERT_EQUAL(cap.count, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, bc->want1));
	if (bc->want2)
		CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, bc->want2));
	if (err != bc->err || !strstr(cap.msg, bc->want1) ||
	    (bc->want2 && !strstr(cap.msg, bc->want2)))
		fprintf(stderr, "\n%s: err %d, diag '%s'\n", bc->name, err, cap.msg);
	k = kcheck_btf(raw, len, NULL, 0);
	if (bc->kernel && k == KCHECK_ACCEPTED)
		fprintf(stderr, "\n%s: the kernel accepts it\n", bc->name);
	if (bc->kernel)
		CU_ASSERT_NOT_EQUAL(k, KCHECK_ACCEPTED);
	bfmt_btf__free(back);
	free(raw);
	bfmt_btf__free(good);
}

static void test_malformed(void)
{
	const struct bad_case *bc;

	for (bc = bad_cases; bc->name; bc++)
		check_bad(bc);
}

/* The kernel's verifier as a differential oracle: what we accept it
 * accepts, what we reject it rejects (where it can be asked). */
static int kernel_disagreements;

static void check_kernel_agrees(const void *raw, size_t len, int err, size_t at,
				unsigned val, const char *msg)
{
	static char log[1 << 16];
	int k = kcheck_btf(raw, len, log, sizeof(log));
	size_t ll = strnlen(log, sizeof(log));
	const char *tail = log + (ll > 200 ? ll - 200 : 0);

	if (k == KCHECK_UNAVAILABLE || (k == KCHECK_ACCEPTED) == !err)
		return;
	/* Deliberate: names are ASCII; the kernel's ctype also takes
	 * Latin-1 letters (0xc0-0xff) and printables. */
	if (err && k == KCHECK_ACCEPTED && val >= 0x80 && strstr(msg, "name"))
		return;
	/* Deliberate: a modifier of a FUNC (the kernel's resolver lets it
	 * through as if it were the FUNC's prototype). */
	if (err && k == KCHECK_ACCEPTED && strstr(msg, "FUNC, which has no size"))
		return;
	kernel_disagreements++;
	fprintf(stderr, "\nbyte %zu = 0x%02x: we %s (%s), the kernel %s (%s)\n", at, val,
		err ? "reject" : "accept", msg, k == KCHECK_ACCEPTED ? "accepts" : "rejects", tail);
}

/* Every byte of the good blob set to a few values, and every bit flipped:
 * never a crash, either a valid table or exactly one error line, and the
 * same verdict as the kernel's verifier. */
static void test_fuzz_bytes(void)
{
	static const unsigned char vals[] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x10, 0x11, 0x13, 0x20, 0x2e,
		0x40, 0x7f, 0x80, 0x81, 0xc0, 0xfe, 0xff,
	};
	struct bfmt_btf *good = build_good();
	unsigned char *raw, *copy;
	size_t len, i, v;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(good, false, (void **)&raw, &len), 0);
	copy = malloc(len);
	for (i = 0; i < len; i++) {
		for (v = 0; v < sizeof(vals); v++) {
			struct bfmt_btf *back;
			struct capture cap;
			int err;

			memcpy(copy, raw, len);
			copy[i] = vals[v];
			back = load(copy, len, NULL, &cap, &err);
			CU_ASSERT(err ? (!back && cap.count == 1) : (back && !cap.count));
			check_kernel_agrees(copy, len, err, i, vals[v], cap.msg);
			bfmt_btf__free(back);
		}
		for (v = 0; v < 8; v++) {
			struct bfmt_btf *back;
			struct capture cap;
			int err;

			memcpy(copy, raw, len);
			copy[i] ^= (unsigned char)(1u << v);
			back = load(copy, len, NULL, &cap, &err);
			CU_ASSERT(err ? (!back && cap.count == 1) : (back && !cap.count));
			check_kernel_agrees(copy, len, err, i, copy[i], cap.msg);
			bfmt_btf__free(back);
		}
	}
	CU_ASSERT_EQUAL(kernel_disagreements, 0);
	for (i = 0; i < len; i++) {	/* every truncation */
		struct capture cap;
		int err;

		CU_ASSERT_PTR_NULL(load(raw, i, NULL, &cap, &err));
		CU_ASSERT(err == -EINVAL || err == -ENOEXEC);
	}
	free(copy);
	free(raw);
	bfmt_btf__free(good);
}

/* --- split BTF --- */

static char *write_tmp(const void *data, size_t len)
{
	char *path = strdup("/tmp/btfl-test-XXXXXX");
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}


static void test_split(void)
{
	struct bfmt_btf *base = build_good(), *split, *back;
	struct bfmt_member *m;
	void *raw;
	size_t len;
	uint32_t id;
	struct capture cap;
	int err;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(base, &split), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(split, BFMT_KIND_STRUCT, 2, false,
						 str(split, "mod_s"), 16, &id, (void **)&m), 0);
	CU_ASSERT_EQUAL(id, T_NR);
	set_member(split, &m[0], "base_s", T_PTR_S, 0);
	set_member(split, &m[1], "int", T_INT, 64);	/* a base string */
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(split, BFMT_KIND_PTR, 0, false, 0, T_NR,
						 &id, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(split, false, &raw, &len), 0);
#ifdef HAVE_LIBBPF
	{
		void *braw;
		size_t blen;
		struct btf *lbase, *lsplit;

		CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(base, false, &braw, &blen), 0);
		lbase = btf__new(braw, (__u32)blen);
		CU_ASSERT_PTR_NOT_NULL_FATAL(lbase);
		/* btf__new_split() is not exported by libbpf 1.1: go through a file. */
		char *sp = write_tmp(raw, len);

		lsplit = btf__parse_raw_split(sp, lbase);
		unlink(sp);
		free(sp);
		CU_ASSERT_PTR_NOT_NULL(lsplit);
		if (lsplit)
			CU_ASSERT_EQUAL(btf__type_cnt(lsplit), T_NR + 2);
		btf__free(lsplit);
		btf__free(lbase);
		free(braw);
	}
#endif
	back = load(raw, len, base, &cap, &err);
	CU_ASSERT_EQUAL(err, 0);
	if (back) {
		const struct bfmt_type *t = bfmt_btf__type(back, T_NR);

		assert_same(split, back);
		CU_ASSERT_EQUAL(back->start_id, T_NR);
		CU_ASSERT_STRING_EQUAL(bfmt_btf__str(back, t->name_off), "mod_s");
		CU_ASSERT_EQUAL(bfmt_kind(bfmt_btf__type(back, T_S)), BFMT_KIND_STRUCT);
	}
	bfmt_btf__free(back);
	/* Without its base the same bytes are invalid: ids beyond the table. */
	CU_ASSERT_PTR_NULL(load(raw, len, NULL, &cap, &err));
	CU_ASSERT_EQUAL(err, -EINVAL);
	free(raw);
	/* A split type pointing past the end. */
	bfmt_btf__type(split, T_NR + 1)->size_type = T_NR + 5;
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(split, false, &raw, &len), 0);
	CU_ASSERT_PTR_NULL(load(raw, len, base, &cap, &err));
	CU_ASSERT_EQUAL(err, -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "type [27] PTR"));
	free(raw);
	bfmt_btf__free(split);
	bfmt_btf__free(base);
}

/* Split types on base ones: the loader resolves only the base types the
 * split part reaches (btfl_resolve.c), so the sizes its rules need must be
 * there: a struct of base structs, through a split typedef, fits or not;
 * an array of base structs overflows 32 bits or not. */
static struct bfmt_btf *load_split_of(const struct bfmt_btf *base, uint32_t size,
				      uint32_t nelems, struct capture *cap, int *err)
{
	struct bfmt_btf *split, *back;
	struct bfmt_member *m;
	struct bfmt_array *a;
	void *raw;
	size_t len;
	uint32_t id;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(base, &split), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(split, BFMT_KIND_TYPEDEF, 0, false,
						 str(split, "s_t"), T_S, &id, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(split, BFMT_KIND_STRUCT, 2, false,
						 str(split, "outer"), size, &id,
						 (void **)&m), 0);
	set_member(split, &m[0], "first", T_NR, 0);
	set_member(split, &m[1], "second", T_U, 256);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(split, BFMT_KIND_ARRAY, 0, false, 0, 0,
						 &id, (void **)&a), 0);
	*a = (struct bfmt_array){ T_S, T_INT, nelems };
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(split, false, &raw, &len), 0);
	back = load(raw, len, base, cap, err);
	free(raw);
	bfmt_btf__free(split);
	return back;
}

static void test_split_base_sizes(void)
{
	struct bfmt_btf *base = build_good(), *back;
	struct capture cap;
	int err;

	back = load_split_of(base, 40, 1u << 26, &cap, &err);	/* 32 + 8 bytes, 2 GiB */
	CU_ASSERT_EQUAL(err, 0);
	CU_ASSERT_PTR_NOT_NULL(back);
	bfmt_btf__free(back);
	CU_ASSERT_PTR_NULL(load_split_of(base, 36, 1, &cap, &err));	/* union past the end */
	CU_ASSERT_EQUAL(err, -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "'second'"));
	CU_ASSERT_PTR_NULL(load_split_of(base, 40, 1u << 27, &cap, &err));	/* 4 GiB */
	CU_ASSERT_EQUAL(err, -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "overflow 32 bits"));
	bfmt_btf__free(base);
}

/* 100,000 typedefs, each naming the next: deep, valid, no recursion. */
static void test_deep_chain(void)
{
	enum { N = 100000 };
	struct bfmt_btf *b, *back;
	struct ir_cu *cu = NULL;
	uint32_t id, name;
	void *raw;
	size_t len;
	struct capture cap;
	int err;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &b), 0);
	name = str(b, "t");
	for (uint32_t i = 1; i < N; i++)
		CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(b, BFMT_KIND_TYPEDEF, 0, false, name,
							 i + 1, &id, NULL), 0);
	*(uint32_t *)add(b, BFMT_KIND_INT, 0, false, "int", 4, N) = bfmt_int_info(0, 0, 32);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(b, false, &raw, &len), 0);
	libbpf_accepts(raw, len);
	back = load(raw, len, NULL, &cap, &err);
	CU_ASSERT_EQUAL(err, 0);
	if (back) {
		CU_ASSERT_EQUAL(btfl_to_ir(back, NULL, &cu), 0);
		if (cu) {
			CU_ASSERT_EQUAL(ir_cu__type(cu, 1)->type, 2);
			CU_ASSERT_EQUAL(ir_cu__type_size(cu, N - 1, NULL), 4);
		}
	}
	ir_cu__free(cu);
	bfmt_btf__free(back);
	/* Close the chain into a loop: rejected, still without recursion. */
	bfmt_btf__type(b, N - 1)->size_type = 1;
	free(raw);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(b, false, &raw, &len), 0);
	CU_ASSERT_PTR_NULL(load(raw, len, NULL, &cap, &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "cycle"));
	free(raw);
	bfmt_btf__free(b);
}

/* --- the IR view --- */

static const struct ir_type *find_type(const struct ir_cu *cu, enum ir_kind k, const char *name)
{
	for (ir_id i = 1; i < ir_cu__nr_types(cu); i++) {
		const struct ir_type *t = ir_cu__type(cu, i);

		if (t->kind == k && t->name && !strcmp(t->name, name))
			return t;
	}
	return NULL;
}

static void check_ir_good(const struct ir_cu *cu)
{
	const struct ir_type *s = find_type(cu, IR_KIND_STRUCT, "s");
	const struct ir_type *e = find_type(cu, IR_KIND_ENUM, "e");
	const struct ir_type *e64 = find_type(cu, IR_KIND_ENUM, "e64");
	const struct ir_type *fnt = find_type(cu, IR_KIND_TYPEDEF, "fnt");
	const struct ir_func *f;
	const struct ir_type *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->orig_off, T_S);
	CU_ASSERT_EQUAL(s->size, 32);
	CU_ASSERT_EQUAL(s->vlen, 4);
	CU_ASSERT_EQUAL(s->members[1].bitfield_size, 3);
	CU_ASSERT_EQUAL(s->members[1].bit_offset, 32);
	CU_ASSERT_EQUAL_FATAL(s->members[1].annots.len, 1);
	CU_ASSERT_STRING_EQUAL(s->members[1].annots.v[0], "tag1");
	CU_ASSERT_EQUAL(ir_cu__type(cu, s->members[3].type)->kind, IR_KIND_ARRAY);
	CU_ASSERT_EQUAL(ir_cu__type(cu, s->members[3].type)->dims[0].count, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT(e->flags & IR_TF_SIGNED);
	CU_ASSERT_EQUAL(e->enumerators[1].value, UINT64_MAX);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e64);
	CU_ASSERT_EQUAL(e64->size, 8);
	CU_ASSERT_EQUAL(e64->enumerators[0].value, 1ull << 32);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fnt);
	p = ir_cu__type(cu, fnt->type);
	CU_ASSERT_EQUAL(p->kind, IR_KIND_FUNC_PROTO);
	CU_ASSERT(p->flags & IR_TF_VARARGS);
	CU_ASSERT_EQUAL(p->vlen, 1);
	CU_ASSERT_EQUAL_FATAL(cu->funcs.len, 1);
	f = &cu->funcs.v[0];
	CU_ASSERT_STRING_EQUAL(f->name, "fn");
	CU_ASSERT(f->flags & IR_FF_EXTERNAL);
	p = ir_cu__type(cu, f->proto);
	CU_ASSERT_EQUAL_FATAL(p->params[0].annots.len, 1);
	CU_ASSERT_STRING_EQUAL(p->params[0].annots.v[0], "ftag");
	/* a private copy: the shared prototype itself stays untagged */
	CU_ASSERT_EQUAL(p->orig_off, T_PROTO);
	for (ir_id i = 1; i < ir_cu__nr_types(cu); i++) {
		const struct ir_type *q = ir_cu__type(cu, i);

		if (i != f->proto && q->kind == IR_KIND_FUNC_PROTO && q->orig_off == T_PROTO)
			CU_ASSERT_EQUAL(q->params[0].annots.len, 0);
	}
	CU_ASSERT_EQUAL_FATAL(cu->vars.len, 1);
	CU_ASSERT_STRING_EQUAL(cu->vars.v[0].section, ".data");
	CU_ASSERT(cu->vars.v[0].flags & IR_VF_EXTERNAL);
	CU_ASSERT_EQUAL(cu->addr_size, 8);
}

static void test_to_ir(void)
{
	struct bfmt_btf *good = build_good();
	struct ir_cu *cu = NULL;

	CU_ASSERT_EQUAL_FATAL(btfl_to_ir(good, NULL, &cu), 0);
	check_ir_good(cu);
	ir_cu__free(cu);
	bfmt_btf__free(good);
}

/* int a[2][3] -> one ir array with dims {2, 3}. */
static void test_ir_dims(void)
{
	struct bfmt_btf *b;
	struct bfmt_array *a;
	struct ir_cu *cu = NULL;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &b), 0);
	*(uint32_t *)add(b, BFMT_KIND_INT, 0, false, "int", 4, 1) = bfmt_int_info(0, 0, 32);
	a = add(b, BFMT_KIND_ARRAY, 0, false, NULL, 0, 2);
	*a = (struct bfmt_array){ 1, 1, 3 };
	a = add(b, BFMT_KIND_ARRAY, 0, false, NULL, 0, 3);
	*a = (struct bfmt_array){ 2, 1, 2 };
	CU_ASSERT_EQUAL_FATAL(btfl_to_ir(b, NULL, &cu), 0);
	{
		const struct ir_type *t = ir_cu__type(cu, 3);

		CU_ASSERT_EQUAL(t->orig_off, 3);
		CU_ASSERT_EQUAL_FATAL(t->vlen, 2);
		CU_ASSERT_EQUAL(t->dims[0].count, 2);
		CU_ASSERT_EQUAL(t->dims[1].count, 3);
		CU_ASSERT_EQUAL(t->type, 1);
		CU_ASSERT_EQUAL(ir_cu__type_size(cu, 3, NULL), 24);
	}
	ir_cu__free(cu);
	bfmt_btf__free(b);
}

/* --- files --- */

static void test_files(void)
{
	struct bfmt_btf *good = build_good(), *back = NULL;
	struct capture cap;
	struct diag d = capture_diag(&cap);
	struct btfl_opts o = { .diag = &d };
	bool has = true;
	char *path, *junk;
	void *raw;
	size_t len;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(good, true, &raw, &len), 0);
	path = write_tmp(raw, len);
	junk = write_tmp("hello, world", 12);
	CU_ASSERT_EQUAL(btfl_load_file(path, NULL, &o, &back), 0);
	if (back)
		assert_same(good, back);
	CU_ASSERT_EQUAL(btfl_probe(path, &has), 0);
	CU_ASSERT_TRUE(has);
	CU_ASSERT_EQUAL(btfl_probe(junk, &has), 0);
	CU_ASSERT_FALSE(has);
	CU_ASSERT_EQUAL(btfl_load_file(junk, NULL, &o, &back), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, junk));
	CU_ASSERT_EQUAL(btfl_load_file("/nonexistent/x.btf", NULL, &o, &back), -ENOENT);
	CU_ASSERT_EQUAL(btfl_probe("/nonexistent/x.btf", &has), -ENOENT);
	unlink(path);
	unlink(junk);
	free(path);
	free(junk);
	free(raw);
	bfmt_btf__free(back);
	bfmt_btf__free(good);
}

/* A table loaded read-only, in host order, stays in the file's mapping
 * and refuses every change; a split table on it still finds its strings. */
static void check_mapped(const struct bfmt_btf *good, struct bfmt_btf *m)
{
	struct bfmt_btf *split = NULL, *built = NULL;
	uint32_t off, id, nr = bfmt_btf__nr_types(m);

	assert_same(good, m);
	CU_ASSERT_PTR_NOT_NULL(m->map);
	CU_ASSERT_TRUE((const char *)m->data.v >= (const char *)m->map &&
		       (const char *)m->data.v < (const char *)m->map + m->map_len);
	CU_ASSERT_EQUAL(bfmt_btf__add_type(m, BFMT_KIND_PTR, 0, false, 0, 1, &id, NULL),
			-EPERM);
	CU_ASSERT_EQUAL(bfmt_btf__truncate(m, 1), -EPERM);
	CU_ASSERT_EQUAL(bfmt_btf__add_str(m, "int", &off), 0);	/* it has it */
	CU_ASSERT_STRING_EQUAL(bfmt_btf__str(m, off), "int");
	CU_ASSERT_EQUAL(bfmt_btf__add_str(m, "no such name", &off), -EPERM);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(m), nr);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(m, &split), 0);
	CU_ASSERT_EQUAL(bfmt_btf__add_str(split, "int", &off), 0);
	CU_ASSERT_TRUE(off < split->start_str_off);
	CU_ASSERT_EQUAL(bfmt_btf__add_str(split, "no such name", &off), 0);
	CU_ASSERT_EQUAL(off, split->start_str_off);
	bfmt_btf__free(split);
	/* Replaced by a built table, it gives its mapping back first. */
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &built), 0);
	CU_ASSERT_EQUAL(bfmt_btf__add_type(built, BFMT_KIND_PTR, 0, false, 0, 0, &id, NULL), 0);
	bfmt_btf__replace(m, built);
	CU_ASSERT_PTR_NULL(m->map);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(m), 2);
	CU_ASSERT_EQUAL(bfmt_btf__add_type(m, BFMT_KIND_PTR, 0, false, 0, 1, &id, NULL), 0);
}

static void test_read_only(void)
{
	struct bfmt_btf *good = build_good(), *m = NULL, *plain = NULL;
	struct capture cap;
	struct diag d = capture_diag(&cap);
	struct btfl_opts o = { .diag = &d, .read_only = true };
	bool host_be = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	void *raw;
	size_t len;
	char *path;

	/* Raw BTF in host order: mapped. */
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(good, host_be, &raw, &len), 0);
	path = write_tmp(raw, len);
	CU_ASSERT_EQUAL_FATAL(btfl_load_file(path, NULL, &o, &m), 0);
	check_mapped(good, m);
	bfmt_btf__free(m);
	m = NULL;
	/* Truncated: the same error as a copied load, nothing left mapped. */
	CU_ASSERT_EQUAL_FATAL(truncate(path, (off_t)len - 1), 0);
	CU_ASSERT_EQUAL(btfl_load_file(path, NULL, &o, &m), -EINVAL);
	CU_ASSERT_PTR_NULL(m);
	unlink(path);
	free(path);
	free(raw);
	/* The other byte order: copied, as without read_only. */
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(good, !host_be, &raw, &len), 0);
	path = write_tmp(raw, len);
	CU_ASSERT_EQUAL_FATAL(btfl_load_file(path, NULL, &o, &m), 0);
	assert_same(good, m);
	CU_ASSERT_PTR_NULL(m->map);
	bfmt_btf__free(m);
	m = NULL;
	unlink(path);
	free(path);
	free(raw);
#ifdef BTFL_FIX_OBJ
	/* An ELF file's .BTF: mapped, the same table as a copied load. */
	o.read_only = false;
	CU_ASSERT_EQUAL_FATAL(btfl_load_file(BTFL_FIX_OBJ, NULL, &o, &plain), 0);
	CU_ASSERT_PTR_NULL(plain->map);
	o.read_only = true;
	CU_ASSERT_EQUAL_FATAL(btfl_load_file(BTFL_FIX_OBJ, NULL, &o, &m), 0);
	assert_same(plain, m);
	CU_ASSERT_PTR_NOT_NULL(m->map);
	bfmt_btf__free(m);
	bfmt_btf__free(plain);
#endif
	(void)plain;
	bfmt_btf__free(good);
}

/* An ET_EXEC ELF file with the given sections, written with libelf. */
static void add_section(Elf *e, const char *name, const void *data, size_t len,
			char *shstr, size_t *shlen)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d = elf_newdata(scn);
	GElf_Shdr sh;

	d->d_buf = (void *)data;
	d->d_size = len;
	d->d_align = 4;
	d->d_type = ELF_T_BYTE;
	gelf_getshdr(scn, &sh);
	sh.sh_name = (GElf_Word)*shlen;
	sh.sh_type = SHT_PROGBITS;
	gelf_update_shdr(scn, &sh);
	strcpy(shstr + *shlen, name);
	*shlen += strlen(name) + 1;
}

static char *write_elf(const void *btf, size_t btf_len, const void *base, size_t base_len)
{
	char *path = strdup("/tmp/btfl-elf-XXXXXX"), shstr[64] = "";
	size_t shlen = 1;
	int fd = mkstemp(path);
	Elf *e;
	GElf_Ehdr eh;
	Elf_Scn *scn;
	Elf_Data *d;
	GElf_Shdr sh;

	CU_ASSERT_FATAL(fd >= 0 && elf_version(EV_CURRENT) != EV_NONE);
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	gelf_newehdr(e, ELFCLASS64);
	gelf_getehdr(e, &eh);
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	add_section(e, ".BTF", btf, btf_len, shstr, &shlen);
	if (base)
		add_section(e, ".BTF.base", base, base_len, shstr, &shlen);
	scn = elf_newscn(e);
	d = elf_newdata(scn);
	strcpy(shstr + shlen, ".shstrtab");
	gelf_getshdr(scn, &sh);
	sh.sh_name = (GElf_Word)shlen;
	shlen += strlen(".shstrtab") + 1;
	d->d_buf = shstr;
	d->d_size = shlen;
	d->d_type = ELF_T_BYTE;
	sh.sh_type = SHT_STRTAB;
	gelf_update_shdr(scn, &sh);
	eh.e_shstrndx = (Elf64_Half)elf_ndxscn(scn);
	gelf_update_ehdr(e, &eh);
	CU_ASSERT(elf_update(e, ELF_C_WRITE) > 0);
	elf_end(e);
	close(fd);
	return path;
}

/* A module-style ELF file: .BTF split on its own .BTF.base, which the
 * returned table owns. */
static void test_elf_base_section(void)
{
	struct bfmt_btf *base = build_good(), *split, *btf = NULL;
	struct btfl_info info = { 0 };
	struct capture cap;
	struct diag d = capture_diag(&cap);
	struct btfl_opts o = { .diag = &d, .info_ret = &info };
	void *braw, *sraw;
	size_t blen, slen;
	uint32_t id;
	char *path;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(base, &split), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(split, BFMT_KIND_PTR, 0, false, 0, T_S,
						 &id, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(base, false, &braw, &blen), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(split, false, &sraw, &slen), 0);
	path = write_elf(sraw, slen, braw, blen);
	CU_ASSERT_EQUAL(btfl_load_file(path, NULL, &o, &btf), 0);
	if (cap.count)
		fprintf(stderr, "\nelf_base: %s\n", cap.msg);
	CU_ASSERT_TRUE(info.from_elf && info.has_base_section);
	CU_ASSERT_EQUAL(info.machine, EM_X86_64);
	if (btf) {
		CU_ASSERT_EQUAL(btf->start_id, T_NR);
		CU_ASSERT_TRUE(btf->owns_base);
		CU_ASSERT_EQUAL(bfmt_kind(bfmt_btf__type(btf, T_S)), BFMT_KIND_STRUCT);
	}
	bfmt_btf__free(btf);	/* frees the base it loaded too (ASan checks) */
	unlink(path);
	free(path);
	/* A broken .BTF.base is named in the one error line. */
	((unsigned char *)braw)[2] = 9;
	path = write_elf(sraw, slen, braw, blen);
	btf = NULL;
	CU_ASSERT_EQUAL(btfl_load_file(path, NULL, &o, &btf), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, ".BTF.base: BTF header: unsupported version 9"));
	unlink(path);
	free(path);
	free(braw);
	free(sraw);
	bfmt_btf__free(split);
	bfmt_btf__free(base);
}

static void test_elf(void)
{
#ifdef BTFL_FIX_OBJ
	struct bfmt_btf *btf = NULL;
	struct btfl_info info = { 0 };
	struct capture cap;
	struct diag d = capture_diag(&cap);
	struct btfl_opts o = { .diag = &d, .info_ret = &info };
	struct ir_cu *cu = NULL;
	const struct ir_type *s;
	bool has = false;

	CU_ASSERT_EQUAL(btfl_probe(BTFL_FIX_OBJ, &has), 0);
	CU_ASSERT_TRUE(has);
	CU_ASSERT_EQUAL_FATAL(btfl_load_file(BTFL_FIX_OBJ, NULL, &o, &btf), 0);
	CU_ASSERT_TRUE(info.from_elf);
	CU_ASSERT_EQUAL(info.ptr_size, 8);
	o.info = &info;
	CU_ASSERT_EQUAL_FATAL(btfl_to_ir(btf, &o, &cu), 0);
	s = find_type(cu, IR_KIND_STRUCT, "btfl_pair");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->size, 40);
	CU_ASSERT_EQUAL_FATAL(s->annots.len, 1);
	CU_ASSERT_STRING_EQUAL(s->annots.v[0], "pair_tag");
	CU_ASSERT_EQUAL(s->members[2].bitfield_size, 3);
	CU_ASSERT_EQUAL(ir_cu__type(cu, s->members[5].type)->vlen, 2);	/* name[2][3] */
	CU_ASSERT_TRUE(cu->funcs.len >= 1);
	CU_ASSERT_TRUE(cu->vars.len >= 4);
	for (size_t i = 0; i < cu->vars.len; i++)
		CU_ASSERT_PTR_NOT_NULL(cu->vars.v[i].section);
	ir_cu__free(cu);
	bfmt_btf__free(btf);
#endif
#ifdef BTFL_FIX_NOBTF
	{
		struct bfmt_btf *none = NULL;
		struct capture cap2;
		struct diag d2 = capture_diag(&cap2);
		struct btfl_opts o2 = { .diag = &d2 };
		bool has2 = true;

		CU_ASSERT_EQUAL(btfl_probe(BTFL_FIX_NOBTF, &has2), 0);
		CU_ASSERT_FALSE(has2);
		CU_ASSERT_EQUAL(btfl_load_file(BTFL_FIX_NOBTF, NULL, &o2, &none), -ENODATA);
		CU_ASSERT_PTR_NOT_NULL(strstr(cap2.msg, "no .BTF"));
	}
#endif
}

static void test_vmlinux(void)
{
	const char *path = "/sys/kernel/btf/vmlinux";
	struct bfmt_btf *btf = NULL;
	struct capture cap;
	struct diag d = capture_diag(&cap);
	struct btfl_opts o = { .diag = &d };
	struct ir_cu *cu = NULL;
	const struct ir_type *t;

	if (access(path, R_OK))
		return;	/* not readable here: nothing to check */
	CU_ASSERT_EQUAL_FATAL(btfl_load_file(path, NULL, &o, &btf), 0);
	if (cap.count)
		fprintf(stderr, "\nvmlinux: %s\n", cap.msg);
#ifdef HAVE_LIBBPF
	{
		struct btf *lb = btf__parse(path, NULL);

		if (lb)
			CU_ASSERT_EQUAL(btf__type_cnt(lb), bfmt_btf__nr_types(btf));
		btf__free(lb);
	}
#endif
	CU_ASSERT_EQUAL_FATAL(btfl_to_ir(btf, &o, &cu), 0);
	t = find_type(cu, IR_KIND_STRUCT, "task_struct");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_TRUE(t->size > 0);
	t = find_type(cu, IR_KIND_INT, "int");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size, 4);
	CU_ASSERT_TRUE(cu->funcs.len > 1000);
	ir_cu__free(cu);
	bfmt_btf__free(btf);
}

static const struct unit_test btf_loader_tests[] = {
	{ "roundtrip", test_roundtrip },
	{ "header_extension", test_header_extension },
	{ "malformed", test_malformed },
	{ "fuzz_bytes", test_fuzz_bytes },
	{ "split", test_split },
	{ "split_base_sizes", test_split_base_sizes },
	{ "deep_chain", test_deep_chain },
	{ "to_ir", test_to_ir },
	{ "ir_dims", test_ir_dims },
	{ "files", test_files },
	{ "read_only", test_read_only },
	{ "elf", test_elf },
	{ "elf_base_section", test_elf_base_section },
	{ "vmlinux", test_vmlinux },
	{ NULL, NULL },
};

int register_btf_loader_suite(void)
{
	return unit_add_suite("btf_loader", btf_loader_tests);
}
