// SPDX-License-Identifier: GPL-2.0-only
/*
 * Member lines and struct/union/enum bodies, pahole 1.24 style: the
 * "offset size" comments, the XXX hole comments, "Bitfield combined"
 * notes, pahole's "Force padding" block and the closing statistics.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "layout_int.h"
#include "type_name.h"

static const char *plural(int64_t n)
{
	return n != 1 ? "s" : "";
}

static void lp_cacheline(struct layout_printer *p, const struct lp_conf *conf,
			 uint64_t offset)
{
	uint64_t cl = offset / p->cacheline;
	uint64_t pos = offset % p->cacheline;

	if (cl <= *conf->cachelinep)
		return;
	if (pos == 0)
		lp_printf(p, "/* --- cacheline %llu boundary (%llu bytes) --- */\n",
			  (unsigned long long)cl,
			  (unsigned long long)(offset - pos));
	else
		lp_printf(p, "/* --- cacheline %llu boundary (%llu bytes) was %llu byte%s ago --- */\n",
			  (unsigned long long)cl, (unsigned long long)(offset - pos),
			  (unsigned long long)pos, pos > 1 ? "s" : "");
	lp_tabs(p, conf->indent);
	*conf->cachelinep = cl;
}

static void lp_offset_comment(struct layout_printer *p, int width,
			      uint64_t offset, const struct lp_mem *pm)
{
	int size_spacing = 5;

	lp_printf(p, "%*s", width, " ");
	lp_sgr(p, LP_SGR_CYAN);
	lp_printf(p, "/* %5llu", (unsigned long long)offset);
	if (pm->bitfield_size) {
		lp_printf(p, ":%2u", pm->bitfield_offset);
		size_spacing -= 3;
	}
	lp_printf(p, " %*llu */", size_spacing, (unsigned long long)pm->byte_size);
	lp_sgr(p, LP_SGR_RESET);
}

/* One member line (no indentation, no newline). */
static void lp_member(struct layout_printer *p, const struct lp_mem *pm,
		      bool union_member, const struct lp_conf *conf)
{
	const struct ir_type *t = ir_cu__type(p->lc->cu, pm->m->type);
	const char *name = pm->m->name;
	struct lp_conf s = *conf;
	uint64_t offset = pm->byte_offset, start;
	bool tagged = t && (t->kind == IR_KIND_STRUCT || t->kind == IR_KIND_UNION ||
			    t->kind == IR_KIND_ENUM);
	int align_len = 0;

	if (!s.rel_offset) {
		offset += s.base_offset;
		if (!union_member)
			s.base_offset = offset;
	}
	lp_cacheline(p, conf, offset);
	start = p->written;
	if (tagged) {
		/* the name goes after the type so attributes land right */
		lp_type(p, pm->m->type, NULL, &s);
		if (name) {
			lp_printf(p, "%s", t->name ? "" : " ");
			lp_sgr(p, LP_SGR_GREEN);
			lp_printf(p, "%s", name);
			lp_sgr(p, LP_SGR_RESET);
		}
	} else {
		lp_type(p, pm->m->type, name, &s);
	}
	if (pm->bitfield_size)
		lp_printf(p, ":%u", pm->bitfield_size);
	if (pm->m->align)
		align_len = lp_printf(p, " __attribute__((__aligned__(%u)))",
				      pm->m->align);
	lp_printf(p, ";");
	if (tagged && !t->name) {
		/* pahole aligns an inline type's comment by its name only */
		int slen = align_len + (name ? (int)strlen(name) : -1);

		if (t->kind == IR_KIND_STRUCT && lp_packed(p, pm->m->type))
			slen += 28;	/* sizeof("__attribute__((__packed__))") */
		lp_offset_comment(p, s.type_spacing + s.name_spacing - slen - 3,
				  offset, pm);
	} else {
		int spacing = s.type_spacing + s.name_spacing -
			      (int)(p->written - start);

		lp_offset_comment(p, spacing > 0 ? spacing : 0, offset, pm);
	}
}

