// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "btf_dump": the bpftool-compatible raw and JSON printers.
 *
 * A hand-built table holds every kind and bpftool's odd corners (unsigned
 * ENUM values that JSON sign-extends, ENUM64 suffixes, unknown INT
 * encodings and linkages, names that need escaping, invalid and empty
 * names, a DATASEC entry for void and one out of range, old-style struct
 * bitfields without kind_flag), plus a split table on a base. The
 * expected texts are what Debian 12's bpftool v7.1.0 printed for the same
 * tables: run the suite with BTFENC_BTF_DUMP_BLOBS=DIR to have it write
 * them as all.btf, base.btf and split.btf, then e.g.
 *   bpftool btf dump file DIR/all.btf
 *   bpftool -p -B DIR/base.btf btf dump file DIR/split.btf
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/btf_format/btf_types.h"
#include "src/print/btf_dump.h"
#include "tests.h"

/* A name added to btf (NULL or "" give 0). */
static uint32_t str(struct bfmt_btf *btf, const char *s)
{
	uint32_t off = 0;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(btf, s, &off), 0);
	return off;
}

/* Add a type; returns its extra bytes (valid until the next addition). */
static void *add(struct bfmt_btf *btf, enum bfmt_kind kind, uint32_t vlen, bool kflag,
		 uint32_t name_off, uint32_t size_type)
{
	uint32_t id;
	void *extra = NULL;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(btf, kind, vlen, kflag, name_off, size_type,
						 &id, &extra), 0);
	return extra;
}

static void add_int(struct bfmt_btf *btf, const char *name, uint32_t size, uint32_t enc,
		    uint32_t off, uint32_t bits)
{
	uint32_t *v = add(btf, BFMT_KIND_INT, 0, false, str(btf, name), size);

	*v = bfmt_int_info(enc, off, bits);
}

static void set_member(struct bfmt_btf *btf, struct bfmt_member *m, const char *name,
		       uint32_t type, uint32_t offset)
{
	uint32_t off = str(btf, name);

	m->name_off = off;
	m->type = type;
	m->offset = offset;
}

static void add_enum(struct bfmt_btf *btf, const char *name, bool is_signed,
		     const char *const *names, const int32_t *vals, uint32_t n)
{
	uint32_t name_off = str(btf, name);
	uint32_t offs[4];

	for (uint32_t i = 0; i < n; i++)
		offs[i] = str(btf, names[i]);
	struct bfmt_enum *e = add(btf, BFMT_KIND_ENUM, n, is_signed, name_off, 4);

	for (uint32_t i = 0; i < n; i++) {
		e[i].name_off = offs[i];
		e[i].val = vals[i];
	}
}

static void add_enum64(struct bfmt_btf *btf, const char *name, bool is_signed,
		       const char *const *names, const uint64_t *vals, uint32_t n)
{
	uint32_t name_off = str(btf, name);
	uint32_t offs[4];

	for (uint32_t i = 0; i < n; i++)
		offs[i] = str(btf, names[i]);
	struct bfmt_enum64 *e = add(btf, BFMT_KIND_ENUM64, n, is_signed, name_off, 8);

	for (uint32_t i = 0; i < n; i++) {
		e[i].name_off = offs[i];
		e[i].val_lo32 = (uint32_t)vals[i];
		e[i].val_hi32 = (uint32_t)(vals[i] >> 32);
	}
}

static void add_var(struct bfmt_btf *btf, const char *name, uint32_t type, uint32_t linkage)
{
	struct bfmt_var *v = add(btf, BFMT_KIND_VAR, 0, false, str(btf, name), type);

	v->linkage = linkage;
}

static void add_decl_tag(struct bfmt_btf *btf, const char *name, uint32_t type, int32_t idx)
{
	struct bfmt_decl_tag *d = add(btf, BFMT_KIND_DECL_TAG, 0, false, str(btf, name), type);

	d->component_idx = idx;
}

