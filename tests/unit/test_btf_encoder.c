// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "btf_encoder": model types -> BTF, kind by kind, with the fallbacks
 * and feature switches. Outputs are also checked by libbpf's parser and, where
 * the kernel allows BPF_BTF_LOAD, by the kernel's BTF verifier.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_encoder/btf_dedup.h"
#include "btf_encoder/btf_encoder.h"
#include "btf_encoder/btfe_internal.h"
#include "btf_gen.h"
#include "tests.h"
#include "unit_build.h"
#include "tests/tools/kcheck.h"

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>
#endif

/* Model building helpers. */
static ir_id mk(struct ir_cu *cu, enum ir_kind k, const char *name, uint64_t size,
		ir_id type)
{
	return unit_ir_type(cu, k, name, size, type);
}

static ir_id mk_int(struct ir_cu *cu, const char *name, uint64_t size, uint16_t flags)
{
	return unit_ir_int(cu, name, size, flags);
}

static void set_members(struct ir_cu *cu, ir_id id, uint32_t n,
			const struct ir_member *m)
{
	struct ir_type *t = ir_cu__type(cu, id);

	t->vlen = n;
	t->members = arena_memdup(&cu->arena, m, n * sizeof(*m));
}

/* The ids a test refers to, by name. */
struct sample {
	ir_id i_int, i_char, i_bool, i_float, i_ldouble, i_ptr, i_const, i_td,
		i_struct, i_union, i_enum, i_enum64, i_arr2, i_flex, i_fwd_s,
		i_fwd_u, i_fwd_e, i_proto, i_atomic, i_atomic_ptr, i_tag, i_tag_ptr,
		i_i24, i_ref, i_unspec, i_self;
};

static struct ir_cu *build_sample(struct sample *s)
{
	struct ir_cu *cu = ir_cu__new();
	struct ir_type *t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cu);
	memset(s, 0, sizeof(*s));
	s->i_int = mk_int(cu, "int", 4, IR_TF_SIGNED);
	s->i_char = mk_int(cu, "char", 1, IR_TF_SIGNED | IR_TF_CHAR);
	s->i_bool = mk_int(cu, "_Bool", 1, IR_TF_BOOL);
	s->i_float = mk(cu, IR_KIND_FLOAT, "float", 4, 0);
	s->i_ldouble = mk(cu, IR_KIND_FLOAT, "long double", 16, 0);
	s->i_const = mk(cu, IR_KIND_CONST, NULL, 0, s->i_char);
	s->i_ptr = mk(cu, IR_KIND_PTR, NULL, 8, s->i_const);
	s->i_td = mk(cu, IR_KIND_TYPEDEF, "str_t", 0, s->i_ptr);
	/* struct s { int a; int b:3; int c:5; struct s *self; _Atomic int at; } */
	s->i_struct = mk(cu, IR_KIND_STRUCT, "s", 24, 0);
	s->i_self = mk(cu, IR_KIND_PTR, NULL, 8, s->i_struct);
	s->i_atomic = mk(cu, IR_KIND_ATOMIC, NULL, 0, s->i_int);
	{
		struct ir_member m[] = {
			{ .name = ir_cu__intern(cu, "a"), .type = s->i_int, .bit_offset = 0 },
			{ .name = ir_cu__intern(cu, "b"), .type = s->i_int, .bit_offset = 32, .bitfield_size = 3 },
			{ .name = ir_cu__intern(cu, "c"), .type = s->i_int, .bit_offset = 35, .bitfield_size = 5 },
			{ .name = ir_cu__intern(cu, "self"), .type = s->i_self, .bit_offset = 64 },
			{ .name = ir_cu__intern(cu, "at"), .type = s->i_atomic, .bit_offset = 128 },
		};
		set_members(cu, s->i_struct, 5, m);
	}
	/* union u { int x; char y; } */
	s->i_union = mk(cu, IR_KIND_UNION, "u", 4, 0);
	{
		struct ir_member m[] = {
			{ .name = ir_cu__intern(cu, "x"), .type = s->i_int },
			{ .name = ir_cu__intern(cu, "y"), .type = s->i_char },
		};
		set_members(cu, s->i_union, 2, m);
	}
	/* enum e { NEG = -1, POS = 7 } and a 64-bit enum */
	s->i_enum = mk(cu, IR_KIND_ENUM, "e", 4, 0);
	t = ir_cu__type(cu, s->i_enum);
	t->flags = IR_TF_SIGNED;
	t->vlen = 2;
	t->enumerators = arena_calloc(&cu->arena, 2, sizeof(*t->enumerators));
	t->enumerators[0] = (struct ir_enumerator){ ir_cu__intern(cu, "NEG"), (uint64_t)-1 };
	t->enumerators[1] = (struct ir_enumerator){ ir_cu__intern(cu, "POS"), 7 };
	s->i_enum64 = mk(cu, IR_KIND_ENUM, "big", 8, 0);
	t = ir_cu__type(cu, s->i_enum64);
	t->vlen = 1;
	t->enumerators = arena_calloc(&cu->arena, 1, sizeof(*t->enumerators));
	t->enumerators[0] = (struct ir_enumerator){ ir_cu__intern(cu, "HUGE"), 0xfffff00000000ULL };
	/* int m[3][5] and a flexible char[] */
	s->i_arr2 = mk(cu, IR_KIND_ARRAY, NULL, 0, s->i_int);
	t = ir_cu__type(cu, s->i_arr2);
	t->vlen = 2;
	t->dims = arena_calloc(&cu->arena, 2, sizeof(*t->dims));
	t->dims[0].count = 3;
	t->dims[1].count = 5;
	s->i_flex = mk(cu, IR_KIND_ARRAY, NULL, 0, s->i_char);
	t = ir_cu__type(cu, s->i_flex);
	t->vlen = 1;
	t->dims = arena_calloc(&cu->arena, 1, sizeof(*t->dims));
	t->dims[0].flexible = true;
	s->i_fwd_s = mk(cu, IR_KIND_FWD, "fs", 0, 0);
	s->i_fwd_u = mk(cu, IR_KIND_FWD, "fu", 0, 0);
	ir_cu__type(cu, s->i_fwd_u)->fwd_kind = IR_FWD_UNION;
	s->i_fwd_e = mk(cu, IR_KIND_FWD, "fe", 0, 0);
	ir_cu__type(cu, s->i_fwd_e)->fwd_kind = IR_FWD_ENUM;
	/* int (*)(int, ...) */
	s->i_proto = mk(cu, IR_KIND_FUNC_PROTO, NULL, 0, s->i_int);
	t = ir_cu__type(cu, s->i_proto);
	t->flags = IR_TF_VARARGS | IR_TF_PROTOTYPED;
	t->vlen = 1;
	t->params = arena_calloc(&cu->arena, 1, sizeof(*t->params));
	t->params[0].type = s->i_int;
	/* _Atomic int * : the pointer must reach int directly */
	s->i_atomic_ptr = mk(cu, IR_KIND_PTR, NULL, 8, s->i_atomic);
	/* int __tag("user") * */
	s->i_tag = mk(cu, IR_KIND_TYPE_TAG, "user", 0, s->i_int);
	s->i_tag_ptr = mk(cu, IR_KIND_PTR, NULL, 8, s->i_tag);
	/* a 3-byte integer: no BTF INT for it */
	s->i_i24 = mk_int(cu, "__int24", 3, 0);
	s->i_ref = mk(cu, IR_KIND_UNSPEC, NULL, 8, s->i_int);
	ir_cu__type(cu, s->i_ref)->unspec = IR_UNSPEC_REFERENCE;
	s->i_unspec = mk(cu, IR_KIND_UNSPEC, "decltype(nullptr)", 0, 0);
	ir_cu__type(cu, s->i_unspec)->unspec = IR_UNSPEC_UNSPECIFIED_TYPE;
	CU_ASSERT_EQUAL(ir_cu__annot_add(cu, &ir_cu__type(cu, s->i_struct)->annots, "sdecl"), 0);
	CU_ASSERT_EQUAL(ir_cu__annot_add(cu, &ir_cu__type(cu, s->i_struct)->members[1].annots,
					 "mdecl"), 0);
	return cu;
}