/* Running totals of one struct body. */
struct lp_sums {
	uint64_t bytes, bits, holes, bit_holes, paddings;
	uint32_t nr_paddings, nr_forced, nr_forced_holes;
	uint64_t sum_forced_holes;
	int newline;			/* a blank line is pending/printed */
};

static void lp_note(struct layout_printer *p, struct lp_sums *s)
{
	if (!s->newline++)
		lp_printf(p, "\n");
}

static void lp_explicit_bit_hole(struct layout_printer *p, const struct lp_mem *last,
				 const struct lp_mem *pos, const struct lp_conf *c)
{
	int64_t bits = last->bit_hole;

	if (last->byte_offset != pos->byte_offset) {
		lp_printf(p, "\n");
		lp_tabs(p, c->indent);
		lp_printf(p, "/* Force alignment to the next boundary: */\n");
		bits = 0;
	}
	lp_tabs(p, c->indent);
	lp_type(p, pos->m->type, "", c);
	lp_printf(p, ":%lld;\n", (long long)bits);
}

/* The notes pahole prints before a member that shares bytes with the
 * previous one. */
static void lp_before_member(struct layout_printer *p, const struct lp_mem *last,
			     uint64_t last_size, const struct lp_mem *pos,
			     const struct lp_conf *c, struct lp_sums *s)
{
	const char *msg = NULL;

	if (!last || last_size == 0)
		return;
	if (last->bit_hole && pos->bitfield_size)
		lp_explicit_bit_hole(p, last, pos, c);
	if (pos->byte_offset < last->byte_offset ||
	    (pos->byte_offset == last->byte_offset && !last->bitfield_size &&
	     pos->bitfield_size))
		msg = "previous";
	else if (pos->byte_offset > last->byte_offset &&
		 pos->byte_offset - last->byte_offset < last_size)
		msg = "next";
	if (msg) {
		lp_note(p, s);
		lp_tabs(p, c->indent);
		lp_printf(p, "/* Bitfield combined with %s fields */\n", msg);
	}
}

static void lp_after_member(struct layout_printer *p, const struct lp_mem *pos,
			    const struct lp_conf *c, struct lp_sums *s)
{
	const struct ir_type *mt = ir_cu__type(p->lc->cu, pos->m->type);

	if (mt && mt->kind == IR_KIND_STRUCT) {
		struct lp_class mc;

		if (lp_class_init(p, pos->m->type, &mc))
			p->err = p->err ? p->err : -ENOMEM;
		if (mc.padding > 0) {
			s->nr_paddings++;
			s->paddings += (uint64_t)mc.padding;
			lp_note(p, s);
			lp_printf(p, "\n");
			lp_tabs(p, c->indent);
			lp_printf(p, "/* XXX last struct has %lld byte%s of padding */",
				  (long long)mc.padding, plural(mc.padding));
		}
		lp_class_deinit(&mc);
	}
	if (pos->bit_hole) {
		lp_note(p, s);
		lp_printf(p, "\n");
		lp_tabs(p, c->indent);
		lp_printf(p, "/* XXX %lld bit%s hole, try to pack */",
			  (long long)pos->bit_hole, plural(pos->bit_hole));
		s->bit_holes += (uint64_t)pos->bit_hole;
	}
	if (pos->hole > 0) {
		lp_note(p, s);
		lp_printf(p, "\n");
		lp_tabs(p, c->indent);
		lp_printf(p, "/* XXX %lld byte%s hole, try to pack */",
			  (long long)pos->hole, plural(pos->hole));
		s->holes += (uint64_t)pos->hole;
	}
	lp_printf(p, "\n");
}

static void lp_pre_holes(struct layout_printer *p, const struct lp_class *cls,
			 const struct lp_conf *c, struct lp_sums *s)
{
	if (cls->pre_bit_hole > 0) {
		lp_note(p, s);
		lp_tabs(p, c->indent);
		lp_printf(p, "/* XXX %lld bit%s hole, try to pack */\n",
			  (long long)cls->pre_bit_hole, plural(cls->pre_bit_hole));
		s->bit_holes += (uint64_t)cls->pre_bit_hole;
	}
	if (cls->pre_hole > 0) {
		lp_note(p, s);
		lp_tabs(p, c->indent);
		lp_printf(p, "/* XXX %lld byte%s hole, try to pack */\n",
			  (long long)cls->pre_hole, plural(cls->pre_hole));
		s->holes += (uint64_t)cls->pre_hole;
	}
}

