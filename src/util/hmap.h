/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hmap: an open-addressing hash map from uint64_t keys to uint64_t values.
 *
 * Owns:       its slot array.
 * Threads:    none; not thread-safe.
 * Errors:     hmap_set() returns 0 or -ENOMEM (the map is unchanged then).
 * Invariants: any key value is allowed (occupancy is tracked separately);
 *             load factor stays below 3/4; iteration order is the slot order
 *             and must not be relied on for output (sort first).
 */
#ifndef BTFENC_UTIL_HMAP_H
#define BTFENC_UTIL_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	uint64_t key;
	uint64_t val;
};

struct hmap {
	struct hmap_slot *slots;	/* cap entries */
	uint8_t *used;			/* cap flags: 1 when slot is occupied */
	size_t cap;			/* power of two, or 0 */
	size_t len;			/* occupied slots */
};

void hmap_init(struct hmap *m);
void hmap_deinit(struct hmap *m);
void hmap_clear(struct hmap *m);
/* Make room for n entries without rehashing. */
int hmap_reserve(struct hmap *m, size_t n);
/* Insert or overwrite. */
int hmap_set(struct hmap *m, uint64_t key, uint64_t val);

/*
 * The slot of key, or the empty slot where it would go. Fibonacci hashing
 * (the product's top bits): one multiply, and keys that differ in any bit
 * (DIE offsets, ids, hashes) spread over the table. Inline: the DWARF
 * loader looks up every type reference here.
 */
static inline size_t hmap_find_slot(const struct hmap_slot *slots, const uint8_t *used,
				    size_t cap, uint64_t key)
{
	size_t mask = cap - 1;
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> (64 - __builtin_ctzll(cap)));

	while (used[i] && slots[i].key != key)
		i = (i + 1) & mask;
	return i;
}

/* Returns true and fills *val (if non-NULL) when key is present. */
static inline bool hmap_get(const struct hmap *m, uint64_t key, uint64_t *val)
{
	size_t i;

	if (!m->cap)
		return false;
	i = hmap_find_slot(m->slots, m->used, m->cap, key);
	if (!m->used[i])
		return false;
	if (val)
		*val = m->slots[i].val;
	return true;
}

/* A fast 64-bit mixer and a byte-string hash, for users of the map. */
static inline uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

uint64_t hash_bytes(const void *p, size_t len, uint64_t seed);

static inline uint64_t hash_combine(uint64_t h, uint64_t v)
{
	return hash_u64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

#endif
