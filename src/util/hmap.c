// SPDX-License-Identifier: GPL-2.0-only
#include "hmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void hmap_init(struct hmap *m)
{
	memset(m, 0, sizeof(*m));
}

void hmap_deinit(struct hmap *m)
{
	free(m->slots);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

void hmap_clear(struct hmap *m)
{
	if (m->used)
		memset(m->used, 0, m->cap);
	m->len = 0;
}

static int hmap_rehash(struct hmap *m, size_t ncap)
{
	struct hmap_slot *slots;
	uint8_t *used;
	size_t i;

	if (ncap > SIZE_MAX / sizeof(*slots))
		return -ENOMEM;
	slots = malloc(ncap * sizeof(*slots));
	used = calloc(ncap, 1);
	if (!slots || !used) {
		free(slots);
		free(used);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->used[i])
			continue;
		j = hmap_find_slot(slots, used, ncap, m->slots[i].key);
		slots[j] = m->slots[i];
		used[j] = 1;
	}
	free(m->slots);
	free(m->used);
	m->slots = slots;
	m->used = used;
	m->cap = ncap;
	return 0;
}

int hmap_reserve(struct hmap *m, size_t n)
{
	size_t ncap = m->cap ? m->cap : 16;

	while (n >= ncap / 4 * 3) {
		if (ncap > SIZE_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	if (ncap == m->cap)
		return 0;
	return hmap_rehash(m, ncap);
}

int hmap_set(struct hmap *m, uint64_t key, uint64_t val)
{
	size_t i;
	int err;

	err = hmap_reserve(m, m->len + 1);
	if (err)
		return err;
	i = hmap_find_slot(m->slots, m->used, m->cap, key);
	if (!m->used[i]) {
		m->used[i] = 1;
		m->slots[i].key = key;
		m->len++;
	}
	m->slots[i].val = val;
	return 0;
}

/* The 128-bit product of a and b, folded to 64 bits: one multiply mixes
 * every bit of both into the middle bits (a 32-bit host: hash_u64). */
static inline uint64_t hash_mum(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
	return hash_u64(a ^ hash_u64(b));
#endif
}

/*
 * 16 bytes per multiply, and the last 1-16 bytes read as two (possibly
 * overlapping) words without a call to memcpy of a variable length: a
 * kernel build hashes tens of millions of short records and names. Only
 * where entries land depends on it, never what any output holds.
 */
uint64_t hash_bytes(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL), a = 0, b = 0;
	size_t n = len;

	while (n > 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		h = hash_mum(a ^ 0xa0761d6478bd642fULL, b ^ h);
		s += 16;
		n -= 16;
	}
	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else if (n >= 4) {
		uint32_t x, y;

		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		a = x;
		b = y;
	} else if (n) {
		a = (uint64_t)s[0] << 16 | (uint64_t)s[n >> 1] << 8 | s[n - 1];
	}
	h = hash_mum(a ^ 0xe7037ed1a0b428dbULL, b ^ h);
	return hash_mum(h ^ 0x8ebc6af09c88c6e3ULL, len ^ 0x589965cc75374cc3ULL);
}
