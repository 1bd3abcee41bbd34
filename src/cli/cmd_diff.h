/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmd_diff: btfenc diff's renderers of a struct bdiff (src/diff): the human
 * text (cmd_diff.c) and JSON (cmd_diff_json.c). Both write to out only and
 * return 0 or -EIO.
 */
#ifndef BTFENC_CLI_CMD_DIFF_H
#define BTFENC_CLI_CMD_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "diff/btf_diff.h"

/* What the summary line counts: entities added, removed and changed. */
struct cmd_diff_summary {
	size_t added, removed, changed;
};

void cmd_diff_summarize(const struct bdiff *d, struct cmd_diff_summary *s);

int cmd_diff_text(const struct bdiff *d, bool color, FILE *out);
int cmd_diff_json(const struct bdiff *d, const char *old, const char *new, bool pretty,
		  FILE *out);

#endif