static void lp_members(struct layout_printer *p, const struct lp_class *cls,
		       struct lp_conf *c, struct lp_sums *s)
{
	const struct lp_mem *last = NULL;
	uint64_t last_size = 0;
	uint32_t i;

	for (i = 0; i < cls->nr; i++) {
		const struct lp_mem *pos = &cls->mem[i];

		if (pos->m->align) {
			int64_t fh = last ? last->hole : cls->pre_hole;

			if (fh) {
				s->nr_forced_holes++;
				s->sum_forced_holes += (uint64_t)fh;
			}
			s->nr_forced++;
		}
		lp_before_member(p, last, last_size, pos, c, s);
		if (s->newline) {
			lp_printf(p, "\n");
			s->newline = 0;
		}
		c->last_member = i + 1 == cls->nr;
		c->first_member = !last;
		lp_tabs(p, c->indent);
		lp_member(p, pos, false, c);
		lp_after_member(p, pos, c, s);
		if (pos->bitfield_size)
			s->bits += pos->bitfield_size;
		else
			s->bytes += pos->byte_size;
		if (!last || last_size == 0 || last->byte_offset != pos->byte_offset ||
		    (!last->bitfield_size && pos->bitfield_size))
			last_size = pos->byte_size;
		last = pos;
	}
}

/* pahole fills large trailing padding with anonymous bitfields of the
 * last member's type when the struct has no explicit alignment, one line
 * per member; we stop after LAYOUT_MAX_PAD_LINES of them, or when the
 * top-level type used up its LAYOUT_MAX_INLINE budget (these lines count
 * too: they may inline anonymous types), and say how many more pahole
 * would print (gigabytes of output for a 4 GiB padding). */
static void lp_force_padding(struct layout_printer *p, const struct ir_type *t,
			     const struct lp_class *cls, const struct lp_conf *c)
{
	const struct ir_cu *cu = p->lc->cu;
	ir_id lt;
	uint64_t size, added;

	if (!cls->padding || t->align || !cls->nr)
		return;
	lt = cls->mem[cls->nr - 1].m->type;
	size = ir_cu__type_size(cu, lt, NULL);
	if (!size || (size & (size - 1)) ||
	    (uint64_t)cls->padding <= (cu->addr_size ? cu->addr_size : 8))
		return;
	lp_printf(p, "\n");
	lp_tabs(p, c->indent);
	lp_printf(p, "/* Force padding: */\n");
	for (added = 0; added < (uint64_t)cls->padding; added += size) {
		if (added / size == LAYOUT_MAX_PAD_LINES || p->inlined >= LAYOUT_MAX_INLINE) {
			lp_tabs(p, c->indent);
			lp_printf(p, "/* ... %llu more */\n",
				  (unsigned long long)(((uint64_t)cls->padding - added + size - 1) / size));
			break;
		}
		p->inlined++;
		lp_tabs(p, c->indent);
		lp_type(p, lt, "", c);
		lp_printf(p, ":%llu;\n", (unsigned long long)size * 8);
	}
}

static void lp_stat_sums(struct layout_printer *p, const struct lp_class *cls,
			 const struct lp_conf *c, const struct lp_sums *s)
{
	if (!s->holes && !s->bit_holes)
		return;
	if (s->bytes) {
		lp_tabs(p, c->indent);
		lp_printf(p, "/* sum members: %llu", (unsigned long long)s->bytes);
		if (s->holes)
			lp_printf(p, ", holes: %u, sum holes: %llu", cls->nr_holes,
				  (unsigned long long)s->holes);
		lp_printf(p, " */\n");
	}
	if (s->bits) {
		lp_tabs(p, c->indent);
		lp_printf(p, "/* sum bitfield members: %llu bits", (unsigned long long)s->bits);
		if (s->bit_holes)
			lp_printf(p, ", bit holes: %u, sum bit holes: %llu bits",
				  cls->nr_bit_holes, (unsigned long long)s->bit_holes);
		else
			lp_printf(p, " (%llu bytes)", (unsigned long long)s->bits / 8);
		lp_printf(p, " */\n");
	}
}

