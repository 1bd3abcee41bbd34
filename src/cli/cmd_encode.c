// SPDX-License-Identifier: GPL-2.0-only
/* btfenc -J FILE / --btf_encode_detached=OUT FILE: DWARF -> BTF -> disk. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf_encoder/btf_writer.h"
#include "btf_loader/btf_loader.h"
#include "cli.h"

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
	struct bfmt_btf *base = NULL, *btf = NULL;
	struct btfl_opts bo;
	struct cli_diag cd;
	bool big_endian = false;
	int err = 0;

	cli_diag_init(&cd, o->prog, o->verbose);
	bo = (struct btfl_opts){ .diag = &cd.diag };
	if (o->btf_base)
		err = btfl_load_file(o->btf_base, NULL, &bo, &base);
	if (!err)
		err = cli_encode_btf(o, o->file, &cd, base, &btf, &big_endian);
	if (!err)
		err = encode_write(o, btf, big_endian, &cd);
	bfmt_btf__free(btf);
	bfmt_btf__free(base);
	if (err)
		return cli_fail(&cd, o->detached && !cd.have_error ? o->detached : o->file, err);
	return EXIT_OK;
}
