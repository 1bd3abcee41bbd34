// SPDX-License-Identifier: GPL-2.0-only
/* btfenc -J FILE / --btf_encode_detached=OUT FILE: DWARF -> BTF -> disk. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base_job.h"
#include "btf_encoder/btf_distill.h"
#include "btf_encoder/btf_encoder.h"
#include "btf_encoder/btf_writer.h"
#include "btf_loader/btf_loader.h"
#include "cli.h"
#include "cli_run.h"
#include "explain.h"

/*
 * distilled_base: with split BTF, -J also writes .BTF.base, the minimal
 * description of the base the module needs (btf_distill.h), and .BTF is
 * rewritten on top of it, so the kernel can relocate the module onto
 * another vmlinux.
 */
static int encode_write_distilled(const struct cli_opts *o, const struct bfmt_btf *btf,
				  bool big_endian, struct cli_diag *cd)
{
	struct btfw_opts wopts = { .diag = &cd->diag };
	struct bfmt_btf *nbase = NULL, *nsplit = NULL, *checked_base = NULL;
	struct btfw_section secs[2] = { { .name = ".BTF" }, { .name = ".BTF.base" } };
	void *rs = NULL, *rb = NULL;
	int err;

	cli_writer_test_hooks(&wopts);
	err = btfd_distill_base(btf, &cd->diag, &nbase, &nsplit);
	if (!err)
		err = bfmt_btf__serialize(nsplit, big_endian, &rs, &secs[0].len);
	if (!err)
		err = bfmt_btf__serialize(nbase, big_endian, &rb, &secs[1].len);
	if (!err)
		err = cli_check_out(cd, o->file, rb, secs[1].len, NULL, &checked_base);
	if (!err)
		err = cli_check_out(cd, o->file, rs, secs[0].len, checked_base, NULL);
	if (!err) {
		secs[0].data = rs;
		secs[1].data = rb;
		err = btfw_write_elf_sections(o->file, secs, 2, &wopts);
	}
	if (!err && cd->run)
		cd->run->bytes_written = secs[0].len + secs[1].len;
	free(rs);
	free(rb);
	bfmt_btf__free(checked_base);
	bfmt_btf__free(nsplit);
	bfmt_btf__free(nbase);
	return err;
}

static int encode_write(const struct cli_opts *o, const struct bfmt_btf *btf,
			bool big_endian, struct cli_diag *cd)
{
	struct btfw_opts wopts = { .diag = &cd->diag };
	void *raw;
	size_t len;
	int err;

	cli_writer_test_hooks(&wopts);
	err = bfmt_btf__serialize(btf, big_endian, &raw, &len);
	if (err)
		return err;
	err = cli_check_out(cd, o->file, raw, len, btf->base, NULL);
	if (!err && o->detached)
		err = btfw_write_raw(o->detached, raw, len, &wopts);
	else if (!err)
		err = btfw_write_elf(o->file, raw, len, &wopts);
	if (!err && cd->run)
		cd->run->bytes_written = len;
	free(raw);
	return err;
}

int cmd_encode(const struct cli_opts *o)
{
	struct bfmt_btf *base = NULL, *btf = NULL;
	struct cli_base_job job;
	struct btfl_opts bo;
	struct cli_explain ex = { 0 };
	struct cli_diag cd;
	struct cli_run run;
	bool big_endian = false, explain_failed = false;
	int err = 0;

	cli_diag_init(&cd, o->prog, o->verbose);
	cli_run_init(&run, o->prog, o->quiet, o->verbose);
	cd.run = &run;
	bo = (struct btfl_opts){ .diag = &cd.diag };
	if ((o->features & BTFE_F_DISTILLED_BASE) && o->btf_base && o->detached) {
		fprintf(stderr, "%s: distilled_base writes .BTF.base into the ELF file: "
			"use -J, not --btf_encode_detached\n", o->prog);
		return EXIT_USAGE;
	}
	if (o->btf_base && cli_jobs(o) > 1) {
		/* The base loads while the DWARF is decoded. */
		cli_base_job_start(&job, o->btf_base, &bo);
		err = cli_encode_btf_job(o, o->file, &cd, NULL, &job, &btf, &big_endian,
					 o->explain ? &ex : NULL);
		base = cli_base_job_end(&job, &cd);
	} else {
		if (o->btf_base)
			err = cli_load_base(o->btf_base, &bo, &base);
		if (!err)
			err = cli_encode_btf_explain(o, o->file, &cd, base, &btf, &big_endian,
						     o->explain ? &ex : NULL);
	}
	if (!err)
		cli_run_phase(&run, CLI_PHASE_WRITE);
	if (!err && !base && bfmt_btf__nr_types(btf) == btf->start_id) {
		/* BTF without a type is invalid (the kernel says "No type
		 * found"): as pahole, write nothing. */
		diag_report(&cd.diag, DIAG_INFO, "%s: no types to encode, nothing written",
			    o->file);
	} else if (!err && base && (o->features & BTFE_F_DISTILLED_BASE))
		err = encode_write_distilled(o, btf, big_endian, &cd);
	else if (!err)
		err = encode_write(o, btf, big_endian, &cd);
	/* --explain: what was left out and why (explain.h). */
	if (!err && o->explain) {
		err = explain_json_write(o->explain, o->file, &ex);
		if (err)
			fprintf(stderr, "%s: %s: %s\n", o->prog, o->explain, strerror(-err));
		explain_failed = err != 0;
	}
	cli_explain_deinit(&ex);
	bfmt_btf__free(btf);
	bfmt_btf__free(base);
	if (!err)
		cli_run_end(&run);
	else
		cli_run_clear(&run);
	if (explain_failed)
		return EXIT_FAIL;	/* reported above */
	if (err)
		return cli_fail(&cd, o->detached && !cd.have_error ? o->detached : o->file, err);
	return EXIT_OK;
}
