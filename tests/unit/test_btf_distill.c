// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "btf_distill": btfd_distill_base() and btfd_relocate() on
 * hand-built base + split graphs with the expected output written out
 * (named structs by pointer and by value, INT/FLOAT/FWD, anonymous base
 * types moved into the split BTF, enums, ambiguous names), round trips
 * (distill, relocate onto the original base, same graph as the input),
 * relocation onto a different base (same name and size but other members
 * works; other size of an embedded struct fails with a clear message),
 * error paths, random graphs, and the running kernel's vmlinux as the base
 * (the kernel accepts the distilled base; bpftool and libbpf parse
 * split-on-distilled; .BTF + .BTF.base in an ELF file load back).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "btf_encoder/btf_distill.h"
#include "btf_encoder/btf_writer.h"
#include "btf_gen.h"
#include "btf_graph_eq.h"
#include "btf_loader/btf_loader.h"
#include "tests.h"
#include "tests/tools/kcheck.h"
#include "unit_build.h"

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>
#include <bpf/libbpf_version.h>
#if LIBBPF_MAJOR_VERSION > 1 || (LIBBPF_MAJOR_VERSION == 1 && LIBBPF_MINOR_VERSION >= 5)
#define HAVE_LIBBPF_DISTILL
#endif
#endif

/* --- building --- */

