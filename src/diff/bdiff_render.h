/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bdiff_render: the records of a struct bdiff (btf_diff.h) as the text and
 * the JSON `btfenc diff` prints, shared by the command (src/cli/cmd_diff.c)
 * and the library (btfenc_diff(), src/api/api_diff.c).
 *
 * Owns:       nothing. Borrows: the diff and the stream, during a call.
 * Threads:    any; no global state.
 * Errors:     the renderers write to out only and return 0 or -EIO (out's
 *             error flag set).
 * Guarantees: the output depends only on the records and the arguments.
 */
#ifndef BTFENC_DIFF_BDIFF_RENDER_H
#define BTFENC_DIFF_BDIFF_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "btf_diff.h"

/* What the summary line counts: entities added, removed and changed. */
struct bdiff_summary {
	size_t added, removed, changed;
};

void bdiff_summarize(const struct bdiff *d, struct bdiff_summary *s);

/*
 * One record's line, without the newline: an entity added or removed
 * ("+ struct foo: 16", "- func bar: int (void *)"), a change of a whole
 * entity ("~ struct foo: size 16 -> 24"), or, indented by two spaces, a
 * member or enumerator ("  + member c: int @ offset 8", "  ~ X = 1 -> 2").
 * With color, the line is wrapped in SGR sequences (green, red, yellow).
 */
void bdiff_render_line(const struct bdiff_change *c, bool color, FILE *out);

/*
 * The whole text: every record's line in order, with a "~ struct foo"
 * heading before the indented lines of an entity that has no line of its
 * own, then "N added, N removed, N changed".
 */
int bdiff_render_text(const struct bdiff *d, bool color, FILE *out);

/*
 * The JSON object (bdiff_json.c says its shape); old and new name the two
 * sides ("old"/"new" keys, left out when NULL); pretty: indented.
 */
int bdiff_render_json(const struct bdiff *d, const char *old, const char *new, bool pretty,
		      FILE *out);

#endif
