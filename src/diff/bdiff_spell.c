// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spelling a BTF type as a C abstract declarator, the way btfenc diff names
 * the type of a member, parameter, variable or typedef target. Named types
 * stop the walk ("struct sk_buff"), so the spelling depends only on names:
 * a change inside a named type never changes how others spell it.
 *
 * The declarator is built inside out: a pointer puts "*" before what is
 * already there (in parentheses when it points to an array or a function),
 * an array or function puts "[n]" or "(params)" after it, and the base type
 * comes first: "int (*)[4]", "char *const", "void (*)(int, ...)".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bdiff_int.h"

const char *bdiff_name(const struct bfmt_btf *btf, const struct bfmt_type *t)
{
	const char *s = t ? bfmt_btf__str(btf, t->name_off) : NULL;

	return s ? s : "";
}

bool bdiff_is_anon_aggr(const struct bfmt_btf *btf, uint32_t id)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);
	enum bfmt_kind k;

	if (!t)
		return false;
	k = bfmt_kind(t);
	return (k == BFMT_KIND_STRUCT || k == BFMT_KIND_UNION) && !*bdiff_name(btf, t);
}

/* One spelling: the table, and the type visits it has made. A type is
 * spelled as a tree, and crafted BTF can make that tree exponential
 * (function types whose parameters point to function types, cycles
 * through pointers): past BDIFF_MAX_STEPS visits, or a declarator longer
 * than BDIFF_MAX_SPELL, every type still to spell is "..." and no more
 * types are visited. */
struct spell {
	const struct bfmt_btf *btf;
	uint32_t steps;
	bool cut;
};

static void spell_decl(struct spell *s, uint32_t id, const char *decl,
		       int depth, struct tn_buf *out);

/* base + declarator: "int *", "int[4]", "int" */
static void spell_base(struct tn_buf *out, const char *base, const char *decl)
{
	if (!*decl)
		tn_printf(out, "%s", base);
	else if (decl[0] == '[')
		tn_printf(out, "%s%s", base, decl);
	else
		tn_printf(out, "%s %s", base, decl);
}

static void spell_named(const struct bfmt_btf *btf, const struct bfmt_type *t,
			const char *decl, struct tn_buf *out)
{
	const char *name = bdiff_name(btf, t);
	const char *word = NULL;
	char buf[512];

	switch (bfmt_kind(t)) {
	case BFMT_KIND_STRUCT: word = "struct"; break;
	case BFMT_KIND_UNION: word = "union"; break;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64: word = "enum"; break;
	case BFMT_KIND_FWD: word = bfmt_kflag(t) ? "union" : "struct"; break;
	default: break;
	}
	if (word && *name)
		snprintf(buf, sizeof(buf), "%s %s", word, name);
	else if (word)
		snprintf(buf, sizeof(buf), "%s {...}", word);
	else
		snprintf(buf, sizeof(buf), "%s", *name ? name : "<anon>");
	spell_base(out, buf, decl);
}

/* The kind id stands for once qualifiers and tags are skipped. */
static enum bfmt_kind spell_resolved_kind(const struct bfmt_btf *btf, uint32_t id)
{
	int depth;

	for (depth = 0; depth < BDIFF_MAX_DEPTH; depth++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);
		enum bfmt_kind k;

		if (!t)
			return BFMT_KIND_UNKN;
		k = bfmt_kind(t);
		if (k != BFMT_KIND_CONST && k != BFMT_KIND_VOLATILE &&
		    k != BFMT_KIND_RESTRICT && k != BFMT_KIND_TYPE_TAG)
			return k;
		id = t->size_type;
	}
	return BFMT_KIND_UNKN;
}

