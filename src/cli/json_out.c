// SPDX-License-Identifier: GPL-2.0-only
/* The commands' JSON writer (json_out.h). */
#include "json_out.h"

#include <inttypes.h>

void jo_init(struct json_out *j, FILE *f, bool pretty)
{
	*j = (struct json_out){ .f = f, .pretty = pretty };
}

static void jo_newline(struct json_out *j)
{
	int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Before any value or key: a comma and a line break as needed. */
static void jo_item(struct json_out *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0 && j->depth <= JO_MAX_DEPTH) {
		if (j->has_items[j->depth - 1])
			fputc(',', j->f);
		j->has_items[j->depth - 1] = true;
		jo_newline(j);
	}
}

void jo_open(struct json_out *j, char bracket)
{
	jo_item(j);
	fputc(bracket, j->f);
	if (j->depth < JO_MAX_DEPTH)
		j->has_items[j->depth] = false;
	j->depth++;
}

void jo_close(struct json_out *j, char bracket)
{
	bool had = j->depth > 0 && j->depth <= JO_MAX_DEPTH && j->has_items[j->depth - 1];

	j->depth--;
	if (had)
		jo_newline(j);
	fputc(bracket, j->f);
}

static void jo_quoted(struct json_out *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', j->f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(j->f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", j->f);
		else if (*p == '\t')
			fputs("\\t", j->f);
		else if (*p < 0x20)
			fprintf(j->f, "\\u%04x", *p);
		else
			fputc(*p, j->f);
	}
	fputc('"', j->f);
}

void jo_key(struct json_out *j, const char *key)
{
	jo_item(j);
	jo_quoted(j, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void jo_str(struct json_out *j, const char *s)
{
	jo_item(j);
	if (s)
		jo_quoted(j, s);
	else
		fputs("null", j->f);
}

void jo_u64(struct json_out *j, uint64_t v)
{
	jo_item(j);
	fprintf(j->f, "%" PRIu64, v);
}

void jo_bool(struct json_out *j, bool v)
{
	jo_item(j);
	fputs(v ? "true" : "false", j->f);
}

void jo_kstr(struct json_out *j, const char *key, const char *s)
{
	jo_key(j, key);
	jo_str(j, s);
}

void jo_ku64(struct json_out *j, const char *key, uint64_t v)
{
	jo_key(j, key);
	jo_u64(j, v);
}

void jo_end(struct json_out *j)
{
	fputc('\n', j->f);
}
