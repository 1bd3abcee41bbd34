// SPDX-License-Identifier: GPL-2.0-only
/*
 * Type spelling, pahole style. The functions mirror what pahole 1.24's
 * tag__name()/ftype__fprintf() produce (studied, not copied); comments point
 * out the places where that spelling is not plain C on purpose.
 */
#include "type_name.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/vec.h"

void tn_buf_init(struct tn_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void tn_buf_deinit(struct tn_buf *b)
{
	free(b->s);
	tn_buf_init(b);
}

static const char tn_too_long[] = "<ERROR: name too long>";
static const char tn_text_too_long[] = "<ERROR: too long>";

static bool tn_reserve(struct tn_buf *b, size_t extra)
{
	if (b->oom || b->full)
		return false;
	if (b->limit && b->len + extra > b->limit) {
		/* The marker goes past the limit, once. */
		const char *marker = b->marker ? b->marker : tn_too_long;
		size_t n = strlen(marker);

		b->full = true;
		if (vec_grow_raw((void **)&b->s, &b->cap, b->len + n + 1, 1)) {
			b->oom = true;
			return false;
		}
		memcpy(b->s + b->len, marker, n + 1);
		b->len += n;
		return false;
	}
	if (vec_grow_raw((void **)&b->s, &b->cap, b->len + extra + 1, 1)) {
		b->oom = true;
		return false;
	}
	return true;
}

void tn_printf(struct tn_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !tn_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void tn_puts(struct tn_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (!tn_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

/* Right-pad what was appended since 'start' to 'width' columns ("%-*s"). */
static void tn_pad_from(struct tn_buf *b, size_t start, int width)
{
	while (width > 0 && b->len - start < (size_t)width && !b->oom && !b->full)
		tn_puts(b, " ");
}

ir_id tn_skip_type_tags(const struct ir_cu *cu, ir_id id)
{
	int i;

	for (i = 0; i < TN_MAX_DEPTH; i++) {
		const struct ir_type *t = ir_cu__type(cu, id);

		if (!t || t->kind != IR_KIND_TYPE_TAG || t->type == id)
			break;
		id = t->type;
	}
	return id;
}

static void tn_name(struct tn_buf *b, const struct ir_cu *cu, ir_id id, int depth);
static void tn_ftype(struct tn_buf *b, const struct ir_cu *cu, ir_id proto,
		     const char *name, bool inlined, bool is_pointer,
		     int spacing, bool is_prototype, int depth);

static void tn_not_found(struct tn_buf *b, ir_id id)
{
	tn_printf(b, "<ERROR: type %#x not found>", (unsigned)id);
}

/*
 * "T *": pahole writes the pointee's name, a space, then the star; a
 * pointer to a const pointer comes out as "T * const *".
 */
static void tn_ptr(struct tn_buf *b, const struct ir_cu *cu,
		   const struct ir_type *ptr, const char *suffix, int depth)
{
	const struct ir_type *target;
	const char *const_ptr = "";
	ir_id tid = ptr->type;

	if (tid == IR_VOID) {
		tn_printf(b, "void %s", suffix);
		return;
	}
	target = ir_cu__type(cu, tid);
	if (!target) {
		tn_not_found(b, tid);
		tn_printf(b, " %s", suffix);
		return;
	}
	if (target->kind == IR_KIND_CONST) {
		const struct ir_type *next = ir_cu__type(cu, target->type);

		if (next && next->kind == IR_KIND_PTR) {
			const_ptr = "const ";
			tid = target->type;
		}
	}
	tn_name(b, cu, tid, depth + 1);
	tn_printf(b, " %s%s", const_ptr, suffix);
}

/* Qualifiers keep a trailing space: "const char " (pahole's own quirk,
 * visible as the double space in "const char  *"). */
static void tn_modifier(struct tn_buf *b, const struct ir_cu *cu,
			const struct ir_type *t, int depth)
{
	const char *prefix = "", *suffix = "";

	switch (t->kind) {
	case IR_KIND_CONST:
		prefix = "const ";
		break;
	case IR_KIND_VOLATILE:
		prefix = "volatile ";
		break;
	case IR_KIND_RESTRICT:
		suffix = " restrict";
		break;
	case IR_KIND_ATOMIC:
		prefix = "_Atomic ";
		break;
	default:
		break;
	}
	tn_puts(b, prefix);
	tn_name(b, cu, t->type, depth + 1);
	tn_puts(b, suffix);
	tn_puts(b, " ");
}

static const char *tn_tag_prefix(const struct ir_cu *cu, const struct ir_type *t)
{
	unsigned k = t->kind;

	if (k == IR_KIND_FWD)
		k = t->fwd_kind == IR_FWD_UNION ? IR_KIND_UNION :
		    t->fwd_kind == IR_FWD_ENUM ? IR_KIND_ENUM : IR_KIND_STRUCT;
	switch (k) {
	case IR_KIND_STRUCT:
		return cu->lang == IR_LANG_CXX ? "class " : "struct ";
	case IR_KIND_UNION:
		return "union ";
	case IR_KIND_ENUM:
		return "enum ";
	default:
		return "";
	}
}

static void tn_name(struct tn_buf *b, const struct ir_cu *cu, ir_id id, int depth)
{
	const struct ir_type *t = ir_cu__type(cu, id);

	if (b->full || b->oom)
		return;		/* nothing more would be kept: visit nothing */
	if (id == IR_VOID) {
		tn_puts(b, "void");
		return;
	}
	if (!t) {
		tn_not_found(b, id);
		return;
	}
	if (depth > TN_MAX_DEPTH) {
		tn_puts(b, "<ERROR: type loop>");
		return;
	}
	switch (t->kind) {
	case IR_KIND_INT:
	case IR_KIND_FLOAT:
		tn_puts(b, t->name ? t->name : "nameless base type!");
		break;
	case IR_KIND_PTR:
		tn_ptr(b, cu, t, "*", depth);
		break;
	case IR_KIND_CONST:
	case IR_KIND_VOLATILE:
	case IR_KIND_RESTRICT:
	case IR_KIND_ATOMIC:
		tn_modifier(b, cu, t, depth);
		break;
	case IR_KIND_TYPE_TAG:
	case IR_KIND_ARRAY:
		/* pahole names an array by its element type; the dimensions
		 * are the declarator's business. */
		tn_name(b, cu, t->type, depth + 1);
		break;
	case IR_KIND_FUNC_PROTO:
		tn_ftype(b, cu, id, NULL, false, false, 0, true, depth + 1);
		break;
	case IR_KIND_UNSPEC:
		if (t->unspec == IR_UNSPEC_REFERENCE)
			tn_ptr(b, cu, t, "&", depth);
		else if (t->unspec == IR_UNSPEC_RVALUE_REFERENCE)
			tn_ptr(b, cu, t, "&&", depth);
		else
			tn_puts(b, t->name ? t->name : "");
		break;
	default:
		tn_puts(b, tn_tag_prefix(cu, t));
		tn_puts(b, t->name ? t->name : "");
		break;
	}
}

void tn_buf_limit(struct tn_buf *b, size_t max)
{
	b->limit = max ? b->len + max : 0;
	b->marker = tn_text_too_long;
	b->full = false;
}

/* A name is spelled within TN_MAX_LEN bytes from where it starts. */
static void tn_spell_begin(struct tn_buf *b)
{
	b->limit = b->len + TN_MAX_LEN;
	b->marker = tn_too_long;
	b->full = false;
}

static void tn_spell_end(struct tn_buf *b)
{
	b->limit = 0;
	b->full = false;
}

void tn_append_name(struct tn_buf *b, const struct ir_cu *cu, ir_id id)
{
	tn_spell_begin(b);
	tn_name(b, cu, id, 0);
	tn_spell_end(b);
}

static void tn_param(struct tn_buf *b, const struct ir_cu *cu,
		     const struct ir_param *prm, int depth)
{
	const struct ir_type *t = ir_cu__type(cu, prm->type);

	if (t && t->kind == IR_KIND_PTR && t->type != IR_VOID) {
		const struct ir_type *pt = ir_cu__type(cu, t->type);

		if (pt && pt->kind == IR_KIND_FUNC_PROTO) {
			tn_ftype(b, cu, t->type, prm->name, false, true, 0,
				 true, depth + 1);
			return;
		}
	} else if (t && t->kind == IR_KIND_FUNC_PROTO) {
		/* pahole prints a parameter of function type with an
		 * "inline " prefix and no parentheses; keep that. */
		tn_ftype(b, cu, prm->type, prm->name, true, false, 0, false,
			 depth + 1);
		return;
	}
	tn_name(b, cu, prm->type, depth + 1);
	if (prm->name)
		tn_printf(b, " %s", prm->name);
}

static void tn_params(struct tn_buf *b, const struct ir_cu *cu,
		      const struct ir_type *proto, int depth)
{
	uint32_t i;

	tn_puts(b, "(");
	for (i = 0; i < proto->vlen && !b->full && !b->oom; i++) {
		if (i)
			tn_puts(b, ", ");
		tn_param(b, cu, &proto->params[i], depth);
	}
	/* An empty list is "(void)" even for an unprototyped f(). */
	if (proto->vlen == 0)
		tn_puts(b, "void)");
	else if (proto->flags & IR_TF_VARARGS)
		tn_puts(b, ", ...)");
	else
		tn_puts(b, ")");
}

static void tn_ftype(struct tn_buf *b, const struct ir_cu *cu, ir_id proto_id,
		     const char *name, bool inlined, bool is_pointer,
		     int spacing, bool is_prototype, int depth)
{
	const struct ir_type *proto = ir_cu__type(cu, proto_id);
	size_t start;

	if (b->full || b->oom)
		return;
	if (!proto || proto->kind != IR_KIND_FUNC_PROTO) {
		tn_not_found(b, proto_id);
		return;
	}
	if (depth > TN_MAX_DEPTH) {
		tn_puts(b, "<ERROR: type loop>");
		return;
	}
	if (inlined)
		tn_puts(b, "inline ");
	start = b->len;
	tn_name(b, cu, proto->type, depth + 1);
	tn_pad_from(b, start, spacing);
	tn_printf(b, " %s%s%s%s", is_prototype ? "(" : "", is_pointer ? "*" : "",
		  name ? name : "", is_prototype ? ")" : "");
	tn_params(b, cu, proto, depth);
}

void tn_append_ftype(struct tn_buf *b, const struct ir_cu *cu, ir_id proto,
		     const char *name, bool is_pointer, int type_spacing,
		     bool is_prototype)
{
	tn_spell_begin(b);
	tn_ftype(b, cu, proto, name, false, is_pointer, type_spacing,
		 is_prototype, 0);
	tn_spell_end(b);
}
