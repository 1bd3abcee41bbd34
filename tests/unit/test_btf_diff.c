// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_diff suite: the comparison engine (src/diff) on hand-built BTF. Each
 * test builds an old and a new table and checks the records, written out
 * one a line as "op entity name field item old new" ("-" for a NULL).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"
#include "unit_build.h"
#include "src/diff/btf_diff.h"

/* Building. */

static uint32_t add_int(struct bfmt_btf *b, const char *name, uint32_t size, bool sign)
{
	uint32_t *ex, id = unit_btf_add(b, BFMT_KIND_INT, 0, false, name, size, (void **)&ex);

	*ex = bfmt_int_info(sign ? BFMT_INT_SIGNED : 0, 0, size * 8);
	return id;
}

static uint32_t add_ref(struct bfmt_btf *b, enum bfmt_kind k, const char *name, uint32_t to)
{
	return unit_btf_add(b, k, 0, false, name, to, NULL);
}

struct mem {
	const char *name;
	uint32_t type;
	uint32_t off;		/* bits; with kflag: bitfield_size << 24 | bits */
};

static uint32_t add_comp(struct bfmt_btf *b, enum bfmt_kind k, const char *name, uint32_t size,
			 bool kflag, uint32_t n, const struct mem *m)
{
	uint32_t id = unit_btf_add(b, k, n, kflag, name, size, NULL), i;

	for (i = 0; i < n; i++) {
		uint32_t off = unit_btf_str(b, m[i].name);
		struct bfmt_member *bm = bfmt_type_extra(bfmt_btf__type(b, id));

		bm[i] = (struct bfmt_member){ off, m[i].type, m[i].off };
	}
	return id;
}

static uint32_t add_enum(struct bfmt_btf *b, const char *name, uint32_t n,
			 const char *const *names, const int32_t *vals)
{
	uint32_t id = unit_btf_add(b, BFMT_KIND_ENUM, n, true, name, 4, NULL), i;

	for (i = 0; i < n; i++) {
		uint32_t off = unit_btf_str(b, names[i]);

		((struct bfmt_enum *)bfmt_type_extra(bfmt_btf__type(b, id)))[i] =
			(struct bfmt_enum){ off, vals[i] };
	}
	return id;
}

static uint32_t add_func(struct bfmt_btf *b, const char *name, uint32_t ret, uint32_t n,
			 const uint32_t *params, uint32_t linkage)
{
	uint32_t proto = unit_btf_add(b, BFMT_KIND_FUNC_PROTO, n, false, NULL, ret, NULL), i;

	for (i = 0; i < n; i++)
		((struct bfmt_param *)bfmt_type_extra(bfmt_btf__type(b, proto)))[i] =
			(struct bfmt_param){ 0, params[i] };
	return unit_btf_add(b, BFMT_KIND_FUNC, linkage, false, name, proto, NULL);
}

static uint32_t add_var(struct bfmt_btf *b, const char *name, uint32_t type)
{
	struct bfmt_var *v;
	uint32_t id = unit_btf_add(b, BFMT_KIND_VAR, 0, false, name, type, (void **)&v);

	v->linkage = BFMT_LINKAGE_GLOBAL;
	return id;
}

/* Comparing. */

static char *diff_text(const struct bfmt_btf *o, const struct bfmt_btf *n,
		       const struct bdiff_opts *opts)
{
	struct bdiff *d = NULL;
	const struct bdiff_change *c;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(bdiff__new(o, n, opts, &d), 0);
	f = open_memstream(&buf, &len);
	CU_ASSERT_FATAL(f != NULL);
	for (i = 0; (c = bdiff__change(d, i)); i++)
		fprintf(f, "%c %s %s %s %s %s %s\n", "+-~"[c->op], bdiff_entity_name(c->entity),
			c->name, bdiff_field_name(c->field), c->item ? c->item : "-",
			c->old_val ? c->old_val : "-", c->new_val ? c->new_val : "-");
	fclose(f);
	CU_ASSERT_EQUAL(bdiff__nr_changes(d), i);
	bdiff__free(d);
	return buf;
}