static void spell_qual(struct spell *s, const struct bfmt_type *t,
		       const char *decl, int depth, struct tn_buf *out)
{
	const struct bfmt_btf *btf = s->btf;
	char word[320];
	struct tn_buf nd;

	switch (bfmt_kind(t)) {
	case BFMT_KIND_CONST: snprintf(word, sizeof(word), "const"); break;
	case BFMT_KIND_VOLATILE: snprintf(word, sizeof(word), "volatile"); break;
	case BFMT_KIND_RESTRICT: snprintf(word, sizeof(word), "restrict"); break;
	default: snprintf(word, sizeof(word), "__tag(%s)", bdiff_name(btf, t)); break;
	}
	if (spell_resolved_kind(btf, t->size_type) != BFMT_KIND_PTR) {
		/* "const char *": the qualifier goes before the base. */
		tn_printf(out, "%s ", word);
		spell_decl(s, t->size_type, decl, depth + 1, out);
		return;
	}
	/* A qualified pointer: "char *const". */
	tn_buf_init(&nd);
	tn_printf(&nd, "%s%s%s", word, *decl ? " " : "", decl);
	spell_decl(s, t->size_type, tn_buf_str(&nd), depth + 1, out);
	out->oom |= nd.oom;
	tn_buf_deinit(&nd);
}

static void spell_proto(struct spell *s, const struct bfmt_type *t,
			const char *decl, int depth, struct tn_buf *out)
{
	const struct bfmt_param *p = bfmt_type_extra(t);
	uint32_t i, n = bfmt_vlen(t);
	struct tn_buf nd;

	tn_buf_init(&nd);
	tn_printf(&nd, "%s(", decl);
	if (!n)
		tn_printf(&nd, "void");
	for (i = 0; i < n; i++) {
		if (nd.len > BDIFF_MAX_SPELL) {
			tn_printf(&nd, "...");
			break;
		}
		if (i)
			tn_printf(&nd, ", ");
		if (i == n - 1 && !p[i].type && !p[i].name_off)
			tn_printf(&nd, "...");
		else
			spell_decl(s, p[i].type, "", depth + 1, &nd);
	}
	tn_printf(&nd, ")");
	spell_decl(s, t->size_type, tn_buf_str(&nd), depth + 1, out);
	out->oom |= nd.oom;
	tn_buf_deinit(&nd);
}

static void spell_decl(struct spell *s, uint32_t id, const char *decl,
		       int depth, struct tn_buf *out)
{
	const struct bfmt_btf *btf = s->btf;
	const struct bfmt_type *t;
	struct tn_buf nd;
	enum bfmt_kind k;

	if (out->len > BDIFF_MAX_SPELL)
		return;
	if (s->cut || ++s->steps > BDIFF_MAX_STEPS || strlen(decl) > BDIFF_MAX_SPELL) {
		s->cut = true;
		spell_base(out, "...", decl);	/* what is spelled so far stays */
		return;
	}
	if (!id) {
		spell_base(out, "void", decl);
		return;
	}
	t = bfmt_btf__type(btf, id);
	if (!t) {
		spell_base(out, "<bad type>", decl);
		return;
	}
	if (depth > BDIFF_MAX_DEPTH) {	/* a cycle without a name in it */
		tn_printf(out, "<loop>");
		return;
	}
	tn_buf_init(&nd);
	switch ((k = bfmt_kind(t))) {
	case BFMT_KIND_PTR:
		k = spell_resolved_kind(btf, t->size_type);
		if (k == BFMT_KIND_ARRAY || k == BFMT_KIND_FUNC_PROTO)
			tn_printf(&nd, "(*%s)", decl);
		else
			tn_printf(&nd, "*%s", decl);
		spell_decl(s, t->size_type, tn_buf_str(&nd), depth + 1, out);
		break;
	case BFMT_KIND_ARRAY: {
		const struct bfmt_array *a = bfmt_type_extra(t);

		tn_printf(&nd, "%s[%" PRIu32 "]", decl, a->nelems);
		spell_decl(s, a->type, tn_buf_str(&nd), depth + 1, out);
		break;
	}
	case BFMT_KIND_CONST:
	case BFMT_KIND_VOLATILE:
	case BFMT_KIND_RESTRICT:
	case BFMT_KIND_TYPE_TAG:
		spell_qual(s, t, decl, depth, out);
		break;
	case BFMT_KIND_FUNC_PROTO:
		spell_proto(s, t, decl, depth, out);
		break;
	default:
		spell_named(btf, t, decl, out);
		break;
	}
	out->oom |= nd.oom;
	tn_buf_deinit(&nd);
}

void bdiff_spell(const struct bfmt_btf *btf, uint32_t id, struct tn_buf *out)
{
	struct spell s = { .btf = btf };

	spell_decl(&s, id, "", 0, out);
}
