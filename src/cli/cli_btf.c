// SPDX-License-Identifier: GPL-2.0-only
/* Getting a BTF table for a command: load it, or encode it from DWARF. */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base_job.h"
#include "btf_encoder/btf_encoder.h"
#include "btf_encoder/btfe_elf.h"
#include "btf_loader/btf_loader.h"
#include "cli.h"
#include "cli_run.h"
#include "dwarf_loader/dwarf_loader.h"
#include "explain.h"

struct cli_encode_ctx {
	struct btfe_encoder *enc;	/* made by cli_encoder() */
	struct btfe_opts eopts;
	struct cli_base_job *job;	/* NULL, or the base being loaded */
	struct cli_diag *cd;
	struct cli_run *run;		/* may be NULL */
	struct cli_explain *ex;		/* NULL without an explain sink */
	uint32_t lang_exclude;		/* units dropped here (explain only) */
};

/* The encoder, once: on a base still loading (base_job.h), it waits for
 * it; the units decoded meanwhile wait in the decoder's window. */
static int cli_encoder(struct cli_encode_ctx *ctx)
{
	int err;

	if (ctx->enc)
		return 0;
	if (ctx->job) {
		err = cli_base_job_wait(ctx->job, ctx->cd, &ctx->eopts.base);
		if (err)
			return err;
	}
	return btfe_encoder__new(&ctx->eopts, &ctx->enc);
}

static int cli_encode_cu(struct ir_cu *cu, void *arg)
{
	/* -V lines for skipped functions and variables come through the
	 * diag sink at DIAG_INFO, as the encoder decides them. */
	struct cli_encode_ctx *ctx = arg;
	bool excluded = (ctx->lang_exclude >> cu->lang) & 1u;
	int err = cli_encoder(ctx);

	if (err) {
		ir_cu__free(cu);
		return err;
	}
	if (ctx->run) {
		ctx->run->nr_model_types += cu->types.len ? cu->types.len - 1 : 0;
		cli_run_phase(ctx->run, CLI_PHASE_ENCODE);
	}
	if (ctx->ex)
		err = explain_note_cu(ctx->ex, cu, excluded);
	if (!err && !excluded)
		err = btfe_encoder__add_cu(ctx->enc, cu);
	if (ctx->run)
		cli_run_phase(ctx->run, CLI_PHASE_DECODE);
	ir_cu__free(cu);
	return err;
}

static uint64_t cli_own_types(const struct bfmt_btf *btf)
{
	return btf ? bfmt_btf__nr_types(btf) - btf->start_id : 0;
}

/* -V counts of an encoding run, before dedup. */
static void cli_count_encoded(struct cli_run *run, const struct dwl_stats *st,
			      const struct btfe_encoder *enc)
{
	run->nr_units = st->nr_units;
	run->nr_units_excluded = st->nr_units_excluded;
	run->nr_dies = st->nr_dies;
	run->nr_btf_types = cli_own_types(btfe_encoder__btf(enc));
}

/* -V counts of the deduplicated BTF, and of what was left out. */
static void cli_count_dedup(struct cli_run *run, const struct bfmt_btf *btf,
			    const struct btfe_encoder *enc)
{
	uint32_t id;

	run->nr_skipped = btfe_encoder__nr_skipped(enc);
	run->nr_btf_types_dedup = cli_own_types(btf);
	for (id = btf->start_id; id < bfmt_btf__nr_types(btf); id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);

		run->nr_funcs += bfmt_kind(t) == BFMT_KIND_FUNC;
		run->nr_vars += bfmt_kind(t) == BFMT_KIND_VAR;
	}
}

static void cli_heap_trim(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/*
 * While dedup runs, its arrays (up to tens of MB each, allocated and freed
 * pass by pass) come from the heap instead of being mapped and unmapped
 * each time (main.c fixes the threshold at 1 MB for the rest of the run):
 * fresh mappings fault every page in zeroed, and unmapping them while the
 * deciding thread or the parallel steps run stops every CPU to flush its
 * TLB. Debian's 6.1 vmlinux, same run: dedup 0.80 -> 0.70 s at -j1, 0.69
 * -> 0.61 s at -j2, peak RSS 11-13 MB higher; small modules 1-2 ms faster.
 */
static void cli_dedup_malloc(bool dedup_runs)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, dedup_runs ? 64 << 20 : 1 << 20);
#else
	(void)dedup_runs;
#endif
}

unsigned int cli_jobs(const struct cli_opts *o)
{
	long n;

	if (o->jobs)
		return o->jobs;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 1024 ? 1024 : (unsigned int)n;
}

int cli_encode_btf(const struct cli_opts *o, const char *file, struct cli_diag *cd,
		   const struct bfmt_btf *base, struct bfmt_btf **btf_ret,
		   bool *big_endian_ret)
{
	return cli_encode_btf_explain(o, file, cd, base, btf_ret, big_endian_ret, NULL);
}

