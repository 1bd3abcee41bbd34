// SPDX-License-Identifier: GPL-2.0-only
/* argv -> struct cli_opts, and --help generated from the same table. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "color.h"
#include "diff/btf_diff.h"
#include "btf_encoder/btf_encoder.h"
#include "dwarf_loader/dwarf_loader.h"

enum {
	OPT_VERSION = 0x100,
	OPT_LANG_EXCLUDE,
	OPT_DETACHED,
	OPT_FEATURES,
	OPT_FEATURES_STRICT,
	OPT_SUPPORTED_FEATURES,
	OPT_BTF_BASE,
	OPT_SKIP_VARS,
	OPT_SKIP_DECL_TAG,
	OPT_SKIP_TYPE_TAG,
	OPT_SKIP_ENUM64,
	OPT_SKIP_INCONSISTENT,
	OPT_GEN_FLOATS,
	OPT_GEN_ALL,
	OPT_GEN_OPTIMIZED,
	OPT_ENCODE_FORCE,
	OPT_FORMAT,
	OPT_PRETTY,
	OPT_BTF_NAMES,
	OPT_JSON,
	OPT_ONLY,
	OPT_BTF_BASE_OLD,
	OPT_BTF_BASE_NEW,
	OPT_COLOR,
	OPT_BTF_FILE,
	OPT_EXPLAIN,
};

/* What the command line said about features, settled after parsing. */
struct cli_features {
	const char *list;		/* --btf_features */
	bool strict;			/* it came as --btf_features_strict */
	uint32_t add, remove;		/* the older switches */
};

struct cli_option {
	struct option lo;
	int short_opt;			/* 0: long only */
	const char *arg;		/* argument name for --help, NULL if none */
	const char *help;
};

