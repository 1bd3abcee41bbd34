// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layout printer object: which types get printed (pahole's selection,
 * de-duplication and -C rules, see layout.h), the top-level forms
 * ("struct x {...};", "typedef struct {...} x;", "enum e {...};") and the
 * output primitives that keep count of the columns.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "layout_int.h"
#include "type_name.h"
#include "../util/vec.h"

struct lp_sig_mem {
	const char *name;		/* NULL: anonymous member */
	uint64_t bit_offset;
	uint32_t bitfield_size;
};

/* What identifies a printed layout (pahole compares exactly this). */
struct lp_sig {
	const char *name;
	uint64_t size;
	uint32_t nr;
	struct lp_sig_mem *mem;
	size_t next;			/* index+1 of the next with the same hash */
};

static const char tabs[LP_MAX_TABS + 1] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

int lp_printf(struct layout_printer *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(p->out, fmt, ap);
	va_end(ap);
	if (n < 0) {
		if (!p->err)
			p->err = -EIO;
		return 0;
	}
	p->written += (uint64_t)n;
	return n;
}

void lp_sgr(struct layout_printer *p, const char *seq)
{
	if (p->color && fputs(seq, p->out) == EOF && !p->err)
		p->err = -EIO;
}

int lp_tabs(struct layout_printer *p, int n)
{
	if (n <= 0)
		return 0;
	return lp_printf(p, "%.*s", n < LP_MAX_TABS ? n : LP_MAX_TABS, tabs);
}

void lp_conf_top(struct lp_conf *c, bool is_union)
{
	*c = (struct lp_conf){
		.type_spacing = LP_TYPE_SPACING,
		.name_spacing = is_union ? LP_UNION_NAME_SPACING : LP_NAME_SPACING,
		.emit_stats = true,
	};
}

int layout_printer__new(const struct layout_opts *opts, FILE *out,
			struct layout_printer **ret)
{
	struct layout_printer *p;
	size_t i;

	if (!opts || !out || !ret || (opts->nr_names && !opts->names))
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->out = out;
	p->cacheline = opts->cacheline_size ? opts->cacheline_size : 64;
	p->color = opts->color;
	arena_init(&p->arena);
	hmap_init(&p->seen);
	p->nr_names = opts->nr_names;
	if (p->nr_names) {
		p->names = arena_calloc(&p->arena, p->nr_names, sizeof(*p->names));
		p->found = arena_calloc(&p->arena, p->nr_names, sizeof(*p->found));
		if (!p->names || !p->found)
			goto nomem;
		for (i = 0; i < p->nr_names; i++) {
			p->names[i] = arena_strdup(&p->arena, opts->names[i] ? opts->names[i] : "");
			if (!p->names[i])
				goto nomem;
		}
	}
	*ret = p;
	return 0;
nomem:
	layout_printer__free(p);
	return -ENOMEM;
}

void layout_printer__free(struct layout_printer *p)
{
	if (!p)
		return;
	hmap_deinit(&p->seen);
	vec_free(&p->sigs);
	arena_deinit(&p->arena);
	free(p);
}

int layout_printer__finish(struct layout_printer *p)
{
	if (fflush(p->out) && !p->err)
		p->err = -EIO;
	return p->err;
}

const char *layout_printer__missing(const struct layout_printer *p, size_t i)
{
	size_t k;

	for (k = 0; k < p->nr_names; k++) {
		if (p->found[k])
			continue;
		if (i-- == 0)
			return p->names[k];
	}
	return NULL;
}

static uint64_t lp_sig_hash(const struct ir_type *t)
{
	uint64_t h = hash_bytes(t->name, strlen(t->name), t->size);
	uint32_t i;

	h = hash_combine(h, t->vlen);
	for (i = 0; i < t->vlen; i++) {
		h = hash_combine(h, t->members[i].bit_offset);
		h = hash_combine(h, t->members[i].bitfield_size);
	}
	return h;
}

/* pahole's comparison: member names only count when both have one. */
static bool lp_sig_equal(const struct lp_sig *s, const struct ir_type *t)
{
	uint32_t i;

	if (strcmp(s->name, t->name) || s->size != t->size || s->nr != t->vlen)
		return false;
	for (i = 0; i < s->nr; i++) {
		const struct ir_member *m = &t->members[i];

		if (s->mem[i].name && m->name && strcmp(s->mem[i].name, m->name))
			return false;
		if (s->mem[i].bit_offset != m->bit_offset ||
		    s->mem[i].bitfield_size != m->bitfield_size)
			return false;
	}
	return true;
}