static void expect(const struct bfmt_btf *o, const struct bfmt_btf *n,
		   const struct bdiff_opts *opts, const char *want)
{
	char *got = diff_text(o, n, opts);

	if (strcmp(got, want))
		fprintf(stderr, "\n--- expected:\n%s--- got:\n%s", want, got);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

/* struct point { int x; int y; } with the int first or last. */
static struct bfmt_btf *points(bool int_first, uint32_t y_off)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i = int_first ? add_int(b, "int", 4, true) : 0, s;
	struct mem m[2];

	s = unit_btf_add(b, BFMT_KIND_STRUCT, 2, false, "point", 8, NULL);
	if (!i)
		i = add_int(b, "int", 4, true);
	m[0] = (struct mem){ "x", i, 0 };
	m[1] = (struct mem){ "y", i, y_off };
	for (uint32_t k = 0; k < 2; k++)
		((struct bfmt_member *)bfmt_type_extra(bfmt_btf__type(b, s)))[k] =
			(struct bfmt_member){ unit_btf_str(b, m[k].name), m[k].type, m[k].off };
	add_var(b, "origin", add_ref(b, BFMT_KIND_PTR, NULL, s));
	return b;
}

static void test_equal_any_order(void)
{
	struct bfmt_btf *a = points(true, 32), *b = points(false, 32);

	expect(a, b, NULL, "");
	expect(a, a, NULL, "");
	bfmt_btf__free(a);
	bfmt_btf__free(b);
}

static void test_member_moved(void)
{
	struct bfmt_btf *a = points(true, 32), *b = points(false, 40);

	expect(a, b, NULL, "~ struct point member_offset y 32 40\n");
	bfmt_btf__free(a);
	bfmt_btf__free(b);
}

/* struct s { int a; long b; struct inner *p; unsigned c:3; struct { int x; } u; } */
static struct bfmt_btf *members(int variant)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i = add_int(b, "int", 4, true), l = add_int(b, "long", 8, true);
	uint32_t u = add_int(b, "unsigned int", 4, false);
	uint32_t inner = add_comp(b, BFMT_KIND_STRUCT, "inner", variant == 5 ? 8 : 4, false, 1,
				  &(struct mem){ "v", variant == 5 ? l : i, 0 });
	uint32_t anon = add_comp(b, BFMT_KIND_STRUCT, NULL, 4, false, 1,
				 &(struct mem){ "x", variant == 4 ? u : i, 0 });
	struct mem m[6] = {
		{ "a", variant == 1 ? l : i, 0 },
		{ "b", l, 64 },
		{ "p", add_ref(b, BFMT_KIND_PTR, NULL, inner), 128 },
		{ "c", u, (variant == 3 ? 5u : 3u) << 24 | 192 },
		{ "u", anon, 224 },
		{ "d", i, 256 },
	};

	add_comp(b, BFMT_KIND_STRUCT, "s", variant == 2 ? 40 : 32, true, variant == 2 ? 6 : 5, m);
	return b;
}

static void test_members(void)
{
	struct bfmt_btf *base = members(0), *v;

	v = members(1);
	expect(base, v, NULL, "~ struct s member_type a int long\n");
	bfmt_btf__free(v);
	v = members(2);
	expect(base, v, NULL, "~ struct s size - 32 40\n+ struct s member d - int\n");
	expect(v, base, NULL, "~ struct s size - 40 32\n- struct s member d int -\n");
	bfmt_btf__free(v);
	v = members(3);
	expect(base, v, NULL, "~ struct s member_bits c 3 5\n");
	bfmt_btf__free(v);
	v = members(4);	/* inside the embedded anonymous struct */
	expect(base, v, NULL, "~ struct s member_type u.x int unsigned int\n");
	bfmt_btf__free(v);
	v = members(5);	/* struct inner changes: reported there, not in s */
	expect(base, v, NULL, "~ struct inner size - 4 8\n~ struct inner member_type v int long\n");
	bfmt_btf__free(v);
	bfmt_btf__free(base);
}

