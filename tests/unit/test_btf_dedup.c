// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "btf_dedup": btfd_dedup() on hand-built graphs with the expected
 * output written out, then properties on random graphs (concatenated
 * permuted copies come back to one copy, output equivalent to input, fixed
 * point, never bigger than libbpf's), deep inputs on the default stack, and
 * the running kernel's BTF.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btf_encoder/btf_dedup.h"
#include "btf_gen.h"
#include "dedup_props.h"
#include "btf_loader/btf_loader.h"
#include "btf_graph_eq.h"
#include "tests.h"
#include "unit_build.h"
#include "tests/tools/kcheck.h"

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>
#endif

/* Building. */

static uint32_t add_int(struct bfmt_btf *b, const char *name, uint32_t size)
{
	uint32_t *ex, id = unit_btf_add(b, BFMT_KIND_INT, 0, false, name, size, (void **)&ex);

	*ex = bfmt_int_info(BFMT_INT_SIGNED, 0, size * 8);
	return id;
}

static uint32_t add_ref(struct bfmt_btf *b, enum bfmt_kind k, const char *name, uint32_t to)
{
	return unit_btf_add(b, k, 0, false, name, to, NULL);
}

struct mem {
	const char *name;
	uint32_t type;
	uint32_t bit_off;
};

/* A struct or union whose members are filled in now or later (set_member). */
static uint32_t add_comp(struct bfmt_btf *b, enum bfmt_kind k, const char *name,
			 uint32_t size, uint32_t n, const struct mem *m)
{
	uint32_t id = unit_btf_add(b, k, n, false, name, size, NULL), i;

	for (i = 0; m && i < n; i++) {
		uint32_t off = unit_btf_str(b, m[i].name);
		struct bfmt_member *bm = bfmt_type_extra(bfmt_btf__type(b, id));

		bm[i] = (struct bfmt_member){ off, m[i].type, m[i].bit_off };
	}
	return id;
}

static void set_member_type(struct bfmt_btf *b, uint32_t id, uint32_t i, uint32_t type)
{
	((struct bfmt_member *)bfmt_type_extra(bfmt_btf__type(b, id)))[i].type = type;
}

static uint32_t add_enum(struct bfmt_btf *b, bool is64, const char *name, uint32_t n,
			 const char *const *names, const int64_t *vals)
{
	void *ex;
	uint32_t id = unit_btf_add(b, is64 ? BFMT_KIND_ENUM64 : BFMT_KIND_ENUM, n, false, name,
			  is64 ? 8 : 4, &ex), i;

	for (i = 0; i < n; i++) {
		uint32_t off = unit_btf_str(b, names[i]);

		ex = bfmt_type_extra(bfmt_btf__type(b, id));
		if (is64)
			((struct bfmt_enum64 *)ex)[i] = (struct bfmt_enum64){
				off, (uint32_t)vals[i], (uint32_t)((uint64_t)vals[i] >> 32) };
		else
			((struct bfmt_enum *)ex)[i] = (struct bfmt_enum){ off, (int32_t)vals[i] };
	}
	return id;
}

static uint32_t add_proto(struct bfmt_btf *b, uint32_t ret, uint32_t n, const struct mem *p)
{
	uint32_t id = unit_btf_add(b, BFMT_KIND_FUNC_PROTO, n, false, NULL, ret, NULL), i;

	for (i = 0; i < n; i++) {
		uint32_t off = unit_btf_str(b, p[i].name);

		((struct bfmt_param *)bfmt_type_extra(bfmt_btf__type(b, id)))[i] =
			(struct bfmt_param){ off, p[i].type };
	}
	return id;
}

static uint32_t add_array(struct bfmt_btf *b, uint32_t elem, uint32_t index, uint32_t n)
{
	struct bfmt_array *a;
	uint32_t id = unit_btf_add(b, BFMT_KIND_ARRAY, 0, false, NULL, 0, (void **)&a);

	*a = (struct bfmt_array){ elem, index, n };
	return id;
}

static uint32_t add_decl_tag(struct bfmt_btf *b, const char *name, uint32_t to, int32_t comp)
{
	struct bfmt_decl_tag *d;
	uint32_t id = unit_btf_add(b, BFMT_KIND_DECL_TAG, 0, false, name, to, (void **)&d);

	d->component_idx = comp;
	return id;
}

/* Describing: one line per type, the expected outputs are written this way. */

static void put(char **p, size_t *left, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void put(char **p, size_t *left, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*p, *left, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= *left)
		n = (int)*left - 1;
	*p += n;
	*left -= (size_t)n;
}

static void describe_extra(const struct bfmt_btf *b, const struct bfmt_type *t,
			   char **p, size_t *left)
{
	uint32_t i, n = bfmt_vlen(t);
	const void *ex = bfmt_type_extra(t);

	switch (bfmt_kind(t)) {
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		put(p, left, " size=%u", t->size_type);
		for (i = 0; i < n; i++) {
			const struct bfmt_member *m = &((const struct bfmt_member *)ex)[i];

			put(p, left, " %s:%u@%u", bfmt_btf__str(b, m->name_off), m->type, m->offset);
		}
		break;
	case BFMT_KIND_ENUM:
		for (i = 0; i < n; i++)
			put(p, left, " %s=%d", bfmt_btf__str(b, ((const struct bfmt_enum *)ex)[i].name_off),
			    ((const struct bfmt_enum *)ex)[i].val);
		break;
	case BFMT_KIND_ENUM64:
		for (i = 0; i < n; i++)
			put(p, left, " %s=%u", bfmt_btf__str(b, ((const struct bfmt_enum64 *)ex)[i].name_off),
			    ((const struct bfmt_enum64 *)ex)[i].val_lo32);
		break;
	case BFMT_KIND_ARRAY: {
		const struct bfmt_array *a = ex;

		put(p, left, " %u[%u] idx=%u", a->type, a->nelems, a->index_type);
		break;
	}
	case BFMT_KIND_FUNC_PROTO:
		put(p, left, " ret=%u", t->size_type);
		for (i = 0; i < n; i++)
			put(p, left, " %s:%u", bfmt_btf__str(b, ((const struct bfmt_param *)ex)[i].name_off),
			    ((const struct bfmt_param *)ex)[i].type);
		break;
	case BFMT_KIND_DATASEC:
		for (i = 0; i < n; i++)
			put(p, left, " %u@%u+%u", ((const struct bfmt_var_secinfo *)ex)[i].type,
			    ((const struct bfmt_var_secinfo *)ex)[i].offset,
			    ((const struct bfmt_var_secinfo *)ex)[i].size);
		break;
	case BFMT_KIND_DECL_TAG:
		put(p, left, " ->%u comp=%d", t->size_type,
		    ((const struct bfmt_decl_tag *)ex)->component_idx);
		break;
	case BFMT_KIND_FWD:
		put(p, left, bfmt_kflag(t) ? " union" : " struct");
		break;
	case BFMT_KIND_INT:
	case BFMT_KIND_FLOAT:
		put(p, left, " size=%u", t->size_type);
		break;
	default:
		put(p, left, " ->%u", t->size_type);
		break;
	}
}

/* "[id] KIND name ..." lines for the split part of b (malloc'd). */
static char *describe(const struct bfmt_btf *b)
{
	size_t cap = 1 << 16, left = cap;
	char *buf = malloc(cap), *p = buf;
	uint32_t id;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	*p = 0;
	for (id = b->start_id; id < bfmt_btf__nr_types(b); id++) {
		const struct bfmt_type *t = bfmt_btf__type(b, id);
		const char *name = bfmt_btf__str(b, t->name_off);

		put(&p, &left, "[%u] %s %s", id, bfmt_kind_name(bfmt_kind(t)),
		    name && *name ? name : "(anon)");
		describe_extra(b, t, &p, &left);
		put(&p, &left, "\n");
	}
	return buf;
}

/* Checking. */

static void *blob(const struct bfmt_btf *b, size_t *len)
{
	void *data = NULL;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(b, false, &data, len), 0);
	return data;
}

