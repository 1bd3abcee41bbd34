// SPDX-License-Identifier: GPL-2.0-only
/*
 * C-header printer, ordering half: structural hashes, the sorted order,
 * ___N names for clashes, what each definition needs, and the top-level
 * loop that prints every type once, its needs first (btf_c.h documents the
 * order; libbpf's btf_dump.c has the classic essay on why C needs it:
 * by-value uses need complete types, pointer uses only declarations).
 *
 * The "needs" of a definition come from a walk of the types it mentions,
 * carrying a mode: COMPLETE where C needs the full type (a member, an array
 * element, the target of a typedef used by value) and DECL where a
 * declaration does (behind a pointer, in a prototype). A named struct or
 * union needed COMPLETE must be defined first; needed DECL it gets a
 * forward declaration unless it is already defined. Named enums and
 * typedefs are always defined first (C cannot forward-declare them
 * portably). Anonymous structs and unions are printed inline, so the walk
 * goes through them in COMPLETE mode. Definitions are processed with an
 * explicit stack of frames, each holding its slice of the needs vector.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_c_int.h"
#include "../util/hmap.h"
#include "../util/vec.h"

enum { NEED_DECL = 0, NEED_COMPLETE = 1 };

#define HASH_ROUNDS 8

/* ---- structural hashes ---------------------------------------------- */

struct refs {
	uint32_t *off;		/* nr + 1 entries: refs of id in [off[id], off[id+1]) */
	struct { uint32_t *v; size_t len, cap; } ids;
	uint64_t *strh;		/* per type: hash of its strings */
};

struct collect_ctx {
	struct refs *r;
	const struct bfmt_btf *btf;
	uint64_t h;
	int err;
};

static int collect_id(uint32_t *field, void *p)
{
	struct collect_ctx *x = p;

	if (vec_push(&x->r->ids))
		return -ENOMEM;
	x->r->ids.v[x->r->ids.len - 1] = *field;
	*field = 0;
	return 0;
}

static int collect_str(uint32_t *field, void *p)
{
	struct collect_ctx *x = p;
	const char *s = bfmt_btf__str(x->btf, *field);

	x->h = hash_combine(x->h, s ? hash_bytes(s, strlen(s), 7) : 0);
	*field = 0;
	return 0;
}

/* Shallow hash of every type (ids and string offsets blanked, strings
 * hashed by content) and the list of ids each refers to. */
static int shallow_hashes(struct btfc *c, struct refs *r, uint64_t *h)
{
	struct { uint32_t *v; size_t len, cap; } tmp = { 0 };
	uint32_t id;
	int err = 0;

	for (id = 1; id < c->nr && !err; id++) {
		const struct bfmt_type *t = btfc_type(c, id);
		long sz = t ? bfmt_type__size(t) : -1;
		struct collect_ctx x = { .r = r, .btf = c->btf, .h = 0 };

		r->off[id] = (uint32_t)r->ids.len;
		if (sz < 0) {
			h[id] = 0;
			continue;
		}
		if (vec_reserve(&tmp, (size_t)sz / 4 + 1)) {
			err = -ENOMEM;
			break;
		}
		memcpy(tmp.v, t, (size_t)sz);
		err = bfmt_type__visit_ids((struct bfmt_type *)tmp.v, collect_id, &x);
		if (!err)
			bfmt_type__visit_strs((struct bfmt_type *)tmp.v, collect_str, &x);
		h[id] = hash_combine(hash_bytes(tmp.v, (size_t)sz, 1), x.h);
	}
	r->off[c->nr] = (uint32_t)r->ids.len;
	vec_free(&tmp);
	return err;
}