static uint32_t add_int(struct bfmt_btf *b, const char *name, uint32_t size, uint32_t enc)
{
	uint32_t *ex, id = unit_btf_add(b, BFMT_KIND_INT, 0, false, name, size, (void **)&ex);

	*ex = bfmt_int_info(enc, 0, size * 8);
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

static uint32_t add_comp(struct bfmt_btf *b, enum bfmt_kind k, const char *name,
			 uint32_t size, uint32_t n, const struct mem *m)
{
	uint32_t id = unit_btf_add(b, k, n, false, name, size, NULL);

	for (uint32_t i = 0; i < n; i++) {
		uint32_t off = unit_btf_str(b, m[i].name);
		struct bfmt_member *bm = bfmt_type_extra(bfmt_btf__type(b, id));

		bm[i] = (struct bfmt_member){ off, m[i].type, m[i].bit_off };
	}
	return id;
}

static uint32_t add_enum(struct bfmt_btf *b, bool is64, const char *name, uint32_t size,
			 bool sign, const char *val)
{
	uint32_t off, id = unit_btf_add(b, is64 ? BFMT_KIND_ENUM64 : BFMT_KIND_ENUM, 1, sign, name,
			       size, NULL);
	void *ex;

	off = unit_btf_str(b, val);
	ex = bfmt_type_extra(bfmt_btf__type(b, id));
	if (is64)
		*(struct bfmt_enum64 *)ex = (struct bfmt_enum64){ off, 1, 1 };
	else
		*(struct bfmt_enum *)ex = (struct bfmt_enum){ off, -1 };
	return id;
}

static uint32_t add_array(struct bfmt_btf *b, uint32_t elem, uint32_t index, uint32_t n)
{
	struct bfmt_array *a;
	uint32_t id = unit_btf_add(b, BFMT_KIND_ARRAY, 0, false, NULL, 0, (void **)&a);

	*a = (struct bfmt_array){ elem, index, n };
	return id;
}

static uint32_t add_proto(struct bfmt_btf *b, uint32_t ret, uint32_t arg)
{
	struct bfmt_param *p;
	uint32_t off = unit_btf_str(b, "arg");
	uint32_t id = unit_btf_add(b, BFMT_KIND_FUNC_PROTO, 1, false, NULL, ret, (void **)&p);

	*p = (struct bfmt_param){ off, arg };
	return id;
}

/* --- describing: one line per own type, as the expected texts are --- */

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

static void describe_one(const struct bfmt_btf *b, uint32_t id, char **p, size_t *left)
{
	const struct bfmt_type *t = bfmt_btf__type(b, id);
	const char *name = bfmt_btf__str(b, t->name_off);
	const void *ex = bfmt_type_extra(t);
	uint32_t i, n = bfmt_vlen(t);

	put(p, left, "[%u] %s '%s'", id, bfmt_kind_name(bfmt_kind(t)), name ? name : "?");
	if (bfmt_kflag(t))
		put(p, left, " kflag");
	switch (bfmt_kind(t)) {
	case BFMT_KIND_INT:
		put(p, left, " size=%u enc=%u bits=%u", t->size_type,
		    bfmt_int_encoding(*(const uint32_t *)ex), bfmt_int_bits(*(const uint32_t *)ex));
		break;
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		put(p, left, " size=%u vlen=%u", t->size_type, n);
		for (i = 0; i < n; i++) {
			const struct bfmt_member *m = &((const struct bfmt_member *)ex)[i];

			put(p, left, " %s:%u", bfmt_btf__str(b, m->name_off), m->type);
		}
		break;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
	case BFMT_KIND_FLOAT:
		put(p, left, " size=%u vlen=%u", t->size_type, n);
		break;
	case BFMT_KIND_FWD:
		break;
	case BFMT_KIND_ARRAY: {
		const struct bfmt_array *a = ex;

		put(p, left, " %u[%u] idx=%u", a->type, a->nelems, a->index_type);
		break;
	}
	case BFMT_KIND_FUNC_PROTO:
		put(p, left, " ret=%u", t->size_type);
		for (i = 0; i < n; i++)
			put(p, left, " %u", ((const struct bfmt_param *)ex)[i].type);
		break;
	default:
		put(p, left, " ->%u", t->size_type);
		break;
	}
	put(p, left, "\n");
}

static char *describe(const struct bfmt_btf *b)
{
	size_t left = 16384;
	char *buf = calloc(1, left), *p = buf;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	for (uint32_t id = b->start_id; id < bfmt_btf__nr_types(b); id++)
		describe_one(b, id, &p, &left);
	return buf;
}

static void expect_desc(const struct bfmt_btf *b, const char *want)
{
	char *got = describe(b);

	if (strcmp(got, want))
		fprintf(stderr, "\nexpected:\n%sgot:\n%s", want, got);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

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

/* --- checking --- */

static void *blob(const struct bfmt_btf *b, size_t *len)
{
	void *data = NULL;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(b, false, &data, len), 0);
	return data;
}

/* The running kernel accepts b (a table without base) as BTF. */
static void check_kernel(const struct bfmt_btf *b)
{
	char log[4096] = "";
	size_t len;
	void *d = blob(b, &len);
	int rc = kcheck_btf(d, len, log, sizeof(log));

	if (rc == KCHECK_REJECTED)
		fprintf(stderr, "\nkernel rejected the distilled base:\n%s\n", log);
	CU_ASSERT(rc == KCHECK_ACCEPTED || rc == KCHECK_UNAVAILABLE);
	free(d);
}

/* Serialised bytes of the split part: proves the input was not touched. */
static void *snapshot(const struct bfmt_btf *b, size_t *len)
{
	return blob(b, len);
}

static void check_unchanged(const struct bfmt_btf *b, const void *snap, size_t len)
{
	size_t l;
	void *now = blob(b, &l);

	CU_ASSERT(l == len && !memcmp(now, snap, len));
	free(now);
}

/*
 * Distill split, compare with the expected texts (NULL: do not), check the
 * kernel takes the base, relocate onto split's own base and compare the
 * graph with the input. Returns the distilled pair (the caller frees).
 */
static void distill_expect(const struct bfmt_btf *split, const char *want_base,
			   const char *want_split, struct bfmt_btf **nb_ret,
			   struct bfmt_btf **ns_ret)
{
	struct bfmt_btf *nb = NULL, *ns = NULL;
	struct capture cap;
	struct diag d = capture_diag(&cap);
	size_t len;
	void *snap = snapshot(split, &len);
	uint32_t *ids = NULL;

	CU_ASSERT_EQUAL_FATAL(btfd_distill_base(split, &d, &nb, &ns), 0);
	CU_ASSERT_EQUAL(cap.count, 0);
	check_unchanged(split, snap, len);
	free(snap);
	CU_ASSERT_PTR_NULL(nb->base);
	CU_ASSERT_PTR_EQUAL(ns->base, nb);
	if (want_base)
		expect_desc(nb, want_base);
	if (want_split)
		expect_desc(ns, want_split);
	if (nb->offs.len)
		check_kernel(nb);
	CU_ASSERT_EQUAL_FATAL(btfd_relocate(ns, split->base, &d, &ids), 0);
	CU_ASSERT_PTR_EQUAL(ns->base, split->base);
	CU_ASSERT_EQUAL(ns->start_id, split->start_id);
	CU_ASSERT(btf_graph_equiv(split, ns));
	CU_ASSERT_EQUAL(cap.count, 0);
	free(ids);
	bfmt_btf__free(ns);
	bfmt_btf__free(nb);
	/* Once more, to hand the pair back unrelocated. */
	if (nb_ret)
		CU_ASSERT_EQUAL_FATAL(btfd_distill_base(split, &d, nb_ret, ns_ret), 0);
}

/* --- the essay's worked example (btfe_distill.c) --- */

static struct bfmt_btf *example_base(uint32_t task_size)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i = add_int(b, "int", 4, BFMT_INT_SIGNED);

	add_comp(b, BFMT_KIND_STRUCT, "list_head", 16, 2,
		 (struct mem[]){ { "next", 3, 0 }, { "prev", 3, 64 } });
	add_ref(b, BFMT_KIND_PTR, NULL, 2);
	add_comp(b, BFMT_KIND_STRUCT, "task_struct", task_size, 1,
		 (struct mem[]){ { "pid", i, 0 } });
	add_ref(b, BFMT_KIND_PTR, NULL, 4);
	add_ref(b, BFMT_KIND_TYPEDEF, "u32", 7);
	add_int(b, "unsigned int", 4, 0);
	add_comp(b, BFMT_KIND_STRUCT, NULL, 4, 1, (struct mem[]){ { "a", 1, 0 } });
	return b;
}

static struct bfmt_btf *example_split(const struct bfmt_btf *base)
{
	struct bfmt_btf *s = unit_btf_new(base);

	add_comp(s, BFMT_KIND_STRUCT, "mod", 48, 5,
		 (struct mem[]){ { "l", 2, 0 }, { "t", 5, 128 }, { "x", 6, 192 },
				 { "y", 8, 224 }, { "z", 1, 256 } });
	return s;
}

static void test_worked_example(void)
{
	struct bfmt_btf *base = example_base(9000), *split = example_split(base);

	distill_expect(split,
		       "[1] INT 'int' size=4 enc=1 bits=32\n"
		       "[2] STRUCT 'list_head' size=16 vlen=0\n"
		       "[3] STRUCT 'task_struct' size=9000 vlen=0\n"
		       "[4] INT 'unsigned int' size=4 enc=0 bits=32\n",
		       "[5] STRUCT 'mod' size=48 vlen=5 l:2 t:6 x:7 y:8 z:1\n"
		       "[6] PTR '' ->3\n"
		       "[7] TYPEDEF 'u32' ->4\n"
		       "[8] STRUCT '' size=4 vlen=1 a:1\n", NULL, NULL);
	bfmt_btf__free(split);
	bfmt_btf__free(base);
}