/* Ids 1-5 INT, 6 PTR, 7 ARRAY, 8-11 STRUCT/UNION, 12-15 ENUM/ENUM64. */
static void build_data_types(struct bfmt_btf *btf)
{
	static const char *const en[] = { "A", "B", "C" }, *const sn[] = { "M", "N" };
	static const int32_t ev[] = { 0, -1, INT32_MAX }, sv[] = { INT32_MIN, 5 };
	static const char *const e64n[] = { "BIG", "SMALL" }, *const s64n[] = { "NEG", "MIN" };
	static const uint64_t e64v[] = { UINT64_MAX, 1 };
	static const uint64_t s64v[] = { (uint64_t)-5, (uint64_t)INT64_MIN };
	struct bfmt_array *a;
	struct bfmt_member *m;
	uint32_t s_off, old_off;

	add_int(btf, "int", 4, BFMT_INT_SIGNED, 0, 32);				/* 1 */
	add_int(btf, "char", 1, BFMT_INT_CHAR, 0, 8);				/* 2 */
	add_int(btf, "_Bool", 1, BFMT_INT_BOOL, 0, 8);				/* 3 */
	add_int(btf, "unsigned int", 4, 0, 0, 32);				/* 4 */
	add_int(btf, "odd", 1, BFMT_INT_SIGNED | BFMT_INT_CHAR, 2, 5);		/* 5 */
	add(btf, BFMT_KIND_PTR, 0, false, 0, 1);				/* 6 */
	a = add(btf, BFMT_KIND_ARRAY, 0, false, 0, 0);				/* 7 */
	a->type = 1;
	a->index_type = 4;
	a->nelems = 3;
	s_off = str(btf, "s");
	str(btf, "a");
	str(btf, "b");
	m = add(btf, BFMT_KIND_STRUCT, 3, true, s_off, 8);			/* 8 */
	set_member(btf, &m[0], "a", 1, 0);
	set_member(btf, &m[1], "b", 1, 3u << 24 | 32);
	set_member(btf, &m[2], NULL, 10, 40);
	old_off = str(btf, "old");
	str(btf, "x");
	str(btf, "y");
	m = add(btf, BFMT_KIND_STRUCT, 2, false, old_off, 4);			/* 9 */
	set_member(btf, &m[0], "x", 1, 0);
	set_member(btf, &m[1], "y", 1, 3u << 24 | 5);
	str(btf, "u");
	m = add(btf, BFMT_KIND_UNION, 1, false, 0, 4);				/* 10 */
	set_member(btf, &m[0], "u", 1, 0);
	add(btf, BFMT_KIND_STRUCT, 0, false, str(btf, "empty"), 0);		/* 11 */
	add_enum(btf, "e", false, en, ev, 3);					/* 12 */
	add_enum(btf, "se", true, sn, sv, 2);					/* 13 */
	add_enum64(btf, "e64", false, e64n, e64v, 2);				/* 14 */
	add_enum64(btf, "s64", true, s64n, s64v, 2);				/* 15 */
}

/* Ids 16-21 FWD/TYPEDEF/VOLATILE/CONST/RESTRICT, 22-27 functions. */
static void build_refs_and_funcs(struct bfmt_btf *btf)
{
	static const char *const funcs[] = { "f_static", "f_global", "f_extern", "f_odd" };
	struct bfmt_param *p;
	uint32_t a_off = str(btf, "a");

	add(btf, BFMT_KIND_FWD, 0, false, str(btf, "fs"), 0);			/* 16 */
	add(btf, BFMT_KIND_FWD, 0, true, str(btf, "fu"), 0);			/* 17 */
	add(btf, BFMT_KIND_TYPEDEF, 0, false, str(btf, "td"), 1);		/* 18 */
	add(btf, BFMT_KIND_VOLATILE, 0, false, 0, 1);				/* 19 */
	add(btf, BFMT_KIND_CONST, 0, false, 0, 6);				/* 20 */
	add(btf, BFMT_KIND_RESTRICT, 0, false, 0, 6);				/* 21 */
	p = add(btf, BFMT_KIND_FUNC_PROTO, 3, false, 0, 1);			/* 22 */
	p[0] = (struct bfmt_param){ a_off, 1 };
	p[1] = (struct bfmt_param){ 0, 6 };
	p[2] = (struct bfmt_param){ 0, 0 };	/* varargs */
	for (uint32_t i = 0; i < 4; i++)					/* 23-26 */
		add(btf, BFMT_KIND_FUNC, i, false, str(btf, funcs[i]), 22);
	add(btf, BFMT_KIND_FUNC_PROTO, 0, false, 0, 0);				/* 27 */
}

/* Ids 28-31 VAR, 32 DATASEC, 33 FLOAT, 34-35 DECL_TAG, 36 TYPE_TAG and
 * 37-39 odd names. */
