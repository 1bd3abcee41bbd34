/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * normal_int: what normal.c (entries, selection) and normal_spell.c (type
 * spelling, encoder fallbacks) share. Private to src/print.
 */
#ifndef BTFENC_PRINT_NORMAL_INT_H
#define BTFENC_PRINT_NORMAL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../ir/ir.h"
#include "normal.h"
#include "type_name.h"

/* pahole's and our encoder's name for the ARRAY index type it adds. */
#define NM_INDEX_TYPE_NAME "__ARRAY_SIZE_TYPE__"

/* What spelling needs: the options and the unit. */
struct nm_ctx {
	const struct normal_opts *opts;
	const struct ir_cu *cu;
};

/* Append the postfix spelling of type id (see normal.h). */
void nm_spell(const struct nm_ctx *c, struct tn_buf *b, ir_id id);

/* With btf_fallbacks: true when the encoder turns t into an anonymous
 * struct without members (its size in *size_ret). */
bool nm_is_opaque(const struct nm_ctx *c, const struct ir_type *t, uint64_t *size_ret);
/* t's size as BTF has it: an opaque stand-in's (nm_is_opaque()), else its own. */
uint64_t nm_size(const struct nm_ctx *c, const struct ir_type *t);

/* The members of a struct or union as they are printed: none for a struct
 * the encoder cannot place (with btf_fallbacks) or an opaque type. */
uint32_t nm_nr_members(const struct nm_ctx *c, const struct ir_type *t);

/* The type behind id when it is printed as an anonymous struct or union
 * ("struct (anon)", expanded in place), else NULL; *is_union_ret says
 * which. */
const struct ir_type *nm_anon_composite(const struct nm_ctx *c, ir_id id,
					bool *is_union_ret);

/* Append " tags(a,b)" when the list is not empty. */
void nm_tags(struct tn_buf *b, const struct ir_annots *a);

#endif
