// SPDX-License-Identifier: GPL-2.0-only
/* Suite "btf_format": strset, the bfmt_btf table and its serialisation.
 * Where libbpf is installed, it parses what we serialise (test-only oracle). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/btf_format/btf_types.h"
#include "src/util/strset.h"
#include "btf_gen.h"
#include "tests.h"

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>
#endif

static void test_strset(void)
{
	struct strset s, r;
	uint32_t a, b, c, e;

	CU_ASSERT_EQUAL_FATAL(strset_init(&s), 0);
	CU_ASSERT_EQUAL(strset_add(&s, "", &e), 0);
	CU_ASSERT_EQUAL(e, 0);
	CU_ASSERT_EQUAL(strset_add(&s, "int", &a), 0);
	CU_ASSERT_EQUAL(a, 1);
	CU_ASSERT_EQUAL(strset_add(&s, "char", &b), 0);
	CU_ASSERT_EQUAL(b, 5);
	CU_ASSERT_EQUAL(strset_add(&s, "int", &c), 0);
	CU_ASSERT_EQUAL(c, a);
	CU_ASSERT_EQUAL(s.len, 10);
	CU_ASSERT_STRING_EQUAL(strset_str(&s, b), "char");
	CU_ASSERT_EQUAL(strset_find(&s, "char", &c), 0);
	CU_ASSERT_EQUAL(c, b);
	CU_ASSERT_EQUAL(strset_find(&s, "long", &c), -ENOENT);
	CU_ASSERT_EQUAL(s.len, 10);
	CU_ASSERT_EQUAL(strset_add_len(&s, "charm", 4, &c), 0);
	CU_ASSERT_EQUAL(c, b);
	for (int i = 0; i < 3000; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "s%d", i);
		CU_ASSERT_EQUAL_FATAL(strset_add(&s, buf, &c), 0);
	}
	CU_ASSERT_EQUAL(strset_find(&s, "s2999", &c), 0);
	CU_ASSERT_STRING_EQUAL(strset_str(&s, c), "s2999");
	CU_ASSERT_PTR_NULL(strset_str(&s, (uint32_t)s.len));
	strset_deinit(&s);

	CU_ASSERT_EQUAL_FATAL(strset_init_raw(&r), 0);
	CU_ASSERT_EQUAL(strset_add(&r, "", &e), -EINVAL);
	CU_ASSERT_EQUAL(strset_add(&r, "x", &a), 0);
	CU_ASSERT_EQUAL(a, 0);
	strset_deinit(&r);

	/* Reindexing an empty blob without data (a split BTF with no
	 * strings, a btf_loader fuzz finding: no arithmetic on NULL). */
	memset(&r, 0, sizeof(r));
	CU_ASSERT_EQUAL(strset_reindex(&r), 0);
	CU_ASSERT_EQUAL(r.nr_strs, 0);
	CU_ASSERT_EQUAL(strset_find(&r, "x", &a), -ENOENT);
	strset_deinit(&r);

	/* A blob with repeats: the first of equal strings is indexed, the
	 * others counted (bfmt_strs_canonical() relies on the count). */
	memset(&r, 0, sizeof(r));
	r.data = malloc(12);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.data);
	memcpy(r.data, "\0ab\0c\0ab\0ab\0", 12);
	r.len = r.cap = 12;
	r.with_empty = true;
	CU_ASSERT_EQUAL(strset_reindex(&r), 0);
	CU_ASSERT_EQUAL(r.nr_strs, 2);
	CU_ASSERT_EQUAL(r.nr_repeats, 2);
	CU_ASSERT_EQUAL(strset_find(&r, "ab", &a), 0);
	CU_ASSERT_EQUAL(a, 1);
	strset_deinit(&r);
}

/* int, const int *, struct s { int a; int b:3; } -> a small table. */
static struct bfmt_btf *build_small(void)
{
	struct bfmt_btf *btf;
	uint32_t id_int, id_c, id_p, id_s, off;
	struct bfmt_member *m;
	uint32_t *iinfo;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &btf), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(btf, "int", &off), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(btf, BFMT_KIND_INT, 0, false, off, 4,
						 &id_int, (void **)&iinfo), 0);
	*iinfo = bfmt_int_info(BFMT_INT_SIGNED, 0, 32);
	CU_ASSERT_EQUAL(id_int, 1);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(btf, BFMT_KIND_CONST, 0, false, 0, id_int,
						 &id_c, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(btf, BFMT_KIND_PTR, 0, false, 0, id_c,
						 &id_p, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(btf, "s", &off), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(btf, BFMT_KIND_STRUCT, 2, true, off, 8,
						 &id_s, (void **)&m), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(btf, "a", &m[0].name_off), 0);
	m[0].type = id_int;
	m[0].offset = 0;
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(btf, "b", &m[1].name_off), 0);
	m[1].type = id_int;
	m[1].offset = 3u << 24 | 32;
	CU_ASSERT_EQUAL(id_s, 4);
	return btf;
}