static void build_vars_and_tags(struct bfmt_btf *btf)
{
	struct bfmt_var_secinfo *v;
	uint32_t int_off;

	add_var(btf, "v_static", 1, 0);						/* 28 */
	add_var(btf, "v_global", 1, 1);						/* 29 */
	add_var(btf, "v_extern", 1, 2);						/* 30 */
	add_var(btf, "v_odd", 1, 7);						/* 31 */
	v = add(btf, BFMT_KIND_DATASEC, 4, false, str(btf, ".data"), 16);	/* 32 */
	v[0] = (struct bfmt_var_secinfo){ 28, 0, 4 };
	v[1] = (struct bfmt_var_secinfo){ 29, 4, 4 };
	v[2] = (struct bfmt_var_secinfo){ 0, 8, 4 };		/* void */
	v[3] = (struct bfmt_var_secinfo){ 1000, 12, 4 };	/* no such id */
	add(btf, BFMT_KIND_FLOAT, 0, false, str(btf, "double"), 8);		/* 33 */
	add_decl_tag(btf, "tag1", 8, -1);					/* 34 */
	add_decl_tag(btf, "tag2", 8, 1);					/* 35 */
	add(btf, BFMT_KIND_TYPE_TAG, 0, false, str(btf, "user"), 1);		/* 36 */
	add(btf, BFMT_KIND_TYPEDEF, 0, false,					/* 37 */
	    str(btf, "q'\"\\\n\t\r\f\b\x01\xc3\xa9 x"), 1);
	add(btf, BFMT_KIND_INT, 0, false, 0x7fffff, 4);				/* 38 */
	int_off = str(btf, "int");
	add(btf, BFMT_KIND_CONST, 0, false, int_off + 3, 1);			/* 39: "" */
}

static struct bfmt_btf *build_all(void)
{
	struct bfmt_btf *btf;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &btf), 0);
	build_data_types(btf);
	build_refs_and_funcs(btf);
	build_vars_and_tags(btf);
	CU_ASSERT_EQUAL(bfmt_btf__nr_types(btf), 40);
	return btf;
}

/* base: 1 int, 2 struct b { int x; }; split: 3 PTR -> 2, 4 VAR 'sv' int,
 * 5 DATASEC '.bss' listing 4, and 2, 6 TYPEDEF 'int' (a base string). */
static void build_split(struct bfmt_btf **base_ret, struct bfmt_btf **split_ret)
{
	struct bfmt_btf *base, *split;
	struct bfmt_var_secinfo *v;
	struct bfmt_member *m;
	uint32_t b_off;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &base), 0);
	add_int(base, "int", 4, BFMT_INT_SIGNED, 0, 32);
	b_off = str(base, "b");
	str(base, "x");
	m = add(base, BFMT_KIND_STRUCT, 1, false, b_off, 4);
	set_member(base, &m[0], "x", 1, 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(base, &split), 0);
	add(split, BFMT_KIND_PTR, 0, false, 0, 2);
	add_var(split, "sv", 1, 1);
	v = add(split, BFMT_KIND_DATASEC, 2, false, str(split, ".bss"), 8);
	v[0] = (struct bfmt_var_secinfo){ 4, 0, 4 };
	v[1] = (struct bfmt_var_secinfo){ 2, 4, 4 };
	add(split, BFMT_KIND_TYPEDEF, 0, false, str(split, "int"), 1);
	*base_ret = base;
	*split_ret = split;
}

/* With BTFENC_BTF_DUMP_BLOBS=DIR, write btf as DIR/name for bpftool. */
static void save_blob(const struct bfmt_btf *btf, const char *name)
{
	const char *dir = getenv("BTFENC_BTF_DUMP_BLOBS");
	char path[4096];
	size_t len;
	void *buf;
	FILE *f;

	if (!dir)
		return;
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(btf, false, &buf, &len), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(buf, 1, len, f), len);
	CU_ASSERT_EQUAL(fclose(f), 0);
	free(buf);
}

