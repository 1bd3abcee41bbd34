// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "print": the pahole-style layout printer and type spelling. The
 * expected texts are what Debian 12's pahole 1.24 prints for the C shown
 * above each test (gcc -g -c), pasted verbatim.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/ir/ir.h"
#include "src/print/layout.h"
#include "src/print/type_name.h"
#include "tests.h"
#include "unit_build.h"

static ir_id add(struct ir_cu *cu, enum ir_kind k, const char *name,
		 uint64_t size, ir_id type)
{
	return unit_ir_type(cu, k, name, size, type);
}

struct mspec {
	const char *name;
	ir_id type;
	uint64_t bit_offset;
	uint32_t bitfield_size;
};

static ir_id add_comp(struct ir_cu *cu, enum ir_kind k, const char *name,
		      uint64_t size, const struct mspec *ms, uint32_t n)
{
	ir_id id = add(cu, k, name, size, 0);
	struct ir_type *t = ir_cu__type(cu, id);
	uint32_t i;

	t->members = arena_calloc(&cu->arena, n ? n : 1, sizeof(*t->members));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->members);
	t->vlen = n;
	for (i = 0; i < n; i++) {
		t->members[i].name = ms[i].name ? ir_cu__intern(cu, ms[i].name) : NULL;
		t->members[i].type = ms[i].type;
		t->members[i].bit_offset = ms[i].bit_offset;
		t->members[i].bitfield_size = ms[i].bitfield_size;
	}
	return id;
}

static struct ir_cu *new_cu(void)
{
	struct ir_cu *cu = ir_cu__new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(cu);
	cu->addr_size = 8;
	cu->lang = IR_LANG_C;
	return cu;
}

/* Print cus with the given -C names; returns a malloc'ed string. */
static char *run(struct ir_cu **cus, int nr, const char *const *names,
		 size_t nr_names, const char **missing)
{
	struct layout_opts o = { .names = names, .nr_names = nr_names };
	struct layout_printer *p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(layout_printer__new(&o, f, &p), 0);
	for (i = 0; i < nr; i++)
		CU_ASSERT_EQUAL(layout_printer__add_cu(p, cus[i]), 0);
	CU_ASSERT_EQUAL(layout_printer__finish(p), 0);
	if (missing) {
		*missing = layout_printer__missing(p, 0);
		*missing = *missing ? strdup(*missing) : NULL;
	}
	layout_printer__free(p);
	fclose(f);
	return buf;
}

static void expect(const char *got, const char *want)
{
	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want))
		fprintf(stderr, "\n--- want\n%s--- got\n%s---\n", want, got);
}

/* struct inner { char c; long l; }; */
static const char inner_txt[] =
	"struct inner {\n"
	"\tchar                       c;                    /*     0     1 */\n"
	"\n"
	"\t/* XXX 7 bytes hole, try to pack */\n"
	"\n"
	"\tlong int                   l;                    /*     8     8 */\n"
	"\n"
	"\t/* size: 16, cachelines: 1, members: 2 */\n"
	"\t/* sum members: 9, holes: 1, sum holes: 7 */\n"
	"\t/* last cacheline: 16 bytes */\n"
	"};\n";

static ir_id add_inner(struct ir_cu *cu, ir_id chr, ir_id lng)
{
	struct mspec m[] = { { "c", chr, 0, 0 }, { "l", lng, 64, 0 } };

	return add_comp(cu, IR_KIND_STRUCT, "inner", 16, m, 2);
}

static void test_holes(void)
{
	struct ir_cu *cu = new_cu();
	ir_id chr = add(cu, IR_KIND_INT, "char", 1, 0);
	ir_id lng = add(cu, IR_KIND_INT, "long int", 8, 0);
	char *out;

	add_inner(cu, chr, lng);
	out = run(&cu, 1, NULL, 0, NULL);
	expect(out, inner_txt);
	free(out);
	ir_cu__free(cu);
}

/*
 * struct bits { unsigned a:3; unsigned b:5; int c:1; char d;
 *		 unsigned long e:40; unsigned f:2; long g; unsigned h:4; };
 */