static int lp_sig_add(struct layout_printer *p, const struct ir_type *t,
		      uint64_t h, size_t next)
{
	struct lp_sig s = { .size = t->size, .nr = t->vlen, .next = next };
	uint32_t i;

	s.name = arena_strdup(&p->arena, t->name);
	s.mem = t->vlen ? arena_calloc(&p->arena, t->vlen, sizeof(*s.mem)) : NULL;
	if (!s.name || (t->vlen && !s.mem))
		return -ENOMEM;
	for (i = 0; i < t->vlen; i++) {
		const struct ir_member *m = &t->members[i];

		s.mem[i].name = m->name ? arena_strdup(&p->arena, m->name) : NULL;
		if (m->name && !s.mem[i].name)
			return -ENOMEM;
		s.mem[i].bit_offset = m->bit_offset;
		s.mem[i].bitfield_size = m->bitfield_size;
	}
	if (vec_push(&p->sigs))
		return -ENOMEM;
	*vec_last(&p->sigs) = s;
	return hmap_set(&p->seen, h, p->sigs.len);
}

/* Remember t's layout; *dup is set when an equal one was printed before. */
static int lp_seen(struct layout_printer *p, const struct ir_type *t, bool *dup)
{
	uint64_t h = lp_sig_hash(t), head = 0, k;

	hmap_get(&p->seen, h, &head);
	for (k = head; k; k = p->sigs.v[k - 1].next) {
		if (lp_sig_equal(&p->sigs.v[k - 1], t)) {
			*dup = true;
			return 0;
		}
	}
	*dup = false;
	return lp_sig_add(p, t, h, (size_t)head);
}

static void lp_typedef(struct layout_printer *p, ir_id id, const struct lp_conf *conf);

static void lp_top(struct layout_printer *p, ir_id id)
{
	const struct ir_type *t = ir_cu__type(p->lc->cu, id);
	struct lp_conf c;

	lp_conf_top(&c, t->kind == IR_KIND_UNION);
	p->inlined = 0;
	switch (t->kind) {
	case IR_KIND_STRUCT:
		lp_struct(p, id, &c);
		break;
	case IR_KIND_UNION:
		lp_union(p, id, &c);
		break;
	case IR_KIND_ENUM:
		lp_enum(p, id, &c);
		break;
	default:
		lp_typedef(p, id, &c);
		break;
	}
	lp_printf(p, ";\n");
}

/* "typedef T name", pahole's forms: anonymous structs and enums inline,
 * function (pointer) typedefs as declarators, arrays through the member
 * printer (hence its column padding). */
static void lp_typedef(struct layout_printer *p, ir_id id, const struct lp_conf *conf)
{
	const struct ir_cu *cu = p->lc->cu;
	const struct ir_type *td = ir_cu__type(cu, id), *t;
	const char *name = td->name ? td->name : "";
	struct lp_conf c = *conf;
	ir_id tid = td->type;
	struct tn_buf b;
	int steps;

	lp_printf(p, "typedef ");
	for (steps = 0; steps < TN_MAX_DEPTH; steps++) {
		t = ir_cu__type(cu, tid);
		if (!t || t->kind != IR_KIND_ATOMIC)
			break;
		lp_printf(p, "_Atomic ");
		tid = t->type;
	}
	tn_buf_init(&b);
	if (!t) {
		tn_append_name(&b, cu, tid);
		lp_printf(p, "%s %s", tn_buf_str(&b), name);
	} else if (t->kind == IR_KIND_ARRAY) {
		lp_type(p, tid, name, &c);
	} else if (t->kind == IR_KIND_FUNC_PROTO ||
		   (t->kind == IR_KIND_PTR && ir_cu__type(cu, t->type) &&
		    ir_cu__type(cu, t->type)->kind == IR_KIND_FUNC_PROTO)) {
		bool ptr = t->kind == IR_KIND_PTR;

		tn_append_ftype(&b, cu, ptr ? t->type : tid, name, ptr, 0, true);
		lp_printf(p, "%s", tn_buf_str(&b));
	} else if ((t->kind == IR_KIND_STRUCT || t->kind == IR_KIND_ENUM) && !t->name) {
		c.suffix = name;
		if (t->kind == IR_KIND_STRUCT)
			lp_struct(p, tid, &c);
		else
			lp_enum(p, tid, &c);
	} else if ((t->kind == IR_KIND_STRUCT || t->kind == IR_KIND_ENUM) && t->name) {
		lp_printf(p, "%s %s %s", t->kind == IR_KIND_ENUM ? "enum" : "struct",
			  t->name, name);
	} else {
		tn_append_name(&b, cu, tid);
		lp_printf(p, "%s %s", tn_buf_str(&b), name);
	}
	if (b.oom && !p->err)
		p->err = -ENOMEM;
	tn_buf_deinit(&b);
}