/* bpftool btf dump file all.btf */
static const char all_raw[] =
	"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	"[2] INT 'char' size=1 bits_offset=0 nr_bits=8 encoding=CHAR\n"
	"[3] INT '_Bool' size=1 bits_offset=0 nr_bits=8 encoding=BOOL\n"
	"[4] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
	"[5] INT 'odd' size=1 bits_offset=2 nr_bits=5 encoding=UNKN\n"
	"[6] PTR '(anon)' type_id=1\n"
	"[7] ARRAY '(anon)' type_id=1 index_type_id=4 nr_elems=3\n"
	"[8] STRUCT 's' size=8 vlen=3\n"
	"\t'a' type_id=1 bits_offset=0\n"
	"\t'b' type_id=1 bits_offset=32 bitfield_size=3\n"
	"\t'(anon)' type_id=10 bits_offset=40\n"
	"[9] STRUCT 'old' size=4 vlen=2\n"
	"\t'x' type_id=1 bits_offset=0\n"
	"\t'y' type_id=1 bits_offset=50331653\n"
	"[10] UNION '(anon)' size=4 vlen=1\n"
	"\t'u' type_id=1 bits_offset=0\n"
	"[11] STRUCT 'empty' size=0 vlen=0\n"
	"[12] ENUM 'e' encoding=UNSIGNED size=4 vlen=3\n"
	"\t'A' val=0\n"
	"\t'B' val=4294967295\n"
	"\t'C' val=2147483647\n"
	"[13] ENUM 'se' encoding=SIGNED size=4 vlen=2\n"
	"\t'M' val=-2147483648\n"
	"\t'N' val=5\n"
	"[14] ENUM64 'e64' encoding=UNSIGNED size=8 vlen=2\n"
	"\t'BIG' val=18446744073709551615ULL\n"
	"\t'SMALL' val=1ULL\n"
	"[15] ENUM64 's64' encoding=SIGNED size=8 vlen=2\n"
	"\t'NEG' val=-5LL\n"
	"\t'MIN' val=-9223372036854775808LL\n"
	"[16] FWD 'fs' fwd_kind=struct\n"
	"[17] FWD 'fu' fwd_kind=union\n"
	"[18] TYPEDEF 'td' type_id=1\n"
	"[19] VOLATILE '(anon)' type_id=1\n"
	"[20] CONST '(anon)' type_id=6\n"
	"[21] RESTRICT '(anon)' type_id=6\n"
	"[22] FUNC_PROTO '(anon)' ret_type_id=1 vlen=3\n"
	"\t'a' type_id=1\n"
	"\t'(anon)' type_id=6\n"
	"\t'(anon)' type_id=0\n"
	"[23] FUNC 'f_static' type_id=22 linkage=static\n"
	"[24] FUNC 'f_global' type_id=22 linkage=global\n"
	"[25] FUNC 'f_extern' type_id=22 linkage=extern\n"
	"[26] FUNC 'f_odd' type_id=22 linkage=(unknown)\n"
	"[27] FUNC_PROTO '(anon)' ret_type_id=0 vlen=0\n"
	"[28] VAR 'v_static' type_id=1, linkage=static\n"
	"[29] VAR 'v_global' type_id=1, linkage=global\n"
	"[30] VAR 'v_extern' type_id=1, linkage=extern\n"
	"[31] VAR 'v_odd' type_id=1, linkage=(unknown)\n"
	"[32] DATASEC '.data' size=16 vlen=4\n"
	"\ttype_id=28 offset=0 size=4 (VAR 'v_static')\n"
	"\ttype_id=29 offset=4 size=4 (VAR 'v_global')\n"
	"\ttype_id=0 offset=8 size=4 (UNKNOWN '(anon)')\n"
	"\ttype_id=1000 offset=12 size=4\n"
	"[33] FLOAT 'double' size=8\n"
	"[34] DECL_TAG 'tag1' type_id=8 component_idx=-1\n"
	"[35] DECL_TAG 'tag2' type_id=8 component_idx=1\n"
	"[36] TYPE_TAG 'user' type_id=1\n"
	"[37] TYPEDEF 'q'\"\\\n"
	"\t\015\014\010\001\303\251 x' type_id=1\n"
	"[38] INT '(invalid)' size=4 bits_offset=0 nr_bits=0 encoding=(none)\n"
	"[39] CONST '' type_id=1\n";

