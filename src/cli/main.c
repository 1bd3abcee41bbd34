// SPDX-License-Identifier: GPL-2.0-only
/* btfenc: entry point; parse the command line and run the command. */
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"

/*
 * glibc raises its mmap threshold each time a large block is freed (up to
 * 32 MB), so that the next large arrays come from the heap, where freed
 * memory stays resident: the passes of a kernel's dedup then stacked up
 * (Debian's 6.1 vmlinux: peak RSS 200 MB, 188 MB with a fixed threshold,
 * the time unchanged). Arrays of 1 MB and more are mapped, and given back
 * when freed (except while dedup runs: cli_dedup_malloc()).
 * The heap grows and shrinks by 16 MB at a time instead of 128 KB: smaller
 * blocks are freed and allocated again all the time (per unit, per pass),
 * and each time the heap's top was given back, the next growth faulted its
 * pages in again. A small module's -J --btf_base run: 10.8 -> 6.2 thousand
 * page faults, 68 -> 60 ms; Debian's 6.1 vmlinux: about 8% faster at -j1
 * and -j2 (4.78 -> 4.40 s, 3.13 -> 2.89 s), peak RSS 2-18 MB higher.
 */
static void cli_tune_malloc(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
#endif
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	int ret;

	cli_tune_malloc();
	ret = cli_parse(argc, argv, &o);

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