static struct btfe_encoder *encode(struct ir_cu *cu, uint32_t features)
{
	struct btfe_opts o = { .features = features };
	struct btfe_encoder *enc;

	CU_ASSERT_EQUAL_FATAL(btfe_encoder__new(&o, &enc), 0);
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__add_cu(enc, cu), 0);
	return enc;
}

static const struct bfmt_type *find(const struct bfmt_btf *btf, enum bfmt_kind kind,
				    const char *name, uint32_t *id_ret)
{
	return unit_btf_find(btf, kind, name, id_ret);
}

/* Serialise, parse with libbpf, and ask the kernel where it lets us. */
static void check_valid(const struct bfmt_btf *btf)
{
	void *raw;
	size_t len;
	char *log = malloc(1 << 20);
	int k;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(btf, false, &raw, &len), 0);
#ifdef HAVE_LIBBPF
	{
		struct btf *lb = btf__new(raw, (__u32)len);

		CU_ASSERT_PTR_NOT_NULL(lb);
		if (lb)
			CU_ASSERT_EQUAL(btf__type_cnt(lb), bfmt_btf__nr_types(btf));
		btf__free(lb);
	}
#endif
	k = kcheck_btf(raw, len, log, 1 << 20);
	if (k == KCHECK_REJECTED)
		fprintf(stderr, "\nkernel verifier log:\n%s\n", log);
	CU_ASSERT_NOT_EQUAL(k, KCHECK_REJECTED);
	free(log);
	free(raw);
}

