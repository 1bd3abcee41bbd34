// SPDX-License-Identifier: GPL-2.0-only
/* Gathering the explain records while encoding (explain.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_encoder/btf_encoder.h"
#include "explain.h"
#include "util/strset.h"
#include "util/vec.h"

void cli_explain_deinit(struct cli_explain *ex)
{
	size_t i;

	for (i = 0; i < ex->recs.len; i++) {
		free(ex->recs.v[i].name);
		free(ex->recs.v[i].detail);
	}
	vec_free(&ex->recs);
}

static int explain_add(struct cli_explain *ex, uint8_t kind, uint8_t reason, const char *name,
		       const char *detail, uint64_t addr)
{
	struct cli_explain_rec *r;

	if (vec_push(&ex->recs))
		return -ENOMEM;
	r = vec_last(&ex->recs);
	r->kind = kind;
	r->reason = reason;
	r->addr = addr;
	r->name = strdup(name);
	r->detail = strdup(detail ? detail : "");
	return r->name && r->detail ? 0 : -ENOMEM;
}

static const char *explain_lang_name(uint8_t lang)
{
	switch (lang) {
	case IR_LANG_C: return "C";
	case IR_LANG_CXX: return "C++";
	case IR_LANG_RUST: return "Rust";
	case IR_LANG_ASM: return "assembler";
	case IR_LANG_UNKNOWN: return "no language";
	default: return "other language";
	}
}

int explain_note_cu(struct cli_explain *ex, const struct ir_cu *cu, bool excluded)
{
	const char *lang = explain_lang_name(cu->lang);
	size_t i;
	int err = 0;

	for (i = 0; i < cu->funcs.len && !err; i++) {
		const struct ir_func *f = &cu->funcs.v[i];

		if (!f->name)
			continue;
		if (ex->want && !strcmp(ex->want, f->name))
			ex->want_func = true;
		if (excluded && !(f->flags & IR_FF_DECLARATION))
			err = explain_add(ex, BTFE_SKIP_FUNC, BTFE_SKIP_LANGUAGE, f->name, lang,
					  (f->flags & IR_FF_HAS_ADDR) ? f->low_pc : 0);
	}
	for (i = 0; i < cu->vars.len && !err; i++) {
		const struct ir_var *v = &cu->vars.v[i];

		if (!v->name)
			continue;
		if (ex->want && !strcmp(ex->want, v->name))
			ex->want_var = true;
		if (excluded && (v->flags & IR_VF_HAS_ADDR) &&
		    !(v->flags & IR_VF_DECLARATION))
			err = explain_add(ex, BTFE_SKIP_VAR, BTFE_SKIP_LANGUAGE, v->name, lang,
					  v->section_offset);
	}
	return err;
}

static int explain_cmp(const void *pa, const void *pb)
{
	const struct cli_explain_rec *a = pa, *b = pb;
	int c = (int)a->kind - (int)b->kind;

	if (!c)
		c = strcmp(a->name, b->name);
	if (!c)
		c = a->addr < b->addr ? -1 : a->addr > b->addr;
	if (!c)
		c = (int)a->reason - (int)b->reason;
	return c ? c : strcmp(a->detail, b->detail);
}

/* The names of the BTF's FUNCs and VARs, and of the encoder's records:
 * "f:NAME" / "v:NAME". */
static int explain_decided(const struct bfmt_btf *btf, const struct btfe_skip *s, size_t n,
			   struct strset *set)
{
	char buf[4096];
	uint32_t id, off;
	size_t i;

	for (id = btf->start_id; id < bfmt_btf__nr_types(btf); id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);
		enum bfmt_kind k = bfmt_kind(t);
		const char *name;

		if (k != BFMT_KIND_FUNC && k != BFMT_KIND_VAR)
			continue;
		name = bfmt_btf__str(btf, t->name_off);
		snprintf(buf, sizeof(buf), "%c:%s", k == BFMT_KIND_FUNC ? 'f' : 'v',
			 name ? name : "");
		if (strset_add(set, buf, &off))
			return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%c:%s", s[i].kind == BTFE_SKIP_VAR ? 'v' : 'f',
			 s[i].name);
		if (strset_add(set, buf, &off))
			return -ENOMEM;
	}
	return 0;
}

int explain_take_skips(struct cli_explain *ex, struct btfe_encoder *enc)
{
	const struct btfe_skip *s;
	struct strset decided;
	size_t n, i, nr_lang = ex->recs.len, out = 0;
	char buf[4096];
	uint32_t off;
	int err;

	btfe_encoder__skipped(enc, &s, &n);
	if (strset_init(&decided))
		return -ENOMEM;
	err = explain_decided(btfe_encoder__btf(enc), s, n, &decided);
	/* The language records first: drop those the encoder decided. */
	for (i = 0; i < nr_lang; i++) {
		struct cli_explain_rec *r = &ex->recs.v[i];

		snprintf(buf, sizeof(buf), "%c:%s", r->kind == BTFE_SKIP_VAR ? 'v' : 'f', r->name);
		if (!err && strset_find(&decided, buf, &off)) {
			ex->recs.v[out++] = *r;
			continue;
		}
		free(r->name);
		free(r->detail);
	}
	ex->recs.len = out;
	strset_deinit(&decided);
	for (i = 0; i < n && !err; i++)
		err = explain_add(ex, s[i].kind, s[i].reason, s[i].name, s[i].detail, s[i].addr);
	if (err)
		return err;
	if (ex->recs.len)
		qsort(ex->recs.v, ex->recs.len, sizeof(*ex->recs.v), explain_cmp);
	for (i = 0, out = 0; i < ex->recs.len; i++) {
		struct cli_explain_rec *r = &ex->recs.v[i];

		if (out && !explain_cmp(&ex->recs.v[out - 1], r)) {
			free(r->name);
			free(r->detail);
			continue;
		}
		ex->recs.v[out++] = *r;
	}
	ex->recs.len = out;
	return 0;
}
