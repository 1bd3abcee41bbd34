// SPDX-License-Identifier: GPL-2.0-only
/*
 * bfmt_btf -> one struct ir_cu (the mapping is in btf_loader.h). Types
 * first: every type kind gets its ir id in BTF id order (so references,
 * forward ones included, can be filled in one more pass), then each is
 * filled. FUNCs, VARs and DECL_TAGs follow (btfl_to_ir_decl.c).
 */
#include "btfl_ir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int btfl_ir_name(struct btfl_ir *x, uint32_t off, const char **ret)
{
	const char *s = bfmt_btf__str(x->btf, off);

	*ret = NULL;
	if (!s || !*s)
		return 0;
	*ret = ir_cu__intern(x->cu, s);
	return *ret ? 0 : -ENOMEM;
}

static enum ir_kind btfl_ir_kind(enum bfmt_kind k)
{
	switch (k) {
	case BFMT_KIND_INT: return IR_KIND_INT;
	case BFMT_KIND_PTR: return IR_KIND_PTR;
	case BFMT_KIND_ARRAY: return IR_KIND_ARRAY;
	case BFMT_KIND_STRUCT: return IR_KIND_STRUCT;
	case BFMT_KIND_UNION: return IR_KIND_UNION;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64: return IR_KIND_ENUM;
	case BFMT_KIND_FWD: return IR_KIND_FWD;
	case BFMT_KIND_TYPEDEF: return IR_KIND_TYPEDEF;
	case BFMT_KIND_VOLATILE: return IR_KIND_VOLATILE;
	case BFMT_KIND_CONST: return IR_KIND_CONST;
	case BFMT_KIND_RESTRICT: return IR_KIND_RESTRICT;
	case BFMT_KIND_FUNC_PROTO: return IR_KIND_FUNC_PROTO;
	case BFMT_KIND_FLOAT: return IR_KIND_FLOAT;
	case BFMT_KIND_TYPE_TAG: return IR_KIND_TYPE_TAG;
	default: return IR_KIND_VOID;	/* FUNC, VAR, DATASEC, DECL_TAG */
	}
}

/* rid[] for every id in O(n): walk a modifier chain until an id whose
 * rid is known, then fill the chain in. The table is acyclic. */
static int btfl_ir_rids(struct btfl_ir *x)
{
	uint32_t *stack = malloc(sizeof(*stack) * x->nr), id;
	uint8_t *done = calloc(x->nr, 1);

	if (!stack || !done) {
		free(stack);
		free(done);
		return -ENOMEM;
	}
	done[0] = 1;
	for (id = 1; id < x->nr; id++) {
		uint32_t top = 0, cur = id, r;

		while (!done[cur] && top < x->nr) {	/* bounded even if cyclic */
			const struct bfmt_type *t = bfmt_btf__type(x->btf, cur);

			if (!btfl_is_modifier(bfmt_kind(t))) {
				x->rid[cur] = cur;
				done[cur] = 1;
				break;
			}
			stack[top++] = cur;
			cur = t->size_type < x->nr ? t->size_type : 0;
		}
		r = done[cur] ? x->rid[cur] : 0;
		while (top) {
			x->rid[stack[--top]] = r;
			done[stack[top]] = 1;
		}
	}
	free(stack);
	free(done);
	return 0;
}

static void btfl_ir_int(const struct bfmt_type *t, struct ir_type *it)
{
	uint32_t v = *(const uint32_t *)bfmt_type_extra(t);
	uint32_t enc = bfmt_int_encoding(v);

	it->size = t->size_type;
	it->int_bits = (uint16_t)bfmt_int_bits(v);
	it->int_offset = (uint8_t)bfmt_int_offset(v);
	if (enc & BFMT_INT_SIGNED)
		it->flags |= IR_TF_SIGNED;
	if (enc & BFMT_INT_CHAR)
		it->flags |= IR_TF_CHAR;
	if (enc & BFMT_INT_BOOL)
		it->flags |= IR_TF_BOOL;
}

/* T a[x][y] is ARRAY(x) of ARRAY(y) of T in BTF, one ir array with dims
 * {x, y}. Deeper than BTFL_MAX_DIMS the rest stays an array element, so a
 * long chain costs O(n * BTFL_MAX_DIMS), not O(n^2). */
