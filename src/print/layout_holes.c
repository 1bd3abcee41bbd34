// SPDX-License-Identifier: GPL-2.0-only
/*
 * The facts pahole derives about a struct before printing it: where each
 * member's storage unit starts, the byte and bit holes between members,
 * the trailing padding, the natural alignment of types and whether the
 * struct must be __packed__. The rules follow pahole 1.24's output (and
 * its dwarves.c, studied), because the printed numbers must agree.
 */
#include <errno.h>
#include <stdlib.h>

#include "layout_int.h"

#define LP_MAX_STEPS 4096	/* typedef/qualifier chains */
#define LP_MAX_ALIGN_DEPTH 64	/* struct-in-struct for natural alignment */

ir_id lp_strip(const struct ir_cu *cu, ir_id id)
{
	int i;

	for (i = 0; i < LP_MAX_STEPS; i++) {
		const struct ir_type *t = ir_cu__type(cu, id);

		if (!t || (t->kind != IR_KIND_TYPEDEF &&
			   !ir_kind__is_modifier(t->kind)))
			return id;
		id = t->type;
	}
	return IR_VOID;
}

static void lp_mem_fill(const struct ir_cu *cu, const struct ir_member *m,
			struct lp_mem *pm)
{
	pm->m = m;
	pm->bit_offset = m->bit_offset;
	pm->bitfield_size = m->bitfield_size;
	pm->byte_size = ir_cu__type_size(cu, m->type, NULL);
	pm->bit_size = pm->byte_size * 8;
	pm->byte_offset = m->bit_offset / 8;
	pm->bitfield_offset = 0;
	/* A bitfield is shown inside its storage unit: a unit of the
	 * declared type's size, aligned to that size. */
	if (m->bitfield_size && pm->bit_size) {
		pm->bitfield_offset = (uint32_t)(m->bit_offset % pm->bit_size);
		pm->byte_offset = m->bit_offset / pm->bit_size * pm->byte_size;
	}
}

struct lp_hole_walk {
	int64_t cur_bf_end;		/* end of the current storage unit */
	int64_t cur_bf_size;		/* its size in bits */
	int64_t last_seen;		/* first bit not covered so far */
	bool in_bf;			/* the previous member was a bitfield */
};

/* Holes before member pm; advances the walk past it. */
static void lp_hole_step(struct lp_hole_walk *w, const struct lp_mem *pm,
			 int64_t *byte_holes, int64_t *bit_holes)
{
	/* Unsigned arithmetic, wrapping: hostile offsets and sizes make
	 * nonsense holes, but no overflow. */
	int64_t start = (int64_t)pm->bit_offset;
	int64_t end = (int64_t)((uint64_t)start + (pm->bitfield_size ? (uint64_t)pm->bitfield_size :
						   (uint64_t)pm->byte_size * 8));

	*byte_holes = *bit_holes = 0;
	if (w->in_bf) {
		/* bits left unused at the end of the previous unit */
		int64_t bf_end = start < w->cur_bf_end ? start : w->cur_bf_end;

		*bit_holes = bf_end - w->last_seen;
		w->last_seen = bf_end;
	}
	if (pm->bitfield_size) {
		int64_t aligned = (int64_t)((uint64_t)pm->byte_offset * 8);

		if (w->last_seen < aligned && aligned <= start) {
			*byte_holes = (int64_t)pm->byte_offset - w->last_seen / 8;
			w->last_seen = aligned;
		}
		*bit_holes += start - w->last_seen;
	} else {
		*byte_holes = start / 8 - w->last_seen / 8;
	}
	w->last_seen = end;
	if (pm->bitfield_size) {
		w->in_bf = true;
		if (end > w->cur_bf_end || (int64_t)pm->bit_size > w->cur_bf_size) {
			w->cur_bf_size = (int64_t)pm->bit_size;
			w->cur_bf_end = (int64_t)((uint64_t)pm->byte_offset * 8 +
						  (uint64_t)w->cur_bf_size);
			/* a field that borrowed bits of the previous unit ends
			 * in the next one */
			if (end > w->cur_bf_end)
				w->cur_bf_end += w->cur_bf_size;
		}
	} else {
		w->in_bf = false;
		w->cur_bf_size = 0;
		w->cur_bf_end = end;
	}
}

static void lp_find_holes(const struct ir_type *t, struct lp_class *c)
{
	struct lp_hole_walk w = { .cur_bf_end = (int64_t)((uint64_t)t->size * 8) };
	struct lp_mem *last = NULL;
	uint32_t i;

	for (i = 0; i < c->nr; i++) {
		struct lp_mem *pm = &c->mem[i];
		int64_t bytes, bits;

		lp_hole_step(&w, pm, &bytes, &bits);
		if (last) {
			last->hole = bytes;
			last->bit_hole = bits;
		} else {
			c->pre_hole = bytes;
			c->pre_bit_hole = bits;
		}
		c->nr_bit_holes += bits != 0;
		c->nr_holes += bytes != 0;
		last = pm;
	}
	if (w.in_bf) {
		int64_t end = (int64_t)((uint64_t)t->size * 8);

		if (w.cur_bf_end < end)
			end = w.cur_bf_end;
		c->bit_padding = end - w.last_seen;
		w.last_seen = end;
	}
	c->padding = (int64_t)t->size - w.last_seen / 8;
}

