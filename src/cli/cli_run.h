/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_run: what a long btfenc run says about itself on stderr.
 *
 * Progress: when stderr is a terminal and -q was not given, one line that
 * is rewritten in place ("units 12/2170", then "functions", "dedup",
 * "write") and erased at the end or before any other message; never when
 * stderr is not a terminal. -V: at the end, one line per phase with its
 * wall-clock time (decode, encode, funcs, dedup, write) and lines with the
 * counts (units, DIEs, model types, BTF types before and after dedup,
 * functions, variables, bytes written).
 *
 * Owns:    nothing; a struct cli_run lives on the command's stack.
 * Threads: used by the calling thread only (the loader calls the progress
 *          callback there).
 * Output:  stderr only; stdout and the files written never depend on it.
 */
#ifndef BTFENC_CLI_RUN_H
#define BTFENC_CLI_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum cli_phase {
	CLI_PHASE_NONE = -1,
	CLI_PHASE_DECODE,	/* reading DWARF units (waiting for them, with -j) */
	CLI_PHASE_ENCODE,	/* turning each unit's types into BTF */
	CLI_PHASE_FUNCS,	/* deciding functions and variables */
	CLI_PHASE_DEDUP,
	CLI_PHASE_WRITE,
	CLI_PHASE_NR,
};

struct cli_run {
	const char *prog;
	bool progress;			/* draw the progress line */
	bool report;			/* -V: timings and counts at the end */
	bool line_shown;		/* a progress line is on the terminal */
	enum cli_phase phase;		/* the phase whose time is running */
	struct timespec since;		/* when that phase (re)started */
	double secs[CLI_PHASE_NR];	/* time spent in each phase */
	long peak_kb[CLI_PHASE_NR];	/* peak RSS when the phase last ended */
	unsigned int last_permille;	/* last unit progress drawn */
	/* Counts for -V, filled by the command. */
	uint64_t nr_units, nr_units_excluded, nr_dies, nr_model_types;
	uint64_t nr_btf_types, nr_btf_types_dedup;
	uint64_t nr_funcs, nr_vars, nr_skipped;
	uint64_t bytes_written;
};

/* quiet: -q; verbose: the -V count. */
void cli_run_init(struct cli_run *r, const char *prog, bool quiet, int verbose);
/* Close the running phase's time and start p (CLI_PHASE_NONE: stop). */
void cli_run_phase(struct cli_run *r, enum cli_phase p);
/* The dwarf_loader progress callback (ctx: struct cli_run). */
void cli_run_units(void *ctx, size_t done, size_t total);
/* Erase the progress line (before another message goes to stderr). */
void cli_run_clear(struct cli_run *r);
/* Stop the clock, erase the progress line, print the -V report. */
void cli_run_end(struct cli_run *r);

#endif
