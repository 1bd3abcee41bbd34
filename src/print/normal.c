// SPDX-License-Identifier: GPL-2.0-only
/*
 * The normal form (normal.h): every entry of a unit is built as one text
 * block in a scratch buffer and added to a string set, which keeps each
 * distinct block once however many units repeat it. Writing sorts the
 * distinct blocks bytewise. Nothing else is kept, so the memory used is
 * that of the distinct output.
 */
#include "normal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strset.h"
#include "../util/vec.h"
#include "normal_int.h"

struct normal_printer {
	struct normal_opts opts;
	struct strset entries;		/* every distinct entry text */
	struct {
		uint32_t *v;		/* offsets into entries, unsorted */
		size_t len, cap;
	} offs;
	/* normal_printer__set_reference(): */
	bool has_ref;
	struct strset ref_funcs;	/* the reference's function names */
	struct strset ref_vars;		/* its variables' "name\tsection\toffset" */
	struct strset ref_entries;	/* its function and variable entries */
	struct tn_buf buf;		/* the entry being built */
};

/* Empty b for the next entry, which may take NORMAL_MAX_ENTRY bytes. */
static void nm_reset(struct tn_buf *b)
{
	tn_buf_reset(b);
	tn_buf_limit(b, NORMAL_MAX_ENTRY);
}

int normal_printer__new(const struct normal_opts *opts, struct normal_printer **ret)
{
	struct normal_printer *p;

	if (!opts || !ret)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->opts = *opts;
	tn_buf_init(&p->buf);
	nm_reset(&p->buf);
	if (strset_init(&p->entries) || strset_init(&p->ref_funcs) ||
	    strset_init(&p->ref_vars) || strset_init(&p->ref_entries)) {
		normal_printer__free(p);
		return -ENOMEM;
	}
	*ret = p;
	return 0;
}

void normal_printer__free(struct normal_printer *p)
{
	if (!p)
		return;
	strset_deinit(&p->entries);
	strset_deinit(&p->ref_funcs);
	strset_deinit(&p->ref_vars);
	strset_deinit(&p->ref_entries);
	vec_free(&p->offs);
	tn_buf_deinit(&p->buf);
	free(p);
}

/* A variable's place as a key: "name\tsection\toffset". */
static void nm_var_key(struct tn_buf *b, const struct ir_var *v)
{
	nm_reset(b);
	tn_printf(b, "%s\t%s\t%" PRIu64, v->name, v->section, v->section_offset);
}

/* Keep the entry in p->buf (once) and start the next one. */
static int nm_commit(struct normal_printer *p)
{
	size_t before = p->entries.nr_strs;
	uint32_t off;

	if (p->buf.full) {
		/* Cut at its limit: it still ends its line. */
		tn_buf_limit(&p->buf, 0);
		tn_printf(&p->buf, "\n");
	}
	if (p->buf.oom)
		return -ENOMEM;
	if (strset_add(&p->entries, tn_buf_str(&p->buf), &off))
		return -ENOMEM;
	nm_reset(&p->buf);
	if (p->entries.len > NORMAL_MAX_TOTAL)
		return -E2BIG;
	if (p->entries.nr_strs == before)
		return 0;	/* seen before */
	if (vec_push(&p->offs))
		return -ENOMEM;
	*vec_last(&p->offs) = off;
	return 0;
}

static void nm_indent(struct tn_buf *b, int n)
{
	while (n-- > 0)
		tn_printf(b, "\t");
}

static void nm_align(const struct normal_printer *p, struct tn_buf *b, uint32_t align)
{
	if (align && !p->opts.drop_align)
		tn_printf(b, " align %u", align);
}

/*
 * The member lines of t, anonymous struct and union members expanded in
 * place one tab deeper. An explicit stack, not recursion: nesting deeper
 * than NORMAL_MAX_NEST prints "{...}" instead of the members.
 */
