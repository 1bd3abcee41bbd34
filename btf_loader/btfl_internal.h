/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_loader internals: the per-call context, the one-line error reporting,
 * and the passes the loader runs in this order:
 *
 *   btfl_parse()     header, sections, byte order, record bounds
 *                    (btfl_parse.c) -> a struct bfmt_btf in host order
 *   btfl_check_meta() every rule one record can be checked by on its own,
 *                    string offsets and names, id ranges (btfl_meta.c)
 *   btfl_resolve()   cycles and resolved sizes over the table and the base
 *                    types it reaches (btfl_resolve.c)
 *   btfl_check_refs() every rule that needs the referenced types resolved:
 *                    member placement, array sizes, FUNC/VAR/DATASEC/
 *                    DECL_TAG targets (btfl_refs.c)
 *
 * Nothing here is visible outside btf_loader/.
 */
#ifndef BTFENC_BTFL_INTERNAL_H
#define BTFENC_BTFL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btf_loader.h"

/* Kernel limit on identifier and section name length (KSYM_NAME_LEN). */
#define BTFL_MAX_NAME_LEN 512

/* The state of one load. */
struct btfl_ctx {
	const char *name;		/* the input, for messages */
	const struct diag *diag;	/* may be NULL */
	bool reported;			/* an error line was written: the
					 * first failure is the one reported */
	bool relocatable;		/* an ELF ET_REL object: DATASEC sizes and
					 * offsets (size 0) and extern linkage
					 * are the BPF loader's to fill in, as
					 * libbpf does before the kernel sees it */
	uint8_t ptr_size;		/* bytes; 0 until known */
	void *map;			/* NULL, or a read-only mapping of the
					 * file that holds the BTF being parsed:
					 * btfl_build() may leave the sections
					 * in it and hand it to the table (then
					 * it sets map to NULL); whoever made it
					 * unmaps it if it is still here */
	size_t map_len;
};

/* Resolution state of one type id (base included; base types the table
 * does not reach stay unresolved), btfl_resolve.c. */
struct btfl_res {
	uint32_t size;			/* bytes, when sized */
	uint32_t rid;			/* the type after typedefs, modifiers and
					 * type tags (itself for other kinds;
					 * 0 = void) */
	uint8_t sized;			/* the type has a size (ARRAY: its
					 * element has one and the product fits
					 * in u32) */
	uint8_t colour;			/* DFS state, see btfl_resolve.c */
	uint8_t tag_below;		/* modifiers: a TYPE_TAG follows in the
					 * chain of modifiers below */
};

/* Report one error line ("NAME: " + message) unless one was reported
 * already; returns err. */
__attribute__((format(printf, 3, 4)))
int btfl_fail(struct btfl_ctx *c, int err, const char *fmt, ...);

/* The same, prefixed with "type [ID] KIND 'name': "; returns -EINVAL. */
__attribute__((format(printf, 4, 5)))
int btfl_fail_type(struct btfl_ctx *c, const struct bfmt_btf *btf, uint32_t id,
		   const char *fmt, ...);

/* A string for messages: the string at off, "(anon)" for 0, "(bad name)"
 * when off is out of range. */
const char *btfl_str(const struct bfmt_btf *btf, uint32_t off);

/* Kernel name rules: an identifier ([A-Za-z_.][A-Za-z0-9_.]*) and a
 * section name (printable, non-empty), both shorter than
 * BTFL_MAX_NAME_LEN. off must be in range. */
bool btfl_valid_ident(const struct bfmt_btf *btf, uint32_t off);
bool btfl_valid_section(const struct bfmt_btf *btf, uint32_t off);

/* Is off a valid string offset (base included)? */
bool btfl_str_off_ok(const struct bfmt_btf *btf, uint32_t off);

/* Parse and validate len bytes of raw BTF; see btf_loader.h. */
int btfl_parse(struct btfl_ctx *c, const unsigned char *data, size_t len,
	       const struct bfmt_btf *base, struct btfl_info *info,
	       struct bfmt_btf **ret);

int btfl_check_meta(struct btfl_ctx *c, const struct bfmt_btf *btf);
int btfl_resolve(struct btfl_ctx *c, const struct bfmt_btf *btf,
		 struct btfl_res *res);
int btfl_check_refs(struct btfl_ctx *c, const struct bfmt_btf *btf,
		    const struct btfl_res *res);

/* All passes after btfl_parse() built the table. */
int btfl_validate(struct btfl_ctx *c, const struct bfmt_btf *btf);

/* The pointer size a BTF implies ("long"), 0 when it does not say. */
uint8_t btfl_guess_ptr_size(const struct bfmt_btf *btf);

/* Kind helpers shared by the passes. */
static inline bool btfl_is_modifier(enum bfmt_kind k)
{
	return k == BFMT_KIND_TYPEDEF || k == BFMT_KIND_CONST ||
	       k == BFMT_KIND_VOLATILE || k == BFMT_KIND_RESTRICT ||
	       k == BFMT_KIND_TYPE_TAG;
}

/* Kinds that may only refer, never be referred to as a value type. */
static inline bool btfl_is_source_only(enum bfmt_kind k)
{
	return k == BFMT_KIND_VAR || k == BFMT_KIND_DATASEC ||
	       k == BFMT_KIND_DECL_TAG;
}

/* An INT of 8/16/32/64/128 bits at offset 0 (array index, kflag members). */
bool btfl_int_is_regular(const struct bfmt_type *t);

#endif