static void test_kinds_default(void)
{
	struct sample s;
	struct ir_cu *cu = build_sample(&s);
	struct btfe_encoder *enc = encode(cu, BTFE_FEATURES_DEFAULT);
	const struct bfmt_btf *btf = btfe_encoder__btf(enc);
	const struct bfmt_type *t, *u;
	const struct bfmt_member *m;
	const struct bfmt_array *a;
	uint32_t id_int, id_s, id2;

	t = find(btf, BFMT_KIND_INT, "int", &id_int);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size_type, 4);
	CU_ASSERT_EQUAL(*(uint32_t *)bfmt_type_extra(t), bfmt_int_info(BFMT_INT_SIGNED, 0, 32));
	t = find(btf, BFMT_KIND_INT, "_Bool", NULL);
	CU_ASSERT_EQUAL(*(uint32_t *)bfmt_type_extra(t), bfmt_int_info(BFMT_INT_BOOL, 0, 8));
	t = find(btf, BFMT_KIND_FLOAT, "long double", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size_type, 16);

	/* struct s: kind_flag for bitfields, _Atomic member typed int */
	t = find(btf, BFMT_KIND_STRUCT, "s", &id_s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_TRUE(bfmt_kflag(t));
	CU_ASSERT_EQUAL(bfmt_vlen(t), 5);
	CU_ASSERT_EQUAL(t->size_type, 24);
	m = bfmt_type_extra(t);
	CU_ASSERT_EQUAL(m[1].offset, 3u << 24 | 32);
	CU_ASSERT_EQUAL(m[2].offset, 5u << 24 | 35);
	CU_ASSERT_EQUAL(m[4].type, id_int);
	CU_ASSERT_STRING_EQUAL(bfmt_btf__str(btf, m[3].name_off), "self");
	u = bfmt_btf__type(btf, m[3].type);
	CU_ASSERT_EQUAL(bfmt_kind(u), BFMT_KIND_PTR);
	CU_ASSERT_EQUAL(u->size_type, id_s);

	t = find(btf, BFMT_KIND_UNION, "u", NULL);
	CU_ASSERT_FALSE(bfmt_kflag(t));
	t = find(btf, BFMT_KIND_ENUM, "e", NULL);
	CU_ASSERT_TRUE(bfmt_kflag(t));
	CU_ASSERT_EQUAL(((struct bfmt_enum *)bfmt_type_extra(t))[0].val, -1);
	t = find(btf, BFMT_KIND_ENUM64, "big", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(((struct bfmt_enum64 *)bfmt_type_extra(t))[0].val_hi32, 0xfffff);
	CU_ASSERT_EQUAL(((struct bfmt_enum64 *)bfmt_type_extra(t))[0].val_lo32, 0);

	/* int[3][5]: one ARRAY of 15 ints (pahole flattens), indexed by the
	 * unit's "int" as pahole does; the flexible char[] has 0 elements */
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_INT, "__ARRAY_SIZE_TYPE__", NULL));
	t = find(btf, BFMT_KIND_ARRAY, NULL, &id2);
	a = bfmt_type_extra(t);
	CU_ASSERT_EQUAL(a->nelems, 15);
	CU_ASSERT_EQUAL(a->index_type, id_int);
	CU_ASSERT_EQUAL(a->type, id_int);
	a = bfmt_type_extra(bfmt_btf__type(btf, id2 + 1));
	CU_ASSERT_EQUAL(a->nelems, 0);

	/* forward declarations */
	t = find(btf, BFMT_KIND_FWD, "fu", NULL);
	CU_ASSERT_TRUE(bfmt_kflag(t));
	t = find(btf, BFMT_KIND_FWD, "fs", NULL);
	CU_ASSERT_FALSE(bfmt_kflag(t));
	t = find(btf, BFMT_KIND_ENUM, "fe", NULL);
	CU_ASSERT_EQUAL(bfmt_vlen(t), 0);

	/* varargs: a trailing { 0, 0 } parameter */
	t = find(btf, BFMT_KIND_FUNC_PROTO, NULL, NULL);
	CU_ASSERT_EQUAL(bfmt_vlen(t), 2);
	CU_ASSERT_EQUAL(((struct bfmt_param *)bfmt_type_extra(t))[1].type, 0);

	/* type tag kept, decl tags on the struct and its member b */
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_TYPE_TAG, "user", NULL));
	t = find(btf, BFMT_KIND_DECL_TAG, "sdecl", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size_type, id_s);
	CU_ASSERT_EQUAL(((struct bfmt_decl_tag *)bfmt_type_extra(t))->component_idx, -1);
	t = find(btf, BFMT_KIND_DECL_TAG, "mdecl", NULL);
	CU_ASSERT_EQUAL(((struct bfmt_decl_tag *)bfmt_type_extra(t))->component_idx, 1);

	/* fallbacks: 3-byte int -> anonymous 3-byte struct; no "__int24" INT */
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_INT, "__int24", NULL));
	check_valid(btf);
	btfe_encoder__free(enc);
	ir_cu__free(cu);
}

static void test_features_off(void)
{
	struct sample s;
	struct ir_cu *cu = build_sample(&s);
	struct btfe_encoder *enc = encode(cu, BTFE_F_VAR);
	const struct bfmt_btf *btf = btfe_encoder__btf(enc);
	const struct bfmt_type *t;
	uint32_t id_int;

	find(btf, BFMT_KIND_INT, "int", &id_int);
	/* no FLOAT: same-size INT without encoding */
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_FLOAT, "float", NULL));
	t = find(btf, BFMT_KIND_INT, "float", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(*(uint32_t *)bfmt_type_extra(t), bfmt_int_info(0, 0, 32));
	/* no ENUM64: 32-bit ENUM of size 8 with the low bits */
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_ENUM64, "big", NULL));
	t = find(btf, BFMT_KIND_ENUM, "big", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size_type, 8);
	/* no TYPE_TAG: the pointer reaches int */
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_TYPE_TAG, "user", NULL));
	/* no DECL_TAG */
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_DECL_TAG, "sdecl", NULL));
	check_valid(btf);
	btfe_encoder__free(enc);
	ir_cu__free(cu);
}

static void test_alias_cycle(void)
{
	struct ir_cu *cu = ir_cu__new();
	struct btfe_encoder *enc;
	const struct bfmt_type *t;
	ir_id a1, a2, p;

	/* _Atomic -> _Atomic -> back: malformed; must end at void. */
	a1 = mk(cu, IR_KIND_ATOMIC, NULL, 0, 0);
	a2 = mk(cu, IR_KIND_ATOMIC, NULL, 0, a1);
	ir_cu__type(cu, a1)->type = a2;
	p = mk(cu, IR_KIND_PTR, NULL, 8, a1);
	(void)p;
	enc = encode(cu, BTFE_FEATURES_DEFAULT);
	t = find(btfe_encoder__btf(enc), BFMT_KIND_PTR, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size_type, 0);
	btfe_encoder__free(enc);
	ir_cu__free(cu);
}

