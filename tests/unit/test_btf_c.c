// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "btf_c": the C-header printer (btfp_c__print) on hand-built tables.
 * Every header is compiled with gcc and clang (-fsyntax-only, each when
 * installed) together with _Static_assert()s on sizes, offsets and values,
 * so that the printed layout is proven exact, not just plausible.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/btf_format/btf_types.h"
#include "src/print/btf_c.h"
#include "tests.h"

/* ---- building tables ---------------------------------------------------- */

static uint32_t str(struct bfmt_btf *b, const char *s)
{
	uint32_t off = 0;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(b, s, &off), 0);
	return off;
}

static uint32_t add(struct bfmt_btf *b, enum bfmt_kind k, uint32_t vlen, bool kflag,
		    const char *name, uint32_t size_type, void **extra)
{
	uint32_t id = 0;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(b, k, vlen, kflag, str(b, name),
						 size_type, &id, extra), 0);
	return id;
}

static uint32_t add_int(struct bfmt_btf *b, const char *name, uint32_t size, bool sign)
{
	uint32_t *info, id = add(b, BFMT_KIND_INT, 0, false, name, size, (void **)&info);

	*info = bfmt_int_info(sign ? BFMT_INT_SIGNED : 0, 0, size * 8);
	return id;
}

static uint32_t add_ref(struct bfmt_btf *b, enum bfmt_kind k, const char *name, uint32_t to)
{
	return add(b, k, 0, false, name, to, NULL);
}

static uint32_t add_array(struct bfmt_btf *b, uint32_t elem, uint32_t idx, uint32_t n)
{
	struct bfmt_array *a;
	uint32_t id = add(b, BFMT_KIND_ARRAY, 0, false, "", 0, (void **)&a);

	a->type = elem;
	a->index_type = idx;
	a->nelems = n;
	return id;
}

struct mem {
	const char *name;
	uint32_t type, bit_off, bits;
};

/* A struct or union; members' names are added before the record. */
static uint32_t add_comp(struct bfmt_btf *b, enum bfmt_kind k, const char *name,
			 uint32_t size, const struct mem *ms, uint32_t n)
{
	uint32_t offs[16], i, id;
	struct bfmt_member *m;

	for (i = 0; i < n; i++)
		offs[i] = str(b, ms[i].name);
	id = add(b, k, n, true, name, size, (void **)&m);
	for (i = 0; i < n; i++) {
		m[i].name_off = offs[i];
		m[i].type = ms[i].type;
		m[i].offset = ms[i].bits << 24 | ms[i].bit_off;
	}
	return id;
}

/* A struct whose member types are filled in later (cycles). */
static void set_member_type(struct bfmt_btf *b, uint32_t id, uint32_t i, uint32_t type)
{
	((struct bfmt_member *)bfmt_type_extra(bfmt_btf__type(b, id)))[i].type = type;
}

static uint32_t add_proto(struct bfmt_btf *b, uint32_t ret, const uint32_t *params,
			  uint32_t n)
{
	struct bfmt_param *p;
	uint32_t i, id = add(b, BFMT_KIND_FUNC_PROTO, n, false, "", ret, (void **)&p);

	for (i = 0; i < n; i++)
		p[i].type = params[i];
	return id;
}

static struct bfmt_btf *new_btf(void)
{
	struct bfmt_btf *b = NULL;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &b), 0);
	return b;
}

/* ---- printing and compiling ---------------------------------------------- */

/* noinline: gcc -O3 otherwise takes the memstream buffer for a dangling local. */
__attribute__((noinline))
static char *print_c(const struct bfmt_btf *b, const struct btfp_c_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(btfp_c__print(b, f, o), 0);
	fclose(f);
	return buf;
}

/* Where needle starts in h, or -1. */
static long at(const char *h, const char *needle)
{
	const char *p = strstr(h, needle);

	return p ? (long)(p - h) : -1;
}

static bool have_cc(const char *cc)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", cc);
	return system(cmd) == 0;
}

/* Compile hdr + checks with every installed compiler; 0 compilers is a
 * pass with nothing proven (the e2e test then skips too). */