static int count_field(uint32_t *f, void *ctx)
{
	(void)f;
	(*(int *)ctx)++;
	return 0;
}

static void test_table(void)
{
	struct bfmt_btf *btf = build_small();
	struct bfmt_type *t;
	uint32_t bad;
	int n = 0;

	CU_ASSERT_EQUAL(bfmt_btf__nr_types(btf), 5);
	CU_ASSERT_PTR_NULL(bfmt_btf__type(btf, 0));
	CU_ASSERT_PTR_NULL(bfmt_btf__type(btf, 5));
	t = bfmt_btf__type(btf, 4);
	CU_ASSERT_EQUAL(bfmt_kind(t), BFMT_KIND_STRUCT);
	CU_ASSERT_EQUAL(bfmt_vlen(t), 2);
	CU_ASSERT_TRUE(bfmt_kflag(t));
	CU_ASSERT_STRING_EQUAL(bfmt_btf__str(btf, t->name_off), "s");
	CU_ASSERT_EQUAL(bfmt_type__size(t), 12 + 2 * 12);
	CU_ASSERT_EQUAL(bfmt_type__visit_ids(t, count_field, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	n = 0;
	CU_ASSERT_EQUAL(bfmt_type__visit_strs(t, count_field, &n), 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(bfmt_btf__add_type(btf, BFMT_KIND_NR, 0, false, 0, 0, &bad, NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(bfmt_kind_name(BFMT_KIND_FUNC_PROTO), "FUNC_PROTO");
	bfmt_btf__free(btf);
}

static int zero_field(uint32_t *f, void *ctx)
{
	(void)ctx;
	*f = 0;
	return 0;
}

/* Marks the word index of each id field in the bitmap ctx points to. */
struct id_words {
	const uint32_t *rec;
	bool is_id[64];
};

static int mark_field(uint32_t *f, void *ctx)
{
	struct id_words *w = ctx;
	size_t at = (size_t)(f - w->rec);

	if (at < 64)
		w->is_id[at] = true;
	return 0;
}

/* bfmt_type__equal_but_ids() against its definition: records equal once
 * the fields bfmt_type__visit_ids() visits are zeroed. */
static void test_equal_but_ids(void)
{
	struct bfmt_btf *g = NULL;
	uint32_t a, b, w, buf[64], za[64], zb[64];

	CU_ASSERT_EQUAL_FATAL(btf_gen_random(7, 300, &g), 0);
	for (a = 1; a < bfmt_btf__nr_types(g); a++) {
		const struct bfmt_type *ta = bfmt_btf__type(g, a);
		long la = bfmt_type__size(ta);
		struct id_words iw = { .rec = buf };

		if (la > (long)sizeof(buf))
			continue;
		memcpy(za, ta, (size_t)la);
		bfmt_type__visit_ids((struct bfmt_type *)za, zero_field, NULL);
		/* Every word but the ids tells the records apart. */
		memcpy(buf, ta, (size_t)la);
		bfmt_type__visit_ids((struct bfmt_type *)buf, mark_field, &iw);
		for (w = 0; w < (uint32_t)la / 4; w++) {
			memcpy(buf, ta, (size_t)la);
			buf[w] ^= w ? 0x5 : 0x1;	/* word 0: a name offset */
			CU_ASSERT_EQUAL(bfmt_type__equal_but_ids(ta, (struct bfmt_type *)buf),
					iw.is_id[w]);
		}
		for (b = 1; b < bfmt_btf__nr_types(g); b++) {
			const struct bfmt_type *tb = bfmt_btf__type(g, b);
			long lb = bfmt_type__size(tb);
			bool want;

			if (lb > (long)sizeof(buf))
				continue;
			memcpy(zb, tb, (size_t)lb);
			bfmt_type__visit_ids((struct bfmt_type *)zb, zero_field, NULL);
			want = la == lb && !memcmp(za, zb, (size_t)la);
			CU_ASSERT_EQUAL(bfmt_type__equal_but_ids(ta, tb), want);
		}
	}
	bfmt_btf__free(g);
}

static void test_split(void)
{
	struct bfmt_btf *base = build_small(), *split;
	uint32_t off, id;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(base, &split), 0);
	CU_ASSERT_EQUAL(split->start_id, 5);
	CU_ASSERT_EQUAL(split->start_str_off, base->strs.len);
	/* A string the base has resolves to the base offset. */
	CU_ASSERT_EQUAL(bfmt_btf__add_str(split, "int", &off), 0);
	CU_ASSERT_EQUAL(off, 1);
	CU_ASSERT_EQUAL(bfmt_btf__add_str(split, "mod_only", &off), 0);
	CU_ASSERT_EQUAL(off, split->start_str_off);
	CU_ASSERT_STRING_EQUAL(bfmt_btf__str(split, off), "mod_only");
	CU_ASSERT_STRING_EQUAL(bfmt_btf__str(split, 1), "int");
	CU_ASSERT_EQUAL(bfmt_btf__add_type(split, BFMT_KIND_PTR, 0, false, 0, 4, &id, NULL), 0);
	CU_ASSERT_EQUAL(id, 5);
	CU_ASSERT_EQUAL(bfmt_kind(bfmt_btf__type(split, 4)), BFMT_KIND_STRUCT);
	CU_ASSERT_EQUAL(bfmt_kind(bfmt_btf__type(split, 5)), BFMT_KIND_PTR);
	bfmt_btf__free(split);
	bfmt_btf__free(base);
}

static void test_serialize(void)
{
	struct bfmt_btf *btf = build_small();
	unsigned char *le, *be;
	size_t le_len, be_len;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(btf, false, (void **)&le, &le_len), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(btf, true, (void **)&be, &be_len), 0);
	CU_ASSERT_EQUAL(le_len, be_len);
	CU_ASSERT_EQUAL(le[0], 0x9f);
	CU_ASSERT_EQUAL(le[1], 0xeb);
	CU_ASSERT_EQUAL(be[0], 0xeb);
	CU_ASSERT_EQUAL(be[1], 0x9f);
	/* Header, 4 types (16 + 12 + 12 + 36 bytes), strings "\0int\0s\0a\0b\0". */
	CU_ASSERT_EQUAL(le_len, 24 + 76 + 11);
#ifdef HAVE_LIBBPF
	{
		struct btf *lb = btf__new(le, (__u32)le_len);
		const struct btf_type *t;

		CU_ASSERT_PTR_NOT_NULL_FATAL(lb);
		CU_ASSERT_EQUAL(btf__type_cnt(lb), 5);
		t = btf__type_by_id(lb, 4);
		CU_ASSERT_EQUAL(btf_kind(t), BTF_KIND_STRUCT);
		CU_ASSERT_EQUAL(btf_member_bitfield_size(t, 1), 3);
		CU_ASSERT_EQUAL(btf_member_bit_offset(t, 1), 32);
		CU_ASSERT_STRING_EQUAL(btf__name_by_offset(lb, btf_members(t)[1].name_off), "b");
		btf__free(lb);
		lb = btf__new(be, (__u32)be_len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(lb);
		CU_ASSERT_EQUAL(btf__type_cnt(lb), 5);
		CU_ASSERT_EQUAL(btf__endianness(lb), BTF_BIG_ENDIAN);
		t = btf__type_by_id(lb, 1);
		CU_ASSERT_EQUAL(btf_int_bits(t), 32);
		btf__free(lb);
	}
#endif
	free(le);
	free(be);
	bfmt_btf__free(btf);
}

/* A table adopted from raw sections knows its strings: adding one it holds
 * (directly, or from a split table on top) finds it, no copy is made. */
static void test_adopt_raw_strings(void)
{
	static const char blob[] = "\0int\0foo\0foo\0";
	struct bfmt_btf *btf, *split;
	uint32_t *words = calloc(4, sizeof(*words));
	char *strs = malloc(sizeof(blob) - 1);
	uint32_t off;

	CU_ASSERT_PTR_NOT_NULL_FATAL(words);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strs);
	memcpy(strs, blob, sizeof(blob) - 1);
	words[0] = 1;	/* name "int" */
	words[1] = bfmt_info(BFMT_KIND_INT, 0, false);
	words[2] = 4;
	words[3] = bfmt_int_info(BFMT_INT_SIGNED, 0, 32);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &btf), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__adopt_raw(btf, words, 4, strs, sizeof(blob) - 1), 0);
	CU_ASSERT_EQUAL(bfmt_btf__add_str(btf, "foo", &off), 0);
	CU_ASSERT_EQUAL(off, 5);	/* the first of the two copies */
	CU_ASSERT_EQUAL(btf->strs.len, sizeof(blob) - 1);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(btf, &split), 0);
	CU_ASSERT_EQUAL(bfmt_btf__add_str(split, "int", &off), 0);
	CU_ASSERT_EQUAL(off, 1);
	CU_ASSERT_EQUAL(split->strs.len, 0);
	bfmt_btf__free(split);
	bfmt_btf__free(btf);
}

