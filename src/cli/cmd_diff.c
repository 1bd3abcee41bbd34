// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfenc diff [-F btf|dwarf] [--btf_base=B | --btf_base_old=B --btf_base_new=B]
 * [--only=types,funcs,vars] [-C NAMES] [--json [--pretty]] [--color=WHEN] OLD NEW
 *
 * Load both sides as btfenc dump does (cli_load_btf), compare them with
 * src/diff, print one line per change and a summary. Exit 0 when they are
 * equal, 1 when they differ, 2 on any error (one line on stderr).
 *
 * The text: an entity added or removed is one line ("+ struct foo",
 * "- func bar: int (void *)"); each change of a whole entity is one line
 * ("~ struct foo: size 16 -> 24", "~ func baz: param 2: int -> long");
 * members and enumerators come indented under their entity
 * ("  + member c: int @ offset 8", "  ~ X = 1 -> 2").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_diff.h"
#include "color.h"

static bool same_entity(const struct bdiff_change *a, const struct bdiff_change *b)
{
	return a->entity == b->entity && !strcmp(a->name, b->name);
}

void cmd_diff_summarize(const struct bdiff *d, struct cmd_diff_summary *s)
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
	return op == BDIFF_ADDED ? CLI_SGR_GREEN : op == BDIFF_REMOVED ? CLI_SGR_RED :
	       CLI_SGR_YELLOW;
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
		fputs(CLI_SGR_RESET, out);
	fputc('\n', out);
}

int cmd_diff_text(const struct bdiff *d, bool color, FILE *out)
{
	const struct bdiff_change *c, *prev = NULL;
	struct cmd_diff_summary s;
	bool headed = false;
	size_t i;

	for (i = 0; (c = bdiff__change(d, i)); prev = c, i++) {
		if (!prev || !same_entity(prev, c))
			headed = false;
		if (!is_sub(c)) {
			line_start(color, c->op, "", out);
			print_entity(c, out);
			if (c->field != BDIFF_F_ENTITY || c->op == BDIFF_CHANGED) {
				fputs(": ", out);
				print_whole(c, out);
			} else if (c->old_val || c->new_val) {
				fprintf(out, ": %s", c->old_val ? c->old_val : c->new_val);
			}
			line_end(color, out);
			headed = true;
			continue;
		}
		if (!headed) {
			line_start(color, BDIFF_CHANGED, "", out);
			print_entity(c, out);
			line_end(color, out);
			headed = true;
		}
		line_start(color, c->op, "  ", out);
		print_sub(c, out);
		line_end(color, out);
	}
	cmd_diff_summarize(d, &s);
	fprintf(out, "%zu added, %zu removed, %zu changed\n", s.added, s.removed, s.changed);
	return ferror(out) ? -EIO : 0;
}

/* Load one side: its own base (--btf_base_old/new) or the common one. */
static int diff_load(const struct cli_opts *o, const char *file, const char *base,
		     struct cli_diag *cd, struct bfmt_btf **base_ret, struct bfmt_btf **btf_ret)
{
	struct cli_opts so = *o;
	bool big_endian;

	if (base)
		so.btf_base = base;
	return cli_load_btf(&so, file, cd, base_ret, btf_ret, &big_endian);
}

int cmd_diff(const struct cli_opts *o)
{
	const char *old = o->files[0], *new = o->files[1];
	struct bdiff_opts dopts = { .only = o->diff_only,
				    .names = (const char *const *)o->names,
				    .nr_names = o->nr_names };
	struct bfmt_btf *obase = NULL, *obtf = NULL, *nbase = NULL, *nbtf = NULL;
	const char *failed = old;
	struct bdiff *d = NULL;
	struct cli_diag cd;
	int err;

	cli_diag_init(&cd, o->prog, o->verbose);
	err = diff_load(o, old, o->btf_base_old, &cd, &obase, &obtf);
	if (!err) {
		failed = new;
		err = diff_load(o, new, o->btf_base_new, &cd, &nbase, &nbtf);
	}
	if (!err) {
		failed = "diff";
		err = bdiff__new(obtf, nbtf, &dopts, &d);
	}
	if (!err) {
		failed = "<stdout>";
		if (o->json)
			err = cmd_diff_json(d, old, new, o->pretty, stdout);
		else
			err = cmd_diff_text(d, cli_color_use(o->color, stdout), stdout);
		if (!err && fflush(stdout))
			err = -EIO;
	}
	bfmt_btf__free(nbtf);
	bfmt_btf__free(nbase);
	bfmt_btf__free(obtf);
	bfmt_btf__free(obase);
	if (err) {
		bdiff__free(d);
		cli_fail(&cd, failed, err);
		return EXIT_USAGE;	/* diff: 2 is "error", 1 is "different" */
	}
	err = bdiff__nr_changes(d) ? EXIT_FAIL : EXIT_OK;
	bdiff__free(d);
	return err;
}
