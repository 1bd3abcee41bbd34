// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_libbpf_dedup OUT IN...: concatenate the BTF of every IN (raw or ELF
 * .BTF) with libbpf's btf__add_btf, deduplicate with btf__dedup and write it
 * raw to OUT. Test-only: libbpf is an oracle for btfenc, never part of it.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct btf *all = btf__new_empty();
	const void *raw;
	__u32 size;
	FILE *f;
	int i;

	if (argc < 3 || !all) {
		fprintf(stderr, "usage: btf_libbpf_dedup OUT IN...\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		struct btf *in = btf__parse(argv[i], NULL);

		if (!in || btf__add_btf(all, in) < 0) {
			fprintf(stderr, "btf_libbpf_dedup: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		btf__free(in);
	}
	if (btf__dedup(all, NULL)) {
		fprintf(stderr, "btf_libbpf_dedup: dedup failed: %s\n", strerror(errno));
		return 1;
	}
	raw = btf__raw_data(all, &size);
	f = fopen(argv[1], "wb");
	if (!raw || !f || fwrite(raw, 1, size, f) != size || fclose(f)) {
		fprintf(stderr, "btf_libbpf_dedup: %s: cannot write\n", argv[1]);
		return 1;
	}
	btf__free(all);
	return 0;
}
