// SPDX-License-Identifier: GPL-2.0-only
/* Questions about types that every consumer of the model asks. */
#include "ir.h"

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

void ir_cu__ensure_packed(const struct ir_cu *cu)
{
	struct ir_cu *fill = (struct ir_cu *)cu;	/* a cache, see ir.h */

	if (!cu->packed_pending)
		return;
	fill->packed_pending = false;
	ir_cu__infer_packed(fill);
}

void ir_cu__infer_packed(struct ir_cu *cu)
{
	struct ir_align_walk w;
	ir_id id;

	if (ir_align_walk__init(&w, cu))
		return;	/* no memory: every type keeps its flags */
	/* Types are added children-first by neither loader in general, so a
	 * struct's members may be inferred after it; a packed inner struct
	 * only lowers alignment, which can only make the outer one look less
	 * packed. Two rounds settle the common nesting; a round that changed
	 * no flag would be repeated identically, so it is the last. */
	for (int round = 0; round < 2; round++) {
		bool changed = false;

		for (id = 1; id < cu->types.len; id++) {
			struct ir_type *t = &cu->types.v[id];
			uint32_t align = 1, i;
			uint16_t was = t->flags & IR_TF_PACKED;

			if (!ir_kind__is_composite(t->kind) || !t->size)
				continue;
			t->flags &= ~IR_TF_PACKED;
			for (i = 0; i < t->vlen; i++) {
				const struct ir_member *m = &t->members[i];
				uint32_t a = ir_align_walk__align(&w, m->type);

				if (m->align > a)
					a = m->align;
				if (a > align)
					align = a;
				if (m->bitfield_size)
					continue;
				if (m->bit_offset % 8 ||
				    (m->bit_offset / 8) % a)
					t->flags |= IR_TF_PACKED;
			}
			if (t->align > align)
				align = t->align;
			if (t->size % align)
				t->flags |= IR_TF_PACKED;
			if ((t->flags & IR_TF_PACKED) != was) {
				/* Aligns of its containers change. Memos are
				 * made for unpacked structs only, and a walk
				 * through one memoizes it: a struct that
				 * turned packed before any walk went through
				 * it left every memo right. */
				if (!(t->flags & IR_TF_PACKED) || ir_align_walk__memoized(&w, id))
					ir_align_walk__invalidate(&w);
				changed = true;
			}
		}
		if (!changed)
			break;
	}
	ir_align_walk__fini(&w);
}