/* bpftool -j btf dump file all.btf */
static const char all_json[] =
	"{\"types\":[{\"id\":1,\"kind\":\"INT\",\"name\":\"int\",\"size\":4,\"bits_offset\":0,\"nr_bits\":32,\"encoding\":\"SIGNED\"},"
	"{\"id\":2,\"kind\":\"INT\",\"name\":\"char\",\"size\":1,\"bits_offset\":0,\"nr_bits\":8,\"encoding\":\"CHAR\"},"
	"{\"id\":3,\"kind\":\"INT\",\"name\":\"_Bool\",\"size\":1,\"bits_offset\":0,\"nr_bits\":8,\"encoding\":\"BOOL\"},"
	"{\"id\":4,\"kind\":\"INT\",\"name\":\"unsigned int\",\"size\":4,\"bits_offset\":0,\"nr_bits\":32,\"encoding\":\"(none)\"},"
	"{\"id\":5,\"kind\":\"INT\",\"name\":\"odd\",\"size\":1,\"bits_offset\":2,\"nr_bits\":5,\"encoding\":\"UNKN\"},"
	"{\"id\":6,\"kind\":\"PTR\",\"name\":\"(anon)\",\"type_id\":1},"
	"{\"id\":7,\"kind\":\"ARRAY\",\"name\":\"(anon)\",\"type_id\":1,\"index_type_id\":4,\"nr_elems\":3},"
	"{\"id\":8,\"kind\":\"STRUCT\",\"name\":\"s\",\"size\":8,\"vlen\":3,\"members\":[{\"name\":\"a\",\"type_id\":1,\"bits_offset\":0},{\"name\":\"b\",\"type_id\":1,\"bits_offset\":32,\"bitfield_size\":3},{\"name\":\"(anon)\",\"type_id\":10,\"bits_offset\":40}]},"
	"{\"id\":9,\"kind\":\"STRUCT\",\"name\":\"old\",\"size\":4,\"vlen\":2,\"members\":[{\"name\":\"x\",\"type_id\":1,\"bits_offset\":0},{\"name\":\"y\",\"type_id\":1,\"bits_offset\":50331653}]},"
	"{\"id\":10,\"kind\":\"UNION\",\"name\":\"(anon)\",\"size\":4,\"vlen\":1,\"members\":[{\"name\":\"u\",\"type_id\":1,\"bits_offset\":0}]},"
	"{\"id\":11,\"kind\":\"STRUCT\",\"name\":\"empty\",\"size\":0,\"vlen\":0,\"members\":[]},"
	"{\"id\":12,\"kind\":\"ENUM\",\"name\":\"e\",\"encoding\":\"UNSIGNED\",\"size\":4,\"vlen\":3,\"values\":[{\"name\":\"A\",\"val\":0},{\"name\":\"B\",\"val\":18446744073709551615},{\"name\":\"C\",\"val\":2147483647}]},"
	"{\"id\":13,\"kind\":\"ENUM\",\"name\":\"se\",\"encoding\":\"SIGNED\",\"size\":4,\"vlen\":2,\"values\":[{\"name\":\"M\",\"val\":-2147483648},{\"name\":\"N\",\"val\":5}]},"
	"{\"id\":14,\"kind\":\"ENUM64\",\"name\":\"e64\",\"encoding\":\"UNSIGNED\",\"size\":8,\"vlen\":2,\"values\":[{\"name\":\"BIG\",\"val\":18446744073709551615},{\"name\":\"SMALL\",\"val\":1}]},"
	"{\"id\":15,\"kind\":\"ENUM64\",\"name\":\"s64\",\"encoding\":\"SIGNED\",\"size\":8,\"vlen\":2,\"values\":[{\"name\":\"NEG\",\"val\":-5},{\"name\":\"MIN\",\"val\":-9223372036854775808}]},"
	"{\"id\":16,\"kind\":\"FWD\",\"name\":\"fs\",\"fwd_kind\":\"struct\"},"
	"{\"id\":17,\"kind\":\"FWD\",\"name\":\"fu\",\"fwd_kind\":\"union\"},"
	"{\"id\":18,\"kind\":\"TYPEDEF\",\"name\":\"td\",\"type_id\":1},"
	"{\"id\":19,\"kind\":\"VOLATILE\",\"name\":\"(anon)\",\"type_id\":1},"
	"{\"id\":20,\"kind\":\"CONST\",\"name\":\"(anon)\",\"type_id\":6},"
	"{\"id\":21,\"kind\":\"RESTRICT\",\"name\":\"(anon)\",\"type_id\":6},"
	"{\"id\":22,\"kind\":\"FUNC_PROTO\",\"name\":\"(anon)\",\"ret_type_id\":1,\"vlen\":3,\"params\":[{\"name\":\"a\",\"type_id\":1},{\"name\":\"(anon)\",\"type_id\":6},{\"name\":\"(anon)\",\"type_id\":0}]},"
	"{\"id\":23,\"kind\":\"FUNC\",\"name\":\"f_static\",\"type_id\":22,\"linkage\":\"static\"},"
	"{\"id\":24,\"kind\":\"FUNC\",\"name\":\"f_global\",\"type_id\":22,\"linkage\":\"global\"},"
	"{\"id\":25,\"kind\":\"FUNC\",\"name\":\"f_extern\",\"type_id\":22,\"linkage\":\"extern\"},"
	"{\"id\":26,\"kind\":\"FUNC\",\"name\":\"f_odd\",\"type_id\":22,\"linkage\":\"(unknown)\"},"
	"{\"id\":27,\"kind\":\"FUNC_PROTO\",\"name\":\"(anon)\",\"ret_type_id\":0,\"vlen\":0,\"params\":[]},"
	"{\"id\":28,\"kind\":\"VAR\",\"name\":\"v_static\",\"type_id\":1,\"linkage\":\"static\"},"
	"{\"id\":29,\"kind\":\"VAR\",\"name\":\"v_global\",\"type_id\":1,\"linkage\":\"global\"},"
	"{\"id\":30,\"kind\":\"VAR\",\"name\":\"v_extern\",\"type_id\":1,\"linkage\":\"extern\"},"
	"{\"id\":31,\"kind\":\"VAR\",\"name\":\"v_odd\",\"type_id\":1,\"linkage\":\"(unknown)\"},"
	"{\"id\":32,\"kind\":\"DATASEC\",\"name\":\".data\",\"size\":16,\"vlen\":4,\"vars\":[{\"type_id\":28,\"offset\":0,\"size\":4},{\"type_id\":29,\"offset\":4,\"size\":4},{\"type_id\":0,\"offset\":8,\"size\":4},{\"type_id\":1000,\"offset\":12,\"size\":4}]},"
	"{\"id\":33,\"kind\":\"FLOAT\",\"name\":\"double\",\"size\":8},"
	"{\"id\":34,\"kind\":\"DECL_TAG\",\"name\":\"tag1\",\"type_id\":8,\"component_idx\":-1},"
	"{\"id\":35,\"kind\":\"DECL_TAG\",\"name\":\"tag2\",\"type_id\":8,\"component_idx\":1},"
	"{\"id\":36,\"kind\":\"TYPE_TAG\",\"name\":\"user\",\"type_id\":1},"
	"{\"id\":37,\"kind\":\"TYPEDEF\",\"name\":\"q'\\\"\\n\\n\\t\\r\\f\\b\001\303\251 x\",\"type_id\":1},"
	"{\"id\":38,\"kind\":\"INT\",\"name\":\"(invalid)\",\"size\":4,\"bits_offset\":0,\"nr_bits\":0,\"encoding\":\"(none)\"},"
	"{\"id\":39,\"kind\":\"CONST\",\"name\":\"\",\"type_id\":1}]}\n";

