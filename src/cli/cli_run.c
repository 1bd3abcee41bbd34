// SPDX-License-Identifier: GPL-2.0-only
/* Progress on a terminal and -V phase timings (cli_run.h). */
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli_run.h"

static const char *const cli_phase_names[CLI_PHASE_NR] = {
	[CLI_PHASE_DECODE] = "decode",
	[CLI_PHASE_ENCODE] = "encode",
	[CLI_PHASE_FUNCS] = "funcs",
	[CLI_PHASE_DEDUP] = "dedup",
	[CLI_PHASE_WRITE] = "write",
};

/* What the progress line says when a phase starts (decode draws units). */
static const char *const cli_phase_lines[CLI_PHASE_NR] = {
	[CLI_PHASE_FUNCS] = "functions and variables",
	[CLI_PHASE_DEDUP] = "dedup",
	[CLI_PHASE_WRITE] = "write",
};

void cli_run_init(struct cli_run *r, const char *prog, bool quiet, int verbose)
{
	*r = (struct cli_run){ .prog = prog, .phase = CLI_PHASE_NONE };
	r->progress = !quiet && isatty(STDERR_FILENO);
	r->report = verbose > 0;
	r->last_permille = ~0u;
}

static void cli_run_draw(struct cli_run *r, const char *text)
{
	fprintf(stderr, "\r\033[K%s: %s", r->prog, text);
	fflush(stderr);
	r->line_shown = true;
}

void cli_run_phase(struct cli_run *r, enum cli_phase p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (r->phase != CLI_PHASE_NONE) {
		struct rusage ru;

		r->secs[r->phase] += (double)(now.tv_sec - r->since.tv_sec) +
				     (double)(now.tv_nsec - r->since.tv_nsec) / 1e9;
		if (!getrusage(RUSAGE_SELF, &ru))
			r->peak_kb[r->phase] = ru.ru_maxrss;
	}
	r->phase = p;
	r->since = now;
	if (r->progress && p != CLI_PHASE_NONE && cli_phase_lines[p])
		cli_run_draw(r, cli_phase_lines[p]);
}

void cli_run_units(void *ctx, size_t done, size_t total)
{
	struct cli_run *r = ctx;
	char text[64];
	unsigned int permille = total ? (unsigned int)(done * 1000 / total) : 1000;

	/* Redraw only when the line would change visibly. */
	if (!r->progress || (permille == r->last_permille && done != total))
		return;
	r->last_permille = permille;
	snprintf(text, sizeof(text), "units %zu/%zu", done, total);
	cli_run_draw(r, text);
}

void cli_run_clear(struct cli_run *r)
{
	if (!r || !r->line_shown)
		return;
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	r->line_shown = false;
}

void cli_run_end(struct cli_run *r)
{
	int p;

	cli_run_phase(r, CLI_PHASE_NONE);
	cli_run_clear(r);
	if (!r->report)
		return;
	/* The peak is a high-water mark: the phase where it grows is the one
	 * that needed the memory. */
	for (p = 0; p < CLI_PHASE_NR; p++)
		fprintf(stderr, "%s: time %-6s %.3f s, peak RSS %ld MB\n", r->prog,
			cli_phase_names[p], r->secs[p], (r->peak_kb[p] + 512) / 1024);
	fprintf(stderr, "%s: units %llu (%llu excluded), DIEs %llu, model types %llu\n",
		r->prog, (unsigned long long)r->nr_units,
		(unsigned long long)r->nr_units_excluded, (unsigned long long)r->nr_dies,
		(unsigned long long)r->nr_model_types);
	fprintf(stderr, "%s: BTF types %llu before dedup, %llu after; functions %llu, "
		"variables %llu, %llu left out\n", r->prog,
		(unsigned long long)r->nr_btf_types, (unsigned long long)r->nr_btf_types_dedup,
		(unsigned long long)r->nr_funcs, (unsigned long long)r->nr_vars,
		(unsigned long long)r->nr_skipped);
	fprintf(stderr, "%s: wrote %llu bytes\n", r->prog, (unsigned long long)r->bytes_written);
}
