// SPDX-License-Identifier: GPL-2.0-only
/* par: parallel slices of a range (see par.h). */
#include "par.h"

#include <pthread.h>

struct par_slice {
	par_fn fn;
	void *ctx;
	unsigned part;
	size_t begin, end;
};

static void *par_thread(void *arg)
{
	struct par_slice *s = arg;

	s->fn(s->ctx, s->part, s->begin, s->end);
	return NULL;
}

unsigned par_for(size_t n, unsigned nr_parts, size_t min_per_part, par_fn fn, void *ctx)
{
	struct par_slice slice[PAR_MAX];
	pthread_t tid[PAR_MAX];
	int started[PAR_MAX];
	unsigned p;

	if (nr_parts > PAR_MAX)
		nr_parts = PAR_MAX;
	if (min_per_part && n / min_per_part < nr_parts)
		nr_parts = (unsigned)(n / min_per_part);
	if (nr_parts <= 1) {
		fn(ctx, 0, 0, n);
		return 1;
	}
	for (p = 0; p < nr_parts; p++)
		slice[p] = (struct par_slice){ fn, ctx, p, n * p / nr_parts,
					       n * (p + 1) / nr_parts };
	for (p = 1; p < nr_parts; p++)
		started[p] = !pthread_create(&tid[p], NULL, par_thread, &slice[p]);
	fn(ctx, 0, slice[0].begin, slice[0].end);
	for (p = 1; p < nr_parts; p++) {
		if (started[p])
			pthread_join(tid[p], NULL);
		else
			fn(ctx, p, slice[p].begin, slice[p].end);
	}
	return nr_parts;
}