static void check_compiles(const char *hdr, const char *checks)
{
	static const char *const ccs[] = { "gcc", "clang" };
	char path[] = "/tmp/btfenc-btf-c-XXXXXX.c";
	int fd = mkstemps(path, 2);
	FILE *f;
	size_t i;

	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "%s\n%s\n", hdr, checks);
	fclose(f);
	for (i = 0; i < sizeof(ccs) / sizeof(ccs[0]); i++) {
		char cmd[512];
		int rc;

		if (!have_cc(ccs[i]))
			continue;
		snprintf(cmd, sizeof(cmd),
			 "%s -fsyntax-only -Wall -Werror -Wno-unknown-pragmas "
			 "-Wno-unknown-attributes -Wno-pragma-clang-attribute "
			 "-Wno-unknown-warning-option -x c %s",
			 ccs[i], path);
		rc = system(cmd);
		if (rc != 0)
			fprintf(stderr, "\n%s failed on:\n%s\n%s\n", ccs[i], hdr, checks);
		CU_ASSERT_EQUAL(rc, 0);
	}
	unlink(path);
}

/* ---- tests --------------------------------------------------------------- */

/* struct a { struct b *b; int x; }; struct b { struct a a; struct b *self; } */
static struct bfmt_btf *build_cycle(void)
{
	struct bfmt_btf *b = new_btf();
	uint32_t i32 = add_int(b, "int", 4, true);
	struct mem ma[] = { { "b", 0, 0, 0 }, { "x", i32, 64, 0 } };
	uint32_t sa = add_comp(b, BFMT_KIND_STRUCT, "a", 16, ma, 2);
	struct mem mb[] = { { "a", sa, 0, 0 }, { "self", 0, 128, 0 } };
	uint32_t sb = add_comp(b, BFMT_KIND_STRUCT, "b", 24, mb, 2);
	uint32_t pb = add_ref(b, BFMT_KIND_PTR, "", sb);

	add_int(b, "long int", 8, true);
	set_member_type(b, sa, 0, pb);
	set_member_type(b, sb, 1, pb);
	return b;
}

