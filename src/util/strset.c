// SPDX-License-Identifier: GPL-2.0-only
#include "strset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "vec.h"

int strset_init(struct strset *s)
{
	memset(s, 0, sizeof(*s));
	if (vec_grow_raw((void **)&s->data, &s->cap, 1, 1))
		return -ENOMEM;
	s->data[0] = '\0';
	s->len = 1;
	s->with_empty = true;
	return 0;
}

int strset_init_raw(struct strset *s)
{
	memset(s, 0, sizeof(*s));
	return 0;
}

void strset_deinit(struct strset *s)
{
	free(s->data);
	free(s->slots);
	free(s->tags);
	memset(s, 0, sizeof(*s));
}

static uint32_t strset_hash(const char *str, size_t len)
{
	return (uint32_t)hash_bytes(str, len, 0x5bd1e995);
}

/* Slot holding a string equal to str (len bytes, hash h) or the empty slot
 * where it would go. A slot's tag is its string's hash: strings are
 * compared only when tags match. */
static size_t strset_slot(const struct strset *s, const char *str, size_t len, uint32_t h)
{
	size_t mask = s->nr_slots - 1;
	size_t i = h & mask;

	while (s->slots[i]) {
		if (s->tags[i] == h) {
			const char *t = s->data + s->slots[i] - 1;

			if (memcmp(t, str, len) == 0 && t[len] == '\0')
				break;
		}
		i = (i + 1) & mask;
	}
	return i;
}

/* n slots (a power of two, more than the strings held). */
static int strset_resize(struct strset *s, size_t n)
{
	uint32_t *old = s->slots, *old_tags = s->tags;
	size_t i;
	size_t old_n = s->nr_slots;

	s->slots = calloc(n, sizeof(*s->slots));
	s->tags = malloc(n * sizeof(*s->tags));
	if (!s->slots || !s->tags) {
		free(s->slots);
		free(s->tags);
		s->slots = old;
		s->tags = old_tags;
		return -ENOMEM;
	}
	s->nr_slots = n;
	for (i = 0; i < old_n; i++) {
		size_t j;

		if (!old[i])
			continue;
		for (j = old_tags[i] & (n - 1); s->slots[j]; j = (j + 1) & (n - 1))
			;
		s->slots[j] = old[i];
		s->tags[j] = old_tags[i];
	}
	free(old);
	free(old_tags);
	return 0;
}

static int strset_rehash(struct strset *s)
{
	return strset_resize(s, s->nr_slots ? s->nr_slots * 2 : 1024);
}

int strset_add_len(struct strset *s, const char *str, size_t len, uint32_t *off_ret)
{
	uint32_t h;
	size_t i;

	if (!len) {
		if (!s->with_empty)
			return -EINVAL;
		*off_ret = 0;
		return 0;
	}
	if (s->len + len + 1 > UINT32_MAX - 1)
		return -E2BIG;
	if ((s->nr_strs + 1) * 4 >= s->nr_slots * 3 && strset_rehash(s))
		return -ENOMEM;
	/* Provisional append: the candidate is compared where it will live,
	 * and given back if an equal string already exists. */
	if (vec_grow_raw((void **)&s->data, &s->cap, s->len + len + 1, 1))
		return -ENOMEM;
	memcpy(s->data + s->len, str, len);
	s->data[s->len + len] = '\0';
	h = strset_hash(s->data + s->len, len);
	i = strset_slot(s, s->data + s->len, len, h);
	if (s->slots[i]) {
		*off_ret = s->slots[i] - 1;
		return 0;
	}
	s->slots[i] = (uint32_t)s->len + 1;
	s->tags[i] = h;
	*off_ret = (uint32_t)s->len;
	s->len += len + 1;
	s->nr_strs++;
	return 0;
}

int strset_reindex(struct strset *s)
{
	size_t off = 0;

	free(s->slots);
	free(s->tags);
	s->slots = NULL;
	s->tags = NULL;
	s->nr_slots = 0;
	s->nr_strs = 0;
	s->nr_repeats = 0;
	/* Sized once for as many strings as there are NULs (a kernel's base
	 * BTF has 100 thousand: no rehash on the way). */
	if (s->len) {	/* (an empty set may have no data at all) */
		size_t nuls = 0, n = 1024;
		const char *p = s->data, *end = s->data + s->len;

		while (p < end && (p = memchr(p, '\0', (size_t)(end - p))) != NULL) {
			nuls++;
			p++;
		}
		while ((nuls + 1) * 4 >= n * 3)
			n *= 2;
		if (strset_resize(s, n))
			return -ENOMEM;
	}
	while (off < s->len) {
		size_t len = strnlen(s->data + off, s->len - off), i;

		if (len == s->len - off)
			break;	/* an unterminated tail is not a string */
		if (len) {
			if ((s->nr_strs + 1) * 4 >= s->nr_slots * 3 && strset_rehash(s))
				return -ENOMEM;
			uint32_t h = strset_hash(s->data + off, len);

			i = strset_slot(s, s->data + off, len, h);
			if (!s->slots[i]) {
				s->slots[i] = (uint32_t)off + 1;
				s->tags[i] = h;
				s->nr_strs++;
			} else {
				s->nr_repeats++;
			}
		}
		off += len + 1;
	}
	return 0;
}

int strset_add(struct strset *s, const char *str, uint32_t *off_ret)
{
	return strset_add_len(s, str, strlen(str), off_ret);
}

int strset_find(const struct strset *s, const char *str, uint32_t *off_ret)
{
	size_t len = strlen(str), i;

	if (!len) {
		if (!s->with_empty)
			return -ENOENT;
		*off_ret = 0;
		return 0;
	}
	if (!s->nr_slots)
		return -ENOENT;
	i = strset_slot(s, str, len, strset_hash(str, len));
	if (!s->slots[i])
		return -ENOENT;
	*off_ret = s->slots[i] - 1;
	return 0;
}
