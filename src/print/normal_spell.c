// SPDX-License-Identifier: GPL-2.0-only
/*
 * Type spelling for the normal form, postfix: the referenced type first,
 * then what is done to it (" *", " const", "[4]", " (int, char *)"). Read
 * left to right it is unambiguous without C's declarator rules, and it
 * names nothing by id, so the same type spells the same in every unit and
 * in either format.
 *
 * With btf_fallbacks, a type is spelled as the BTF encoder encodes it
 * (btf_encoder/btfe_types.c, "Fallbacks"); the checks below mirror the
 * encoder's classification for its default features (no FLOAT kind:
 * floats are INTs of their size).
 */
#include <string.h>

#include "normal_int.h"

static bool nm_int_size_ok(uint64_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8 || size == 16;
}

bool nm_is_opaque(const struct nm_ctx *c, const struct ir_type *t, uint64_t *size_ret)
{
	bool opaque = false;

	if (!c->opts->btf_fallbacks)
		return false;
	switch (t->kind) {
	case IR_KIND_INT:
		opaque = !nm_int_size_ok(t->size) || t->int_bits > 128 ||
			 (uint64_t)t->int_bits + t->int_offset > t->size * 8;
		break;
	case IR_KIND_FLOAT:
		opaque = !nm_int_size_ok(t->size);
		break;
	case IR_KIND_UNSPEC:
		if (t->unspec == IR_UNSPEC_PTR_TO_MEMBER && !t->size) {
			/* Sized as the encoder sizes it (btfe_opaque_size()):
			 * two pointers for a member function, else one. */
			const struct ir_type *to = ir_cu__type(c->cu, ir_cu__resolve(c->cu, t->type));

			*size_ret = (to && to->kind == IR_KIND_FUNC_PROTO ? 2u : 1u) *
				    (c->cu->addr_size ? c->cu->addr_size : 8u);
			return true;
		}
		opaque = t->unspec != IR_UNSPEC_REFERENCE &&
			 t->unspec != IR_UNSPEC_RVALUE_REFERENCE &&
			 t->unspec != IR_UNSPEC_UNSPECIFIED_TYPE &&
			 t->size && t->size <= UINT32_MAX;
		break;
	default:
		break;
	}
	if (opaque)
		*size_ret = t->size;
	return opaque;
}

/* The encoder's btfe_members_fit(): can BTF place every member? */
static bool nm_members_fit(const struct ir_type *t)
{
	bool kflag = false;
	uint32_t i;

	if (t->size > UINT32_MAX)
		return false;
	for (i = 0; i < t->vlen; i++)
		kflag |= t->members[i].bitfield_size != 0;
	for (i = 0; i < t->vlen; i++) {
		const struct ir_member *m = &t->members[i];

		if (kflag && (m->bit_offset > 0xffffff || m->bitfield_size > 0xff))
			return false;
		if (m->bit_offset > UINT32_MAX)
			return false;
	}
	return true;
}

uint64_t nm_size(const struct nm_ctx *c, const struct ir_type *t)
{
	uint64_t size;

	return nm_is_opaque(c, t, &size) ? size : t->size;
}

uint32_t nm_nr_members(const struct nm_ctx *c, const struct ir_type *t)
{
	if (!ir_kind__is_composite(t->kind))
		return 0;
	if (c->opts->btf_fallbacks && !nm_members_fit(t))
		return 0;
	return t->vlen;
}

const struct ir_type *nm_anon_composite(const struct nm_ctx *c, ir_id id,
					bool *is_union_ret)
{
	const struct ir_type *t = ir_cu__type(c->cu, id);
	uint64_t size;

	if (!t)
		return NULL;
	*is_union_ret = t->kind == IR_KIND_UNION;
	if (ir_kind__is_composite(t->kind) && !t->name)
		return t;
	if (nm_is_opaque(c, t, &size))
		return t;
	/* A declaration without a name (C++ "typedef struct {...} x" seen
	 * only declared): BTF has an empty anonymous struct (a FWD needs a
	 * name); it has no size and no members here either. */
	if (c->opts->btf_fallbacks && t->kind == IR_KIND_FWD && !t->name &&
	    t->fwd_kind != IR_FWD_ENUM) {
		*is_union_ret = false;
		return t;
	}
	return NULL;
}

void nm_tags(struct tn_buf *b, const struct ir_annots *a)
{
	uint32_t i;

	if (!a->len)
		return;
	tn_printf(b, " tags(");
	for (i = 0; i < a->len; i++)
		tn_printf(b, "%s%s", i ? "," : "", a->v[i]);
	tn_printf(b, ")");
}

static void nm_spell_depth(const struct nm_ctx *c, struct tn_buf *b, ir_id id, int depth);

static const char *nm_tag_word(const struct ir_type *t)
{
	unsigned k = t->kind;

	if (k == IR_KIND_FWD)
		k = t->fwd_kind == IR_FWD_UNION ? IR_KIND_UNION :
		    t->fwd_kind == IR_FWD_ENUM ? IR_KIND_ENUM : IR_KIND_STRUCT;
	return k == IR_KIND_UNION ? "union" : k == IR_KIND_ENUM ? "enum" : "struct";
}

/*
 * Arrays: the dimensions of a chain of arrays of arrays (not through a
 * typedef) in C order, "int[3][4]"; with flat_arrays their product,
 * "int[12]", as BTF holds them (the encoder multiplies, the BTF loader
 * joins nested ARRAYs again).
 */