static void test_bitfields(void)
{
	struct ir_cu *cu = new_cu();
	ir_id ui = add(cu, IR_KIND_INT, "unsigned int", 4, 0);
	ir_id si = add(cu, IR_KIND_INT, "int", 4, 0);
	ir_id ch = add(cu, IR_KIND_INT, "char", 1, 0);
	ir_id ul = add(cu, IR_KIND_INT, "long unsigned int", 8, 0);
	ir_id sl = add(cu, IR_KIND_INT, "long int", 8, 0);
	struct mspec m[] = {
		{ "a", ui, 0, 3 }, { "b", ui, 3, 5 }, { "c", si, 8, 1 },
		{ "d", ch, 16, 0 }, { "e", ul, 24, 40 }, { "f", ui, 64, 2 },
		{ "g", sl, 128, 0 }, { "h", ui, 192, 4 },
	};
	char *out;

	add_comp(cu, IR_KIND_STRUCT, "bits", 32, m, 8);
	out = run(&cu, 1, NULL, 0, NULL);
	expect(out,
	       "struct bits {\n"
	       "\tunsigned int               a:3;                  /*     0: 0  4 */\n"
	       "\tunsigned int               b:5;                  /*     0: 3  4 */\n"
	       "\tint                        c:1;                  /*     0: 8  4 */\n"
	       "\n"
	       "\t/* XXX 7 bits hole, try to pack */\n"
	       "\t/* Bitfield combined with next fields */\n"
	       "\n"
	       "\tchar                       d;                    /*     2     1 */\n"
	       "\n"
	       "\t/* Bitfield combined with previous fields */\n"
	       "\n"
	       "\tlong unsigned int          e:40;                 /*     0:24  8 */\n"
	       "\tunsigned int               f:2;                  /*     8: 0  4 */\n"
	       "\n"
	       "\t/* XXX 30 bits hole, try to pack */\n"
	       "\t/* XXX 4 bytes hole, try to pack */\n"
	       "\n"
	       "\tlong int                   g;                    /*    16     8 */\n"
	       "\tunsigned int               h:4;                  /*    24: 0  4 */\n"
	       "\n"
	       "\t/* size: 32, cachelines: 1, members: 8 */\n"
	       "\t/* sum members: 9, holes: 1, sum holes: 4 */\n"
	       "\t/* sum bitfield members: 55 bits, bit holes: 2, sum bit holes: 37 bits */\n"
	       "\t/* padding: 4 */\n"
	       "\t/* bit_padding: 28 bits */\n"
	       "\t/* last cacheline: 32 bytes */\n"
	       "};\n");
	free(out);
	ir_cu__free(cu);
}

/* union un { int a; char b[12]; struct inner in; };  (after inner) */
static void test_union_and_dedup(void)
{
	struct ir_cu *cu[2] = { new_cu(), new_cu() };
	char *out;
	int i;

	for (i = 0; i < 2; i++) {
		ir_id ch = add(cu[i], IR_KIND_INT, "char", 1, 0);
		ir_id lg = add(cu[i], IR_KIND_INT, "long int", 8, 0);
		ir_id in = add_inner(cu[i], ch, lg);
		ir_id it = add(cu[i], IR_KIND_INT, "int", 4, 0);
		ir_id ar = add(cu[i], IR_KIND_ARRAY, NULL, 0, ch);
		struct ir_type *a = ir_cu__type(cu[i], ar);
		struct mspec m[] = { { "a", it, 0, 0 }, { "b", ar, 0, 0 },
				     { "in", in, 0, 0 } };

		a->dims = arena_calloc(&cu[i]->arena, 1, sizeof(*a->dims));
		a->dims[0].count = 12;
		a->vlen = 1;
		add_comp(cu[i], IR_KIND_UNION, "un", 16, m, 3);
	}
	out = run(cu, 2, NULL, 0, NULL);
	/* the second CU adds nothing: same names, sizes and layouts */
	expect(out, "struct inner {\n"
	       "\tchar                       c;                    /*     0     1 */\n"
	       "\n"
	       "\t/* XXX 7 bytes hole, try to pack */\n"
	       "\n"
	       "\tlong int                   l;                    /*     8     8 */\n"
	       "\n"
	       "\t/* size: 16, cachelines: 1, members: 2 */\n"
	       "\t/* sum members: 9, holes: 1, sum holes: 7 */\n"
	       "\t/* last cacheline: 16 bytes */\n"
	       "};\n"
	       "union un {\n"
	       "\tint                        a;                  /*     0     4 */\n"
	       "\tchar                       b[12];              /*     0    12 */\n"
	       "\tstruct inner               in;                 /*     0    16 */\n"
	       "};\n");
	free(out);
	ir_cu__free(cu[0]);
	ir_cu__free(cu[1]);
}

/*
 * typedef struct { int a; char b; } anon_td; typedef int myint;
 * pahole -C myint,anon_td,nonexist
 */