/* a and b serialize to the same bytes. */
static bool same_bytes(const struct bfmt_btf *a, const struct bfmt_btf *b)
{
	size_t la, lb;
	void *da = blob(a, &la), *db = blob(b, &lb);
	bool same = la == lb && !memcmp(da, db, la);

	free(da);
	free(db);
	return same;
}

/* Deduplicating b again changes no byte. */
static void check_fixed_point(struct bfmt_btf *b)
{
	size_t l1, l2;
	void *d1 = blob(b, &l1), *d2;

	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, NULL), 0);
	d2 = blob(b, &l2);
	CU_ASSERT_EQUAL(l1, l2);
	CU_ASSERT(l1 == l2 && !memcmp(d1, d2, l1));
	free(d1);
	free(d2);
}

/* The kernel accepts the output (when it can be asked). */
static void check_kernel(const struct bfmt_btf *b)
{
	char log[4096] = "";
	size_t len;
	void *d;
	int rc;

	if (b->base)
		return;
	d = blob(b, &len);
	rc = kcheck_btf(d, len, log, sizeof(log));
	if (rc == KCHECK_REJECTED)
		fprintf(stderr, "\nkernel rejected deduplicated BTF:\n%s\n", log);
	CU_ASSERT(rc == KCHECK_ACCEPTED || rc == KCHECK_UNAVAILABLE);
	free(d);
}

/* Dedup b and compare with the expected description; then the fixed point. */
static void dedup_expect(struct bfmt_btf *b, const char *expect)
{
	char *got;

	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, NULL), 0);
	got = describe(b);
	if (strcmp(got, expect))
		fprintf(stderr, "\nexpected:\n%sgot:\n%s", expect, got);
	CU_ASSERT_STRING_EQUAL(got, expect);
	free(got);
	check_fixed_point(b);
	check_kernel(b);
}

/* Hand-built graphs. */

/* struct list { struct list *next; } plus int, float: one unit in order,
 * one with the pointer first; both come back to one copy. */
static void test_list_cycle(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i1, l1, p2, l2;

	i1 = add_int(b, "int", 4);
	l1 = add_comp(b, BFMT_KIND_STRUCT, "list", 8, 1, (struct mem[]){ { "next", 0, 0 } });
	set_member_type(b, l1, 0, add_ref(b, BFMT_KIND_PTR, NULL, l1));
	unit_btf_add(b, BFMT_KIND_FLOAT, 0, false, "float", 4, NULL);
	p2 = add_ref(b, BFMT_KIND_PTR, NULL, 0);
	unit_btf_add(b, BFMT_KIND_FLOAT, 0, false, "float", 4, NULL);
	l2 = add_comp(b, BFMT_KIND_STRUCT, "list", 8, 1, (struct mem[]){ { "next", p2, 0 } });
	bfmt_btf__type(b, p2)->size_type = l2;
	add_int(b, "int", 4);
	(void)i1;
	dedup_expect(b, "[1] INT int size=4\n"
			"[2] STRUCT list size=8 next:3@0\n"
			"[3] PTR (anon) ->2\n"
			"[4] FLOAT float size=4\n");
	bfmt_btf__free(b);
}

/* The worked example of btfe_dedup.c: a FWD in one unit, the full struct in
 * the other (ids 1-12, holder last). */
static struct bfmt_btf *worked_example(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i, l, f, p, t;

	i = add_int(b, "int", 4);
	l = add_comp(b, BFMT_KIND_STRUCT, "list", 8, 1, (struct mem[]){ { "next", 0, 0 } });
	set_member_type(b, l, 0, add_ref(b, BFMT_KIND_PTR, NULL, l));
	f = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "task", 0, NULL);
	p = add_ref(b, BFMT_KIND_PTR, NULL, f);
	add_comp(b, BFMT_KIND_STRUCT, "holder", 16, 2,
		 (struct mem[]){ { "l", l, 0 }, { "t", p, 64 } });
	i = add_int(b, "int", 4);
	p = add_ref(b, BFMT_KIND_PTR, NULL, 0);
	l = add_comp(b, BFMT_KIND_STRUCT, "list", 8, 1, (struct mem[]){ { "next", p, 0 } });
	bfmt_btf__type(b, p)->size_type = l;
	t = add_comp(b, BFMT_KIND_STRUCT, "task", 4, 1, (struct mem[]){ { "pid", i, 0 } });
	p = add_ref(b, BFMT_KIND_PTR, NULL, t);
	add_comp(b, BFMT_KIND_STRUCT, "holder", 16, 2, (struct mem[]){ { "l", l, 0 }, { "t", p, 64 } });
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(b), 13);
	return b;
}

/* The holders that differ only by the FWD merge. */
static void test_fwd_vs_full(void)
{
	struct bfmt_btf *b = worked_example();

	dedup_expect(b, "[1] INT int size=4\n"
			"[2] STRUCT list size=8 next:3@0\n"
			"[3] PTR (anon) ->2\n"
			"[4] PTR (anon) ->6\n"
			"[5] STRUCT holder size=16 l:2@0 t:4@64\n"
			"[6] STRUCT task size=4 pid:1@0\n");
	bfmt_btf__free(b);
}

/* A base of 1 int, 2 struct s { int a; struct s *next; }, 3 its pointer. */
static struct bfmt_btf *split_example_base(void)
{
	struct bfmt_btf *base = unit_btf_new(NULL);
	uint32_t i, s;

	i = add_int(base, "int", 4);
	s = add_comp(base, BFMT_KIND_STRUCT, "s", 16, 2, (struct mem[]){ { "a", i, 0 }, { "next", 0, 64 } });
	set_member_type(base, s, 1, add_ref(base, BFMT_KIND_PTR, NULL, s));
	return base;
}

/* A module on it (on split_example_base(): ids 4-10): the same three
 * again, mod (to 4), a FWD s and a pointer to it (to 2 and 3), mod2 (to
 * 5). */
static struct bfmt_btf *split_example(const struct bfmt_btf *base)
{
	struct bfmt_btf *b = unit_btf_new(base);
	uint32_t i, s, p, f;

	i = add_int(b, "int", 4);
	p = add_ref(b, BFMT_KIND_PTR, NULL, 0);
	s = add_comp(b, BFMT_KIND_STRUCT, "s", 16, 2, (struct mem[]){ { "a", i, 0 }, { "next", p, 64 } });
	bfmt_btf__type(b, p)->size_type = s;
	add_comp(b, BFMT_KIND_STRUCT, "mod", 8, 1, (struct mem[]){ { "p", p, 0 } });
	f = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "s", 0, NULL);
	p = add_ref(b, BFMT_KIND_PTR, NULL, f);
	add_comp(b, BFMT_KIND_STRUCT, "mod2", 8, 1, (struct mem[]){ { "q", p, 0 } });
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(b), bfmt_btf__nr_types(base) + 7);
	return b;
}

/* btfd_opts.map_ret: every input id's output id, over all passes (the
 * worked example needs two: its FWD resolves after the first), and a
 * split table's base ids as they are. */
