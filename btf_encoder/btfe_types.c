// SPDX-License-Identifier: GPL-2.0-only
/*
 * Model types -> BTF types, one unit at a time.
 *
 * Two passes over the unit. The first decides, for every model type, what it
 * becomes (its "slot") and assigns its BTF id(s), so that references forward
 * and backward can be written directly in the second pass, which emits the
 * records in model order. Aliases (types BTF has no kind for, which take the
 * id of what they refer to) are resolved between the passes, with a bound on
 * the chain so that a malformed cycle ends at void.
 *
 * Fallbacks, all accepted by the kernel's BTF verifier:
 *   _Atomic T                 -> T (BTF has no atomic qualifier; pahole
 *                                aborts the whole encode here)
 *   type tags, feature off    -> the tagged type
 *   float, feature off        -> INT of the same size, no encoding (pahole)
 *   int of size not 1/2/4/8/16, int wider than 128 bits, a float (or
 *   complex float) of a size FLOAT/INT cannot have, C++ pointer to member
 *   (one pointer in size, two for member functions), other unsupported
 *   scalars
 *                             -> an anonymous STRUCT of the same size with
 *                                no members: layout is kept, meaning is not
 *   C++ references            -> PTR to the referenced type
 *   unspecified type          -> void
 *   enum of size > 4, enum64 feature off
 *                             -> ENUM with the values' low 32 bits (pahole)
 *   struct with a member BTF cannot place (bit offset beyond what
 *   kind_flag encoding holds; a member past the end, out of order, not
 *   at 0 in a union, of void type, or a bitfield of a type other than
 *   an integer or enum: hostile DWARF), or with more than 65535
 *   members (BTF's vlen); an enum with more than 65535 enumerators
 *                             -> opaque struct of the same size
 *   a struct/union declaration without a name
 *                             -> an anonymous empty struct
 *   names the kernel would reject where it wants identifiers (C++
 *   templates and operators, Rust paths, longer than 127 characters)
 *                             -> the same name with other characters as '_'
 *                                (functions with such names are left out)
 *   array of void (hostile DWARF)
 *                             -> an anonymous empty struct
 *   prototype parameter of void, function or FWD type (hostile DWARF)
 *                             -> left out of the prototype
 *   a cycle of pointers, typedefs and modifiers only (hostile DWARF)
 *                             -> its types refer to void
 *   multi-dimensional arrays  -> one ARRAY of the product of the dimensions,
 *                                as pahole does (the kernel's BTF is made
 *                                that way, and tools compare against it)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_internal.h"
#include "src/util/vec.h"

#define BTFE_ALIAS_MAX 4096

static bool btfe_int_size_ok(uint64_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8 || size == 16;
}

static bool btfe_float_size_ok(uint64_t size)
{
	return size == 2 || size == 4 || size == 8 || size == 12 || size == 16;
}

/* ir_cu__resolve() of the unit being encoded, memoised (enc->res). */
static ir_id btfe_res(const struct btfe_encoder *enc, const struct ir_cu *cu, ir_id id)
{
	ir_id r;

	if (id >= enc->res.len)
		return ir_cu__resolve(cu, id);
	if (enc->res.v[id])
		return enc->res.v[id] - 1;
	r = ir_cu__resolve(cu, id);
	enc->res.v[id] = r + 1;
	return r;
}

/* ir_cu__type_size() of the unit being encoded, memoised (enc->sizes). */
static uint64_t btfe_size_of(const struct btfe_encoder *enc, const struct ir_cu *cu, ir_id id,
			     bool *ok)
{
	struct btfe_size_memo *m;

	if (id >= enc->sizes.len)
		return ir_cu__type_size(cu, id, ok);
	m = &enc->sizes.v[id];
	if (!m->state) {
		bool sized = false;

		m->size = ir_cu__type_size(cu, id, &sized);
		m->state = sized ? 1 : 2;
	}
	*ok = m->state == 1;
	return m->size;
}

/*
 * Can BTF place every member as the model has it? Besides the encoding
 * limits, the kernel wants union members at offset 0, struct members in
 * offset order, and each member inside the type's size: hostile DWARF can
 * break any of these.
 */
static bool btfe_members_fit(const struct btfe_encoder *enc, const struct ir_cu *cu,
			     const struct ir_type *t)
{
	bool kflag = false;
	uint64_t last = 0;
	uint32_t i;

	if (t->size > UINT32_MAX || t->vlen > BFMT_MAX_VLEN)
		return false;
	for (i = 0; i < t->vlen; i++)
		if (t->members[i].bitfield_size)
			kflag = true;
	for (i = 0; i < t->vlen; i++) {
		const struct ir_member *m = &t->members[i];

		if (kflag && (m->bit_offset > 0xffffff || m->bitfield_size > 0xff))
			return false;
		if (m->bit_offset > UINT32_MAX)
			return false;
		if ((t->kind == IR_KIND_UNION && m->bit_offset) || m->bit_offset < last)
			return false;
		/* Only a bitfield may start inside a byte. */
		if (!m->bitfield_size && m->bit_offset % 8)
			return false;
		/* Nor start past the end, whatever its size (one whose size
		 * is not known here, a declaration behind typedefs, was let
		 * through: a fuzz finding). */
		if ((m->bit_offset + 7) / 8 > t->size)
			return false;
		last = m->bit_offset;
		if (m->bitfield_size) {
			const struct ir_type *bt = ir_cu__type(cu, btfe_res(enc, cu, m->type));

			if (m->bit_offset + m->bitfield_size > t->size * 8 || !bt ||
			    (bt->kind != IR_KIND_INT && bt->kind != IR_KIND_ENUM))
				return false;
		} else {
			bool ok = false;
			uint64_t size = btfe_size_of(enc, cu, m->type, &ok);

			if (ok && (m->bit_offset + 7) / 8 + size > t->size)
				return false;
		}
	}
	return true;
}

