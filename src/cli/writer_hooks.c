// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only fault injection for the writer, from the environment, so the
 * end-to-end tests can show that the user's file survives a failure or a
 * kill at every step of an in-place write (tests/e2e/t0220-write-safety.sh):
 *
 *   BTFENC_TEST_WRITER_FAIL_AT=STEP   the step fails as if the system call
 *                                     had (ENOSPC for copy/write, else EIO)
 *   BTFENC_TEST_WRITER_KILL_AT=STEP   the process kills itself (SIGKILL)
 *                                     as it enters the step
 *
 * STEP is a step name (open, temp, copy, elf-read, section-add, write,
 * verify, fsync, chmod, rename). Unset or unknown: no effect.
 *
 * And for the check before writing (out_check.c, t0220-write-safety.sh):
 *
 *   BTFENC_TEST_CORRUPT_OUT=1         the first type of the BTF about to
 *                                     be checked names a string past the
 *                                     end, as an encoder bug would
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "btf_encoder/btf_writer.h"
#include "cli.h"

static int step_by_name(const char *name)
{
	if (!name || !*name)
		return BTFW_STEP_NONE;
	for (int s = BTFW_STEP_NONE + 1; s < BTFW_STEP__COUNT; s++)
		if (!strcmp(btfw_step__name((enum btfw_step)s), name))
			return s;
	return BTFW_STEP_NONE;
}

/* The step to die at travels in the context pointer: no storage needed. */
static void kill_at_step(void *ctx, enum btfw_step step)
{
	if ((uintptr_t)ctx == (uintptr_t)step)
		raise(SIGKILL);
}

void cli_out_test_hook(void *raw, size_t len)
{
	/* struct btf_header: magic, version, flags (4 bytes), hdr_len,
	 * type_off: name_off of the first type is at hdr_len + type_off.
	 * All ones read the same in either byte order. */
	const char *v = getenv("BTFENC_TEST_CORRUPT_OUT");
	uint8_t *p = raw;
	uint32_t hdr_len, type_off;
	size_t at;

	if (!v || strcmp(v, "1") || len < 24)
		return;
	memcpy(&hdr_len, p + 4, 4);
	memcpy(&type_off, p + 8, 4);
	if (p[0] != 0x9f) {	/* the other byte order */
		hdr_len = __builtin_bswap32(hdr_len);
		type_off = __builtin_bswap32(type_off);
	}
	at = (size_t)hdr_len + type_off;
	if (at <= len && len - at >= 12)
		memset(p + at, 0xff, 4);
}

void cli_writer_test_hooks(struct btfw_opts *wo)
{
	int kill_at = step_by_name(getenv("BTFENC_TEST_WRITER_KILL_AT"));

	wo->fail_at_step = step_by_name(getenv("BTFENC_TEST_WRITER_FAIL_AT"));
	if (kill_at != BTFW_STEP_NONE) {
		wo->step_hook = kill_at_step;
		wo->step_ctx = (void *)(uintptr_t)kill_at;
	}
}