static void nm_members(struct normal_printer *p, const struct nm_ctx *c,
		       const struct ir_type *top)
{
	struct {
		const struct ir_type *t;
		uint32_t next, nr;
	} st[NORMAL_MAX_NEST];
	struct tn_buf *b = &p->buf;
	int sp = 0;

	st[0].t = top;
	st[0].next = 0;
	st[0].nr = nm_nr_members(c, top);
	while (sp >= 0 && !b->full) {
		const struct ir_member *m;
		const struct ir_type *anon;
		bool is_union;

		if (st[sp].next >= st[sp].nr) {
			sp--;
			continue;
		}
		m = &st[sp].t->members[st[sp].next++];
		nm_indent(b, sp + 1);
		tn_printf(b, "%s: ", m->name ? m->name : "-");
		anon = nm_anon_composite(c, m->type, &is_union);
		if (anon)
			tn_printf(b, "%s (anon) size %" PRIu64, is_union ? "union" : "struct",
				  nm_size(c, anon));
		else
			nm_spell(c, b, m->type);
		tn_printf(b, " @%" PRIu64, m->bit_offset);
		if (m->bitfield_size)
			tn_printf(b, ":%u", m->bitfield_size);
		nm_align(p, b, m->align);
		nm_tags(b, &m->annots);
		if (anon && sp + 1 >= NORMAL_MAX_NEST) {
			tn_printf(b, " {...}\n");
			continue;
		}
		tn_printf(b, "\n");
		if (anon) {
			sp++;
			st[sp].t = anon;
			st[sp].next = 0;
			st[sp].nr = nm_nr_members(c, anon);
		}
	}
}

static void nm_enum_body(struct normal_printer *p, const struct ir_type *t)
{
	bool is_signed = t->flags & IR_TF_SIGNED;
	uint32_t i;

	for (i = 0; i < t->vlen && !p->buf.full; i++) {
		const struct ir_enumerator *e = &t->enumerators[i];

		if (is_signed)
			tn_printf(&p->buf, "\t%s = %" PRId64 "\n", e->name ? e->name : "-",
				  (int64_t)e->value);
		else
			tn_printf(&p->buf, "\t%s = %" PRIu64 "\n", e->name ? e->name : "-",
				  e->value);
	}
}

static void nm_composite(struct normal_printer *p, const struct nm_ctx *c,
			 const struct ir_type *t)
{
	tn_printf(&p->buf, "%s %s size %" PRIu64, t->kind == IR_KIND_UNION ? "union" : "struct",
		  t->name, t->size);
	nm_align(p, &p->buf, t->align);
	nm_tags(&p->buf, &t->annots);
	tn_printf(&p->buf, "\n");
	nm_members(p, c, t);
}

static void nm_base(struct normal_printer *p, const struct nm_ctx *c,
		    const struct ir_type *t)
{
	struct tn_buf *b = &p->buf;

	tn_printf(b, "base %s size %" PRIu64, t->name, t->size);
	if (t->kind == IR_KIND_FLOAT) {
		/* The encoder's default: an INT without encoding. */
		if (!c->opts->btf_fallbacks)
			tn_printf(b, " float%s", t->flags & IR_TF_COMPLEX ? " complex" : "");
		tn_printf(b, "\n");
		return;
	}
	if (t->int_bits != t->size * 8)
		tn_printf(b, " bits %u", t->int_bits);
	if (t->int_offset)
		tn_printf(b, " offset %u", t->int_offset);
	if (t->flags & IR_TF_SIGNED)
		tn_printf(b, " signed");
	/* Like pahole, the encoder never sets BTF_INT_CHAR. */
	if ((t->flags & IR_TF_CHAR) && !c->opts->btf_fallbacks)
		tn_printf(b, " char");
	if (t->flags & IR_TF_BOOL)
		tn_printf(b, " bool");
	tn_printf(b, "\n");
}

static void nm_typedef(struct normal_printer *p, const struct nm_ctx *c,
		       const struct ir_type *t)
{
	const struct ir_type *target = ir_cu__type(c->cu, t->type), *anon;
	bool is_union;

	tn_printf(&p->buf, "typedef %s: ", t->name);
	anon = nm_anon_composite(c, t->type, &is_union);
	if (anon)
		tn_printf(&p->buf, "%s (anon) size %" PRIu64, is_union ? "union" : "struct",
			  nm_size(c, anon));
	else
		nm_spell(c, &p->buf, t->type);
	nm_align(p, &p->buf, t->align);
	nm_tags(&p->buf, &t->annots);
	tn_printf(&p->buf, "\n");
	if (anon)
		nm_members(p, c, anon);
	else if (target && target->kind == IR_KIND_ENUM && !target->name)
		nm_enum_body(p, target);
}

