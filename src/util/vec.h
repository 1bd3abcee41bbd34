/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vec: growable arrays with overflow-checked growth.
 *
 * Owns:       the element buffer (freed with free()).
 * Threads:    none.
 * Errors:     vec_reserve() and vec_push() return 0 or -ENOMEM; on failure the array is
 *             unchanged.
 * Invariants: cap >= len; elements [0, len) are initialised by the user.
 *             Growth is by at least 25% with a minimum of 16 elements, so
 *             appends are amortised O(1). Pointers into the array are
 *             invalidated by any growth.
 *
 * Use:  struct { struct foo *v; size_t len, cap; } arr = {0};
 *       if (vec_push(&arr)) return -ENOMEM; arr.v[arr.len - 1] = x;
 */
#ifndef BTFENC_UTIL_VEC_H
#define BTFENC_UTIL_VEC_H

#include <stddef.h>

/* Make room for at least 'need' elements of 'elem' bytes in *data. */
int vec_grow_raw(void **data, size_t *cap, size_t need, size_t elem);

/* Room already (nearly always): no call. The loader and the encoder push
 * tens of millions of elements. */
static inline int vec_grow(void **data, size_t *cap, size_t need, size_t elem)
{
	return __builtin_expect(need <= *cap, 1) ? 0 : vec_grow_raw(data, cap, need, elem);
}

#define vec_reserve(vp, n)                                                   \
	vec_grow((void **)&(vp)->v, &(vp)->cap, (n), sizeof(*(vp)->v))

/* Append one zero-filled slot; returns 0 or -ENOMEM. */
#define vec_push(vp)                                                         \
	(vec_reserve((vp), (vp)->len + 1) ? -12 /* -ENOMEM */                 \
	 : (__builtin_memset(&(vp)->v[(vp)->len], 0, sizeof(*(vp)->v)),      \
	    (vp)->len++, 0))

#define vec_last(vp) (&(vp)->v[(vp)->len - 1])

#define vec_free(vp)                                                         \
	do {                                                                 \
		free((vp)->v);                                               \
		(vp)->v = NULL;                                              \
		(vp)->len = (vp)->cap = 0;                                   \
	} while (0)

#endif