int lp_class_init(struct layout_printer *p, ir_id id, struct lp_class *c)
{
	const struct ir_cu *cu = p->lc->cu;
	const struct ir_type *t = ir_cu__type(cu, id);
	uint32_t i;

	*c = (struct lp_class){ 0 };
	if (!t || !ir_kind__is_composite(t->kind))
		return 0;
	if (t->vlen) {
		c->mem = calloc(t->vlen, sizeof(*c->mem));
		if (!c->mem)
			return -ENOMEM;
	}
	c->nr = t->vlen;
	for (i = 0; i < t->vlen; i++)
		lp_mem_fill(cu, &t->members[i], &c->mem[i]);
	if (t->kind == IR_KIND_STRUCT)
		lp_find_holes(t, c);
	return 0;
}

void lp_class_deinit(struct lp_class *c)
{
	free(c->mem);
	c->mem = NULL;
}

static uint32_t lp_natalign(struct layout_printer *p, ir_id id, int depth);

/* A struct or union aligns like its most aligned member; memoised. */
static uint32_t lp_natalign_composite(struct layout_printer *p, ir_id id,
				      const struct ir_type *t, int depth)
{
	struct lp_cu *lc = p->lc;
	uint32_t i, a = 0;

	if (lc->state[id] & LPS_ALIGN_DONE)
		return lc->natalign[id];
	if ((lc->state[id] & LPS_ALIGN_BUSY) || depth > LP_MAX_ALIGN_DEPTH)
		return 1;
	lc->state[id] |= LPS_ALIGN_BUSY;
	for (i = 0; i < t->vlen; i++) {
		uint32_t m = lp_natalign(p, lp_strip(lc->cu, t->members[i].type),
					 depth + 1);

		if (m > a)
			a = m;
	}
	lc->state[id] &= (uint8_t)~LPS_ALIGN_BUSY;
	lc->state[id] |= LPS_ALIGN_DONE;
	lc->natalign[id] = a;
	return a;
}

static uint32_t lp_natalign(struct layout_printer *p, ir_id id, int depth)
{
	const struct ir_cu *cu = p->lc->cu;
	const struct ir_type *t = ir_cu__type(cu, id);
	uint64_t a = 1;

	if (!t)
		return 1;
	switch (t->kind) {
	case IR_KIND_PTR:
		a = cu->addr_size ? cu->addr_size : t->size;
		break;
	case IR_KIND_INT:
	case IR_KIND_FLOAT:
	case IR_KIND_ENUM:
		a = t->size;
		break;
	case IR_KIND_STRUCT:
	case IR_KIND_UNION:
		a = lp_natalign_composite(p, id, t, depth);
		break;
	case IR_KIND_ARRAY:
		if (depth <= LP_MAX_ALIGN_DEPTH)
			a = lp_natalign(p, lp_strip(cu, t->type), depth + 1);
		break;
	default:
		break;
	}
	if (a == 0 || a > UINT32_MAX)
		return 1;
	return (uint32_t)a;
}

static void lp_mark_packed(struct layout_printer *p, ir_id id)
{
	p->lc->state[id] |= LPS_PACK_DONE | LPS_PACKED;
}

/* A struct with holes or padding is not packed itself, but a struct
 * member sitting at an offset its alignment forbids must be. */
static void lp_mark_unnatural(struct layout_printer *p, const struct lp_class *c)
{
	const struct ir_cu *cu = p->lc->cu;
	uint32_t i;

	for (i = 0; i < c->nr; i++) {
		ir_id mid = lp_strip(cu, c->mem[i].m->type);
		const struct ir_type *mt = ir_cu__type(cu, mid);

		if (!mt || mt->kind != IR_KIND_STRUCT)
			continue;
		if (c->mem[i].byte_offset % lp_natalign(p, mid, 0))
			lp_mark_packed(p, mid);
	}
}

static bool lp_infer_packed(struct layout_printer *p, const struct ir_type *t,
			    const struct lp_class *c)
{
	uint32_t i, max = 1;

	if (c->padding || c->nr_holes) {
		lp_mark_unnatural(p, c);
		return false;
	}
	for (i = 0; i < c->nr; i++) {
		uint32_t a = lp_natalign(p, lp_strip(p->lc->cu, c->mem[i].m->type), 0);

		if (a == 1)
			continue;
		if (a > max)
			max = a;
		if (c->mem[i].byte_offset % a)
			return true;
	}
	return (max != 1 && t->align == 1) || t->size % max != 0;
}

bool lp_packed(struct layout_printer *p, ir_id id)
{
	const struct ir_type *t = ir_cu__type(p->lc->cu, id);
	struct lp_class c;
	bool packed;

	if (!t || t->kind != IR_KIND_STRUCT)
		return false;
	if (p->lc->state[id] & LPS_PACK_DONE)
		return p->lc->state[id] & LPS_PACKED;
	if (lp_class_init(p, id, &c)) {
		p->err = p->err ? p->err : -ENOMEM;
		return false;
	}
	packed = lp_infer_packed(p, t, &c);
	lp_class_deinit(&c);
	p->lc->state[id] |= LPS_PACK_DONE | (packed ? LPS_PACKED : 0);
	return packed;
}

void lp_union_infer(struct layout_printer *p, ir_id id)
{
	const struct ir_cu *cu = p->lc->cu;
	const struct ir_type *t = ir_cu__type(cu, id);
	uint32_t i;

	if (!t || (p->lc->state[id] & LPS_UNION_DONE))
		return;
	for (i = 0; i < t->vlen; i++) {
		ir_id mid = lp_strip(cu, t->members[i].type);
		const struct ir_type *mt = ir_cu__type(cu, mid);

		if (mt && mt->kind == IR_KIND_STRUCT &&
		    t->size % lp_natalign(p, mid, 0))
			lp_mark_packed(p, mid);
	}
	p->lc->state[id] |= LPS_UNION_DONE;
}
