// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "print_normal": the normal form of src/print/normal.h (the text
 * scripts/btfdiff diffs), on hand-built units: spelling, anonymous members,
 * the normalisations, merging of units, the reference unit, and hostile
 * models (cycles, deep nesting).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/ir/ir.h"
#include "src/print/normal.h"
#include "tests.h"
#include "unit_build.h"

static const struct normal_opts btf_opts = {
	.flat_arrays = true, .drop_atomic = true, .drop_align = true,
	.btf_fallbacks = true,
};

static struct ir_cu *new_cu(void)
{
	struct ir_cu *cu = ir_cu__new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(cu);
	cu->addr_size = 8;
	cu->lang = IR_LANG_C;
	return cu;
}

static ir_id add(struct ir_cu *cu, enum ir_kind k, const char *name, uint64_t size,
		 ir_id type)
{
	return unit_ir_type(cu, k, name, size, type);
}

/* Give type id n members: name, type, bit offset, bitfield size. */
struct mspec {
	const char *name;
	ir_id type;
	uint64_t off;
	uint32_t bits;
};

static void set_members(struct ir_cu *cu, ir_id id, const struct mspec *ms, uint32_t n)
{
	struct ir_type *t = ir_cu__type(cu, id);
	uint32_t i;

	t->members = arena_calloc(&cu->arena, n ? n : 1, sizeof(*t->members));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->members);
	t->vlen = n;
	for (i = 0; i < n; i++) {
		t->members[i].name = ms[i].name ? ir_cu__intern(cu, ms[i].name) : NULL;
		t->members[i].type = ms[i].type;
		t->members[i].bit_offset = ms[i].off;
		t->members[i].bitfield_size = ms[i].bits;
	}
}

static ir_id add_array(struct ir_cu *cu, ir_id elem, uint64_t d0, uint64_t d1)
{
	ir_id id = add(cu, IR_KIND_ARRAY, NULL, 0, elem);
	struct ir_type *t = ir_cu__type(cu, id);

	t->vlen = d1 ? 2 : 1;
	t->dims = arena_calloc(&cu->arena, 2, sizeof(*t->dims));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->dims);
	t->dims[0].count = d0;
	t->dims[0].flexible = d0 == 0;
	t->dims[1].count = d1;
	return id;
}

/* Print cus (and a reference, if ref) with opts; returns a malloc'ed text. */
static char *run(const struct normal_opts *o, struct ir_cu **cus, int nr,
		 const struct ir_cu *ref)
{
	struct normal_printer *p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(normal_printer__new(o, &p), 0);
	if (ref)
		CU_ASSERT_EQUAL(normal_printer__set_reference(p, ref), 0);
	for (i = 0; i < nr; i++)
		CU_ASSERT_EQUAL(normal_printer__add_cu(p, cus[i]), 0);
	CU_ASSERT_EQUAL(normal_printer__write(p, f), 0);
	normal_printer__free(p);
	fclose(f);
	return buf;
}

static void expect(const char *got, const char *want)
{
	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want))
		fprintf(stderr, "\n--- want\n%s--- got\n%s---\n", want, got);
}

/*
 * struct s { const char *name; union { int i; long l; }; unsigned f:3;
 *	      _Atomic int a; int m[3][4]; char tail[]; } __attribute__((aligned(16)));
 */
static struct ir_cu *build_s(void)
{
	struct ir_cu *cu = new_cu();
	ir_id chr = unit_ir_int(cu, "char", 1, IR_TF_SIGNED | IR_TF_CHAR);
	ir_id in = unit_ir_int(cu, "int", 4, IR_TF_SIGNED);
	ir_id lng = unit_ir_int(cu, "long", 8, IR_TF_SIGNED);
	ir_id ui = unit_ir_int(cu, "unsigned int", 4, 0);
	ir_id cchr = add(cu, IR_KIND_CONST, NULL, 0, chr);
	ir_id pcc = add(cu, IR_KIND_PTR, NULL, 8, cchr);
	ir_id un = add(cu, IR_KIND_UNION, NULL, 8, 0);
	ir_id at = add(cu, IR_KIND_ATOMIC, NULL, 0, in);
	ir_id m = add_array(cu, in, 3, 4);
	ir_id tail = add_array(cu, chr, 0, 0);
	ir_id s = add(cu, IR_KIND_STRUCT, "s", 80, 0);
	struct mspec um[] = { { "i", in, 0, 0 }, { "l", lng, 0, 0 } };
	struct mspec sm[] = {
		{ "name", pcc, 0, 0 }, { NULL, un, 64, 0 }, { "f", ui, 128, 3 },
		{ "a", at, 160, 0 }, { "m", m, 192, 0 }, { "tail", tail, 576, 0 },
	};

