// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfenc_example FILE OUT STRUCT: a program built against the INSTALLED
 * libbtfenc (through `pkg-config --cflags --libs btfenc`) by
 * t1000-install.sh. It encodes FILE's DWARF two ways (btfenc_encode_file,
 * and model + encode + dedup) and checks both give the same bytes, writes
 * the BTF to OUT, reads OUT back, finds STRUCT in it, diffs it (against
 * itself: no change; against a table of one int, narrowed to STRUCT:
 * STRUCT added), and checks that errors come back as negative errno with one
 * message through the log callback.
 * Prints "ok" and exits 0 when every check holds.
 */
#include <btfenc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seen {
	unsigned int decode, funcs, dedup, errors;
	char last_error[512];
};

static void on_log(void *ctx, enum btfenc_log_level level, const char *msg)
{
	struct seen *s = ctx;

	if (level == BTFENC_LOG_ERROR) {
		s->errors++;
		snprintf(s->last_error, sizeof(s->last_error), "%s", msg);
	}
}

static void on_progress(void *ctx, enum btfenc_phase phase, uint64_t done, uint64_t total)
{
	struct seen *s = ctx;

	if (phase == BTFENC_PHASE_DECODE && done >= 1 && done <= total)
		s->decode++;
	else if (phase == BTFENC_PHASE_FUNCS && done == total)
		s->funcs++;
	else if (phase == BTFENC_PHASE_DEDUP && done == total)
		s->dedup++;
}

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "check failed at line %d: %s\n",      \
				__LINE__, #cond);                              \
			return 1;                                              \
		}                                                              \
	} while (0)

static int same_bytes(const struct btfenc_btf *a, const struct btfenc_btf *b)
{
	void *da = NULL, *db = NULL;
	size_t la = 0, lb = 0;
	int same;

	if (btfenc_btf_serialize(a, &da, &la) || btfenc_btf_serialize(b, &db, &lb)) {
		free(da);
		return 0;
	}
	same = la == lb && !memcmp(da, db, la);
	free(da);
	free(db);
	return same;
}

/* btfenc_diff(): nothing between btf and itself; from a table of one int,
 * diff_names = { name }: one change, the struct added. */
static int check_diff(const struct btfenc_btf *btf, const char *name,
		      const struct btfenc_opts *opts)
{
	/* raw BTF, little endian: a header (type_len 16, str_off 16,
	 * str_len 5), one type (INT "int", 4 bytes, 32 bits), "\0int\0" */
	static const unsigned char int_raw[45] = { 0x9f, 0xeb, 1, 0, 24, 0, 0, 0,
		0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0, 5, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 32, 0, 0, 0,
		0, 'i', 'n', 't', 0 };
	const char *names[] = { name, NULL };
	struct btfenc_opts o = *opts;
	struct btfenc_changes *ch = NULL;
	struct btfenc_btf *ints = NULL;
	char want[256], *text = NULL, *json = NULL;

	CHECK(btfenc_diff(btf, btf, &o, &ch) == 0);
	CHECK(btfenc_changes_count(ch) == 0);
	btfenc_changes_free(ch);
	CHECK(btfenc_btf_load_mem(int_raw, sizeof(int_raw), NULL, &o, &ints) == 0);
	o.diff_names = names;
	CHECK(btfenc_diff(ints, btf, &o, &ch) == 0);
	CHECK(btfenc_changes_count(ch) == 1);
	CHECK(btfenc_changes_op(ch, 0) == BTFENC_CHANGE_ADDED);
	CHECK(btfenc_changes_category(ch, 0) == BTFENC_DIFF_TYPES);
	CHECK(!strcmp(btfenc_changes_entity(ch, 0), "struct"));
	CHECK(!strcmp(btfenc_changes_name(ch, 0), name));
	snprintf(want, sizeof(want), "+ struct %s", name);
	CHECK(!strncmp(btfenc_changes_line(ch, 0), want, strlen(want)));
	CHECK(btfenc_changes_text(ch, &text) == 0);
	CHECK(strstr(text, "\n1 added, 0 removed, 0 changed\n"));
	CHECK(btfenc_changes_json(ch, "ints", name, 0, &json) == 0);
	CHECK(!strncmp(json, "{\"old\":\"ints\",", strlen("{\"old\":\"ints\",")));
	free(json);
	free(text);
	btfenc_changes_free(ch);
	btfenc_btf_free(ints);
	o.sz = 0;
	CHECK(btfenc_diff(btf, btf, &o, &ch) == -EINVAL);
	return 0;
}

