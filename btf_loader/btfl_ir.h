/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btfl_ir: state shared by the two halves of btfl_to_ir(): btfl_to_ir.c
 * (types) and btfl_to_ir_decl.c (functions, variables, decl tags).
 * The table is validated, so the conversion trusts ids and kinds; its only
 * failure is -ENOMEM.
 */
#ifndef BTFENC_BTFL_IR_H
#define BTFENC_BTFL_IR_H

#include "btfl_internal.h"

struct btfl_ir {
	const struct bfmt_btf *btf;
	struct ir_cu *cu;
	uint32_t nr;		/* bfmt_btf__nr_types() */
	uint32_t *slot;		/* per BTF id: the ir id of a type kind, the
				 * index + 1 in cu->funcs of a FUNC, in
				 * cu->vars of a VAR; 0 otherwise */
	uint32_t *rid;		/* per BTF id: the id after typedefs and
				 * modifiers (0 = void) */
	uint8_t ptr_size;
};

/* Interned name at a string offset; *ret NULL for anonymous. */
int btfl_ir_name(struct btfl_ir *x, uint32_t off, const char **ret);

static inline ir_id btfl_ir_type(const struct btfl_ir *x, uint32_t btf_id)
{
	return btf_id < x->nr ? x->slot[btf_id] : IR_VOID;
}

/* FUNCs and VARs (with their DATASEC placement), then DECL_TAGs. */
int btfl_ir_decls(struct btfl_ir *x);
int btfl_ir_tags(struct btfl_ir *x);

#endif