	set_members(cu, un, um, 2);
	set_members(cu, s, sm, 6);
	ir_cu__type(cu, s)->align = 16;
	ir_cu__type(cu, s)->flags |= IR_TF_ALIGNED;
	return cu;
}

static void test_struct_plain(void)
{
	struct normal_opts o = { 0 };
	struct ir_cu *cu = build_s();
	char *out = run(&o, &cu, 1, NULL);

	expect(out,
	       "base char size 1 signed char\n"
	       "base int size 4 signed\n"
	       "base long size 8 signed\n"
	       "base unsigned int size 4\n"
	       "struct s size 80 align 16\n"
	       "\tname: char const * @0\n"
	       "\t-: union (anon) size 8 @64\n"
	       "\t\ti: int @0\n"
	       "\t\tl: long @0\n"
	       "\tf: unsigned int @128:3\n"
	       "\ta: int _Atomic @160\n"
	       "\tm: int[3][4] @192\n"
	       "\ttail: char[] @576\n");
	free(out);
	ir_cu__free(cu);
}

static void test_struct_btf_normalised(void)
{
	struct ir_cu *cu = build_s();
	char *out = run(&btf_opts, &cu, 1, NULL);

	expect(out,
	       "base char size 1 signed\n"
	       "base int size 4 signed\n"
	       "base long size 8 signed\n"
	       "base unsigned int size 4\n"
	       "struct s size 80\n"
	       "\tname: char const * @0\n"
	       "\t-: union (anon) size 8 @64\n"
	       "\t\ti: int @0\n"
	       "\t\tl: long @0\n"
	       "\tf: unsigned int @128:3\n"
	       "\ta: int @160\n"
	       "\tm: int[12] @192\n"
	       "\ttail: char[0] @576\n");
	free(out);
	ir_cu__free(cu);
}

/* The same struct in two units is one entry; a different one is another;
 * entries are sorted. */
static void test_merge_units(void)
{
	struct ir_cu *cus[3];
	char *out;
	int i;

	for (i = 0; i < 3; i++) {
		struct ir_cu *cu = new_cu();
		ir_id in = unit_ir_int(cu, "int", 4, IR_TF_SIGNED);
		ir_id z = add(cu, IR_KIND_STRUCT, "zeta", 4, 0);
		ir_id a = add(cu, IR_KIND_STRUCT, "alpha", i == 2 ? 8 : 4, 0);
		struct mspec m[] = { { "x", in, 0, 0 }, { "y", in, 32, 0 } };

		set_members(cu, z, m, 1);
		set_members(cu, a, m, i == 2 ? 2 : 1);
		add(cu, IR_KIND_TYPEDEF, "alpha_t", 0, a);
		cus[i] = cu;
	}
	out = run(&btf_opts, cus, 3, NULL);
	expect(out,
	       "base int size 4 signed\n"
	       "struct alpha size 4\n"
	       "\tx: int @0\n"
	       "struct alpha size 8\n"
	       "\tx: int @0\n"
	       "\ty: int @32\n"
	       "struct zeta size 4\n"
	       "\tx: int @0\n"
	       "typedef alpha_t: struct alpha\n");
	free(out);
	for (i = 0; i < 3; i++)
		ir_cu__free(cus[i]);
}

static void set_enumerators(struct ir_cu *cu, ir_id id, const char *const *names,
			    const uint64_t *values, uint32_t n)
{
	struct ir_type *t = ir_cu__type(cu, id);
	uint32_t i;

	t->enumerators = arena_calloc(&cu->arena, n ? n : 1, sizeof(*t->enumerators));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->enumerators);
	t->vlen = n;
	for (i = 0; i < n; i++) {
		t->enumerators[i].name = ir_cu__intern(cu, names[i]);
		t->enumerators[i].value = values[i];
	}
}

/* enum e { B = 2, A = -1 }; enum { U = 7 }; typedef enum { T } t_t;
 * enum fwd; (in BTF: an ENUM without enumerators) */
