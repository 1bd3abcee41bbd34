// SPDX-License-Identifier: GPL-2.0-only
/* btfenc: entry point; parse the command line and run the command. */
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
	ret = o.encode || o.detached ? cmd_encode(&o) : cmd_layout(&o);
out:
	cli_opts_deinit(&o);
	return ret;
}