/* A pointer to a named base struct: the struct, memberless and sized, in the
 * base; the pointer moves to the split BTF. Unused base types go. */
static void test_named_struct_by_pointer(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL), *s;
	uint32_t i = add_int(b, "long", 8, BFMT_INT_SIGNED);
	uint32_t sk = add_comp(b, BFMT_KIND_STRUCT, "sk_buff", 232, 1,
			       (struct mem[]){ { "len", i, 0 } });
	uint32_t p = add_ref(b, BFMT_KIND_PTR, NULL, sk);

	add_comp(b, BFMT_KIND_STRUCT, "unused", 8, 1, (struct mem[]){ { "x", i, 0 } });
	s = unit_btf_new(b);
	add_comp(s, BFMT_KIND_STRUCT, "m", 8, 1, (struct mem[]){ { "skb", p, 0 } });
	distill_expect(s, "[1] STRUCT 'sk_buff' size=232 vlen=0\n",
		       "[2] STRUCT 'm' size=8 vlen=1 skb:3\n"
		       "[3] PTR '' ->1\n", NULL, NULL);
	bfmt_btf__free(s);
	bfmt_btf__free(b);
}

/* INT, FLOAT and FWD stay whole; a pointer in the split BTF itself keeps
 * pointing at the base INT; split ids shift down. */
static void test_base_int_float_fwd(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL), *s;
	uint32_t c = add_int(b, "char", 1, BFMT_INT_CHAR);
	uint32_t i = add_int(b, "int", 4, BFMT_INT_SIGNED);
	uint32_t f = unit_btf_add(b, BFMT_KIND_FLOAT, 0, false, "double", 8, NULL);
	uint32_t u = unit_btf_add(b, BFMT_KIND_FWD, 0, true, "ufwd", 0, NULL);
	uint32_t sp;

	(void)c;
	s = unit_btf_new(b);
	sp = add_ref(s, BFMT_KIND_PTR, NULL, i);
	add_comp(s, BFMT_KIND_STRUCT, "m", 32, 4,
		 (struct mem[]){ { "p", sp, 0 }, { "d", f, 64 }, { "u", sp + 2, 128 },
				 { "i", i, 192 } });
	add_ref(s, BFMT_KIND_PTR, NULL, u);
	distill_expect(s,
		       "[1] INT 'int' size=4 enc=1 bits=32\n"
		       "[2] FLOAT 'double' size=8 vlen=0\n"
		       "[3] FWD 'ufwd' kflag\n",
		       "[4] PTR '' ->1\n"
		       "[5] STRUCT 'm' size=32 vlen=4 p:4 d:2 u:6 i:1\n"
		       "[6] PTR '' ->3\n", NULL, NULL);
	bfmt_btf__free(s);
	bfmt_btf__free(b);
}

/* An anonymous base struct moves into the split BTF whole, with what only it
 * reaches (a typedef, an anonymous union, an array); a named struct behind
 * it stays a memberless base struct. */
static void test_anonymous_moved(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL), *s;
	uint32_t i = add_int(b, "int", 4, BFMT_INT_SIGNED);			/* 1 */
	uint32_t nm = add_comp(b, BFMT_KIND_STRUCT, "named", 4, 1,		/* 2 */
			       (struct mem[]){ { "v", i, 0 } });
	uint32_t td = add_ref(b, BFMT_KIND_TYPEDEF, "myint", i);		/* 3 */
	uint32_t un = add_comp(b, BFMT_KIND_UNION, NULL, 4, 2,		/* 4 */
			       (struct mem[]){ { "a", td, 0 }, { "b", nm, 0 } });
	uint32_t ar = add_array(b, i, i, 4);					/* 5 */
	uint32_t an = add_comp(b, BFMT_KIND_STRUCT, NULL, 24, 3,		/* 6 */
			       (struct mem[]){ { "u", un, 0 }, { "arr", ar, 32 },
					       { "n", nm, 160 } });

	s = unit_btf_new(b);
	add_comp(s, BFMT_KIND_STRUCT, "m", 24, 1, (struct mem[]){ { "x", an, 0 } });
	distill_expect(s,
		       "[1] INT 'int' size=4 enc=1 bits=32\n"
		       "[2] STRUCT 'named' size=4 vlen=0\n",
		       "[3] STRUCT 'm' size=24 vlen=1 x:7\n"
		       "[4] TYPEDEF 'myint' ->1\n"
		       "[5] UNION '' size=4 vlen=2 a:4 b:2\n"
		       "[6] ARRAY '' 1[4] idx=1\n"
		       "[7] STRUCT '' size=24 vlen=3 u:5 arr:6 n:2\n", NULL, NULL);
	bfmt_btf__free(s);
	bfmt_btf__free(b);
}

/* Named ENUM and ENUM64, used by value: an ENUM without values of the same
 * size (kind_flag 0); an anonymous enum moves whole. */
