// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pass 2: cycles and resolved sizes, over every id of the table and the
 * base types it reaches (so that split types can ask for a base type's
 * size).
 *
 * A type needs the size of what it is made of: a modifier, typedef or type
 * tag of its target, an array of its element, a struct of its members, a
 * VAR of its type, a DATASEC of its VARs, a FUNC_PROTO of its return and
 * parameter types (they must be sized), a FUNC of its prototype, a
 * DECL_TAG of its target. Only a pointer does not (its size is the
 * pointer size), so it is the one edge that may close a cycle:
 * "struct list { struct list *next; }" is fine, "struct a { struct a x; }"
 * and "typedef t1 t2; typedef t2 t1;" are not. The kernel's resolver also
 * rejects cycles made of pointers and modifiers alone
 * ("const *const *..." forever); that is the second check.
 *
 * Both walks are iterative, with colour marks and, for the first, an
 * explicit stack of (id, next edge): depth is bounded by the number of
 * types, not by the C stack, so a chain of 100,000 typedefs is fine (the
 * kernel gives up at 32 levels; we do not copy that limit: such BTF is
 * valid, just deep). Memory: one struct btfl_res and one stack slot per
 * type.
 */
#include "btfl_internal.h"

#include <errno.h>
#include <stdlib.h>

enum {
	BTFL_WHITE = 0,		/* not visited */
	BTFL_GREY,		/* on the DFS stack */
	BTFL_BLACK,		/* resolved */
	BTFL_CHAIN_GREY,	/* on the current pointer/modifier walk */
	BTFL_CHAIN_DONE,	/* pointer/modifier chain known to end */
};

/* The i-th size edge of t (see above); false when there are no more. */
static bool btfl_edge(const struct bfmt_type *t, uint32_t i, uint32_t *to)
{
	enum bfmt_kind k = bfmt_kind(t);
	uint32_t n = bfmt_vlen(t);
	const void *x = bfmt_type_extra(t);

	if (btfl_is_modifier(k) || k == BFMT_KIND_VAR || k == BFMT_KIND_FUNC ||
	    k == BFMT_KIND_DECL_TAG) {
		*to = t->size_type;
		return i == 0;
	}
	switch (k) {
	case BFMT_KIND_ARRAY:
		*to = i == 0 ? ((const struct bfmt_array *)x)->type
			     : ((const struct bfmt_array *)x)->index_type;
		return i < 2;
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		if (i >= n)
			return false;
		*to = ((const struct bfmt_member *)x)[i].type;
		return true;
	case BFMT_KIND_DATASEC:
		if (i >= n)
			return false;
		*to = ((const struct bfmt_var_secinfo *)x)[i].type;
		return true;
	case BFMT_KIND_FUNC_PROTO:
		if (i > n)
			return false;
		*to = i == 0 ? t->size_type : ((const struct bfmt_param *)x)[i - 1].type;
		return true;
	default:
		return false;
	}
}

/* res[id] once everything id is made of is resolved. */
static void btfl_finish(const struct bfmt_btf *btf, uint8_t ptr_size,
			struct btfl_res *res, uint32_t id)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);
	enum bfmt_kind k = bfmt_kind(t);
	struct btfl_res *r = &res[id];

	r->rid = id;
	r->sized = 0;
	r->size = 0;
	r->tag_below = 0;
	if (bfmt_kind_has_size(k) && k != BFMT_KIND_DATASEC) {
		r->sized = 1;
		r->size = t->size_type;
	} else if (k == BFMT_KIND_PTR) {
		r->sized = 1;
		r->size = ptr_size;
	} else if (btfl_is_modifier(k) && t->size_type) {
		const struct bfmt_type *to = bfmt_btf__type(btf, t->size_type);
		enum bfmt_kind tk = bfmt_kind(to);

		*r = res[t->size_type];
		r->tag_below = tk == BFMT_KIND_TYPE_TAG ||
			       (btfl_is_modifier(tk) && res[t->size_type].tag_below);
	} else if (btfl_is_modifier(k)) {
		r->rid = 0;
	} else if (k == BFMT_KIND_ARRAY) {
		const struct bfmt_array *a = bfmt_type_extra(t);
		const struct btfl_res *e = &res[a->type];

		/* An overflowing product leaves the array unsized;
		 * btfl_check_refs() says why. */
		if (e->sized && (!a->nelems || e->size <= UINT32_MAX / a->nelems)) {
			r->sized = 1;
			r->size = e->size * a->nelems;
		}
	}
	r->colour = BTFL_BLACK;
}