static const struct cli_option cli_options[] = {
	{ { "class_name", required_argument, NULL, 'C' }, 'C', "NAME[,NAME...]",
	  "print only these structs and unions" },
	{ { "format_path", required_argument, NULL, 'F' }, 'F', "FORMAT",
	  "read types from FORMAT: dwarf or btf (raw BTF, ELF .BTF, /sys/kernel/btf)" },
	{ { "lang_exclude", required_argument, NULL, OPT_LANG_EXCLUDE }, 0,
	  "LANG[,LANG...]", "skip compilation units in these languages (c, c++, rust, ...)" },
	{ { "jobs", optional_argument, NULL, 'j' }, 'j', "N",
	  "run N threads (default 1; -j alone: one per CPU); encoding decodes on N-1" },
	{ { "btf_encode", no_argument, NULL, 'J' }, 'J', NULL,
	  "encode FILE's DWARF as BTF into FILE's .BTF section (in place, atomically)" },
	{ { "btf_encode_detached", required_argument, NULL, OPT_DETACHED }, 0, "OUT",
	  "write the raw BTF to OUT instead of into FILE" },
	{ { "btf_features", required_argument, NULL, OPT_FEATURES }, 0, "LIST",
	  "BTF features to use (default: the default set; unknown names ignored)" },
	{ { "btf_features_strict", required_argument, NULL, OPT_FEATURES_STRICT }, 0, "LIST",
	  "like --btf_features, but an unknown name is an error" },
	{ { "supported_btf_features", no_argument, NULL, OPT_SUPPORTED_FEATURES }, 0, NULL,
	  "list the --btf_features names and exit" },
	{ { "btf_base", required_argument, NULL, OPT_BTF_BASE }, 0, "FILE",
	  "encode split BTF against the BTF of FILE (raw BTF or ELF with .BTF)" },
	{ { "btf_encode_force", no_argument, NULL, OPT_ENCODE_FORCE }, 0, NULL,
	  "skip symbols with invalid names instead of failing (feature encode_force)" },
	{ { "skip_encoding_btf_vars", no_argument, NULL, OPT_SKIP_VARS }, 0, NULL,
	  "do not encode variables (feature var off)" },
	{ { "skip_encoding_btf_decl_tag", no_argument, NULL, OPT_SKIP_DECL_TAG }, 0, NULL,
	  "do not encode DECL_TAG (feature decl_tag off)" },
	{ { "skip_encoding_btf_type_tag", no_argument, NULL, OPT_SKIP_TYPE_TAG }, 0, NULL,
	  "do not encode TYPE_TAG (feature type_tag off)" },
	{ { "skip_encoding_btf_enum64", no_argument, NULL, OPT_SKIP_ENUM64 }, 0, NULL,
	  "do not encode ENUM64 (feature enum64 off)" },
	{ { "skip_encoding_btf_inconsistent_proto", no_argument, NULL, OPT_SKIP_INCONSISTENT },
	  0, NULL, "leave out functions with differing prototypes (feature consistent_func)" },
	{ { "btf_gen_floats", no_argument, NULL, OPT_GEN_FLOATS }, 0, NULL,
	  "encode FLOAT (feature float)" },
	{ { "btf_gen_optimized", no_argument, NULL, OPT_GEN_OPTIMIZED }, 0, NULL,
	  "feature optimized_func" },
	{ { "btf_gen_all", no_argument, NULL, OPT_GEN_ALL }, 0, NULL,
	  "every feature of the older switches (float)" },
	{ { "verbose", no_argument, NULL, 'V' }, 'V', NULL,
	  "say what was skipped and why, on stderr (twice: more)" },
	{ { "format", required_argument, NULL, OPT_FORMAT }, 0, "FMT",
	  "dump: layout (default), c, raw (bpftool's text) or json" },
	/* Hidden (no help text): dump --format=normal is scripts/btfdiff's
	 * interface, documented in src/cli/cmd_normal.c. */
	{ { "btf_names", required_argument, NULL, OPT_BTF_NAMES }, 0, "BTF", NULL },
	{ { "pretty", no_argument, NULL, OPT_PRETTY }, 0, NULL,
	  "dump --format=json: indent the JSON" },
	{ { "output", required_argument, NULL, 'o' }, 'o', "OUT",
	  "dedup: write the deduplicated raw BTF to OUT" },
	{ { "json", no_argument, NULL, OPT_JSON }, 0, NULL,
	  "diff, explain, verify: write JSON (with --pretty: indented)" },
	{ { "only", required_argument, NULL, OPT_ONLY }, 0, "WHAT",
	  "diff: compare only types, funcs or vars (comma-separated)" },
	{ { "btf_base_old", required_argument, NULL, OPT_BTF_BASE_OLD }, 0, "FILE",
	  "diff: the base BTF of OLD (default: --btf_base)" },
	{ { "btf_base_new", required_argument, NULL, OPT_BTF_BASE_NEW }, 0, "FILE",
	  "diff: the base BTF of NEW (default: --btf_base)" },
	{ { "color", optional_argument, NULL, OPT_COLOR }, 0, "WHEN",
	  "colour diff and layouts: auto (default: on a terminal), always, never" },
	{ { "help", no_argument, NULL, 'h' }, 'h', NULL, "show this help and exit" },
	{ { "version", no_argument, NULL, OPT_VERSION }, 0, NULL,
	  "show the version and exit" },
	{ { "quiet", no_argument, NULL, 'q' }, 'q', NULL,
	  "no progress display on stderr (shown only when it is a terminal)" },
	{ { "explain", required_argument, NULL, OPT_EXPLAIN }, 0, "FILE.json",
	  "with -J/--btf_encode_detached: write why each function and variable left out was" },
	{ { "btf", required_argument, NULL, OPT_BTF_FILE }, 0, "BTF",
	  "verify: check this BTF file (raw or ELF .BTF) instead of FILE's .BTF" },
};

#define NR_CLI_OPTIONS (sizeof(cli_options) / sizeof(cli_options[0]))

static void cli_help(const char *prog)
{
	size_t i;

	printf("Usage: %s [OPTIONS] FILE\n"
	       "       %s dump [--format=layout|c|raw|json] [OPTIONS] FILE\n"
	       "       %s dedup -o OUT [--btf_base=BASE] IN...\n"
	       "       %s diff [--json] [--only=WHAT] [-C NAMES] [OPTIONS] OLD NEW\n"
	       "       %s explain [--json] NAME FILE\n"
	       "       %s verify [--btf=BTF] [--btf_base=BASE] [--json] FILE\n\n"
	       "Without -J or --btf_encode_detached, print the layout of every struct and\n"
	       "union that FILE's DWARF describes, the way pahole does. With them, encode\n"
	       "FILE's DWARF as BTF. dump prints FILE's BTF (or, with -F dwarf or when it\n"
	       "has none, the BTF its DWARF gives); dedup links BTF files into one;\n"
	       "diff says what changed from OLD's BTF to NEW's (exit 0 equal, 1 different,\n"
	       "2 error). explain says why a function or variable of FILE's DWARF got no\n"
	       "BTF (or how it was encoded); verify checks FILE's BTF against its DWARF.\n\n"
	       "Options:\n", prog, prog, prog, prog, prog, prog);
	for (i = 0; i < NR_CLI_OPTIONS; i++) {
		const struct cli_option *c = &cli_options[i];
		char left[64];
		int n = 0;

		if (!c->help)
			continue;
		if (c->short_opt)
			n = snprintf(left, sizeof(left), "-%c, ", c->short_opt);
		else
			n = snprintf(left, sizeof(left), "    ");
		if (c->arg && c->lo.has_arg == optional_argument)
			snprintf(left + n, sizeof(left) - n, "--%s[=%s]", c->lo.name, c->arg);
		else if (c->arg)
			snprintf(left + n, sizeof(left) - n, "--%s=%s", c->lo.name, c->arg);
		else
			snprintf(left + n, sizeof(left) - n, "--%s", c->lo.name);
		printf("  %-34s %s\n", left, c->help);
	}
	printf("\nExit status: 0 success, 1 failure, 2 usage error.\n");
}

