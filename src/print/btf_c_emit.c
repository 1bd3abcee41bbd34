// SPDX-License-Identifier: GPL-2.0-only
/*
 * C-header printer, spelling half: a task stack that writes declarations.
 *
 * C declarators nest (a parameter of a pointer to a function returning a
 * pointer to an array of anonymous structs holding a function pointer...),
 * and the nesting depth is the input's. Instead of recursing, every piece
 * of output is a task; expanding a task (a declaration, a struct body)
 * pushes the tasks it is made of in reverse, so the stack runs them in
 * order. Memory is bounded by what is still to be printed.
 *
 * A declaration `T d` of type id with name N: the chain of PTR, ARRAY,
 * FUNC_PROTO and qualifiers from id down to the base type (INT, FLOAT,
 * struct/union/enum/typedef, void) is collected first; then the base is
 * printed (qualifiers directly on it before it, type tags after it), then
 * the declarator: the chain's left parts ("*", qualifiers of pointers,
 * "(" where a pointer applies to an array or function) from the innermost
 * entry outwards, the name, and the right parts ("[n]", "(params)", ")")
 * from the outermost entry inwards.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "btf_c_int.h"
#include "../util/vec.h"

void btfc_printf(struct btfc *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(c->out, fmt, ap) < 0)
		c->err_io = true;
	va_end(ap);
}

static int task_add(struct btfc *c, void *vp, uint8_t op, uint32_t a,
		    uint32_t b, uint32_t x, const char *s)
{
	struct { struct btfc_task *v; size_t len, cap; } *vec = vp;

	if (vec_push(vec))
		return -ENOMEM;
	vec->v[vec->len - 1] = (struct btfc_task){ .op = op, .a = a, .b = b, .x = x, .s = s };
	(void)c;
	return 0;
}

int btfc_scratch(struct btfc *c, uint8_t op, uint32_t a, uint32_t b, const char *s)
{
	return task_add(c, &c->scratch, op, a, b, 0, s);
}

static int push(struct btfc *c, uint8_t op, uint32_t a, uint32_t b, const char *s)
{
	return task_add(c, &c->tasks, op, a, b, 0, s);
}

/* Move scratch (in output order) onto the task stack, last first. */
static int flush_scratch(struct btfc *c)
{
	size_t i;

	if (vec_reserve(&c->tasks, c->tasks.len + c->scratch.len))
		return -ENOMEM;
	for (i = c->scratch.len; i-- > 0;)
		c->tasks.v[c->tasks.len++] = c->scratch.v[i];
	c->scratch.len = 0;
	return 0;
}

static void print_ident(struct btfc *c, const char *name, uint32_t dup)
{
	if (dup)
		btfc_printf(c, "%s___%" PRIu32, name, dup + 1);
	else
		btfc_printf(c, "%s", name);
}

void btfc_print_type_name(struct btfc *c, uint32_t id)
{
	const struct bfmt_type *t = btfc_type(c, id);
	uint32_t canon = c->t[id].canon ? c->t[id].canon : id;
	const char *kw = "";

	if (!t) {
		btfc_printf(c, "void");
		return;
	}
	switch (bfmt_kind(t)) {
	case BFMT_KIND_STRUCT:
		kw = "struct ";
		break;
	case BFMT_KIND_UNION:
		kw = "union ";
		break;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		kw = "enum ";
		break;
	case BFMT_KIND_FWD:
		kw = bfmt_kflag(t) ? "union " : "struct ";
		break;
	default:
		break;
	}
	btfc_printf(c, "%s", kw);
	print_ident(c, btfc_name(c, t), c->t[canon].dup);
}

