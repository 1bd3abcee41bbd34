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
/* Returns true and fills *val (if non-NULL) when key is present. */
bool hmap_get(const struct hmap *m, uint64_t key, uint64_t *val);

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