static void test_enums(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL), *s;
	uint32_t e = add_enum(b, false, "state", 4, true, "S_ON");
	uint32_t e64 = add_enum(b, true, "big", 8, false, "B_ON");
	uint32_t e2 = add_enum(b, false, "small", 1, false, "X");
	uint32_t ea = add_enum(b, false, NULL, 4, false, "ANON_ON");

	s = unit_btf_new(b);
	add_comp(s, BFMT_KIND_STRUCT, "m", 24, 4,
		 (struct mem[]){ { "a", ea, 0 }, { "b", e64, 64 }, { "c", e, 128 },
				 { "d", e2, 160 } });
	distill_expect(s,
		       "[1] ENUM 'state' size=4 vlen=0\n"
		       "[2] ENUM 'big' size=8 vlen=0\n"
		       "[3] ENUM 'small' size=1 vlen=0\n",
		       "[4] STRUCT 'm' size=24 vlen=4 a:5 b:2 c:1 d:3\n"
		       "[5] ENUM '' size=4 vlen=1\n", NULL, NULL);
	bfmt_btf__free(s);
	bfmt_btf__free(b);
}

/* Two base structs of one name, different sizes: both distilled, each
 * relocates by size to its own. Same name and size: ambiguous, refused. */
static void test_ambiguous_names(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL), *s, *nb = NULL, *ns = NULL;
	uint32_t i = add_int(b, "int", 4, BFMT_INT_SIGNED);
	uint32_t f1 = add_comp(b, BFMT_KIND_STRUCT, "foo", 4, 1, (struct mem[]){ { "a", i, 0 } });
	uint32_t f2 = add_comp(b, BFMT_KIND_STRUCT, "foo", 8, 2,
			       (struct mem[]){ { "a", i, 0 }, { "b", i, 32 } });
	uint32_t p1 = add_ref(b, BFMT_KIND_PTR, NULL, f1), p2 = add_ref(b, BFMT_KIND_PTR, NULL, f2);
	uint32_t g1, g2, *map = NULL;
	struct capture cap;
	struct diag d = capture_diag(&cap);

	/* a union of the same name is a different type, but counts for
	 * "several of that name" as in the kernel */
	add_comp(b, BFMT_KIND_UNION, "foo", 8, 1, (struct mem[]){ { "u", i, 0 } });
	s = unit_btf_new(b);
	add_comp(s, BFMT_KIND_STRUCT, "m", 16, 2,
		 (struct mem[]){ { "p1", p1, 0 }, { "p2", p2, 64 } });
	distill_expect(s,
		       "[1] STRUCT 'foo' size=4 vlen=0\n"
		       "[2] STRUCT 'foo' size=8 vlen=0\n",
		       "[3] STRUCT 'm' size=16 vlen=2 p1:4 p2:5\n"
		       "[4] PTR '' ->1\n"
		       "[5] PTR '' ->2\n", &nb, &ns);
	CU_ASSERT_EQUAL(btfd_relocate_map(ns, b, &d, &map), 0);
	CU_ASSERT(map && map[1] == f1 && map[2] == f2);
	free(map);
	bfmt_btf__free(ns);
	bfmt_btf__free(nb);
	bfmt_btf__free(s);

	/* same name, same size: the kernel could not choose */
	g1 = add_comp(b, BFMT_KIND_STRUCT, "bar", 4, 1, (struct mem[]){ { "x", i, 0 } });
	g2 = add_comp(b, BFMT_KIND_STRUCT, "bar", 4, 1, (struct mem[]){ { "y", i, 0 } });
	s = unit_btf_new(b);
	add_ref(s, BFMT_KIND_PTR, NULL, g1);
	nb = ns = NULL;
	CU_ASSERT_EQUAL(btfd_distill_base(s, &d, &nb, &ns), -EINVAL);
	CU_ASSERT_PTR_NULL(nb);
	CU_ASSERT_PTR_NULL(ns);
	CU_ASSERT_EQUAL(cap.count, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "ambiguous"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "'bar'"));
	{
		char want[64];

		snprintf(want, sizeof(want), "[%u] and [%u]", g1, g2);
		CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, want));
	}
	bfmt_btf__free(s);
	bfmt_btf__free(b);
}

/* A base with the worked example's names: int (encoding enc), unsigned
 * int, task_struct and list_head of the given sizes (0: leave it out),
 * after `extra` unrelated types. *lh_ret and *ts_ret get their ids. */
static struct bfmt_btf *other_base(uint32_t extra, uint32_t enc, uint32_t lh_size,
				   uint32_t ts_size, uint32_t *lh_ret, uint32_t *ts_ret)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t i;

	for (uint32_t k = 0; k < extra; k++)
		add_int(b, k ? "short" : "long", k ? 2 : 8, BFMT_INT_SIGNED);
	add_int(b, "unsigned int", 4, 0);
	i = add_int(b, "int", 4, enc);
	*ts_ret = ts_size ? add_comp(b, BFMT_KIND_STRUCT, "task_struct", ts_size, 1,
				     (struct mem[]){ { "pid", i, 0 } }) : 0;
	*lh_ret = lh_size ? add_comp(b, BFMT_KIND_STRUCT, "list_head", lh_size, 1,
				     (struct mem[]){ { "both", i, 0 } }) : 0;
	return b;
}

/* Relocation onto a base that changed: ids moved, list_head has other
 * members (same name and size), task_struct grew but is only pointed to
 * and is the only one of its name: all fine. */
