// SPDX-License-Identifier: GPL-2.0-only
/*
 * bdiff_text: the human text of a diff (bdiff_render.h), as `btfenc diff`
 * prints it. An entity added or removed is one line ("+ struct foo",
 * "- func bar: int (void *)"); each change of a whole entity is one line
 * ("~ struct foo: size 16 -> 24", "~ func baz: param 2: int -> long");
 * members and enumerators come indented under their entity
 * ("  + member c: int @ offset 8", "  ~ X = 1 -> 2").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bdiff_render.h"

#define BDIFF_SGR_RED "\033[31m"
#define BDIFF_SGR_GREEN "\033[32m"
#define BDIFF_SGR_YELLOW "\033[33m"
#define BDIFF_SGR_RESET "\033[0m"

static bool same_entity(const struct bdiff_change *a, const struct bdiff_change *b)
{
	return a->entity == b->entity && !strcmp(a->name, b->name);
}

void bdiff_summarize(const struct bdiff *d, struct bdiff_summary *s)
{
	const struct bdiff_change *c, *prev = NULL;
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; (c = bdiff__change(d, i)); prev = c, i++) {
		if (prev && same_entity(prev, c))
			continue;
		if (c->field == BDIFF_F_ENTITY && c->op == BDIFF_ADDED)
			s->added++;
		else if (c->field == BDIFF_F_ENTITY && c->op == BDIFF_REMOVED)
			s->removed++;
		else
			s->changed++;
	}
}

static bool is_sub(const struct bdiff_change *c)
{
	switch (c->field) {
	case BDIFF_F_MEMBER:
	case BDIFF_F_MEMBER_TYPE:
	case BDIFF_F_MEMBER_OFFSET:
	case BDIFF_F_MEMBER_BITS:
	case BDIFF_F_ENUMERATOR:
	case BDIFF_F_ENUM_VALUE:
		return true;
	default:
		return false;
	}
}

static char op_char(enum bdiff_op op)
{
	return op == BDIFF_ADDED ? '+' : op == BDIFF_REMOVED ? '-' : '~';
}

static const char *op_color(enum bdiff_op op)
{
	return op == BDIFF_ADDED ? BDIFF_SGR_GREEN : op == BDIFF_REMOVED ? BDIFF_SGR_RED :
	       BDIFF_SGR_YELLOW;
}

/* "8", or "8:3" (byte 8, bit 3) for a bit offset. */
static void fmt_offset(char *buf, size_t len, uint64_t bits)
{
	if (bits % 8)
		snprintf(buf, len, "%" PRIu64 ":%" PRIu64, bits / 8, bits % 8);
	else
		snprintf(buf, len, "%" PRIu64, bits / 8);
}

static void fmt_offset_str(char *buf, size_t len, const char *bits)
{
	fmt_offset(buf, len, strtoull(bits, NULL, 10));
}

static void print_entity(const struct bdiff_change *c, FILE *out)
{
	fprintf(out, "%s %s", bdiff_entity_name(c->entity),
		*c->name ? c->name : "(anonymous)");
}

/* The text after "~ struct foo: " for a change of the whole entity. */
static void print_whole(const struct bdiff_change *c, FILE *out)
{
	const char *ov = c->old_val ? c->old_val : "", *nv = c->new_val ? c->new_val : "";

	switch (c->field) {
	case BDIFF_F_DEFS: fprintf(out, "definitions %s -> %s", ov, nv); break;
	case BDIFF_F_DECL: fprintf(out, "%s -> %s", ov, nv); break;
	case BDIFF_F_SIZE: fprintf(out, "size %s -> %s", ov, nv); break;
	case BDIFF_F_TARGET: fprintf(out, "%s -> %s", ov, nv); break;
	case BDIFF_F_LINKAGE: fprintf(out, "linkage %s -> %s", ov, nv); break;
	case BDIFF_F_ENCODING: fprintf(out, "encoding %s -> %s", ov, nv); break;
	case BDIFF_F_BITS: fprintf(out, "bits %s -> %s", ov, nv); break;
	case BDIFF_F_RETURN: fprintf(out, "return: %s -> %s", ov, nv); break;
	case BDIFF_F_NR_PARAMS: fprintf(out, "params %s -> %s", ov, nv); break;
	case BDIFF_F_PARAM: fprintf(out, "param %s: %s -> %s", c->item, ov, nv); break;
	case BDIFF_F_TAGS: fprintf(out, "tags: %s -> %s", *ov ? ov : "(none)", *nv ? nv : "(none)"); break;
	case BDIFF_F_PLACE: fprintf(out, "section %s -> %s", *ov ? ov : "(none)", *nv ? nv : "(none)"); break;
	default: fprintf(out, "changed"); break;
	}
}

