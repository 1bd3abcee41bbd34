// SPDX-License-Identifier: GPL-2.0-only
/* Questions about types that every consumer of the model asks. */
#include "ir.h"

#include <stdlib.h>

/* No sane C type nests modifiers and typedefs deeper than this. */
#define IR_RESOLVE_MAX 4096

static const char *const ir_kind_names[IR_KIND_NR] = {
	[IR_KIND_VOID] = "void",
	[IR_KIND_INT] = "int",
	[IR_KIND_FLOAT] = "float",
	[IR_KIND_PTR] = "ptr",
	[IR_KIND_ARRAY] = "array",
	[IR_KIND_STRUCT] = "struct",
	[IR_KIND_UNION] = "union",
	[IR_KIND_ENUM] = "enum",
	[IR_KIND_FWD] = "fwd",
	[IR_KIND_TYPEDEF] = "typedef",
	[IR_KIND_CONST] = "const",
	[IR_KIND_VOLATILE] = "volatile",
	[IR_KIND_RESTRICT] = "restrict",
	[IR_KIND_ATOMIC] = "atomic",
	[IR_KIND_FUNC_PROTO] = "func_proto",
	[IR_KIND_TYPE_TAG] = "type_tag",
	[IR_KIND_UNSPEC] = "unspec",
};

const char *ir_kind__name(enum ir_kind kind)
{
	if ((unsigned)kind >= IR_KIND_NR)
		return "unknown";
	return ir_kind_names[kind];
}

int ir_type__visit_refs(const struct ir_type *t, int (*fn)(ir_id id, void *ctx),
			void *ctx)
{
	uint32_t i;
	int err;

	switch (t->kind) {
	case IR_KIND_STRUCT:
	case IR_KIND_UNION:
		for (i = 0; i < t->vlen; i++) {
			err = fn(t->members[i].type, ctx);
			if (err)
				return err;
		}
		return 0;
	case IR_KIND_FUNC_PROTO:
		err = fn(t->type, ctx);
		for (i = 0; !err && i < t->vlen; i++)
			err = fn(t->params[i].type, ctx);
		return err;
	case IR_KIND_PTR:
	case IR_KIND_ARRAY:
	case IR_KIND_TYPEDEF:
	case IR_KIND_CONST:
	case IR_KIND_VOLATILE:
	case IR_KIND_RESTRICT:
	case IR_KIND_ATOMIC:
	case IR_KIND_TYPE_TAG:
	case IR_KIND_UNSPEC:
		return fn(t->type, ctx);
	default:
		return 0;
	}
}

ir_id ir_cu__resolve(const struct ir_cu *cu, ir_id id)
{
	int steps;

	for (steps = 0; steps < IR_RESOLVE_MAX; steps++) {
		const struct ir_type *t = ir_cu__type(cu, id);

		if (!t)
			return IR_VOID;
		if (t->kind != IR_KIND_TYPEDEF && !ir_kind__is_modifier(t->kind))
			return id;
		id = t->type;
	}
	return IR_VOID;
}

uint64_t ir_cu__type_size(const struct ir_cu *cu, ir_id id, bool *ok)
{
	uint64_t mult = 1;
	int steps;

	for (steps = 0; steps < IR_RESOLVE_MAX; steps++) {
		const struct ir_type *t = ir_cu__type(cu, ir_cu__resolve(cu, id));
		uint32_t i;

		if (!t)
			break;
		switch (t->kind) {
		case IR_KIND_ARRAY:
			for (i = 0; i < t->vlen; i++) {
				if (t->dims[i].count &&
				    mult > UINT64_MAX / t->dims[i].count)
					goto fail;
				mult *= t->dims[i].count;
			}
			id = t->type;
			continue;
		case IR_KIND_INT:
		case IR_KIND_FLOAT:
		case IR_KIND_PTR:
		case IR_KIND_STRUCT:
		case IR_KIND_UNION:
		case IR_KIND_ENUM:
		case IR_KIND_UNSPEC:
			if (t->size && mult > UINT64_MAX / t->size)
				goto fail;
			if (ok)
				*ok = true;
			return mult * t->size;
		default:
			goto fail;
		}
	}
fail:
	if (ok)
		*ok = false;
	return 0;
}

static uint32_t ir_scalar_align(uint64_t size)
{
	uint32_t a = 1;

	/* Natural alignment of a scalar is its size rounded down to a power
	 * of two, capped at 16 (long double, __int128). */
	while (a < 16 && (uint64_t)a * 2 <= size)
		a *= 2;
	return a;
}

