/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * explain: what the encoder left out and why, for --explain=FILE.json and
 * `btfenc explain NAME FILE` (cmd_explain.c).
 *
 * The records are the encoder's (btfe_encoder__skipped(), its fixed
 * vocabulary) plus "language excluded" for the functions and variables of
 * units --lang_exclude drops, which the CLI sees itself: with an explain
 * sink, the DWARF loader delivers every unit and the CLI hands the
 * encoder only those not excluded (so the BTF is byte for byte what it is
 * without --explain). A language record is kept only for a name that got
 * no BTF and no other record. Records are sorted (kind, name, address,
 * reason, detail) and each is kept once.
 *
 * Owns:    its records (heap copies); cli_explain_deinit() frees them.
 */
#ifndef BTFENC_CLI_EXPLAIN_H
#define BTFENC_CLI_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "json_out.h"

struct cli_explain_rec {
	uint8_t kind;		/* enum btfe_skip_kind */
	uint8_t reason;		/* enum btfe_skip_reason */
	char *name;
	char *detail;		/* "" when none */
	uint64_t addr;		/* 0 when unknown */
};

struct cli_explain {
	const char *want;	/* explain NAME: watch for it in DWARF, or NULL */
	bool want_func;		/* want was seen as a function in DWARF */
	bool want_var;		/* ... as a variable */
	struct {
		struct cli_explain_rec *v;
		size_t len, cap;
	} recs;
};

void cli_explain_deinit(struct cli_explain *ex);

/* cli_encode_btf() that also fills ex (which must be zeroed, want set). */
int cli_encode_btf_explain(const struct cli_opts *o, const char *file, struct cli_diag *cd,
			   const struct bfmt_btf *base, struct bfmt_btf **btf_ret,
			   bool *big_endian_ret, struct cli_explain *ex);

/* explain_collect.c: watch for ex->want in a unit, and record the
 * functions and variables of an excluded unit. */
int explain_note_cu(struct cli_explain *ex, const struct ir_cu *cu, bool excluded);

/* After the encoder finished: take its records, merge the language ones
 * (dropping those for names the encoder decided), sort, keep each once. */
struct btfe_encoder;
int explain_take_skips(struct cli_explain *ex, struct btfe_encoder *enc);

/* "function" or "variable". */
const char *cli_explain_kind_str(uint8_t kind);

/* One record as a JSON object. */
void explain_json_record(struct json_out *j, const struct cli_explain_rec *r);

/* Write the --explain file: {"file": ..., "records": [...]}, one record
 * per line. Returns 0 or a negative errno. */
int explain_json_write(const char *path, const char *file, const struct cli_explain *ex);

#endif
