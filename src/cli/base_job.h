/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * base_job: load a --btf_base file on a thread of its own while the
 * command decodes its input's DWARF, which does not need the base; the
 * encoder waits for it before it encodes the first unit. A module's base is
 * the kernel's BTF (5 MB, about a third of a small module's run), and the
 * module's DWARF is decoded meanwhile.
 *
 * Owns:    the thread until cli_base_job_wait(), the messages the load
 *          reported (kept, and reported through the caller's sink by the
 *          thread that waits, so the sink is only ever called from one
 *          thread), and the base until cli_base_job_end().
 * Borrows: the path and the options for the job's life.
 * Errors:  what btfl_load_file() returns, from cli_base_job_wait(); a
 *          thread that cannot be started loads the base in
 *          cli_base_job_start() itself.
 */
#ifndef BTFENC_CLI_BASE_JOB_H
#define BTFENC_CLI_BASE_JOB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "btf_format/btf_types.h"
#include "btf_loader/btf_loader.h"
#include "cli.h"

struct cli_base_job {
	pthread_t thread;
	bool running;			/* thread started, not joined yet */
	bool waited;			/* messages reported */
	const char *path;
	struct btfl_opts bo;		/* the caller's, read-only, diag = &capture */
	struct diag capture;
	struct {
		char *v;		/* per message: its level byte, its text, NUL */
		size_t len, cap;
	} msgs;
	struct bfmt_btf *base;
	int err;
};

/* Start loading path as a base with bo's settings (read-only). */
void cli_base_job_start(struct cli_base_job *j, const char *path,
			const struct btfl_opts *bo);

/* Wait for the load (the first call reports its messages through cd) and
 * give the base, still the job's. */
int cli_base_job_wait(struct cli_base_job *j, struct cli_diag *cd,
		      const struct bfmt_btf **base_ret);

/* Wait if that was not done, and hand the base (NULL on failure) over to
 * the caller; the job is finished. */
struct bfmt_btf *cli_base_job_end(struct cli_base_job *j, struct cli_diag *cd);

#endif