/* Members BTF cannot place, from hostile DWARF: past the end, out of
 * order, not at 0 in a union. Each such type becomes an opaque struct of
 * its size (kernel-valid); a sane neighbour stays as it is. */
static void test_members_misplaced(void)
{
	struct ir_cu *cu = ir_cu__new();
	ir_id i = mk_int(cu, "int", 4, IR_TF_SIGNED), arr, past, order, un, sane, decl, late;
	struct ir_member m_past[] = { { .name = "a", .type = 0, .bit_offset = 0 } };
	struct ir_member m_late[] = { { .name = "a", .type = 0, .bit_offset = 64 } };
	struct ir_member m_order[] = { { .name = "a", .type = i, .bit_offset = 32 },
				       { .name = "b", .type = i, .bit_offset = 0 } };
	struct ir_member m_un[] = { { .name = "a", .type = i, .bit_offset = 32 } };
	struct ir_member m_sane[] = { { .name = "a", .type = i, .bit_offset = 0 },
				      { .name = "b", .type = i, .bit_offset = 32 } };
	struct btfe_encoder *enc;
	const struct bfmt_btf *btf;
	const struct bfmt_type *t;

	arr = mk(cu, IR_KIND_ARRAY, NULL, 0, i);
	ir_cu__type(cu, arr)->vlen = 1;
	ir_cu__type(cu, arr)->dims = arena_calloc(&cu->arena, 1, sizeof(struct ir_dim));
	CU_ASSERT_PTR_NOT_NULL_FATAL(ir_cu__type(cu, arr)->dims);
	ir_cu__type(cu, arr)->dims[0].count = 4;
	m_past[0].type = arr;	/* 16 bytes in a union of 4 */
	past = mk(cu, IR_KIND_UNION, "past", 4, 0);
	set_members(cu, past, 1, m_past);
	order = mk(cu, IR_KIND_STRUCT, "order", 8, 0);
	set_members(cu, order, 2, m_order);
	un = mk(cu, IR_KIND_UNION, "un", 8, 0);
	set_members(cu, un, 1, m_un);
	sane = mk(cu, IR_KIND_STRUCT, "sane", 8, 0);
	set_members(cu, sane, 2, m_sane);
	/* A member whose size is not known (an anonymous declaration behind
	 * a typedef) starting past the end (a fuzz finding). */
	decl = mk(cu, IR_KIND_FWD, NULL, 0, 0);
	m_late[0].type = mk(cu, IR_KIND_TYPEDEF, "decl_t", 0, decl);
	late = mk(cu, IR_KIND_STRUCT, "late", 4, 0);
	set_members(cu, late, 1, m_late);
	enc = encode(cu, BTFE_FEATURES_DEFAULT);
	btf = btfe_encoder__btf(enc);
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_UNION, "past", NULL));
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_STRUCT, "order", NULL));
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_UNION, "un", NULL));
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_STRUCT, "late", NULL));
	t = find(btf, BFMT_KIND_STRUCT, "sane", NULL);
	CU_ASSERT_PTR_NOT_NULL(t);
	CU_ASSERT(t && bfmt_vlen(t) == 2);
	check_valid(btf);
	btfe_encoder__free(enc);
	ir_cu__free(cu);
}

/* An array of void (hostile DWARF) is invalid BTF: an empty struct. */
static void test_array_of_void(void)
{
	struct ir_cu *cu = ir_cu__new();
	ir_id arr = mk(cu, IR_KIND_ARRAY, NULL, 0, 0);
	struct btfe_encoder *enc;
	const struct bfmt_btf *btf;
	const struct bfmt_type *t;

	ir_cu__type(cu, arr)->vlen = 1;
	ir_cu__type(cu, arr)->dims = arena_calloc(&cu->arena, 1, sizeof(struct ir_dim));
	CU_ASSERT_PTR_NOT_NULL_FATAL(ir_cu__type(cu, arr)->dims);
	ir_cu__type(cu, arr)->dims[0].count = 4;
	mk(cu, IR_KIND_PTR, NULL, 8, arr);
	enc = encode(cu, BTFE_FEATURES_DEFAULT);
	btf = btfe_encoder__btf(enc);
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_ARRAY, NULL, NULL));
	t = find(btf, BFMT_KIND_PTR, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	t = bfmt_btf__type(btf, t->size_type);
	CU_ASSERT(t && bfmt_kind(t) == BFMT_KIND_STRUCT && !bfmt_vlen(t) && !t->size_type);
	check_valid(btf);
	btfe_encoder__free(enc);
	ir_cu__free(cu);
}

static void test_two_units(void)
{
	struct sample s1, s2;
	struct ir_cu *cu1 = build_sample(&s1), *cu2 = build_sample(&s2);
	struct btfe_opts o = { .features = BTFE_FEATURES_DEFAULT };
	struct btfe_encoder *enc;
	uint32_t n1;

	CU_ASSERT_EQUAL_FATAL(btfe_encoder__new(&o, &enc), 0);
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__add_cu(enc, cu1), 0);
	n1 = bfmt_btf__nr_types(btfe_encoder__btf(enc));
	ir_cu__free(cu1);
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__add_cu(enc, cu2), 0);
	/* Without dedup the second unit adds the same number of types. */
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(btfe_encoder__btf(enc)), 2 * n1 - 1);
	check_valid(btfe_encoder__btf(enc));
	btfe_encoder__free(enc);
	ir_cu__free(cu2);
}

/* Encode units (merged as they come, or not), finish and dedup; return
 * the serialised table. */