static void lp_stats(struct layout_printer *p, const struct ir_type *t,
		     const struct lp_class *cls, const struct lp_conf *c,
		     const struct lp_sums *s)
{
	uint64_t last_cl = (c->base_offset + t->size) % p->cacheline;
	int64_t diff;

	lp_printf(p, "\n");
	lp_tabs(p, c->indent);
	lp_printf(p, "/* size: %llu, cachelines: %llu, members: %u */\n",
		  (unsigned long long)t->size,
		  (unsigned long long)((t->size + p->cacheline - 1) / p->cacheline),
		  t->vlen);
	lp_stat_sums(p, cls, c, s);
	if (cls->padding > 0) {
		lp_tabs(p, c->indent);
		lp_printf(p, "/* padding: %lld */\n", (long long)cls->padding);
	}
	if (s->nr_paddings) {
		lp_tabs(p, c->indent);
		lp_printf(p, "/* paddings: %u, sum paddings: %llu */\n",
			  s->nr_paddings, (unsigned long long)s->paddings);
	}
	if (cls->bit_padding > 0) {
		lp_tabs(p, c->indent);
		lp_printf(p, "/* bit_padding: %lld bits */\n", (long long)cls->bit_padding);
	}
	if (s->nr_forced) {
		lp_tabs(p, c->indent);
		lp_printf(p, "/* forced alignments: %u", s->nr_forced);
		if (s->nr_forced_holes)
			lp_printf(p, ", forced holes: %u, sum forced holes: %llu",
				  s->nr_forced_holes, (unsigned long long)s->sum_forced_holes);
		lp_printf(p, " */\n");
	}
	if (last_cl) {
		lp_tabs(p, c->indent);
		lp_printf(p, "/* last cacheline: %llu bytes */\n", (unsigned long long)last_cl);
	}
	/* pahole's own consistency check; with a sound model it stays quiet */
	diff = (int64_t)t->size * 8 - (int64_t)(s->bytes * 8 + s->bits + s->holes * 8 +
		s->bit_holes + (uint64_t)cls->padding * 8 + (uint64_t)cls->bit_padding);
	if (diff && t->vlen) {
		lp_printf(p, "\n");
		lp_tabs(p, c->indent);
		lp_printf(p, "/* BRAIN FART ALERT! %llu bytes != %llu (member bytes) + %llu (member bits) + %llu (byte holes) + %llu (bit holes), diff = %lld bits */\n",
			  (unsigned long long)t->size, (unsigned long long)s->bytes,
			  (unsigned long long)s->bits, (unsigned long long)s->holes,
			  (unsigned long long)s->bit_holes, (long long)diff);
	}
}

static void lp_open(struct layout_printer *p, const char *kw,
		    const struct ir_type *t, const struct lp_conf *conf)
{
	if (conf->prefix)
		lp_printf(p, "%s ", conf->prefix);
	lp_printf(p, "%s%s", kw, t->name ? " " : "");
	if (t->name) {
		lp_sgr(p, LP_SGR_BOLD);
		lp_printf(p, "%s", t->name);
		lp_sgr(p, LP_SGR_RESET);
	}
	lp_printf(p, " {\n");
}