static int btfl_ir_array(struct btfl_ir *x, const struct bfmt_type *t, struct ir_type *it)
{
	const struct bfmt_array *a = bfmt_type_extra(t);
	struct ir_dim dims[BTFL_MAX_DIMS];
	uint32_t n = 0, elem;

	for (;;) {
		const struct bfmt_type *e;

		dims[n].count = a->nelems;
		dims[n++].flexible = false;
		elem = a->type;
		e = bfmt_btf__type(x->btf, elem);
		if (!e || bfmt_kind(e) != BFMT_KIND_ARRAY || n == BTFL_MAX_DIMS)
			break;
		a = bfmt_type_extra(e);
	}
	it->dims = arena_memdup(&x->cu->arena, dims, n * sizeof(dims[0]));
	if (!it->dims)
		return -ENOMEM;
	it->vlen = n;
	it->type = btfl_ir_type(x, elem);
	return 0;
}

/* Without kind_flag a bitfield is told by its INT: fewer bits than its
 * size, or an offset (the encoding before kind_flag existed). */
static void btfl_ir_old_bitfield(struct btfl_ir *x, struct ir_member *m, uint32_t type)
{
	const struct bfmt_type *t = bfmt_btf__type(x->btf, x->rid[type]);
	uint32_t v;

	if (!t || bfmt_kind(t) != BFMT_KIND_INT)
		return;
	v = *(const uint32_t *)bfmt_type_extra(t);
	if (bfmt_int_bits(v) == t->size_type * 8 && !bfmt_int_offset(v))
		return;
	m->bitfield_size = bfmt_int_bits(v);
	m->bit_offset += bfmt_int_offset(v);
}

static int btfl_ir_struct(struct btfl_ir *x, uint32_t id, const struct bfmt_type *t,
			  struct ir_type *it)
{
	const struct bfmt_member *bm = bfmt_type_extra(t);
	uint32_t i, n = bfmt_vlen(t);
	bool kflag = bfmt_kflag(t);
	int err = 0;

	it->size = t->size_type;
	it->vlen = n;
	it->members = arena_calloc(&x->cu->arena, n ? n : 1, sizeof(*it->members));
	if (!it->members)
		return -ENOMEM;
	for (i = 0; !err && i < n; i++) {
		struct ir_member *m = &it->members[i];

		err = btfl_ir_name(x, bm[i].name_off, &m->name);
		m->type = btfl_ir_type(x, bm[i].type);
		m->bit_offset = bfmt_member_bit_offset(bm[i].offset, kflag);
		m->bitfield_size = bfmt_member_bitfield_size(bm[i].offset, kflag);
		m->orig_off = id;
		if (!kflag)
			btfl_ir_old_bitfield(x, m, bm[i].type);
	}
	return err;
}

static int btfl_ir_enum(struct btfl_ir *x, const struct bfmt_type *t, struct ir_type *it)
{
	uint32_t i, n = bfmt_vlen(t);
	bool is64 = bfmt_kind(t) == BFMT_KIND_ENUM64, sign = bfmt_kflag(t);
	int err = 0;

	it->size = t->size_type;
	it->vlen = n;
	if (sign)
		it->flags |= IR_TF_SIGNED;
	it->enumerators = arena_calloc(&x->cu->arena, n ? n : 1, sizeof(*it->enumerators));
	if (!it->enumerators)
		return -ENOMEM;
	for (i = 0; !err && i < n; i++) {
		struct ir_enumerator *e = &it->enumerators[i];

		if (is64) {
			const struct bfmt_enum64 *b = &((const struct bfmt_enum64 *)bfmt_type_extra(t))[i];

			e->value = (uint64_t)b->val_hi32 << 32 | b->val_lo32;
			err = btfl_ir_name(x, b->name_off, &e->name);
		} else {
			const struct bfmt_enum *b = &((const struct bfmt_enum *)bfmt_type_extra(t))[i];

			/* Two's complement in 64 bits when signed. */
			e->value = sign ? (uint64_t)(int64_t)b->val : (uint64_t)(uint32_t)b->val;
			err = btfl_ir_name(x, b->name_off, &e->name);
		}
	}
	return err;
}

