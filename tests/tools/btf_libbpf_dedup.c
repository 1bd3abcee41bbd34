// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_libbpf_dedup IN OUT: deduplicate the BTF of IN (raw or ELF .BTF) with
 * libbpf's btf__dedup and write it raw to OUT. Test-only: libbpf is an
 * oracle for btfenc, never part of it.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const void *raw;
	struct btf *btf;
	__u32 size;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: btf_libbpf_dedup IN OUT\n");
		return 2;
	}
	btf = btf__parse(argv[1], NULL);
	if (!btf) {
		fprintf(stderr, "btf_libbpf_dedup: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (btf__dedup(btf, NULL)) {
		fprintf(stderr, "btf_libbpf_dedup: %s: dedup failed: %s\n", argv[1], strerror(errno));
		return 1;
	}
	raw = btf__raw_data(btf, &size);
	f = fopen(argv[2], "wb");
	if (!raw || !f || fwrite(raw, 1, size, f) != size || fclose(f)) {
		fprintf(stderr, "btf_libbpf_dedup: %s: cannot write\n", argv[2]);
		return 1;
	}
	btf__free(btf);
	return 0;
}