int main(int argc, char **argv)
{
	struct seen seen = { 0 };
	struct btfenc_opts opts = BTFENC_OPTS_INIT;
	struct btfenc_btf *btf = NULL, *btf2 = NULL, *back = NULL, *bad = NULL;
	struct btfenc_model *model = NULL;
	uint32_t id = 0;
	int err;

	if (argc != 4) {
		fprintf(stderr, "usage: %s FILE OUT STRUCT\n", argv[0]);
		return 2;
	}
	opts.log = on_log;
	opts.log_ctx = &seen;
	opts.progress = on_progress;
	opts.progress_ctx = &seen;
	opts.jobs = 2;
	CHECK(strlen(btfenc_version()) > 0);

	/* One pass, as btfenc -J. */
	err = btfenc_encode_file(argv[1], NULL, &opts, &btf);
	CHECK(err == 0);
	CHECK(seen.decode >= 1 && seen.funcs == 1 && seen.dedup == 1);
	CHECK(btfenc_btf_nr_types(btf) > 1);

	/* The same through the model. */
	CHECK(btfenc_model_load_dwarf(argv[1], &opts, &model) == 0);
	CHECK(btfenc_model_nr_units(model) >= 1 && btfenc_model_nr_types(model) >= 1);
	CHECK(btfenc_encode(model, NULL, &opts, &btf2) == 0);
	CHECK(btfenc_dedup(btf2, &opts) == 0);
	CHECK(same_bytes(btf, btf2));
	btfenc_model_free(model);
	model = NULL;

	/* Write, read back, look up. */
	CHECK(btfenc_btf_write_raw(btf, argv[2], &opts) == 0);
	CHECK(btfenc_btf_load(argv[2], NULL, &opts, &back) == 0);
	CHECK(same_bytes(btf, back));
	CHECK(btfenc_btf_find(back, argv[3], &id) == 0);
	CHECK(!strcmp(btfenc_btf_type_kind(back, id), "STRUCT"));
	CHECK(!strcmp(btfenc_btf_type_name(back, id), argv[3]));
	CHECK(btfenc_btf_find(back, "no_such_type_anywhere", &id) == -ENOENT);
	CHECK(btfenc_model_load_btf(back, &opts, &model) == 0);
	CHECK(btfenc_model_nr_units(model) == 1);
	CHECK(check_diff(back, argv[3], &opts) == 0);

	/* Errors: a negative errno and one message, nothing printed. */
	CHECK(seen.errors == 0);
	CHECK(btfenc_btf_load("/nonexistent/x.btf", NULL, &opts, &bad) < 0 && !bad);
	CHECK(seen.errors == 1 && strstr(seen.last_error, "/nonexistent/x.btf"));
	opts.features = "no_such_feature";
	opts.features_strict = 1;
	CHECK(btfenc_encode_file(argv[1], NULL, &opts, &bad) == -EINVAL && !bad);
	opts.sz = 0;
	CHECK(btfenc_encode_file(argv[1], NULL, &opts, &bad) == -EINVAL);

	btfenc_model_free(model);
	btfenc_btf_free(back);
	btfenc_btf_free(btf2);
	btfenc_btf_free(btf);
	printf("ok\n");
	return 0;
}