static void test_names(void)
{
	struct ir_cu *cu = new_cu();
	ir_id it = add(cu, IR_KIND_INT, "int", 4, 0);
	ir_id ch = add(cu, IR_KIND_INT, "char", 1, 0);
	struct mspec m[] = { { "a", it, 0, 0 }, { "b", ch, 32, 0 } };
	ir_id an = add_comp(cu, IR_KIND_STRUCT, NULL, 8, m, 2);
	const char *names[] = { "myint", "anon_td", "nonexist", "inner" };
	const char *missing = NULL;
	char *out;

	add(cu, IR_KIND_TYPEDEF, "anon_td", 0, an);
	add(cu, IR_KIND_TYPEDEF, "myint", 0, it);
	out = run(&cu, 1, names, 4, &missing);
	expect(out, "typedef int myint;\n"
	       "typedef struct {\n"
	       "\tint                        a;                    /*     0     4 */\n"
	       "\tchar                       b;                    /*     4     1 */\n"
	       "\n"
	       "\t/* size: 8, cachelines: 1, members: 2 */\n"
	       "\t/* padding: 3 */\n"
	       "\t/* last cacheline: 8 bytes */\n"
	       "} anon_td;\n");
	CU_ASSERT_STRING_EQUAL(missing ? missing : "", "nonexist");
	free((void *)missing);
	free(out);
	/* Without names nothing anonymous is printed at all. */
	out = run(&cu, 1, NULL, 0, NULL);
	expect(out, "");
	free(out);
	ir_cu__free(cu);
}

static void spell(struct ir_cu *cu, ir_id id, const char *want)
{
	struct tn_buf b;

	tn_buf_init(&b);
	tn_append_name(&b, cu, id);
	CU_ASSERT_FALSE(b.oom);
	CU_ASSERT_STRING_EQUAL(tn_buf_str(&b), want);
	tn_buf_deinit(&b);
}

static void test_type_names(void)
{
	struct ir_cu *cu = new_cu();
	ir_id ch = add(cu, IR_KIND_INT, "char", 1, 0);
	ir_id cc = add(cu, IR_KIND_CONST, NULL, 0, ch);
	ir_id pcc = add(cu, IR_KIND_PTR, NULL, 8, cc);
	ir_id pc = add(cu, IR_KIND_PTR, NULL, 8, ch);
	ir_id cpc = add(cu, IR_KIND_CONST, NULL, 0, pc);
	ir_id pcpc = add(cu, IR_KIND_PTR, NULL, 8, cpc);
	ir_id rp = add(cu, IR_KIND_RESTRICT, NULL, 0, pc);
	ir_id fp = add(cu, IR_KIND_FUNC_PROTO, NULL, 0, ch);
	ir_id loop = add(cu, IR_KIND_CONST, NULL, 0, 0);

	ir_cu__type(cu, fp)->flags |= IR_TF_VARARGS;
	ir_cu__type(cu, loop)->type = loop;	/* malformed: a cycle */
	spell(cu, pcc, "const char  *");
	spell(cu, pcpc, "char * const *");
	spell(cu, rp, "char * restrict ");
	spell(cu, fp, "char ()(void)");
	spell(cu, IR_VOID, "void");
	{
		struct tn_buf b;

		tn_buf_init(&b);
		tn_append_name(&b, cu, loop);
		CU_ASSERT_PTR_NOT_NULL(strstr(tn_buf_str(&b), "<ERROR: type loop>"));
		tn_buf_deinit(&b);
	}
	ir_cu__free(cu);
}

/*
 * Function types whose three parameters each point to the function type
 * one level down, 40 levels deep: spelled in full the name would take
 * 3^40 copies of the innermost one (a fuzz finding took 1.2 GB). The
 * spelling stops at TN_MAX_LEN and says so, without visiting the rest,
 * and the buffer takes ordinary appends again afterwards.
 */