static void test_map(void)
{
	static const uint32_t want[] = { 0, 1, 2, 3, 6, 4, 5, 1, 3, 2, 6, 4, 5 };
	static const uint32_t want_split[] = { 0, 1, 2, 3, 1, 3, 2, 4, 2, 3, 5 };
	struct bfmt_btf *b = worked_example(), *base, *sb;
	uint32_t i, *map = NULL;
	struct btfd_opts o = { .map_ret = &map };

	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, &o), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	for (i = 0; i < 13; i++)
		CU_ASSERT_EQUAL(map[i], want[i]);
	free(map);
	bfmt_btf__free(b);

	/* Split (split_example()): base ids stay. */
	base = split_example_base();
	sb = split_example(base);
	map = NULL;
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(sb, &o), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	for (i = 0; i < 11; i++)
		CU_ASSERT_EQUAL(map[i], want_split[i]);
	free(map);
	bfmt_btf__free(sb);
	bfmt_btf__free(base);
}

/* Same name, one member differs: two structs. An ambiguous FWD stays; an
 * unambiguous union FWD resolves. */
static void test_same_name_differs(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i = add_int(b, "int", 4), f = unit_btf_add(b, BFMT_KIND_FLOAT, 0, false, "float", 4, NULL);
	uint32_t fwd, u;

	add_comp(b, BFMT_KIND_STRUCT, "s", 8, 2, (struct mem[]){ { "a", i, 0 }, { "b", i, 32 } });
	fwd = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "s", 0, NULL);
	add_ref(b, BFMT_KIND_PTR, NULL, fwd);
	add_int(b, "int", 4);
	add_comp(b, BFMT_KIND_STRUCT, "s", 8, 2, (struct mem[]){ { "a", i, 0 }, { "b", f, 32 } });
	fwd = unit_btf_add(b, BFMT_KIND_FWD, 0, true, "u", 0, NULL);
	add_ref(b, BFMT_KIND_PTR, NULL, fwd);
	u = add_comp(b, BFMT_KIND_UNION, "u", 4, 1, (struct mem[]){ { "x", i, 0 } });
	add_ref(b, BFMT_KIND_PTR, NULL, u);
	dedup_expect(b, "[1] INT int size=4\n"
			"[2] FLOAT float size=4\n"
			"[3] STRUCT s size=8 a:1@0 b:1@32\n"
			"[4] FWD s struct\n"
			"[5] PTR (anon) ->4\n"
			"[6] STRUCT s size=8 a:1@0 b:2@32\n"
			"[7] PTR (anon) ->8\n"
			"[8] UNION u size=4 x:1@0\n");
	bfmt_btf__free(b);
}

/* struct outer { struct { int x; } a; union { int y; char z; } u; } */
static void add_outer(struct bfmt_btf *b)
{
	uint32_t i = add_int(b, "int", 4), c = add_int(b, "char", 1), s, u;

	s = add_comp(b, BFMT_KIND_STRUCT, NULL, 4, 1, (struct mem[]){ { "x", i, 0 } });
	u = add_comp(b, BFMT_KIND_UNION, NULL, 4, 2, (struct mem[]){ { "y", i, 0 }, { "z", c, 0 } });
	add_comp(b, BFMT_KIND_STRUCT, "outer", 8, 2, (struct mem[]){ { "a", s, 0 }, { "u", u, 32 } });
}

static void test_anonymous_nested(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL);

	add_outer(b);
	add_outer(b);
	/* An anonymous struct that differs (x is a char) stays apart. */
	add_comp(b, BFMT_KIND_STRUCT, NULL, 1, 1, (struct mem[]){ { "x", 7, 0 } });
	dedup_expect(b, "[1] INT int size=4\n"
			"[2] INT char size=1\n"
			"[3] STRUCT (anon) size=4 x:1@0\n"
			"[4] UNION (anon) size=4 y:1@0 z:2@0\n"
			"[5] STRUCT outer size=8 a:3@0 u:4@32\n"
			"[6] STRUCT (anon) size=1 x:2@0\n");
	bfmt_btf__free(b);
}

/* Arrays of structs, typedef chains, modifiers, a prototype and a FUNC; the
 * second copy has its ids permuted. */
