// SPDX-License-Identifier: GPL-2.0-only
/* --color: parsing the argument and deciding for auto (see color.h). */
#include "color.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_color_parse(const char *arg, enum cli_color_mode *ret)
{
	if (!arg || !strcmp(arg, "always"))
		*ret = CLI_COLOR_ALWAYS;
	else if (!strcmp(arg, "auto"))
		*ret = CLI_COLOR_AUTO;
	else if (!strcmp(arg, "never"))
		*ret = CLI_COLOR_NEVER;
	else
		return -EINVAL;
	return 0;
}

bool cli_color_use(enum cli_color_mode mode, FILE *out)
{
	const char *term, *no_color;

	if (mode != CLI_COLOR_AUTO)
		return mode == CLI_COLOR_ALWAYS;
	no_color = getenv("NO_COLOR");
	if (no_color && *no_color)
		return false;
	term = getenv("TERM");
	if (!term || !*term || !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(out)) == 1;
}
