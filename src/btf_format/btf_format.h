/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_format: the BTF wire format, as the kernel documents it
 * (Documentation/bpf/btf.rst), written down once for the encoder, the
 * deduplicator and the BTF loader.
 *
 * Owns:       nothing; constants, record layouts and pure helpers only.
 * Invariants: records are described in host byte order; swapping to and from
 *             the file's byte order happens only at the edges
 *             (bfmt_btf__serialize() and the loader's parser).
 */
#ifndef BTFENC_BTF_FORMAT_H
#define BTFENC_BTF_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#define BFMT_MAGIC 0xeB9F
#define BFMT_VERSION 1

enum bfmt_kind {
	BFMT_KIND_UNKN = 0,
	BFMT_KIND_INT = 1,
	BFMT_KIND_PTR = 2,
	BFMT_KIND_ARRAY = 3,
	BFMT_KIND_STRUCT = 4,
	BFMT_KIND_UNION = 5,
	BFMT_KIND_ENUM = 6,
	BFMT_KIND_FWD = 7,
	BFMT_KIND_TYPEDEF = 8,
	BFMT_KIND_VOLATILE = 9,
	BFMT_KIND_CONST = 10,
	BFMT_KIND_RESTRICT = 11,
	BFMT_KIND_FUNC = 12,
	BFMT_KIND_FUNC_PROTO = 13,
	BFMT_KIND_VAR = 14,
	BFMT_KIND_DATASEC = 15,
	BFMT_KIND_FLOAT = 16,
	BFMT_KIND_DECL_TAG = 17,
	BFMT_KIND_TYPE_TAG = 18,
	BFMT_KIND_ENUM64 = 19,
	BFMT_KIND_NR,
};

/* The file header; hdr_len may be larger in newer files (extensions). */
struct bfmt_header {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t type_off;	/* relative to the end of the header */
	uint32_t type_len;
	uint32_t str_off;	/* relative to the end of the header */
	uint32_t str_len;
};

/* Every type starts with this record. */
struct bfmt_type {
	uint32_t name_off;
	uint32_t info;		/* vlen 0-15, kind 24-28, kind_flag 31 */
	uint32_t size_type;	/* size for INT/ENUM/STRUCT/UNION/DATASEC/FLOAT/ENUM64,
				 * type id for the others */
};

/* INT: one u32 after the type. */
#define BFMT_INT_SIGNED (1u << 0)
#define BFMT_INT_CHAR (1u << 1)
#define BFMT_INT_BOOL (1u << 2)

static inline uint32_t bfmt_int_info(uint32_t encoding, uint32_t offset, uint32_t bits)
{
	return (encoding & 0xf) << 24 | (offset & 0xff) << 16 | (bits & 0xff);
}

static inline uint32_t bfmt_int_encoding(uint32_t v) { return (v >> 24) & 0x0f; }
static inline uint32_t bfmt_int_offset(uint32_t v) { return (v >> 16) & 0xff; }
static inline uint32_t bfmt_int_bits(uint32_t v) { return v & 0xff; }

struct bfmt_array {
	uint32_t type;
	uint32_t index_type;
	uint32_t nelems;
};

struct bfmt_member {
	uint32_t name_off;
	uint32_t type;
	uint32_t offset;	/* kind_flag: bitfield_size << 24 | bit offset */
};

static inline uint32_t bfmt_member_bit_offset(uint32_t offset, bool kflag)
{
	return kflag ? offset & 0xffffff : offset;
}

static inline uint32_t bfmt_member_bitfield_size(uint32_t offset, bool kflag)
{
	return kflag ? offset >> 24 : 0;
}

struct bfmt_enum {
	uint32_t name_off;
	int32_t val;
};

struct bfmt_enum64 {
	uint32_t name_off;
	uint32_t val_lo32;
	uint32_t val_hi32;
};

struct bfmt_param {
	uint32_t name_off;
	uint32_t type;
};

enum bfmt_linkage {
	BFMT_LINKAGE_STATIC = 0,
	BFMT_LINKAGE_GLOBAL = 1,
	BFMT_LINKAGE_EXTERN = 2,
};

struct bfmt_var {
	uint32_t linkage;
};

struct bfmt_var_secinfo {
	uint32_t type;
	uint32_t offset;
	uint32_t size;
};

struct bfmt_decl_tag {
	int32_t component_idx;	/* -1: the type itself, else member/param index */
};

#define BFMT_MAX_VLEN 0xffff
#define BFMT_MAX_TYPE 0x000fffff	/* kernel limit on type ids (in a loaded BTF) */
#define BFMT_MAX_NR_TYPES 0x7fffffff	/* in memory: a table before dedup (libbpf: the same) */
#define BFMT_MAX_NAME_OFFSET 0x00ffffff

static inline uint32_t bfmt_info(enum bfmt_kind kind, uint32_t vlen, bool kflag)
{
	return (kflag ? 1u << 31 : 0) | ((uint32_t)kind & 0x1f) << 24 | (vlen & 0xffff);
}

static inline enum bfmt_kind bfmt_kind(const struct bfmt_type *t)
{
	return (enum bfmt_kind)((t->info >> 24) & 0x1f);
}

static inline uint32_t bfmt_vlen(const struct bfmt_type *t)
{
	return t->info & 0xffff;
}

static inline bool bfmt_kflag(const struct bfmt_type *t)
{
	return t->info >> 31;
}

/* Per kind: fixed bytes after the common record, bytes per vlen entry. */
struct bfmt_kind_layout {
	uint8_t fixed;
	uint8_t per_vlen;
};
extern const struct bfmt_kind_layout bfmt_kind_layouts[BFMT_KIND_NR];

/* Bytes that follow the common record for a type of this kind and vlen,
 * or -1 for an unknown kind. Inline: every walk over records asks it. */
static inline long bfmt_extra_size(enum bfmt_kind kind, uint32_t vlen)
{
	if ((unsigned)kind >= BFMT_KIND_NR || kind == BFMT_KIND_UNKN)
		return -1;
	return (long)bfmt_kind_layouts[kind].fixed +
	       (long)vlen * bfmt_kind_layouts[kind].per_vlen;
}

/* "INT", "STRUCT", ... as bpftool prints them; "UNKN" when out of range. */
const char *bfmt_kind_name(enum bfmt_kind kind);

/* Does size_type hold a size (true) or a type id (false)? */
bool bfmt_kind_has_size(enum bfmt_kind kind);

#endif
