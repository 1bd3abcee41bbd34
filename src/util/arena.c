// SPDX-License-Identifier: GPL-2.0-only
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_MIN (64 * 1024)
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t size;			/* usable bytes in data[] */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

void arena_deinit(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	memset(a, 0, sizeof(*a));
}

static int arena_injected_failure(struct arena *a)
{
	if (!a->fail_after)
		return 0;
	return --a->fail_after == 0;
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b;
	size_t rounded, bsize;
	void *p;

	if (arena_injected_failure(a))
		return NULL;
	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (!rounded)
		rounded = ARENA_ALIGN;
	if (!a->head || a->head->size - a->used < rounded) {
		bsize = rounded > ARENA_BLOCK_MIN ? rounded : ARENA_BLOCK_MIN;
		if (bsize > SIZE_MAX - sizeof(*b))
			return NULL;
		b = malloc(sizeof(*b) + bsize);
		if (!b)
			return NULL;
		b->size = bsize;
		if (a->head && rounded > ARENA_BLOCK_MIN &&
		    a->head->size - a->used >= ARENA_BLOCK_MIN / 4) {
			/* A big object gets its own block behind the head, so
			 * the head's free space is not wasted. */
			b->next = a->head->next;
			a->head->next = b;
			a->total += rounded;
			return b->data;
		}
		b->next = a->head;
		a->head = b;
		a->used = 0;
	}
	p = a->head->data + a->used;
	a->used += rounded;
	a->total += rounded;
	return p;
}

void *arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	p = arena_alloc(a, nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void *arena_memdup(struct arena *a, const void *src, size_t size)
{
	void *p = arena_alloc(a, size);

	if (p && size)
		memcpy(p, src, size);
	return p;
}