/* Type ids of the CU in declaration (DIE) order, pahole's order. */
static int lp_cmp_off(const void *a, const void *b, void *arg)
{
	const struct ir_cu *cu = arg;
	ir_id ia = *(const ir_id *)a, ib = *(const ir_id *)b;
	const struct ir_type *ta = &cu->types.v[ia], *tb = &cu->types.v[ib];

	if (ta->orig_off != tb->orig_off)
		return ta->orig_off < tb->orig_off ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static ir_id *lp_order(const struct ir_cu *cu, size_t *nr)
{
	size_t n = cu->types.len ? cu->types.len - 1 : 0, i;
	ir_id *ids = malloc((n ? n : 1) * sizeof(*ids));

	if (!ids)
		return NULL;
	for (i = 0; i < n; i++)
		ids[i] = (ir_id)(i + 1);
	qsort_r(ids, n, sizeof(*ids), lp_cmp_off, (void *)cu);
	*nr = n;
	return ids;
}

/* pahole FILE: named file-scope structs and unions, once per layout. */
static int lp_print_all(struct layout_printer *p, const ir_id *ids, size_t n)
{
	const struct ir_cu *cu = p->lc->cu;
	size_t i;
	int err;

	for (i = 0; i < n && !p->err; i++) {
		const struct ir_type *t = ir_cu__type(cu, ids[i]);
		bool dup;

		if (!ir_kind__is_composite(t->kind) || !t->name ||
		    (t->flags & IR_TF_LOCAL))
			continue;
		err = lp_seen(p, t, &dup);
		if (err)
			return err;
		if (!dup)
			lp_top(p, ids[i]);
	}
	return p->err;
}

/* The first defined struct, union, enum or typedef called name. */
static ir_id lp_find(const struct ir_cu *cu, const ir_id *ids, size_t n,
		     const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct ir_type *t = ir_cu__type(cu, ids[i]);

		if (t->name && (ir_kind__is_composite(t->kind) ||
				t->kind == IR_KIND_ENUM || t->kind == IR_KIND_TYPEDEF) &&
		    !strcmp(t->name, name))
			return ids[i];
	}
	return IR_VOID;
}

/* pahole -C: pending names in order; the first one this CU lacks ends
 * its turn (pahole's rule, which makes the result depend on the order of
 * the names, kept for byte-identical output). */
static int lp_print_names(struct layout_printer *p, const ir_id *ids, size_t n)
{
	size_t k;

	for (k = 0; k < p->nr_names && !p->err; k++) {
		ir_id id;

		if (p->found[k])
			continue;
		id = lp_find(p->lc->cu, ids, n, p->names[k]);
		if (id == IR_VOID)
			break;
		p->found[k] = true;
		lp_top(p, id);
	}
	return p->err;
}

int layout_printer__add_cu(struct layout_printer *p, const struct ir_cu *cu)
{
	struct lp_cu lc = { .cu = cu };
	size_t n = 0;
	ir_id *ids;
	int err;

	if (!p || !cu)
		return -EINVAL;
	if (p->err)
		return p->err;
	ids = lp_order(cu, &n);
	lc.state = calloc(cu->types.len ? cu->types.len : 1, sizeof(*lc.state));
	lc.natalign = calloc(cu->types.len ? cu->types.len : 1, sizeof(*lc.natalign));
	if (!ids || !lc.state || !lc.natalign) {
		err = -ENOMEM;
		goto out;
	}
	p->lc = &lc;
	err = p->nr_names ? lp_print_names(p, ids, n) : lp_print_all(p, ids, n);
	p->lc = NULL;
	if (err && !p->err)
		p->err = err;
out:
	free(ids);
	free(lc.state);
	free(lc.natalign);
	return err;
}