static void test_cycle(void)
{
	struct bfmt_btf *b = build_cycle();
	char *h = print_c(b, NULL);
	long fwd = at(h, "struct b;\n"), da = at(h, "struct a {"), db = at(h, "struct b {");

	CU_ASSERT(fwd >= 0 && da > fwd && db > da);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "#ifndef __VMLINUX_H__"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)"));
	check_compiles(h, "_Static_assert(sizeof(struct a) == 16, \"a\");\n"
			  "_Static_assert(sizeof(struct b) == 24, \"b\");\n"
			  "_Static_assert(__builtin_offsetof(struct b, self) == 16, \"self\");\n");
	free(h);
	/* Only b: a is needed by value, b reaches itself only by pointer. */
	{
		const char *names[] = { "a" };
		struct btfp_c_opts o = { .names = names, .nr_names = 1 };

		h = print_c(b, &o);
		CU_ASSERT_PTR_NOT_NULL(strstr(h, "struct b;\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(h, "struct a {"));
		CU_ASSERT_PTR_NULL(strstr(h, "struct b {"));
		check_compiles(h, "_Static_assert(sizeof(struct a) == 16, \"a\");\n");
		free(h);
	}
	bfmt_btf__free(b);
}

/* struct outer { int k; union { int i; struct { char c; short s; } in; }; } */
static void test_anon(void)
{
	struct bfmt_btf *b = new_btf();
	uint32_t i32 = add_int(b, "int", 4, true), i8 = add_int(b, "char", 1, true),
		 i16 = add_int(b, "short int", 2, true);
	struct mem mi[] = { { "c", i8, 0, 0 }, { "s", i16, 16, 0 } };
	uint32_t in = add_comp(b, BFMT_KIND_STRUCT, "", 4, mi, 2);
	struct mem mu[] = { { "i", i32, 0, 0 }, { "in", in, 0, 0 } };
	uint32_t u = add_comp(b, BFMT_KIND_UNION, "", 4, mu, 2);
	struct mem mo[] = { { "k", i32, 0, 0 }, { "", u, 32, 0 } };
	char *h;

	add_comp(b, BFMT_KIND_STRUCT, "outer", 8, mo, 2);
	h = print_c(b, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "\tunion {\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "\t\tstruct {\n"));
	check_compiles(h, "_Static_assert(sizeof(struct outer) == 8, \"o\");\n"
			  "_Static_assert(__builtin_offsetof(struct outer, i) == 4, \"i\");\n"
			  "_Static_assert(__builtin_offsetof(struct outer, in.s) == 6, \"s\");\n");
	free(h);
	bfmt_btf__free(b);
}

/* Bitfields with a gap (a `:0` in the source) and a 40-bit one. */
static void test_bitfields(void)
{
	struct bfmt_btf *b = new_btf();
	uint32_t u32 = add_int(b, "unsigned int", 4, false), i32 = add_int(b, "int", 4, true),
		 u64 = add_int(b, "long long unsigned int", 8, false),
		 i8 = add_int(b, "char", 1, true);
	struct mem m[] = {
		{ "a", u32, 0, 3 }, { "b", u32, 3, 5 }, { "c", i32, 32, 20 },
		{ "d", u64, 64, 40 }, { "e", i8, 104, 0 }, { "f", u32, 113, 2 },
	};
	char *h;

	add_comp(b, BFMT_KIND_STRUCT, "bf", 24, m, 6);
	h = print_c(b, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "\tunsigned int a: 3;\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "\tlong long unsigned int d: 40;\n"));
	check_compiles(h, "_Static_assert(sizeof(struct bf) == 24, \"bf\");\n"
			  "_Static_assert(__builtin_offsetof(struct bf, e) == 13, \"e\");\n"
			  "static struct bf x = { .c = -1, .f = 3 };\n"
			  "int *y(void) { (void)x; return 0; }\n");
	free(h);
	bfmt_btf__free(b);
}

/* Packed (a misaligned int) and over-aligned structs, and an aligned member. */
static void test_packed_aligned(void)
{
	struct bfmt_btf *b = new_btf();
	uint32_t i32 = add_int(b, "int", 4, true), i8 = add_int(b, "char", 1, true);
	struct mem mp[] = { { "c", i8, 0, 0 }, { "i", i32, 8, 0 } };
	uint32_t p = add_comp(b, BFMT_KIND_STRUCT, "pk", 5, mp, 2);
	struct mem ma[] = { { "a", i32, 0, 0 } };
	uint32_t al = add_comp(b, BFMT_KIND_STRUCT, "al16", 16, ma, 1);
	struct mem mu[] = { { "c", i8, 0, 0 }, { "p", p, 8, 0 }, { "al", al, 128, 0 },
			    { "late", i32, 512, 0 } };
	char *h;

	add_comp(b, BFMT_KIND_STRUCT, "user", 80, mu, 4);
	h = print_c(b, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "} __attribute__((packed));"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "} __attribute__((aligned(16)));"));
	check_compiles(h, "_Static_assert(sizeof(struct pk) == 5, \"pk\");\n"
			  "_Static_assert(__builtin_offsetof(struct pk, i) == 1, \"i\");\n"
			  "_Static_assert(sizeof(struct al16) == 16, \"al\");\n"
			  "_Static_assert(_Alignof(struct al16) == 16, \"al\");\n"
			  "_Static_assert(sizeof(struct user) == 80, \"u\");\n"
			  "_Static_assert(__builtin_offsetof(struct user, p) == 1, \"p\");\n"
			  "_Static_assert(__builtin_offsetof(struct user, al) == 16, \"al\");\n"
			  "_Static_assert(__builtin_offsetof(struct user, late) == 64, \"l\");\n");
	free(h);
	bfmt_btf__free(b);
}

static void add_enum64_val(struct bfmt_btf *b, struct bfmt_enum64 *e, uint32_t name,
			   uint64_t v)
{
	(void)b;
	e->name_off = name;
	e->val_lo32 = (uint32_t)v;
	e->val_hi32 = (uint32_t)(v >> 32);
}

/* ENUM64 signed/unsigned with extreme values, a 1-byte enum, a 4-byte
 * unsigned enum with 0xffffffff, and an anonymous enum on its own. */
static void test_enums(void)
{
	struct bfmt_btf *b = new_btf();
	uint32_t n[6], i, e_id;
	struct bfmt_enum64 *e64;
	struct bfmt_enum *e;
	char *h;

	for (i = 0; i < 3; i++) {
		static const char *const nm[] = { "S_NEG", "S_MIN", "S_MAX" };

		n[i] = str(b, nm[i]);
	}
	add(b, BFMT_KIND_ENUM64, 3, true, "s64", 8, (void **)&e64);
	add_enum64_val(b, &e64[0], n[0], (uint64_t)-1);
	add_enum64_val(b, &e64[1], n[1], (uint64_t)INT64_MIN);
	add_enum64_val(b, &e64[2], n[2], (uint64_t)INT64_MAX);
	n[3] = str(b, "U_MAX");
	n[4] = str(b, "U_SMALL");
	add(b, BFMT_KIND_ENUM64, 2, false, "u64", 8, (void **)&e64);
	add_enum64_val(b, &e64[0], n[3], UINT64_MAX);
	add_enum64_val(b, &e64[1], n[4], 1);
	n[5] = str(b, "SMALL_A");
	e_id = add(b, BFMT_KIND_ENUM64, 1, false, "small64", 8, (void **)&e64);
	add_enum64_val(b, &e64[0], n[5], 7);
	n[0] = str(b, "B_ONE");
	add(b, BFMT_KIND_ENUM, 1, false, "byte", 1, (void **)&e);
	e[0].name_off = n[0];
	e[0].val = 1;
	n[0] = str(b, "W_ALL");
	add(b, BFMT_KIND_ENUM, 1, false, "word", 4, (void **)&e);
	e[0].name_off = n[0];
	e[0].val = -1;		/* unsigned: 0xffffffff */
	n[0] = str(b, "ANON_X");
	add(b, BFMT_KIND_ENUM, 1, true, "", 4, (void **)&e);
	e[0].name_off = n[0];
	e[0].val = -5;
	(void)e_id;
	h = print_c(b, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "S_MIN = (-9223372036854775807LL - 1),"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "U_MAX = 18446744073709551615ULL,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "W_ALL = 4294967295U,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "ANON_X = -5,"));
	check_compiles(h, "_Static_assert(sizeof(enum s64) == 8, \"s64\");\n"
			  "_Static_assert(S_NEG == -1 && S_MIN < -9223372036854775806LL, \"s\");\n"
			  "_Static_assert(S_MAX == 9223372036854775807LL, \"smax\");\n"
			  "_Static_assert(U_MAX == 18446744073709551615ULL, \"umax\");\n"
			  "_Static_assert(sizeof(enum small64) == 8, \"small64\");\n"
			  "_Static_assert(sizeof(enum byte) == 1, \"byte\");\n"
			  "_Static_assert(sizeof(enum word) == 4 && W_ALL == 4294967295U, \"w\");\n"
			  "_Static_assert(ANON_X == -5, \"anon\");\n");
	free(h);
	bfmt_btf__free(b);
}

/* typedef int (*cb_t)(struct a *, ...); struct ops { void (*fns[4])(int);
 * cb_t cb; const volatile int cv; char *restrict r; int __tag *tp; } */
static void test_functions_and_modifiers(void)
{
	struct bfmt_btf *b = new_btf();
	uint32_t i32 = add_int(b, "int", 4, true), i8 = add_int(b, "char", 1, true);
	uint32_t fa = add(b, BFMT_KIND_FWD, 0, false, "a", 0, NULL);
	uint32_t pa = add_ref(b, BFMT_KIND_PTR, "", fa);
	uint32_t cbp[] = { pa, 0 };
	uint32_t cbproto = add_proto(b, i32, cbp, 2);
	uint32_t cb_t = add_ref(b, BFMT_KIND_TYPEDEF, "cb_t",
				add_ref(b, BFMT_KIND_PTR, "", cbproto));
	uint32_t vp[] = { i32 };
	uint32_t vproto = add_proto(b, 0, vp, 1);
	uint32_t fns = add_array(b, add_ref(b, BFMT_KIND_PTR, "", vproto), i32, 4);
	uint32_t cv = add_ref(b, BFMT_KIND_CONST, "", add_ref(b, BFMT_KIND_VOLATILE, "", i32));
	uint32_t rp = add_ref(b, BFMT_KIND_RESTRICT, "", add_ref(b, BFMT_KIND_PTR, "", i8));
	uint32_t tp = add_ref(b, BFMT_KIND_PTR, "", add_ref(b, BFMT_KIND_TYPE_TAG, "user", i32));
	/* A pointer to a function returning a pointer to an array of 3 ints. */
	uint32_t arr3 = add_array(b, i32, i32, 3);
	uint32_t rproto = add_proto(b, add_ref(b, BFMT_KIND_PTR, "", arr3), NULL, 0);
	uint32_t rpp = add_ref(b, BFMT_KIND_PTR, "", rproto);
	struct mem m[] = { { "fns", fns, 0, 0 }, { "cb", cb_t, 256, 0 },
			   { "cv", cv, 320, 0 }, { "r", rp, 384, 0 }, { "tp", tp, 448, 0 },
			   { "weird", rpp, 512, 0 } };
	char *h;

	add_int(b, "long int", 8, true);
	add_comp(b, BFMT_KIND_STRUCT, "ops", 72, m, 6);
	h = print_c(b, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "typedef int (*cb_t)(struct a *, ...);"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "\tvoid (*fns[4])(int);\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "\tconst volatile int cv;\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "\tchar *restrict r;\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "\tint __BTF_TYPE_TAG(\"user\") *tp;\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "\tint (*(*weird)(void))[3];\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "struct a;\n"));
	check_compiles(h, "_Static_assert(sizeof(struct ops) == 72, \"ops\");\n"
			  "_Static_assert(sizeof(cb_t) == sizeof(void *), \"cb\");\n"
			  "_Static_assert(__builtin_offsetof(struct ops, weird) == 64, \"w\");\n"
			  "static int f(struct a *p, ...) { (void)p; return 0; }\n"
			  "static struct ops o = { .cb = f };\n"
			  "int g(void) { return o.cb(0) + (int)sizeof(*o.weird()); }\n");
	free(h);
	bfmt_btf__free(b);
}

/* Two different structs named dup, a typedef dup_t naming each in turn,
 * and an enum constant clashing across two enums of the same name. */
static void test_name_clashes(void)
{
	struct bfmt_btf *b = new_btf();
	uint32_t i32 = add_int(b, "int", 4, true), i64 = add_int(b, "long int", 8, true);
	struct mem m1[] = { { "x", i32, 0, 0 } }, m2[] = { { "y", i64, 0, 0 } };
	uint32_t d1 = add_comp(b, BFMT_KIND_STRUCT, "dup", 4, m1, 1);
	uint32_t d2 = add_comp(b, BFMT_KIND_STRUCT, "dup", 8, m2, 1);
	struct mem mu[] = { { "a", d1, 0, 0 }, { "b", d2, 64, 0 } };
	struct bfmt_enum *e;
	uint32_t n;
	char *h;

	add_comp(b, BFMT_KIND_STRUCT, "user", 16, mu, 2);
	add_ref(b, BFMT_KIND_TYPEDEF, "dup_t", d1);
	add_ref(b, BFMT_KIND_TYPEDEF, "dup_t", d2);
	for (int k = 0; k < 2; k++) {
		n = str(b, "CLASH");
		add(b, BFMT_KIND_ENUM, 1, false, "clash", 4, (void **)&e);
		e[0].name_off = n;
		e[0].val = (int32_t)k;
	}
	h = print_c(b, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "struct dup___2 {"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "typedef struct dup"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "dup_t___2;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "enum clash___2 {"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "CLASH___2 = "));
	check_compiles(h, "_Static_assert(sizeof(struct dup) + sizeof(struct dup___2) == 12, \"d\");\n"
			  "_Static_assert(sizeof(struct user) == 16, \"u\");\n"
			  "_Static_assert(sizeof(dup_t) + sizeof(dup_t___2) == 12, \"t\");\n"
			  "_Static_assert(CLASH + CLASH___2 == 1, \"c\");\n");
	free(h);
	bfmt_btf__free(b);
}

/* The same types added in two different id orders print the same text. */
static void test_order_independent(void)
{
	struct bfmt_btf *b1 = new_btf(), *b2 = new_btf();
	uint32_t i1 = add_int(b1, "int", 4, true);
	struct mem z1[] = { { "v", i1, 0, 0 } };
	uint32_t zz = add_comp(b1, BFMT_KIND_STRUCT, "zz", 4, z1, 1);
	struct mem a1[] = { { "z", zz, 0, 0 } };
	struct mem a2[] = { { "z", 0, 0, 0 } };
	uint32_t aa, i2, z2;
	char *h1, *h2;

	add_comp(b1, BFMT_KIND_STRUCT, "aa", 4, a1, 1);
	add_ref(b1, BFMT_KIND_TYPEDEF, "aa_t", add_ref(b1, BFMT_KIND_PTR, "", zz));
	aa = add_comp(b2, BFMT_KIND_STRUCT, "aa", 4, a2, 1);
	i2 = add_int(b2, "int", 4, true);
	add_ref(b2, BFMT_KIND_TYPEDEF, "aa_t", 5);	/* the PTR added below */
	z1[0].type = i2;
	z2 = add_comp(b2, BFMT_KIND_STRUCT, "zz", 4, z1, 1);
	set_member_type(b2, aa, 0, z2);
	CU_ASSERT_EQUAL(add_ref(b2, BFMT_KIND_PTR, "", z2), 5);
	h1 = print_c(b1, NULL);
	h2 = print_c(b2, NULL);
	CU_ASSERT_STRING_EQUAL(h1, h2);
	free(h1);
	free(h2);
	bfmt_btf__free(b1);
	bfmt_btf__free(b2);
}

/* A failing stream gives -EIO; the library printed nothing elsewhere. */
static void test_io_error(void)
{
	struct bfmt_btf *b = build_cycle();
	FILE *f = fopen("/dev/full", "w");

	if (f) {
		CU_ASSERT_EQUAL(btfp_c__print(b, f, NULL), -EIO);
		fclose(f);
	}
	bfmt_btf__free(b);
}

/* Cycles C cannot spell (an anonymous struct reaching itself through a
 * pointer, a prototype taking a pointer to itself) end, printing void. */
static void test_hostile_cycles(void)
{
	struct bfmt_btf *b = new_btf();
	struct mem m[] = { { "self", 0, 0, 0 } };
	uint32_t anon = add_comp(b, BFMT_KIND_STRUCT, "", 8, m, 1);
	uint32_t p = add_ref(b, BFMT_KIND_PTR, "", anon);
	uint32_t params[] = { 0 };
	uint32_t proto = add_proto(b, 0, params, 1);
	uint32_t pp = add_ref(b, BFMT_KIND_PTR, "", proto);
	char *h;

	set_member_type(b, anon, 0, p);
	((struct bfmt_param *)bfmt_type_extra(bfmt_btf__type(b, proto)))[0].type = pp;
	add_ref(b, BFMT_KIND_TYPEDEF, "anon_t", anon);
	add_ref(b, BFMT_KIND_TYPEDEF, "fn_t", pp);
	h = print_c(b, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "typedef struct {\n\tvoid *self;\n} anon_t;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "typedef void (*fn_t)(void *);"));
	free(h);
	bfmt_btf__free(b);
}

/*
 * A typedef of a function pointer whose prototype's three parameters each
 * point to the prototype one level down, 40 levels deep: C spells the
 * whole tree (3^40 prototypes). The printer stops at its expansion bound
 * with -E2BIG (not -ENOMEM: nothing failed to allocate), at once.
 */
static void test_exponential_prototypes(void)
{
	struct bfmt_btf *b = new_btf();
	uint32_t i = add_int(b, "int", 4, true);
	uint32_t ptr = add_ref(b, BFMT_KIND_PTR, "", add_proto(b, i, NULL, 0));
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int level;

	for (level = 0; level < 40; level++) {
		uint32_t params[3] = { ptr, ptr, ptr };

		ptr = add_ref(b, BFMT_KIND_PTR, "", add_proto(b, i, params, 3));
	}
	add_ref(b, BFMT_KIND_TYPEDEF, "cb_t", ptr);
	f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(btfp_c__print(b, f, NULL), -E2BIG);
	fclose(f);
	free(buf);
	bfmt_btf__free(b);
}

static const struct unit_test btf_c_tests[] = {
	{ "cycle_forward_declarations", test_cycle },
	{ "anonymous_nested", test_anon },
	{ "bitfields", test_bitfields },
	{ "packed_aligned", test_packed_aligned },
	{ "enums", test_enums },
	{ "functions_and_modifiers", test_functions_and_modifiers },
	{ "name_clashes", test_name_clashes },
	{ "order_independent", test_order_independent },
	{ "io_error", test_io_error },
	{ "hostile_cycles", test_hostile_cycles },
	{ "exponential_prototypes", test_exponential_prototypes },
	{ NULL, NULL },
};

int register_btf_c_suite(void)
{
	return unit_add_suite("btf_c", btf_c_tests);
}