/* One INT named at name_off, adopted with blob; its strs_canonical. */
static bool canonical_after_adopt(const struct bfmt_btf *base, const char *blob, size_t len,
				  uint32_t name_off)
{
	struct bfmt_btf *btf;
	uint32_t *words = calloc(4, sizeof(*words));
	char *strs = malloc(len ? len : 1);
	bool canonical;

	CU_ASSERT_PTR_NOT_NULL_FATAL(words);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strs);
	memcpy(strs, blob, len);
	words[0] = name_off;
	words[1] = bfmt_info(BFMT_KIND_INT, 0, false);
	words[2] = 4;
	words[3] = bfmt_int_info(BFMT_INT_SIGNED, 0, 32);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(base, &btf), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__adopt_raw(btf, words, 4, strs, len), 0);
	canonical = btf->strs_canonical;
	bfmt_btf__free(btf);
	return canonical;
}

/* Equal strings have equal offsets in built tables, and in adopted ones
 * unless a string repeats (in the table or its base), a reference points
 * inside a string or at an empty one other than offset 0: the dedup then
 * canonicalises the strings itself. */
static void test_strs_canonical(void)
{
	static const char ok[] = "\0int\0foo\0";
	struct bfmt_btf *built, *base, *split;
	uint32_t *words = calloc(4, sizeof(*words));
	char *strs = malloc(sizeof(ok) - 1);

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &built), 0);
	CU_ASSERT_TRUE(built->strs_canonical);
	bfmt_btf__free(built);
	CU_ASSERT_TRUE(canonical_after_adopt(NULL, ok, sizeof(ok) - 1, 1));
	CU_ASSERT_TRUE(canonical_after_adopt(NULL, ok, sizeof(ok) - 1, 0));
	CU_ASSERT_FALSE(canonical_after_adopt(NULL, "\0int\0int\0", 9, 1));	/* repeats */
	CU_ASSERT_FALSE(canonical_after_adopt(NULL, ok, sizeof(ok) - 1, 2));	/* "nt" */
	CU_ASSERT_FALSE(canonical_after_adopt(NULL, "\0int\0\0", 7, 5));	/* empty */

	/* A split table: its own strings must not repeat the base's. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(words);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strs);
	memcpy(strs, ok, sizeof(ok) - 1);
	words[0] = 1;
	words[1] = bfmt_info(BFMT_KIND_INT, 0, false);
	words[2] = 4;
	words[3] = bfmt_int_info(BFMT_INT_SIGNED, 0, 32);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &base), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__adopt_raw(base, words, 4, strs, sizeof(ok) - 1), 0);
	CU_ASSERT_TRUE(base->strs_canonical);
	CU_ASSERT_TRUE(canonical_after_adopt(base, "bar", 4, 9));	/* its own "bar" */
	CU_ASSERT_TRUE(canonical_after_adopt(base, "bar", 4, 1));	/* the base's "int" */
	CU_ASSERT_FALSE(canonical_after_adopt(base, "foo", 4, 9));	/* "foo" twice */
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(base, &split), 0);
	CU_ASSERT_TRUE(split->strs_canonical);
	bfmt_btf__free(split);
	bfmt_btf__free(base);
}

static const struct unit_test btf_format_tests[] = {
	{ "adopt_raw_strings", test_adopt_raw_strings },
	{ "strs_canonical", test_strs_canonical },
	{ "strset", test_strset },
	{ "table", test_table },
	{ "equal_but_ids", test_equal_but_ids },
	{ "split", test_split },
	{ "serialize", test_serialize },
	{ NULL, NULL },
};

int register_btf_format_suite(void)
{
	return unit_add_suite("btf_format", btf_format_tests);
}
