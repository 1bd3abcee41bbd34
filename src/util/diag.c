// SPDX-License-Identifier: GPL-2.0-only
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

void diag_report(const struct diag *d, enum diag_level level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!d || !d->sink || level > d->max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	d->sink(d->ctx, level, buf);
}
