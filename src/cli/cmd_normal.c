// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfenc dump --format=normal [-F dwarf|btf] [--btf_names=BTF] FILE
 *
 * Not listed in --help: this is scripts/btfdiff's interface. It prints the
 * normal form of src/print/normal.h, with every normalisation for comparing
 * DWARF with the BTF encoded from it on (flat arrays, no _Atomic, no
 * alignment, the encoder's fallbacks), from FILE's DWARF (every unit,
 * merged: identical entries once) or from its BTF (one unit; -F btf, or by
 * default when FILE has BTF; --btf_base for split BTF).
 *
 * --btf_names=BTF makes the BTF file BTF (raw or ELF .BTF) the reference
 * (normal_printer__set_reference()): only the functions and variables it
 * has are printed, functions by name, variables by name, section and
 * offset, so that the DWARF side of btfdiff shows only what the encoder
 * chose to encode; of several differing definitions of one name, the one
 * the BTF has.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf_loader/btf_loader.h"
#include "cli.h"
#include "dwarf_loader/dwarf_loader.h"
#include "print/normal.h"

/* Load a BTF file (on --btf_base, if given) as one CU. */
static int normal_load_btf(const struct cli_opts *o, const char *file,
			   struct cli_diag *cd, struct ir_cu **ret)
{
	struct bfmt_btf *base = NULL, *btf = NULL;
	struct btfl_info info = { 0 };
	struct btfl_opts bo = { .diag = &cd->diag, .info_ret = &info };
	int err = 0;

	if (o->btf_base)
		err = cli_load_base(o->btf_base, &bo, &base);
	if (!err)
		err = btfl_load_file(file, base, &bo, &btf);
	bo.info = &info;
	bo.info_ret = NULL;
	if (!err)
		err = btfl_to_ir(btf, &bo, ret);
	bfmt_btf__free(btf);
	bfmt_btf__free(base);
	return err;
}

static int normal_new(const struct cli_opts *o, struct cli_diag *cd,
		      struct normal_printer **ret)
{
	struct normal_opts no = {
		.flat_arrays = true,
		.drop_atomic = true,
		.drop_align = true,
		.btf_fallbacks = true,
	};
	struct normal_printer *p = NULL;
	struct ir_cu *ref = NULL;
	int err;

	err = normal_printer__new(&no, &p);
	if (!err && o->btf_names)
		err = normal_load_btf(o, o->btf_names, cd, &ref);
	if (!err && ref)
		err = normal_printer__set_reference(p, ref);
	ir_cu__free(ref);
	if (err) {
		normal_printer__free(p);
		return err;
	}
	*ret = p;
	return 0;
}

static int normal_cu(struct ir_cu *cu, void *arg)
{
	/* Names as BTF spells them (the normal form's btf_fallbacks). */
	int err = ir_cu__btf_idents(cu);

	if (!err)
		err = normal_printer__add_cu(arg, cu);

	ir_cu__free(cu);
	return err;
}

int cmd_normal(const struct cli_opts *o)
{
	struct normal_printer *p = NULL;
	struct dwl_stats stats = { 0 };
	enum cli_format format = o->format;
	struct ir_cu *cu = NULL;
	struct cli_diag cd;
	bool has_btf = false;
	int err;

	cli_diag_init(&cd, o->prog, o->verbose);
	if (format == CLI_FORMAT_AUTO)
		format = btfl_probe(o->file, &has_btf) == 0 && has_btf ?
			 CLI_FORMAT_BTF : CLI_FORMAT_DWARF;
	err = normal_new(o, &cd, &p);
	if (err)
		return cli_fail(&cd, o->btf_names ? o->btf_names : o->file, err);
	if (format == CLI_FORMAT_BTF) {
		err = normal_load_btf(o, o->file, &cd, &cu);
		if (!err)
			err = normal_printer__add_cu(p, cu);
		ir_cu__free(cu);
	} else {
		struct dwl_opts dopts = { .diag = &cd.diag, .lang_exclude = o->lang_exclude };

		err = dwl_load_file(o->file, &dopts, normal_cu, p, &stats);
	}
	if (!err)
		err = normal_printer__write(p, stdout);
	normal_printer__free(p);
	if (err)
		return cli_fail(&cd, o->file, err);
	return EXIT_OK;
}