static int compute_hashes(struct btfc *c)
{
	struct refs r = { 0 };
	uint64_t *h = calloc(c->nr, sizeof(*h)), *nh = calloc(c->nr, sizeof(*nh));
	uint32_t id, round;
	int err = -ENOMEM;

	r.off = calloc((size_t)c->nr + 1, sizeof(*r.off));
	if (!h || !nh || !r.off)
		goto out;
	err = shallow_hashes(c, &r, h);
	if (err)
		goto out;
	for (round = 0; round < HASH_ROUNDS; round++) {
		for (id = 1; id < c->nr; id++) {
			uint64_t v = h[id];
			uint32_t j;

			for (j = r.off[id]; j < r.off[id + 1]; j++) {
				uint32_t ref = r.ids.v[j];

				v = hash_combine(v, ref && ref < c->nr ? h[ref] : 0x5bd1e995);
			}
			nh[id] = v;
		}
		memcpy(h, nh, c->nr * sizeof(*h));
	}
	for (id = 1; id < c->nr; id++)
		c->t[id].hash = h[id];
	/* References, for anonymous enums (see mark_standalone()). */
	for (id = 1; id < c->nr; id++) {
		const struct bfmt_type *t = btfc_type(c, id);
		enum bfmt_kind k = t ? bfmt_kind(t) : BFMT_KIND_UNKN;
		uint32_t j;

		if (k == BFMT_KIND_FUNC || k == BFMT_KIND_VAR ||
		    k == BFMT_KIND_DATASEC || k == BFMT_KIND_DECL_TAG)
			continue;
		if (k == BFMT_KIND_TYPE_TAG)
			c->has_type_tags = true;
		for (j = r.off[id]; j < r.off[id + 1]; j++) {
			uint32_t ref = r.ids.v[j];

			if (ref && ref < c->nr) {
				c->t[ref].refcnt++;
				c->t[ref].referrer = id;
			}
		}
	}
	err = 0;
out:
	free(h);
	free(nh);
	free(r.off);
	vec_free(&r.ids);
	return err;
}

/* ---- order and names ------------------------------------------------- */

static bool is_fwd_like(const struct bfmt_type *t)
{
	return bfmt_kind(t) == BFMT_KIND_FWD ||
	       (btfc_is_enum(bfmt_kind(t)) && !bfmt_vlen(t));
}

/* 0 enums, 1 structs/unions/forwards, 2 typedefs, -1 not a sorted type. */
static int kind_rank(const struct btfc *c, const struct bfmt_type *t)
{
	switch (bfmt_kind(t)) {
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		return *btfc_name(c, t) || bfmt_vlen(t) ? 0 : -1;
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
	case BFMT_KIND_FWD:
		return *btfc_name(c, t) ? 1 : -1;
	case BFMT_KIND_TYPEDEF:
		return *btfc_name(c, t) ? 2 : -1;
	default:
		return -1;
	}
}

/* The name to sort by: anonymous enums by their first constant. */
static const char *sort_name(const struct btfc *c, const struct bfmt_type *t)
{
	const char *s = btfc_name(c, t);

	if (!*s && btfc_is_enum(bfmt_kind(t)) && bfmt_vlen(t))
		return btfc_enum_val_name(c, t, 0);
	return s;
}

