// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder; the real command line lands with the loader. */
#include <stdio.h>

int main(void)
{
	puts("btfenc " BTFENC_VERSION);
	return 0;
}