static void test_enums_typedefs(void)
{
	struct ir_cu *cu = new_cu();
	static const char *const en[] = { "B", "A" }, *const un[] = { "U" },
				  *const tn[] = { "T" };
	static const uint64_t ev[] = { 2, (uint64_t)-1 }, uv[] = { 7 }, tv[] = { 0 };
	ir_id e = add(cu, IR_KIND_ENUM, "e", 4, 0);
	ir_id u = add(cu, IR_KIND_ENUM, NULL, 4, 0);
	ir_id t = add(cu, IR_KIND_ENUM, NULL, 4, 0);
	char *out;

	ir_cu__type(cu, e)->flags = IR_TF_SIGNED;
	set_enumerators(cu, e, en, ev, 2);
	set_enumerators(cu, u, un, uv, 1);
	set_enumerators(cu, t, tn, tv, 1);
	add(cu, IR_KIND_TYPEDEF, "t_t", 0, t);
	add(cu, IR_KIND_ENUM, "fwd", 4, 0);
	out = run(&btf_opts, &cu, 1, NULL);
	expect(out,
	       "enum (anon) size 4\n"
	       "\tT = 0\n"
	       "enum (anon) size 4\n"
	       "\tU = 7\n"
	       "enum e size 4 signed\n"
	       "\tB = 2\n"
	       "\tA = -1\n"
	       "typedef t_t: enum (anon)\n"
	       "\tT = 0\n");
	free(out);
	ir_cu__free(cu);
}

/* Spelling: pointers to functions, varargs, (void), type tags, typedefs
 * of anonymous structs, FWD spelled like the definition. */
static void test_spelling(void)
{
	struct ir_cu *cu = new_cu();
	ir_id in = unit_ir_int(cu, "int", 4, IR_TF_SIGNED);
	ir_id fwd = add(cu, IR_KIND_FWD, "later", 0, 0);
	ir_id pfwd = add(cu, IR_KIND_PTR, NULL, 8, fwd);
	ir_id proto = add(cu, IR_KIND_FUNC_PROTO, NULL, 0, in);
	ir_id pproto = add(cu, IR_KIND_PTR, NULL, 8, proto);
	ir_id vproto = add(cu, IR_KIND_FUNC_PROTO, NULL, 0, IR_VOID);
	ir_id pv = add(cu, IR_KIND_PTR, NULL, 8, vproto);
	ir_id tag = add(cu, IR_KIND_TYPE_TAG, "user", 0, in);
	ir_id ptag = add(cu, IR_KIND_PTR, NULL, 8, tag);
	ir_id anon = add(cu, IR_KIND_STRUCT, NULL, 8, 0);
	ir_id s = add(cu, IR_KIND_STRUCT, "ops", 32, 0);
	struct mspec am[] = { { "x", in, 0, 0 } };
	struct mspec sm[] = {
		{ "cb", pproto, 0, 0 }, { "v", pv, 64, 0 }, { "u", ptag, 128, 0 },
		{ "next", pfwd, 192, 0 },
	};
	struct ir_type *p;
	char *out;

	p = ir_cu__type(cu, proto);
	p->vlen = 2;
	p->flags = IR_TF_VARARGS;
	p->params = arena_calloc(&cu->arena, 2, sizeof(*p->params));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->params);
	p->params[0].type = in;
	p->params[1].type = pfwd;
	set_members(cu, anon, am, 1);
	set_members(cu, s, sm, 4);
	add(cu, IR_KIND_TYPEDEF, "anon_t", 0, anon);
	out = run(&btf_opts, &cu, 1, NULL);
	expect(out,
	       "base int size 4 signed\n"
	       "struct ops size 32\n"
	       "\tcb: int (int, struct later *, ...) * @0\n"
	       "\tv: void (void) * @64\n"
	       "\tu: int __tag(user) * @128\n"
	       "\tnext: struct later * @192\n"
	       "typedef anon_t: struct (anon) size 8\n"
	       "\tx: int @0\n");
	free(out);
	ir_cu__free(cu);
}

/* The encoder's fallbacks, on the DWARF side: a 3-byte int is an empty
 * anonymous struct, a C++ reference a pointer, the unspecified type void,
 * __ARRAY_SIZE_TYPE__ is not printed; a struct with a bitfield beyond
 * kind_flag's 24 offset bits has no members. */
