// SPDX-License-Identifier: GPL-2.0-only
/*
 * Walks over a unit's type graph whose depth the input controls, without
 * recursion: natural alignment (a struct aligns like its most aligned
 * member, which may be a struct nested 10,000 deep) and the check that no
 * type contains itself by value.
 *
 * Both keep an explicit stack on the heap, so a hostile unit costs memory
 * proportional to its size, never stack.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

/* No sane C type nests modifiers and typedefs deeper than this. */
#define IR_CHAIN_MAX 4096

/* memo stamp of a type on the walk's stack */
#define IR_ALIGN_BUSY UINT32_MAX

/* DWARF sizes are bytes; a bit offset must still fit in 64 bits. */
#define IR_SIZE_MAX (UINT64_MAX / 8)

static uint32_t ir_scalar_align(uint64_t size)
{
	uint32_t a = 1;

	/* Natural alignment of a scalar is its size rounded down to a power
	 * of two, capped at 16 (long double, __int128). */
	while (a < 16 && (uint64_t)a * 2 <= size)
		a *= 2;
	return a;
}

/*
 * Follow id through typedefs, modifiers and arrays. Returns the composite
 * whose members decide the alignment, or IR_VOID with *a set when the
 * chain itself decides it.
 */
static ir_id ir_align_leaf(const struct ir_cu *cu, ir_id id, uint32_t *a)
{
	for (int steps = 0; steps < IR_CHAIN_MAX; steps++) {
		const struct ir_type *t = ir_cu__type(cu, id);

		*a = 1;
		if (!t)
			return IR_VOID;
		if (t->align && (t->kind == IR_KIND_TYPEDEF || ir_kind__is_composite(t->kind))) {
			*a = t->align;
			return IR_VOID;
		}
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
			*a = ir_scalar_align(t->size);
			return IR_VOID;
		case IR_KIND_STRUCT:
		case IR_KIND_UNION:
			if (t->flags & IR_TF_PACKED || !t->vlen)
				return IR_VOID;
			return id;
		default:
			return IR_VOID;
		}
	}
	*a = 1;
	return IR_VOID;
}

int ir_align_walk__init(struct ir_align_walk *w, const struct ir_cu *cu)
{
	memset(w, 0, sizeof(*w));
	w->cu = cu;
	w->gen = 1;
	w->memo = calloc(cu->types.len ? cu->types.len : 1, sizeof(*w->memo));
	return w->memo ? 0 : -ENOMEM;
}

void ir_align_walk__fini(struct ir_align_walk *w)
{
	free(w->memo);
	free(w->stack);
	memset(w, 0, sizeof(*w));
}

static int ir_align_push(struct ir_align_walk *w, ir_id id)
{
	if (w->sp == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		void *s = realloc(w->stack, cap * sizeof(*w->stack));

		if (!s)
			return -ENOMEM;
		w->stack = s;
		w->cap = cap;
	}
	w->stack[w->sp].id = id;
	w->stack[w->sp].next = 0;
	w->stack[w->sp].align = 1;
	w->sp++;
	w->memo[id].stamp = IR_ALIGN_BUSY;
	return 0;
}

void ir_align_walk__invalidate(struct ir_align_walk *w)
{
	if (++w->gen == IR_ALIGN_BUSY) {
		memset(w->memo, 0, w->cu->types.len * sizeof(*w->memo));
		w->gen = 1;
	}
}

bool ir_align_walk__memoized(const struct ir_align_walk *w, ir_id id)
{
	return id < w->cu->types.len && w->memo[id].stamp == w->gen;
}

/* Out of memory mid-walk: forget the half-done frames. */
static uint32_t ir_align_abort(struct ir_align_walk *w)
{
	while (w->sp)
		w->memo[w->stack[--w->sp].id].stamp = 0;
	return 1;
}

