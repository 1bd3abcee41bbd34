// SPDX-License-Identifier: GPL-2.0-only
/* Loading --btf_base beside the DWARF decoding (base_job.h). */
#include "base_job.h"

#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

/* The load's sink: keep the message for cli_base_job_wait(). */
static void cli_base_job_capture(void *ctx, enum diag_level level, const char *msg)
{
	struct cli_base_job *j = ctx;
	size_t n = strlen(msg);

	if (vec_reserve(&j->msgs, j->msgs.len + n + 2))
		return;		/* lost: the error, if any, still says why */
	j->msgs.v[j->msgs.len++] = (char)level;
	memcpy(j->msgs.v + j->msgs.len, msg, n + 1);
	j->msgs.len += n + 1;
}

static void *cli_base_job_main(void *arg)
{
	struct cli_base_job *j = arg;

	j->err = btfl_load_file(j->path, NULL, &j->bo, &j->base);
	return NULL;
}

void cli_base_job_start(struct cli_base_job *j, const char *path,
			const struct btfl_opts *bo)
{
	memset(j, 0, sizeof(*j));
	j->path = path;
	j->bo = *bo;
	j->bo.read_only = true;
	j->capture = (struct diag){ .sink = cli_base_job_capture, .ctx = j,
				    .max_level = bo->diag ? bo->diag->max_level : DIAG_ERROR };
	j->bo.diag = bo->diag ? &j->capture : NULL;
	j->running = pthread_create(&j->thread, NULL, cli_base_job_main, j) == 0;
	if (!j->running)
		cli_base_job_main(j);
}

int cli_base_job_wait(struct cli_base_job *j, struct cli_diag *cd,
		      const struct bfmt_btf **base_ret)
{
	size_t at;

	if (j->running)
		pthread_join(j->thread, NULL);
	j->running = false;
	if (!j->waited) {
		j->waited = true;
		for (at = 0; at < j->msgs.len; at += strlen(j->msgs.v + at + 1) + 2)
			diag_report(&cd->diag, (enum diag_level)j->msgs.v[at], "%s",
				    j->msgs.v + at + 1);
		vec_free(&j->msgs);	/* (one that could not be kept is lost) */
	}
	*base_ret = j->base;
	return j->err;
}

struct bfmt_btf *cli_base_job_end(struct cli_base_job *j, struct cli_diag *cd)
{
	const struct bfmt_btf *base;
	struct bfmt_btf *own;

	cli_base_job_wait(j, cd, &base);
	own = j->base;
	j->base = NULL;
	return own;
}
