/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * color: --color=auto|always|never for the commands that colour their
 * output (diff, and the layouts). auto colours when the stream is a
 * terminal, TERM is set and not "dumb", and NO_COLOR is unset or empty
 * (https://no-color.org); always and never do what they say.
 *
 * Owns:       nothing; reads the environment and the stream's descriptor.
 * Threads:    any.
 */
#ifndef BTFENC_CLI_COLOR_H
#define BTFENC_CLI_COLOR_H

#include <stdbool.h>
#include <stdio.h>

enum cli_color_mode {
	CLI_COLOR_AUTO,		/* the default (struct cli_opts zeroed) */
	CLI_COLOR_ALWAYS,
	CLI_COLOR_NEVER,
};

/* SGR sequences the commands use. */
#define CLI_SGR_RED "\033[31m"
#define CLI_SGR_GREEN "\033[32m"
#define CLI_SGR_YELLOW "\033[33m"
#define CLI_SGR_BOLD "\033[1m"
#define CLI_SGR_CYAN "\033[36m"
#define CLI_SGR_RESET "\033[0m"

/* "auto", "always", "never"; NULL (a bare --color) means always.
 * Returns 0 or -EINVAL. */
int cli_color_parse(const char *arg, enum cli_color_mode *ret);

/* Should output to out be coloured? */
bool cli_color_use(enum cli_color_mode mode, FILE *out);

#endif