uint32_t ir_align_walk__align(struct ir_align_walk *w, ir_id id)
{
	const struct ir_cu *cu = w->cu;
	uint32_t a, result = 1;
	ir_id c = ir_align_leaf(cu, id, &a);

	if (!c)
		return a;
	if (w->memo[c].stamp == w->gen)
		return w->memo[c].align;
	w->sp = 0;
	if (ir_align_push(w, c))
		return ir_align_abort(w);
	while (w->sp) {
		struct ir_align_frame *f = &w->stack[w->sp - 1];
		const struct ir_type *t = &cu->types.v[f->id];
		const struct ir_member *m;
		uint32_t ma;

		if (f->next == t->vlen) {
			w->memo[f->id].stamp = w->gen;	/* done */
			w->memo[f->id].align = f->align;
			result = f->align;
			w->sp--;
			continue;
		}
		m = &t->members[f->next];
		c = ir_align_leaf(cu, m->type, &ma);
		if (c) {
			if (w->memo[c].stamp == w->gen) {
				ma = w->memo[c].align;
			} else if (w->memo[c].stamp == IR_ALIGN_BUSY) {
				ma = 1;	/* contains itself: invalid, no answer */
			} else {
				if (ir_align_push(w, c))
					return ir_align_abort(w);
				continue;	/* this member again, once c is done */
			}
		}
		if (m->align > ma)
			ma = m->align;
		if (ma > f->align)
			f->align = ma;
		f->next++;
	}
	return result;
}

uint32_t ir_cu__type_align(const struct ir_cu *cu, ir_id id)
{
	struct ir_align_walk w;
	uint32_t a;

	ir_cu__ensure_packed(cu);
	if (ir_align_walk__init(&w, cu))
		return 1;
	a = ir_align_walk__align(&w, id);
	ir_align_walk__fini(&w);
	return a;
}

/* The types a value of t contains (not points to): 0, 1 or vlen of them. */
static uint32_t ir_value_edges(const struct ir_type *t)
{
	switch (t->kind) {
	case IR_KIND_TYPEDEF:
	case IR_KIND_CONST:
	case IR_KIND_VOLATILE:
	case IR_KIND_RESTRICT:
	case IR_KIND_ATOMIC:
	case IR_KIND_TYPE_TAG:
	case IR_KIND_ARRAY:
		return 1;
	case IR_KIND_STRUCT:
	case IR_KIND_UNION:
		return t->vlen;
	default:
		return 0;
	}
}

static ir_id ir_value_edge(const struct ir_type *t, uint32_t i)
{
	return ir_kind__is_composite(t->kind) ? t->members[i].type : t->type;
}

/* A size no type can have, or an array whose size overflows. */
static bool ir_absurd_size(const struct ir_type *t)
{
	uint64_t n = 1;

	if (t->size > IR_SIZE_MAX)
		return true;
	if (t->kind == IR_KIND_ARRAY) {
		for (uint32_t i = 0; i < t->vlen; i++)
			if (__builtin_mul_overflow(n, t->dims[i].count, &n) || n > IR_SIZE_MAX)
				return true;
	}
	return false;
}

int ir_cu__check_types(const struct ir_cu *cu, ir_id *bad_ret, const char **why_ret)
{
	struct frame {
		ir_id id;
		uint32_t next;
	} *stack = NULL;
	uint8_t *state;	/* 0 unseen, 1 on the stack, 2 done */
	size_t sp = 0, cap = 0;
	int err = 0;

	*bad_ret = IR_VOID;
	*why_ret = NULL;
	state = calloc(cu->types.len ? cu->types.len : 1, 1);
	if (!state)
		return -ENOMEM;
	for (ir_id root = 1; root < cu->types.len && !err; root++) {
		if (ir_absurd_size(&cu->types.v[root])) {
			*bad_ret = root;
			*why_ret = "absurd size (array bound or byte size)";
			err = -EINVAL;
			break;
		}
		if (state[root])
			continue;
		/* Depth-first over "contains by value" edges; an edge back to
		 * a type on the stack is a cycle without a pointer. */
		for (sp = 0;;) {
			ir_id next_id = IR_VOID;

			if (sp == 0) {
				next_id = root;
			} else {
				struct frame *f = &stack[sp - 1];
				const struct ir_type *t = &cu->types.v[f->id];

				if (f->next == ir_value_edges(t)) {
					state[f->id] = 2;
					if (--sp == 0)
						break;
					continue;
				}
				next_id = ir_value_edge(t, f->next++);
				if (next_id >= cu->types.len || next_id == IR_VOID ||
				    state[next_id] == 2)
					continue;
				if (state[next_id] == 1) {
					*bad_ret = next_id;
					*why_ret = "type contains itself (a cycle without a pointer)";
					err = -ELOOP;
					break;
				}
			}
			if (sp == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct frame *s = realloc(stack, ncap * sizeof(*s));

				if (!s) {
					err = -ENOMEM;
					break;
				}
				stack = s;
				cap = ncap;
			}
			stack[sp].id = next_id;
			stack[sp].next = 0;
			sp++;
			state[next_id] = 1;
		}
	}
	free(stack);
	free(state);
	return err;
}