static struct bfmt_btf *enums(int variant)
{
	static const char *const names[] = { "A", "B", "C" };
	const int32_t vals[3] = { 1, variant == 1 ? 7 : 2, 3 };
	struct bfmt_btf *b = unit_btf_new(NULL);

	add_enum(b, "e", variant == 2 ? 2 : 3, names, vals);
	/* An anonymous enum: its enumerators are in the pool. */
	add_enum(b, NULL, 1, (const char *const[]){ variant == 3 ? "K2" : "K1" },
		 (const int32_t[]){ 5 });
	return b;
}

static void test_enums(void)
{
	struct bfmt_btf *base = enums(0), *v;

	v = enums(1);
	expect(base, v, NULL, "~ enum e enumerator_value B 2 7\n");
	bfmt_btf__free(v);
	v = enums(2);
	expect(base, v, NULL, "- enum e enumerator C 3 -\n");
	bfmt_btf__free(v);
	v = enums(3);
	expect(base, v, NULL, "- enum  enumerator K1 5 -\n+ enum  enumerator K2 - 5\n");
	bfmt_btf__free(v);
	bfmt_btf__free(base);
}

static struct bfmt_btf *funcs(int variant)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i = add_int(b, "int", 4, true), l = add_int(b, "long", 8, true);
	uint32_t cp = add_ref(b, BFMT_KIND_PTR, NULL, add_ref(b, BFMT_KIND_CONST, NULL,
							   add_int(b, "char", 1, true)));
	uint32_t p[3] = { cp, variant == 1 ? l : i, i };

	add_func(b, "f", variant == 3 ? l : i, variant == 2 ? 3 : 2, p,
		 variant == 4 ? BFMT_LINKAGE_STATIC : BFMT_LINKAGE_GLOBAL);
	if (variant != 5)
		add_func(b, "g", 0, 0, NULL, BFMT_LINKAGE_GLOBAL);
	return b;
}

static void test_funcs(void)
{
	struct bfmt_btf *base = funcs(0), *v;

	v = funcs(1);
	expect(base, v, NULL, "~ func f param 2 int long\n");
	bfmt_btf__free(v);
	v = funcs(2);
	expect(base, v, NULL, "~ func f params - 2 3\n");
	bfmt_btf__free(v);
	v = funcs(3);
	expect(base, v, NULL, "~ func f return - int long\n");
	bfmt_btf__free(v);
	v = funcs(4);
	expect(base, v, NULL, "~ func f linkage - global static\n");
	bfmt_btf__free(v);
	v = funcs(5);
	expect(base, v, NULL, "- func g entity - void (void) -\n");
	expect(v, base, NULL, "+ func g entity - - void (void)\n");
	bfmt_btf__free(v);
	bfmt_btf__free(base);
}

/* Decl tags and variable places: a func tagged or not, a parameter's tag,
 * a struct member's tag, a variable moved in its section. */
static uint32_t add_tag(struct bfmt_btf *b, const char *value, uint32_t to, int32_t comp)
{
	struct bfmt_decl_tag *d;
	uint32_t id = unit_btf_add(b, BFMT_KIND_DECL_TAG, 0, false, value, to, (void **)&d);

	d->component_idx = comp;
	return id;
}