static void test_relocate_other_base(void)
{
	struct bfmt_btf *base = example_base(9000), *split = example_split(base);
	struct bfmt_btf *nb = NULL, *ns = NULL, *other;
	uint32_t *ids = NULL, lh, ts;
	struct capture cap;
	struct diag d = capture_diag(&cap);

	CU_ASSERT_EQUAL_FATAL(btfd_distill_base(split, &d, &nb, &ns), 0);
	bfmt_btf__own_base(ns);
	other = other_base(1, BFMT_INT_SIGNED, 16, 12000, &lh, &ts);
	CU_ASSERT_EQUAL_FATAL(btfd_relocate(ns, other, &d, &ids), 0);
	CU_ASSERT_EQUAL(cap.count, 0);
	CU_ASSERT_PTR_EQUAL(ns->base, other);
	CU_ASSERT_EQUAL(ns->start_id, 6);
	CU_ASSERT(ids[0] == 0 && ids[1] == 3 && ids[2] == lh && ids[3] == ts && ids[4] == 2);
	CU_ASSERT(ids[5] == 6 && ids[8] == 9);
	expect_desc(ns,
		    "[6] STRUCT 'mod' size=48 vlen=5 l:5 t:7 x:8 y:9 z:3\n"
		    "[7] PTR '' ->4\n"
		    "[8] TYPEDEF 'u32' ->2\n"
		    "[9] STRUCT '' size=4 vlen=1 a:3\n");
	free(ids);
	bfmt_btf__free(ns);
	bfmt_btf__free(other);
	bfmt_btf__free(split);
	bfmt_btf__free(base);
}

/* Relocation that must fail, leaving the split table as it was: the
 * embedded list_head changed size (the message names both sizes),
 * task_struct is gone, int changed encoding. */
static void test_relocate_mismatch(void)
{
	struct bfmt_btf *base = example_base(9000), *split = example_split(base);
	struct bfmt_btf *nb = NULL, *ns = NULL, *other;
	uint32_t lh, ts;
	struct capture cap;
	struct diag d = capture_diag(&cap);
	char want[160];
	size_t len;
	void *snap;

	CU_ASSERT_EQUAL_FATAL(btfd_distill_base(split, &d, &nb, &ns), 0);
	snap = snapshot(ns, &len);

	other = other_base(0, BFMT_INT_SIGNED, 8, 9000, &lh, &ts);
	CU_ASSERT_EQUAL(btfd_relocate(ns, other, &d, NULL), -EINVAL);
	CU_ASSERT_EQUAL(cap.count, 1);
	snprintf(want, sizeof(want), "relocate: distilled base type [2] STRUCT 'list_head' "
		 "size 16: base type [%u] of that name has size 8 (split BTF embeds it, "
		 "sizes must match)", lh);
	CU_ASSERT_STRING_EQUAL(cap.msg, want);
	bfmt_btf__free(other);

	other = other_base(0, BFMT_INT_SIGNED, 16, 0, &lh, &ts);
	CU_ASSERT_EQUAL(btfd_relocate(ns, other, &d, NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(cap.msg, "relocate: distilled base type [3] STRUCT 'task_struct' "
			       "size 9000: no type of that name, kind and size in the base");
	bfmt_btf__free(other);

	other = other_base(0, 0, 16, 9000, &lh, &ts);
	CU_ASSERT_EQUAL(btfd_relocate(ns, other, &d, NULL), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "[1] INT 'int' size 4: no type"));
	bfmt_btf__free(other);

	CU_ASSERT_EQUAL(cap.count, 3);
	CU_ASSERT_PTR_EQUAL(ns->base, nb);
	check_unchanged(ns, snap, len);
	free(snap);
	bfmt_btf__free(ns);
	bfmt_btf__free(nb);
	bfmt_btf__free(split);
	bfmt_btf__free(base);
}

/* Failures: reported once, outputs untouched, inputs unchanged. */
static void test_errors(void)
{
	struct bfmt_btf *b = unit_btf_new(NULL), *s, *nb = NULL, *ns = NULL, *bad, *bs;
	uint32_t i = add_int(b, "int", 4, BFMT_INT_SIGNED);
	uint32_t f = unit_btf_add(b, BFMT_KIND_FUNC, 0, false, "f", add_proto(b, i, i), NULL);
	uint32_t *map = NULL;
	struct capture cap;
	struct diag d = capture_diag(&cap);

	CU_ASSERT_EQUAL(btfd_distill_base(b, &d, &nb, &ns), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "not split BTF"));
	CU_ASSERT(!nb && !ns);

	/* a split DECL_TAG on a base FUNC */
	s = unit_btf_new(b);
	unit_btf_add(s, BFMT_KIND_DECL_TAG, 0, false, "tag", f, NULL);
	cap.count = 0;
	CU_ASSERT_EQUAL(btfd_distill_base(s, &d, &nb, &ns), -EINVAL);
	CU_ASSERT_EQUAL(cap.count, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "type [4] DECL_TAG 'tag' refers to base type "
					      "[3] FUNC 'f', which a distilled base cannot"));
	CU_ASSERT(!nb && !ns);
	bfmt_btf__free(s);

	/* a reference past the last type */
	s = unit_btf_new(b);
	add_ref(s, BFMT_KIND_PTR, NULL, 99);
	cap.count = 0;
	CU_ASSERT_EQUAL(btfd_distill_base(s, &d, &nb, &ns), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "type [4] refers to type [99], beyond"));
	bfmt_btf__free(s);

	/* relocation: a full base is not a distilled one; nor is the base
	 * itself the target; an anonymous distilled type */
	s = unit_btf_new(b);
	add_ref(s, BFMT_KIND_PTR, NULL, i);
	bad = unit_btf_new(NULL);
	add_int(bad, "int", 4, BFMT_INT_SIGNED);
	CU_ASSERT_EQUAL(btfd_relocate_map(s, bad, &d, &map), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "distilled base type [2] FUNC_PROTO has a kind"));
	CU_ASSERT_EQUAL(btfd_relocate(s, b, &d, NULL), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "already on that base"));
	CU_ASSERT_EQUAL(btfd_relocate_map(b, bad, &d, &map), -EINVAL);
	CU_ASSERT_PTR_NULL(map);
	bfmt_btf__free(s);
	bs = unit_btf_new(NULL);
	add_comp(bs, BFMT_KIND_STRUCT, NULL, 4, 0, NULL);
	s = unit_btf_new(bs);
	add_ref(s, BFMT_KIND_PTR, NULL, 1);
	CU_ASSERT_EQUAL(btfd_relocate(s, bad, &d, NULL), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "distilled base type [1] STRUCT is anonymous"));
	CU_ASSERT_PTR_EQUAL(s->base, bs);
	bfmt_btf__free(s);
	bfmt_btf__free(bs);
	bfmt_btf__free(bad);

	/* nothing from the base: an empty distilled base; the kernel's id
	 * shift still applies */
	s = unit_btf_new(b);
	add_ref(s, BFMT_KIND_PTR, NULL, 0);
	add_ref(s, BFMT_KIND_PTR, NULL, 4);
	distill_expect(s, "", "[1] PTR '' ->0\n[2] PTR '' ->1\n", NULL, NULL);
	bfmt_btf__free(s);
	bfmt_btf__free(b);
}