static void test_refs_permuted(void)
{
	struct bfmt_btf *u = unit_btf_new(NULL), *b = unit_btf_new(NULL);
	uint32_t i, s, a, t1, t2, c, p, fp;
	uint32_t perm[] = { 9, 3, 7, 1, 5, 8, 2, 6, 4 };

	i = add_int(u, "int", 4);
	s = add_comp(u, BFMT_KIND_STRUCT, "pt", 8, 2, (struct mem[]){ { "x", i, 0 }, { "y", i, 32 } });
	a = add_array(u, s, i, 4);
	t1 = add_ref(u, BFMT_KIND_TYPEDEF, "pt_t", s);
	t2 = add_ref(u, BFMT_KIND_TYPEDEF, "pt2_t", t1);
	c = add_ref(u, BFMT_KIND_CONST, NULL, t2);
	p = add_ref(u, BFMT_KIND_PTR, NULL, c);
	fp = add_proto(u, i, 2, (struct mem[]){ { "p", p, 0 }, { "n", i, 0 } });
	unit_btf_add(u, BFMT_KIND_FUNC, BFMT_LINKAGE_GLOBAL, false, "draw", fp, NULL);
	(void)a;
	CU_ASSERT_EQUAL_FATAL(btf_gen_append(b, u, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(btf_gen_append(b, u, perm), 0);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(b), 19);
	dedup_expect(b, "[1] INT int size=4\n"
			"[2] STRUCT pt size=8 x:1@0 y:1@32\n"
			"[3] ARRAY (anon) 2[4] idx=1\n"
			"[4] TYPEDEF pt_t ->2\n"
			"[5] TYPEDEF pt2_t ->4\n"
			"[6] CONST (anon) ->5\n"
			"[7] PTR (anon) ->6\n"
			"[8] FUNC_PROTO (anon) ret=1 p:7 n:1\n"
			"[9] FUNC draw ->8\n");
	bfmt_btf__free(u);
	bfmt_btf__free(b);
}

/* Enum forward declarations resolve to a full ENUM or ENUM64 of their name
 * (the first of several, as libbpf does); full ENUM and ENUM64 stay distinct
 * kinds. */
static void test_enums(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	const char *const a[] = { "A" }, *const pn[] = { "P" }, *const qn[] = { "Q" };
	const int64_t one[] = { 1 }, two[] = { 2 };
	uint32_t fwd;

	fwd = unit_btf_add(b, BFMT_KIND_ENUM, 0, false, "e", 4, NULL);
	add_ref(b, BFMT_KIND_PTR, NULL, fwd);
	add_ref(b, BFMT_KIND_PTR, NULL, add_enum(b, true, "e", 1, a, one));
	add_enum(b, false, "x", 1, a, one);
	add_enum(b, true, "x", 1, a, one);
	unit_btf_add(b, BFMT_KIND_ENUM, 0, false, "amb", 4, NULL);
	add_enum(b, false, "amb", 1, pn, one);
	add_enum(b, false, "amb", 1, qn, two);
	unit_btf_add(b, BFMT_KIND_ENUM, 0, false, "e", 4, NULL);
	add_enum(b, false, "x", 1, a, one);
	dedup_expect(b, "[1] PTR (anon) ->2\n"
			"[2] ENUM64 e A=1\n"
			"[3] ENUM x A=1\n"
			"[4] ENUM64 x A=1\n"
			"[5] ENUM amb P=1\n"
			"[6] ENUM amb Q=2\n");
	bfmt_btf__free(b);
}

/* DECL_TAGs merge by name, target and component. */
static void test_decl_tags(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i = add_int(b, "int", 4), s1, s2;

	s1 = add_comp(b, BFMT_KIND_STRUCT, "s", 4, 1, (struct mem[]){ { "a", i, 0 } });
	add_decl_tag(b, "t", s1, -1);
	add_decl_tag(b, "t", s1, 0);
	s2 = add_comp(b, BFMT_KIND_STRUCT, "s", 4, 1, (struct mem[]){ { "a", i, 0 } });
	add_decl_tag(b, "t", s2, 0);
	add_decl_tag(b, "t", s2, -1);
	add_decl_tag(b, "u", s2, -1);
	dedup_expect(b, "[1] INT int size=4\n"
			"[2] STRUCT s size=4 a:1@0\n"
			"[3] DECL_TAG t ->2 comp=-1\n"
			"[4] DECL_TAG t ->2 comp=0\n"
			"[5] DECL_TAG u ->2 comp=-1\n");
	bfmt_btf__free(b);
}

static uint32_t add_var(struct bfmt_btf *b, const char *name, uint32_t type)
{
	struct bfmt_var *v;
	uint32_t id = unit_btf_add(b, BFMT_KIND_VAR, 0, false, name, type, (void **)&v);

	v->linkage = BFMT_LINKAGE_GLOBAL;
	return id;
}

static void add_datasec(struct bfmt_btf *b, const char *name, uint32_t n, const uint32_t *vars)
{
	struct bfmt_var_secinfo *si;
	uint32_t id = unit_btf_add(b, BFMT_KIND_DATASEC, n, false, name, 4 * n, NULL), k;

	si = bfmt_type_extra(bfmt_btf__type(b, id));
	for (k = 0; k < n; k++)
		si[k] = (struct bfmt_var_secinfo){ vars[k], 4 * k, 4 };
}

/* FUNC, VAR and DATASEC references are rewritten; identical ones merge. */
static void test_func_var_datasec(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i, fp, v[2], w, i2;

	i = add_int(b, "int", 4);
	fp = add_proto(b, i, 1, (struct mem[]){ { "x", i, 0 } });
	unit_btf_add(b, BFMT_KIND_FUNC, BFMT_LINKAGE_GLOBAL, false, "f", fp, NULL);
	v[0] = add_var(b, "v", i);
	v[1] = add_var(b, "w", i);
	add_datasec(b, ".data", 2, v);
	w = add_var(b, "w", 0);
	i2 = add_int(b, "int", 4);
	bfmt_btf__type(b, w)->size_type = i2;
	add_datasec(b, ".bss", 1, &w);
	fp = add_proto(b, i2, 1, (struct mem[]){ { "x", i2, 0 } });
	unit_btf_add(b, BFMT_KIND_FUNC, BFMT_LINKAGE_GLOBAL, false, "f", fp, NULL);
	dedup_expect(b, "[1] INT int size=4\n"
			"[2] FUNC_PROTO (anon) ret=1 x:1\n"
			"[3] FUNC f ->2\n"
			"[4] VAR v ->1\n"
			"[5] VAR w ->1\n"
			"[6] DATASEC .data 4@0+4 5@4+4\n"
			"[7] DATASEC .bss 5@0+4\n");
	bfmt_btf__free(b);
}

/* Split BTF: module types equal to base types become base ids, a module FWD
 * resolves to the base struct, the base is untouched. */
static void test_split(void)
{
	struct bfmt_btf *base = split_example_base(), *b;
	size_t l1, l2;
	void *d1, *d2;

	d1 = blob(base, &l1);
	b = split_example(base);
	dedup_expect(b, "[4] STRUCT mod size=8 p:3@0\n"
			"[5] STRUCT mod2 size=8 q:3@0\n");
	d2 = blob(base, &l2);
	CU_ASSERT(l1 == l2 && !memcmp(d1, d2, l1));
	CU_ASSERT_EQUAL(b->start_str_off, (uint32_t)base->strs.len);
	free(d1);
	free(d2);
	bfmt_btf__free(b);
	bfmt_btf__free(base);
}

/* Split types: struct s5, a FWD s5, a pointer to the FWD, a user of it. */
static void add_split_s5(struct bfmt_btf *b)
{
	uint32_t f, p;

	add_comp(b, BFMT_KIND_STRUCT, "s5", 4, 1, (struct mem[]){ { "a", 1, 0 } });
	f = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "s5", 0, NULL);
	p = add_ref(b, BFMT_KIND_PTR, NULL, f);
	add_comp(b, BFMT_KIND_STRUCT, "user", 8, 1, (struct mem[]){ { "p", p, 0 } });
}

/* A split FWD equal to a FWD of the base resolves to the split's definition,
 * whether or not the split types come with copies (the copies once made a
 * quotient by structure first, which merged the FWD into the base's). */
static void test_split_fwd_like_base_fwd(void)
{
	static const char expect[] = "[3] STRUCT s5 size=4 a:1@0\n"
				     "[4] PTR (anon) ->3\n"
				     "[5] STRUCT user size=8 p:4@0\n";
	struct bfmt_btf *base = unit_btf_new(NULL), *one, *multi;
	char *got;
	int k;

	add_int(base, "int", 4);
	unit_btf_add(base, BFMT_KIND_FWD, 0, false, "s5", 0, NULL);
	one = unit_btf_new(base);
	multi = unit_btf_new(base);
	add_split_s5(one);
	for (k = 0; k < 3; k++)
		add_split_s5(multi);
	dedup_expect(one, expect);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(multi, NULL), 0);
	got = describe(multi);
	if (strcmp(got, expect))
		fprintf(stderr, "\nexpected:\n%sgot:\n%s", expect, got);
	CU_ASSERT_STRING_EQUAL(got, expect);
	free(got);
	CU_ASSERT(same_bytes(one, multi));
	bfmt_btf__free(multi);
	bfmt_btf__free(one);
	bfmt_btf__free(base);
}

/* The debug lines of a deduplication, joined. */
struct summary {
	char text[2048];
	size_t len;
};

static void keep_summary(void *ctx, enum diag_level level, const char *msg)
{
	struct summary *sm = ctx;
	int n;

	(void)level;
	n = snprintf(sm->text + sm->len, sizeof(sm->text) - sm->len, "%s\n", msg);
	if (n > 0 && (size_t)n < sizeof(sm->text) - sm->len)
		sm->len += (size_t)n;
}

/* A base: int, struct s { int a; struct s *next; }, and `extra` more
 * copies of struct s and its pointer (equal types: not deduplicated). */
static struct bfmt_btf *base_with_copies(int extra)
{
	struct bfmt_btf *base = unit_btf_new(NULL);
	uint32_t i = add_int(base, "int", 4), s;
	int k;

	for (k = 0; k <= extra; k++) {
		s = add_comp(base, BFMT_KIND_STRUCT, "s", 16, 2,
			     (struct mem[]){ { "a", i, 0 }, { "next", 0, 64 } });
		set_member_type(base, s, 1, add_ref(base, BFMT_KIND_PTR, NULL, s));
	}
	return base;
}

/* Split types on it: a copy of s, users of s, of a FWD s, and of a struct
 * the base does not have. */
static struct bfmt_btf *split_on(const struct bfmt_btf *base)
{
	struct bfmt_btf *b = split_example(base);
	uint32_t s;

	s = add_comp(b, BFMT_KIND_STRUCT, "own", 8, 1, (struct mem[]){ { "me", 0, 0 } });
	set_member_type(b, s, 0, add_ref(b, BFMT_KIND_PTR, NULL, s));
	return b;
}

