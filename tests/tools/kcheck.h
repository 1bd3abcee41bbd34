/* SPDX-License-Identifier: GPL-2.0-only */
/* Test-only: ask the running kernel's BTF verifier about a BTF blob. */
#ifndef BTFENC_TESTS_KCHECK_H
#define BTFENC_TESTS_KCHECK_H

#include <stddef.h>

enum {
	KCHECK_ACCEPTED = 0,
	KCHECK_REJECTED = 1,
	KCHECK_UNAVAILABLE = 77,	/* no bpf(), or not permitted here */
};

/* log (may be NULL) receives the verifier's explanation on rejection. */
int kcheck_btf(const void *data, size_t len, char *log, size_t log_len);

#endif
