/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json_out: a small streaming JSON writer for the commands' --json output
 * (explain, verify, --explain=FILE). Compact (one line) by default; with
 * pretty, indented by two spaces. Strings are escaped as RFC 8259 asks
 * (", \, control characters as \uXXXX). Keys are written in the order the
 * caller gives them, so output is deterministic.
 *
 * Owns:    nothing; borrows the FILE.
 * Errors:  write errors stay in the FILE (check ferror/fflush after).
 * Limits:  nesting at most JO_MAX_DEPTH deep (deeper opens are ignored).
 */
#ifndef BTFENC_CLI_JSON_OUT_H
#define BTFENC_CLI_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JO_MAX_DEPTH 16

struct json_out {
	FILE *f;
	bool pretty;
	int depth;
	bool has_items[JO_MAX_DEPTH];	/* per level: an item was written */
	bool after_key;			/* the next value follows a key */
};

void jo_init(struct json_out *j, FILE *f, bool pretty);
void jo_open(struct json_out *j, char bracket);		/* '{' or '[' */
void jo_close(struct json_out *j, char bracket);	/* '}' or ']' */
void jo_key(struct json_out *j, const char *key);
void jo_str(struct json_out *j, const char *s);		/* NULL: null */
void jo_u64(struct json_out *j, uint64_t v);
void jo_bool(struct json_out *j, bool v);
/* Shorthands for "key": value. */
void jo_kstr(struct json_out *j, const char *key, const char *s);
void jo_ku64(struct json_out *j, const char *key, uint64_t v);
/* End the document (a newline). */
void jo_end(struct json_out *j);

#endif
