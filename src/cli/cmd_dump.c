// SPDX-License-Identifier: GPL-2.0-only
/* btfenc dump: only --format=layout until the BTF printers land. */
#include "btf_loader/btf_loader.h"
#include "cli.h"

#include <stdio.h>

int cmd_dump(const struct cli_opts *o)
{
	struct cli_opts lo = *o;
	bool has_btf = false;

	if (o->dump_format != CLI_DUMP_LAYOUT) {
		fprintf(stderr, "%s: --format: only layout is available yet\n", o->prog);
		return EXIT_USAGE;
	}
	if (lo.format == CLI_FORMAT_AUTO)
		lo.format = btfl_probe(o->file, &has_btf) == 0 && has_btf ?
			    CLI_FORMAT_BTF : CLI_FORMAT_DWARF;
	return cmd_layout(&lo);
}