static struct bfmt_btf *tagged(int variant)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i = add_int(b, "int", 4, true), p[1], f, s, v, w;
	struct bfmt_var_secinfo *vs;

	p[0] = i;
	f = add_func(b, "kf", i, 1, p, BFMT_LINKAGE_GLOBAL);
	s = add_comp(b, BFMT_KIND_STRUCT, "s", 4, false, 1, &(struct mem){ "m", i, 0 });
	v = add_var(b, "v", i);
	w = add_var(b, "w", i);
	if (variant != 1)
		add_tag(b, "bpf_kfunc", f, -1);
	add_tag(b, variant == 2 ? "__nullable" : "__ref", f, 0);
	if (variant == 3)
		add_tag(b, "__rcu", s, 0);
	unit_btf_add(b, BFMT_KIND_DATASEC, 2, false, ".data", 8, (void **)&vs);
	vs[0] = (struct bfmt_var_secinfo){ v, variant == 4 ? 4 : 0, 4 };
	vs[1] = (struct bfmt_var_secinfo){ w, variant == 4 ? 0 : 4, 4 };
	return b;
}

static void test_tags_and_places(void)
{
	struct bfmt_btf *base = tagged(0), *v;

	expect(base, base, NULL, "");
	v = tagged(1);
	expect(base, v, NULL, "~ func kf tags - bpf_kfunc; param 1: __ref param 1: __ref\n");
	bfmt_btf__free(v);
	v = tagged(2);
	expect(base, v, NULL,
	       "~ func kf tags - bpf_kfunc; param 1: __ref bpf_kfunc; param 1: __nullable\n");
	bfmt_btf__free(v);
	v = tagged(3);
	/* (no tags: the empty text) */
	expect(base, v, NULL, "~ struct s tags -  member m: __rcu\n");
	expect(v, base, NULL, "~ struct s tags - member m: __rcu \n");
	bfmt_btf__free(v);
	v = tagged(4);
	expect(base, v, NULL, "~ var v section - .data+0x0 .data+0x4\n"
			      "~ var w section - .data+0x4 .data+0x0\n");
	bfmt_btf__free(v);
	bfmt_btf__free(base);
}

/* Spellings: what a variable's type is called. */
static void test_spelling(void)
{
	struct bfmt_btf *a = unit_btf_new(NULL), *b = unit_btf_new(NULL);
	uint32_t ia = add_int(a, "int", 4, true), ib = add_int(b, "int", 4, true);
	uint32_t idx = add_int(b, "__ARRAY_SIZE_TYPE__", 4, false), proto, arr, *ex;

	add_var(a, "v", ia);
	/* b: int (*(*)(int, ...))[4], and a const pointer to it */
	arr = unit_btf_add(b, BFMT_KIND_ARRAY, 0, false, NULL, 0, (void **)&ex);
	ex[0] = ib;
	ex[1] = idx;
	ex[2] = 4;
	proto = unit_btf_add(b, BFMT_KIND_FUNC_PROTO, 2, false, NULL,
			     add_ref(b, BFMT_KIND_PTR, NULL, arr), (void **)&ex);
	ex[1] = ib;	/* param 0: type int; param 1: void, no name: "..." */
	add_var(b, "v", add_ref(b, BFMT_KIND_CONST, NULL, add_ref(b, BFMT_KIND_PTR, NULL, proto)));
	expect(a, b, &(struct bdiff_opts){ .only = BDIFF_ONLY_VARS },
	       "~ var v type - int int (*(*const)(int, ...))[4]\n");
	bfmt_btf__free(a);
	bfmt_btf__free(b);
}

static void test_typedefs(void)
{
	struct bfmt_btf *a = unit_btf_new(NULL), *b = unit_btf_new(NULL);
	uint32_t ia = add_int(a, "int", 4, true), ib = add_int(b, "int", 4, true);
	uint32_t lb = add_int(b, "long", 8, true);

	add_ref(a, BFMT_KIND_TYPEDEF, "t", ia);
	add_ref(b, BFMT_KIND_TYPEDEF, "t", lb);
	/* typedef struct { int a; } s_t; gains a member */
	add_ref(a, BFMT_KIND_TYPEDEF, "s_t",
		add_comp(a, BFMT_KIND_STRUCT, NULL, 4, false, 1, &(struct mem){ "a", ia, 0 }));
	add_ref(b, BFMT_KIND_TYPEDEF, "s_t",
		add_comp(b, BFMT_KIND_STRUCT, NULL, 8, false, 2,
			 (struct mem[]){ { "a", ib, 0 }, { "b", ib, 32 } }));
	expect(a, b, &(struct bdiff_opts){ .only = BDIFF_ONLY_TYPES },
	       "+ int long entity - - -\n"
	       "~ typedef s_t size - 4 8\n+ typedef s_t member b - int\n"
	       "~ typedef t type - int long\n");
	bfmt_btf__free(a);
	bfmt_btf__free(b);
}

