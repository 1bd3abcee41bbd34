/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal to btfe_distill.c and btfe_relocate.c: the helpers both use.
 * Errors: 0 or negative errno, as in btf_distill.h.
 */
#ifndef BTFENC_BTFE_DISTILL_INT_H
#define BTFENC_BTFE_DISTILL_INT_H

#include <stdint.h>

#include "btf_format/btf_types.h"
#include "util/diag.h"

/* The name of t for messages: its string, or "(anon)". */
const char *btfd_type_name(const struct bfmt_btf *b, const struct bfmt_type *t);

/* Is t named (a non-empty string)? */
static inline int btfd_named(const struct bfmt_btf *b, const struct bfmt_type *t)
{
	const char *s = t->name_off ? bfmt_btf__str(b, t->name_off) : NULL;

	return s && *s;
}

/*
 * Append a copy of src's type src_id to dst: the same record, with every
 * string re-added to dst by content; type ids are copied unchanged (the
 * caller rewrites them). *id_ret is the new id. -EINVAL for an unknown
 * kind or a string offset src does not have.
 */
int btfd_copy_type(struct bfmt_btf *dst, const struct bfmt_btf *src, uint32_t src_id,
		   uint32_t *id_ret);

/*
 * btfd_relocate_map(), with "what" (may be "") put in front of the error
 * line, so that btfd_distill_base()'s own check can say what failed.
 */
int btfd_reloc_map(const struct bfmt_btf *split, const struct bfmt_btf *full_base,
		   const struct diag *d, const char *what, uint32_t **map_ret);

#endif
