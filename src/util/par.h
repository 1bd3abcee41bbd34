/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * par: run one function over the parts of a range on several threads.
 *
 * Owns:       the threads of one call, joined before it returns.
 * Threads:    fn runs concurrently for different parts; it must write only
 *             what its part owns. The parts are fixed by nr_parts alone, so
 *             what each part computes never depends on scheduling.
 * Errors:     none: a thread that cannot be created has its part run by the
 *             caller, with the same result.
 */
#ifndef BTFENC_UTIL_PAR_H
#define BTFENC_UTIL_PAR_H

#include <stddef.h>

typedef void (*par_fn)(void *ctx, unsigned part, size_t begin, size_t end);

/* At most this many parts (more are cut to it). */
#define PAR_MAX 64

/*
 * Call fn on the slices [begin, end) of [0, n), parts 0, 1, ... in order of
 * the range, as equal as can be, each on its own thread (the caller runs
 * part 0); returns the number of parts used: nr_parts, or fewer when a part
 * would get less than min_per_part (1: fn(ctx, 0, 0, n) here).
 */
unsigned par_for(size_t n, unsigned nr_parts, size_t min_per_part, par_fn fn, void *ctx);

#endif
