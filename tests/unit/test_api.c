// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "api": the public library API (src/btfenc.h, src/api/). Options
 * checking (size, features, languages), errors as negative errno with one
 * log line naming the file and outputs left alone, log level filtering,
 * progress phases in order, the one-pass and model paths giving the same
 * bytes, look-ups, serialise/load round trip and the write paths (raw and
 * ELF), and diff (records, lines and reports as btfenc diff prints them,
 * the filters, errors). The input is the btf_writer suite's program
 * (WRITER_PROG), read only, and small hand-built tables.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btfenc.h"
#include "tests.h"
#include "unit_build.h"

struct log_capture {
	int nr[4];			/* messages by level */
	char first_error[512];
};

static void capture_log(void *ctx, enum btfenc_log_level level, const char *msg)
{
	struct log_capture *c = ctx;

	if ((unsigned)level < 4)
		c->nr[level]++;
	if (level == BTFENC_LOG_ERROR && c->nr[level] == 1)
		snprintf(c->first_error, sizeof(c->first_error), "%s", msg);
}

struct progress_capture {
	int last_phase;
	bool out_of_order;
	bool decode_ended, funcs_ended, dedup_ended, write_ended;
	uint64_t last_done;
};

static void capture_progress(void *ctx, enum btfenc_phase phase, uint64_t done, uint64_t total)
{
	struct progress_capture *p = ctx;

	if ((int)phase < p->last_phase || done > total ||
	    ((int)phase == p->last_phase && done < p->last_done))
		p->out_of_order = true;
	p->last_phase = phase;
	p->last_done = done;
	if (done == total) {
		p->decode_ended |= phase == BTFENC_PHASE_DECODE;
		p->funcs_ended |= phase == BTFENC_PHASE_FUNCS;
		p->dedup_ended |= phase == BTFENC_PHASE_DEDUP;
		p->write_ended |= phase == BTFENC_PHASE_WRITE;
	}
}

static struct btfenc_opts logged(struct log_capture *c)
{
	struct btfenc_opts o = BTFENC_OPTS_INIT;

	memset(c, 0, sizeof(*c));
	o.log = capture_log;
	o.log_ctx = c;
	o.log_level = BTFENC_LOG_DEBUG;
	return o;
}

static bool same_bytes(const struct btfenc_btf *a, const struct btfenc_btf *b)
{
	void *da = NULL, *db = NULL;
	size_t la = 0, lb = 0;
	bool same = false;

	if (!btfenc_btf_serialize(a, &da, &la) && !btfenc_btf_serialize(b, &db, &lb))
		same = la == lb && !memcmp(da, db, la);
	free(da);
	free(db);
	return same;
}

/* A scratch copy of WRITER_PROG (for -J style writes) in a new directory. */
static char *scratch_dir(void)
{
	char tmpl[] = "/tmp/btfenc-api.XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

static void test_opts_checked(void)
{
	struct log_capture c;
	struct btfenc_opts o = logged(&c);
	struct btfenc_btf *btf = (struct btfenc_btf *)&o;	/* must stay */

	o.sz = 0;
	CU_ASSERT_EQUAL(btfenc_encode_file(WRITER_PROG, NULL, &o, &btf), -EINVAL);
	o.sz = sizeof(o) + 8;
	CU_ASSERT_EQUAL(btfenc_encode_file(WRITER_PROG, NULL, &o, &btf), -EINVAL);
	o.sz = sizeof(o);
	o.features = "default,no_such_feature";
	o.features_strict = 1;
	CU_ASSERT_EQUAL(btfenc_encode_file(WRITER_PROG, NULL, &o, &btf), -EINVAL);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_ERROR], 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.first_error, "no_such_feature"));
	o.features_strict = 0;		/* unknown names are ignored */
	o.lang_exclude = "klingon";
	CU_ASSERT_EQUAL(btfenc_encode_file(WRITER_PROG, NULL, &o, &btf), -EINVAL);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_ERROR], 2);
	CU_ASSERT_PTR_EQUAL(btf, (struct btfenc_btf *)&o);
	CU_ASSERT_EQUAL(btfenc_encode_file(NULL, NULL, NULL, &btf), -EINVAL);
	CU_ASSERT_STRING_EQUAL(btfenc_version(), BTFENC_VERSION);
}

