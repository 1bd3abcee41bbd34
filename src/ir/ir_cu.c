// SPDX-License-Identifier: GPL-2.0-only
/* Life cycle of a CU, its type/func/var tables and its string interning. */
#include "ir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/hmap.h"
#include "../util/vec.h"

struct ir_cu *ir_cu__new(void)
{
	struct ir_cu *cu = calloc(1, sizeof(*cu));

	if (!cu)
		return NULL;
	arena_init(&cu->arena);
	/* Slot 0 is void. */
	if (vec_push(&cu->types)) {
		free(cu);
		return NULL;
	}
	cu->types.v[0].kind = IR_KIND_VOID;
	return cu;
}

void ir_cu__free(struct ir_cu *cu)
{
	if (!cu)
		return;
	vec_free(&cu->types);
	vec_free(&cu->funcs);
	vec_free(&cu->vars);
	free(cu->strs.slots);
	arena_deinit(&cu->arena);
	free(cu);
}

/* One multiply per 8 bytes and a final mix: names are short, and every
 * name of every unit goes through here. */
uint32_t ir_str_hash(const char *s, size_t len)
{
	uint64_t h = len * 0x9e3779b97f4a7c15ULL, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (len) {
		w = 0;
		memcpy(&w, s, len);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
	}
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* Slots keep each string's hash and length, so that growing never reads
 * the strings again and a probe compares bytes only on a full match of
 * both. */
static int ir_strs_grow(struct ir_cu *cu)
{
	size_t ncap = cu->strs.cap ? cu->strs.cap * 2 : 256;
	struct ir_str_slot *slots = calloc(ncap, sizeof(*slots));
	size_t i;

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < cu->strs.cap; i++) {
		const struct ir_str_slot *o = &cu->strs.slots[i];
		size_t j;

		if (!o->s)
			continue;
		j = o->hash & (ncap - 1);
		while (slots[j].s)
			j = (j + 1) & (ncap - 1);
		slots[j] = *o;
	}
	free(cu->strs.slots);
	cu->strs.slots = slots;
	cu->strs.cap = ncap;
	return 0;
}

const char *ir_cu__intern_hashed(struct ir_cu *cu, const char *s, size_t len,
				 uint32_t hash)
{
	struct ir_str_slot *slot;
	size_t mask, i;
	char *copy;

	if (len > UINT32_MAX)
		return NULL;
	if (cu->strs.len + 1 >= cu->strs.cap / 4 * 3 && ir_strs_grow(cu))
		return NULL;
	mask = cu->strs.cap - 1;
	i = hash & mask;
	while ((slot = &cu->strs.slots[i])->s) {
		if (slot->hash == hash && slot->len == len &&
		    memcmp(slot->s, s, len) == 0)
			return slot->s;
		i = (i + 1) & mask;
	}
	copy = arena_strndup(&cu->arena, s, len);
	if (!copy)
		return NULL;
	slot->s = copy;
	slot->hash = hash;
	slot->len = (uint32_t)len;
	cu->strs.len++;
	return copy;
}

const char *ir_cu__intern_len(struct ir_cu *cu, const char *s, size_t len)
{
	/* s may be longer than len: intern only its first len bytes. */
	size_t n = strnlen(s, len);

	return ir_cu__intern_hashed(cu, s, n, ir_str_hash(s, n));
}

const char *ir_cu__intern(struct ir_cu *cu, const char *s)
{
	size_t len = strlen(s);

	return ir_cu__intern_hashed(cu, s, len, ir_str_hash(s, len));
}

int ir_cu__add_type(struct ir_cu *cu, enum ir_kind kind, ir_id *id_ret)
{
	if (cu->types.len >= UINT32_MAX)
		return -E2BIG;
	if (vec_push(&cu->types))
		return -ENOMEM;
	vec_last(&cu->types)->kind = kind;
	*id_ret = (ir_id)(cu->types.len - 1);
	return 0;
}

int ir_cu__add_func(struct ir_cu *cu, struct ir_func **ret)
{
	if (vec_push(&cu->funcs))
		return -ENOMEM;
	*ret = vec_last(&cu->funcs);
	return 0;
}

int ir_cu__add_var(struct ir_cu *cu, struct ir_var **ret)
{
	if (vec_push(&cu->vars))
		return -ENOMEM;
	*ret = vec_last(&cu->vars);
	return 0;
}

int ir_cu__annot_add(struct ir_cu *cu, struct ir_annots *a, const char *value)
{
	const char **v;
	const char *s = cu->names_borrowed ? value : ir_cu__intern(cu, value);

	if (!s)
		return -ENOMEM;
	/* Lists are short (a handful of tags): copy on append. */
	v = arena_alloc(&cu->arena, (a->len + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (a->len)
		memcpy(v, a->v, a->len * sizeof(*v));
	v[a->len] = s;
	a->v = v;
	a->len++;
	return 0;
}