/*
 * Split BTF on a base with no two equal types is deduplicated without
 * refining the base (btfe_dedup_split.c; the summary says so); on a base
 * with equal types the proof fails and the whole graph is refined. Either
 * way the bytes are those of refining the whole base (opts.refine_base).
 */
static void test_split_base_proof(void)
{
	for (int extra = 0; extra <= 1; extra++) {
		struct summary sm = { .len = 0 };
		struct diag dg = { keep_summary, &sm, DIAG_DEBUG };
		struct btfd_opts o = { .diag = &dg }, whole = { .refine_base = true };
		struct btfd_opts coll = { .force_collisions = true };
		struct bfmt_btf *base = base_with_copies(extra);
		struct bfmt_btf *a = split_on(base), *b = split_on(base), *c = split_on(base);
		bool shortcut;

		CU_ASSERT_EQUAL_FATAL(btfd_dedup(a, &o), 0);
		CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, &whole), 0);
		CU_ASSERT_EQUAL_FATAL(btfd_dedup(c, &coll), 0);
		CU_ASSERT(same_bytes(a, b));
		CU_ASSERT(same_bytes(a, c));
		shortcut = strstr(sm.text, "base not refined") != NULL;
		CU_ASSERT_EQUAL(shortcut, extra == 0);
		/* mod, mod2 and own with its pointer are left */
		CU_ASSERT_EQUAL(bfmt_btf__nr_types(a) - a->start_id, 4);
		bfmt_btf__free(a);
		bfmt_btf__free(b);
		bfmt_btf__free(c);
		bfmt_btf__free(base);
	}
}

/*
 * A split chain of 40 structs "list", each like the base's self-referring
 * list { list *next; int a; } down to the last, whose a is a char: deeper
 * than the rounds look, so the upper ones hash like the base's list and are
 * paired with it until the last one's difference reaches them through the
 * chain (btfe_dedup_split.c, step 4). None of them is the base's list.
 */
static struct bfmt_btf *deep_split(const struct bfmt_btf *base)
{
	struct bfmt_btf *t = unit_btf_new(base);
	uint32_t i = add_int(t, "int", 4), c = add_int(t, "char", 1), s = 0, k, prev = 0;

	for (k = 0; k < 40; k++) {
		uint32_t p = add_ref(t, BFMT_KIND_PTR, NULL, 0);

		s = add_comp(t, BFMT_KIND_STRUCT, "list", 16, 2,
			     (struct mem[]){ { "next", p, 0 }, { "a", k == 39 ? c : i, 64 } });
		if (prev)
			bfmt_btf__type(t, prev)->size_type = s;
		prev = p;
	}
	bfmt_btf__type(t, prev)->size_type = s;
	return t;
}

static void test_split_deep_difference(void)
{
	struct bfmt_btf *base = unit_btf_new(NULL), *a, *b;
	struct btfd_opts whole = { .refine_base = true };
	uint32_t i, s;

	i = add_int(base, "int", 4);
	s = add_comp(base, BFMT_KIND_STRUCT, "list", 16, 2,
		     (struct mem[]){ { "next", 0, 0 }, { "a", i, 64 } });
	set_member_type(base, s, 0, add_ref(base, BFMT_KIND_PTR, NULL, s));
	a = deep_split(base);
	b = deep_split(base);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(a, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, &whole), 0);
	CU_ASSERT(same_bytes(a, b));
	/* char, 40 lists, 39 pointers (the last two both point to the last) */
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(a) - a->start_id, 80);
	bfmt_btf__free(a);
	bfmt_btf__free(b);
	bfmt_btf__free(base);
}

/* Malformed tables fail with -EINVAL and are left as they were. */
static void test_malformed(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i = add_int(b, "int", 4), p = add_ref(b, BFMT_KIND_PTR, NULL, i);
	size_t l1, l2;
	void *d1, *d2;

	bfmt_btf__type(b, p)->size_type = 99;
	d1 = blob(b, &l1);
	CU_ASSERT_EQUAL(btfd_dedup(b, NULL), -EINVAL);
	d2 = blob(b, &l2);
	CU_ASSERT(l1 == l2 && !memcmp(d1, d2, l1));
	free(d2);
	bfmt_btf__type(b, p)->size_type = i;
	bfmt_btf__type(b, i)->name_off = 1u << 20;
	CU_ASSERT_EQUAL(btfd_dedup(b, NULL), -EINVAL);
	free(d1);
	bfmt_btf__free(b);
	/* An empty table is fine and stays empty. */
	b = unit_btf_new(NULL);
	CU_ASSERT_EQUAL(btfd_dedup(b, NULL), 0);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(b), 1);
	bfmt_btf__free(b);
}

/* Properties on random graphs. */

static struct bfmt_btf *clone(const struct bfmt_btf *src)
{
	struct bfmt_btf *b = unit_btf_new(NULL);

	CU_ASSERT_EQUAL_FATAL(btf_gen_append(b, src, NULL), 0);
	return b;
}

/* g, then `copies` copies of it in orders drawn from rng. */
static struct bfmt_btf *with_copies(const struct bfmt_btf *g, uint32_t copies,
				    struct btf_rng *rng)
{
	struct bfmt_btf *b = clone(g);
	uint32_t n = (uint32_t)g->offs.len, *perm = malloc((n + 1) * sizeof(*perm)), k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(perm);
	for (k = 0; k < copies; k++) {
		btf_gen_perm(rng, perm, n);
		CU_ASSERT_EQUAL_FATAL(btf_gen_append(b, g, perm), 0);
	}
	free(perm);
	return b;
}

/* libbpf's btf__dedup on the same input must not beat ours. */
static void check_libbpf(const struct bfmt_btf *input, const struct bfmt_btf *ours)
{
#ifdef HAVE_LIBBPF
	size_t in_len, our_len;
	void *in = blob(input, &in_len);
	struct btf *lb = btf__new(in, (__u32)in_len);
	__u32 lb_len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(lb);
	CU_ASSERT_EQUAL_FATAL(btf__dedup(lb, NULL), 0);
	free(blob(ours, &our_len));
	CU_ASSERT(bfmt_btf__nr_types(ours) <= btf__type_cnt(lb));
	btf__raw_data(lb, &lb_len);
	CU_ASSERT(our_len <= lb_len);
	if (bfmt_btf__nr_types(ours) > btf__type_cnt(lb) || our_len > lb_len)
		fprintf(stderr, "\nlibbpf: %u types %u bytes, ours %u types %zu bytes\n",
			btf__type_cnt(lb), lb_len, bfmt_btf__nr_types(ours), our_len);
	btf__free(lb);
	free(in);
#else
	(void)input;
	(void)ours;
#endif
}

/* Context FWD resolution. */

/* How many types of kind k named name (NULL: anonymous) b has. */
static uint32_t count_named(const struct bfmt_btf *b, enum bfmt_kind k, const char *name)
{
	uint32_t id, n = 0;

	for (id = b->start_id; id < bfmt_btf__nr_types(b); id++) {
		const struct bfmt_type *t = bfmt_btf__type(b, id);
		const char *s = bfmt_btf__str(b, t->name_off);

		if (bfmt_kind(t) == k && !strcmp(s ? s : "", name ? name : ""))
			n++;
	}
	return n;
}

/* The units of the kernel reproduction (gcc -g, each file one unit):
 *   a.c: struct b; struct a { struct b *b; int x; };
 *   b.c: struct b { int y; }; struct a { struct b *b; int x; };
 *   c.c: struct b { long z; char w; };
 *   d.c: struct a; struct c { struct a *a; };
 *   e.c: struct b; struct a { struct b *b; int x; }; struct c { struct a *a; };
 */