static void test_fallbacks(void)
{
	struct ir_cu *cu = new_cu();
	ir_id in = unit_ir_int(cu, "int", 4, IR_TF_SIGNED);
	ir_id odd = unit_ir_int(cu, "int24", 3, IR_TF_SIGNED);
	ir_id ref = add(cu, IR_KIND_UNSPEC, NULL, 8, in);
	ir_id nul = add(cu, IR_KIND_UNSPEC, "decltype(nullptr)", 0, 0);
	ir_id pnul = add(cu, IR_KIND_PTR, NULL, 8, nul);
	ir_id s = add(cu, IR_KIND_STRUCT, "fb", 24, 0);
	ir_id big = add(cu, IR_KIND_STRUCT, "big", 0x300000, 0);
	struct mspec sm[] = { { "o", odd, 0, 0 }, { "r", ref, 64, 0 }, { "n", pnul, 128, 0 } };
	struct mspec bm[] = { { "a", in, 0, 1 }, { "z", in, 0x1000000, 1 } };
	char *out;

	unit_ir_int(cu, "__ARRAY_SIZE_TYPE__", 4, 0);
	ir_cu__type(cu, ref)->unspec = IR_UNSPEC_REFERENCE;
	ir_cu__type(cu, nul)->unspec = IR_UNSPEC_UNSPECIFIED_TYPE;
	set_members(cu, s, sm, 3);
	set_members(cu, big, bm, 2);
	out = run(&btf_opts, &cu, 1, NULL);
	expect(out,
	       "base int size 4 signed\n"
	       "struct big size 3145728\n"
	       "struct fb size 24\n"
	       "\to: struct (anon) size 3 @0\n"
	       "\tr: int * @64\n"
	       "\tn: void * @128\n");
	free(out);
	ir_cu__free(cu);
}

static ir_id add_func(struct ir_cu *cu, const char *name, ir_id ret, ir_id param,
		      const char *pname, uint32_t flags)
{
	ir_id proto = add(cu, IR_KIND_FUNC_PROTO, NULL, 0, ret);
	struct ir_type *p = ir_cu__type(cu, proto);
	struct ir_func *f;

	p->vlen = 1;
	p->params = arena_calloc(&cu->arena, 1, sizeof(*p->params));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->params);
	p->params[0].type = param;
	p->params[0].name = ir_cu__intern(cu, pname);
	CU_ASSERT_EQUAL_FATAL(ir_cu__add_func(cu, &f), 0);
	f->name = ir_cu__intern(cu, name);
	f->proto = proto;
	f->flags = flags;
	return proto;
}

static void add_var(struct ir_cu *cu, const char *name, ir_id type, const char *sec,
		    uint64_t off, uint32_t flags)
{
	struct ir_var *v;

	CU_ASSERT_EQUAL_FATAL(ir_cu__add_var(cu, &v), 0);
	v->name = ir_cu__intern(cu, name);
	v->type = type;
	v->section = sec ? ir_cu__intern(cu, sec) : NULL;
	v->section_offset = off;
	v->flags = flags;
}

/* Functions and variables: declarations, function-scope statics and
 * variables without a section are not printed. */
static void test_funcs_vars(void)
{
	struct ir_cu *cu = new_cu();
	ir_id in = unit_ir_int(cu, "int", 4, IR_TF_SIGNED);
	char *out;

	add_func(cu, "f", in, in, "x", IR_FF_EXTERNAL);
	add_func(cu, "decl", in, in, "x", IR_FF_DECLARATION);
	add_var(cu, "g", in, ".data", 0x10, IR_VF_EXTERNAL);
	add_var(cu, "ext", in, NULL, 0, IR_VF_DECLARATION);
	add_var(cu, "local", in, ".bss", 0, IR_VF_LOCAL);
	add_var(cu, "tls", in, NULL, 0, 0);
	out = run(&btf_opts, &cu, 1, NULL);
	expect(out,
	       "base int size 4 signed\n"
	       "func f: int (int x)\n"
	       "var g@.data+0x10: int\n");
	free(out);
	ir_cu__free(cu);
}

/*
 * The reference selects: only names it has, only variable places it has;
 * of two differing definitions of helper, the one it has. When none of the
 * differing ones match, all are printed (the diff shows them).
 */