/* Build one type's entry in p->buf; false when it has none. */
static bool nm_type_text(struct normal_printer *p, const struct nm_ctx *c,
			 const struct ir_type *t)
{
	uint64_t size;

	switch (t->kind) {
	case IR_KIND_INT:
	case IR_KIND_FLOAT:
		if (!t->name || nm_is_opaque(c, t, &size) ||
		    (c->opts->btf_fallbacks && !strcmp(t->name, NM_INDEX_TYPE_NAME)))
			return false;
		nm_base(p, c, t);
		break;
	case IR_KIND_STRUCT:
	case IR_KIND_UNION:
		if (!t->name)
			return false;
		nm_composite(p, c, t);
		break;
	case IR_KIND_ENUM:
		/* BTF has no enum FWD: the encoder writes an ENUM without
		 * enumerators, which no C enum is. Printed as neither. */
		if (!t->vlen && c->opts->btf_fallbacks)
			return false;
		tn_printf(&p->buf, "enum %s size %" PRIu64 "%s", t->name ? t->name : "(anon)",
			  t->size, t->flags & IR_TF_SIGNED ? " signed" : "");
		nm_tags(&p->buf, &t->annots);
		tn_printf(&p->buf, "\n");
		nm_enum_body(p, t);
		break;
	case IR_KIND_TYPEDEF:
		if (!t->name)
			return false;
		nm_typedef(p, c, t);
		break;
	default:
		return false;
	}
	return true;
}

/* One type's entry, if it has one. */
static int nm_type(struct normal_printer *p, const struct nm_ctx *c,
		   const struct ir_type *t)
{
	return nm_type_text(p, c, t) ? nm_commit(p) : 0;
}

/* Should the functions or variable that keyed p->buf be printed? */
static bool nm_in(struct normal_printer *p, const struct strset *set, const char *key)
{
	uint32_t off;

	return !p->has_ref || strset_find(set, key, &off) == 0;
}

/* Build f's entry in p->buf; false when f has none (or, with filter, when
 * the reference has no function of that name). */
static bool nm_func(struct normal_printer *p, const struct nm_ctx *c,
		    const struct ir_func *f, bool filter)
{
	const struct ir_type *proto = ir_cu__type(c->cu, f->proto);
	struct tn_buf *b = &p->buf;
	uint32_t i;

	if ((f->flags & IR_FF_DECLARATION) || !f->name ||
	    (filter && !nm_in(p, &p->ref_funcs, f->name)))
		return false;
	tn_printf(b, "func %s: ", f->name);
	if (!proto || proto->kind != IR_KIND_FUNC_PROTO) {
		nm_spell(c, b, f->proto);
	} else {
		nm_spell(c, b, proto->type);
		tn_printf(b, " (");
		for (i = 0; i < proto->vlen && !b->full; i++) {
			const struct ir_param *prm = &proto->params[i];

			tn_printf(b, "%s", i ? ", " : "");
			nm_spell(c, b, prm->type);
			if (prm->name)
				tn_printf(b, " %s", prm->name);
			nm_tags(b, &prm->annots);
		}
		if (!proto->vlen)
			tn_printf(b, "void");
		else if (proto->flags & IR_TF_VARARGS)
			tn_printf(b, ", ...");
		tn_printf(b, ")");
	}
	nm_tags(b, &f->annots);
	tn_printf(b, "\n");
	return true;
}

static bool nm_var(struct normal_printer *p, const struct nm_ctx *c,
		   const struct ir_var *v, bool filter)
{
	if ((v->flags & (IR_VF_DECLARATION | IR_VF_LOCAL)) || !v->section || !v->name)
		return false;
	if (filter && p->has_ref) {
		bool wanted;

		nm_var_key(&p->buf, v);
		wanted = nm_in(p, &p->ref_vars, tn_buf_str(&p->buf));
		nm_reset(&p->buf);
		if (!wanted)
			return false;
	}
	tn_printf(&p->buf, "var %s@%s+0x%" PRIx64 ": ", v->name, v->section,
		  v->section_offset);
	nm_spell(c, &p->buf, v->type);
	nm_tags(&p->buf, &v->annots);
	tn_printf(&p->buf, "\n");
	return true;
}

int normal_printer__add_cu(struct normal_printer *p, const struct ir_cu *cu)
{
	struct nm_ctx c = { .opts = &p->opts, .cu = cu };
	size_t i;
	int err = 0;

	if (!p || !cu)
		return -EINVAL;
	for (i = 1; i < cu->types.len && !err; i++)
		err = nm_type(p, &c, &cu->types.v[i]);
	for (i = 0; i < cu->funcs.len && !err; i++)
		if (nm_func(p, &c, &cu->funcs.v[i], true))
			err = nm_commit(p);
	for (i = 0; i < cu->vars.len && !err; i++)
		if (nm_var(p, &c, &cu->vars.v[i], true))
			err = nm_commit(p);
	nm_reset(&p->buf);
	p->buf.oom = false;
	return err;
}