/* INT and FLOAT names, with DWARF's "complex float" made C. */
static const char *scalar_name(const struct btfc *c, const struct bfmt_type *t)
{
	static const struct { const char *from, *to; } fix[] = {
		{ "complex float", "_Complex float" },
		{ "complex double", "_Complex double" },
		{ "complex long double", "_Complex long double" },
		{ "long double complex", "_Complex long double" },
		{ "double complex", "_Complex double" },
		{ "float complex", "_Complex float" },
	};
	const char *s = btfc_name(c, t);
	size_t i;

	for (i = 0; i < sizeof(fix) / sizeof(fix[0]); i++)
		if (!strcmp(s, fix[i].from))
			return fix[i].to;
	/* clang names every complex type just "complex". */
	if (!strcmp(s, "complex"))
		return t->size_type <= 8 ? "_Complex float" :
		       t->size_type <= 16 ? "_Complex double" : "_Complex long double";
	return *s ? s : "int";
}

/* An anonymous enum printed on its own is spelled as its integer type. */
static const char *enum_as_int(const struct bfmt_type *t)
{
	static const char *const s[] = { "signed char", "short", "int", "long long" };
	static const char *const u[] = { "unsigned char", "unsigned short",
					 "unsigned int", "unsigned long long" };
	uint32_t i = t->size_type == 1 ? 0 : t->size_type == 2 ? 1 :
		     t->size_type == 8 ? 3 : 2;

	return bfmt_kflag(t) ? s[i] : u[i];
}

static bool is_qual(enum bfmt_kind k)
{
	return k == BFMT_KIND_CONST || k == BFMT_KIND_VOLATILE ||
	       k == BFMT_KIND_RESTRICT || k == BFMT_KIND_TYPE_TAG;
}

static const char *qual_str(enum bfmt_kind k)
{
	return k == BFMT_KIND_CONST ? "const " :
	       k == BFMT_KIND_VOLATILE ? "volatile " :
	       k == BFMT_KIND_RESTRICT ? "restrict " : "";
}

/* Collect id's declarator chain into c->ids (pairs: id, paren flag);
 * returns the base type id (0: void, also for a cycle). */
static uint32_t collect_chain(struct btfc *c, uint32_t id)
{
	c->ids.len = 0;
	c->gen++;
	for (;;) {
		const struct bfmt_type *t = btfc_type(c, id);
		enum bfmt_kind k;

		if (!t)
			return 0;
		k = bfmt_kind(t);
		if (k != BFMT_KIND_PTR && k != BFMT_KIND_ARRAY &&
		    k != BFMT_KIND_FUNC_PROTO && !is_qual(k))
			return id;
		if (c->t[id].seen[0] == c->gen ||
		    (k == BFMT_KIND_FUNC_PROTO && c->t[id].active))
			return 0;	/* a loop C cannot spell */
		c->t[id].seen[0] = c->gen;
		if (vec_reserve(&c->ids, c->ids.len + 2)) {
			c->err_nomem = true;
			return 0;
		}
		c->ids.v[c->ids.len++] = id;
		c->ids.v[c->ids.len++] = 0;
		id = k == BFMT_KIND_ARRAY ?
		     ((const struct bfmt_array *)bfmt_type_extra(t))->type : t->size_type;
	}
}

static int base_spec(struct btfc *c, uint32_t base, uint32_t ind)
{
	const struct bfmt_type *t = btfc_type(c, base);
	bool anon = t && !*btfc_name(c, t);

	if (!t)
		return btfc_scratch(c, BTFC_OP_STR, 0, 0, "void");
	switch (bfmt_kind(t)) {
	case BFMT_KIND_INT:
	case BFMT_KIND_FLOAT:
		return btfc_scratch(c, BTFC_OP_STR, 0, 0, scalar_name(c, t));
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		if (!anon)
			break;
		if (c->t[base].active)
			return btfc_scratch(c, BTFC_OP_STR, 0, 0, "void");
		return btfc_scratch(c, BTFC_OP_STR, 0, 0,
				    bfmt_kind(t) == BFMT_KIND_STRUCT ? "struct " : "union ") ?:
		       btfc_scratch(c, BTFC_OP_BODY, base, ind, NULL);
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		if (!anon)
			break;
		if (c->t[base].standalone)
			return btfc_scratch(c, BTFC_OP_STR, 0, 0, enum_as_int(t));
		return btfc_scratch(c, BTFC_OP_STR, 0, 0, "enum ") ?:
		       btfc_scratch(c, BTFC_OP_ENUMBODY, base, ind, NULL);
	case BFMT_KIND_FWD:
	case BFMT_KIND_TYPEDEF:
		break;
	default:
		return btfc_scratch(c, BTFC_OP_STR, 0, 0, "void");
	}
	return btfc_scratch(c, BTFC_OP_TYPENAME, base, 0, NULL);
}