/* the types named s, empty, s64, f_static and .data of all_raw */
static const char filtered_raw[] =
	"[8] STRUCT 's' size=8 vlen=3\n"
	"\t'a' type_id=1 bits_offset=0\n"
	"\t'b' type_id=1 bits_offset=32 bitfield_size=3\n"
	"\t'(anon)' type_id=10 bits_offset=40\n"
	"[11] STRUCT 'empty' size=0 vlen=0\n"
	"[15] ENUM64 's64' encoding=SIGNED size=8 vlen=2\n"
	"\t'NEG' val=-5LL\n"
	"\t'MIN' val=-9223372036854775808LL\n"
	"[23] FUNC 'f_static' type_id=22 linkage=static\n"
	"[32] DATASEC '.data' size=16 vlen=4\n"
	"\ttype_id=28 offset=0 size=4 (VAR 'v_static')\n"
	"\ttype_id=29 offset=4 size=4 (VAR 'v_global')\n"
	"\ttype_id=0 offset=8 size=4 (UNKNOWN '(anon)')\n"
	"\ttype_id=1000 offset=12 size=4\n";

/* the same types of bpftool -p btf dump file all.btf */
static const char filtered_pretty[] =
	"{\n"
	"    \"types\": [{\n"
	"            \"id\": 8,\n"
	"            \"kind\": \"STRUCT\",\n"
	"            \"name\": \"s\",\n"
	"            \"size\": 8,\n"
	"            \"vlen\": 3,\n"
	"            \"members\": [{\n"
	"                    \"name\": \"a\",\n"
	"                    \"type_id\": 1,\n"
	"                    \"bits_offset\": 0\n"
	"                },{\n"
	"                    \"name\": \"b\",\n"
	"                    \"type_id\": 1,\n"
	"                    \"bits_offset\": 32,\n"
	"                    \"bitfield_size\": 3\n"
	"                },{\n"
	"                    \"name\": \"(anon)\",\n"
	"                    \"type_id\": 10,\n"
	"                    \"bits_offset\": 40\n"
	"                }\n"
	"            ]\n"
	"        },{\n"
	"            \"id\": 11,\n"
	"            \"kind\": \"STRUCT\",\n"
	"            \"name\": \"empty\",\n"
	"            \"size\": 0,\n"
	"            \"vlen\": 0,\n"
	"            \"members\": []\n"
	"        },{\n"
	"            \"id\": 15,\n"
	"            \"kind\": \"ENUM64\",\n"
	"            \"name\": \"s64\",\n"
	"            \"encoding\": \"SIGNED\",\n"
	"            \"size\": 8,\n"
	"            \"vlen\": 2,\n"
	"            \"values\": [{\n"
	"                    \"name\": \"NEG\",\n"
	"                    \"val\": -5\n"
	"                },{\n"
	"                    \"name\": \"MIN\",\n"
	"                    \"val\": -9223372036854775808\n"
	"                }\n"
	"            ]\n"
	"        },{\n"
	"            \"id\": 23,\n"
	"            \"kind\": \"FUNC\",\n"
	"            \"name\": \"f_static\",\n"
	"            \"type_id\": 22,\n"
	"            \"linkage\": \"static\"\n"
	"        },{\n"
	"            \"id\": 32,\n"
	"            \"kind\": \"DATASEC\",\n"
	"            \"name\": \".data\",\n"
	"            \"size\": 16,\n"
	"            \"vlen\": 4,\n"
	"            \"vars\": [{\n"
	"                    \"type_id\": 28,\n"
	"                    \"offset\": 0,\n"
	"                    \"size\": 4\n"
	"                },{\n"
	"                    \"type_id\": 29,\n"
	"                    \"offset\": 4,\n"
	"                    \"size\": 4\n"
	"                },{\n"
	"                    \"type_id\": 0,\n"
	"                    \"offset\": 8,\n"
	"                    \"size\": 4\n"
	"                },{\n"
	"                    \"type_id\": 1000,\n"
	"                    \"offset\": 12,\n"
	"                    \"size\": 4\n"
	"                }\n"
	"            ]\n"
	"        }\n"
	"    ]\n"
	"}\n";

