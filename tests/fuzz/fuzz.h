/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fuzz harnesses: each fuzz_<surface>.c defines LLVMFuzzerTestOneInput and
 * is linked either with libFuzzer (clang, -Dfuzz) or with fuzz_main.c, a
 * plain driver that runs it over files and directories (the fuzz-regress
 * suite). A harness returns 0 for every input; a broken invariant aborts
 * (FUZZ_CHECK), and the sanitizers report the rest.
 *
 * Owns:    nothing between calls; every call frees what it allocated.
 * Threads: a call uses only its own state (getopt's globals excepted: the
 *          cli harness is single-threaded, as libFuzzer is).
 */
#ifndef BTFENC_TESTS_FUZZ_H
#define BTFENC_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf_format/btf_types.h"
#include "util/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test: print where and abort. */
#define FUZZ_CHECK(cond)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",        \
				__FILE__, __LINE__, #cond);                     \
			abort();                                                \
		}                                                               \
	} while (0)

/* The same, with the first error message the code under test reported. */
#define FUZZ_CHECK_MSG(cond, msg)                                               \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n",   \
				__FILE__, __LINE__, #cond, (msg));              \
			abort();                                                \
		}                                                               \
	} while (0)

/* A diag sink that reads every message (so their formatting runs) and
 * counts the DIAG_ERROR ones. */
struct fuzz_diag {
	struct diag diag;
	unsigned int nr_errors;
	size_t bytes;
	char first_error[256];	/* for the report when a check fails */
};

void fuzz_diag_init(struct fuzz_diag *fd);

/*
 * What must hold for every table the BTF loader accepted (btf, with its
 * base if split): it converts to the model and prints in every format; its
 * deduplication succeeds and is a fixed point. With strict (raw BTF, not
 * the more lenient .BTF of a relocatable object): it serialises, in both
 * byte orders, to bytes that load again and serialise identically, and
 * its deduplication loads too. Aborts otherwise.
 */
void fuzz_check_loaded_btf(const struct bfmt_btf *btf, bool big_endian, bool strict);

#endif