static void test_errors(void)
{
	static const char junk[] = "this is neither BTF nor ELF";
	struct log_capture c;
	struct btfenc_opts o = logged(&c);
	struct btfenc_btf *btf = NULL;
	struct btfenc_model *m = NULL;

	CU_ASSERT_EQUAL(btfenc_btf_load("/nonexistent/a.btf", NULL, &o, &btf), -ENOENT);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_ERROR], 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.first_error, "/nonexistent/a.btf"));
	CU_ASSERT_PTR_NULL(btf);
	CU_ASSERT(btfenc_btf_load_mem(junk, sizeof(junk), NULL, &o, &btf) < 0);
	CU_ASSERT_PTR_NULL(btf);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_ERROR], 2);
	CU_ASSERT(btfenc_model_load_dwarf("/nonexistent/vmlinux", &o, &m) < 0);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_ERROR], 3);
	/* No log callback: still an errno, and nothing printed. */
	CU_ASSERT_EQUAL(btfenc_btf_load("/nonexistent/a.btf", NULL, NULL, &btf), -ENOENT);
	/* Look-ups outside the table. */
	CU_ASSERT_PTR_NULL(btfenc_btf_type_name(NULL, 1));
	CU_ASSERT_EQUAL(btfenc_btf_nr_types(NULL), 0);
	CU_ASSERT_EQUAL(btfenc_model_nr_units(NULL), 0);
	btfenc_btf_free(NULL);
	btfenc_model_free(NULL);
}

static void test_encode_paths(void)
{
	struct progress_capture p = { .last_phase = -1 };
	struct log_capture c;
	struct btfenc_opts o = logged(&c);
	struct btfenc_btf *one = NULL, *two = NULL;
	struct btfenc_model *m = NULL;
	uint32_t id = 0, n;

	o.progress = capture_progress;
	o.progress_ctx = &p;
	o.jobs = 2;
	CU_ASSERT_EQUAL_FATAL(btfenc_encode_file(WRITER_PROG, NULL, &o, &one), 0);
	CU_ASSERT(!p.out_of_order && p.decode_ended && p.funcs_ended && p.dedup_ended);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_ERROR], 0);
	n = btfenc_btf_nr_types(one);
	CU_ASSERT(n > 2);
	CU_ASSERT_EQUAL(btfenc_btf_find(one, "writer_state", &id), 0);
	CU_ASSERT_STRING_EQUAL(btfenc_btf_type_kind(one, id), "STRUCT");
	CU_ASSERT_STRING_EQUAL(btfenc_btf_type_name(one, id), "writer_state");
	CU_ASSERT_EQUAL(btfenc_btf_find(one, "main", &id), 0);
	CU_ASSERT_STRING_EQUAL(btfenc_btf_type_kind(one, id), "FUNC");
	CU_ASSERT_EQUAL(btfenc_btf_find(one, "no_such_name", &id), -ENOENT);
	CU_ASSERT_PTR_NULL(btfenc_btf_type_kind(one, 0));
	CU_ASSERT_PTR_NULL(btfenc_btf_type_kind(one, n));

	/* The model path: not deduplicated until asked, then the same. */
	o.jobs = 1;
	CU_ASSERT_EQUAL_FATAL(btfenc_model_load_dwarf(WRITER_PROG, &o, &m), 0);
	CU_ASSERT(btfenc_model_nr_units(m) >= 1);
	CU_ASSERT(btfenc_model_nr_types(m) >= 2);
	CU_ASSERT_EQUAL_FATAL(btfenc_encode(m, NULL, &o, &two), 0);
	CU_ASSERT(btfenc_btf_nr_types(two) >= n);
	CU_ASSERT_EQUAL(btfenc_dedup(two, &o), 0);
	CU_ASSERT(same_bytes(one, two));
	btfenc_model_free(m);
	btfenc_btf_free(two);

	/* The model of BTF: encoding it again gives the same types (no
	 * functions: there are no ELF symbols to decide them). */
	CU_ASSERT_EQUAL_FATAL(btfenc_model_load_btf(one, &o, &m), 0);
	CU_ASSERT_EQUAL(btfenc_model_nr_units(m), 1);
	CU_ASSERT_EQUAL(btfenc_encode(m, NULL, &o, &two), 0);
	CU_ASSERT_EQUAL(btfenc_btf_find(two, "writer_state", &id), 0);
	btfenc_model_free(m);
	btfenc_btf_free(two);
	btfenc_btf_free(one);
}