/* bpftool -B base.btf btf dump file split.btf */
static const char split_raw[] =
	"[3] PTR '(anon)' type_id=2\n"
	"[4] VAR 'sv' type_id=1, linkage=global\n"
	"[5] DATASEC '.bss' size=8 vlen=2\n"
	"\ttype_id=4 offset=0 size=4 (VAR 'sv')\n"
	"\ttype_id=2 offset=4 size=4 (STRUCT 'b')\n"
	"[6] TYPEDEF 'int' type_id=1\n";

/* bpftool -j -B base.btf btf dump file split.btf */
static const char split_json[] =
	"{\"types\":[{\"id\":3,\"kind\":\"PTR\",\"name\":\"(anon)\",\"type_id\":2},"
	"{\"id\":4,\"kind\":\"VAR\",\"name\":\"sv\",\"type_id\":1,\"linkage\":\"global\"},"
	"{\"id\":5,\"kind\":\"DATASEC\",\"name\":\".bss\",\"size\":8,\"vlen\":2,\"vars\":[{\"type_id\":4,\"offset\":0,\"size\":4},{\"type_id\":2,\"offset\":4,\"size\":4}]},"
	"{\"id\":6,\"kind\":\"TYPEDEF\",\"name\":\"int\",\"type_id\":1}]}\n";