static void *encode_units(struct ir_cu **cus, size_t n, bool merge, size_t *len_ret,
			  uint32_t *nr_before_dedup)
{
	struct btfe_opts o = { .features = BTFE_FEATURES_DEFAULT, .merge_units = merge };
	struct btfe_encoder *enc;
	void *raw = NULL;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(btfe_encoder__new(&o, &enc), 0);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL_FATAL(btfe_encoder__add_cu(enc, cus[i]), 0);
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__finish(enc), 0);
	*nr_before_dedup = bfmt_btf__nr_types(btfe_encoder__btf(enc));
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__dedup(enc), 0);
	CU_ASSERT_EQUAL(bfmt_btf__serialize(btfe_encoder__btf(enc), false, &raw, len_ret), 0);
	btfe_encoder__free(enc);
	return raw;
}

/* struct holder { union { int x; } a; union { int x; } b; struct s *p; }:
 * two equal anonymous unions in one unit. */
static struct ir_cu *build_twins(void)
{
	struct ir_cu *cu = ir_cu__new();
	ir_id i_int, u1, u2, h, s, p;
	uint32_t k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cu);
	i_int = mk_int(cu, "int", 4, IR_TF_SIGNED);
	u1 = mk(cu, IR_KIND_UNION, NULL, 4, 0);
	u2 = mk(cu, IR_KIND_UNION, NULL, 4, 0);
	for (k = 0; k < 2; k++) {
		struct ir_member m[] = {
			{ .name = ir_cu__intern(cu, "x"), .type = i_int },
		};
		set_members(cu, k ? u2 : u1, 1, m);
	}
	s = mk(cu, IR_KIND_FWD, "s", 0, 0);
	p = mk(cu, IR_KIND_PTR, NULL, 8, s);
	h = mk(cu, IR_KIND_STRUCT, "holder", 16, 0);
	{
		struct ir_member m[] = {
			{ .name = ir_cu__intern(cu, "a"), .type = u1, .bit_offset = 0 },
			{ .name = ir_cu__intern(cu, "b"), .type = u2, .bit_offset = 32 },
			{ .name = ir_cu__intern(cu, "p"), .type = p, .bit_offset = 64 },
		};
		set_members(cu, h, 3, m);
	}
	return cu;
}

/* Units merged as they are added: the second copy of a unit adds nothing,
 * a unit's equal twins are stored once, and after dedup the bytes are the
 * same as without merging. */
static void test_merge_units(void)
{
	struct sample s1, s2, s3;
	struct ir_cu *cus[5] = { build_sample(&s1), build_twins(), build_sample(&s2),
				 build_sample(&s3), build_twins() };
	struct btfe_opts o = { .features = BTFE_FEATURES_DEFAULT, .merge_units = true };
	struct btfe_encoder *enc;
	uint32_t n1, n2, nr_merged, nr_plain;
	size_t len_m, len_p;
	void *m, *p;

	/* The third unit's struct s gets a member of another type: only what
	 * reaches it is new. */
	ir_cu__type(cus[3], s3.i_struct)->members[0].type = s3.i_char;
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__new(&o, &enc), 0);
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__add_cu(enc, cus[0]), 0);
	n1 = bfmt_btf__nr_types(btfe_encoder__btf(enc));
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__add_cu(enc, cus[2]), 0);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(btfe_encoder__btf(enc)), n1);
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__add_cu(enc, cus[1]), 0);
	/* holder, one union (not two), FWD s, its pointer; int is known. */
	n2 = bfmt_btf__nr_types(btfe_encoder__btf(enc));
	CU_ASSERT_EQUAL(n2, n1 + 4);
	CU_ASSERT_PTR_NOT_NULL(find(btfe_encoder__btf(enc), BFMT_KIND_STRUCT, "holder", NULL));
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__add_cu(enc, cus[3]), 0);
	/* struct s, the pointer to it, and its DECL_TAGs at least. */
	CU_ASSERT(bfmt_btf__nr_types(btfe_encoder__btf(enc)) > n2);
	CU_ASSERT(bfmt_btf__nr_types(btfe_encoder__btf(enc)) < n2 + n1 / 2);
	check_valid(btfe_encoder__btf(enc));
	btfe_encoder__free(enc);

	m = encode_units(cus, 5, true, &len_m, &nr_merged);
	p = encode_units(cus, 5, false, &len_p, &nr_plain);
	CU_ASSERT(nr_merged < nr_plain);
	CU_ASSERT_EQUAL_FATAL(len_m, len_p);
	CU_ASSERT(memcmp(m, p, len_m) == 0);
	free(m);
	free(p);
	for (n1 = 0; n1 < 5; n1++)
		ir_cu__free(cus[n1]);
}

static void *merge_blob(const struct bfmt_btf *b, size_t *len)
{
	void *data = NULL;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(b, false, &data, len), 0);
	return data;
}

/*
 * Folding unit by unit is the structural quotient of the concatenation.
 * Random graphs g1 and g2 as units: g1, g1 in another order, g2, g1 in a
 * third order. The copies of g1 add nothing and each of their types takes
 * the id its original took; folded fragment by fragment and deduplicated
 * structurally, the table gives the bytes the concatenation gives.
 */
