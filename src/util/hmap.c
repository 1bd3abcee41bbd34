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

static size_t hmap_find_slot(const struct hmap_slot *slots, const uint8_t *used,
			     size_t cap, uint64_t key)
{
	size_t mask = cap - 1;
	size_t i = hash_u64(key) & mask;

	while (used[i] && slots[i].key != key)
		i = (i + 1) & mask;
	return i;
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

bool hmap_get(const struct hmap *m, uint64_t key, uint64_t *val)
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

uint64_t hash_bytes(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);

	while (len >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		h = (h ^ hash_u64(w)) * 0x100000001b3ULL;
		s += 8;
		len -= 8;
	}
	if (len) {
		uint64_t w = 0;

		memcpy(&w, s, len);
		h = (h ^ hash_u64(w)) * 0x100000001b3ULL;
	}
	return hash_u64(h);
}
