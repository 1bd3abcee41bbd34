// SPDX-License-Identifier: GPL-2.0-only
/* Suite "ir": the model's CU tables, interning and type questions. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/ir/ir.h"
#include "tests.h"
#include "unit_build.h"

static ir_id add(struct ir_cu *cu, enum ir_kind k, const char *name,
		 uint64_t size, ir_id type)
{
	return unit_ir_type(cu, k, name, size, type);
}

static void test_intern(void)
{
	struct ir_cu *cu = ir_cu__new();
	char buf[32];
	const char *a, *b;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cu);
	a = ir_cu__intern(cu, "task_struct");
	strcpy(buf, "task_struct");
	b = ir_cu__intern(cu, buf);
	CU_ASSERT_PTR_EQUAL(a, b);
	CU_ASSERT_PTR_NOT_EQUAL(a, buf);
	CU_ASSERT_PTR_EQUAL(ir_cu__intern_len(cu, "task_structX", 11), a);
	/* Growth keeps earlier pointers and identity. */
	for (i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "n%d", i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ir_cu__intern(cu, buf));
	}
	CU_ASSERT_PTR_EQUAL(ir_cu__intern(cu, "task_struct"), a);
	CU_ASSERT_PTR_EQUAL(ir_cu__intern(cu, "n4999"), ir_cu__intern(cu, "n4999"));
	CU_ASSERT_EQUAL(cu->strs.len, 5001);
	/* With the hash given: the same copy; a prefix is another string. */
	CU_ASSERT_PTR_EQUAL(ir_cu__intern_hashed(cu, "n42", 3, ir_str_hash("n42", 3)),
			    ir_cu__intern(cu, "n42"));
	b = ir_cu__intern_hashed(cu, "n4", 2, ir_str_hash("n4", 2));
	CU_ASSERT_STRING_EQUAL(b, "n4");
	CU_ASSERT_PTR_EQUAL(ir_cu__intern(cu, "n4"), b);
	CU_ASSERT_PTR_EQUAL(ir_cu__intern_len(cu, "", 0), ir_cu__intern(cu, ""));
	CU_ASSERT_EQUAL(cu->strs.len, 5002);
	ir_cu__free(cu);
	ir_cu__free(NULL);
}

static void test_void_and_ids(void)
{
	struct ir_cu *cu = ir_cu__new();
	ir_id i1;

	CU_ASSERT_PTR_NULL(ir_cu__type(cu, IR_VOID));
	CU_ASSERT_EQUAL(ir_cu__nr_types(cu), 1);
	i1 = add(cu, IR_KIND_INT, "int", 4, 0);
	CU_ASSERT_EQUAL(i1, 1);
	CU_ASSERT_PTR_NULL(ir_cu__type(cu, 2));
	CU_ASSERT_STRING_EQUAL(ir_kind__name(ir_cu__type(cu, i1)->kind), "int");
	CU_ASSERT_STRING_EQUAL(ir_kind__name(IR_KIND_NR), "unknown");
	ir_cu__free(cu);
}

static void test_resolve_and_size(void)
{
	struct ir_cu *cu = ir_cu__new();
	ir_id i_int, i_c, i_td, i_arr, i_ptr, i_loop1, i_loop2;
	struct ir_type *arr;
	bool ok;

	i_int = add(cu, IR_KIND_INT, "int", 4, 0);
	i_c = add(cu, IR_KIND_CONST, NULL, 0, i_int);
	i_td = add(cu, IR_KIND_TYPEDEF, "cint", 0, i_c);
	i_arr = add(cu, IR_KIND_ARRAY, NULL, 0, i_td);
	arr = ir_cu__type(cu, i_arr);
	arr->vlen = 2;
	arr->dims = arena_calloc(&cu->arena, 2, sizeof(*arr->dims));
	arr->dims[0].count = 3;
	arr->dims[1].count = 5;
	i_ptr = add(cu, IR_KIND_PTR, NULL, 8, i_arr);

	CU_ASSERT_EQUAL(ir_cu__resolve(cu, i_td), i_int);
	CU_ASSERT_EQUAL(ir_cu__type_size(cu, i_td, &ok), 4);
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_EQUAL(ir_cu__type_size(cu, i_arr, &ok), 60);
	CU_ASSERT_EQUAL(ir_cu__type_size(cu, i_ptr, &ok), 8);
	CU_ASSERT_EQUAL(ir_cu__type_align(cu, i_arr), 4);
	CU_ASSERT_EQUAL(ir_cu__type_size(cu, IR_VOID, &ok), 0);
	CU_ASSERT_FALSE(ok);

	/* A typedef cycle (malformed input) terminates. */
	i_loop1 = add(cu, IR_KIND_TYPEDEF, "a", 0, 0);
	i_loop2 = add(cu, IR_KIND_TYPEDEF, "b", 0, i_loop1);
	ir_cu__type(cu, i_loop1)->type = i_loop2;
	CU_ASSERT_EQUAL(ir_cu__resolve(cu, i_loop1), IR_VOID);
	CU_ASSERT_EQUAL(ir_cu__type_size(cu, i_loop1, &ok), 0);
	CU_ASSERT_FALSE(ok);
	ir_cu__free(cu);
}

