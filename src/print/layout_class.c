// SPDX-License-Identifier: GPL-2.0-only
/*
 * Struct, union and enum bodies as pahole 1.24 prints them. Column
 * arithmetic copies pahole's behaviour: a member's "offset size" comment
 * starts type_spacing + name_spacing characters after the member's
 * indentation, counting every byte printed for the member (a multi-line
 * inline struct included, which is why such comments collapse to one
 * space); nested levels indent one more tab and shrink the type column by
 * 8 so that the comment column stays put.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "layout_int.h"
#include "type_name.h"

/* "%-*s %s" with a type spelled by type_name. */
static void lp_named(struct layout_printer *p, ir_id id, const char *name,
		     int spacing)
{
	struct tn_buf b;

	tn_buf_init(&b);
	tn_append_name(&b, p->lc->cu, id);
	if (b.oom)
		p->err = p->err ? p->err : -ENOMEM;
	lp_printf(p, "%-*s ", spacing, tn_buf_str(&b));
	if (name && *name) {
		lp_sgr(p, LP_SGR_GREEN);
		lp_printf(p, "%s", name);
		lp_sgr(p, LP_SGR_RESET);
	}
	tn_buf_deinit(&b);
}

/* Function pointer: "ret (*name)(params)", ret padded to the column. The
 * dims, when given, are those of an array of such pointers: pahole prints
 * "(*name)(params)[N]", which is not C; we print "(*name[N])(params)",
 * the same length, so the columns do not move. */
static void lp_fptr(struct layout_printer *p, ir_id proto, const char *name,
		    int spacing, const struct ir_type *arr)
{
	struct tn_buf b, nb;
	uint32_t i;

	tn_buf_init(&b);
	tn_buf_init(&nb);
	tn_printf(&nb, "%s", name ? name : "");
	for (i = 0; arr && i < arr->vlen; i++)
		tn_printf(&nb, "[%llu]", (unsigned long long)arr->dims[i].count);
	tn_append_ftype(&b, p->lc->cu, proto, tn_buf_str(&nb), true, spacing, true);
	if (b.oom || nb.oom)
		p->err = p->err ? p->err : -ENOMEM;
	lp_printf(p, "%s", tn_buf_str(&b));
	tn_buf_deinit(&b);
	tn_buf_deinit(&nb);
}

static void lp_array(struct layout_printer *p, const struct ir_type *t,
		     const char *name, const struct lp_conf *conf)
{
	const struct ir_cu *cu = p->lc->cu;
	const struct ir_type *et = ir_cu__type(cu, t->type);
	ir_id elem = t->type;
	bool single = conf->last_member && conf->first_member;
	uint32_t i;

	/* An array of function pointers: see lp_fptr. */
	if (et && et->kind == IR_KIND_PTR) {
		const struct ir_type *pt = ir_cu__type(cu, tn_skip_type_tags(cu, et->type));

		if (pt && pt->kind == IR_KIND_FUNC_PROTO) {
			lp_fptr(p, tn_skip_type_tags(cu, et->type), name,
				conf->type_spacing, t);
			return;
		}
	}
	if (t->vlen && t->dims[0].count == 0 && et && et->kind == IR_KIND_CONST)
		elem = et->type;
	lp_type(p, elem, name, conf);
	for (i = 0; i < t->vlen; i++) {
		/* A trailing array without a count is a flexible one, unless
		 * it is the only member or sits in a union. */
		if (t->dims[i].count || !conf->last_member || single ||
		    conf->union_member)
			lp_printf(p, "[%llu]", (unsigned long long)t->dims[i].count);
		else
			lp_printf(p, "[]");
	}
}

/* Pointer to array: pahole prints "T *name", losing the dimensions; we
 * print the real declarator "T (*name)[N]". */
static void lp_ptr_array(struct layout_printer *p, const struct ir_type *arr,
			 const char *name, int spacing)
{
	struct tn_buf nb;
	uint32_t i;

	tn_buf_init(&nb);
	tn_printf(&nb, "(*%s)", name ? name : "");
	for (i = 0; i < arr->vlen; i++)
		tn_printf(&nb, "[%llu]", (unsigned long long)arr->dims[i].count);
	if (nb.oom)
		p->err = p->err ? p->err : -ENOMEM;
	lp_named(p, arr->type, tn_buf_str(&nb), spacing);
	tn_buf_deinit(&nb);
}

static bool lp_is_tagged(const struct ir_type *t)
{
	return t && (t->kind == IR_KIND_STRUCT || t->kind == IR_KIND_UNION ||
		     t->kind == IR_KIND_ENUM);
}

/* An anonymous struct/union/enum, inline, unless nested too deep or the
 * top-level type has inlined too much already (anonymous types used
 * several times each, nested: exponential output). */
static void lp_inline(struct layout_printer *p, ir_id id,
		      const struct ir_type *t, struct lp_conf *c)
{
	if (c->nest >= LAYOUT_MAX_NEST || p->inlined >= LAYOUT_MAX_INLINE) {
		lp_printf(p, "%s {...}%s%s",
			  t->kind == IR_KIND_UNION ? "union" :
			  t->kind == IR_KIND_ENUM ? "enum" : "struct",
			  c->suffix ? " " : "", c->suffix ? c->suffix : "");
		return;
	}
	c->nest++;
	p->inlined += t->vlen + 1u;
	if (t->kind == IR_KIND_ENUM) {
		lp_enum(p, id, c);
		return;
	}
	c->type_spacing -= 8;
	if (t->kind == IR_KIND_STRUCT)
		lp_struct(p, id, c);
	else
		lp_union(p, id, c);
}