void lp_struct(struct layout_printer *p, ir_id id, const struct lp_conf *conf)
{
	const struct ir_type *t = ir_cu__type(p->lc->cu, id);
	struct lp_conf c = *conf;
	struct lp_sums s = { 0 };
	struct lp_class cls;
	uint64_t cacheline = 0;
	int indent = conf->indent < LP_MAX_TABS ? conf->indent : LP_MAX_TABS;
	bool packed;

	lp_open(p, p->lc->cu->lang == IR_LANG_CXX ? "class" : "struct", t, conf);
	if (!c.cachelinep)
		c.cachelinep = &cacheline;
	c.indent = indent + 1;
	packed = lp_packed(p, id);
	if (lp_class_init(p, id, &cls)) {
		p->err = p->err ? p->err : -ENOMEM;
		return;
	}
	lp_pre_holes(p, &cls, &c, &s);
	lp_members(p, &cls, &c, &s);
	lp_force_padding(p, t, &cls, &c);
	if (c.emit_stats)
		lp_stats(p, t, &cls, &c, &s);
	lp_class_deinit(&cls);
	lp_tabs(p, indent);
	lp_printf(p, "}");
	if (packed)
		lp_printf(p, " __attribute__((__packed__))");
	if (conf->suffix)
		lp_printf(p, " %s", conf->suffix);
	if (t->align && !packed)
		lp_printf(p, " __attribute__((__aligned__(%u)))", t->align);
}

void lp_union(struct layout_printer *p, ir_id id, const struct lp_conf *conf)
{
	const struct ir_type *t = ir_cu__type(p->lc->cu, id);
	struct lp_conf u = *conf;
	struct lp_class cls;
	uint64_t cacheline = 0, initial;
	int indent = conf->indent < LP_MAX_TABS ? conf->indent : LP_MAX_TABS;
	uint32_t i;

	lp_open(p, "union", t, conf);
	u.indent = indent + 1;
	lp_union_infer(p, id);
	if (!u.cachelinep)
		u.cachelinep = &cacheline;
	/* every member starts over from the union's cacheline */
	initial = *u.cachelinep;
	if (lp_class_init(p, id, &cls)) {
		p->err = p->err ? p->err : -ENOMEM;
		return;
	}
	for (i = 0; i < cls.nr; i++) {
		lp_tabs(p, u.indent);
		u.union_member = true;
		lp_member(p, &cls.mem[i], true, &u);
		lp_printf(p, "\n");
		*u.cachelinep = initial;
	}
	lp_class_deinit(&cls);
	lp_tabs(p, indent);
	lp_printf(p, "}%s%s", conf->suffix ? " " : "", conf->suffix ? conf->suffix : "");
}

/* Enumerator values of a signed enum narrower than 64 bits may be stored
 * zero-extended; widen them from the enum's size. */
static long long lp_sext(uint64_t v, uint64_t size)
{
	unsigned bits = size && size < 8 ? (unsigned)size * 8 : 64;

	if (bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ULL << bits;
	return (long long)v;
}

void lp_enum(struct layout_printer *p, ir_id id, const struct lp_conf *conf)
{
	const struct ir_type *t = ir_cu__type(p->lc->cu, id);
	int indent = conf->indent < LP_MAX_TABS ? conf->indent : LP_MAX_TABS;
	int width = 0;
	uint32_t i;

	lp_printf(p, "enum%s%s", t->name ? " " : "", t->name ? t->name : "");
	if (!t->vlen)
		return;	/* a declaration: pahole prints just the name */
	lp_printf(p, " {\n");
	for (i = 0; i < t->vlen; i++) {
		int n = (int)strlen(t->enumerators[i].name ? t->enumerators[i].name : "");

		if (n > width)
			width = n;
	}
	for (i = 0; i < t->vlen; i++) {
		const struct ir_enumerator *e = &t->enumerators[i];

		lp_tabs(p, indent);
		lp_printf(p, "\t%-*s = ", width, e->name ? e->name : "");
		if (t->flags & IR_TF_SIGNED)
			lp_printf(p, "%lld,\n", lp_sext(e->value, t->size));
		else
			lp_printf(p, "%llu,\n", (unsigned long long)e->value);
	}
	lp_tabs(p, indent);
	lp_printf(p, "}");
	if (t->size != 4)
		lp_printf(p, " __attribute__((__packed__))");
	if (conf->suffix)
		lp_printf(p, " %s", conf->suffix);
}