static void test_infer_packed(void)
{
	struct ir_cu *cu = ir_cu__new();
	ir_id i_char, i_int, s_norm, s_packed;
	struct ir_type *t;

	i_char = add(cu, IR_KIND_INT, "char", 1, 0);
	i_int = add(cu, IR_KIND_INT, "int", 4, 0);
	s_norm = add(cu, IR_KIND_STRUCT, "n", 8, 0);
	t = ir_cu__type(cu, s_norm);
	t->vlen = 2;
	t->members = arena_calloc(&cu->arena, 2, sizeof(*t->members));
	t->members[0].type = i_char;
	t->members[1].type = i_int;
	t->members[1].bit_offset = 32;
	s_packed = add(cu, IR_KIND_STRUCT, "p", 5, 0);
	t = ir_cu__type(cu, s_packed);
	t->vlen = 2;
	t->members = arena_calloc(&cu->arena, 2, sizeof(*t->members));
	t->members[0].type = i_char;
	t->members[1].type = i_int;
	t->members[1].bit_offset = 8;
	/* Left for later (a lazy load): the alignment query settles it. */
	cu->packed_pending = true;
	CU_ASSERT_EQUAL(ir_cu__type_align(cu, s_packed), 1);
	CU_ASSERT_FALSE(cu->packed_pending);
	CU_ASSERT_TRUE(ir_cu__type(cu, s_packed)->flags & IR_TF_PACKED);
	ir_cu__type(cu, s_packed)->flags &= ~IR_TF_PACKED;
	ir_cu__infer_packed(cu);
	CU_ASSERT_FALSE(ir_cu__type(cu, s_norm)->flags & IR_TF_PACKED);
	CU_ASSERT_TRUE(ir_cu__type(cu, s_packed)->flags & IR_TF_PACKED);
	CU_ASSERT_EQUAL(ir_cu__type_align(cu, s_norm), 4);
	CU_ASSERT_EQUAL(ir_cu__type_align(cu, s_packed), 1);
	ir_cu__free(cu);
}

/* Give struct s one member of type m (at offset 0). */
static void one_member(struct ir_cu *cu, ir_id s, ir_id m)
{
	struct ir_type *t = ir_cu__type(cu, s);

	t->vlen = 1;
	t->members = arena_calloc(&cu->arena, 1, sizeof(*t->members));
	t->members[0].type = m;
}

/* BTF's identifiers: the rule, the respelling, and a unit respelled. */
static void test_btf_idents(void)
{
	struct ir_cu *cu = ir_cu__new();
	char buf[IR_IDENT_MAX], longname[300];
	const char *tpl = "box<int>";
	ir_id i_int, s, tag;
	struct ir_type *t;

	CU_ASSERT_TRUE(ir_ident_valid("task_struct"));
	CU_ASSERT_TRUE(ir_ident_valid("_x.y9"));
	CU_ASSERT_FALSE(ir_ident_valid(""));
	CU_ASSERT_FALSE(ir_ident_valid("9a"));
	CU_ASSERT_FALSE(ir_ident_valid("a::b"));
	ir_ident_sanitize("box<long int>", buf);
	CU_ASSERT_STRING_EQUAL(buf, "box_long_int_");
	ir_ident_sanitize("9lives", buf);
	CU_ASSERT_STRING_EQUAL(buf, "_lives");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CU_ASSERT_FALSE(ir_ident_valid(longname));
	ir_ident_sanitize(longname, buf);
	CU_ASSERT_EQUAL(strlen(buf), IR_IDENT_MAX - 1);
	CU_ASSERT_TRUE(ir_ident_valid(buf));

	i_int = add(cu, IR_KIND_INT, "unsigned int", 4, 0);
	tag = add(cu, IR_KIND_TYPE_TAG, "user<x>", 0, i_int);
	s = add(cu, IR_KIND_STRUCT, tpl, 4, 0);
	one_member(cu, s, tag);
	ir_cu__type(cu, s)->members[0].name = "operator()";
	CU_ASSERT_EQUAL(ir_cu__btf_idents(cu), 0);
	t = ir_cu__type(cu, s);
	CU_ASSERT_STRING_EQUAL(t->name, "box_int_");
	CU_ASSERT_STRING_EQUAL(t->members[0].name, "operator__");
	CU_ASSERT_STRING_EQUAL(tpl, "box<int>");	/* copies, not in place */
	/* Free text in BTF: left alone. */
	CU_ASSERT_STRING_EQUAL(ir_cu__type(cu, i_int)->name, "unsigned int");
	CU_ASSERT_STRING_EQUAL(ir_cu__type(cu, tag)->name, "user<x>");
	ir_cu__free(cu);
}

