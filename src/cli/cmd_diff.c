// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfenc diff [-F btf|dwarf] [--btf_base=B | --btf_base_old=B --btf_base_new=B]
 * [--only=types,funcs,vars] [-C NAMES] [--json [--pretty]] [--color=WHEN] OLD NEW
 *
 * Load both sides as btfenc dump does (cli_load_btf), compare them with
 * src/diff, print one line per change and a summary (or JSON), as
 * src/diff/bdiff_render.h renders them. Exit 0 when they are equal, 1 when
 * they differ, 2 on any error (one line on stderr).
 */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"
#include "color.h"
#include "diff/bdiff_render.h"

/* Load one side: its own base (--btf_base_old/new) or the common one. */
static int diff_load(const struct cli_opts *o, const char *file, const char *base,
		     struct cli_diag *cd, struct bfmt_btf **base_ret, struct bfmt_btf **btf_ret)
{
	struct cli_opts so = *o;
	bool big_endian;

	if (base)
		so.btf_base = base;
	return cli_load_btf(&so, file, cd, base_ret, btf_ret, &big_endian);
}

int cmd_diff(const struct cli_opts *o)
{
	const char *old = o->files[0], *new = o->files[1];
	struct bdiff_opts dopts = { .only = o->diff_only,
				    .names = (const char *const *)o->names,
				    .nr_names = o->nr_names };
	struct bfmt_btf *obase = NULL, *obtf = NULL, *nbase = NULL, *nbtf = NULL;
	const char *failed = old;
	struct bdiff *d = NULL;
	struct cli_diag cd;
	int err;

	cli_diag_init(&cd, o->prog, o->verbose);
	err = diff_load(o, old, o->btf_base_old, &cd, &obase, &obtf);
	if (!err) {
		failed = new;
		err = diff_load(o, new, o->btf_base_new, &cd, &nbase, &nbtf);
	}
	if (!err) {
		failed = "diff";
		err = bdiff__new(obtf, nbtf, &dopts, &d);
	}
	if (!err) {
		failed = "<stdout>";
		if (o->json)
			err = bdiff_render_json(d, old, new, o->pretty, stdout);
		else
			err = bdiff_render_text(d, cli_color_use(o->color, stdout), stdout);
		if (!err && fflush(stdout))
			err = -EIO;
	}
	bfmt_btf__free(nbtf);
	bfmt_btf__free(nbase);
	bfmt_btf__free(obtf);
	bfmt_btf__free(obase);
	if (err) {
		bdiff__free(d);
		cli_fail(&cd, failed, err);
		return EXIT_USAGE;	/* diff: 2 is "error", 1 is "different" */
	}
	err = bdiff__nr_changes(d) ? EXIT_FAIL : EXIT_OK;
	bdiff__free(d);
	return err;
}