/* Several definitions under one name; declarations. */
static void test_duplicates(void)
{
	struct bfmt_btf *a = unit_btf_new(NULL), *b = unit_btf_new(NULL);
	uint32_t ia = add_int(a, "int", 4, true), ib = add_int(b, "int", 4, true);

	/* a: two struct d (one member, or two); b: the first, and a changed second */
	add_comp(a, BFMT_KIND_STRUCT, "d", 4, false, 1, &(struct mem){ "x", ia, 0 });
	add_comp(a, BFMT_KIND_STRUCT, "d", 8, false, 2,
		 (struct mem[]){ { "x", ia, 0 }, { "y", ia, 32 } });
	add_comp(b, BFMT_KIND_STRUCT, "d", 8, false, 2,
		 (struct mem[]){ { "x", ib, 0 }, { "z", ib, 32 } });
	add_comp(b, BFMT_KIND_STRUCT, "d", 4, false, 1, &(struct mem){ "x", ib, 0 });
	/* a declares struct f, b defines it; struct g has one definition
	 * in a and three in b; a declaration next to a definition is ignored. */
	unit_btf_add(a, BFMT_KIND_FWD, 0, false, "f", 0, NULL);
	add_comp(b, BFMT_KIND_STRUCT, "f", 0, false, 0, NULL);
	add_comp(a, BFMT_KIND_STRUCT, "g", 0, false, 0, NULL);
	unit_btf_add(a, BFMT_KIND_FWD, 0, false, "g", 0, NULL);
	add_comp(b, BFMT_KIND_STRUCT, "g", 0, false, 0, NULL);
	add_comp(b, BFMT_KIND_STRUCT, "g", 4, false, 1, &(struct mem){ "x", ib, 0 });
	add_comp(b, BFMT_KIND_STRUCT, "g", 8, false, 0, NULL);
	expect(a, b, NULL,
	       "- struct d member y int -\n+ struct d member z - int\n"
	       "~ struct f declaration - declaration definition\n"
	       "~ struct g definitions - 1 3\n");
	bfmt_btf__free(a);
	bfmt_btf__free(b);
}

static void test_filters(void)
{
	struct bfmt_btf *base = funcs(0), *v = funcs(3);
	const char *const names[] = { "g", "long" };

	expect(base, v, &(struct bdiff_opts){ .only = BDIFF_ONLY_TYPES }, "");
	expect(base, v, &(struct bdiff_opts){ .only = BDIFF_ONLY_VARS }, "");
	expect(base, v, &(struct bdiff_opts){ .names = names, .nr_names = 2 }, "");
	expect(base, v, &(struct bdiff_opts){ .names = names, .nr_names = 1,
					      .only = BDIFF_ONLY_FUNCS }, "");
	expect(base, v, &(struct bdiff_opts){ .only = BDIFF_ONLY_FUNCS },
	       "~ func f return - int long\n");
	bfmt_btf__free(v);
	bfmt_btf__free(base);
}

/* Malformed input (unvalidated tables): a pointer loop and a dangling id
 * are spelled, not followed forever; NULL arguments are refused. */
