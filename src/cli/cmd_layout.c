// SPDX-License-Identifier: GPL-2.0-only
/* btfenc FILE: print struct and union layouts, pahole style. */
#include <errno.h>
#include <stdio.h>

#include "cli.h"
#include "color.h"
#include "btf_loader/btf_loader.h"
#include "dwarf_loader/dwarf_loader.h"
#include "print/layout.h"

struct layout_run {
	struct layout_printer *printer;
};

static int layout_cu(struct ir_cu *cu, void *arg)
{
	struct layout_run *run = arg;
	int err = layout_printer__add_cu(run->printer, cu);

	ir_cu__free(cu);
	return err;
}

static void report_stats(const char *prog, const char *file,
			 const struct dwl_stats *st)
{
	uint32_t i;
	char buf[32];

	fprintf(stderr, "%s: %s: %llu units (%llu excluded), %llu DIEs, %llu types, "
		"%llu functions, %llu variables, %llu DIEs skipped\n",
		prog, file, (unsigned long long)st->nr_units,
		(unsigned long long)st->nr_units_excluded,
		(unsigned long long)st->nr_dies, (unsigned long long)st->nr_types,
		(unsigned long long)st->nr_funcs, (unsigned long long)st->nr_vars,
		(unsigned long long)st->nr_skipped);
	for (i = 0; i < st->nr_skipped_tags; i++)
		fprintf(stderr, "%s: %s: skipped %llu %s\n", prog, file,
			(unsigned long long)st->skipped[i].count,
			dwl_tag_name(st->skipped[i].tag, buf, sizeof(buf)));
}

/* -F btf: the whole BTF (split BTF with its base, --btf_base or the
 * loader's default) is one CU for the printer. */
static int layout_btf(const struct cli_opts *o, struct cli_diag *cd,
		      struct layout_printer *printer)
{
	struct bfmt_btf *base = NULL, *btf = NULL;
	struct btfl_info info = { 0 };
	struct btfl_opts bo = { .diag = &cd->diag, .info_ret = &info };
	struct ir_cu *cu = NULL;
	int err = 0;

	if (o->btf_base)
		err = cli_load_base(o->btf_base, &bo, &base);
	if (!err)
		err = btfl_load_file(o->file, base, &bo, &btf);
	bo.info = &info;
	if (!err)
		err = btfl_to_ir(btf, &bo, &cu);
	if (!err)
		err = layout_printer__add_cu(printer, cu);
	ir_cu__free(cu);
	bfmt_btf__free(btf);
	bfmt_btf__free(base);
	return err;
}

int cmd_layout(const struct cli_opts *o)
{
	struct layout_opts lopts = {
		.names = (const char *const *)o->names,
		.nr_names = o->nr_names,
		.cacheline_size = 64,
		/* Under the name pahole, colour only when asked to. */
		.color = (!o->as_pahole || o->color != CLI_COLOR_AUTO) &&
			 cli_color_use(o->color, stdout),
	};
	struct dwl_stats stats = { 0 };
	struct layout_run run = { 0 };
	struct cli_diag cd;
	struct dwl_opts dopts;
	int err;

	cli_diag_init(&cd, o->prog, o->verbose);
	dopts = (struct dwl_opts){ .diag = &cd.diag, .lang_exclude = o->lang_exclude,
				   .jobs = cli_jobs(o) };
	err = layout_printer__new(&lopts, stdout, &run.printer);
	if (err)
		return cli_fail(&cd, o->file, err);
	if (o->format == CLI_FORMAT_BTF)
		err = layout_btf(o, &cd, run.printer);
	else
		err = dwl_load_file(o->file, &dopts, layout_cu, &run, &stats);
	if (!err)
		err = layout_printer__finish(run.printer);
	if (!err && layout_printer__missing(run.printer, 0)) {
		/* Like pahole, name the first type not found; unlike pahole,
		 * fail, so scripts notice. */
		fprintf(stderr, "%s: %s: type '%s' not found\n", o->prog, o->file,
			layout_printer__missing(run.printer, 0));
		layout_printer__free(run.printer);
		return EXIT_FAIL;
	}
	layout_printer__free(run.printer);
	if (fflush(stdout) && !err)
		err = -EIO;
	if (o->verbose && o->format != CLI_FORMAT_BTF)
		report_stats(o->prog, o->file, &stats);
	if (err)
		return cli_fail(&cd, o->file, err);
	return EXIT_OK;
}
