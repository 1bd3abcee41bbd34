// SPDX-License-Identifier: GPL-2.0-only
/* btfenc -J FILE / --btf_encode_detached=OUT FILE: DWARF -> BTF -> disk. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf_encoder/btf_encoder.h"
#include "btf_encoder/btf_writer.h"
#include "btf_encoder/btfe_elf.h"
#include "cli.h"
#include "dwarf_loader/dwarf_loader.h"

struct encode_run {
	struct btfe_encoder *enc;
};

static int encode_cu(struct ir_cu *cu, void *arg)
{
	struct encode_run *run = arg;
	/* -V lines for skipped functions and variables come through the
	 * diag sink at DIAG_INFO, as the encoder decides them. */
	int err = btfe_encoder__add_cu(run->enc, cu);

	ir_cu__free(cu);
	return err;
}

static int encode_write(const struct cli_opts *o, const struct bfmt_btf *btf,
			bool big_endian, struct cli_diag *cd)
{
	struct btfw_opts wopts = { .diag = &cd->diag };
	void *raw;
	size_t len;
	int err;

	err = bfmt_btf__serialize(btf, big_endian, &raw, &len);
	if (err)
		return err;
	if (o->detached)
		err = btfw_write_raw(o->detached, raw, len, &wopts);
	else
		err = btfw_write_elf(o->file, raw, len, &wopts);
	free(raw);
	return err;
}

int cmd_encode(const struct cli_opts *o)
{
	struct dwl_stats stats = { 0 };
	struct encode_run run = { 0 };
	struct btfe_elf *elf = NULL;
	struct btfe_opts eopts;
	struct dwl_opts dopts;
	struct cli_diag cd;
	int err;

	cli_diag_init(&cd, o->prog, o->verbose);
	if (o->btf_base) {
		fprintf(stderr, "%s: --btf_base: split BTF is not implemented yet\n", o->prog);
		return EXIT_USAGE;
	}
	err = btfe_elf__load(o->file, &cd.diag, &elf);
	if (err)
		return cli_fail(&cd, o->file, err);
	eopts = (struct btfe_opts){ .diag = &cd.diag, .features = o->features, .elf = elf };
	err = btfe_encoder__new(&eopts, &run.enc);
	if (err)
		goto out;
	dopts = (struct dwl_opts){ .diag = &cd.diag, .lang_exclude = o->lang_exclude };
	err = dwl_load_file(o->file, &dopts, encode_cu, &run, &stats);
	if (!err)
		err = btfe_encoder__finish(run.enc);
	if (!err)
		err = btfe_encoder__dedup(run.enc);	/* units repeat each other's types */
	if (!err)
		err = encode_write(o, btfe_encoder__btf(run.enc), btfe_elf__header(elf)->big_endian, &cd);
out:
	btfe_encoder__free(run.enc);
	btfe_elf__free(elf);
	if (err)
		return cli_fail(&cd, o->detached && !cd.have_error ? o->detached : o->file, err);
	return EXIT_OK;
}