/* Random graphs: a random base, a random split whose pointers, typedefs,
 * modifiers and members are sometimes turned to base types. Each distils
 * and comes back to the same graph, or is refused as ambiguous (the
 * generator's small name pool makes same-named types of one size). */
static bool retarget_ok(const struct bfmt_type *t)
{
	switch (bfmt_kind(t)) {
	case BFMT_KIND_FUNC:
	case BFMT_KIND_VAR:
	case BFMT_KIND_DATASEC:
	case BFMT_KIND_DECL_TAG:
		return false;
	default:
		return true;
	}
}

static void retarget(struct bfmt_btf *s, struct btf_rng *rng)
{
	uint32_t nb = s->start_id;

	for (uint32_t id = s->start_id; id < bfmt_btf__nr_types(s); id++) {
		struct bfmt_type *t = bfmt_btf__type(s, id);
		uint32_t *fields[64], n = 0;

		switch (bfmt_kind(t)) {
		case BFMT_KIND_PTR:
		case BFMT_KIND_TYPEDEF:
		case BFMT_KIND_CONST:
		case BFMT_KIND_VOLATILE:
			fields[n++] = &t->size_type;
			break;
		case BFMT_KIND_STRUCT:
		case BFMT_KIND_UNION:
			for (uint32_t i = 0; i < bfmt_vlen(t) && n < 64; i++)
				fields[n++] = &((struct bfmt_member *)bfmt_type_extra(t))[i].type;
			break;
		default:
			break;
		}
		for (uint32_t k = 0; k < n; k++) {
			uint32_t to = 1 + btf_rng_below(rng, nb - 1);

			if (btf_rng_below(rng, 3) == 0 && retarget_ok(bfmt_btf__type(s, to)))
				*fields[k] = to;
		}
	}
}

/* Give most named base types a unique name, so that most graphs distil. */
static void uniquify(struct bfmt_btf *b, struct btf_rng *rng)
{
	for (uint32_t id = 1; id < bfmt_btf__nr_types(b); id++) {
		struct bfmt_type *t = bfmt_btf__type(b, id);
		char name[128];
		uint32_t off;

		if (!t->name_off || btf_rng_below(rng, 8) == 0)
			continue;
		snprintf(name, sizeof(name), "%s_%u", bfmt_btf__str(b, t->name_off), id);
		CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(b, name, &off), 0);
		bfmt_btf__type(b, id)->name_off = off;
	}
}

static void test_random(void)
{
	unsigned int ok = 0, refused = 0;

	for (uint64_t seed = 1; seed <= 150; seed++) {
		struct bfmt_btf *b = NULL, *src = NULL, *s, *nb = NULL, *ns = NULL;
		struct btf_rng rng = { .s = seed * 7919 };
		struct capture cap;
		struct diag d = capture_diag(&cap);
		int rc;

		CU_ASSERT_EQUAL_FATAL(btf_gen_random(seed, 80, &b), 0);
		uniquify(b, &rng);
		CU_ASSERT_EQUAL_FATAL(btf_gen_random(seed + 100000, 40, &src), 0);
		s = unit_btf_new(b);
		CU_ASSERT_EQUAL_FATAL(btf_gen_append(s, src, NULL), 0);
		retarget(s, &rng);
		rc = btfd_distill_base(s, &d, &nb, &ns);
		if (rc == 0) {
			ok++;
			CU_ASSERT_EQUAL(cap.count, 0);
			if (nb->offs.len)
				check_kernel(nb);
			CU_ASSERT_EQUAL(btfd_relocate(ns, b, &d, NULL), 0);
			CU_ASSERT(btf_graph_equiv(s, ns));
			bfmt_btf__free(ns);
			bfmt_btf__free(nb);
		} else {
			refused++;
			CU_ASSERT_EQUAL(rc, -EINVAL);
			CU_ASSERT_EQUAL(cap.count, 1);
			CU_ASSERT_PTR_NOT_NULL(strstr(cap.msg, "ambiguous"));
			if (!strstr(cap.msg, "ambiguous"))
				fprintf(stderr, "\nseed %llu: %s\n", (unsigned long long)seed, cap.msg);
		}
		bfmt_btf__free(s);
		bfmt_btf__free(src);
		bfmt_btf__free(b);
	}
	CU_ASSERT(ok >= 30);
	fprintf(stderr, " (%u distilled, %u refused as ambiguous) ", ok, refused);
}

/* --- the running kernel's BTF as the base --- */

