// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_kcheck FILE: ask the running kernel's BTF verifier (BPF_BTF_LOAD)
 * whether the raw BTF in FILE is valid. Test-only tool.
 * Exit: 0 accepted, 1 rejected (the verifier log goes to stderr),
 * 77 when the kernel does not let us ask, 2 on usage or I/O errors.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kcheck.h"

static char log_buf[16 * 1024 * 1024];

int main(int argc, char **argv)
{
	FILE *f;
	char *data;
	long len;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: btf_kcheck FILE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(argv[1]);
		return 2;
	}
	data = malloc(len ? (size_t)len : 1);
	if (!data || fread(data, 1, (size_t)len, f) != (size_t)len) {
		perror(argv[1]);
		return 2;
	}
	fclose(f);
	ret = kcheck_btf(data, (size_t)len, log_buf, sizeof(log_buf));
	if (ret == KCHECK_UNAVAILABLE)
		fprintf(stderr, "btf_kcheck: the kernel refuses BPF_BTF_LOAD here\n");
	else if (ret == KCHECK_REJECTED)
		fprintf(stderr, "btf_kcheck: %s: rejected\n%s\n", argv[1], log_buf);
	free(data);
	return ret;
}