static int cmp_tail(const struct btfc *c, uint32_t a, uint32_t b)
{
	if (c->t[a].hash != c->t[b].hash)
		return c->t[a].hash < c->t[b].hash ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int order_cmp(const void *pa, const void *pb, void *pc)
{
	const struct btfc *c = pc;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const struct bfmt_type *ta = btfc_type(c, a), *tb = btfc_type(c, b);
	int r = kind_rank(c, ta) - kind_rank(c, tb);

	if (r)
		return r;
	r = strcmp(btfc_name(c, ta), btfc_name(c, tb));
	if (r)
		return r;
	r = strcmp(sort_name(c, ta), sort_name(c, tb));
	if (r)
		return r;
	r = (int)is_fwd_like(ta) - (int)is_fwd_like(tb);
	return r ? r : cmp_tail(c, a, b);
}

/* The tag namespace: by name, definitions first, then the order. */
static int tag_cmp(const void *pa, const void *pb, void *pc)
{
	const struct btfc *c = pc;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const struct bfmt_type *ta = btfc_type(c, a), *tb = btfc_type(c, b);
	int r = strcmp(btfc_name(c, ta), btfc_name(c, tb));

	if (r)
		return r;
	r = (int)is_fwd_like(ta) - (int)is_fwd_like(tb);
	if (r)
		return r;
	r = kind_rank(c, ta) - kind_rank(c, tb);
	if (r)
		return r;
	r = bfmt_kind(ta) - bfmt_kind(tb);
	return r ? r : cmp_tail(c, a, b);
}

/* struct, union or enum: which keyword a tag takes. */
static int tag_keyword(const struct bfmt_type *t)
{
	switch (bfmt_kind(t)) {
	case BFMT_KIND_UNION:
		return 1;
	case BFMT_KIND_FWD:
		return bfmt_kflag(t) ? 1 : 0;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		return 2;
	default:
		return 0;
	}
}

static int build_order(struct btfc *c)
{
	uint32_t id;

	c->order = calloc(c->nr, sizeof(*c->order));
	if (!c->order)
		return -ENOMEM;
	for (id = 1; id < c->nr; id++) {
		const struct bfmt_type *t = btfc_type(c, id);

		if (t && kind_rank(c, t) >= 0)
			c->order[c->nr_order++] = id;
	}
	qsort_r(c->order, c->nr_order, sizeof(*c->order), order_cmp, c);
	return 0;
}

/* ___N suffixes in the tag namespace (struct, union, enum). */
static int name_tags(struct btfc *c)
{
	uint32_t *tags = malloc(c->nr_order * sizeof(*tags) + 1);
	size_t n = 0, i, j;

	if (!tags)
		return -ENOMEM;
	for (i = 0; i < c->nr_order; i++) {
		const struct bfmt_type *t = btfc_type(c, c->order[i]);

		if (bfmt_kind(t) != BFMT_KIND_TYPEDEF && *btfc_name(c, t))
			tags[n++] = c->order[i];
	}
	qsort_r(tags, n, sizeof(*tags), tag_cmp, c);
	for (i = 0; i < n; i = j) {
		const char *name = btfc_name(c, btfc_type(c, tags[i]));
		uint32_t next = 0;

		for (j = i; j < n && !strcmp(name, btfc_name(c, btfc_type(c, tags[j]))); j++) {
			const struct bfmt_type *t = btfc_type(c, tags[j]);
			size_t k;

			c->t[tags[j]].canon = tags[j];
			if (is_fwd_like(t)) {
				/* The first earlier tag with the same keyword. */
				for (k = i; k < j; k++)
					if (tag_keyword(btfc_type(c, tags[k])) == tag_keyword(t))
						break;
				if (k < j) {
					c->t[tags[j]].canon = c->t[tags[k]].canon;
					continue;
				}
			}
			c->t[tags[j]].dup = next++;
		}
	}
	free(tags);
	return 0;
}

struct ident {
	const char *name;
	size_t seq;
	uint32_t *slot;
};

static int ident_cmp(const void *pa, const void *pb)
{
	const struct ident *a = pa, *b = pb;
	int r = strcmp(a->name, b->name);

	return r ? r : (a->seq > b->seq) - (a->seq < b->seq);
}

/* ___N suffixes in the identifier namespace (typedefs, enum constants). */
static int name_idents(struct btfc *c)
{
	struct { struct ident *v; size_t len, cap; } ids = { 0 };
	size_t i, j, seq = 0;
	uint32_t id;

	for (id = 1; id < c->nr; id++) {
		const struct bfmt_type *t = btfc_type(c, id);

		if (t && btfc_is_enum(bfmt_kind(t))) {
			c->t[id].ev_base = (uint32_t)c->nr_ev;
			c->nr_ev += bfmt_vlen(t);
		}
	}
	c->ev_dup = calloc(c->nr_ev + 1, sizeof(*c->ev_dup));
	if (!c->ev_dup)
		return -ENOMEM;
	for (i = 0; i < c->nr_order; i++) {
		uint32_t oid = c->order[i], k;
		const struct bfmt_type *t = btfc_type(c, oid);
		size_t add = bfmt_kind(t) == BFMT_KIND_TYPEDEF ? 1 :
			     btfc_is_enum(bfmt_kind(t)) ? bfmt_vlen(t) : 0;

		if (vec_reserve(&ids, ids.len + add)) {
			vec_free(&ids);
			return -ENOMEM;
		}
		if (bfmt_kind(t) == BFMT_KIND_TYPEDEF)
			ids.v[ids.len++] = (struct ident){ btfc_name(c, t), seq++, &c->t[oid].dup };
		else
			for (k = 0; k < add; k++)
				ids.v[ids.len++] = (struct ident){
					btfc_enum_val_name(c, t, k), seq++,
					&c->ev_dup[c->t[oid].ev_base + k] };
	}
	if (ids.len)	/* qsort(NULL, 0) is undefined */
		qsort(ids.v, ids.len, sizeof(*ids.v), ident_cmp);
	for (i = 0; i < ids.len; i = j)
		for (j = i; j < ids.len && !strcmp(ids.v[i].name, ids.v[j].name); j++)
			*ids.v[j].slot = (uint32_t)(j - i);
	vec_free(&ids);
	return 0;
}

/* Anonymous enums referred to once, by a named struct, union or typedef,
 * are printed inline there; the others on their own (and spelled as their
 * integer type where used, so that their constants are defined once). */
static void mark_standalone(struct btfc *c)
{
	uint32_t id;

	for (id = 1; id < c->nr; id++) {
		const struct bfmt_type *t = btfc_type(c, id), *r;

		if (!t || !btfc_is_enum(bfmt_kind(t)) || *btfc_name(c, t) || !bfmt_vlen(t))
			continue;
		r = c->t[id].refcnt == 1 ? btfc_type(c, c->t[id].referrer) : NULL;
		c->t[id].standalone = !r || !*btfc_name(c, r) ||
			(!btfc_is_composite(bfmt_kind(r)) && bfmt_kind(r) != BFMT_KIND_TYPEDEF);
	}
}

/* ---- needs and the definition stack ---------------------------------- */

/* Typedefs the compiler predefines (__builtin_va_list): used, never
 * defined (bpftool skips them too). */
static bool is_builtin(const struct btfc *c, const struct bfmt_type *t)
{
	return bfmt_kind(t) == BFMT_KIND_TYPEDEF &&
	       !strncmp(btfc_name(c, t), "__builtin_", 10);
}

static int add_req(struct btfc *c, uint32_t id, bool def)
{
	if (vec_push(&c->reqs))
		return -ENOMEM;
	c->reqs.v[c->reqs.len - 1] = (struct btfc_req){ .id = id, .def = def };
	return 0;
}

static int walk_push(struct btfc *c, uint32_t id, int mode)
{
	if (!id || id >= c->nr || c->t[id].seen[mode] == c->gen)
		return 0;
	c->t[id].seen[mode] = c->gen;
	if (vec_push(&c->walk))
		return -ENOMEM;
	c->walk.v[c->walk.len - 1] = id << 1 | (uint32_t)mode;
	return 0;
}

/* Visit one type of a walk: record needs, push what it mentions. */
static int walk_one(struct btfc *c, uint32_t id, int mode)
{
	const struct bfmt_type *t = btfc_type(c, id);
	bool named = t && *btfc_name(c, t);
	uint32_t i;
	int err = 0;

	if (!t)
		return 0;
	switch (bfmt_kind(t)) {
	case BFMT_KIND_PTR:
		return walk_push(c, t->size_type, NEED_DECL);
	case BFMT_KIND_CONST:
	case BFMT_KIND_VOLATILE:
	case BFMT_KIND_RESTRICT:
	case BFMT_KIND_TYPE_TAG:
		return walk_push(c, t->size_type, mode);
	case BFMT_KIND_ARRAY:
		return walk_push(c, ((const struct bfmt_array *)bfmt_type_extra(t))->type,
				 NEED_COMPLETE);
	case BFMT_KIND_FUNC_PROTO: {
		const struct bfmt_param *p = bfmt_type_extra(t);

		err = walk_push(c, t->size_type, NEED_DECL);
		for (i = 0; i < bfmt_vlen(t) && !err; i++)
			err = walk_push(c, p[i].type, NEED_DECL);
		return err;
	}
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION: {
		const struct bfmt_member *m = bfmt_type_extra(t);

		if (named)
			return add_req(c, id, mode == NEED_COMPLETE);
		for (i = 0; i < bfmt_vlen(t) && !err; i++)
			err = walk_push(c, m[i].type, NEED_COMPLETE);
		return err;
	}
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		if (!bfmt_vlen(t))
			return named ? add_req(c, id, false) : 0;
		if (named || c->t[id].standalone)
			return add_req(c, id, true);
		return 0;
	case BFMT_KIND_FWD:
		return add_req(c, id, false);
	case BFMT_KIND_TYPEDEF:
		if (is_builtin(c, t))
			return 0;
		err = add_req(c, id, true);
		if (!err && mode == NEED_COMPLETE)
			err = walk_push(c, t->size_type, NEED_COMPLETE);
		return err;
	default:
		return 0;
	}
}

/* Append what the definition of id needs to c->reqs, in member order. */
static int collect_needs(struct btfc *c, uint32_t id)
{
	const struct bfmt_type *t = btfc_type(c, id);
	uint32_t i;
	int err = 0;

	c->gen++;
	c->walk.len = 0;
	if (btfc_is_composite(bfmt_kind(t))) {
		const struct bfmt_member *m = bfmt_type_extra(t);

		/* Members in order: push each and drain before the next. */
		for (i = 0; i < bfmt_vlen(t) && !err; i++) {
			err = walk_push(c, m[i].type, NEED_COMPLETE);
			while (!err && c->walk.len) {
				uint32_t w = c->walk.v[--c->walk.len];

				err = walk_one(c, w >> 1, (int)(w & 1));
			}
		}
		return err;
	}
	if (bfmt_kind(t) == BFMT_KIND_TYPEDEF)
		err = walk_push(c, t->size_type, NEED_DECL);
	while (!err && c->walk.len) {
		uint32_t w = c->walk.v[--c->walk.len];

		err = walk_one(c, w >> 1, (int)(w & 1));
	}
	return err;
}

static int need_fwd(struct btfc *c, uint32_t id, uint32_t current)
{
	uint32_t canon = c->t[id].canon ? c->t[id].canon : id;
	int err;

	if (canon == current || c->t[canon].state == BTFC_DONE || c->t[canon].fwd_done)
		return 0;
	err = btfc_emit_fwd(c, id);
	c->t[canon].fwd_done = true;
	return err;
}

static int push_frame(struct btfc *c, uint32_t id)
{
	if (vec_push(&c->frames))
		return -ENOMEM;
	c->frames.v[c->frames.len - 1].id = id;
	c->t[id].state = BTFC_BUSY;
	return 0;
}

/* Print id's definition, after the definitions and declarations it needs. */
static int emit_top(struct btfc *c, uint32_t root)
{
	int err;

	if (c->t[root].state != BTFC_NONE)
		return 0;
	err = push_frame(c, root);
	while (!err && c->frames.len) {
		struct btfc_frame *f = &c->frames.v[c->frames.len - 1];
		uint32_t next = 0;
		size_t i;

		if (!f->started) {
			f->started = true;
			f->req_start = f->req_cur = c->reqs.len;
			err = collect_needs(c, f->id);
			f->req_end = c->reqs.len;
			if (err)
				break;
		}
		while (f->req_cur < f->req_end && !next) {
			struct btfc_req r = c->reqs.v[f->req_cur++];

			if (r.def && c->t[r.id].state == BTFC_NONE)
				next = r.id;
		}
		if (next) {
			err = push_frame(c, next);
			continue;
		}
		for (i = f->req_start; i < f->req_end && !err; i++)
			if (!c->reqs.v[i].def)
				err = need_fwd(c, c->reqs.v[i].id, f->id);
		if (err)
			break;
		err = btfc_emit_def(c, f->id);
		c->t[f->id].state = BTFC_DONE;
		c->reqs.len = f->req_start;
		c->frames.len--;
	}
	c->frames.len = 0;
	c->reqs.len = 0;
	return err;
}

/* ---- the top level ------------------------------------------------------ */

static uint32_t guess_ptr_size(const struct btfc *c)
{
	uint32_t id;

	for (id = 1; id < c->nr; id++) {
		const struct bfmt_type *t = btfc_type(c, id);
		const char *s;

		if (!t || bfmt_kind(t) != BFMT_KIND_INT)
			continue;
		s = btfc_name(c, t);
		if (!strcmp(s, "long int") || !strcmp(s, "long unsigned int") ||
		    !strcmp(s, "long") || !strcmp(s, "unsigned long"))
			return t->size_type == 4 ? 4 : 8;
	}
	return 8;
}

static void mark_roots(struct btfc *c, const struct btfp_c_opts *o)
{
	size_t i, j;

	for (i = 0; i < c->nr_order; i++) {
		const char *s = btfc_name(c, btfc_type(c, c->order[i]));

		for (j = 0; j < o->nr_names; j++)
			if (o->names[j] && !strcmp(o->names[j], s))
				c->t[c->order[i]].root = true;
	}
}

static void prologue(struct btfc *c)
{
	btfc_printf(c, "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n"
		    "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
		    "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
		    "#endif\n\n");
	if (c->has_type_tags)
		btfc_printf(c, "#ifndef __BTF_TYPE_TAG\n#ifdef __has_attribute\n"
			    "#if __has_attribute(btf_type_tag)\n"
			    "#define __BTF_TYPE_TAG(x) __attribute__((btf_type_tag(x)))\n"
			    "#endif\n#endif\n#endif\n"
			    "#ifndef __BTF_TYPE_TAG\n#define __BTF_TYPE_TAG(x)\n#endif\n\n");
}

static void epilogue(struct btfc *c)
{
	btfc_printf(c, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
		    "#pragma clang attribute pop\n#endif\n\n"
		    "#endif /* __VMLINUX_H__ */\n");
}

static int print_all(struct btfc *c, bool filtered)
{
	size_t i;
	int err = 0;

	for (i = 0; i < c->nr_order && !err; i++) {
		uint32_t id = c->order[i];
		const struct bfmt_type *t = btfc_type(c, id);

		if ((filtered && !c->t[id].root) || is_builtin(c, t))
			continue;
		if (is_fwd_like(t)) {
			uint32_t canon = c->t[id].canon ? c->t[id].canon : id;

			if (canon != id)
				err = filtered ? emit_top(c, canon) : 0;
			else
				err = need_fwd(c, id, 0);
		} else if (*btfc_name(c, t) || c->t[id].standalone) {
			err = emit_top(c, id);
		}
	}
	return err;
}

static void btfc_deinit(struct btfc *c)
{
	free(c->t);
	free(c->ev_dup);
	free(c->order);
	vec_free(&c->tasks);
	vec_free(&c->scratch);
	vec_free(&c->ids);
	vec_free(&c->reqs);
	vec_free(&c->frames);
	vec_free(&c->walk);
}

static uint64_t input_words(const struct bfmt_btf *btf)
{
	uint64_t n = 0;

	for (; btf; btf = btf->base)
		n += btf->data.len;
	return n;
}

int btfp_c__print(const struct bfmt_btf *btf, FILE *out, const struct btfp_c_opts *o)
{
	struct btfc c = { .btf = btf, .out = out };
	bool filtered = o && o->names;
	int err;

	c.nr = bfmt_btf__nr_types(btf);
	c.t = calloc(c.nr, sizeof(*c.t));
	if (!c.t)
		return -ENOMEM;
	c.ptr_size = guess_ptr_size(&c);
	c.budget = 16 * input_words(btf) + 4096;
	err = compute_hashes(&c) ?: build_order(&c) ?: name_tags(&c) ?:
	      name_idents(&c);
	if (!err) {
		mark_standalone(&c);
		err = btfc_layout_all(&c);
	}
	if (!err) {
		if (filtered)
			mark_roots(&c, o);
		prologue(&c);
		err = print_all(&c, filtered);
	}
	if (!err) {
		epilogue(&c);
		if (c.err_io || fflush(out) || ferror(out))
			err = -EIO;
	}
	btfc_deinit(&c);
	return err;
}