static void test_log_level(void)
{
	struct log_capture c;
	struct btfenc_opts o = logged(&c);
	struct btfenc_btf *btf = NULL;

	/* -V's messages (functions left out...) come at INFO and below. */
	CU_ASSERT_EQUAL_FATAL(btfenc_encode_file(WRITER_PROG, NULL, &o, &btf), 0);
	btfenc_btf_free(btf);
	CU_ASSERT(c.nr[BTFENC_LOG_INFO] + c.nr[BTFENC_LOG_DEBUG] > 0);
	o.log_level = BTFENC_LOG_ERROR;
	memset(&c, 0, sizeof(c));
	CU_ASSERT_EQUAL_FATAL(btfenc_encode_file(WRITER_PROG, NULL, &o, &btf), 0);
	btfenc_btf_free(btf);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_INFO] + c.nr[BTFENC_LOG_DEBUG] + c.nr[BTFENC_LOG_WARN], 0);
}

static void test_write_and_load(void)
{
	struct progress_capture p = { .last_phase = -1 };
	struct log_capture c;
	struct btfenc_opts o = logged(&c);
	struct btfenc_btf *btf = NULL, *back = NULL, *elf_back = NULL;
	char *dir = scratch_dir(), raw[512], elf[512], cmd[1200];

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(raw, sizeof(raw), "%s/out.btf", dir);
	snprintf(elf, sizeof(elf), "%s/prog", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", WRITER_PROG, elf);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL_FATAL(btfenc_encode_file(WRITER_PROG, NULL, &o, &btf), 0);
	o.progress = capture_progress;
	o.progress_ctx = &p;
	CU_ASSERT_EQUAL(btfenc_btf_write_raw(btf, raw, &o), 0);
	CU_ASSERT(p.write_ended);
	CU_ASSERT_EQUAL(btfenc_btf_write_elf(btf, elf, &o), 0);
	CU_ASSERT_EQUAL(btfenc_btf_load(raw, NULL, &o, &back), 0);
	CU_ASSERT_EQUAL(btfenc_btf_load(elf, NULL, &o, &elf_back), 0);
	CU_ASSERT(back && same_bytes(btf, back));
	CU_ASSERT(elf_back && same_bytes(btf, elf_back));
	/* A write that cannot happen: an errno, one line, nothing created. */
	snprintf(raw, sizeof(raw), "%s/no/such/dir/out.btf", dir);
	CU_ASSERT(btfenc_btf_write_raw(btf, raw, &o) < 0);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_ERROR], 1);
	CU_ASSERT(btfenc_btf_write_elf(btf, "/nonexistent/prog", &o) < 0);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_ERROR], 2);
	btfenc_btf_free(elf_back);
	btfenc_btf_free(back);
	btfenc_btf_free(btf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(dir);
}

/* struct point { int x; int y; }, and with grow: a third member z and a
 * variable "struct point origin", through raw BTF bytes and the API. */
static struct btfenc_btf *point_btf(bool grow)
{
	struct bfmt_btf *b = unit_btf_new(NULL);
	uint32_t *enc, i, s, k, n = grow ? 3 : 2;
	struct btfenc_btf *h = NULL;
	struct bfmt_var *v;
	void *raw = NULL;
	size_t len = 0;