static void add_unit_a(struct bfmt_btf *b)
{
	uint32_t f = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "b", 0, NULL);
	uint32_t p = add_ref(b, BFMT_KIND_PTR, NULL, f), i = add_int(b, "int", 4);

	add_comp(b, BFMT_KIND_STRUCT, "a", 16, 2, (struct mem[]){ { "b", p, 0 }, { "x", i, 64 } });
}

static void add_unit_b(struct bfmt_btf *b)
{
	uint32_t i = add_int(b, "int", 4), s, p;

	s = add_comp(b, BFMT_KIND_STRUCT, "b", 4, 1, (struct mem[]){ { "y", i, 0 } });
	p = add_ref(b, BFMT_KIND_PTR, NULL, s);
	add_comp(b, BFMT_KIND_STRUCT, "a", 16, 2, (struct mem[]){ { "b", p, 0 }, { "x", i, 64 } });
}

static void add_unit_c(struct bfmt_btf *b)
{
	uint32_t l = add_int(b, "long", 8), c = add_int(b, "char", 1);

	add_comp(b, BFMT_KIND_STRUCT, "b", 16, 2, (struct mem[]){ { "z", l, 0 }, { "w", c, 64 } });
}

static void add_unit_d(struct bfmt_btf *b)
{
	uint32_t f = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "a", 0, NULL);
	uint32_t p = add_ref(b, BFMT_KIND_PTR, NULL, f);

	add_comp(b, BFMT_KIND_STRUCT, "c", 8, 1, (struct mem[]){ { "a", p, 0 } });
}

static void add_unit_e(struct bfmt_btf *b)
{
	uint32_t f = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "b", 0, NULL);
	uint32_t p = add_ref(b, BFMT_KIND_PTR, NULL, f), i = add_int(b, "int", 4), a;

	a = add_comp(b, BFMT_KIND_STRUCT, "a", 16, 2, (struct mem[]){ { "b", p, 0 }, { "x", i, 64 } });
	p = add_ref(b, BFMT_KIND_PTR, NULL, a);
	add_comp(b, BFMT_KIND_STRUCT, "c", 8, 1, (struct mem[]){ { "a", p, 0 } });
}

static void check_fwd_in_context(void (*const units[5])(struct bfmt_btf *))
{
	struct bfmt_btf *b = unit_btf_new(NULL), *in;
	uint32_t k, id;

	for (k = 0; k < 5; k++)
		units[k](b);
	in = clone(b);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, NULL), 0);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "a"), 1);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "b"), 2);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "c"), 1);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_FWD, "a"), 0);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_FWD, "b"), 0);
	/* int, long, char, a, b {y}, b {z, w}, c and a pointer to each of
	 * a and b {y}. */
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(b), 10);
	/* The one struct a points at b { int y }. */
	for (id = 1; id < bfmt_btf__nr_types(b); id++) {
		const struct bfmt_type *t = bfmt_btf__type(b, id), *p, *s;

		if (bfmt_kind(t) != BFMT_KIND_STRUCT || strcmp(bfmt_btf__str(b, t->name_off), "a"))
			continue;
		p = bfmt_btf__type(b, ((struct bfmt_member *)bfmt_type_extra(t))[0].type);
		CU_ASSERT_EQUAL_FATAL(bfmt_kind(p), BFMT_KIND_PTR);
		s = bfmt_btf__type(b, p->size_type);
		CU_ASSERT_EQUAL_FATAL(bfmt_kind(s), BFMT_KIND_STRUCT);
		CU_ASSERT_EQUAL(s->size_type, 4);
	}
	CU_ASSERT(btf_graph_covers(in, b));
	CU_ASSERT(btf_graph_minimal(b));
	check_libbpf(in, b);
	check_fixed_point(b);
	check_kernel(b);
	bfmt_btf__free(in);
	bfmt_btf__free(b);
}

/* A FWD whose name has several definitions resolves where an otherwise
 * equal struct has one of them in its place; whatever the unit order. */
static void test_fwd_in_context(void)
{
	void (*const fwd[5])(struct bfmt_btf *) = {
		add_unit_a, add_unit_b, add_unit_c, add_unit_d, add_unit_e };
	void (*const rev[5])(struct bfmt_btf *) = {
		add_unit_e, add_unit_d, add_unit_c, add_unit_b, add_unit_a };
	void (*const mix[5])(struct bfmt_btf *) = {
		add_unit_c, add_unit_e, add_unit_a, add_unit_d, add_unit_b };

	check_fwd_in_context(fwd);
	check_fwd_in_context(rev);
	check_fwd_in_context(mix);
}

/* Not in context: the structs around the FWD differ elsewhere (x is an int
 * in one, a long in the other), so neither they merge nor the FWD (its name
 * has two definitions) resolves. A FWD that two contexts would resolve to
 * different definitions stays too. */
static void test_fwd_in_context_negative(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL), *in;
	uint32_t f, p, i, l, s1, s2, c;

	f = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "b", 0, NULL);
	p = add_ref(b, BFMT_KIND_PTR, NULL, f);
	i = add_int(b, "int", 4);
	add_comp(b, BFMT_KIND_STRUCT, "a", 16, 2, (struct mem[]){ { "b", p, 0 }, { "x", i, 64 } });
	i = add_int(b, "int", 4);
	l = add_int(b, "long", 8);
	s1 = add_comp(b, BFMT_KIND_STRUCT, "b", 4, 1, (struct mem[]){ { "y", i, 0 } });
	p = add_ref(b, BFMT_KIND_PTR, NULL, s1);
	add_comp(b, BFMT_KIND_STRUCT, "a", 16, 2, (struct mem[]){ { "b", p, 0 }, { "x", l, 64 } });
	add_comp(b, BFMT_KIND_STRUCT, "b", 8, 1, (struct mem[]){ { "z", l, 0 } });
	in = clone(b);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, NULL), 0);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "a"), 2);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "b"), 2);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_FWD, "b"), 1);
	CU_ASSERT(btf_graph_equiv(in, b));
	check_fixed_point(b);
	check_kernel(b);
	bfmt_btf__free(in);
	bfmt_btf__free(b);

	/* One unit's FWD b sits in struct h1 and struct h2; elsewhere h1 has
	 * b { int y } there and h2 has b { long z }: a conflict. */
	b = unit_btf_new(NULL);
	i = add_int(b, "int", 4);
	l = add_int(b, "long", 8);
	f = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "b", 0, NULL);
	p = add_ref(b, BFMT_KIND_PTR, NULL, f);
	add_comp(b, BFMT_KIND_STRUCT, "h1", 8, 1, (struct mem[]){ { "p", p, 0 } });
	add_comp(b, BFMT_KIND_STRUCT, "h2", 8, 1, (struct mem[]){ { "p", p, 0 } });
	s1 = add_comp(b, BFMT_KIND_STRUCT, "b", 4, 1, (struct mem[]){ { "y", i, 0 } });
	p = add_ref(b, BFMT_KIND_PTR, NULL, s1);
	add_comp(b, BFMT_KIND_STRUCT, "h1", 8, 1, (struct mem[]){ { "p", p, 0 } });
	s2 = add_comp(b, BFMT_KIND_STRUCT, "b", 8, 1, (struct mem[]){ { "z", l, 0 } });
	c = add_ref(b, BFMT_KIND_PTR, NULL, s2);
	add_comp(b, BFMT_KIND_STRUCT, "h2", 8, 1, (struct mem[]){ { "p", c, 0 } });
	in = clone(b);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, NULL), 0);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_FWD, "b"), 1);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "h1"), 2);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "h2"), 2);
	CU_ASSERT(btf_graph_equiv(in, b));
	check_fixed_point(b);
	check_kernel(b);
	bfmt_btf__free(in);
	bfmt_btf__free(b);
}

