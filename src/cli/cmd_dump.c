// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfenc dump [--format=layout|c|raw|json] [-C NAMES] [--btf_base=BASE]
 * [-F btf|dwarf] FILE: print FILE's types. The source is FILE's BTF when it
 * has some (raw BTF, ELF .BTF, /sys/kernel/btf/...), else its DWARF; -F
 * chooses. DWARF goes through the encoder for c, raw and json, so they
 * show the BTF that btfenc -J would write.
 */
#include <errno.h>
#include <stdio.h>

#include "btf_loader/btf_loader.h"
#include "cli.h"
#include "print/btf_c.h"
#include "print/btf_dump.h"

static int dump_print(const struct cli_opts *o, const struct bfmt_btf *btf)
{
	const char *const *names = (const char *const *)o->names;
	struct btfp_opts po = { .names = names, .nr_names = o->nr_names, .pretty = o->pretty };
	struct btfp_c_opts co = { .names = names, .nr_names = o->nr_names };

	switch (o->dump_format) {
	case CLI_DUMP_C:
		return btfp_c__print(btf, stdout, &co);
	case CLI_DUMP_RAW:
		return btfp_raw__print(btf, stdout, &po);
	case CLI_DUMP_JSON:
		return btfp_json__print(btf, stdout, &po);
	default:
		return -EINVAL;
	}
}

int cmd_dump(const struct cli_opts *o)
{
	struct bfmt_btf *base = NULL, *btf = NULL;
	struct cli_diag cd;
	bool big_endian, has_btf = false;
	int err;

	if (o->dump_format == CLI_DUMP_NORMAL)
		return cmd_normal(o);
	if (o->dump_format == CLI_DUMP_LAYOUT) {
		struct cli_opts lo = *o;

		if (lo.format == CLI_FORMAT_AUTO)
			lo.format = btfl_probe(o->file, &has_btf) == 0 && has_btf ?
				    CLI_FORMAT_BTF : CLI_FORMAT_DWARF;
		return cmd_layout(&lo);
	}
	cli_diag_init(&cd, o->prog, o->verbose);
	err = cli_load_btf(o, o->file, &cd, &base, &btf, &big_endian);
	if (!err)
		err = dump_print(o, btf);
	if (!err && fflush(stdout))
		err = -EIO;
	bfmt_btf__free(btf);
	bfmt_btf__free(base);
	if (err)
		return cli_fail(&cd, o->file, err);
	return EXIT_OK;
}
