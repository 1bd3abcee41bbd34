// SPDX-License-Identifier: GPL-2.0-only
/* Per-kind tables of the BTF format. */
#include "btf_format.h"

#include <stddef.h>

/* Per kind: fixed bytes after the common record, bytes per vlen entry. */
const struct bfmt_kind_layout bfmt_kind_layouts[BFMT_KIND_NR] = {
	[BFMT_KIND_UNKN] = { 0, 0 },
	[BFMT_KIND_INT] = { 4, 0 },
	[BFMT_KIND_PTR] = { 0, 0 },
	[BFMT_KIND_ARRAY] = { sizeof(struct bfmt_array), 0 },
	[BFMT_KIND_STRUCT] = { 0, sizeof(struct bfmt_member) },
	[BFMT_KIND_UNION] = { 0, sizeof(struct bfmt_member) },
	[BFMT_KIND_ENUM] = { 0, sizeof(struct bfmt_enum) },
	[BFMT_KIND_FWD] = { 0, 0 },
	[BFMT_KIND_TYPEDEF] = { 0, 0 },
	[BFMT_KIND_VOLATILE] = { 0, 0 },
	[BFMT_KIND_CONST] = { 0, 0 },
	[BFMT_KIND_RESTRICT] = { 0, 0 },
	[BFMT_KIND_FUNC] = { 0, 0 },
	[BFMT_KIND_FUNC_PROTO] = { 0, sizeof(struct bfmt_param) },
	[BFMT_KIND_VAR] = { sizeof(struct bfmt_var), 0 },
	[BFMT_KIND_DATASEC] = { 0, sizeof(struct bfmt_var_secinfo) },
	[BFMT_KIND_FLOAT] = { 0, 0 },
	[BFMT_KIND_DECL_TAG] = { sizeof(struct bfmt_decl_tag), 0 },
	[BFMT_KIND_TYPE_TAG] = { 0, 0 },
	[BFMT_KIND_ENUM64] = { 0, sizeof(struct bfmt_enum64) },
};

/* Per kind: its name and whether size_type holds a size. */
static const struct {
	const char *name;
	bool has_size;
} bfmt_kinds[BFMT_KIND_NR] = {
	[BFMT_KIND_UNKN] = { "UNKN", false },
	[BFMT_KIND_INT] = { "INT", true },
	[BFMT_KIND_PTR] = { "PTR", false },
	[BFMT_KIND_ARRAY] = { "ARRAY", false },
	[BFMT_KIND_STRUCT] = { "STRUCT", true },
	[BFMT_KIND_UNION] = { "UNION", true },
	[BFMT_KIND_ENUM] = { "ENUM", true },
	[BFMT_KIND_FWD] = { "FWD", false },
	[BFMT_KIND_TYPEDEF] = { "TYPEDEF", false },
	[BFMT_KIND_VOLATILE] = { "VOLATILE", false },
	[BFMT_KIND_CONST] = { "CONST", false },
	[BFMT_KIND_RESTRICT] = { "RESTRICT", false },
	[BFMT_KIND_FUNC] = { "FUNC", false },
	[BFMT_KIND_FUNC_PROTO] = { "FUNC_PROTO", false },
	[BFMT_KIND_VAR] = { "VAR", false },
	[BFMT_KIND_DATASEC] = { "DATASEC", true },
	[BFMT_KIND_FLOAT] = { "FLOAT", true },
	[BFMT_KIND_DECL_TAG] = { "DECL_TAG", false },
	[BFMT_KIND_TYPE_TAG] = { "TYPE_TAG", false },
	[BFMT_KIND_ENUM64] = { "ENUM64", true },
};

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