static int btfl_ir_proto(struct btfl_ir *x, const struct bfmt_type *t, struct ir_type *it)
{
	const struct bfmt_param *p = bfmt_type_extra(t);
	uint32_t i, n = bfmt_vlen(t);
	int err = 0;

	it->type = btfl_ir_type(x, t->size_type);
	it->flags |= IR_TF_PROTOTYPED;
	if (n && !p[n - 1].type) {	/* a last (void, "") parameter: ... */
		it->flags |= IR_TF_VARARGS;
		n--;
	}
	it->vlen = n;
	it->params = arena_calloc(&x->cu->arena, n ? n : 1, sizeof(*it->params));
	if (!it->params)
		return -ENOMEM;
	for (i = 0; !err && i < n; i++) {
		it->params[i].type = btfl_ir_type(x, p[i].type);
		err = btfl_ir_name(x, p[i].name_off, &it->params[i].name);
	}
	return err;
}

static int btfl_ir_fill(struct btfl_ir *x, uint32_t id)
{
	const struct bfmt_type *t = bfmt_btf__type(x->btf, id);
	struct ir_type *it = ir_cu__type(x->cu, x->slot[id]);
	enum bfmt_kind k = bfmt_kind(t);

	it->orig_off = id;
	switch (k) {
	case BFMT_KIND_INT:
		btfl_ir_int(t, it);
		break;
	case BFMT_KIND_FLOAT:
		it->size = t->size_type;
		break;
	case BFMT_KIND_PTR:
		it->size = x->ptr_size;
		it->type = btfl_ir_type(x, t->size_type);
		break;
	case BFMT_KIND_ARRAY:
		return btfl_ir_array(x, t, it);
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		if (btfl_ir_struct(x, id, t, it))
			return -ENOMEM;
		break;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		if (btfl_ir_enum(x, t, it))
			return -ENOMEM;
		break;
	case BFMT_KIND_FWD:
		it->fwd_kind = bfmt_kflag(t) ? IR_FWD_UNION : IR_FWD_STRUCT;
		it->flags |= IR_TF_DECL_ONLY;
		break;
	case BFMT_KIND_FUNC_PROTO:
		return btfl_ir_proto(x, t, it);
	default:	/* typedef, modifiers, type tag */
		it->type = btfl_ir_type(x, t->size_type);
		break;
	}
	return btfl_ir_name(x, t->name_off, &it->name);
}

static int btfl_ir_types(struct btfl_ir *x)
{
	uint32_t id;
	int err = 0;

	for (id = 1; !err && id < x->nr; id++) {
		enum ir_kind k = btfl_ir_kind(bfmt_kind(bfmt_btf__type(x->btf, id)));

		if (k != IR_KIND_VOID)
			err = ir_cu__add_type(x->cu, k, &x->slot[id]);
	}
	/* All ids exist now: pointers into cu->types stay valid below. */
	for (id = 1; !err && id < x->nr; id++)
		if (x->slot[id])
			err = btfl_ir_fill(x, id);
	return err;
}

static int btfl_ir_cu_init(struct btfl_ir *x, const struct btfl_opts *o)
{
	const struct btfl_info *info = o ? o->info : NULL;
	struct ir_cu *cu = x->cu;

	cu->name = ir_cu__intern(cu, o && o->name ? o->name : "BTF");
	if (!cu->name)
		return -ENOMEM;
	cu->lang = IR_LANG_C;
	cu->version = BFMT_VERSION;
	cu->big_endian = info && info->big_endian;
	cu->machine = info ? info->machine : 0;
	x->ptr_size = info && info->ptr_size ? info->ptr_size : btfl_guess_ptr_size(x->btf);
	if (!x->ptr_size)
		x->ptr_size = 8;
	cu->addr_size = x->ptr_size;
	return 0;
}

int btfl_to_ir(const struct bfmt_btf *btf, const struct btfl_opts *o,
	       struct ir_cu **ret)
{
	struct btfl_ir x = { .btf = btf, .nr = bfmt_btf__nr_types(btf) };
	int err = -ENOMEM;

	x.cu = ir_cu__new();
	x.slot = calloc(x.nr, sizeof(*x.slot));
	x.rid = calloc(x.nr, sizeof(*x.rid));
	if (!x.cu || !x.slot || !x.rid)
		goto out;
	err = btfl_ir_cu_init(&x, o);
	if (!err)
		err = btfl_ir_rids(&x);
	if (!err)
		err = btfl_ir_types(&x);
	if (!err)
		err = btfl_ir_decls(&x);
	if (!err)
		err = btfl_ir_tags(&x);
	if (!err)
		ir_cu__infer_packed(x.cu);
out:
	free(x.slot);
	free(x.rid);
	if (err) {
		ir_cu__free(x.cu);
		return err;
	}
	*ret = x.cu;
	return 0;
}
