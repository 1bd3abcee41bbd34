/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli: the btfenc command. Owns argv parsing, stderr and exit codes; the
 * library below it never prints. Exit codes: 0 success, 1 failure (bad
 * input, I/O), 2 usage error.
 */
#ifndef BTFENC_CLI_H
#define BTFENC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btf_format/btf_types.h"
#include "util/diag.h"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
};

/* The subcommand: none is pahole's command line (layout or -J). */
enum cli_cmd {
	CLI_CMD_DEFAULT,
	CLI_CMD_DUMP,		/* btfenc dump [--format=...] FILE */
	CLI_CMD_DEDUP,		/* btfenc dedup -o OUT IN... */
	CLI_CMD_DIFF,		/* btfenc diff OLD NEW (cmd_diff.c) */
	CLI_CMD_EXPLAIN,	/* btfenc explain NAME FILE (cmd_explain.c) */
	CLI_CMD_VERIFY,		/* btfenc verify FILE (cmd_verify.c) */
};

/* btfenc dump --format */
enum cli_dump_format {
	CLI_DUMP_LAYOUT,
	CLI_DUMP_C,
	CLI_DUMP_RAW,
	CLI_DUMP_JSON,
	CLI_DUMP_NORMAL,	/* the normal form, for scripts/btfdiff (cmd_normal.c) */
};

enum cli_format {
	CLI_FORMAT_AUTO,
	CLI_FORMAT_DWARF,
	CLI_FORMAT_BTF,
};

struct cli_opts {
	const char *prog;		/* program name for messages */
	enum cli_cmd cmd;
	const char *file;		/* the input (the first, for dedup) */
	char **files;			/* every input (argv slice) */
	size_t nr_files;
	enum cli_dump_format dump_format;	/* --format */
	bool pretty;			/* --pretty (json) */
	const char *output;		/* -o */
	enum cli_format format;		/* -F */
	char **names;			/* -C list, NULL-terminated, or NULL */
	size_t nr_names;
	uint32_t lang_exclude;		/* --lang_exclude mask */
	int verbose;			/* -V count */
	unsigned jobs;			/* -j N; 1 without -j, 0 (-j alone) = number
					 * of CPUs: see cli_jobs() */
	/* Encoding (pahole -J spelling). */
	bool encode;			/* -J / --btf_encode: into FILE's .BTF */
	const char *detached;		/* --btf_encode_detached=OUT */
	const char *btf_base;		/* --btf_base=FILE */
	uint32_t features;		/* enum btfe_feature bits, final */
	bool as_pahole;			/* invoked under the name "pahole" */
	const char *btf_names;		/* dump --format=normal: --btf_names=BTF */
	/* btfenc diff (cmd_diff.c) and colour (color.h). */
	bool json;			/* diff, explain, verify: --json */
	unsigned int diff_only;		/* --only: BDIFF_ONLY_* bits, 0 = all */
	const char *btf_base_old;	/* --btf_base_old=FILE */
	const char *btf_base_new;	/* --btf_base_new=FILE */
	int color;			/* --color: enum cli_color_mode */
	bool quiet;			/* -q: no progress line (cli_run.h) */
	const char *btf_file;		/* verify: --btf=BTF (else FILE's .BTF) */
	const char *explain;		/* encoding: --explain=FILE.json */
	const char *explain_name;	/* explain: NAME */
	bool silent;			/* cli_parse_args(quiet): print nothing */
};

/* The pahole release whose command line and rules btfenc follows; printed
 * by --version when btfenc runs under the name "pahole". */
#define CLI_PAHOLE_VERSION "v1.30"

/* Parse argv; on a usage error prints one line and returns EXIT_USAGE,
 * for --help/--version prints and returns -1 (exit 0), else 0. */
int cli_parse(int argc, char **argv, struct cli_opts *o);
/* The same; with quiet nothing is printed (the fuzzer's entry point): the
 * only effects are on *o and getopt's globals. argv is permuted, and
 * *o points into it. */