static void test_merge_random(void)
{
	struct btf_rng rng = { .s = 0x6d65726765ULL };
	int round;

	for (round = 0; round < 24; round++) {
		struct bfmt_btf *g1, *g2, *folded = unit_btf_new(NULL), *concat = unit_btf_new(NULL);
		struct btfd_opts dopts = { .structural_only = true };
		struct btfe_merge m = { 0 };
		uint32_t *perm, *final, *final1 = NULL, n, k, part;
		size_t la, lb;
		void *a, *b;

		CU_ASSERT_EQUAL_FATAL(btf_gen_random_rng(&rng, 20 + btf_rng_below(&rng, 400), &g1), 0);
		CU_ASSERT_EQUAL_FATAL(btf_gen_random_rng(&rng, 20 + btf_rng_below(&rng, 400), &g2), 0);
		n = bfmt_btf__nr_types(g1) - 1;
		perm = malloc((n + 1) * sizeof(*perm));
		CU_ASSERT_PTR_NOT_NULL_FATAL(perm);
		for (part = 0; part < 4; part++) {
			const struct bfmt_btf *src = part == 2 ? g2 : g1;
			uint32_t first = bfmt_btf__nr_types(folded);
			bool copy = part == 1 || part == 3;

			if (copy)
				btf_gen_perm(&rng, perm, n);
			CU_ASSERT_EQUAL_FATAL(btf_gen_append(folded, src, copy ? perm : NULL), 0);
			CU_ASSERT_EQUAL_FATAL(btf_gen_append(concat, src, copy ? perm : NULL), 0);
			CU_ASSERT_EQUAL_FATAL(btfe_merge_fragment(&m, folded, first, &final), 0);
			if (part == 0) {
				final1 = final;
				continue;
			}
			if (copy) {
				CU_ASSERT_EQUAL(bfmt_btf__nr_types(folded), first);
				for (k = 0; k < n; k++)
					CU_ASSERT_EQUAL(final[k], final1[perm[k] - 1]);
			}
			free(final);
		}
		CU_ASSERT_EQUAL_FATAL(btfd_dedup(folded, &dopts), 0);
		CU_ASSERT_EQUAL_FATAL(btfd_dedup(concat, &dopts), 0);
		a = merge_blob(folded, &la);
		b = merge_blob(concat, &lb);
		CU_ASSERT_EQUAL(la, lb);
		CU_ASSERT(la == lb && !memcmp(a, b, la));
		free(a);
		free(b);
		free(final1);
		free(perm);
		btfe_merge_deinit(&m);
		bfmt_btf__free(g1);
		bfmt_btf__free(g2);
		bfmt_btf__free(folded);
		bfmt_btf__free(concat);
	}
}

/* A FUNC_PROTO int (int x) after the table's ids; returns its id. */
static uint32_t add_proto(struct bfmt_btf *b, uint32_t ret, uint32_t param, const char *pname)
{
	struct bfmt_param *pp;
	uint32_t id = unit_btf_add(b, BFMT_KIND_FUNC_PROTO, 1, false, NULL, ret, (void **)&pp);

	pp[0].name_off = unit_btf_str(b, pname);
	pp[0].type = param;
	return id;
}

/* What finish adds is folded by records: a prototype equal to a unit's
 * function pointer's, a function twice; a reference to a later type leaves
 * it all alone. */
static void test_merge_tail(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i_int, unit_proto, first, p1, f1, p2, f2, f3, id;
	const struct bfmt_type *t;
	uint32_t *info;

	i_int = unit_btf_add(b, BFMT_KIND_INT, 0, false, "int", 4, (void **)&info);
	*info = bfmt_int_info(BFMT_INT_SIGNED, 0, 32);
	unit_proto = add_proto(b, i_int, i_int, "x");
	unit_btf_add(b, BFMT_KIND_PTR, 0, false, NULL, unit_proto, NULL);
	first = bfmt_btf__nr_types(b);
	p1 = add_proto(b, i_int, i_int, "x");			/* = unit_proto */
	f1 = unit_btf_add(b, BFMT_KIND_FUNC, BFMT_LINKAGE_GLOBAL, false, "f", p1, NULL);
	p2 = add_proto(b, i_int, i_int, "y");			/* new */
	f2 = unit_btf_add(b, BFMT_KIND_FUNC, BFMT_LINKAGE_GLOBAL, false, "g", p2, NULL);
	f3 = unit_btf_add(b, BFMT_KIND_FUNC, BFMT_LINKAGE_GLOBAL, false, "f", p1, NULL);
	(void)f1;
	(void)f2;
	(void)f3;
	CU_ASSERT_EQUAL_FATAL(btfe_merge_tail(b, first), 0);
	/* f, then y's prototype, then g: three types, in their order. */
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(b), first + 3);
	t = find(b, BFMT_KIND_FUNC, "f", &id);
	CU_ASSERT_EQUAL_FATAL(id, first);
	CU_ASSERT_EQUAL(t->size_type, unit_proto);
	t = find(b, BFMT_KIND_FUNC, "g", &id);
	CU_ASSERT_EQUAL_FATAL(id, first + 2);
	CU_ASSERT_EQUAL(t->size_type, first + 1);
	CU_ASSERT_EQUAL(bfmt_kind(bfmt_btf__type(b, first + 1)), BFMT_KIND_FUNC_PROTO);
	bfmt_btf__free(b);

	/* A FUNC before its prototype: nothing is folded. */
	b = unit_btf_new(NULL);
	i_int = unit_btf_add(b, BFMT_KIND_INT, 0, false, "int", 4, (void **)&info);
	*info = bfmt_int_info(BFMT_INT_SIGNED, 0, 32);
	first = bfmt_btf__nr_types(b);
	unit_btf_add(b, BFMT_KIND_FUNC, BFMT_LINKAGE_GLOBAL, false, "f", first + 1, NULL);
	add_proto(b, i_int, i_int, "x");
	add_proto(b, i_int, i_int, "x");
	CU_ASSERT_EQUAL(btfe_merge_tail(b, first), 1);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(b), first + 3);
	bfmt_btf__free(b);
}