static int cli_usage_error(const struct cli_opts *o, const char *what, const char *arg)
{
	if (o->silent)
		return EXIT_USAGE;
	if (arg)
		fprintf(stderr, "%s: %s: '%s' (try --help)\n", o->prog, what, arg);
	else
		fprintf(stderr, "%s: %s (try --help)\n", o->prog, what);
	return EXIT_USAGE;
}

/* Split a comma-separated list into a NULL-terminated array. */
static int cli_split_list(const char *list, char ***ret, size_t *nr_ret)
{
	char *copy = strdup(list), *save = NULL, *tok;
	char **v = NULL;
	size_t n = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char **nv = realloc(v, (n + 2) * sizeof(*v));

		if (!nv)
			goto nomem;
		v = nv;
		v[n] = strdup(tok);
		if (!v[n])
			goto nomem;
		v[++n] = NULL;
	}
	free(copy);
	*ret = v;
	*nr_ret = n;
	return 0;
nomem:
	while (n)
		free(v[--n]);
	free(v);
	free(copy);
	return -ENOMEM;
}

static int cli_parse_jobs(const char *arg, unsigned *jobs)
{
	char *end;
	unsigned long v;

	if (!arg) {
		*jobs = 0;
		return 0;
	}
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || v > 1024)
		return -EINVAL;
	*jobs = (unsigned)v;
	return 0;
}

/* --only=types,funcs,vars */
static int cli_parse_only(const char *arg, unsigned int *ret)
{
	const char *p = arg;
	unsigned int mask = 0;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == 5 && !strncmp(p, "types", n))
			mask |= BDIFF_ONLY_TYPES;
		else if (n == 5 && !strncmp(p, "funcs", n))
			mask |= BDIFF_ONLY_FUNCS;
		else if (n == 4 && !strncmp(p, "vars", n))
			mask |= BDIFF_ONLY_VARS;
		else
			return -EINVAL;
		p += n;
		if (*p)
			p++;
	}
	if (!mask)
		return -EINVAL;
	*ret = mask;
	return 0;
}

static void cli_build_getopt(struct option *lo, char *shorts)
{
	size_t i;
	char *s = shorts;

	for (i = 0; i < NR_CLI_OPTIONS; i++) {
		lo[i] = cli_options[i].lo;
		if (!cli_options[i].short_opt)
			continue;
		*s++ = (char)cli_options[i].short_opt;
		if (lo[i].has_arg == required_argument)
			*s++ = ':';
		else if (lo[i].has_arg == optional_argument) {
			*s++ = ':';
			*s++ = ':';
		}
	}
	*s = '\0';
	memset(&lo[NR_CLI_OPTIONS], 0, sizeof(*lo));
}

static void cli_list_features(void)
{
	const struct btfe_feature_name *f;

	for (f = btfe_feature_names; f->name; f++)
		printf("%s%s\n", f->name, f->in_default ? "" : " (opt-in)");
}

/* Older switches map onto feature bits, as pahole does it. */
static bool cli_apply_switch(struct cli_features *cf, int c)
{
	switch (c) {
	case OPT_SKIP_VARS: cf->remove |= BTFE_F_VAR; return true;
	case OPT_SKIP_DECL_TAG: cf->remove |= BTFE_F_DECL_TAG; return true;
	case OPT_SKIP_TYPE_TAG: cf->remove |= BTFE_F_TYPE_TAG; return true;
	case OPT_SKIP_ENUM64: cf->remove |= BTFE_F_ENUM64; return true;
	case OPT_SKIP_INCONSISTENT: cf->add |= BTFE_F_CONSISTENT_FUNC; return true;
	case OPT_GEN_FLOATS:
	case OPT_GEN_ALL: cf->add |= BTFE_F_FLOAT; return true;
	case OPT_GEN_OPTIMIZED: cf->add |= BTFE_F_OPTIMIZED_FUNC; return true;
	case OPT_ENCODE_FORCE: cf->add |= BTFE_F_ENCODE_FORCE; return true;
	default: return false;
	}
}