static void test_type_name_too_long(void)
{
	struct ir_cu *cu = new_cu();
	ir_id ch = add(cu, IR_KIND_INT, "char", 1, 0);
	ir_id ptr = add(cu, IR_KIND_PTR, NULL, 8, add(cu, IR_KIND_FUNC_PROTO, NULL, 0, ch));
	struct tn_buf b;
	int level, k;

	for (level = 0; level < 40; level++) {
		ir_id fp = add(cu, IR_KIND_FUNC_PROTO, NULL, 0, ch);
		struct ir_type *t = ir_cu__type(cu, fp);

		t->params = arena_calloc(&cu->arena, 3, sizeof(*t->params));
		CU_ASSERT_PTR_NOT_NULL_FATAL(t->params);
		t->vlen = 3;
		for (k = 0; k < 3; k++)
			t->params[k].type = ptr;
		ptr = add(cu, IR_KIND_PTR, NULL, 8, fp);
	}
	tn_buf_init(&b);
	tn_append_name(&b, cu, ptr);
	CU_ASSERT_FALSE(b.oom);
	CU_ASSERT(b.len > TN_MAX_LEN / 2 && b.len <= TN_MAX_LEN + 64);
	CU_ASSERT_PTR_NOT_NULL(strstr(tn_buf_str(&b), "<ERROR: name too long>"));
	tn_printf(&b, "|after");
	CU_ASSERT(b.len > 6 && !strcmp(tn_buf_str(&b) + b.len - 6, "|after"));
	tn_buf_reset(&b);
	tn_append_ftype(&b, cu, ir_cu__type(cu, ptr)->type, "f", true, 0, true);
	CU_ASSERT_PTR_NOT_NULL(strstr(tn_buf_str(&b), "<ERROR: name too long>"));
	tn_buf_deinit(&b);
	ir_cu__free(cu);
}

/* 10,000 anonymous structs inside each other, and a struct that contains
 * itself: both print in bounded depth and terminate. */
/* A huge trailing padding: pahole prints one "long int :64;" per 8 bytes;
 * we stop after LAYOUT_MAX_PAD_LINES and say how many more (the fuzzer's
 * 256 MiB padding printed hundreds of megabytes). */
static void test_force_padding_capped(void)
{
	struct ir_cu *cu = new_cu();
	ir_id lng = add(cu, IR_KIND_INT, "long int", 8, 0);
	struct mspec m[] = { { "l", lng, 0, 0 } };
	char *out, *p;
	size_t lines = 0;

	add_comp(cu, IR_KIND_STRUCT, "padded", 8 + 8 * (LAYOUT_MAX_PAD_LINES + 100), m, 1);
	out = run(&cu, 1, NULL, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/* Force padding: */\n"));
	for (p = out; (p = strstr(p, "\tlong int                   :64;\n")); p++)
		lines++;
	CU_ASSERT_EQUAL(lines, LAYOUT_MAX_PAD_LINES);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\t/* ... 100 more */\n"));
	free(out);
	ir_cu__free(cu);
}

/* Anonymous structs used twice at each of 20 levels: 2^20 inlined members
 * without a budget; past LAYOUT_MAX_INLINE they print as "struct {...}". */
static void test_inline_budget(void)
{
	struct ir_cu *cu = new_cu();
	ir_id inner = add(cu, IR_KIND_INT, "int", 4, 0);
	uint64_t size = 4;
	char *out;
	int level;

	for (level = 0; level < 20; level++) {
		struct mspec m[] = { { "a", inner, 0, 0 }, { "b", inner, size * 8, 0 } };

		size *= 2;
		inner = add_comp(cu, IR_KIND_STRUCT, level == 19 ? "top" : NULL, size, m, 2);
	}
	out = run(&cu, 1, NULL, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "struct {...}"));
	CU_ASSERT(strlen(out) < 256 * LAYOUT_MAX_INLINE);
	free(out);
	ir_cu__free(cu);
}

static void test_deep_and_cyclic(void)
{
	struct ir_cu *cu = new_cu();
	ir_id it = add(cu, IR_KIND_INT, "int", 4, 0), prev = it, self;
	struct mspec m = { "x", 0, 0, 0 };
	char *out;
	int i;

	for (i = 0; i < 10000; i++) {
		m.type = prev;
		prev = add_comp(cu, IR_KIND_STRUCT, i == 9999 ? "deep" : NULL, 4, &m, 1);
	}
	/* malformed: an anonymous struct that contains itself */
	self = add_comp(cu, IR_KIND_STRUCT, NULL, 4, &m, 1);
	ir_cu__type(cu, self)->members[0].type = self;
	m.type = self;
	add_comp(cu, IR_KIND_STRUCT, "cyclic", 4, &m, 1);
	out = run(&cu, 1, NULL, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "struct deep {\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "struct {...} x;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "struct cyclic {\n"));
	free(out);
	ir_cu__free(cu);
}

static const struct unit_test print_tests[] = {
	{ "holes", test_holes },
	{ "bitfields", test_bitfields },
	{ "union_and_dedup", test_union_and_dedup },
	{ "names", test_names },
	{ "type_names", test_type_names },
	{ "type_name_too_long", test_type_name_too_long },
	{ "deep_and_cyclic", test_deep_and_cyclic },
	{ "force_padding_capped", test_force_padding_capped },
	{ "inline_budget", test_inline_budget },
	{ NULL, NULL },
};

int register_print_suite(void)
{
	return unit_add_suite("print", print_tests);
}
