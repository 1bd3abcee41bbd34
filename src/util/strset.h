/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * strset: a deduplicated string blob, as the BTF string section needs it.
 *
 * Owns:       the blob and the index.
 * Threads:    none.
 * Errors:     0 or -ENOMEM; on failure the set is unchanged.
 * Invariants: unless made with strset_init_raw(), the blob starts with ""
 *             at offset 0 and adding "" gives 0; every string is stored
 *             once, NUL-terminated; an offset, once returned, stays valid
 *             and keeps its string for the life of the set. The index is a
 *             hash set of offsets (no second copy of any string): a lookup
 *             appends the candidate provisionally and takes it back if it
 *             was already there. Pointers from strset_str() are invalidated
 *             by the next add.
 */
#ifndef BTFENC_UTIL_STRSET_H
#define BTFENC_UTIL_STRSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strset {
	char *data;		/* the blob */
	size_t len, cap;
	uint32_t *slots;	/* offset + 1 per slot, 0 = empty */
	uint32_t *tags;		/* per slot: its string's hash */
	size_t nr_slots;	/* power of two */
	size_t nr_strs;
	size_t nr_repeats;	/* strset_reindex(): strings of the blob
				 * equal to one before them */
	bool with_empty;	/* blob starts with "" at offset 0 */
};

int strset_init(struct strset *s);
/* A set whose blob starts empty (the string part of split BTF); adding ""
 * to it is -EINVAL. */
int strset_init_raw(struct strset *s);
void strset_deinit(struct strset *s);
/* Add (or find) str; *off_ret is its offset. str must not point into the
 * set itself (growth would move it). */
int strset_add(struct strset *s, const char *str, uint32_t *off_ret);
int strset_add_len(struct strset *s, const char *str, size_t len, uint32_t *off_ret);
/*
 * Rebuild the index from the blob as it is (after the blob was replaced
 * wholesale, e.g. by a loaded string section), so that adding a string the
 * blob already holds finds it instead of appending a copy. Every string
 * that starts after a NUL is indexed; the first of equal strings wins.
 */
int strset_reindex(struct strset *s);
/* Find without adding; returns 0 or -ENOENT. */
int strset_find(const struct strset *s, const char *str, uint32_t *off_ret);
static inline const char *strset_str(const struct strset *s, uint32_t off)
{
	return off < s->len ? s->data + off : NULL;
}

#endif
