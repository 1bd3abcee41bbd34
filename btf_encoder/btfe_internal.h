/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btfe_internal: the encoder's private state, shared by its .c files only.
 */
#ifndef BTFENC_BTFE_INTERNAL_H
#define BTFENC_BTFE_INTERNAL_H

#include "btf_encoder.h"
#include "src/util/hmap.h"

struct btfe_encoder {
	struct btfe_opts opts;
	struct bfmt_btf *btf;		/* what is being built */
	uint32_t index_type_id;		/* int used as ARRAY index_type, 0 until needed */
	/* Per-unit scratch, reset by each btfe_encoder__add_cu(): */
	struct {
		uint32_t *v;		/* ir_id -> BTF id */
		size_t len, cap;
	} map;
	struct {
		uint8_t *v;		/* ir_id -> enum btfe_slot */
		size_t len, cap;
	} slot;
	struct hmap name_offs;		/* interned name pointer -> string offset */
};

/* How one model type becomes BTF. */
enum btfe_slot {
	BTFE_SLOT_TYPE,		/* its own BTF type(s) */
	BTFE_SLOT_ALIAS,	/* the BTF id of the type it refers to (_Atomic, ...) */
	BTFE_SLOT_VOID,		/* id 0 */
	BTFE_SLOT_OPAQUE,	/* an anonymous empty struct of the same size */
};

/* String offset for an interned model name (NULL -> 0), cached per unit. */
int btfe_name_off(struct btfe_encoder *enc, const char *name, uint32_t *off_ret);

/* Append a DECL_TAG with this value on target (component -1: the type). */
int btfe_add_decl_tag(struct btfe_encoder *enc, const char *value, uint32_t target,
		      int32_t component);

/* Convert the unit's types; fills enc->map. */
int btfe_encode_types(struct btfe_encoder *enc, const struct ir_cu *cu);

#endif
