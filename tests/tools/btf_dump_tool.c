// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_dump_tool [-j|-p] [-b BASE] FILE [NAME...]: load FILE with the BTF
 * loader (raw BTF, an ELF file's .BTF, /sys/kernel/btf/ files; split on
 * BASE when given) and print it with btfenc's bpftool-compatible printers:
 * raw (`bpftool btf dump file FILE`), -j compact JSON (`bpftool -j ...`),
 * -p pretty JSON (`bpftool -p ...`). NAMEs keep only types of those names.
 * Test-only tool. Exit: 0 printed, 1 load or write error, 2 usage.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "btf_loader/btf_loader.h"
#include "src/print/btf_dump.h"

static void print_diag(void *ctx, enum diag_level level, const char *msg)
{
	fprintf(stderr, "btf_dump_tool: %s\n", msg);
}

int main(int argc, char **argv)
{
	struct diag diag = { .sink = print_diag, .max_level = DIAG_ERROR };
	struct btfl_opts lo = { .diag = &diag };
	struct bfmt_btf *base = NULL, *btf = NULL;
	struct btfp_opts po = { 0 };
	const char *base_path = NULL;
	bool json = false;
	int c, err;

	while ((c = getopt(argc, argv, "jpb:")) != -1) {
		switch (c) {
		case 'p':
			po.pretty = true;
			/* fall through */
		case 'j':
			json = true;
			break;
		case 'b':
			base_path = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	if (optind + 1 < argc) {
		po.names = (const char *const *)&argv[optind + 1];
		po.nr_names = (size_t)(argc - optind - 1);
	}
	if (base_path && btfl_load_file(base_path, NULL, &lo, &base))
		return 1;
	if (btfl_load_file(argv[optind], base, &lo, &btf)) {
		bfmt_btf__free(base);
		return 1;
	}
	err = json ? btfp_json__print(btf, stdout, &po) : btfp_raw__print(btf, stdout, &po);
	if (!err && fflush(stdout))
		err = -1;
	if (err)
		fprintf(stderr, "btf_dump_tool: write error\n");
	bfmt_btf__free(btf);
	bfmt_btf__free(base);
	return err ? 1 : 0;
usage:
	fprintf(stderr, "usage: btf_dump_tool [-j|-p] [-b BASE] FILE [NAME...]\n");
	return 2;
}