uint32_t ir_cu__type_align(const struct ir_cu *cu, ir_id id)
{
	int steps;

	for (steps = 0; steps < IR_RESOLVE_MAX; steps++) {
		const struct ir_type *t = ir_cu__type(cu, id);
		uint32_t i, a;

		if (!t)
			return 1;
		if (t->align && (t->kind == IR_KIND_TYPEDEF ||
				 ir_kind__is_composite(t->kind)))
			return t->align;
		switch (t->kind) {
		case IR_KIND_TYPEDEF:
		case IR_KIND_CONST:
		case IR_KIND_VOLATILE:
		case IR_KIND_RESTRICT:
		case IR_KIND_ATOMIC:
		case IR_KIND_TYPE_TAG:
		case IR_KIND_ARRAY:
			id = t->type;
			continue;
		case IR_KIND_INT:
		case IR_KIND_FLOAT:
		case IR_KIND_PTR:
		case IR_KIND_ENUM:
			return ir_scalar_align(t->size);
		case IR_KIND_STRUCT:
		case IR_KIND_UNION:
			a = 1;
			if (t->flags & IR_TF_PACKED)
				return 1;
			/* Members are types the CU already holds; their
			 * nesting depth is bounded by the CU, but keep the
			 * walk one level deep and iterative over members. */
			for (i = 0; i < t->vlen; i++) {
				uint32_t m = ir_cu__type_align(cu, t->members[i].type);

				if (t->members[i].align > m)
					m = t->members[i].align;
				if (m > a)
					a = m;
			}
			return a;
		default:
			return 1;
		}
	}
	return 1;
}

/*
 * ir_cu__type_align() asked over and over (every member of every struct,
 * recursing into member structs) dominates a large CU's load, so
 * ir_cu__infer_packed() remembers answers. An answer depends on the
 * IR_TF_PACKED flags of the composites it reaches, which the inference
 * itself changes as it goes; so every change of any flag starts a new epoch
 * and forgets all answers at once (a stamp per entry). The answers are thus
 * exactly what ir_cu__type_align() says at that moment: the result does not
 * change, only the time.
 */
struct ir_align_memo {
	struct {
		uint32_t stamp;		/* epoch of val; 0: never */
		uint32_t val;
	} *v;
	uint32_t epoch;
};

static uint32_t ir_memo_align(const struct ir_cu *cu, struct ir_align_memo *mm,
			      ir_id start)
{
	ir_id id = start;
	uint32_t a = 1;
	int steps;

	if (id < cu->types.len && mm->v[id].stamp == mm->epoch)
		return mm->v[id].val;
	for (steps = 0; steps < IR_RESOLVE_MAX; steps++) {
		const struct ir_type *t = ir_cu__type(cu, id);
		uint32_t i;

		if (!t)
			break;
		if (t->align && (t->kind == IR_KIND_TYPEDEF ||
				 ir_kind__is_composite(t->kind))) {
			a = t->align;
			break;
		}
		if (t->kind == IR_KIND_TYPEDEF || ir_kind__is_modifier(t->kind) ||
		    t->kind == IR_KIND_ARRAY) {
			id = t->type;
			continue;
		}
		switch (t->kind) {
		case IR_KIND_INT:
		case IR_KIND_FLOAT:
		case IR_KIND_PTR:
		case IR_KIND_ENUM:
			a = ir_scalar_align(t->size);
			break;
		case IR_KIND_STRUCT:
		case IR_KIND_UNION:
			if (t->flags & IR_TF_PACKED)
				break;
			for (i = 0; i < t->vlen; i++) {
				uint32_t m = ir_memo_align(cu, mm, t->members[i].type);

				if (t->members[i].align > m)
					m = t->members[i].align;
				if (m > a)
					a = m;
			}
			break;
		default:
			break;
		}
		break;
	}
	if (start < cu->types.len) {
		mm->v[start].stamp = mm->epoch;
		mm->v[start].val = a;
	}
	return a;
}

static uint32_t ir_align_of(const struct ir_cu *cu, struct ir_align_memo *mm, ir_id id)
{
	return mm->v ? ir_memo_align(cu, mm, id) : ir_cu__type_align(cu, id);
}

/* Set or clear t's IR_TF_PACKED; a change forgets every remembered answer. */
static void ir_set_packed(struct ir_type *t, struct ir_align_memo *mm, bool packed)
{
	bool was = t->flags & IR_TF_PACKED;

	if (was == packed)
		return;
	t->flags ^= IR_TF_PACKED;
	mm->epoch++;
}

void ir_cu__infer_packed(struct ir_cu *cu)
{
	struct ir_align_memo mm = { .epoch = 1 };
	ir_id id;

	/* Without memory for the answers, ask ir_cu__type_align() each time. */
	mm.v = calloc(cu->types.len, sizeof(*mm.v));
	/* Types are added children-first by neither loader in general, so a
	 * struct's members may be inferred after it; a packed inner struct
	 * only lowers alignment, which can only make the outer one look less
	 * packed. Two rounds settle the common nesting. */
	for (int round = 0; round < 2; round++) {
		for (id = 1; id < cu->types.len; id++) {
			struct ir_type *t = &cu->types.v[id];
			uint32_t align = 1, i;

			if (!ir_kind__is_composite(t->kind) || !t->size)
				continue;
			ir_set_packed(t, &mm, false);
			for (i = 0; i < t->vlen; i++) {
				const struct ir_member *m = &t->members[i];
				uint32_t a = ir_align_of(cu, &mm, m->type);

				if (m->align > a)
					a = m->align;
				if (a > align)
					align = a;
				if (m->bitfield_size)
					continue;
				if (m->bit_offset % 8 ||
				    (m->bit_offset / 8) % a)
					ir_set_packed(t, &mm, true);
			}
			if (t->align > align)
				align = t->align;
			if (t->size % align)
				ir_set_packed(t, &mm, true);
		}
	}
	free(mm.v);
}