/*
 * pahole's rules: without --btf_features, variables, decl tags, type tags
 * and enum64 are on and the older switches adjust that; with it, exactly
 * the listed features are on (plus what the older switches add).
 */
static int cli_settle_features(struct cli_opts *o, const struct cli_features *cf)
{
	uint32_t mask = BTFE_F_VAR | BTFE_F_DECL_TAG | BTFE_F_TYPE_TAG | BTFE_F_ENUM64;
	const char *bad = NULL;
	size_t bad_len = 0;

	if (cf->list && btfe_parse_features(cf->list, cf->strict, &mask, &bad, &bad_len)) {
		char word[64];

		snprintf(word, sizeof(word), "%.*s", (int)bad_len, bad ? bad : "");
		return cli_usage_error(o, "unknown BTF feature", word);
	}
	o->features = (mask | cf->add) & ~cf->remove;
	return 0;
}

static int cli_apply(struct cli_opts *o, struct cli_features *cf, int c, const char *arg)
{
	if (cli_apply_switch(cf, c))
		return 0;
	switch (c) {
	case 'J':
		o->encode = true;
		return 0;
	case OPT_DETACHED:
		o->detached = arg;
		return 0;
	case OPT_FEATURES:
	case OPT_FEATURES_STRICT:
		cf->list = arg;
		cf->strict = c == OPT_FEATURES_STRICT;
		return 0;
	case OPT_SUPPORTED_FEATURES:
		if (!o->silent)
			cli_list_features();
		return -1;
	case OPT_BTF_BASE:
		o->btf_base = arg;
		return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "layout"))
			o->dump_format = CLI_DUMP_LAYOUT;
		else if (!strcmp(arg, "c"))
			o->dump_format = CLI_DUMP_C;
		else if (!strcmp(arg, "raw"))
			o->dump_format = CLI_DUMP_RAW;
		else if (!strcmp(arg, "json"))
			o->dump_format = CLI_DUMP_JSON;
		else if (!strcmp(arg, "normal"))
			o->dump_format = CLI_DUMP_NORMAL;
		else
			return cli_usage_error(o, "unknown --format", arg);
		return 0;
	case OPT_PRETTY:
		o->pretty = true;
		return 0;
	case OPT_BTF_NAMES:
		o->btf_names = arg;
		return 0;
	case OPT_BTF_FILE:
		o->btf_file = arg;
		return 0;
	case OPT_JSON:
		o->json = true;
		return 0;
	case OPT_EXPLAIN:
		o->explain = arg;
		return 0;
	case 'o':
		o->output = arg;
		return 0;
	case OPT_ONLY:
		if (cli_parse_only(arg, &o->diff_only))
			return cli_usage_error(o, "bad --only (types, funcs, vars)", arg);
		return 0;
	case OPT_BTF_BASE_OLD:
		o->btf_base_old = arg;
		return 0;
	case OPT_BTF_BASE_NEW:
		o->btf_base_new = arg;
		return 0;
	case OPT_COLOR: {
		enum cli_color_mode m;

		if (cli_color_parse(arg, &m))
			return cli_usage_error(o, "bad --color (auto, always, never)", arg);
		o->color = m;
		return 0;
	}
	case 'C':
		if (o->names)
			return cli_usage_error(o, "-C given twice", arg);
		if (cli_split_list(arg, &o->names, &o->nr_names) || !o->nr_names)
			return cli_usage_error(o, "bad -C list", arg);
		return 0;
	case 'F':
		if (!strcmp(arg, "dwarf"))
			o->format = CLI_FORMAT_DWARF;
		else if (!strcmp(arg, "btf"))
			o->format = CLI_FORMAT_BTF;
		else
			return cli_usage_error(o, "unsupported format", arg);
		return 0;
	case OPT_LANG_EXCLUDE:
		if (dwl_parse_lang_list(arg, &o->lang_exclude))
			return cli_usage_error(o, "unknown language in --lang_exclude", arg);
		return 0;
	case 'j':
		if (cli_parse_jobs(arg, &o->jobs))
			return cli_usage_error(o, "bad job count", arg);
		return 0;
	case 'V':
		o->verbose++;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case 'h':
		if (!o->silent)
			cli_help(o->prog);
		return -1;
	case OPT_VERSION:
		/* Under the name pahole, answer as the pahole release whose
		 * behaviour we implement, so kernel build checks pass. */
		if (!o->silent)
			printf("%s\n", o->as_pahole ? CLI_PAHOLE_VERSION : BTFENC_VERSION);
		return -1;
	default:
		return cli_usage_error(o, "unknown option", NULL);
	}
}

