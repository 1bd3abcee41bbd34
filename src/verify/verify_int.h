/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verify_int: what verify.c (index, matching) and verify_diff.c (saying
 * what differs) share. Private to src/verify.
 */
#ifndef BTFENC_VERIFY_VERIFY_INT_H
#define BTFENC_VERIFY_VERIFY_INT_H

#include <stdint.h>

#include "../ir/ir.h"
#include "../util/arena.h"

/*
 * Say how a BTF entry differs from a DWARF entry of the same key: *detail_ret
 * (in arena) names the first differing line of each; *cls_ret is VF_LOST
 * when both are enums (btf_id, dwarf_id: their ir ids, 0 for functions and
 * variables) and every difference is information BTF lost (an enumerator
 * that does not fit in 32 bits truncated or dropped, the signedness), else
 * VF_MISMATCH. Returns 0 or -ENOMEM.
 */
int vf_describe(struct arena *arena, const struct ir_cu *btf, ir_id btf_id,
		const struct ir_cu *dwarf, ir_id dwarf_id, const char *btf_text,
		const char *dwarf_text, const char **detail_ret, uint8_t *cls_ret);

#endif
