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
	switch (o.cmd) {
	case CLI_CMD_DUMP:
		ret = cmd_dump(&o);
		break;
	case CLI_CMD_DEDUP:
		ret = cmd_dedup(&o);
		break;
	case CLI_CMD_DIFF:
		ret = cmd_diff(&o);
		break;
	case CLI_CMD_EXPLAIN:
		ret = cmd_explain(&o);
		break;
	case CLI_CMD_VERIFY:
		ret = cmd_verify(&o);
		break;
	default:
		ret = o.encode || o.detached ? cmd_encode(&o) : cmd_layout(&o);
		break;
	}
out:
	cli_opts_deinit(&o);
	return ret;
}