/* What a model type becomes, and how many BTF ids it takes. */
static enum btfe_slot btfe_classify(const struct btfe_encoder *enc, const struct ir_cu *cu,
				    const struct ir_type *t, uint32_t *nr_ids)
{
	uint32_t features = enc->opts.features;

	*nr_ids = 1;
	switch (t->kind) {
	case IR_KIND_INT:
		if (!btfe_int_size_ok(t->size) || t->int_bits > 128 ||
		    t->int_bits + t->int_offset > t->size * 8)
			return BTFE_SLOT_OPAQUE;
		return BTFE_SLOT_TYPE;
	case IR_KIND_FLOAT:
		/* Complex floats are floats to pahole too: FLOAT (or INT)
		 * of their whole size when the verifier allows that size. */
		if (features & BTFE_F_FLOAT)
			return btfe_float_size_ok(t->size) ? BTFE_SLOT_TYPE : BTFE_SLOT_OPAQUE;
		return btfe_int_size_ok(t->size) ? BTFE_SLOT_TYPE : BTFE_SLOT_OPAQUE;
	case IR_KIND_ATOMIC:
		return BTFE_SLOT_ALIAS;
	case IR_KIND_TYPE_TAG:
		return (features & BTFE_F_TYPE_TAG) && t->name ? BTFE_SLOT_TYPE
								: BTFE_SLOT_ALIAS;
	case IR_KIND_TYPEDEF:
		return t->name ? BTFE_SLOT_TYPE : BTFE_SLOT_ALIAS;
	case IR_KIND_STRUCT:
	case IR_KIND_UNION:
		return btfe_members_fit(enc, cu, t) ? BTFE_SLOT_TYPE : BTFE_SLOT_OPAQUE;
	case IR_KIND_ENUM:
		return t->vlen > BFMT_MAX_VLEN ? BTFE_SLOT_OPAQUE : BTFE_SLOT_TYPE;
	case IR_KIND_FWD:
		/* A declaration without a name (C++ "typedef struct {...} x"
		 * seen only declared) cannot be a FWD: the kernel wants its
		 * name. An empty struct stands in. */
		return t->name || t->fwd_kind == IR_FWD_ENUM ? BTFE_SLOT_TYPE
							     : BTFE_SLOT_OPAQUE;
	case IR_KIND_UNSPEC:
		switch (t->unspec) {
		case IR_UNSPEC_REFERENCE:
		case IR_UNSPEC_RVALUE_REFERENCE:
			return BTFE_SLOT_TYPE;
		case IR_UNSPEC_UNSPECIFIED_TYPE:
			return BTFE_SLOT_VOID;
		case IR_UNSPEC_PTR_TO_MEMBER:
			return BTFE_SLOT_OPAQUE;	/* sized at emission */
		default:
			return t->size && t->size <= UINT32_MAX ? BTFE_SLOT_OPAQUE
								: BTFE_SLOT_VOID;
		}
	case IR_KIND_VOID:
	case IR_KIND_NR:
		return BTFE_SLOT_VOID;
	default:
		return BTFE_SLOT_TYPE;
	}
}

static int btfe_prepare_maps(struct btfe_encoder *enc, size_t n)
{
	if (vec_reserve(&enc->map, n) || vec_reserve(&enc->slot, n) ||
	    vec_reserve(&enc->refs, n) || vec_reserve(&enc->res, n) ||
	    vec_reserve(&enc->sizes, n))
		return -ENOMEM;
	enc->map.len = enc->slot.len = enc->refs.len = enc->res.len = enc->sizes.len = n;
	memset(enc->res.v, 0, n * sizeof(*enc->res.v));
	memset(enc->sizes.v, 0, n * sizeof(*enc->sizes.v));
	memset(enc->map.v, 0, n * sizeof(*enc->map.v));
	memset(enc->slot.v, 0, n * sizeof(*enc->slot.v));
	memset(enc->refs.v, 0, n * sizeof(*enc->refs.v));
	enc->slot.v[0] = BTFE_SLOT_VOID;
	return 0;
}

enum {
	BTFE_REF_BY_TYPE = 1,	/* some type refers to it */
	BTFE_REF_BY_FUNC = 2,	/* it is some function's prototype */
};

static int btfe_mark_ref(ir_id id, void *ctx)
{
	struct btfe_encoder *enc = ctx;

	if (id < enc->refs.len)
		enc->refs.v[id] |= BTFE_REF_BY_TYPE;
	return 0;
}