static int params(struct btfc *c, uint32_t proto, uint32_t ind)
{
	const struct bfmt_type *t = btfc_type(c, proto);
	const struct bfmt_param *p = bfmt_type_extra(t);
	uint32_t i, n = bfmt_vlen(t);
	int err;

	c->t[proto].active = true;
	err = btfc_scratch(c, BTFC_OP_STR, 0, 0, "(");
	if (!err && !n)
		err = btfc_scratch(c, BTFC_OP_STR, 0, 0, "void");
	for (i = 0; i < n && !err; i++) {
		const char *name = bfmt_btf__str(c->btf, p[i].name_off);

		if (i)
			err = btfc_scratch(c, BTFC_OP_STR, 0, 0, ", ");
		if (err)
			break;
		if (i == n - 1 && !p[i].type)
			err = btfc_scratch(c, BTFC_OP_STR, 0, 0, "...");
		else
			err = btfc_scratch(c, BTFC_OP_DECL, p[i].type, ind,
					   name ? name : "");
	}
	return err ?: btfc_scratch(c, BTFC_OP_STR, 0, 0, ")") ?:
	       btfc_scratch(c, BTFC_OP_LEAVE, proto, 0, NULL);
}

static enum bfmt_kind chain_kind(const struct btfc *c, size_t i)
{
	return bfmt_kind(btfc_type(c, c->ids.v[2 * i]));
}

static int expand_decl(struct btfc *c, const struct btfc_task *tk)
{
	uint32_t base = collect_chain(c, tk->a);
	size_t n = c->ids.len / 2, nq = n, i;
	enum bfmt_kind inner;
	bool has_ptr = false;
	int err = 0;

	if (c->err_nomem)
		return -ENOMEM;
	c->scratch.len = 0;
	/* Qualifiers directly on the base go before it (tags after). */
	while (nq > 0 && is_qual(chain_kind(c, nq - 1)))
		nq--;
	for (i = nq; i < n && !err; i++)
		if (chain_kind(c, i) != BFMT_KIND_TYPE_TAG)
			err = btfc_scratch(c, BTFC_OP_STR, 0, 0, qual_str(chain_kind(c, i)));
	err = err ?: base_spec(c, base, tk->b);
	for (i = n; i-- > nq && !err;)
		if (chain_kind(c, i) == BFMT_KIND_TYPE_TAG)
			err = btfc_scratch(c, BTFC_OP_STR, 0, 0, " ") ?:
			      btfc_scratch(c, BTFC_OP_TAG, c->ids.v[2 * i], 0, NULL);
	if (err)
		return err;
	/* Left parts, innermost first; remember where parens go. */
	for (i = 0; i < nq; i++)
		if (chain_kind(c, i) == BFMT_KIND_PTR)
			has_ptr = true;
	if (has_ptr || tk->s == NULL || *tk->s)
		err = btfc_scratch(c, BTFC_OP_STR, 0, 0, " ");
	inner = BFMT_KIND_INT;
	for (i = nq; i-- > 0 && !err;) {
		enum bfmt_kind k = chain_kind(c, i);

		if (k == BFMT_KIND_PTR) {
			if (inner == BFMT_KIND_ARRAY || inner == BFMT_KIND_FUNC_PROTO) {
				c->ids.v[2 * i + 1] = 1;
				err = btfc_scratch(c, BTFC_OP_STR, 0, 0, "(");
			}
			err = err ?: btfc_scratch(c, BTFC_OP_STR, 0, 0, "*");
			inner = k;
		} else if (is_qual(k)) {
			if (inner != BFMT_KIND_PTR)
				continue;	/* on an array or function: not C */
			if (k == BFMT_KIND_TYPE_TAG)
				err = btfc_scratch(c, BTFC_OP_TAG, c->ids.v[2 * i], 0, NULL) ?:
				      btfc_scratch(c, BTFC_OP_STR, 0, 0, " ");
			else
				err = btfc_scratch(c, BTFC_OP_STR, 0, 0, qual_str(k));
		} else {
			inner = k;
		}
	}
	if (!err && tk->s == NULL)
		err = btfc_scratch(c, BTFC_OP_TYPENAME, tk->x, 0, NULL);
	else if (!err)
		err = btfc_scratch(c, BTFC_OP_STR, 0, 0, tk->s);
	/* Right parts, outermost first. */
	for (i = 0; i < nq && !err; i++) {
		uint32_t id = c->ids.v[2 * i];
		const struct bfmt_type *t = btfc_type(c, id);

		switch (bfmt_kind(t)) {
		case BFMT_KIND_PTR:
			if (c->ids.v[2 * i + 1])
				err = btfc_scratch(c, BTFC_OP_STR, 0, 0, ")");
			break;
		case BFMT_KIND_ARRAY:
			err = btfc_scratch(c, BTFC_OP_DIM,
					   ((const struct bfmt_array *)bfmt_type_extra(t))->nelems,
					   0, NULL);
			break;
		case BFMT_KIND_FUNC_PROTO:
			err = params(c, id, tk->b);
			break;
		default:
			break;
		}
	}
	return err ?: flush_scratch(c);
}

