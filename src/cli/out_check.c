// SPDX-License-Identifier: GPL-2.0-only
/*
 * The last gate before BTF reaches a file: the bytes about to be written
 * are read back with btf_loader's strict rules (btf_loader.h "Validation",
 * the kernel verifier's rules), as the kernel will read them at boot or at
 * module load. BTF that fails is an encoder bug; it is reported as one
 * line naming the input, the type id and the rule, the command fails and
 * nothing is written (the target file stays as it was).
 *
 * Cost: one load of the deduplicated table (Debian's 6.1 vmlinux: 94 k
 * types, 4 MB: about 15 ms against seconds of encoding; split BTF
 * resolves only the base types it reaches).
 */
#include <stdio.h>

#include "btf_loader/btf_loader.h"
#include "cli.h"

int cli_check_out(struct cli_diag *cd, const char *file, void *raw, size_t len,
		  const struct bfmt_btf *base, struct bfmt_btf **loaded_ret)
{
	char name[512];
	struct btfl_opts lo = { .diag = &cd->diag, .name = name };
	struct bfmt_btf *loaded = NULL;
	int err;

	cli_out_test_hook(raw, len);
	snprintf(name, sizeof(name), "%s: the encoded BTF fails btfenc's own check "
		 "(a btfenc bug; nothing was written)", file);
	err = btfl_load_mem(raw, len, base, &lo, &loaded);
	if (err)
		return err;
	if (loaded_ret)
		*loaded_ret = loaded;
	else
		bfmt_btf__free(loaded);
	return 0;
}
