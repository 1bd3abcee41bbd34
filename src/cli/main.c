// SPDX-License-Identifier: GPL-2.0-only
/* btfenc: entry point; parse the command line and run the command. */
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
	struct cli_opts o;
	int ret = cli_parse(argc, argv, &o);

	if (ret < 0) {
		ret = EXIT_OK;	/* --help, --version */
		goto out;
	}
	if (ret)
		goto out;
	if (o.encode || o.detached) {
		fprintf(stderr, "%s: BTF encoding is not available yet\n", o.prog);
		ret = EXIT_USAGE;
		goto out;
	}
	ret = cmd_layout(&o);
out:
	cli_opts_deinit(&o);
	return ret;
}