static int nm_ref_add(struct normal_printer *p, struct strset *set)
{
	uint32_t off;
	int err = p->buf.oom || strset_add(set, tn_buf_str(&p->buf), &off) ? -ENOMEM : 0;

	nm_reset(&p->buf);
	return err;
}

int normal_printer__set_reference(struct normal_printer *p, const struct ir_cu *ref)
{
	struct nm_ctx c = { .opts = &p->opts, .cu = ref };
	size_t i;
	int err = 0;

	if (!p || !ref || p->has_ref || p->offs.len)
		return -EINVAL;
	for (i = 0; i < ref->funcs.len && !err; i++) {
		const struct ir_func *f = &ref->funcs.v[i];

		if (!nm_func(p, &c, f, false))
			continue;
		err = nm_ref_add(p, &p->ref_entries);
		if (!err) {
			tn_printf(&p->buf, "%s", f->name);
			err = nm_ref_add(p, &p->ref_funcs);
		}
	}
	for (i = 0; i < ref->vars.len && !err; i++) {
		const struct ir_var *v = &ref->vars.v[i];

		if (!nm_var(p, &c, v, false))
			continue;
		err = nm_ref_add(p, &p->ref_entries);
		if (!err) {
			nm_var_key(&p->buf, v);
			err = nm_ref_add(p, &p->ref_vars);
		}
	}
	nm_reset(&p->buf);
	p->buf.oom = false;
	if (!err)
		p->has_ref = true;
	return err;
}

static int nm_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The length of a function or variable entry's head, "func NAME: " or
 * "var NAME@SECTION+OFFSET: ", 0 for other entries. */
static size_t nm_head_len(const char *e)
{
	const char *colon;

	if (strncmp(e, "func ", 5) && strncmp(e, "var ", 4))
		return 0;
	colon = strstr(e, ": ");
	return colon ? (size_t)(colon - e) + 2 : 0;
}

/*
 * Sorted, entries with one head are adjacent (strings between two that
 * share a prefix share it too). With a reference, a run of several
 * differing entries for one function or variable keeps only those the
 * reference has, when it has any: the encoder picked one definition.
 */
static int nm_write_run(const struct normal_printer *p, const char **v, size_t n,
			FILE *out)
{
	bool any = false;
	uint32_t off;
	size_t i;

	if (n > 1 && p->has_ref)
		for (i = 0; i < n && !any; i++)
			any = strset_find(&p->ref_entries, v[i], &off) == 0;
	for (i = 0; i < n; i++) {
		if (any && strset_find(&p->ref_entries, v[i], &off))
			continue;
		if (fputs(v[i], out) == EOF)
			return -EIO;
	}
	return 0;
}

int normal_printer__write(const struct normal_printer *p, FILE *out)
{
	const char **v;
	size_t i, n;
	int err = 0;

	if (!p || !out)
		return -EINVAL;
	v = malloc((p->offs.len ? p->offs.len : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < p->offs.len; i++)
		v[i] = strset_str(&p->entries, p->offs.v[i]);
	qsort(v, p->offs.len, sizeof(*v), nm_cmp);
	for (i = 0; i < p->offs.len && !err; i += n) {
		size_t head = nm_head_len(v[i]);

		for (n = 1; head && i + n < p->offs.len &&
			    !strncmp(v[i], v[i + n], head); n++)
			;
		err = nm_write_run(p, v + i, n, out);
	}
	free(v);
	if (!err && fflush(out))
		err = -EIO;
	return err;
}

int normal_printer__entry(struct normal_printer *p, const struct ir_cu *cu,
			  enum normal_what what, size_t index, const char **text_ret)
{
	struct nm_ctx c = { .opts = &p->opts, .cu = cu };
	bool has;

	if (!p || !cu || !text_ret)
		return -EINVAL;
	nm_reset(&p->buf);
	p->buf.oom = false;
	switch (what) {
	case NORMAL_TYPE:
		if (index >= cu->types.len || index == IR_VOID)
			return -EINVAL;
		has = nm_type_text(p, &c, &cu->types.v[index]);
		break;
	case NORMAL_FUNC:
		if (index >= cu->funcs.len)
			return -EINVAL;
		has = nm_func(p, &c, &cu->funcs.v[index], false);
		break;
	case NORMAL_VAR:
		if (index >= cu->vars.len)
			return -EINVAL;
		has = nm_var(p, &c, &cu->vars.v[index], false);
		break;
	default:
		return -EINVAL;
	}
	if (p->buf.oom)
		return -ENOMEM;
	*text_ret = tn_buf_str(&p->buf);
	return has ? 1 : 0;
}
