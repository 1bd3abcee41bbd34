// SPDX-License-Identifier: GPL-2.0-only
#include "vec.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int vec_grow_raw(void **data, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap + *cap / 4;
	if (ncap < 16)
		ncap = 16;
	if (ncap < need)
		ncap = need;
	if (elem && ncap > SIZE_MAX / elem)
		return -ENOMEM;
	p = realloc(*data, ncap * elem);
	if (!p)
		return -ENOMEM;
	*data = p;
	*cap = ncap;
	return 0;
}
