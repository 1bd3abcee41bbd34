// SPDX-License-Identifier: GPL-2.0-only
/* Getting a BTF table for a command: load it, or encode it from DWARF. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "btf_encoder/btf_encoder.h"
#include "btf_encoder/btfe_elf.h"
#include "btf_loader/btf_loader.h"
#include "cli.h"
#include "dwarf_loader/dwarf_loader.h"
#include "explain.h"

struct cli_encode_ctx {
	struct btfe_encoder *enc;
	struct cli_explain *ex;		/* NULL without an explain sink */
	uint32_t lang_exclude;		/* units dropped here (explain only) */
};

static int cli_encode_cu(struct ir_cu *cu, void *arg)
{
	/* -V lines for skipped functions and variables come through the
	 * diag sink at DIAG_INFO, as the encoder decides them. */
	struct cli_encode_ctx *ctx = arg;
	bool excluded = (ctx->lang_exclude >> cu->lang) & 1u;
	int err = 0;

	if (ctx->ex)
		err = explain_note_cu(ctx->ex, cu, excluded);
	if (!err && !excluded)
		err = btfe_encoder__add_cu(ctx->enc, cu);
	ir_cu__free(cu);
	return err;
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
	/* With an explain sink, excluded units come to cli_encode_cu(), which
	 * records their functions and variables and drops them itself. */
	struct dwl_opts dopts = { .diag = &cd->diag, .lang_exclude = ex ? 0 : o->lang_exclude,
				  .jobs = cli_jobs(o) };
	struct cli_encode_ctx ctx = { .ex = ex, .lang_exclude = ex ? o->lang_exclude : 0 };
	struct dwl_stats stats = { 0 };
	struct btfe_elf *elf = NULL;
	struct btfe_opts eopts;
	int err;

	err = btfe_elf__load(file, &cd->diag, &elf);
	if (err)
		return err;
	eopts = (struct btfe_opts){ .diag = &cd->diag, .features = o->features,
				    .elf = elf, .base = base };
	err = btfe_encoder__new(&eopts, &ctx.enc);
	if (!err)
		err = dwl_load_file(file, &dopts, cli_encode_cu, &ctx, &stats);
	if (!err)
		err = btfe_encoder__finish(ctx.enc);
	if (!err)
		err = btfe_encoder__dedup(ctx.enc);	/* units repeat each other's types */
	if (!err && ex)
		err = explain_take_skips(ex, ctx.enc);
	if (!err) {
		*big_endian_ret = btfe_elf__header(elf)->big_endian;
		*btf_ret = btfe_encoder__take_btf(ctx.enc);
	}
	btfe_encoder__free(ctx.enc);
	btfe_elf__free(elf);
	return err;
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
		err = btfl_load_file(o->btf_base, NULL, &bo, &base);
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