static int expand_body(struct btfc *c, uint32_t id, uint32_t ind)
{
	int err;

	c->scratch.len = 0;
	c->t[id].active = true;
	err = btfc_scratch(c, BTFC_OP_STR, 0, 0, "{\n") ?:
	      btfc_layout_members(c, id, ind + 1) ?:
	      btfc_scratch(c, BTFC_OP_INDENT, ind, 0, NULL) ?:
	      btfc_scratch(c, BTFC_OP_STR, 0, 0, "}");
	if (!err && c->t[id].packed)
		err = btfc_scratch(c, BTFC_OP_STR, 0, 0, " __attribute__((packed))");
	if (!err && c->t[id].aligned_attr)
		err = btfc_scratch(c, BTFC_OP_ALIGNED, c->t[id].aligned_attr, 0, NULL);
	return err ?: btfc_scratch(c, BTFC_OP_LEAVE, id, 0, NULL) ?: flush_scratch(c);
}

static void print_indent(struct btfc *c, uint32_t n)
{
	while (n--)
		btfc_printf(c, "\t");
}

static void print_enum_value(struct btfc *c, const struct bfmt_type *t, uint32_t i)
{
	uint64_t v = btfc_enum_val(t, i);

	if (bfmt_kflag(t)) {
		int64_t s = (int64_t)v;

		if (s >= INT32_MIN && s <= INT32_MAX)
			btfc_printf(c, "%" PRId64, s);
		else if (s == INT64_MIN)
			btfc_printf(c, "(-9223372036854775807LL - 1)");
		else
			btfc_printf(c, "%" PRId64 "LL", s);
	} else if (v <= INT32_MAX) {
		btfc_printf(c, "%" PRIu64, v);
	} else if (v <= UINT32_MAX) {
		btfc_printf(c, "%" PRIu64 "U", v);
	} else {
		btfc_printf(c, "%" PRIu64 "ULL", v);
	}
}

static void print_enum_body(struct btfc *c, uint32_t id, uint32_t ind)
{
	const struct bfmt_type *t = btfc_type(c, id);
	uint32_t i, sz = t->size_type;

	btfc_printf(c, "{\n");
	for (i = 0; i < bfmt_vlen(t); i++) {
		print_indent(c, ind + 1);
		print_ident(c, btfc_enum_val_name(c, t, i), c->ev_dup[c->t[id].ev_base + i]);
		btfc_printf(c, " = ");
		print_enum_value(c, t, i);
		btfc_printf(c, ",\n");
	}
	print_indent(c, ind);
	btfc_printf(c, "}");
	if (sz != btfc_enum_natural_size(c, t) && (sz == 1 || sz == 2 || sz == 4 || sz == 8))
		btfc_printf(c, " __attribute__((mode(%s)))",
			    sz == 1 ? "QI" : sz == 2 ? "HI" : sz == 4 ? "SI" : "DI");
}

