// SPDX-License-Identifier: GPL-2.0-only
/* Per-kind tables of the BTF format. */
#include "btf_format.h"

#include <stddef.h>

/* Bytes per vlen entry and fixed bytes after the common record. */
static const struct {
	const char *name;
	uint8_t fixed;
	uint8_t per_vlen;
	bool has_size;
} bfmt_kinds[BFMT_KIND_NR] = {
	[BFMT_KIND_UNKN] = { "UNKN", 0, 0, false },
	[BFMT_KIND_INT] = { "INT", 4, 0, true },
	[BFMT_KIND_PTR] = { "PTR", 0, 0, false },
	[BFMT_KIND_ARRAY] = { "ARRAY", sizeof(struct bfmt_array), 0, false },
	[BFMT_KIND_STRUCT] = { "STRUCT", 0, sizeof(struct bfmt_member), true },
	[BFMT_KIND_UNION] = { "UNION", 0, sizeof(struct bfmt_member), true },
	[BFMT_KIND_ENUM] = { "ENUM", 0, sizeof(struct bfmt_enum), true },
	[BFMT_KIND_FWD] = { "FWD", 0, 0, false },
	[BFMT_KIND_TYPEDEF] = { "TYPEDEF", 0, 0, false },
	[BFMT_KIND_VOLATILE] = { "VOLATILE", 0, 0, false },
	[BFMT_KIND_CONST] = { "CONST", 0, 0, false },
	[BFMT_KIND_RESTRICT] = { "RESTRICT", 0, 0, false },
	[BFMT_KIND_FUNC] = { "FUNC", 0, 0, false },
	[BFMT_KIND_FUNC_PROTO] = { "FUNC_PROTO", 0, sizeof(struct bfmt_param), false },
	[BFMT_KIND_VAR] = { "VAR", sizeof(struct bfmt_var), 0, false },
	[BFMT_KIND_DATASEC] = { "DATASEC", 0, sizeof(struct bfmt_var_secinfo), true },
	[BFMT_KIND_FLOAT] = { "FLOAT", 0, 0, true },
	[BFMT_KIND_DECL_TAG] = { "DECL_TAG", sizeof(struct bfmt_decl_tag), 0, false },
	[BFMT_KIND_TYPE_TAG] = { "TYPE_TAG", 0, 0, false },
	[BFMT_KIND_ENUM64] = { "ENUM64", 0, sizeof(struct bfmt_enum64), true },
};

long bfmt_extra_size(enum bfmt_kind kind, uint32_t vlen)
{
	if ((unsigned)kind >= BFMT_KIND_NR || kind == BFMT_KIND_UNKN)
		return -1;
	return (long)bfmt_kinds[kind].fixed + (long)vlen * bfmt_kinds[kind].per_vlen;
}

const char *bfmt_kind_name(enum bfmt_kind kind)
{
	if ((unsigned)kind >= BFMT_KIND_NR)
		return "UNKN";
	return bfmt_kinds[kind].name;
}

bool bfmt_kind_has_size(enum bfmt_kind kind)
{
	return (unsigned)kind < BFMT_KIND_NR && bfmt_kinds[kind].has_size;
}