static int read_file(const char *path, void **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 20, n = 0;
	char *buf = NULL;

	if (!f)
		return -errno;
	for (;;) {
		char *nbuf = realloc(buf, cap);

		if (!nbuf) {
			free(buf);
			fclose(f);
			return -ENOMEM;
		}
		buf = nbuf;
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

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(data, 1, len, f), len);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

/* Run argv with stdout to out; the exit status, 127 when it cannot run. */
static int run(char *const argv[], const char *out)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* bpftool -B base btf dump file split: parses split-on-distilled. */
static void check_bpftool(const char *dir, const char *base, const char *split,
			  uint32_t ts_id)
{
	char out[512], want[64], *text = NULL;
	char *argv[] = { "bpftool", "-B", (char *)base, "btf", "dump", "file",
			 (char *)split, NULL };
	size_t len = 0;
	int rc;

	snprintf(out, sizeof(out), "%s/dump.txt", dir);
	rc = run(argv, out);
	if (rc == 127) {
		fprintf(stderr, " (no bpftool) ");
		unlink(out);
		return;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL_FATAL(read_file(out, (void **)&text, &len), 0);
	text = realloc(text, len + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	text[len] = 0;
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "STRUCT 'distill_mod' size=40 vlen=4"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "TYPEDEF 'u64' type_id="));
	snprintf(want, sizeof(want), "[5] PTR '(anon)' type_id=%u", ts_id);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
	free(text);
	unlink(out);
}

#ifdef HAVE_LIBBPF
/* libbpf parses the pair; where it can distil (>= 1.5), it gets our graph. */
static void check_libbpf(const char *base_path, const char *split_path,
			 const struct bfmt_btf *nb, const struct bfmt_btf *ns,
			 const char *vm_path, const char *orig_split_path)
{
	struct btf *lb = btf__parse_raw(base_path), *ls;

	CU_ASSERT_PTR_NOT_NULL_FATAL(lb);
	ls = btf__parse_split(split_path, lb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ls);
	CU_ASSERT_EQUAL(btf__type_cnt(lb), bfmt_btf__nr_types(nb));
	CU_ASSERT_EQUAL(btf__type_cnt(ls), bfmt_btf__nr_types(ns));
	CU_ASSERT(btf__find_by_name_kind(ls, "distill_mod", BTF_KIND_STRUCT) > 0);
	btf__free(ls);
	btf__free(lb);
#ifdef HAVE_LIBBPF_DISTILL
	{
		struct btf *vm = btf__parse_raw(vm_path), *orig, *db = NULL, *ds = NULL;
		struct bfmt_btf *ob = NULL, *os = NULL;
		const void *data;
		uint32_t size;

		CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
		orig = btf__parse_split(orig_split_path, vm);
		CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
		CU_ASSERT_EQUAL_FATAL(btf__distill_base(orig, &db, &ds), 0);
		data = btf__raw_data(db, &size);
		CU_ASSERT_EQUAL_FATAL(btfl_load_mem(data, size, NULL, NULL, &ob), 0);
		data = btf__raw_data(ds, &size);
		CU_ASSERT_EQUAL_FATAL(btfl_load_mem(data, size, ob, NULL, &os), 0);
		CU_ASSERT(btf_graph_equiv(ob, nb));
		CU_ASSERT(btf_graph_equiv(os, ns));
		bfmt_btf__free(os);
		bfmt_btf__free(ob);
		btf__free(ds);
		btf__free(db);
		btf__free(orig);
		btf__free(vm);
	}
#else
	(void)vm_path;
	(void)orig_split_path;
	fprintf(stderr, " (libbpf %d.%d has no btf__distill_base: not compared) ",
		LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION);
#endif
}
#endif

/* .BTF and .BTF.base in an ELF file: the loader takes .BTF.base as the
 * base; relocated onto vmlinux it is the original graph. */
static void check_elf(const char *dir, const void *sb, size_t sl, const void *bb, size_t bl,
		      const struct bfmt_btf *vm, const struct bfmt_btf *split)
{
#ifdef WRITER_OBJ
	struct btfw_section secs[] = { { ".BTF", sb, sl }, { ".BTF.base", bb, bl } };
	struct bfmt_btf *loaded = NULL;
	struct btfl_info info;
	struct btfl_opts o = { .info_ret = &info };
	char path[512];
	void *obj = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/mod.o", dir);
	CU_ASSERT_EQUAL_FATAL(read_file(WRITER_OBJ, &obj, &len), 0);
	write_file(path, obj, len);
	free(obj);
	CU_ASSERT_EQUAL_FATAL(btfw_write_elf_sections(path, secs, 2, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(btfl_load_file(path, NULL, &o, &loaded), 0);
	CU_ASSERT(info.has_base_section);
	CU_ASSERT_PTR_NOT_NULL_FATAL(loaded->base);
	CU_ASSERT_EQUAL(loaded->base->offs.len, 4);
	CU_ASSERT_EQUAL(loaded->start_id, 5);
	CU_ASSERT_EQUAL_FATAL(btfd_relocate(loaded, vm, NULL, NULL), 0);
	CU_ASSERT(btf_graph_equiv(split, loaded));
	bfmt_btf__free(loaded);
	unlink(path);
#else
	(void)dir, (void)sb, (void)sl, (void)bb, (void)bl, (void)vm, (void)split;
#endif
}

static void test_vmlinux(void)
{
	struct bfmt_btf *vm = NULL, *s, *nb = NULL, *ns = NULL;
	uint32_t ts = 0, lh = 0, in = 0, u64 = 0, ptr, mod, proto, *link, moved;
	char dir[] = "/tmp/btfenc-distill-XXXXXX", bp[512], sp[512], vp[512], op[512];
	void *data = NULL, *bb, *sb, *ob;
	size_t len = 0, bl, sl, ol;

	if (read_file("/sys/kernel/btf/vmlinux", &data, &len)) {
		fprintf(stderr, " (skipped: no /sys/kernel/btf/vmlinux) ");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(btf_read_raw(data, len, &vm), 0);
	unit_btf_find(vm, BFMT_KIND_STRUCT, "task_struct", &ts);
	unit_btf_find(vm, BFMT_KIND_STRUCT, "list_head", &lh);
	unit_btf_find(vm, BFMT_KIND_INT, "int", &in);
	unit_btf_find(vm, BFMT_KIND_TYPEDEF, "u64", &u64);
	CU_ASSERT_FATAL(ts && lh && in && u64);
	/* u64 -> __u64 -> unsigned long long: the typedefs move */
	moved = 0;
	for (uint32_t t = u64; bfmt_kind(bfmt_btf__type(vm, t)) == BFMT_KIND_TYPEDEF; moved++)
		t = bfmt_btf__type(vm, t)->size_type;

	/* struct distill_mod { struct list_head node; struct task_struct *task;
	 * int count; u64 stamp; }; int distill_fn(struct distill_mod *); */
	s = unit_btf_new(vm);
	ptr = add_ref(s, BFMT_KIND_PTR, NULL, ts);
	mod = add_comp(s, BFMT_KIND_STRUCT, "distill_mod", 40, 4,
		       (struct mem[]){ { "node", lh, 0 }, { "task", ptr, 128 },
				       { "count", in, 192 }, { "stamp", u64, 256 } });
	proto = add_proto(s, in, add_ref(s, BFMT_KIND_PTR, NULL, mod));
	unit_btf_add(s, BFMT_KIND_FUNC, 0, false, "distill_fn", proto, NULL);
	unit_btf_add(s, BFMT_KIND_VAR, 0, false, "distill_var", mod, (void **)&link);
	*link = BFMT_LINKAGE_GLOBAL;

	distill_expect(s, NULL, NULL, &nb, &ns);
	CU_ASSERT_EQUAL_FATAL(nb->offs.len, 4);
	/* in vmlinux id order */
	for (uint32_t k = 1, prev = 0; k <= 4; k++) {
		const struct bfmt_type *t = bfmt_btf__type(nb, k);
		uint32_t at = 0;

		unit_btf_find(vm, bfmt_kind(t), bfmt_btf__str(nb, t->name_off), &at);
		CU_ASSERT(at > prev);
		prev = at;
	}
	CU_ASSERT_PTR_NOT_NULL(unit_btf_find(nb, BFMT_KIND_STRUCT, "task_struct", NULL));
	CU_ASSERT_EQUAL(unit_btf_find(nb, BFMT_KIND_STRUCT, "list_head", NULL)->size_type,
			bfmt_btf__type(vm, lh)->size_type);
	CU_ASSERT_EQUAL(unit_btf_find(nb, BFMT_KIND_STRUCT, "task_struct", NULL)->size_type,
			bfmt_btf__type(vm, ts)->size_type);
	CU_ASSERT_EQUAL(bfmt_vlen(unit_btf_find(nb, BFMT_KIND_STRUCT, "task_struct", NULL)), 0);
	/* the split BTF made its own pointer; only the typedefs moved */
	CU_ASSERT_EQUAL(ns->offs.len, s->offs.len + moved);
	CU_ASSERT_EQUAL(ns->start_id, 5);

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(bp, sizeof(bp), "%s/base.btf", dir);
	snprintf(sp, sizeof(sp), "%s/split.btf", dir);
	snprintf(vp, sizeof(vp), "%s/vmlinux.btf", dir);
	snprintf(op, sizeof(op), "%s/orig_split.btf", dir);
	bb = blob(nb, &bl);
	sb = blob(ns, &sl);
	ob = blob(s, &ol);
	write_file(bp, bb, bl);
	write_file(sp, sb, sl);
	write_file(vp, data, len);
	write_file(op, ob, ol);
	CU_ASSERT_PTR_NOT_NULL(unit_btf_find(nb, BFMT_KIND_STRUCT, "task_struct", &ts));
	check_bpftool(dir, bp, sp, ts);
#ifdef HAVE_LIBBPF
	check_libbpf(bp, sp, nb, ns, vp, op);
#endif
	check_elf(dir, sb, sl, bb, bl, vm, s);
	unlink(bp);
	unlink(sp);
	unlink(vp);
	unlink(op);
	rmdir(dir);
	free(bb);
	free(sb);
	free(ob);
	free(data);
	bfmt_btf__free(ns);
	bfmt_btf__free(nb);
	bfmt_btf__free(s);
	bfmt_btf__free(vm);
}

int register_btf_distill_suite(void)
{
	static const struct unit_test tests[] = {
		{ "worked_example", test_worked_example },
		{ "named_struct_by_pointer", test_named_struct_by_pointer },
		{ "base_int_float_fwd", test_base_int_float_fwd },
		{ "anonymous_moved", test_anonymous_moved },
		{ "enums", test_enums },
		{ "ambiguous_names", test_ambiguous_names },
		{ "relocate_other_base", test_relocate_other_base },
		{ "relocate_mismatch", test_relocate_mismatch },
		{ "errors", test_errors },
		{ "random", test_random },
		{ "vmlinux", test_vmlinux },
		{ NULL, NULL },
	};

	return unit_add_suite("btf_distill", tests);
}