static void test_reference(void)
{
	struct ir_cu *a = new_cu(), *b = new_cu(), *ref = new_cu(), *cus[2] = { a, b };
	ir_id ia = unit_ir_int(a, "int", 4, IR_TF_SIGNED);
	ir_id la = unit_ir_int(a, "long", 8, IR_TF_SIGNED);
	ir_id ib = unit_ir_int(b, "int", 4, IR_TF_SIGNED);
	ir_id lb = unit_ir_int(b, "long", 8, IR_TF_SIGNED);
	ir_id ir = unit_ir_int(ref, "int", 4, IR_TF_SIGNED);
	ir_id lr = unit_ir_int(ref, "long", 8, IR_TF_SIGNED);
	char *out;

	add_func(a, "helper", ia, ia, "x", 0);
	add_func(b, "helper", lb, lb, "n", 0);
	add_func(a, "other", ia, ia, "x", 0);
	add_func(a, "gone", ia, ia, "x", 0);
	add_func(b, "other", lb, ib, "x", 0);
	add_var(a, "counter", ia, ".bss", 0, 0);
	add_var(b, "counter", lb, ".bss", 8, 0);
	add_var(b, "dropped", lb, ".bss", 16, 0);
	add_func(ref, "helper", lr, lr, "n", 0);
	add_func(ref, "other", ir, ir, "y", 0);	/* matches neither */
	add_var(ref, "counter", lr, ".bss", 8, 0);
	(void)la;
	out = run(&btf_opts, cus, 2, ref);
	expect(out,
	       "base int size 4 signed\n"
	       "base long size 8 signed\n"
	       "func helper: long (long n)\n"
	       "func other: int (int x)\n"
	       "func other: long (int x)\n"
	       "var counter@.bss+0x8: long\n");
	free(out);
	ir_cu__free(a);
	ir_cu__free(b);
	ir_cu__free(ref);
}

/* Hostile models: a pointer cycle ends in "<loop>", a bad id is named, and
 * anonymous members nested deeper than NORMAL_MAX_NEST end in "{...}". */
static void test_hostile(void)
{
	struct ir_cu *cu = new_cu();
	ir_id ptr = add(cu, IR_KIND_PTR, NULL, 8, 0);
	ir_id s = add(cu, IR_KIND_STRUCT, "cyc", 16, 0);
	ir_id prev = IR_VOID, deep;
	struct mspec m[] = { { "p", ptr, 0, 0 }, { "bad", 9999, 64, 0 } };
	char *out;
	int i;

	ir_cu__type(cu, ptr)->type = ptr;
	set_members(cu, s, m, 2);
	for (i = 0; i < NORMAL_MAX_NEST + 5; i++) {
		ir_id a = add(cu, IR_KIND_STRUCT, NULL, 8, 0);
		struct mspec am[] = { { "x", prev, 0, 0 } };

		if (prev)
			set_members(cu, a, am, 1);
		prev = a;
	}
	deep = add(cu, IR_KIND_STRUCT, "deep", 8, 0);
	{
		struct mspec dm[] = { { "a", prev, 0, 0 } };

		set_members(cu, deep, dm, 1);
	}
	out = run(&btf_opts, &cu, 1, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\tp: <loop>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\tbad: <bad type 9999> @64\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " {...}\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "struct deep size 8\n\ta: struct (anon) size 8 @0\n"));
	free(out);
	ir_cu__free(cu);
}

/* A function type of three parameters, each of type param. */
static ir_id add_proto3(struct ir_cu *cu, ir_id ret, ir_id param)
{
	ir_id id = add(cu, IR_KIND_FUNC_PROTO, NULL, 0, ret);
	struct ir_type *p = ir_cu__type(cu, id);
	int i;

	p->params = arena_calloc(&cu->arena, 3, sizeof(*p->params));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->params);
	p->vlen = 3;
	for (i = 0; i < 3; i++)
		p->params[i].type = param;
	return id;
}

/* Every entry of out (a line without a tab starts one) is at most
 * NORMAL_MAX_ENTRY bytes and a marker. */
static void assert_entries_bounded(const char *out)
{
	const char *e = out, *next;

	while (*e) {
		for (next = strchr(e, '\n'); next && next[1] == '\t'; next = strchr(next + 1, '\n'))
			;
		next = next ? next + 1 : e + strlen(e);
		CU_ASSERT((size_t)(next - e) <= NORMAL_MAX_ENTRY + 64);
		e = next;
	}
}