/*
 * The loader gives every function a FUNC_PROTO of its own; the function
 * pass emits the prototypes of the functions it keeps. A prototype that
 * only functions refer to is therefore not emitted here, so left-out
 * functions leave no orphan FUNC_PROTO behind (pahole emits none either).
 */
static void btfe_mark_refs(struct btfe_encoder *enc, const struct ir_cu *cu)
{
	size_t i;

	for (i = 1; i < cu->types.len; i++)
		ir_type__visit_refs(&cu->types.v[i], btfe_mark_ref, enc);
	for (i = 0; i < cu->funcs.len; i++)
		if (cu->funcs.v[i].proto < enc->refs.len)
			enc->refs.v[cu->funcs.v[i].proto] |= BTFE_REF_BY_FUNC;
}

/* pahole's name for the ARRAY index type. */
static const char btfe_index_name[] = "__ARRAY_SIZE_TYPE__";

/*
 * Pass one: slots and ids. *index_new is set when this unit needs the
 * array index type and none exists yet: it gets the id after the unit's
 * types. As pahole does, a unit's own "int" serves as the index type when
 * it has one (else a base type named like ours, which clang emits).
 */
static int btfe_assign_ids(struct btfe_encoder *enc, const struct ir_cu *cu,
			   bool *index_new)
{
	uint32_t next = bfmt_btf__nr_types(enc->btf);
	bool arrays = false;
	ir_id i, own_int = 0, own_index = 0;

	*index_new = false;
	for (i = 1; i < cu->types.len; i++) {
		const struct ir_type *t = &cu->types.v[i];
		uint32_t nr;
		enum btfe_slot s = btfe_classify(enc, cu, t, &nr);

		if (t->kind == IR_KIND_FUNC_PROTO && enc->refs.v[i] == BTFE_REF_BY_FUNC)
			s = BTFE_SLOT_VOID;
		enc->slot.v[i] = (uint8_t)s;
		if (s == BTFE_SLOT_ALIAS || s == BTFE_SLOT_VOID)
			continue;
		if (t->kind == IR_KIND_ARRAY)
			arrays = true;
		if (s == BTFE_SLOT_TYPE && t->kind == IR_KIND_INT && t->name) {
			if (!own_int && !strcmp(t->name, "int"))
				own_int = i;
			if (!own_index && !strcmp(t->name, btfe_index_name))
				own_index = i;
		}
		if (next > BFMT_MAX_NR_TYPES || nr > BFMT_MAX_NR_TYPES - next)
			return -E2BIG;
		enc->map.v[i] = next;
		next += nr;
	}
	if (!arrays || enc->index_type_id)
		return 0;
	if (own_int || own_index) {
		enc->index_type_id = enc->map.v[own_int ? own_int : own_index];
	} else {
		enc->index_type_id = next;
		*index_new = true;
	}
	return 0;
}

/* Between the passes: aliases take the id at the end of their chain. */
static void btfe_resolve_aliases(struct btfe_encoder *enc, const struct ir_cu *cu)
{
	ir_id i;

	for (i = 1; i < cu->types.len; i++) {
		ir_id t = i;
		int steps = 0;

		if (enc->slot.v[i] != BTFE_SLOT_ALIAS)
			continue;
		while (t < cu->types.len && enc->slot.v[t] == BTFE_SLOT_ALIAS &&
		       steps++ < BTFE_ALIAS_MAX)
			t = cu->types.v[t].type;
		if (t >= cu->types.len || enc->slot.v[t] == BTFE_SLOT_ALIAS)
			enc->map.v[i] = 0;	/* cycle or dangling: void */
		else
			enc->map.v[i] = enc->map.v[t];
	}
}

static uint32_t btfe_ref(const struct btfe_encoder *enc, ir_id id)
{
	return id < enc->map.len ? enc->map.v[id] : 0;
}

/* The cache slot of name when it holds name, else NULL. A slot filled
 * from a unit with borrowed names is right for any name of such a unit at
 * its address (while units are added, nothing else can be there: see
 * btfe_encoder__add_cu()); any other hit is
 * checked against the string at the cached offset, so a pointer freed and
 * reused for another string is just a miss. */