int cli_parse_args(int argc, char **argv, bool quiet, struct cli_opts *o);
void cli_opts_deinit(struct cli_opts *o);

struct cli_run;

/* The diag sink of the command: keeps the first error (printed once by
 * cli_fail()), prints warnings and info lines when verbose. */
struct cli_diag {
	struct diag diag;
	const char *prog;
	char first_error[1024];
	bool have_error;
	struct cli_run *run;		/* progress and -V timings of a long run
					 * (cli_run.h), or NULL */
};

void cli_diag_init(struct cli_diag *cd, const char *prog, int verbose);
/* Print the one error line for a failed operation on file and return
 * EXIT_FAIL. Uses the captured message when there is one, else err. */
int cli_fail(struct cli_diag *cd, const char *file, int err);

int cmd_layout(const struct cli_opts *o);
int cmd_encode(const struct cli_opts *o);
int cmd_dump(const struct cli_opts *o);
int cmd_dedup(const struct cli_opts *o);
int cmd_normal(const struct cli_opts *o);
int cmd_diff(const struct cli_opts *o);
int cmd_explain(const struct cli_opts *o);
int cmd_verify(const struct cli_opts *o);

/* Load a --btf_base file with bo's settings, read-only: its sections may
 * stay in a mapping of the file (btfl_opts.read_only). */
struct btfl_opts;
int cli_load_base(const char *path, const struct btfl_opts *bo, struct bfmt_btf **ret);

/*
 * The BTF a command works on, from FILE's .BTF (or raw BTF) or, with
 * -F dwarf (or when FILE has no BTF), encoded from its DWARF in memory.
 * --btf_base loads the base first. *base_ret (maybe NULL) and *btf_ret are
 * the caller's to free (base after btf). Errors are reported through cd.
 */
int cli_load_btf(const struct cli_opts *o, const char *file, struct cli_diag *cd,
		 struct bfmt_btf **base_ret, struct bfmt_btf **btf_ret, bool *big_endian_ret);

/* Encode FILE's DWARF (pahole's rules and o->features) into a new
 * deduplicated BTF table on top of base (may be NULL). */
int cli_encode_btf(const struct cli_opts *o, const char *file, struct cli_diag *cd,
		   const struct bfmt_btf *base, struct bfmt_btf **btf_ret,
		   bool *big_endian_ret);

/* cli_encode_btf() with an explain sink (may be NULL, see explain.h) on a
 * base given either loaded (base) or still loading (job, base_job.h: the
 * encoder waits for it at the first unit; base is then NULL). */
struct cli_base_job;
struct cli_explain;
int cli_encode_btf_job(const struct cli_opts *o, const char *file, struct cli_diag *cd,
		       const struct bfmt_btf *base, struct cli_base_job *job,
		       struct bfmt_btf **btf_ret, bool *big_endian_ret,
		       struct cli_explain *ex);

/* The number of DWARF decoding threads for struct dwl_opts.jobs. */
unsigned int cli_jobs(const struct cli_opts *o);

struct btfw_opts;
/* Tests only: writer fault injection from BTFENC_TEST_WRITER_FAIL_AT /
 * BTFENC_TEST_WRITER_KILL_AT (writer_hooks.c). */
void cli_writer_test_hooks(struct btfw_opts *wo);

/*
 * Before raw BTF made from file is written: load it back with the strict
 * loader (on base, may be NULL); a failure is reported through cd (one
 * line: file, type id, rule) and returned, and the caller writes nothing.
 * With loaded_ret, the loaded table is the caller's (to check split BTF on
 * it); else it is freed (out_check.c).
 */
int cli_check_out(struct cli_diag *cd, const char *file, void *raw, size_t len,
		  const struct bfmt_btf *base, struct bfmt_btf **loaded_ret);

/* Tests only: with BTFENC_TEST_CORRUPT_OUT=1, the first type of the raw
 * BTF about to be checked gets a name offset past its strings, as an
 * encoder bug would (writer_hooks.c). */
void cli_out_test_hook(void *raw, size_t len);

#endif