/*
 * Convergence: each FWD class is paired with two definitions that are not one
 * class yet, and those merge only once the FWDs resolve:
 *   u.c:  struct b; struct c; struct h { struct b *p; }; h2 likewise;
 *         struct k { struct c *p; }; k2 likewise;
 *   v1.c: struct c; struct b { struct c *q; }; struct h { struct b *p; };
 *   v2.c: struct b; struct c { struct b *r; }; struct k { struct c *p; };
 *   w.c:  struct b { struct c *q; }; struct c { struct b *r; };
 *         struct h2 { struct b *p; }; struct k2 { struct c *p; };
 * h pairs FWD b with v1's b, h2 with w's b (and k, k2 FWD c with v2's and
 * w's c); the two b are equal up to FWD c vs c, the two c up to FWD b vs b,
 * so each FWD resolves to one set, and everything merges to one copy.
 */
static void add_conv_u(struct bfmt_btf *b)
{
	uint32_t fb = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "b", 0, NULL);
	uint32_t pb = add_ref(b, BFMT_KIND_PTR, NULL, fb);
	uint32_t fc = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "c", 0, NULL);
	uint32_t pc = add_ref(b, BFMT_KIND_PTR, NULL, fc);

	add_comp(b, BFMT_KIND_STRUCT, "h", 8, 1, (struct mem[]){ { "p", pb, 0 } });
	add_comp(b, BFMT_KIND_STRUCT, "h2", 8, 1, (struct mem[]){ { "p", pb, 0 } });
	add_comp(b, BFMT_KIND_STRUCT, "k", 8, 1, (struct mem[]){ { "p", pc, 0 } });
	add_comp(b, BFMT_KIND_STRUCT, "k2", 8, 1, (struct mem[]){ { "p", pc, 0 } });
}

static void add_conv_v1(struct bfmt_btf *b)
{
	uint32_t f = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "c", 0, NULL);
	uint32_t p = add_ref(b, BFMT_KIND_PTR, NULL, f), s;

	s = add_comp(b, BFMT_KIND_STRUCT, "b", 8, 1, (struct mem[]){ { "q", p, 0 } });
	p = add_ref(b, BFMT_KIND_PTR, NULL, s);
	add_comp(b, BFMT_KIND_STRUCT, "h", 8, 1, (struct mem[]){ { "p", p, 0 } });
}

static void add_conv_v2(struct bfmt_btf *b)
{
	uint32_t f = unit_btf_add(b, BFMT_KIND_FWD, 0, false, "b", 0, NULL);
	uint32_t p = add_ref(b, BFMT_KIND_PTR, NULL, f), s;

	s = add_comp(b, BFMT_KIND_STRUCT, "c", 8, 1, (struct mem[]){ { "r", p, 0 } });
	p = add_ref(b, BFMT_KIND_PTR, NULL, s);
	add_comp(b, BFMT_KIND_STRUCT, "k", 8, 1, (struct mem[]){ { "p", p, 0 } });
}

static void add_conv_w(struct bfmt_btf *b)
{
	uint32_t sb = add_comp(b, BFMT_KIND_STRUCT, "b", 8, 1, (struct mem[]){ { "q", 0, 0 } });
	uint32_t pb = add_ref(b, BFMT_KIND_PTR, NULL, sb);
	uint32_t sc = add_comp(b, BFMT_KIND_STRUCT, "c", 8, 1, (struct mem[]){ { "r", pb, 0 } });
	uint32_t pc = add_ref(b, BFMT_KIND_PTR, NULL, sc);

	((struct bfmt_member *)bfmt_type_extra(bfmt_btf__type(b, sb)))[0].type = pc;
	add_comp(b, BFMT_KIND_STRUCT, "h2", 8, 1, (struct mem[]){ { "p", pb, 0 } });
	add_comp(b, BFMT_KIND_STRUCT, "k2", 8, 1, (struct mem[]){ { "p", pc, 0 } });
}

static void check_fwd_in_context_converges(void (*const units[4])(struct bfmt_btf *))
{
	struct bfmt_btf *b = unit_btf_new(NULL), *in;
	uint32_t k;

	for (k = 0; k < 4; k++)
		units[k](b);
	in = clone(b);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, NULL), 0);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_FWD, "b"), 0);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_FWD, "c"), 0);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "b"), 1);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "c"), 1);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "h"), 1);
	CU_ASSERT_EQUAL(count_named(b, BFMT_KIND_STRUCT, "k2"), 1);
	/* b, c, a pointer to each, h, h2, k, k2 (and void). */
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(b), 9);
	CU_ASSERT(btf_graph_covers(in, b));
	CU_ASSERT(btf_graph_minimal(b));
	check_libbpf(in, b);
	check_fixed_point(b);
	check_kernel(b);
	bfmt_btf__free(in);
	bfmt_btf__free(b);
}

static void test_fwd_in_context_converges(void)
{
	void (*const fwd[4])(struct bfmt_btf *) = { add_conv_u, add_conv_v1, add_conv_v2, add_conv_w };
	void (*const rev[4])(struct bfmt_btf *) = { add_conv_w, add_conv_v2, add_conv_v1, add_conv_u };
	void (*const mix[4])(struct bfmt_btf *) = { add_conv_v2, add_conv_u, add_conv_w, add_conv_v1 };

	check_fwd_in_context_converges(fwd);
	check_fwd_in_context_converges(rev);
	check_fwd_in_context_converges(mix);
}

/* One random graph: alone, and as 4 concatenated copies (3 permuted). */
static void property_round(uint64_t seed, uint32_t size)
{
	struct bfmt_btf *g = NULL, *one, *multi, *input;
	struct btf_rng rng = { .s = seed * 7919 + 1 };

	CU_ASSERT_EQUAL_FATAL(btf_gen_random(seed, size, &g), 0);
	one = clone(g);
	multi = with_copies(g, 3, &rng);
	input = clone(multi);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(one, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(multi, NULL), 0);
	/* Representatives are smallest ids, all in the first (unpermuted)
	 * copy: the outputs are the same bytes. */
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(one), bfmt_btf__nr_types(multi));
	CU_ASSERT(same_bytes(one, multi));
	CU_ASSERT(btf_graph_equiv(one, multi));
	CU_ASSERT(btf_graph_minimal(multi));
	CU_ASSERT(btf_graph_covers(g, one));
	CU_ASSERT(btf_graph_covers(input, multi));
	CU_ASSERT(bfmt_btf__nr_types(one) <= bfmt_btf__nr_types(g));
	check_libbpf(input, multi);
	check_libbpf(g, one);
	check_kernel(multi);
	check_fixed_point(multi);
	bfmt_btf__free(input);
	bfmt_btf__free(multi);
	bfmt_btf__free(one);
	bfmt_btf__free(g);
}

static void test_random_copies(void)
{
	for (uint64_t seed = 1; seed <= 60; seed++)
		property_round(seed, 40 + (uint32_t)seed * 8);
}

/*
 * Split BTF on a random base (a random graph, deduplicated): another random
 * graph of the same generator (same name pool, so it shares types with the
 * base and has same-named different ones), alone and with two permuted
 * copies appended. The base keeps its bytes; both give the same bytes; the
 * result, seen whole with its base, covers the input, is minimal (no type
 * left equal to a base type or to another), loads strictly as split BTF,
 * and is a fixed point.
 */