static void test_malformed(void)
{
	struct bfmt_btf *a = unit_btf_new(NULL), *b = unit_btf_new(NULL);
	struct bdiff *d = NULL;
	uint32_t p;

	p = add_ref(a, BFMT_KIND_PTR, NULL, 0);
	((struct bfmt_type *)bfmt_btf__type(a, p))->size_type = p;	/* p -> p */
	add_var(a, "v", p);
	add_var(b, "v", 999);
	expect(a, b, NULL, "~ var v type - <loop> <bad type>\n");
	CU_ASSERT_EQUAL(bdiff__new(NULL, b, NULL, &d), -EINVAL);
	CU_ASSERT_EQUAL(bdiff__new(a, b, NULL, NULL), -EINVAL);
	bdiff__free(NULL);
	bfmt_btf__free(a);
	bfmt_btf__free(b);
}

/* Nesting that doubles at every level (valid BTF): the work is capped. */
static void test_blowup(void)
{
	struct bfmt_btf *a = unit_btf_new(NULL), *b = unit_btf_new(NULL);
	uint32_t i, next = add_int(a, "int", 4, true), size = 4, *ex;
	const struct bdiff_change *c;
	struct bdiff *d = NULL;

	add_int(b, "int", 4, true);
	/* 40 levels of "struct { T x; T y; }": 2^40 flattened members */
	for (i = 0; i < 40; i++, size *= 2)
		next = add_comp(a, BFMT_KIND_STRUCT, NULL, size * 2, false, 2,
				(struct mem[]){ { "x", next, 0 }, { "y", next, size * 8 } });
	add_comp(a, BFMT_KIND_STRUCT, "top", size, false, 1, &(struct mem){ "t", next, 0 });
	/* 40 levels of "void (*)(T, T)": a 2^40-long spelling */
	for (next = 0, i = 0; i < 40; i++) {
		uint32_t proto = unit_btf_add(a, BFMT_KIND_FUNC_PROTO, 2, false, NULL, 0,
					      (void **)&ex);

		ex[1] = next;
		ex[3] = next;
		next = add_ref(a, BFMT_KIND_PTR, NULL, proto);
	}
	add_var(a, "v", next);
	add_var(b, "v", 1);
	/* A pointer to "T (*)(T, T, T)" with T that pointer: a cycle that
	 * branches three ways per turn (a fuzz finding hung here). */
	next = add_ref(a, BFMT_KIND_PTR, NULL, 0);
	{
		uint32_t proto = unit_btf_add(a, BFMT_KIND_FUNC_PROTO, 3, false, NULL, next,
					      (void **)&ex);
		for (i = 0; i < 3; i++)
			ex[2 * i + 1] = next;
		bfmt_btf__type(a, next)->size_type = proto;
	}
	add_var(a, "w", next);
	add_var(b, "w", 1);
	CU_ASSERT_EQUAL_FATAL(bdiff__new(a, b, NULL, &d), 0);
	for (i = 0; (c = bdiff__change(d, i)); i++) {
		if (c->field == BDIFF_F_TARGET) {
			CU_ASSERT(strlen(c->old_val) < 4 * 4096);
			CU_ASSERT(strstr(c->old_val, "...") != NULL);
		}
	}
	CU_ASSERT_EQUAL(i, 3);	/* - struct top, ~ var v, ~ var w */
	bdiff__free(d);
	bfmt_btf__free(a);
	bfmt_btf__free(b);
}

static const struct unit_test btf_diff_tests[] = {
	{ "equal in any order", test_equal_any_order },
	{ "member moved", test_member_moved },
	{ "members added, removed, retyped, resized, nested", test_members },
	{ "enumerators and the anonymous pool", test_enums },
	{ "functions", test_funcs },
	{ "tags_and_places", test_tags_and_places },
	{ "type spelling", test_spelling },
	{ "typedefs", test_typedefs },
	{ "several definitions, declarations", test_duplicates },
	{ "--only and names", test_filters },
	{ "malformed input", test_malformed },
	{ "exponential nesting is capped", test_blowup },
	{ NULL, NULL },
};

int register_btf_diff_suite(void)
{
	return unit_add_suite("btf_diff", btf_diff_tests);
}
