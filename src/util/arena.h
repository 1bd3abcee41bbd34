/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * arena: a bump allocator for objects that live and die together.
 *
 * Owns:       every block it hands out; arena_deinit() frees them all at once.
 * Borrows:    nothing.
 * Threads:    none; one arena is used by one thread at a time.
 * Errors:     allocation functions return NULL only on ENOMEM (or when the
 *             failure-injection hook says so, for tests).
 * Invariants: returned memory is aligned to 16 bytes and never moves; single
 *             objects are never freed.
 */
#ifndef BTFENC_UTIL_ARENA_H
#define BTFENC_UTIL_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct arena_block;

struct arena {
	struct arena_block *head;	/* newest block, chained to older ones */
	size_t used;			/* bytes used in head */
	size_t total;			/* bytes handed out, for statistics */
	/* Test hook: when non-zero, the Nth allocation from now fails. */
	unsigned long fail_after;
};

void arena_init(struct arena *a);
void arena_deinit(struct arena *a);

void *arena_alloc(struct arena *a, size_t size);
void *arena_calloc(struct arena *a, size_t nmemb, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t len);
void *arena_memdup(struct arena *a, const void *p, size_t size);

#endif