static void split_round(uint64_t seed, uint32_t size)
{
	const struct btfd_opts coll = { .force_collisions = true };
	struct btf_rng rng = { .s = seed * 104729 + 3 };
	struct bfmt_btf *g = NULL, *g2 = NULL;
	const char *bad;

	CU_ASSERT_EQUAL_FATAL(btf_gen_random_rng(&rng, size, &g), 0);
	CU_ASSERT_EQUAL_FATAL(btf_gen_random_rng(&rng, size / 2 + 4, &g2), 0);
	bad = dedup_split_props(&rng, g, g2, 2, NULL);
	if (!bad && seed % 4 == 0)
		bad = dedup_split_props(&rng, g, g2, 1, &coll);
	if (bad)
		fprintf(stderr, "split seed %llu: %s\n", (unsigned long long)seed, bad);
	CU_ASSERT_PTR_NULL(bad);
	bfmt_btf__free(g2);
	bfmt_btf__free(g);
}

static void test_random_split(void)
{
	for (uint64_t seed = 1; seed <= 40; seed++)
		split_round(seed, 30 + (uint32_t)seed * 8);
}

/* in deduplicated with options oa and with ob: the same bytes. */
static void check_same_bytes(const struct bfmt_btf *in, const struct btfd_opts *oa,
			     const struct btfd_opts *ob)
{
	struct bfmt_btf *a = clone(in), *b = clone(in);

	CU_ASSERT_EQUAL_FATAL(btfd_dedup(a, oa), 0);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, ob), 0);
	CU_ASSERT(same_bytes(a, b));
	bfmt_btf__free(a);
	bfmt_btf__free(b);
}

/* Hash collisions change nothing but speed; same input, same bytes. */
static void test_collisions_deterministic(void)
{
	const struct btfd_opts coll = { .force_collisions = true };
	struct bfmt_btf *g = NULL;

	CU_ASSERT_EQUAL_FATAL(btf_gen_random(42, 400, &g), 0);
	check_same_bytes(g, NULL, &coll);
	bfmt_btf__free(g);
}

/* Deep inputs on the default stack: nothing here may recurse per level. */
static void test_deep_chains(void)
{
	struct bfmt_btf *u = unit_btf_new(NULL), *b = unit_btf_new(NULL);
	uint32_t prev, k;

	/* Same-named typedefs: only the chain length tells them apart. */
	prev = add_int(u, "int", 4);
	for (k = 0; k < 100000; k++)
		prev = add_ref(u, BFMT_KIND_TYPEDEF, "T", prev);
	CU_ASSERT_EQUAL_FATAL(btf_gen_append(b, u, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(btf_gen_append(b, u, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, NULL), 0);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(b), 100002);
	bfmt_btf__free(u);
	bfmt_btf__free(b);

	u = unit_btf_new(NULL);
	b = unit_btf_new(NULL);
	prev = add_int(u, "int", 4);
	for (k = 0; k < 10000; k++)
		prev = add_comp(u, BFMT_KIND_STRUCT, "S", 4, 1,
				(struct mem[]){ { "inner", prev, 0 } });
	CU_ASSERT_EQUAL_FATAL(btf_gen_append(b, u, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(btf_gen_append(b, u, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(b, NULL), 0);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(b), 10002);
	check_fixed_point(b);
	bfmt_btf__free(u);
	bfmt_btf__free(b);
}

/* The running kernel's BTF: eight copies (seven permuted) come back to one;
 * libbpf 1.1.2 does not manage that. */
static int read_file(const char *path, void **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 20, n = 0;
	char *buf = NULL;

	if (!f)
		return -errno;
	for (;;) {
		char *nb = realloc(buf, cap);

		if (!nb) {
			free(buf);
			fclose(f);
			return -ENOMEM;
		}
		buf = nb;
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
	}
	fclose(f);
	*data = buf;
	*len = n;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_vmlinux(void)
{
	struct bfmt_btf *vm = NULL, *one, *many;
	struct btf_rng rng = { .s = 12345 };
	uint32_t *perm, n;
	size_t len = 0;
	double t0, t1;
	void *data = NULL;

	if (read_file("/sys/kernel/btf/vmlinux", &data, &len)) {
		fprintf(stderr, " (skipped: no /sys/kernel/btf/vmlinux) ");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(btf_read_raw(data, len, &vm), 0);
	free(data);
	n = (uint32_t)vm->offs.len;
	one = clone(vm);
	t0 = now();
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(one, NULL), 0);
	t1 = now();
	CU_ASSERT(one->offs.len <= n);
	many = clone(vm);
	perm = malloc(n * sizeof(*perm));
	CU_ASSERT_PTR_NOT_NULL_FATAL(perm);
	for (int k = 0; k < 7; k++) {
		btf_gen_perm(&rng, perm, n);
		CU_ASSERT_EQUAL_FATAL(btf_gen_append(many, vm, perm), 0);
	}
	fprintf(stderr, " (vmlinux: %u types -> %zu in %.2fs; x8 %zu", n, one->offs.len,
		t1 - t0, many->offs.len);
	t0 = now();
	CU_ASSERT_EQUAL_FATAL(btfd_dedup(many, NULL), 0);
	t1 = now();
	fprintf(stderr, " -> %zu in %.2fs) ", many->offs.len, t1 - t0);
	CU_ASSERT_EQUAL(many->offs.len, one->offs.len);
	check_fixed_point(many);
	free(perm);
	bfmt_btf__free(many);
	bfmt_btf__free(one);
	bfmt_btf__free(vm);
}

/*
 * More threads, same bytes: 4 copies of a random table of 30 thousand
 * types have enough nodes to refine (over 2 * 2^15) for the head start's
 * rounds to run in slices on several threads (util/par.c); TSan runs this.
 */
static void test_jobs_same_bytes(void)
{
	struct bfmt_btf *g = NULL, *in;
	struct btfd_opts par = { .jobs = 4 };
	struct btf_rng rng = { .s = 77 };

	CU_ASSERT_EQUAL_FATAL(btf_gen_random(77, 30000, &g), 0);
	in = with_copies(g, 3, &rng);
	check_same_bytes(in, NULL, &par);
	bfmt_btf__free(in);
	bfmt_btf__free(g);
}

int register_btf_dedup_suite(void)
{
	static const struct unit_test tests[] = {
		{ "list_cycle", test_list_cycle },
		{ "fwd_vs_full", test_fwd_vs_full },
		{ "same_name_differs", test_same_name_differs },
		{ "anonymous_nested", test_anonymous_nested },
		{ "refs_permuted", test_refs_permuted },
		{ "enums", test_enums },
		{ "decl_tags", test_decl_tags },
		{ "func_var_datasec", test_func_var_datasec },
		{ "split", test_split },
		{ "map", test_map },
		{ "malformed", test_malformed },
		{ "fwd_in_context", test_fwd_in_context },
		{ "fwd_in_context_negative", test_fwd_in_context_negative },
		{ "fwd_in_context_converges", test_fwd_in_context_converges },
		{ "random_copies", test_random_copies },
		{ "random_split", test_random_split },
		{ "split_fwd_like_base_fwd", test_split_fwd_like_base_fwd },
		{ "split_base_proof", test_split_base_proof },
		{ "split_deep_difference", test_split_deep_difference },
		{ "jobs_same_bytes", test_jobs_same_bytes },
		{ "collisions_deterministic", test_collisions_deterministic },
		{ "deep_chains", test_deep_chains },
		{ "vmlinux", test_vmlinux },
		{ NULL, NULL },
	};

	return unit_add_suite("btf_dedup", tests);
}