	i = unit_btf_add(b, BFMT_KIND_INT, 0, false, "int", 4, (void **)&enc);
	*enc = bfmt_int_info(BFMT_INT_SIGNED, 0, 32);
	s = unit_btf_add(b, BFMT_KIND_STRUCT, n, false, "point", 4 * n, NULL);
	for (k = 0; k < n; k++) {
		uint32_t name = unit_btf_str(b, (const char *[]){ "x", "y", "z" }[k]);

		((struct bfmt_member *)bfmt_type_extra(bfmt_btf__type(b, s)))[k] =
			(struct bfmt_member){ name, i, 32 * k };
	}
	if (grow) {
		unit_btf_add(b, BFMT_KIND_VAR, 0, false, "origin", s, (void **)&v);
		v->linkage = BFMT_LINKAGE_GLOBAL;
	}
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(b, false, &raw, &len), 0);
	bfmt_btf__free(b);
	CU_ASSERT_EQUAL(btfenc_btf_load_mem(raw, len, NULL, NULL, &h), 0);
	free(raw);
	return h;
}

static void test_diff(void)
{
	struct btfenc_btf *a = point_btf(false), *b = point_btf(true);
	const char *const origin[] = { "origin", NULL };
	struct btfenc_changes *ch = NULL;
	struct log_capture c;
	struct btfenc_opts o = logged(&c);
	char *text = NULL;

	CU_ASSERT_FATAL(a && b);
	/* Equal tables: no changes. */
	CU_ASSERT_EQUAL_FATAL(btfenc_diff(a, a, &o, &ch), 0);
	CU_ASSERT_EQUAL(btfenc_changes_count(ch), 0);
	CU_ASSERT_EQUAL(btfenc_changes_text(ch, &text), 0);
	CU_ASSERT_STRING_EQUAL(text, "0 added, 0 removed, 0 changed\n");
	free(text);
	btfenc_changes_free(ch);

	/* A member and a variable added. */
	CU_ASSERT_EQUAL_FATAL(btfenc_diff(a, b, NULL, &ch), 0);
	CU_ASSERT_EQUAL_FATAL(btfenc_changes_count(ch), 3);
	CU_ASSERT_EQUAL(btfenc_changes_op(ch, 0), BTFENC_CHANGE_CHANGED);
	CU_ASSERT_EQUAL(btfenc_changes_category(ch, 0), BTFENC_DIFF_TYPES);
	CU_ASSERT_STRING_EQUAL(btfenc_changes_entity(ch, 0), "struct");
	CU_ASSERT_STRING_EQUAL(btfenc_changes_name(ch, 0), "point");
	CU_ASSERT_STRING_EQUAL(btfenc_changes_line(ch, 0), "~ struct point: size 8 -> 12");
	CU_ASSERT_EQUAL(btfenc_changes_op(ch, 1), BTFENC_CHANGE_ADDED);
	CU_ASSERT_STRING_EQUAL(btfenc_changes_name(ch, 1), "point");
	CU_ASSERT_STRING_EQUAL(btfenc_changes_line(ch, 1), "  + member z: int @ offset 8");
	CU_ASSERT_EQUAL(btfenc_changes_op(ch, 2), BTFENC_CHANGE_ADDED);
	CU_ASSERT_EQUAL(btfenc_changes_category(ch, 2), BTFENC_DIFF_VARS);
	CU_ASSERT_STRING_EQUAL(btfenc_changes_entity(ch, 2), "var");
	CU_ASSERT_STRING_EQUAL(btfenc_changes_line(ch, 2), "+ var origin: struct point");
	CU_ASSERT_EQUAL(btfenc_changes_text(ch, &text), 0);
	CU_ASSERT_STRING_EQUAL(text, "~ struct point: size 8 -> 12\n"
				     "  + member z: int @ offset 8\n"
				     "+ var origin: struct point\n"
				     "1 added, 0 removed, 1 changed\n");
	free(text);
	CU_ASSERT_EQUAL(btfenc_changes_json(ch, "a", NULL, 0, &text), 0);
	CU_ASSERT_STRING_EQUAL(text, "{\"old\":\"a\",\"changes\":["
		"{\"entity\":\"struct\",\"name\":\"point\",\"op\":\"changed\","
		"\"field\":\"size\",\"old\":8,\"new\":12},"
		"{\"entity\":\"struct\",\"name\":\"point\",\"op\":\"added\","
		"\"field\":\"member\",\"item\":\"z\",\"new\":\"int\","
		"\"bit_offset\":64,\"bitfield_size\":0},"
		"{\"entity\":\"var\",\"name\":\"origin\",\"op\":\"added\","
		"\"field\":\"entity\",\"new\":\"struct point\"}],"
		"\"summary\":{\"added\":1,\"removed\":0,\"changed\":1}}\n");
	free(text);
	/* Out of range. */
	CU_ASSERT_EQUAL(btfenc_changes_op(ch, 3), -EINVAL);
	CU_ASSERT_EQUAL(btfenc_changes_category(ch, 3), -EINVAL);
	CU_ASSERT_PTR_NULL(btfenc_changes_entity(ch, 3));
	CU_ASSERT_PTR_NULL(btfenc_changes_name(ch, 3));
	CU_ASSERT_PTR_NULL(btfenc_changes_line(ch, 3));
	btfenc_changes_free(ch);

	/* The filters: by category, by name. */
	o.diff_only = BTFENC_DIFF_FUNCS;
	CU_ASSERT_EQUAL_FATAL(btfenc_diff(a, b, &o, &ch), 0);
	CU_ASSERT_EQUAL(btfenc_changes_count(ch), 0);
	btfenc_changes_free(ch);
	o.diff_only = 0;
	o.diff_names = origin;
	CU_ASSERT_EQUAL_FATAL(btfenc_diff(a, b, &o, &ch), 0);
	CU_ASSERT_EQUAL(btfenc_changes_count(ch), 1);
	CU_ASSERT_STRING_EQUAL(btfenc_changes_name(ch, 0), "origin");
	btfenc_changes_free(ch);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_ERROR], 0);

	/* Errors: -EINVAL, *ret untouched, nothing printed. */
	ch = (struct btfenc_changes *)&o;
	o.diff_only = 1u << 7;
	CU_ASSERT_EQUAL(btfenc_diff(a, b, &o, &ch), -EINVAL);
	CU_ASSERT_EQUAL(c.nr[BTFENC_LOG_ERROR], 1);
	o.diff_only = 0;
	o.sz = 0;
	CU_ASSERT_EQUAL(btfenc_diff(a, b, &o, &ch), -EINVAL);
	o.sz = sizeof(o) + 8;
	CU_ASSERT_EQUAL(btfenc_diff(a, b, &o, &ch), -EINVAL);
	CU_ASSERT_EQUAL(btfenc_diff(NULL, b, NULL, &ch), -EINVAL);
	CU_ASSERT_EQUAL(btfenc_diff(a, NULL, NULL, &ch), -EINVAL);
	CU_ASSERT_EQUAL(btfenc_diff(a, b, NULL, NULL), -EINVAL);
	CU_ASSERT_PTR_EQUAL(ch, (struct btfenc_changes *)&o);
	CU_ASSERT_EQUAL(btfenc_changes_text(NULL, &text), -EINVAL);
	CU_ASSERT_EQUAL(btfenc_changes_json(NULL, NULL, NULL, 0, &text), -EINVAL);
	CU_ASSERT_EQUAL(btfenc_changes_count(NULL), 0);
	CU_ASSERT_PTR_NULL(btfenc_changes_line(NULL, 0));
	btfenc_changes_free(NULL);
	btfenc_btf_free(a);
	btfenc_btf_free(b);
}

static const struct unit_test api_tests[] = {
	{ "options are checked", test_opts_checked },
	{ "errors: errno, one log line, outputs untouched", test_errors },
	{ "encode: one pass and model paths agree; look-ups", test_encode_paths },
	{ "log level filters messages", test_log_level },
	{ "write raw and ELF, load back", test_write_and_load },
	{ "diff: changes, lines, reports, filters, errors", test_diff },
	{ NULL, NULL },
};

int register_api_suite(void)
{
	return unit_add_suite("api", api_tests);
}
