// SPDX-License-Identifier: GPL-2.0-only
/* The command's diagnostics sink: one clear line per failure on stderr. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_run.h"

static void cli_sink(void *ctx, enum diag_level level, const char *msg)
{
	struct cli_diag *cd = ctx;

	if (level == DIAG_ERROR) {
		/* The first error is the cause; later ones are fallout. */
		if (!cd->have_error) {
			snprintf(cd->first_error, sizeof(cd->first_error), "%s", msg);
			cd->have_error = true;
		}
		return;
	}
	cli_run_clear(cd->run);
	fprintf(stderr, "%s: %s%s\n", cd->prog,
		level == DIAG_WARN ? "warning: " : "", msg);
}

void cli_diag_init(struct cli_diag *cd, const char *prog, int verbose)
{
	memset(cd, 0, sizeof(*cd));
	cd->prog = prog;
	cd->diag.sink = cli_sink;
	cd->diag.ctx = cd;
	cd->diag.max_level = verbose > 1 ? DIAG_DEBUG :
			     verbose ? DIAG_INFO : DIAG_ERROR;
}

int cli_fail(struct cli_diag *cd, const char *file, int err)
{
	cli_run_clear(cd->run);
	if (cd->have_error)
		fprintf(stderr, "%s: %s\n", cd->prog, cd->first_error);
	else if (err == -E2BIG)	/* strerror: "Argument list too long" */
		fprintf(stderr, "%s: %s: too large: past a limit of BTF or of btfenc\n",
			cd->prog, file);
	else
		fprintf(stderr, "%s: %s: %s\n", cd->prog, file, strerror(-err));
	return EXIT_FAIL;
}