/*
 * Types spelled as trees can spell exponentially: 40 levels of function
 * types whose three parameters point to the level below (3^40 paths), a
 * pointer to a function type returning and taking that pointer (a cycle
 * with three branches per turn), 30 levels of anonymous unions whose three
 * members are the union below. Each entry stops at NORMAL_MAX_ENTRY bytes
 * with a marker, at once (without the bound this test does not finish).
 */
static void test_exponential(void)
{
	struct ir_cu *cu = new_cu();
	ir_id i32 = unit_ir_int(cu, "int", 4, IR_TF_SIGNED);
	ir_id ptr = add(cu, IR_KIND_PTR, NULL, 8, add_proto3(cu, i32, i32)), cyc, u = i32;
	struct mspec m[3];
	char *out;
	int k;

	for (k = 0; k < 40; k++)
		ptr = add(cu, IR_KIND_PTR, NULL, 8, add_proto3(cu, i32, ptr));
	add(cu, IR_KIND_TYPEDEF, "nest_t", 0, ptr);
	cyc = add(cu, IR_KIND_PTR, NULL, 8, IR_VOID);
	ir_cu__type(cu, cyc)->type = add_proto3(cu, cyc, cyc);
	add(cu, IR_KIND_TYPEDEF, "cyc_t", 0, cyc);
	for (k = 0; k < 30; k++) {
		ir_id a = add(cu, IR_KIND_UNION, NULL, 4, 0);

		m[0] = (struct mspec){ "a", u, 0, 0 };
		m[1] = (struct mspec){ "b", u, 0, 0 };
		m[2] = (struct mspec){ "c", u, 0, 0 };
		set_members(cu, a, m, 3);
		u = a;
	}
	m[0] = (struct mspec){ "u", u, 0, 0 };
	set_members(cu, add(cu, IR_KIND_STRUCT, "top", 4, 0), m, 1);
	out = run(&btf_opts, &cu, 1, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "typedef nest_t: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "typedef cyc_t: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "struct top size 4\n"));
	for (k = 0; k < 3; k++) {
		const char *head = k == 0 ? "typedef nest_t: " : k == 1 ? "typedef cyc_t: " :
			"struct top size 4\n";
		const char *e = strstr(out, head), *end = e ? strstr(e, "<ERROR: too long>") : NULL;

		CU_ASSERT_PTR_NOT_NULL(end);
		if (end)
			CU_ASSERT(strchr(e, '\n') == NULL || k == 2 || end < strchr(e, '\n'));
	}
	assert_entries_bounded(out);
	free(out);
	ir_cu__free(cu);
}

static void test_errors(void)
{
	struct normal_printer *p = NULL;
	struct ir_cu *cu = new_cu();

	CU_ASSERT_EQUAL(normal_printer__new(NULL, &p), -EINVAL);
	CU_ASSERT_EQUAL(normal_printer__new(&btf_opts, NULL), -EINVAL);
	CU_ASSERT_EQUAL_FATAL(normal_printer__new(&btf_opts, &p), 0);
	CU_ASSERT_EQUAL(normal_printer__add_cu(p, NULL), -EINVAL);
	CU_ASSERT_EQUAL(normal_printer__write(p, NULL), -EINVAL);
	CU_ASSERT_EQUAL(normal_printer__set_reference(p, cu), 0);
	CU_ASSERT_EQUAL(normal_printer__set_reference(p, cu), -EINVAL);
	normal_printer__free(p);
	normal_printer__free(NULL);
	ir_cu__free(cu);
}

int register_print_normal_suite(void)
{
	static const struct unit_test tests[] = {
		{ "struct_plain", test_struct_plain },
		{ "struct_btf_normalised", test_struct_btf_normalised },
		{ "merge_units", test_merge_units },
		{ "enums_typedefs", test_enums_typedefs },
		{ "spelling", test_spelling },
		{ "fallbacks", test_fallbacks },
		{ "funcs_vars", test_funcs_vars },
		{ "reference", test_reference },
		{ "hostile", test_hostile },
		{ "exponential", test_exponential },
		{ "errors", test_errors },
		{ NULL, NULL },
	};

	return unit_add_suite("print_normal", tests);
}
