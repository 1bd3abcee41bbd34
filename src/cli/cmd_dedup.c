// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfenc dedup -o OUT [--btf_base=BASE] IN...: a BTF linker. Every IN (raw
 * BTF or an ELF file with .BTF, whoever made it) is appended to one table,
 * which is then deduplicated and written raw to OUT.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf_encoder/btf_dedup.h"
#include "btf_encoder/btf_writer.h"
#include "btf_loader/btf_loader.h"
#include "cli.h"

/* Load IN and append it to *all (created on the first input). */
static int dedup_add(const char *in, const struct bfmt_btf *base, struct cli_diag *cd,
		     struct bfmt_btf **all, bool *big_endian)
{
	struct btfl_info info = { 0 };
	struct btfl_opts bo = { .diag = &cd->diag, .info_ret = &info };
	struct bfmt_btf *btf = NULL;
	int err = btfl_load_file(in, base, &bo, &btf);

	if (err)
		return err;
	if (!*all) {
		*big_endian = info.big_endian;
		err = bfmt_btf__new(base, all);
	}
	if (!err && btf->base != base) {
		/* A file that brought its own base (.BTF.base) cannot be
		 * linked with files on another base. */
		diag_report(&cd->diag, DIAG_ERROR, "%s: carries its own base BTF; "
			    "link it on that base with --btf_base", in);
		err = -EINVAL;
	}
	if (!err)
		err = bfmt_btf__append(*all, btf);
	bfmt_btf__free(btf);
	return err;
}

int cmd_dedup(const struct cli_opts *o)
{
	struct bfmt_btf *base = NULL, *all = NULL;
	struct btfl_opts bo;
	struct btfw_opts wo;
	struct btfd_opts dd;
	struct cli_diag cd;
	const char *at = o->file;
	bool big_endian = false;
	void *raw = NULL;
	size_t i, len;
	int err = 0;

	cli_diag_init(&cd, o->prog, o->verbose);
	bo = (struct btfl_opts){ .diag = &cd.diag };
	wo = (struct btfw_opts){ .diag = &cd.diag };
	cli_writer_test_hooks(&wo);
	dd = (struct btfd_opts){ .diag = &cd.diag };
	if (o->btf_base)
		err = cli_load_base(o->btf_base, &bo, &base);
	for (i = 0; !err && i < o->nr_files; i++) {
		at = o->files[i];
		err = dedup_add(at, base, &cd, &all, &big_endian);
	}
	if (!err) {
		at = o->output;
		err = btfd_dedup(all, &dd);
	}
	if (!err)
		err = bfmt_btf__serialize(all, big_endian, &raw, &len);
	if (!err)
		err = cli_check_out(&cd, at, raw, len, base, NULL);
	if (!err)
		err = btfw_write_raw(o->output, raw, len, &wo);
	free(raw);
	bfmt_btf__free(all);
	bfmt_btf__free(base);
	if (err)
		return cli_fail(&cd, at, err);
	return EXIT_OK;
}