static void print_member_type(const char *type, uint32_t bits, FILE *out)
{
	if (bits)
		fprintf(out, "%s:%" PRIu32, type, bits);
	else
		fprintf(out, "%s", type);
}

static void print_sub(const struct bdiff_change *c, FILE *out)
{
	char ob[48], nb[48];

	switch (c->field) {
	case BDIFF_F_MEMBER:
		fprintf(out, "member %s: ", c->item);
		print_member_type(c->op == BDIFF_ADDED ? c->new_val : c->old_val,
				  c->bitfield_size, out);
		fmt_offset(ob, sizeof(ob), c->bit_offset);
		fprintf(out, " @ offset %s", ob);
		break;
	case BDIFF_F_MEMBER_TYPE:
		fprintf(out, "member %s: %s -> %s", c->item, c->old_val, c->new_val);
		break;
	case BDIFF_F_MEMBER_OFFSET:
		fmt_offset_str(ob, sizeof(ob), c->old_val);
		fmt_offset_str(nb, sizeof(nb), c->new_val);
		fprintf(out, "member %s: offset %s -> %s", c->item, ob, nb);
		break;
	case BDIFF_F_MEMBER_BITS:
		fprintf(out, "member %s: bits %s -> %s", c->item, c->old_val, c->new_val);
		break;
	case BDIFF_F_ENUMERATOR:
		fprintf(out, "%s = %s", c->item, c->op == BDIFF_ADDED ? c->new_val : c->old_val);
		break;
	default:	/* BDIFF_F_ENUM_VALUE */
		fprintf(out, "%s = %s -> %s", c->item, c->old_val, c->new_val);
		break;
	}
}

static void line_start(bool color, enum bdiff_op op, const char *indent, FILE *out)
{
	if (color)
		fputs(op_color(op), out);
	fprintf(out, "%s%c ", indent, op_char(op));
}

static void line_end(bool color, FILE *out)
{
	if (color)
		fputs(BDIFF_SGR_RESET, out);
}

void bdiff_render_line(const struct bdiff_change *c, bool color, FILE *out)
{
	if (is_sub(c)) {
		line_start(color, c->op, "  ", out);
		print_sub(c, out);
	} else {
		line_start(color, c->op, "", out);
		print_entity(c, out);
		if (c->field != BDIFF_F_ENTITY || c->op == BDIFF_CHANGED) {
			fputs(": ", out);
			print_whole(c, out);
		} else if (c->old_val || c->new_val) {
			fprintf(out, ": %s", c->old_val ? c->old_val : c->new_val);
		}
	}
	line_end(color, out);
}

int bdiff_render_text(const struct bdiff *d, bool color, FILE *out)
{
	const struct bdiff_change *c, *prev = NULL;
	struct bdiff_summary s;
	bool headed = false;
	size_t i;

	for (i = 0; (c = bdiff__change(d, i)); prev = c, i++) {
		if (!prev || !same_entity(prev, c))
			headed = false;
		if (is_sub(c) && !headed) {
			line_start(color, BDIFF_CHANGED, "", out);
			print_entity(c, out);
			line_end(color, out);
			fputc('\n', out);
		}
		headed = true;
		bdiff_render_line(c, color, out);
		fputc('\n', out);
	}
	bdiff_summarize(d, &s);
	fprintf(out, "%zu added, %zu removed, %zu changed\n", s.added, s.removed, s.changed);
	return ferror(out) ? -EIO : 0;
}
