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

typedef void (*par_fn)(void *ctx, size_t begin, size_t end);

/*
 * Call fn on the nr_parts slices [begin, end) of [0, n), as equal as can
 * be, each on its own thread (the caller runs the first); nr_parts <= 1 or
 * a range shorter than min_per_part per part runs fn(ctx, 0, n) here.
 */
void par_for(size_t n, unsigned nr_parts, size_t min_per_part, par_fn fn, void *ctx);

#endif
