/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unit_build: helpers the unit suites share to build model units by hand and
 * to look types up in BTF tables. Allocation failures fail the test.
 */
#ifndef BTFENC_TESTS_UNIT_BUILD_H
#define BTFENC_TESTS_UNIT_BUILD_H

#include "src/btf_format/btf_types.h"
#include "src/ir/ir.h"

/* Add a type of kind k (name interned, NULL = anonymous) referring to type;
 * orig_off is set to the new id. */
ir_id unit_ir_type(struct ir_cu *cu, enum ir_kind k, const char *name,
		   uint64_t size, ir_id type);

/* An INT of size bytes, all bits used, with IR_TF_* flags. */
ir_id unit_ir_int(struct ir_cu *cu, const char *name, uint64_t size, uint16_t flags);

/* The first type of this kind and name (NULL: anonymous) in btf, with its
 * id in *id_ret (if non-NULL); NULL when there is none. */
const struct bfmt_type *unit_btf_find(const struct bfmt_btf *btf, enum bfmt_kind kind,
				      const char *name, uint32_t *id_ret);

/* A new table (on base, may be NULL); failures fail the test. */
struct bfmt_btf *unit_btf_new(const struct bfmt_btf *base);

/* The offset of s in b, added if needed. */
uint32_t unit_btf_str(struct bfmt_btf *b, const char *s);

/* Append a type; *extra (if non-NULL) gets its extra bytes. */
uint32_t unit_btf_add(struct bfmt_btf *b, enum bfmt_kind k, uint32_t vlen, bool kflag,
		      const char *name, uint32_t size_type, void **extra);

#endif