/* 100,000 structs nested by value: alignment without recursion. */
static void test_deep_align(void)
{
	enum { DEPTH = 100000 };
	struct ir_cu *cu = ir_cu__new();
	ir_id prev = add(cu, IR_KIND_INT, "long", 8, 0), s = 0, bad;
	const char *why;

	for (int i = 0; i < DEPTH; i++) {
		s = add(cu, IR_KIND_STRUCT, NULL, 8, 0);
		one_member(cu, s, prev);
		prev = add(cu, IR_KIND_TYPEDEF, "t", 0, s);
	}
	CU_ASSERT_EQUAL(ir_cu__type_align(cu, prev), 8);
	CU_ASSERT_EQUAL(ir_cu__check_types(cu, &bad, &why), 0);
	ir_cu__infer_packed(cu);
	CU_ASSERT_FALSE(ir_cu__type(cu, s)->flags & IR_TF_PACKED);
	ir_cu__free(cu);
}

/* Types that contain themselves, and absurd sizes, are rejected. */
static void test_check_types(void)
{
	struct ir_cu *cu = ir_cu__new();
	ir_id i_int = add(cu, IR_KIND_INT, "int", 4, 0), a, b, c, p, bad;
	struct ir_type *t;
	const char *why;

	/* struct a { struct b { const a_t m; } m; }: a cycle, no pointer */
	a = add(cu, IR_KIND_STRUCT, "a", 4, 0);
	b = add(cu, IR_KIND_STRUCT, "b", 4, 0);
	c = add(cu, IR_KIND_CONST, NULL, 0, a);
	one_member(cu, a, b);
	one_member(cu, b, c);
	CU_ASSERT_EQUAL(ir_cu__check_types(cu, &bad, &why), -ELOOP);
	CU_ASSERT_TRUE(bad == a || bad == b || bad == c);
	CU_ASSERT_PTR_NOT_NULL(why);
	CU_ASSERT_EQUAL(ir_cu__type_align(cu, a), 1);	/* terminates */
	/* through a pointer it is fine */
	p = add(cu, IR_KIND_PTR, NULL, 8, a);
	ir_cu__type(cu, c)->type = p;
	CU_ASSERT_EQUAL(ir_cu__check_types(cu, &bad, &why), 0);
	/* an array of 2^62 ints */
	c = add(cu, IR_KIND_ARRAY, NULL, 0, i_int);
	t = ir_cu__type(cu, c);
	t->vlen = 2;
	t->dims = arena_calloc(&cu->arena, 2, sizeof(*t->dims));
	t->dims[0].count = 1ull << 30;
	t->dims[1].count = 1ull << 30;
	CU_ASSERT_EQUAL(ir_cu__check_types(cu, &bad, &why), 0);
	t->dims[1].count = 1ull << 33;
	CU_ASSERT_EQUAL(ir_cu__check_types(cu, &bad, &why), -EINVAL);
	CU_ASSERT_EQUAL(bad, c);
	t->dims[1].count = 1;
	ir_cu__type(cu, b)->size = 1ull << 62;
	CU_ASSERT_EQUAL(ir_cu__check_types(cu, &bad, &why), -EINVAL);
	CU_ASSERT_EQUAL(bad, b);
	ir_cu__free(cu);
}

static void test_annots(void)
{
	struct ir_cu *cu = ir_cu__new();
	struct ir_annots a = { 0 };

	CU_ASSERT_EQUAL(ir_cu__annot_add(cu, &a, "user"), 0);
	CU_ASSERT_EQUAL(ir_cu__annot_add(cu, &a, "rcu"), 0);
	CU_ASSERT_EQUAL(a.len, 2);
	CU_ASSERT_STRING_EQUAL(a.v[0], "user");
	CU_ASSERT_STRING_EQUAL(a.v[1], "rcu");
	CU_ASSERT_PTR_EQUAL(a.v[0], ir_cu__intern(cu, "user"));
	ir_cu__free(cu);
}

static const struct unit_test ir_tests[] = {
	{ "intern", test_intern },
	{ "void_and_ids", test_void_and_ids },
	{ "resolve_and_size", test_resolve_and_size },
	{ "infer_packed", test_infer_packed },
	{ "annots", test_annots },
	{ "deep_align", test_deep_align },
	{ "check_types", test_check_types },
	{ "btf_idents", test_btf_idents },
	{ NULL, NULL },
};

int register_ir_suite(void)
{
	return unit_add_suite("ir", ir_tests);
}