static void lp_tagged(struct layout_printer *p, ir_id id,
		      const struct ir_type *t, const char *name,
		      struct lp_conf *c)
{
	static const char *const kw[] = { "struct", "union", "enum" };
	int k;

	if (t->kind == IR_KIND_FWD)
		k = t->fwd_kind == IR_FWD_UNION ? 1 : t->fwd_kind == IR_FWD_ENUM ? 2 : 0;
	else
		k = t->kind == IR_KIND_UNION ? 1 : t->kind == IR_KIND_ENUM ? 2 : 0;
	if (t->name || t->kind == IR_KIND_FWD) {
		lp_printf(p, "%s %-*s %s", kw[k],
			  c->type_spacing - (int)strlen(kw[k]) - 1,
			  t->name ? t->name : "", name ? name : "");
		return;
	}
	lp_inline(p, id, t, c);
}

enum lp_ptr_how {
	LP_PTR_DONE,		/* printed (function, array) */
	LP_PTR_NAMED,		/* print the pointer by its name */
	LP_PTR_INLINE,		/* *id is now the anonymous struct to inline */
};

static enum lp_ptr_how lp_ptr(struct layout_printer *p, const struct ir_type *t,
		   const char **name, ir_id *id, struct lp_conf *c, char **namebuf)
{
	ir_id pid = tn_skip_type_tags(p->lc->cu, t->type);
	const struct ir_type *pt = ir_cu__type(p->lc->cu, pid);
	size_t len;

	if (!pt)
		return LP_PTR_NAMED;
	if (pt->kind == IR_KIND_FUNC_PROTO) {
		lp_fptr(p, pid, *name, c->type_spacing, NULL);
		return LP_PTR_DONE;
	}
	if (pt->kind == IR_KIND_ARRAY) {
		lp_ptr_array(p, pt, *name, c->type_spacing);
		return LP_PTR_DONE;
	}
	if (!lp_is_tagged(pt) || pt->name || *namebuf)
		return LP_PTR_NAMED;
	/* Pointer to an anonymous struct: printed inline, named "* name",
	 * with offsets relative to that struct. */
	len = strlen(*name ? *name : "") + 3;
	*namebuf = malloc(len);
	if (!*namebuf) {
		p->err = p->err ? p->err : -ENOMEM;
		return LP_PTR_DONE;
	}
	snprintf(*namebuf, len, "* %s", *name ? *name : "");
	*name = *namebuf;
	c->rel_offset = true;
	c->type_spacing -= 8;
	c->prefix = NULL;
	c->suffix = *name;
	c->emit_stats = false;
	*id = pid;
	return LP_PTR_INLINE;
}

static void lp_type_loop(struct layout_printer *p, ir_id id, const char *name,
			 struct lp_conf *c, char **namebuf)
{
	int steps;

	for (steps = 0; steps < TN_MAX_DEPTH; steps++) {
		const struct ir_type *t = ir_cu__type(p->lc->cu, id);
		enum lp_ptr_how how;
		int n;

		if (!t) {
			lp_named(p, id, name, c->type_spacing);
			return;
		}
		switch (t->kind) {
		case IR_KIND_PTR:
			how = lp_ptr(p, t, &name, &id, c, namebuf);
			if (how == LP_PTR_DONE)
				return;
			if (how == LP_PTR_INLINE)
				continue;
			break;
		case IR_KIND_FUNC_PROTO:
			lp_fptr(p, id, name, c->type_spacing, NULL);
			return;
		case IR_KIND_CONST:
		case IR_KIND_ATOMIC:
			/* Printed as a prefix that eats into the column. */
			n = lp_printf(p, "%s ", t->kind == IR_KIND_CONST ?
				      "const" : "_Atomic");
			c->type_spacing -= n;
			if (!ir_cu__type(p->lc->cu, t->type))
				break;
			id = t->type;
			continue;
		case IR_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case IR_KIND_ARRAY:
			lp_array(p, t, name, c);
			return;
		case IR_KIND_STRUCT:
		case IR_KIND_UNION:
		case IR_KIND_ENUM:
		case IR_KIND_FWD:
			lp_tagged(p, id, t, name, c);
			return;
		default:
			break;
		}
		lp_named(p, id, name, c->type_spacing);
		return;
	}
	lp_printf(p, "%-*s %s", c->type_spacing, "<ERROR: type loop>",
		  name ? name : "");
}

void lp_type(struct layout_printer *p, ir_id id, const char *name,
	     const struct lp_conf *conf)
{
	const struct ir_type *t = ir_cu__type(p->lc->cu, id);
	struct lp_conf c = *conf;
	char *namebuf = NULL;

	if (lp_is_tagged(t)) {
		c.prefix = NULL;
		c.suffix = name;
		c.emit_stats = false;
	}
	lp_type_loop(p, id, name, &c, &namebuf);
	free(namebuf);
}