int cli_encode_btf_explain(const struct cli_opts *o, const char *file, struct cli_diag *cd,
			   const struct bfmt_btf *base, struct bfmt_btf **btf_ret,
			   bool *big_endian_ret, struct cli_explain *ex)
{
	return cli_encode_btf_job(o, file, cd, base, NULL, btf_ret, big_endian_ret, ex);
}

int cli_encode_btf_job(const struct cli_opts *o, const char *file, struct cli_diag *cd,
		       const struct bfmt_btf *base, struct cli_base_job *job,
		       struct bfmt_btf **btf_ret, bool *big_endian_ret,
		       struct cli_explain *ex)
{
	/* With an explain sink, excluded units come to cli_encode_cu(), which
	 * records their functions and variables and drops them itself. */
	struct cli_run *run = cd->run;
	struct dwl_opts dopts = { .diag = &cd->diag, .lang_exclude = ex ? 0 : o->lang_exclude,
				  .jobs = cli_jobs(o), .busy_caller = true,
				  .borrow_names = true,	/* cli_encode_cu() frees the CUs */
				  .lazy_packed = true,	/* the encoder asks when it needs it */
				  .progress = run ? cli_run_units : NULL, .progress_ctx = run };
	struct cli_encode_ctx ctx = { .job = job, .cd = cd, .run = run, .ex = ex,
				      .lang_exclude = ex ? o->lang_exclude : 0 };
	struct dwl_stats stats = { 0 };
	struct btfe_elf *elf = NULL;
	int err;

	if (run)
		cli_run_phase(run, CLI_PHASE_DECODE);
	err = btfe_elf__load(file, &cd->diag, &elf);
	if (err)
		return err;
	ctx.eopts = (struct btfe_opts){ .diag = &cd->diag, .features = o->features,
					.elf = elf, .base = base, .merge_units = true,
					.jobs = cli_jobs(o) };
	err = dwl_load_file(file, &dopts, cli_encode_cu, &ctx, &stats);
	if (!err)
		err = cli_encoder(&ctx);	/* (no unit came) */
	if (!err && run)
		cli_run_phase(run, CLI_PHASE_FUNCS);
	if (!err)	/* the functions' types come with dedup */
		err = btfe_encoder__decide(ctx.enc);
	if (!err && run) {
		cli_count_encoded(run, &stats, ctx.enc);
		cli_run_phase(run, CLI_PHASE_DEDUP);
	}
	/* Decoding freed its units into the heap piece by piece; give that
	 * memory back before dedup needs its own (Debian's 6.1 vmlinux: 47
	 * of 164 MB, and the peak of the run comes in dedup). */
	cli_heap_trim();
	cli_dedup_malloc(true);
	if (!err)
		err = btfe_encoder__dedup(ctx.enc);	/* units repeat each other's types */
	cli_dedup_malloc(false);
	if (!err && ex)
		err = explain_take_skips(ex, ctx.enc);
	if (!err) {
		*big_endian_ret = btfe_elf__header(elf)->big_endian;
		*btf_ret = btfe_encoder__take_btf(ctx.enc);
		if (run)
			cli_count_dedup(run, *btf_ret, ctx.enc);
	}
	btfe_encoder__free(ctx.enc);
	btfe_elf__free(elf);
	return err;
}

int cli_load_base(const char *path, const struct btfl_opts *bo, struct bfmt_btf **ret)
{
	struct btfl_opts ro = *bo;

	ro.read_only = true;
	return btfl_load_file(path, NULL, &ro, ret);
}

int cli_load_btf(const struct cli_opts *o, const char *file, struct cli_diag *cd,
		 struct bfmt_btf **base_ret, struct bfmt_btf **btf_ret, bool *big_endian_ret)
{
	struct btfl_info info = { 0 };
	struct btfl_opts bo = { .diag = &cd->diag, .info_ret = &info };
	struct bfmt_btf *base = NULL;
	bool has_btf = false;
	int err = 0;

	if (o->btf_base)
		err = cli_load_base(o->btf_base, &bo, &base);
	if (err)
		return err;
	if (o->format != CLI_FORMAT_DWARF && btfl_probe(file, &has_btf) == 0 && has_btf) {
		err = btfl_load_file(file, base, &bo, btf_ret);
		*big_endian_ret = info.big_endian;
	} else if (o->format == CLI_FORMAT_BTF) {
		err = btfl_load_file(file, base, &bo, btf_ret);	/* says why not */
	} else {
		err = cli_encode_btf(o, file, cd, base, btf_ret, big_endian_ret);
	}
	if (err) {
		bfmt_btf__free(base);
		return err;
	}
	*base_ret = base;
	return 0;
}
