/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_types: an in-memory BTF type and string table (struct bfmt_btf), the
 * one representation the encoder builds, the deduplicator rewrites and the
 * writers serialise.
 *
 * Owns:       its type records (host byte order, u32 words), the id -> record
 *             index and its string set.
 * Borrows:    an optional base BTF (split BTF): ids below start_id and string
 *             offsets below start_str_off resolve in the base, which must
 *             outlive this object and not change.
 * Threads:    none.
 * Errors:     0 or negative errno; failed additions leave the table as it was.
 * Invariants: id 0 is void; ids are dense from start_id; every record is
 *             complete (common part + its kind's extra bytes); pointers
 *             returned by bfmt_btf__type() are invalidated by any addition.
 */
#ifndef BTFENC_BTF_TYPES_H
#define BTFENC_BTF_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btf_format.h"
#include "util/strset.h"

struct bfmt_btf {
	struct {
		uint32_t *v;	/* records, in id order */
		size_t len, cap;
	} data;
	struct {
		uint32_t *v;	/* word offset of id start_id + i in data */
		size_t len, cap;
	} offs;
	struct strset strs;
	const struct bfmt_btf *base;	/* NULL unless split BTF */
	uint32_t start_id;		/* first id of this table (1 without base) */
	uint32_t start_str_off;		/* first string offset (0 without base) */
	bool owns_base;			/* bfmt_btf__free() frees base too
					 * (set by bfmt_btf__own_base()) */
	void *map;			/* NULL, or the read-only mapping the
					 * records and strings lie in (taken by
					 * bfmt_btf__adopt_mapped(), unmapped by
					 * bfmt_btf__free()): such a table is
					 * never changed */
	size_t map_len;
	bool strs_canonical;		/* equal strings have equal offsets:
					 * every reference points at the start
					 * of a string and no two strings are
					 * equal, base included (always so for
					 * tables built with add_str; checked
					 * by adopt_raw) */
};

int bfmt_btf__new(const struct bfmt_btf *base, struct bfmt_btf **ret);
void bfmt_btf__free(struct bfmt_btf *btf);

/* One past the highest id, base included. */
static inline uint32_t bfmt_btf__nr_types(const struct bfmt_btf *btf)
{
	return btf->start_id + (uint32_t)btf->offs.len;
}

/* The record of id (base included); NULL for void and unknown ids. */
static inline struct bfmt_type *bfmt_btf__type(const struct bfmt_btf *btf, uint32_t id)
{
	while (btf && id < btf->start_id)
		btf = btf->base;
	if (!btf || id == 0 || id - btf->start_id >= btf->offs.len)
		return NULL;
	return (struct bfmt_type *)&btf->data.v[btf->offs.v[id - btf->start_id]];
}

/* Extra bytes that follow t's common record. */
static inline void *bfmt_type_extra(const struct bfmt_type *t)
{
	return (void *)(t + 1);
}

/* String at a (split-aware) offset; NULL when out of range. */
static inline const char *bfmt_btf__str(const struct bfmt_btf *btf, uint32_t off)
{
	while (btf && off < btf->start_str_off)
		btf = btf->base;
	if (!btf)
		return NULL;
	return strset_str(&btf->strs, off - btf->start_str_off);
}

/* Add a string (NULL or "" gives 0); *off_ret is its split-aware offset.
 * A string the base already has is not added again. */
int bfmt_btf__add_str(struct bfmt_btf *btf, const char *s, uint32_t *off_ret);

/*
 * Append a type record: the common part from the arguments, then extra
 * zeroed bytes for the kind and vlen, returned in *extra_ret (valid until
 * the next addition). *id_ret is the new id.
 */
int bfmt_btf__add_type(struct bfmt_btf *btf, enum bfmt_kind kind, uint32_t vlen,
		       bool kflag, uint32_t name_off, uint32_t size_type,
		       uint32_t *id_ret, void **extra_ret);

/*
 * Visit every field of t that holds a type id, or every field that holds a
 * string offset. The callback may rewrite the field; a non-zero return
 * stops the walk and is returned.
 */
typedef int (*bfmt_field_fn)(uint32_t *field, void *ctx);
int bfmt_type__visit_ids(struct bfmt_type *t, bfmt_field_fn fn, void *ctx);
int bfmt_type__visit_strs(struct bfmt_type *t, bfmt_field_fn fn, void *ctx);

/*
 * Are a and b equal once the fields bfmt_type__visit_ids() visits are left
 * out (the same record with other referenced types)? Both must be complete
 * records of known kinds.
 */
bool bfmt_type__equal_but_ids(const struct bfmt_type *a, const struct bfmt_type *b);

/*
 * Move the types and strings of src into btf, dropping btf's old ones, and
 * free src. Both must have the same base (the deduplicator builds src with
 * bfmt_btf__new(btf->base) and swaps it in only once everything succeeded).
 */
void bfmt_btf__replace(struct bfmt_btf *btf, struct bfmt_btf *src);

/* Drop the types with ids >= nr (nr at least start_id); strings stay.
 * -EINVAL if nr is out of range. */
int bfmt_btf__truncate(struct bfmt_btf *btf, uint32_t nr);

/* Size in bytes of t's whole record, or -1 for an unknown kind. */
static inline long bfmt_type__size(const struct bfmt_type *t)
{
	long extra = bfmt_extra_size(bfmt_kind(t), bfmt_vlen(t));

	return extra < 0 ? -1 : (long)sizeof(*t) + extra;
}

/*
 * Append src's own types (not its base) to dst, as btfenc dedup does when it
 * links several BTF files: ids of src's own types move to follow dst's,
 * ids below src->start_id (void and src's base) are kept, so src and dst
 * must share their base (or have none); strings are re-added to dst.
 * On failure dst may hold a part of src: discard it.
 */
int bfmt_btf__append(struct bfmt_btf *dst, const struct bfmt_btf *src);

/*
 * Serialise this table (not its base) as a BTF blob in the requested byte
 * order. *buf_ret is malloc'd and owned by the caller.
 */
int bfmt_btf__serialize(const struct bfmt_btf *btf, bool big_endian,
			void **buf_ret, size_t *len_ret);

/*
 * For loaders (btf_loader): take over raw sections read from a file.
 *
 * btf must be empty (fresh from bfmt_btf__new()). words holds the type
 * section in host byte order (nr_words u32s), strs the string section
 * (strs_len bytes; for a table without base it must start with "" and end
 * with a NUL). Both must be malloc'd; on success btf owns them, on failure
 * the caller still does. The id index is built by walking the records;
 * -EINVAL if a record has an unknown kind or runs past the end, -E2BIG past
 * BFMT_MAX_NR_TYPES. No other validation happens here.
 * The blob's strings are indexed, so a later bfmt_btf__add_str() (or a
 * split BTF on this table) finds a string the blob already holds.
 */
int bfmt_btf__adopt_raw(struct bfmt_btf *btf, uint32_t *words, size_t nr_words,
			char *strs, size_t strs_len);

/*
 * bfmt_btf__adopt_raw() for sections that lie in a read-only file mapping
 * (map, map_len bytes, from mmap()): words (4-aligned, host order) and strs
 * stay where they are, and on success btf takes the mapping, to unmap it
 * when freed; on failure the caller keeps it. The table is read-only from
 * then on: adding a type or a string to it, truncating it or appending to
 * it is -EPERM (a split table built on it, which only looks strings up in
 * it, is not affected). Nothing is copied, so loading a kernel's BTF as a
 * base writes no page of it.
 */
int bfmt_btf__adopt_mapped(struct bfmt_btf *btf, uint32_t *words, size_t nr_words,
			   char *strs, size_t strs_len, void *map, size_t map_len);

/* Make btf own its base: bfmt_btf__free(btf) frees the base afterwards.
 * For loaders that load a base on the caller's behalf (module BTF on
 * vmlinux, .BTF.base). */
void bfmt_btf__own_base(struct bfmt_btf *btf);

#endif