static void nm_array(const struct nm_ctx *c, struct tn_buf *b,
		     const struct ir_type *t, int depth)
{
	const struct ir_type *a = t, *next;
	uint64_t product = 1;
	bool overflow = false;
	int n = 0;

	while ((next = ir_cu__type(c->cu, a->type)) && next->kind == IR_KIND_ARRAY &&
	       n++ < NORMAL_MAX_DEPTH)
		a = next;
	nm_spell_depth(c, b, a->type, depth + 1);
	for (a = t, n = 0; a && a->kind == IR_KIND_ARRAY && n < NORMAL_MAX_DEPTH;
	     a = ir_cu__type(c->cu, a->type), n++) {
		uint32_t i;

		for (i = 0; i < a->vlen; i++) {
			const struct ir_dim *d = &a->dims[i];

			if (c->opts->flat_arrays)
				overflow |= __builtin_mul_overflow(product, d->count, &product);
			else if (d->flexible)
				tn_printf(b, "[]");
			else
				tn_printf(b, "[%llu]", (unsigned long long)d->count);
		}
		if (!a->vlen && !c->opts->flat_arrays)
			tn_printf(b, "[]");
	}
	if (!c->opts->flat_arrays)
		return;
	if (overflow)
		tn_printf(b, "[<overflow>]");
	else
		tn_printf(b, "[%llu]", (unsigned long long)product);
}

static void nm_proto(const struct nm_ctx *c, struct tn_buf *b,
		     const struct ir_type *t, int depth)
{
	uint32_t i;

	nm_spell_depth(c, b, t->type, depth + 1);
	tn_printf(b, " (");
	for (i = 0; i < t->vlen && !b->full; i++) {
		if (i)
			tn_printf(b, ", ");
		nm_spell_depth(c, b, t->params[i].type, depth + 1);
	}
	if (!t->vlen)
		tn_printf(b, "void");
	else if (t->flags & IR_TF_VARARGS)
		tn_printf(b, ", ...");
	tn_printf(b, ")");
}

static void nm_unspec(const struct nm_ctx *c, struct tn_buf *b,
		      const struct ir_type *t, int depth)
{
	uint64_t size;
	bool fb = c->opts->btf_fallbacks;

	switch (t->unspec) {
	case IR_UNSPEC_REFERENCE:
	case IR_UNSPEC_RVALUE_REFERENCE:
		nm_spell_depth(c, b, t->type, depth + 1);
		tn_printf(b, fb ? " *" : t->unspec == IR_UNSPEC_REFERENCE ? " &" : " &&");
		return;
	case IR_UNSPEC_UNSPECIFIED_TYPE:
		if (fb) {
			tn_printf(b, "void");
			return;
		}
		break;
	default:
		break;
	}
	if (nm_is_opaque(c, t, &size))
		tn_printf(b, "struct (anon)");
	else if (fb)
		tn_printf(b, "void");
	else
		tn_printf(b, "<unspecified %s>", t->name ? t->name : "type");
}

static void nm_spell_depth(const struct nm_ctx *c, struct tn_buf *b, ir_id id, int depth)
{
	const struct ir_type *t = ir_cu__type(c->cu, id);
	uint64_t size;

	if (b->full || b->oom)
		return;		/* the entry is at its limit: visit no more */
	if (id == IR_VOID) {
		tn_printf(b, "void");
		return;
	}
	if (!t) {
		tn_printf(b, "<bad type %u>", (unsigned)id);
		return;
	}
	if (depth > NORMAL_MAX_DEPTH) {
		tn_printf(b, "<loop>");
		return;
	}
	switch (t->kind) {
	case IR_KIND_INT:
	case IR_KIND_FLOAT:
		if (nm_is_opaque(c, t, &size))
			tn_printf(b, "struct (anon)");
		else
			tn_printf(b, "%s", t->name ? t->name : "(anon base)");
		break;
	case IR_KIND_PTR:
		nm_spell_depth(c, b, t->type, depth + 1);
		tn_printf(b, " *");
		break;
	case IR_KIND_CONST:
	case IR_KIND_VOLATILE:
	case IR_KIND_RESTRICT:
		nm_spell_depth(c, b, t->type, depth + 1);
		tn_printf(b, " %s", t->kind == IR_KIND_CONST ? "const" :
			  t->kind == IR_KIND_VOLATILE ? "volatile" : "restrict");
		break;
	case IR_KIND_ATOMIC:
		nm_spell_depth(c, b, t->type, depth + 1);
		if (!c->opts->drop_atomic)
			tn_printf(b, " _Atomic");
		break;
	case IR_KIND_TYPE_TAG:
		nm_spell_depth(c, b, t->type, depth + 1);
		tn_printf(b, " __tag(%s)", t->name ? t->name : "");
		break;
	case IR_KIND_ARRAY:
		nm_array(c, b, t, depth);
		break;
	case IR_KIND_FUNC_PROTO:
		nm_proto(c, b, t, depth);
		break;
	case IR_KIND_UNSPEC:
		nm_unspec(c, b, t, depth);
		break;
	case IR_KIND_TYPEDEF:
		if (t->name)
			tn_printf(b, "%s", t->name);
		else	/* the encoder makes an anonymous typedef an alias */
			nm_spell_depth(c, b, t->type, depth + 1);
		break;
	case IR_KIND_STRUCT:
	case IR_KIND_UNION:
	case IR_KIND_ENUM:
	case IR_KIND_FWD:
		tn_printf(b, "%s %s", nm_tag_word(t), t->name ? t->name : "(anon)");
		break;
	default:
		tn_printf(b, "<kind %u>", (unsigned)t->kind);
		break;
	}
}

void nm_spell(const struct nm_ctx *c, struct tn_buf *b, ir_id id)
{
	nm_spell_depth(c, b, id, 0);
}