struct btfl_frame {
	uint32_t id;
	uint32_t next;		/* next edge to follow */
};

/* Depth-first from root; every node reached is resolved on the way out. */
static int btfl_dfs(struct btfl_ctx *c, const struct bfmt_btf *btf,
		    struct btfl_res *res, struct btfl_frame *stack, uint32_t root)
{
	size_t top = 0;

	stack[top++] = (struct btfl_frame){ root, 0 };
	res[root].colour = BTFL_GREY;
	while (top) {
		struct btfl_frame *f = &stack[top - 1];
		const struct bfmt_type *t = bfmt_btf__type(btf, f->id);
		uint32_t to;

		if (!btfl_edge(t, f->next++, &to)) {
			btfl_finish(btf, c->ptr_size, res, f->id);
			top--;
			continue;
		}
		if (to >= bfmt_btf__nr_types(btf))	/* only in a bad base */
			return btfl_fail_type(c, btf, f->id, "refers to type %u, which does "
					      "not exist", to);
		if (!to || res[to].colour == BTFL_BLACK)
			continue;
		if (res[to].colour == BTFL_GREY)
			return btfl_fail_type(c, btf, to, "reference cycle back to it from [%u] %s "
					      "without a pointer in between", f->id,
					      bfmt_kind_name(bfmt_kind(t)));
		res[to].colour = BTFL_GREY;
		stack[top++] = (struct btfl_frame){ to, 0 };
	}
	return 0;
}

static bool btfl_is_chain(const struct bfmt_btf *btf, uint32_t id)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);
	enum bfmt_kind k = t ? bfmt_kind(t) : BFMT_KIND_UNKN;

	return k == BFMT_KIND_PTR || btfl_is_modifier(k);
}

/* Pointers and modifiers have one successor each: walk from id until the
 * chain leaves them; meeting the walk itself is a cycle. */
static int btfl_check_chain(struct btfl_ctx *c, const struct bfmt_btf *btf,
			    struct btfl_res *res, uint32_t id)
{
	uint32_t cur;

	for (cur = id; cur && btfl_is_chain(btf, cur); cur = bfmt_btf__type(btf, cur)->size_type) {
		if (res[cur].colour == BTFL_CHAIN_DONE)
			break;
		if (res[cur].colour == BTFL_CHAIN_GREY)
			return btfl_fail_type(c, btf, cur, "cycle of pointers and modifiers "
					      "(reached again from [%u])", id);
		res[cur].colour = BTFL_CHAIN_GREY;
	}
	for (cur = id; cur && res[cur].colour == BTFL_CHAIN_GREY;
	     cur = bfmt_btf__type(btf, cur)->size_type)
		res[cur].colour = BTFL_CHAIN_DONE;
	return 0;
}

int btfl_resolve(struct btfl_ctx *c, const struct bfmt_btf *btf, struct btfl_res *res)
{
	/* Split BTF: the base was validated when it was loaded (or made by
	 * the encoder, whose output passes these rules), so only the base
	 * types the split part reaches are resolved: those along size edges
	 * from split types, and pointer targets, whose resolution
	 * btfl_check_refs() also reads. A module on Debian's vmlinux
	 * resolves a few thousand of its 95,000 types. */
	uint32_t id, n = bfmt_btf__nr_types(btf);
	struct btfl_frame *stack = malloc(sizeof(*stack) * n);
	int err = 0;

	if (!stack)
		return btfl_fail(c, -ENOMEM, "out of memory");
	for (id = btf->start_id; !err && id < n; id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);
		uint32_t to = t->size_type;

		if (res[id].colour == BTFL_WHITE)
			err = btfl_dfs(c, btf, res, stack, id);
		if (!err && bfmt_kind(t) == BFMT_KIND_PTR && to && to < n &&
		    res[to].colour == BTFL_WHITE)
			err = btfl_dfs(c, btf, res, stack, to);
	}
	free(stack);
	for (id = btf->start_id; !err && id < n; id++)
		if (btfl_is_chain(btf, id) && res[id].colour != BTFL_CHAIN_DONE)
			err = btfl_check_chain(c, btf, res, id);
	return err;
}
