// SPDX-License-Identifier: GPL-2.0-only
/* Shared by the harnesses: the diag sink, and the checks on loaded BTF. */
#include <errno.h>
#include <string.h>

#include "btf_encoder/btf_dedup.h"
#include "btf_loader/btf_loader.h"
#include "diff/btf_diff.h"
#include "fuzz.h"
#include "print/btf_c.h"
#include "print/btf_dump.h"
#include "print/layout.h"
#include "print/normal.h"

static void fuzz_sink(void *ctx, enum diag_level level, const char *msg)
{
	struct fuzz_diag *fd = ctx;

	if (level == DIAG_ERROR && !fd->nr_errors++)
		snprintf(fd->first_error, sizeof(fd->first_error), "%s", msg);
	fd->bytes += strlen(msg);
}

void fuzz_diag_init(struct fuzz_diag *fd)
{
	memset(fd, 0, sizeof(*fd));
	fd->diag = (struct diag){ .sink = fuzz_sink, .ctx = fd, .max_level = DIAG_DEBUG };
}

/* Serialise btf; the blob is the caller's. */
static void *blob(const struct bfmt_btf *btf, bool big_endian, size_t *len)
{
	void *data = NULL;
	int err = bfmt_btf__serialize(btf, big_endian, &data, len);

	FUZZ_CHECK(err == 0);
	return data;
}

static void print_all(const struct bfmt_btf *btf, bool big_endian, FILE *out)
{
	struct btfl_info info = { .big_endian = big_endian };
	struct btfl_opts o = { .info = &info };
	struct btfp_opts po = { .pretty = true };
	struct layout_printer *lp = NULL;
	struct normal_printer *np = NULL;
	struct ir_cu *cu = NULL;
	int err;

	/* The printers may refuse what they cannot print, but never crash. */
	btfp_raw__print(btf, out, NULL);
	btfp_json__print(btf, out, &po);
	btfp_c__print(btf, out, NULL);
	err = btfl_to_ir(btf, &o, &cu);
	FUZZ_CHECK(err == 0 || err == -ENOMEM);
	if (err)
		return;
	if (layout_printer__new(&(struct layout_opts){ 0 }, out, &lp) == 0) {
		layout_printer__add_cu(lp, cu);
		layout_printer__finish(lp);
		layout_printer__free(lp);
	}
	/* The normal form, as scripts/btfdiff prints BTF (a cycle of
	 * function pointers once hung it). */
	if (normal_printer__new(&(struct normal_opts){ .flat_arrays = true,
						       .btf_fallbacks = true }, &np) == 0) {
		err = normal_printer__add_cu(np, cu);
		FUZZ_CHECK(err == 0 || err == -ENOMEM || err == -E2BIG);
		if (!err)
			normal_printer__write(np, out);
		normal_printer__free(np);
	}
	ir_cu__free(cu);
}

/* Serialising btf in either byte order gives BTF the loader accepts
 * again, and serialise o load is the identity on the blob. */
static void check_round_trip(const struct bfmt_btf *btf, bool big_endian)
{
	struct fuzz_diag fd;
	struct btfl_opts o = { .diag = &fd.diag };
	size_t len1, len2, len3;
	void *b1, *b2, *b3;
	int order;

	b1 = blob(btf, big_endian, &len1);
	for (order = 0; order < 2; order++) {
		struct bfmt_btf *again = NULL;
		int err;

		fuzz_diag_init(&fd);
		b2 = order ? blob(btf, !big_endian, &len2) : blob(btf, big_endian, &len2);
		err = btfl_load_mem(b2, len2, btf->base, &o, &again);
		FUZZ_CHECK_MSG(err == 0 || err == -ENOMEM, fd.first_error);
		if (!err) {
			b3 = blob(again, big_endian, &len3);
			FUZZ_CHECK(len1 == len3 && !memcmp(b1, b3, len1));
			free(b3);
		}
		bfmt_btf__free(again);
		free(b2);
	}
	free(b1);
}

/* Deduplicating a copy of btf succeeds and gives a fixed point; for
 * strict input, one the loader accepts. */
static void check_dedup(const struct bfmt_btf *btf, bool big_endian, bool strict)
{
	struct fuzz_diag fd;
	struct btfl_opts o = { .diag = &fd.diag };
	struct bfmt_btf *copy = NULL, *loaded = NULL;
	struct bdiff *d = NULL;
	size_t len1, len2;
	void *b1, *b2;
	int err;

	err = bfmt_btf__new(btf->base, &copy);
	if (!err)
		err = bfmt_btf__append(copy, btf);
	FUZZ_CHECK(err == 0 || err == -ENOMEM);
	if (!err)
		err = btfd_dedup(copy, NULL);
	FUZZ_CHECK(err == 0 || err == -ENOMEM);
	if (err) {
		bfmt_btf__free(copy);
		return;
	}
	/* What diff says from the table to its dedup: anything, bounded (a
	 * cycle of function pointers once hung it). */
	if (bdiff__new(btf, copy, NULL, &d) == 0)
		bdiff__free(d);
	b1 = blob(copy, big_endian, &len1);
	FUZZ_CHECK(btfd_dedup(copy, NULL) == 0);
	b2 = blob(copy, big_endian, &len2);
	FUZZ_CHECK(len1 == len2 && !memcmp(b1, b2, len1));
	if (strict) {
		fuzz_diag_init(&fd);
		err = btfl_load_mem(b1, len1, btf->base, &o, &loaded);
		FUZZ_CHECK_MSG(err == 0 || err == -ENOMEM, fd.first_error);
		bfmt_btf__free(loaded);
	}
	free(b1);
	free(b2);
	bfmt_btf__free(copy);
}

void fuzz_check_loaded_btf(const struct bfmt_btf *btf, bool big_endian, bool strict)
{
	FILE *out = fopen("/dev/null", "w");

	FUZZ_CHECK(out != NULL);
	print_all(btf, big_endian, out);
	fclose(out);
	if (strict)
		check_round_trip(btf, big_endian);
	check_dedup(btf, big_endian, strict);
}