/* bpftool -p -B base.btf btf dump file split.btf */
static const char split_pretty[] =
	"{\n"
	"    \"types\": [{\n"
	"            \"id\": 3,\n"
	"            \"kind\": \"PTR\",\n"
	"            \"name\": \"(anon)\",\n"
	"            \"type_id\": 2\n"
	"        },{\n"
	"            \"id\": 4,\n"
	"            \"kind\": \"VAR\",\n"
	"            \"name\": \"sv\",\n"
	"            \"type_id\": 1,\n"
	"            \"linkage\": \"global\"\n"
	"        },{\n"
	"            \"id\": 5,\n"
	"            \"kind\": \"DATASEC\",\n"
	"            \"name\": \".bss\",\n"
	"            \"size\": 8,\n"
	"            \"vlen\": 2,\n"
	"            \"vars\": [{\n"
	"                    \"type_id\": 4,\n"
	"                    \"offset\": 0,\n"
	"                    \"size\": 4\n"
	"                },{\n"
	"                    \"type_id\": 2,\n"
	"                    \"offset\": 4,\n"
	"                    \"size\": 4\n"
	"                }\n"
	"            ]\n"
	"        },{\n"
	"            \"id\": 6,\n"
	"            \"kind\": \"TYPEDEF\",\n"
	"            \"name\": \"int\",\n"
	"            \"type_id\": 1\n"
	"        }\n"
	"    ]\n"
	"}\n";

enum fmt { RAW, JSON, PRETTY };

/* Print btf in fmt (names: filter, NULL-terminated or NULL) and compare. */
static void check(const struct bfmt_btf *btf, enum fmt fmt, const char *const *names,
		  const char *expected)
{
	struct btfp_opts o = { .names = names, .pretty = fmt == PRETTY };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (names && names[o.nr_names])
		o.nr_names++;
	err = fmt == RAW ? btfp_raw__print(btf, f, &o) : btfp_json__print(btf, f, &o);
	CU_ASSERT_EQUAL(err, 0);
	CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
	CU_ASSERT_STRING_EQUAL(buf, expected);
	if (strcmp(buf, expected))
		fprintf(stderr, "\n--- expected\n%s--- got\n%s---\n", expected, buf);
	free(buf);
}

static void test_all_kinds(void)
{
	struct bfmt_btf *all = build_all();

	save_blob(all, "all.btf");
	check(all, RAW, NULL, all_raw);
	check(all, JSON, NULL, all_json);
	bfmt_btf__free(all);
}

static void test_filter(void)
{
	static const char *const names[] = { "s", "empty", "s64", "f_static", ".data", "nope", NULL };
	static const char *const none[] = { "nope", "(anon)", "(invalid)", NULL };
	struct bfmt_btf *all = build_all();

	check(all, RAW, names, filtered_raw);
	check(all, PRETTY, names, filtered_pretty);
	/* Nothing selected: what bpftool prints for BTF without types. */
	check(all, RAW, none, "");
	check(all, JSON, none, "{\"types\":[]}\n");
	check(all, PRETTY, none, "{\n    \"types\": []\n}\n");
	bfmt_btf__free(all);
}

static void test_split(void)
{
	struct bfmt_btf *base, *split;

	build_split(&base, &split);
	save_blob(base, "base.btf");
	save_blob(split, "split.btf");
	check(split, RAW, NULL, split_raw);
	check(split, JSON, NULL, split_json);
	check(split, PRETTY, NULL, split_pretty);
	bfmt_btf__free(split);
	bfmt_btf__free(base);
}

/* A stream that cannot be written: -EIO, whatever was printed. */
static void test_write_error(void)
{
	struct bfmt_btf *all = build_all();
	FILE *f = fopen("/dev/full", "w");

	if (f) {
		CU_ASSERT_EQUAL(btfp_raw__print(all, f, NULL), -EIO);
		clearerr(f);
		CU_ASSERT_EQUAL(btfp_json__print(all, f, NULL), -EIO);
		fclose(f);
	}
	bfmt_btf__free(all);
}

int register_btf_dump_suite(void)
{
	static const struct unit_test tests[] = {
		{ "every kind (raw, json)", test_all_kinds },
		{ "name filter (raw, pretty)", test_filter },
		{ "split btf (raw, json, pretty)", test_split },
		{ "write error", test_write_error },
		{ NULL, NULL },
	};

	return unit_add_suite("btf_dump", tests);
}