static struct btfe_name_slot *btfe_name_slot_of(struct btfe_name_slot *cache, uint32_t bits,
						 const char *name)
{
	uint64_t h = (uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15ULL;

	return &cache[h >> (64 - bits)];
}

int btfe_name_cache_grow(struct btfe_encoder *enc)
{
	uint32_t bits = enc->name_cache_bits + 2;
	size_t old = (size_t)1 << enc->name_cache_bits, i;
	struct btfe_name_slot *cache;

	if (enc->name_cache_bits >= BTFE_NAME_CACHE_MAX_BITS || enc->name_misses <= old / 4)
		return 0;
	if (bits > BTFE_NAME_CACHE_MAX_BITS)
		bits = BTFE_NAME_CACHE_MAX_BITS;
	cache = calloc((size_t)1 << bits, sizeof(*cache));
	if (!cache)
		return -ENOMEM;
	for (i = 0; i < old; i++)
		if (enc->name_cache[i].name)
			*btfe_name_slot_of(cache, bits, enc->name_cache[i].name) = enc->name_cache[i];
	free(enc->name_cache);
	enc->name_cache = cache;
	enc->name_cache_bits = bits;
	enc->name_misses = 0;
	return 0;
}

static struct btfe_name_slot *btfe_name_hit(struct btfe_encoder *enc, const char *name,
					    struct btfe_name_slot **slot_ret)
{
	struct btfe_name_slot *e = btfe_name_slot_of(enc->name_cache, enc->name_cache_bits, name);
	const char *cached;

	*slot_ret = e;
	if (e->name != name) {
		enc->name_misses += e->name != NULL;	/* another name's slot */
		return NULL;
	}
	if (e->trusted && enc->names_trusted)
		return e;
	cached = bfmt_btf__str(enc->btf, e->off);
	if (!cached || strcmp(cached, name))
		return NULL;
	e->trusted = enc->names_trusted;
	return e;
}

int btfe_name_off(struct btfe_encoder *enc, const char *name, uint32_t *off_ret)
{
	struct btfe_name_slot *e, *slot;
	int err;

	*off_ret = 0;
	if (!name)
		return 0;
	/* Names the DWARF loader borrows from .debug_str are one pointer per
	 * string for the whole run, so most names hit here after the first
	 * unit that uses them, instead of being hashed into the string set
	 * once per unit. A hit is never empty (empty names are not cached),
	 * so the string itself, a random line of megabytes, is not read. */
	e = btfe_name_hit(enc, name, &slot);
	if (e) {
		*off_ret = e->off;
		return 0;
	}
	if (!*name)
		return 0;
	err = bfmt_btf__add_str(enc->btf, name, off_ret);
	if (err)
		return err;
	slot->name = name;
	slot->off = *off_ret;
	slot->ident = BTFE_IDENT_UNKNOWN;
	slot->trusted = enc->names_trusted;
	return 0;
}

bool btfe_name_valid(const char *name)
{
	return ir_ident_valid(name);
}

int btfe_ident_off(struct btfe_encoder *enc, const char *name, uint32_t *off_ret)
{
	struct btfe_name_slot *e, *slot;
	char buf[IR_IDENT_MAX];
	bool valid;
	int err;

	if (!name)
		return btfe_name_off(enc, name, off_ret);
	/* Whether a name is an identifier is kept with it in the cache. */
	e = btfe_name_hit(enc, name, &slot);
	if (e && e->ident == BTFE_IDENT_YES) {
		*off_ret = e->off;
		return 0;
	}
	if (!*name)
		return btfe_name_off(enc, name, off_ret);
	valid = (!e || e->ident != BTFE_IDENT_NO) && btfe_name_valid(name);
	if (valid) {
		err = btfe_name_off(enc, name, off_ret);
		if (!err)
			slot->ident = BTFE_IDENT_YES;	/* btfe_name_off() filled it */
		return err;
	}
	if (e)
		e->ident = BTFE_IDENT_NO;
	ir_ident_sanitize(name, buf);
	return bfmt_btf__add_str(enc->btf, buf, off_ret);
}

/* Add one type and check it got the id pass one promised. */
static int btfe_add(struct btfe_encoder *enc, uint32_t want, enum bfmt_kind kind,
		    uint32_t vlen, bool kflag, const char *name,
		    uint32_t size_type, void **extra)
{
	uint32_t off, id;
	/* INT and FLOAT names are free text ("long unsigned int"); type tag
	 * values too; every other name is an identifier to the kernel. */
	bool free_text = kind == BFMT_KIND_INT || kind == BFMT_KIND_FLOAT ||
			 kind == BFMT_KIND_TYPE_TAG;
	int err = free_text ? btfe_name_off(enc, name, &off) : btfe_ident_off(enc, name, &off);

	if (err)
		return err;
	err = bfmt_btf__add_type(enc->btf, kind, vlen, kflag, off, size_type, &id, extra);
	if (err)
		return err;
	return id == want ? 0 : -EFAULT;
}

static int btfe_emit_index_type(struct btfe_encoder *enc)
{
	uint32_t *info;
	int err;

	/* pahole's name for it; 4 bytes, unsigned. */
	err = btfe_add(enc, enc->index_type_id, BFMT_KIND_INT, 0, false,
		       btfe_index_name, 4, (void **)&info);
	if (!err)
		*info = bfmt_int_info(0, 0, 32);
	return err;
}

static int btfe_emit_int(struct btfe_encoder *enc, uint32_t id, const struct ir_type *t)
{
	uint32_t enc_bits = 0, *info, bits = t->int_bits ? t->int_bits : (uint32_t)t->size * 8;
	int err;

	if (t->kind == IR_KIND_INT) {
		if (t->flags & IR_TF_BOOL)
			enc_bits = BFMT_INT_BOOL;
		else if (t->flags & IR_TF_SIGNED)
			enc_bits = BFMT_INT_SIGNED;
	} else {
		bits = (uint32_t)t->size * 8;	/* float without FLOAT */
	}
	err = btfe_add(enc, id, BFMT_KIND_INT, 0, false, t->name, (uint32_t)t->size,
		       (void **)&info);
	if (!err)
		*info = bfmt_int_info(enc_bits, t->kind == IR_KIND_INT ? t->int_offset : 0, bits);
	return err;
}

static uint32_t btfe_array_nelems(const struct ir_type *t)
{
	uint64_t n = 1;
	uint32_t d;

	for (d = 0; d < t->vlen; d++) {
		if (t->dims[d].flexible || !t->dims[d].count)
			return 0;
		if (n > UINT32_MAX / t->dims[d].count)
			return UINT32_MAX;	/* the verifier rejects it; say as much as fits */
		n *= t->dims[d].count;
	}
	return t->vlen ? (uint32_t)n : 0;
}


static int btfe_emit_array(struct btfe_encoder *enc, const struct ir_cu *cu, uint32_t id,
			   const struct ir_type *t)
{
	uint32_t elem = btfe_ref(enc, t->type);
	struct bfmt_array *a;
	int err;

	/* An array of void or of a sizeless type (hostile DWARF, or an
	 * element that ended at void) is invalid BTF: an empty struct
	 * stands in. */
	if (!elem || !btfe_value_type_ok(enc, cu, t->type))
		return btfe_add(enc, id, BFMT_KIND_STRUCT, 0, false, NULL, 0, NULL);
	err = btfe_add(enc, id, BFMT_KIND_ARRAY, 0, false, NULL, 0, (void **)&a);
	if (err)
		return err;
	a->type = elem;
	a->index_type = enc->index_type_id;
	a->nelems = btfe_array_nelems(t);
	return 0;
}

/* A type BTF gives no size: a function, or a struct/union declaration (a
 * BTF FWD). An enum declaration is not one: it becomes an ENUM without
 * values, of the enum's size, which a kernel's function pointer may well
 * return or take (enum dev_dma_attr in struct fwnode_operations). */
static bool btfe_sizeless(const struct ir_type *rt)
{
	return rt->kind == IR_KIND_FUNC_PROTO ||
	       (rt->kind == IR_KIND_FWD && rt->fwd_kind != IR_FWD_ENUM);
}

/* The size of the BTF enum made of t, and whether it is an ENUM64. */
static uint32_t btfe_enum_size(const struct btfe_encoder *enc, const struct ir_type *t,
			       bool *is64_ret)
{
	bool is64 = t->size > 4 && (enc->opts.features & BTFE_F_ENUM64);
	uint64_t size = t->size ? t->size : 4;

	if (size > 8 || (size & (size - 1)))
		size = is64 ? 8 : 4;
	if (is64_ret)
		*is64_ret = is64;
	return (uint32_t)size;
}

/* The type id ends at in BTF: past typedefs and modifiers, and past
 * types that take their target's BTF id (an unknown tag, hostile DWARF:
 * its target may be void). A chain of more than BTFE_ALIAS_HOPS such
 * types ends nowhere (void: the caller falls back). */
#define BTFE_ALIAS_HOPS 64

static ir_id btfe_resolve(const struct btfe_encoder *enc, const struct ir_cu *cu, ir_id id)
{
	int steps;

	for (steps = 0; steps < BTFE_ALIAS_HOPS; steps++) {
		ir_id r = btfe_res(enc, cu, id);
		const struct ir_type *rt = ir_cu__type(cu, r);

		if (!rt || r >= enc->slot.len || enc->slot.v[r] != BTFE_SLOT_ALIAS)
			return r;
		id = rt->type;
	}
	return IR_VOID;
}

/* The widest bitfield BTF allows on an INT or ENUM the encoder makes of
 * rt (the loader's rule, and the kernel's: an INT's bits, an enum's size
 * but at least an int). */
static uint32_t btfe_bitfield_max(const struct btfe_encoder *enc, const struct ir_type *rt)
{
	uint32_t size;

	if (rt->kind == IR_KIND_INT)
		return rt->int_bits ? rt->int_bits : (uint32_t)(rt->size * 8);
	size = btfe_enum_size(enc, rt, NULL);
	return size * 8 < 32 ? 32 : size * 8;
}

/* Can BTF have a member of m's type? Hostile DWARF gives members of
 * sizeless types, or bitfields of types that end up neither INT nor ENUM
 * (e.g. an odd-sized int that became an opaque struct), or wider than
 * their type. */
static bool btfe_member_type_ok(const struct btfe_encoder *enc, const struct ir_cu *cu,
				const struct ir_member *m)
{
	ir_id r = btfe_resolve(enc, cu, m->type);
	const struct ir_type *rt = ir_cu__type(cu, r);

	if (!rt || !btfe_ref(enc, m->type) || enc->slot.v[r] == BTFE_SLOT_VOID)
		return false;
	if (m->bitfield_size)
		return enc->slot.v[r] == BTFE_SLOT_TYPE &&
		       (rt->kind == IR_KIND_INT || rt->kind == IR_KIND_ENUM) &&
		       m->bitfield_size <= btfe_bitfield_max(enc, rt);
	if (rt->kind == IR_KIND_FLOAT && enc->slot.v[r] == BTFE_SLOT_TYPE &&
	    (enc->opts.features & BTFE_F_FLOAT)) {
		/* The kernel wants a FLOAT member aligned (to its size, at
		 * most a pointer's). */
		uint64_t ptr = cu->addr_size ? cu->addr_size : 8;
		uint64_t align = rt->size < ptr ? rt->size : ptr;

		if (align && m->bit_offset % (8 * align))
			return false;
	}
	return enc->slot.v[r] == BTFE_SLOT_OPAQUE || !btfe_sizeless(rt);
}

static int btfe_emit_composite(struct btfe_encoder *enc, const struct ir_cu *cu, uint32_t id,
			       const struct ir_type *t)
{
	bool kflag = false;
	struct bfmt_member *m;
	uint32_t i, vlen = t->vlen;
	int err;

	if (vlen > BFMT_MAX_VLEN)
		return -E2BIG;
	for (i = 0; i < vlen; i++) {
		if (t->members[i].bitfield_size)
			kflag = true;
		/* A member BTF cannot have (hostile DWARF): the type
		 * becomes opaque, of its size. */
		if (!btfe_member_type_ok(enc, cu, &t->members[i]))
			return btfe_add(enc, id, BFMT_KIND_STRUCT, 0, false, NULL,
					t->size > UINT32_MAX ? UINT32_MAX : (uint32_t)t->size, NULL);
	}
	err = btfe_add(enc, id, t->kind == IR_KIND_UNION ? BFMT_KIND_UNION : BFMT_KIND_STRUCT,
		       vlen, kflag, t->name, (uint32_t)t->size, (void **)&m);
	if (err)
		return err;
	for (i = 0; i < vlen; i++) {
		const struct ir_member *im = &t->members[i];
		uint32_t off;

		/* Re-fetch: adding a string does not move type records, but
		 * keep the record pointer fresh for clarity of ownership. */
		err = btfe_ident_off(enc, im->name, &off);
		if (err)
			return err;
		m = bfmt_type_extra(bfmt_btf__type(enc->btf, id));
		m[i].name_off = off;
		m[i].type = btfe_ref(enc, im->type);
		m[i].offset = kflag ? im->bitfield_size << 24 | (uint32_t)im->bit_offset
				    : (uint32_t)im->bit_offset;
	}
	return 0;
}

static int btfe_emit_enum(struct btfe_encoder *enc, uint32_t id, const struct ir_type *t)
{
	bool is64, sign = t->flags & IR_TF_SIGNED;
	uint32_t i, j, n = 0, size = btfe_enum_size(enc, t, &is64);
	void *extra;
	int err;

	if (t->vlen > BFMT_MAX_VLEN)
		return -E2BIG;
	/* An enumerator without a name (hostile DWARF) is left out: the
	 * kernel wants every one named. */
	for (i = 0; i < t->vlen; i++)
		n += t->enumerators[i].name && t->enumerators[i].name[0];
	err = btfe_add(enc, id, is64 ? BFMT_KIND_ENUM64 : BFMT_KIND_ENUM, n, sign,
		       t->name, size, &extra);
	for (i = 0, j = 0; !err && i < t->vlen; i++) {
		const struct ir_enumerator *e = &t->enumerators[i];
		uint32_t off;

		if (!e->name || !e->name[0])
			continue;
		err = btfe_ident_off(enc, e->name, &off);
		if (err)
			break;
		extra = bfmt_type_extra(bfmt_btf__type(enc->btf, id));
		if (is64) {
			struct bfmt_enum64 *v = extra;

			v[j].name_off = off;
			v[j].val_lo32 = (uint32_t)e->value;
			v[j].val_hi32 = (uint32_t)(e->value >> 32);
		} else {
			struct bfmt_enum *v = extra;

			v[j].name_off = off;
			v[j].val = (int32_t)(uint32_t)e->value;
		}
		j++;
	}
	return err;
}

/* Can a parameter (array element, return value) have this model type in
 * BTF? Not void (only the varargs marker is), nor a function or a
 * declaration without size: hostile DWARF. */
bool btfe_value_type_ok(const struct btfe_encoder *enc, const struct ir_cu *cu, ir_id type)
{
	ir_id r = btfe_resolve(enc, cu, type);
	const struct ir_type *rt = ir_cu__type(cu, r);

	return rt && btfe_ref(enc, type) && enc->slot.v[r] != BTFE_SLOT_VOID &&
	       (enc->slot.v[r] == BTFE_SLOT_OPAQUE || !btfe_sizeless(rt));
}

/* Parameters BTF cannot have are left out of the prototype (type
 * prototypes carry no parameter decl tags, so no index shifts). */
static int btfe_emit_proto(struct btfe_encoder *enc, const struct ir_cu *cu, uint32_t id,
			   const struct ir_type *t)
{
	bool varargs = t->flags & IR_TF_VARARGS;
	uint32_t i, j, vlen = varargs ? 1 : 0;
	struct bfmt_param *p;
	int err;

	for (i = 0; i < t->vlen; i++)
		vlen += btfe_value_type_ok(enc, cu, t->params[i].type);
	if (vlen > BFMT_MAX_VLEN)
		return -E2BIG;
	/* A sizeless return type (a function returning a function) is
	 * void. */
	err = btfe_add(enc, id, BFMT_KIND_FUNC_PROTO, vlen, false, NULL,
		       btfe_value_type_ok(enc, cu, t->type) ? btfe_ref(enc, t->type) : 0, NULL);
	for (i = 0, j = 0; !err && i < t->vlen; i++) {
		uint32_t off;

		if (!btfe_value_type_ok(enc, cu, t->params[i].type))
			continue;
		err = btfe_ident_off(enc, t->params[i].name, &off);
		if (err)
			break;
		p = bfmt_type_extra(bfmt_btf__type(enc->btf, id));
		p[j].name_off = off;
		p[j].type = btfe_ref(enc, t->params[i].type);
		j++;
	}
	/* A trailing { 0, 0 } parameter (already zeroed) marks varargs. */
	return err;
}

/* Steps btfe_on_ref_cycle() follows: longer cycles are not seen. */
#define BTFE_REF_CYCLE_STEPS 256

/*
 * Is model type self on a cycle of pointers, typedefs and modifiers only
 * (hostile DWARF: "int **p" whose pointee is p itself)? The kernel rejects
 * such a cycle; the types on it then refer to void instead.
 */
static bool btfe_on_ref_cycle(const struct ir_cu *cu, ir_id self)
{
	ir_id id = self;
	int steps;

	for (steps = 0; steps < BTFE_REF_CYCLE_STEPS; steps++) {
		const struct ir_type *t = ir_cu__type(cu, id);

		if (!t || (t->kind != IR_KIND_PTR && t->kind != IR_KIND_TYPEDEF &&
			   !ir_kind__is_modifier(t->kind)))
			return false;
		id = t->type;
		if (id == self)
			return true;
	}
	return false;
}

static int btfe_emit_ref(struct btfe_encoder *enc, const struct ir_cu *cu, ir_id self,
			 uint32_t id, const struct ir_type *t, enum bfmt_kind kind,
			 bool with_name)
{
	return btfe_add(enc, id, kind, 0, false, with_name ? t->name : NULL,
			btfe_on_ref_cycle(cu, self) ? 0 : btfe_ref(enc, t->type), NULL);
}

static int btfe_emit_fwd(struct btfe_encoder *enc, uint32_t id, const struct ir_type *t)
{
	if (t->fwd_kind == IR_FWD_ENUM)
		/* An enum declaration is an ENUM without enumerators. */
		return btfe_add(enc, id, BFMT_KIND_ENUM, 0, false, t->name,
				t->size && t->size <= 8 ? (uint32_t)t->size : 4, NULL);
	return btfe_add(enc, id, BFMT_KIND_FWD, 0, t->fwd_kind == IR_FWD_UNION,
			t->name, 0, NULL);
}

/*
 * The size of the opaque stand-in. DWARF gives a C++ pointer to member no
 * size: it is one pointer for a data member and two for a member function
 * (the Itanium C++ ABI), which keeps the enclosing layout right.
 */
static uint32_t btfe_opaque_size(const struct ir_cu *cu, const struct ir_type *t)
{
	const struct ir_type *to;

	if (t->size)
		return t->size > UINT32_MAX ? UINT32_MAX : (uint32_t)t->size;
	if (t->kind != IR_KIND_UNSPEC || t->unspec != IR_UNSPEC_PTR_TO_MEMBER)
		return 0;
	to = ir_cu__type(cu, ir_cu__resolve(cu, t->type));
	return (to && to->kind == IR_KIND_FUNC_PROTO ? 2u : 1u) *
	       (cu->addr_size ? cu->addr_size : 8u);
}

static int btfe_emit_one(struct btfe_encoder *enc, const struct ir_cu *cu, ir_id i)
{
	const struct ir_type *t = &cu->types.v[i];
	uint32_t id = enc->map.v[i];

	if (enc->slot.v[i] == BTFE_SLOT_OPAQUE)
		return btfe_add(enc, id, BFMT_KIND_STRUCT, 0, false, NULL,
				btfe_opaque_size(cu, t), NULL);
	switch (t->kind) {
	case IR_KIND_INT:
		return btfe_emit_int(enc, id, t);
	case IR_KIND_FLOAT:
		if (enc->opts.features & BTFE_F_FLOAT)
			return btfe_add(enc, id, BFMT_KIND_FLOAT, 0, false, t->name,
					(uint32_t)t->size, NULL);
		return btfe_emit_int(enc, id, t);
	case IR_KIND_PTR:
		return btfe_emit_ref(enc, cu, i, id, t, BFMT_KIND_PTR, false);
	case IR_KIND_ARRAY:
		return btfe_emit_array(enc, cu, id, t);
	case IR_KIND_STRUCT:
	case IR_KIND_UNION:
		return btfe_emit_composite(enc, cu, id, t);
	case IR_KIND_ENUM:
		return btfe_emit_enum(enc, id, t);
	case IR_KIND_FWD:
		return btfe_emit_fwd(enc, id, t);
	case IR_KIND_TYPEDEF:
		return btfe_emit_ref(enc, cu, i, id, t, BFMT_KIND_TYPEDEF, true);
	case IR_KIND_CONST:
		return btfe_emit_ref(enc, cu, i, id, t, BFMT_KIND_CONST, false);
	case IR_KIND_VOLATILE:
		return btfe_emit_ref(enc, cu, i, id, t, BFMT_KIND_VOLATILE, false);
	case IR_KIND_RESTRICT:
		return btfe_emit_ref(enc, cu, i, id, t, BFMT_KIND_RESTRICT, false);
	case IR_KIND_FUNC_PROTO:
		return btfe_emit_proto(enc, cu, id, t);
	case IR_KIND_TYPE_TAG:
		return btfe_emit_ref(enc, cu, i, id, t, BFMT_KIND_TYPE_TAG, true);
	case IR_KIND_UNSPEC:	/* references */
		return btfe_emit_ref(enc, cu, i, id, t, BFMT_KIND_PTR, false);
	default:
		return -EFAULT;
	}
}

/* DECL_TAGs of types and members, after all of the unit's types. */
static int btfe_emit_type_decl_tags(struct btfe_encoder *enc, const struct ir_cu *cu)
{
	ir_id i;
	uint32_t j, k;
	int err = 0;

	if (!(enc->opts.features & BTFE_F_DECL_TAG))
		return 0;
	for (i = 1; i < cu->types.len && !err; i++) {
		const struct ir_type *t = &cu->types.v[i];
		uint32_t target = enc->map.v[i];

		if (enc->slot.v[i] != BTFE_SLOT_TYPE)
			continue;
		for (k = 0; k < t->annots.len && !err; k++)
			err = btfe_add_decl_tag(enc, t->annots.v[k], target, -1);
		if (!ir_kind__is_composite(t->kind))
			continue;
		for (j = 0; j < t->vlen && !err; j++)
			for (k = 0; k < t->members[j].annots.len && !err; k++)
				err = btfe_add_decl_tag(enc, t->members[j].annots.v[k],
							target, (int32_t)j);
	}
	return err;
}

int btfe_add_decl_tag(struct btfe_encoder *enc, const char *value, uint32_t target,
		      int32_t component)
{
	struct bfmt_decl_tag *dt;
	uint32_t off, id;
	int err = btfe_name_off(enc, value, &off);

	if (err)
		return err;
	err = bfmt_btf__add_type(enc->btf, BFMT_KIND_DECL_TAG, 0, false, off, target,
				 &id, (void **)&dt);
	if (!err)
		dt->component_idx = component;
	return err;
}

static void btfe_prefetch_name(const struct btfe_encoder *enc, const char *name)
{
	if (name)
		__builtin_prefetch(btfe_name_slot_of(enc->name_cache, enc->name_cache_bits, name));
}

/*
 * The name cache is megabytes and every name a random slot in it, so each
 * lookup waited for memory (8% of a kernel's run). While a type is emitted,
 * the slots of the names of the type BTFE_NAMES_AHEAD places further are
 * asked for; by the time it is emitted they have arrived. (Asking for a
 * whole unit's at once does less: a large unit's slots do not all stay in
 * the cache until they are used.) A hint only: nothing is read.
 */
#define BTFE_NAMES_AHEAD 8

static void btfe_prefetch_names(const struct btfe_encoder *enc, const struct ir_cu *cu, ir_id i)
{
	const struct ir_type *t;
	uint32_t j;

	if (i >= cu->types.len || enc->slot.v[i] != BTFE_SLOT_TYPE)
		return;
	t = &cu->types.v[i];
	btfe_prefetch_name(enc, t->name);
	switch (t->kind) {
	case IR_KIND_STRUCT:
	case IR_KIND_UNION:
		for (j = 0; j < t->vlen; j++)
			btfe_prefetch_name(enc, t->members[j].name);
		break;
	case IR_KIND_ENUM:
		for (j = 0; j < t->vlen; j++)
			btfe_prefetch_name(enc, t->enumerators[j].name);
		break;
	case IR_KIND_FUNC_PROTO:
		for (j = 0; j < t->vlen; j++)
			btfe_prefetch_name(enc, t->params[j].name);
		break;
	default:
		break;
	}
}

int btfe_encode_types(struct btfe_encoder *enc, const struct ir_cu *cu)
{
	bool index_new;
	ir_id i;
	int err;

	err = btfe_prepare_maps(enc, cu->types.len);
	if (err)
		return err;
	btfe_mark_refs(enc, cu);
	err = btfe_assign_ids(enc, cu, &index_new);
	if (err)
		return err;
	btfe_resolve_aliases(enc, cu);
	for (i = 1; i < BTFE_NAMES_AHEAD; i++)
		btfe_prefetch_names(enc, cu, i);
	for (i = 1; i < cu->types.len; i++) {
		btfe_prefetch_names(enc, cu, i + BTFE_NAMES_AHEAD);
		if (enc->slot.v[i] != BTFE_SLOT_TYPE && enc->slot.v[i] != BTFE_SLOT_OPAQUE)
			continue;
		err = btfe_emit_one(enc, cu, i);
		if (err)
			return err;
	}
	if (index_new) {
		err = btfe_emit_index_type(enc);
		if (err)
			return err;
	}
	return btfe_emit_type_decl_tags(enc, cu);
}