/* enum e (*)(enum e, struct s): an enum declaration has a size in BTF (an
 * ENUM without values) and stays; a struct declaration by value cannot
 * (the kernel rejects a sizeless parameter) and is left out. */
static void test_proto_declared_types(void)
{
	struct ir_cu *cu = ir_cu__new();
	struct btfe_encoder *enc;
	const struct bfmt_type *t, *r;
	const struct bfmt_param *p;
	struct ir_type *pt;
	ir_id fe, fs, proto;

	fe = mk(cu, IR_KIND_FWD, "e", 0, 0);
	ir_cu__type(cu, fe)->fwd_kind = IR_FWD_ENUM;
	fs = mk(cu, IR_KIND_FWD, "s", 0, 0);
	proto = mk(cu, IR_KIND_FUNC_PROTO, NULL, 0, fe);
	pt = ir_cu__type(cu, proto);
	pt->flags = IR_TF_PROTOTYPED;
	pt->vlen = 2;
	pt->params = arena_calloc(&cu->arena, 2, sizeof(*pt->params));
	pt->params[0].type = fe;
	pt->params[1].type = fs;
	mk(cu, IR_KIND_PTR, NULL, 8, proto);
	enc = encode(cu, BTFE_FEATURES_DEFAULT);
	t = find(btfe_encoder__btf(enc), BFMT_KIND_FUNC_PROTO, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	r = bfmt_btf__type(btfe_encoder__btf(enc), t->size_type);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(bfmt_kind(r), BFMT_KIND_ENUM);
	CU_ASSERT_EQUAL_FATAL(bfmt_vlen(t), 1);
	p = bfmt_type_extra(t);
	CU_ASSERT_EQUAL(p[0].type, t->size_type);
	check_valid(btfe_encoder__btf(enc));
	btfe_encoder__free(enc);
	ir_cu__free(cu);
}

/* A unit without "int" gets pahole's __ARRAY_SIZE_TYPE__, once. */
static void test_index_type(void)
{
	struct ir_cu *cu = ir_cu__new();
	struct btfe_encoder *enc;
	const struct bfmt_type *t;
	uint32_t id;
	ir_id c, a;

	c = mk_int(cu, "char", 1, IR_TF_SIGNED);
	a = mk(cu, IR_KIND_ARRAY, NULL, 0, c);
	ir_cu__type(cu, a)->vlen = 1;
	ir_cu__type(cu, a)->dims = arena_calloc(&cu->arena, 1, sizeof(struct ir_dim));
	ir_cu__type(cu, a)->dims[0].count = 4;
	enc = encode(cu, BTFE_FEATURES_DEFAULT);
	t = find(btfe_encoder__btf(enc), BFMT_KIND_INT, "__ARRAY_SIZE_TYPE__", &id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size_type, 4);
	t = find(btfe_encoder__btf(enc), BFMT_KIND_ARRAY, NULL, NULL);
	CU_ASSERT_EQUAL(((struct bfmt_array *)bfmt_type_extra(t))->index_type, id);
	CU_ASSERT_EQUAL(btfe_encoder__add_cu(enc, cu), 0);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(btfe_encoder__btf(enc)), 1 + 3 + 2);
	check_valid(btfe_encoder__btf(enc));
	btfe_encoder__free(enc);
	ir_cu__free(cu);
}

/* A unit of one typedef of int, named by the given pointer as it is. */
static struct ir_cu *build_named(const char *name, bool borrowed)
{
	struct ir_cu *cu = ir_cu__new();
	ir_id i_int, td;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cu);
	cu->names_borrowed = borrowed;
	i_int = mk_int(cu, "int", 4, IR_TF_SIGNED);
	td = mk(cu, IR_KIND_TYPEDEF, NULL, 0, i_int);
	ir_cu__type(cu, td)->name = name;
	return cu;
}

static void add_named(struct btfe_encoder *enc, const char *name, bool borrowed)
{
	struct ir_cu *cu = build_named(name, borrowed);

	CU_ASSERT_EQUAL(btfe_encoder__add_cu(enc, cu), 0);
	ir_cu__free(cu);
}

/*
 * The encoder's name cache is keyed by name pointers: a pointer that comes
 * back with other bytes (a unit's copy freed, its memory reused) must get
 * its own string; a pointer of units that borrow their names is trusted
 * for them only.
 */
static void test_name_cache(void)
{
	static const char stable[] = "gamma";
	struct btfe_opts o = { .features = BTFE_FEATURES_DEFAULT, .merge_units = true };
	struct btfe_encoder *enc;
	const struct bfmt_btf *btf;
	char buf[16];

	CU_ASSERT_EQUAL_FATAL(btfe_encoder__new(&o, &enc), 0);
	strcpy(buf, "alpha");
	add_named(enc, buf, false);
	strcpy(buf, "beta");		/* same address, other name */
	add_named(enc, buf, false);
	add_named(enc, stable, true);
	add_named(enc, stable, true);	/* a trusted hit */
	strcpy(buf, "delta");
	add_named(enc, buf, true);	/* trusted from now on for borrowing units */
	strcpy(buf, "omega");
	add_named(enc, buf, false);	/* but checked for the others */
	btf = btfe_encoder__btf(enc);
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_TYPEDEF, "alpha", NULL));
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_TYPEDEF, "beta", NULL));
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_TYPEDEF, "gamma", NULL));
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_TYPEDEF, "delta", NULL));
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_TYPEDEF, "omega", NULL));
	CU_ASSERT_EQUAL(btfe_encoder__finish(enc), 0);
	btfe_encoder__free(enc);
}