static void print_tag(struct btfc *c, uint32_t id)
{
	const struct bfmt_type *t = btfc_type(c, id);
	const char *s = btfc_name(c, t);

	if (bfmt_kflag(t))
		btfc_printf(c, "__attribute__((%s))", s);
	else
		btfc_printf(c, "__BTF_TYPE_TAG(\"%s\")", s);
}

static int run_one(struct btfc *c, const struct btfc_task *tk)
{
	switch (tk->op) {
	case BTFC_OP_STR:
		btfc_printf(c, "%s", tk->s);
		return 0;
	case BTFC_OP_INDENT:
		print_indent(c, tk->a);
		return 0;
	case BTFC_OP_BITS:
		btfc_printf(c, ": %" PRIu32, tk->a);
		return 0;
	case BTFC_OP_DIM:
		btfc_printf(c, "[%" PRIu32 "]", tk->a);
		return 0;
	case BTFC_OP_LEAVE:
		c->t[tk->a].active = false;
		return 0;
	case BTFC_OP_PADARR:
		btfc_printf(c, "unsigned char __pad_%" PRIu32 "[%" PRIu32 "];\n", tk->b, tk->a);
		return 0;
	case BTFC_OP_ALIGNED:
		btfc_printf(c, " __attribute__((aligned(%" PRIu32 ")))", tk->a);
		return 0;
	case BTFC_OP_TAG:
		print_tag(c, tk->a);
		return 0;
	case BTFC_OP_TYPENAME:
		btfc_print_type_name(c, tk->a);
		return 0;
	case BTFC_OP_ENUMBODY:
		print_enum_body(c, tk->a, tk->b);
		return 0;
	default:
		break;
	}
	/* Expansions: bounded in total (shared anonymous types could
	 * otherwise expand exponentially). */
	if (!c->budget)
		return -E2BIG;
	c->budget--;
	if (tk->op == BTFC_OP_BODY)
		return expand_body(c, tk->a, tk->b);
	return expand_decl(c, tk);
}

int btfc_run(struct btfc *c)
{
	while (c->tasks.len && !c->err_io) {
		struct btfc_task tk = c->tasks.v[--c->tasks.len];
		int err = run_one(c, &tk);

		if (err) {
			c->tasks.len = 0;
			return err;
		}
	}
	return c->err_io ? -EIO : 0;
}

int btfc_emit_def(struct btfc *c, uint32_t id)
{
	const struct bfmt_type *t = btfc_type(c, id);
	int err = 0;

	switch (bfmt_kind(t)) {
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		err = push(c, BTFC_OP_STR, 0, 0, ";\n\n") ?:
		      push(c, BTFC_OP_BODY, id, 0, NULL) ?:
		      push(c, BTFC_OP_STR, 0, 0, " ") ?:
		      push(c, BTFC_OP_TYPENAME, id, 0, NULL);
		break;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		err = push(c, BTFC_OP_STR, 0, 0, ";\n\n") ?:
		      push(c, BTFC_OP_ENUMBODY, id, 0, NULL);
		if (*btfc_name(c, t))
			err = err ?: push(c, BTFC_OP_STR, 0, 0, " ") ?:
			      push(c, BTFC_OP_TYPENAME, id, 0, NULL);
		else
			err = err ?: push(c, BTFC_OP_STR, 0, 0, "enum ");
		break;
	case BFMT_KIND_TYPEDEF:
		err = push(c, BTFC_OP_STR, 0, 0, ";\n\n") ?:
		      task_add(c, &c->tasks, BTFC_OP_DECL, t->size_type, 0, id, NULL) ?:
		      push(c, BTFC_OP_STR, 0, 0, "typedef ");
		break;
	default:
		return 0;
	}
	return err ?: btfc_run(c);
}

int btfc_emit_fwd(struct btfc *c, uint32_t id)
{
	btfc_print_type_name(c, id);
	btfc_printf(c, ";\n\n");
	return c->err_io ? -EIO : 0;
}