/* Positional arguments and option combinations, per command. */
static int cli_check_args(struct cli_opts *o, int nr, char **args)
{
	if (nr < 1)
		return cli_usage_error(o, "no input file", NULL);
	o->files = args;
	o->nr_files = (size_t)nr;
	o->file = args[0];
	switch (o->cmd) {
	case CLI_CMD_DEDUP:
		if (!o->output)
			return cli_usage_error(o, "dedup needs -o OUT", NULL);
		return 0;
	case CLI_CMD_DIFF:
		if (o->encode || o->detached || o->output || o->dump_format != CLI_DUMP_LAYOUT)
			return cli_usage_error(o, "diff takes no -J, -o or --format", NULL);
		if (nr != 2)
			return cli_usage_error(o, "diff needs two inputs, OLD and NEW", NULL);
		return 0;
	case CLI_CMD_DUMP:
		if (o->encode || o->detached)
			return cli_usage_error(o, "dump does not encode; use btfenc -J", NULL);
		break;
	case CLI_CMD_EXPLAIN:
		if (nr != 2)
			return cli_usage_error(o, "explain needs NAME FILE", NULL);
		o->explain_name = args[0];
		o->file = args[1];
		if (o->encode || o->detached || o->explain)
			return cli_usage_error(o, "explain does not write files", NULL);
		return 0;
	case CLI_CMD_VERIFY:
		if (o->encode || o->detached || o->explain)
			return cli_usage_error(o, "verify does not encode", NULL);
		break;
	default:
		if (o->dump_format != CLI_DUMP_LAYOUT || o->output || o->pretty || o->btf_names)
			return cli_usage_error(o, "--format, --pretty and -o go with a subcommand", NULL);
		if (o->json || o->btf_file)
			return cli_usage_error(o, "--json and --btf go with diff, explain or verify", NULL);
		if (o->explain && !o->encode && !o->detached)
			return cli_usage_error(o, "--explain goes with -J or --btf_encode_detached", NULL);
		break;
	}
	if (nr > 1)
		return cli_usage_error(o, "more than one input file", args[1]);
	return 0;
}

int cli_parse(int argc, char **argv, struct cli_opts *o)
{
	return cli_parse_args(argc, argv, false, o);
}

int cli_parse_args(int argc, char **argv, bool quiet, struct cli_opts *o)
{
	struct option lo[NR_CLI_OPTIONS + 1];
	char shorts[3 * NR_CLI_OPTIONS + 1];
	struct cli_features cf = { 0 };
	int c, err;

	memset(o, 0, sizeof(*o));
	o->silent = quiet;
	o->jobs = 1;			/* as pahole: threads only with -j */
	o->prog = basename(argv[0]);
	o->as_pahole = !strcmp(o->prog, "pahole");
	if (argc > 1 && !strcmp(argv[1], "dump"))
		o->cmd = CLI_CMD_DUMP;
	else if (argc > 1 && !strcmp(argv[1], "dedup"))
		o->cmd = CLI_CMD_DEDUP;
	else if (argc > 1 && !strcmp(argv[1], "diff"))
		o->cmd = CLI_CMD_DIFF;
	else if (argc > 1 && !strcmp(argv[1], "explain"))
		o->cmd = CLI_CMD_EXPLAIN;
	else if (argc > 1 && !strcmp(argv[1], "verify"))
		o->cmd = CLI_CMD_VERIFY;
	if (o->cmd != CLI_CMD_DEFAULT) {
		/* getopt starts at argv[1]: hide the subcommand word. */
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	cli_build_getopt(lo, shorts);
	opterr = 0;
	optind = 0;			/* glibc: start afresh (a second call) */
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (c == '?') {
			const char *bad = optopt ? NULL : argv[optind - 1];
			char buf[8];

			if (optopt) {
				snprintf(buf, sizeof(buf), "-%c", optopt);
				bad = buf;
			}
			return cli_usage_error(o, "unknown option or missing argument", bad);
		}
		err = cli_apply(o, &cf, c, optarg);
		if (err)
			return err;
	}
	err = cli_check_args(o, argc - optind, argv + optind);
	if (err)
		return err;
	return cli_settle_features(o, &cf);
}

void cli_opts_deinit(struct cli_opts *o)
{
	size_t i;

	for (i = 0; i < o->nr_names; i++)
		free(o->names[i]);
	free(o->names);
	o->names = NULL;
	o->nr_names = 0;
}
