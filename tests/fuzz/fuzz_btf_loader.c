// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the BTF loader on raw bytes. Input: one flag byte, then
 *   bit 0 clear: one raw BTF blob (either byte order, told by its magic);
 *   bit 0 set:   a 4-byte little-endian length n, n bytes of base BTF,
 *                then the split BTF loaded on that base.
 * Every rejection must be reported as exactly one DIAG_ERROR; whatever is
 * accepted must pass fuzz_check_loaded_btf().
 */
#include <errno.h>
#include <string.h>

#include "btf_loader/btf_loader.h"
#include "fuzz.h"

/* Load data as BTF on base; *ret NULL when rejected. */
static void load(const uint8_t *data, size_t size, const struct bfmt_btf *base,
		 struct bfmt_btf **ret, bool *big_endian)
{
	struct btfl_info info = { 0 };
	struct fuzz_diag fd;
	struct btfl_opts o = { .diag = &fd.diag, .info_ret = &info };
	int err;

	fuzz_diag_init(&fd);
	*ret = NULL;
	err = btfl_load_mem(data, size, base, &o, ret);
	if (err) {
		FUZZ_CHECK(err < 0 && *ret == NULL);
		FUZZ_CHECK(err == -ENOMEM || fd.nr_errors == 1);
		return;
	}
	FUZZ_CHECK(fd.nr_errors == 0);
	*big_endian = info.big_endian;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bfmt_btf *base = NULL, *btf = NULL;
	bool be = false, base_be = false;
	uint32_t n;

	if (size < 1)
		return 0;
	if (!(data[0] & 1)) {
		load(data + 1, size - 1, NULL, &btf, &be);
		if (btf)
			fuzz_check_loaded_btf(btf, be, true);
		bfmt_btf__free(btf);
		return 0;
	}
	if (size < 5)
		return 0;
	n = (uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16 |
	    (uint32_t)data[4] << 24;
	data += 5;
	size -= 5;
	if (n > size)
		n = (uint32_t)size;
	load(data, n, NULL, &base, &base_be);
	if (!base)
		return 0;
	load(data + n, size - n, base, &btf, &be);
	if (btf)
		fuzz_check_loaded_btf(btf, be, true);
	bfmt_btf__free(btf);
	bfmt_btf__free(base);
	return 0;
}
