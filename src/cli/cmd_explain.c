// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfenc explain [--json [--pretty]] [encoding options] NAME FILE
 *
 * Encodes FILE's DWARF in memory, with the same options -J would take
 * (--btf_features, --btf_base, --lang_exclude, ...), and says what became
 * of the function or variable NAME: the records --explain=FILE.json would
 * hold for it (reason in the encoder's fixed vocabulary, with detail), or
 * "encoded as FUNC NAME: <prototype>" / "encoded as VAR NAME: <type>",
 * spelled as pahole spells types (src/print/type_name.c). Exit 0 when NAME
 * is in FILE's DWARF (encoded or not), 1 when it is not (or on an error),
 * 2 on usage errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_encoder/btf_encoder.h"
#include "btf_loader/btf_loader.h"
#include "cli.h"
#include "explain.h"
#include "json_out.h"
#include "print/type_name.h"

/* What BTF says about the name: "FUNC" / "VAR" and a spelling into b. */
static const char *explain_encoded(const struct ir_cu *cu, const char *name, struct tn_buf *b)
{
	size_t i;

	for (i = 0; i < cu->funcs.len; i++) {
		const struct ir_func *f = &cu->funcs.v[i];

		if (f->name && !strcmp(f->name, name)) {
			tn_append_ftype(b, cu, f->proto, f->name, false, 0, false);
			return "FUNC";
		}
	}
	for (i = 0; i < cu->vars.len; i++) {
		const struct ir_var *v = &cu->vars.v[i];

		if (v->name && !strcmp(v->name, name)) {
			tn_append_name(b, cu, v->type);
			tn_printf(b, " %s", v->name);
			if (v->section)
				tn_printf(b, " (%s+0x%" PRIx64 ")", v->section, v->section_offset);
			return "VAR";
		}
	}
	return NULL;
}

static void explain_print(const struct cli_opts *o, const struct cli_explain *ex,
			  const char *kind, const char *spelled, bool in_dwarf)
{
	const char *name = o->explain_name;
	bool any = false;
	size_t i;

	for (i = 0; i < ex->recs.len; i++) {
		const struct cli_explain_rec *r = &ex->recs.v[i];

		if (strcmp(r->name, name))
			continue;
		any = true;
		printf("%s %s: not encoded: %s", cli_explain_kind_str(r->kind), name,
		       btfe_skip_reason_str(r->reason));
		if (*r->detail)
			printf(": %s", r->detail);
		if (r->addr)
			printf(" (at 0x%" PRIx64 ")", r->addr);
		printf("\n");
	}
	if (kind)
		printf("encoded as %s %s: %s\n", kind, name, spelled);
	else if (!any && in_dwarf)
		printf("%s: in %s's DWARF only as a declaration or without static storage: "
		       "nothing to encode\n", name, o->file);
	else if (!any)
		printf("%s: not in %s's DWARF\n", name, o->file);
}

static void explain_print_json(const struct cli_opts *o, const struct cli_explain *ex,
			       const char *kind, const char *spelled, bool in_dwarf)
{
	struct json_out j;
	size_t i;

	jo_init(&j, stdout, o->pretty);
	jo_open(&j, '{');
	jo_kstr(&j, "file", o->file);
	jo_kstr(&j, "name", o->explain_name);
	jo_key(&j, "in_dwarf");
	jo_bool(&j, in_dwarf);
	jo_key(&j, "encoded");
	if (kind) {
		jo_open(&j, '{');
		jo_kstr(&j, "kind", kind);
		jo_kstr(&j, "type", spelled);
		jo_close(&j, '}');
	} else {
		jo_str(&j, NULL);
	}
	jo_key(&j, "records");
	jo_open(&j, '[');
	for (i = 0; i < ex->recs.len; i++)
		if (!strcmp(ex->recs.v[i].name, o->explain_name))
			explain_json_record(&j, &ex->recs.v[i]);
	jo_close(&j, ']');
	jo_close(&j, '}');
	jo_end(&j);
}

int cmd_explain(const struct cli_opts *o)
{
	struct cli_explain ex = { .want = o->explain_name };
	struct bfmt_btf *base = NULL, *btf = NULL;
	struct btfl_opts bo;
	struct ir_cu *cu = NULL;
	const char *kind = NULL;
	struct cli_diag cd;
	struct tn_buf b;
	bool big_endian = false, in_dwarf = false;
	int err = 0;

	cli_diag_init(&cd, o->prog, o->verbose);
	bo = (struct btfl_opts){ .diag = &cd.diag };
	tn_buf_init(&b);
	if (o->btf_base)
		err = btfl_load_file(o->btf_base, NULL, &bo, &base);
	if (!err)
		err = cli_encode_btf_explain(o, o->file, &cd, base, &btf, &big_endian, &ex);
	if (!err)
		err = btfl_to_ir(btf, &bo, &cu);
	if (!err) {
		kind = explain_encoded(cu, o->explain_name, &b);
		if (b.oom)
			err = -ENOMEM;
	}
	if (!err) {
		in_dwarf = ex.want_func || ex.want_var || kind;
		if (o->json)
			explain_print_json(o, &ex, kind, tn_buf_str(&b), in_dwarf);
		else
			explain_print(o, &ex, kind, tn_buf_str(&b), in_dwarf);
		if (fflush(stdout))
			err = -EIO;
	}
	tn_buf_deinit(&b);
	ir_cu__free(cu);
	cli_explain_deinit(&ex);
	bfmt_btf__free(btf);
	bfmt_btf__free(base);
	if (err)
		return cli_fail(&cd, o->file, err);
	return in_dwarf ? EXIT_OK : EXIT_FAIL;
}