/* A unit of n typedefs of int, named from names (borrowed). */
static struct ir_cu *build_many_named(char (*names)[16], int n)
{
	struct ir_cu *cu = ir_cu__new();
	ir_id i_int;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cu);
	cu->addr_size = 8;
	cu->names_borrowed = true;
	i_int = mk_int(cu, "int", 4, IR_TF_SIGNED);
	for (i = 0; i < n; i++)
		ir_cu__type(cu, mk(cu, IR_KIND_TYPEDEF, NULL, 0, i_int))->name = names[i];
	return cu;
}

/*
 * The name cache starts small and grows between units while names share
 * its slots: units of 20,000 names make it grow, keeping every name right.
 */
static void test_name_cache_grows(void)
{
	struct btfe_opts o = { .features = BTFE_FEATURES_DEFAULT, .merge_units = true };
	static char names[20000][16];
	struct btfe_encoder *enc;
	const struct bfmt_btf *btf;
	struct ir_cu *cu;
	int i, unit;

	for (i = 0; i < 20000; i++)
		snprintf(names[i], sizeof(names[i]), "t%d", i);
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__new(&o, &enc), 0);
	CU_ASSERT_EQUAL(enc->name_cache_bits, BTFE_NAME_CACHE_MIN_BITS);
	for (unit = 0; unit < 4; unit++) {
		cu = build_many_named(names, 20000);
		CU_ASSERT_EQUAL(btfe_encoder__add_cu(enc, cu), 0);
		ir_cu__free(cu);
	}
	CU_ASSERT(enc->name_cache_bits > BTFE_NAME_CACHE_MIN_BITS);
	CU_ASSERT(enc->name_cache_bits <= BTFE_NAME_CACHE_MAX_BITS);
	btf = btfe_encoder__btf(enc);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(btf), 1 + 1 + 20000);	/* int, the typedefs */
	for (i = 0; i < 20000; i += 997)
		CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_TYPEDEF, names[i], NULL));
	CU_ASSERT_EQUAL(btfe_encoder__finish(enc), 0);
	btfe_encoder__free(enc);
}

static void test_features_parse(void)
{
	uint32_t mask;
	const char *bad;
	size_t bad_len;

	CU_ASSERT_EQUAL(btfe_parse_features("default", false, &mask, NULL, NULL), 0);
	CU_ASSERT_EQUAL(mask, BTFE_FEATURES_DEFAULT);
	CU_ASSERT_EQUAL(btfe_parse_features("var,float, enum64", false, &mask, NULL, NULL), 0);
	CU_ASSERT_EQUAL(mask, BTFE_F_VAR | BTFE_F_FLOAT | BTFE_F_ENUM64);
	CU_ASSERT_EQUAL(btfe_parse_features("var,bogus", false, &mask, NULL, NULL), 0);
	CU_ASSERT_EQUAL(mask, BTFE_F_VAR);
	CU_ASSERT_EQUAL(btfe_parse_features("var,bogus,float", true, &mask, &bad, &bad_len), -EINVAL);
	CU_ASSERT_EQUAL(bad_len, 5);
	CU_ASSERT_EQUAL(strncmp(bad, "bogus", 5), 0);
	CU_ASSERT_EQUAL(btfe_parse_features("default,global_var", true, &mask, NULL, NULL), 0);
	CU_ASSERT_EQUAL(mask, BTFE_FEATURES_DEFAULT | BTFE_F_GLOBAL_VAR);
}

/* The verifier check itself must be able to fail: a struct whose member
 * lies beyond its size is rejected by the kernel. */
static void test_kcheck_rejects(void)
{
	struct bfmt_btf *btf;
	struct bfmt_member *m;
	uint32_t id, off, *info;
	void *raw;
	size_t len;
	int k;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &btf), 0);
	CU_ASSERT_EQUAL(bfmt_btf__add_str(btf, "int", &off), 0);
	CU_ASSERT_EQUAL(bfmt_btf__add_type(btf, BFMT_KIND_INT, 0, false, off, 4, &id,
					   (void **)&info), 0);
	*info = bfmt_int_info(BFMT_INT_SIGNED, 0, 32);
	CU_ASSERT_EQUAL(bfmt_btf__add_str(btf, "bad", &off), 0);
	CU_ASSERT_EQUAL(bfmt_btf__add_type(btf, BFMT_KIND_STRUCT, 1, false, off, 4, &id,
					   (void **)&m), 0);
	m[0].type = 1;
	m[0].offset = 64;
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(btf, false, &raw, &len), 0);
	k = kcheck_btf(raw, len, NULL, 0);
	CU_ASSERT(k == KCHECK_REJECTED || k == KCHECK_UNAVAILABLE);
	free(raw);
	bfmt_btf__free(btf);
}

static const struct unit_test btf_encoder_tests[] = {
	{ "kcheck_rejects", test_kcheck_rejects },
	{ "kinds_default", test_kinds_default },
	{ "features_off", test_features_off },
	{ "alias_cycle", test_alias_cycle },
	{ "members_misplaced", test_members_misplaced },
	{ "array_of_void", test_array_of_void },
	{ "two_units", test_two_units },
	{ "merge_units", test_merge_units },
	{ "merge_tail", test_merge_tail },
	{ "merge_random", test_merge_random },
	{ "proto_declared_types", test_proto_declared_types },
	{ "index_type", test_index_type },
	{ "name_cache", test_name_cache },
	{ "name_cache_grows", test_name_cache_grows },
	{ "features_parse", test_features_parse },
	{ NULL, NULL },
};

int register_btf_encoder_suite(void)
{
	return unit_add_suite("btf_encoder", btf_encoder_tests);
}
