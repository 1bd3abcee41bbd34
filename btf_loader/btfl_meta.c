// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pass 1: the rules each record can be checked by on its own (the kernel's
 * btf_check_meta and the per-kind *_check_meta), for every type of this
 * table (a base is taken as already valid):
 *
 *  all      no reserved info bits (0x60ff0000); name offset inside the
 *           string section (base included) and <= BFMT_MAX_NAME_OFFSET;
 *           every type id field names an existing type
 *  INT      vlen 0, no kind_flag, no reserved encoding bits, one encoding
 *           (SIGNED, CHAR or BOOL), bits + offset <= 128 and within size
 *  PTR, CONST, VOLATILE, RESTRICT
 *           vlen 0, no kind_flag, no name
 *  TYPEDEF  vlen 0, no kind_flag, an identifier name
 *  TYPE_TAG vlen 0, a non-empty name (kind_flag: the attribute form)
 *  ARRAY    no name, vlen 0, no kind_flag, size 0, element and index not void
 *  STRUCT, UNION
 *           name empty or an identifier; members: name empty or an
 *           identifier, type not void, offsets not decreasing, inside the
 *           size, all 0 in a union
 *  ENUM, ENUM64
 *           size 1, 2, 4 or 8; name empty or an identifier; enumerators
 *           named by identifiers
 *  FWD      vlen 0, type 0, an identifier name
 *  FUNC     an identifier name, linkage static or global, no kind_flag
 *  FUNC_PROTO
 *           no name, no kind_flag; parameter names empty or identifiers;
 *           only the last parameter may be void, and then unnamed (varargs)
 *  VAR      vlen 0, no kind_flag, an identifier name, type not void,
 *           linkage static or global
 *  DATASEC  no kind_flag, a printable name, size not 0; entries: type not
 *           void, size not 0, sorted by offset, not overlapping, inside size
 *  FLOAT    vlen 0, no kind_flag, size 2, 4, 8, 12 or 16
 *  DECL_TAG vlen 0, a non-empty value, component_idx >= -1
 *
 * On purpose unlike the kernel, which sees BTF only after libbpf finished
 * it: in an ELF relocatable object (ctx->relocatable) extern linkage
 * (FUNC, VAR) is allowed and a DATASEC may have size 0 with its entries'
 * offsets not yet placed (clang leaves them for the BPF loader).
 */
#include "btfl_internal.h"

#include <errno.h>
#include <stdlib.h>

/* One record under check. */
struct btfl_meta {
	struct btfl_ctx *c;
	const struct bfmt_btf *btf;
	uint32_t id;
	const struct bfmt_type *t;
	/* Per offset of btf's own strings, a bit each: checked, and an
	 * identifier (NULL: no memo). A kernel's 95 thousand types name
	 * their members with a few thousand strings; bits, not bytes, so
	 * that the memo of a kernel's 2 MB of strings is 0.5 MB of pages. */
	uint64_t *ident;	/* per 64 offsets: checked bits, identifier bits */
};

static bool btfl_meta_ident(struct btfl_meta *m, uint32_t off)
{
	uint32_t at = off - m->btf->start_str_off;
	uint64_t bit = 1ull << (at % 64);
	uint64_t *checked, *ident;
	bool ok;

	if (!m->ident || off < m->btf->start_str_off || at >= m->btf->strs.len)
		return btfl_valid_ident(m->btf, off);
	checked = &m->ident[2 * (at / 64)];
	ident = checked + 1;
	if (*checked & bit)
		return *ident & bit;
	ok = btfl_valid_ident(m->btf, off);
	*checked |= bit;
	if (ok)
		*ident |= bit;
	return ok;
}

/* The string at off ("" when off is out of range: checked before). */
static const char *btfl_str_or_empty(const struct bfmt_btf *btf, uint32_t off)
{
	const char *s = bfmt_btf__str(btf, off);

	return s ? s : "";
}

#define META_FAIL(m, ...) btfl_fail_type((m)->c, (m)->btf, (m)->id, __VA_ARGS__)

static int btfl_meta_ref(struct btfl_meta *m, const char *what, uint32_t ref)
{
	uint32_t n = bfmt_btf__nr_types(m->btf);

	if (ref >= n)
		return META_FAIL(m, "%s %u: no such type (ids end at %u)", what, ref, n - 1);
	return 0;
}

static int btfl_meta_no_vlen(struct btfl_meta *m)
{
	if (bfmt_vlen(m->t))
		return META_FAIL(m, "vlen %u, must be 0", bfmt_vlen(m->t));
	return 0;
}

static int btfl_meta_no_kflag(struct btfl_meta *m)
{
	if (bfmt_kflag(m->t))
		return META_FAIL(m, "kind_flag set, not allowed for this kind");
	return 0;
}

/* Name rules: 0 = must be empty, 1 = empty or identifier, 2 = identifier. */
enum { NAME_NONE, NAME_OPT_IDENT, NAME_IDENT };

static int btfl_meta_name(struct btfl_meta *m, int rule)
{
	uint32_t off = m->t->name_off;

	if (rule == NAME_NONE && off)
		return META_FAIL(m, "name must be empty");
	if (rule == NAME_IDENT && !off)
		return META_FAIL(m, "name must not be empty");
	if (off && rule != NAME_NONE && !btfl_meta_ident(m, off))
		return META_FAIL(m, "name is not a valid identifier");
	return 0;
}

static int btfl_meta_int(struct btfl_meta *m)
{
	uint32_t v = *(const uint32_t *)bfmt_type_extra(m->t);
	uint32_t bits = bfmt_int_bits(v), off = bfmt_int_offset(v);
	uint32_t enc = bfmt_int_encoding(v);
	int err = btfl_meta_no_vlen(m);

	if (!err)
		err = btfl_meta_no_kflag(m);
	if (err)
		return err;
	if (v & 0xf0000000u)
		return META_FAIL(m, "int data 0x%08x has reserved bits set", v);
	if (bits + off > 128)
		return META_FAIL(m, "int bits %u + offset %u exceed 128", bits, off);
	if ((bits + off + 7) / 8 > m->t->size_type)
		return META_FAIL(m, "int bits %u + offset %u exceed size %u", bits, off,
				 m->t->size_type);
	if (enc && enc != BFMT_INT_SIGNED && enc != BFMT_INT_CHAR && enc != BFMT_INT_BOOL)
		return META_FAIL(m, "int encoding 0x%x unsupported", enc);
	return 0;
}

static int btfl_meta_ref_kind(struct btfl_meta *m)
{
	enum bfmt_kind k = bfmt_kind(m->t);
	int err = btfl_meta_no_vlen(m);

	if (!err && k != BFMT_KIND_TYPE_TAG)
		err = btfl_meta_no_kflag(m);
	if (err)
		return err;
	if (k == BFMT_KIND_TYPEDEF)
		err = btfl_meta_name(m, NAME_IDENT);
	else if (k == BFMT_KIND_TYPE_TAG && !*btfl_str_or_empty(m->btf, m->t->name_off))
		err = META_FAIL(m, "tag value must not be empty");
	else if (k != BFMT_KIND_TYPE_TAG)
		err = btfl_meta_name(m, NAME_NONE);
	return err ? err : btfl_meta_ref(m, "type", m->t->size_type);
}

static int btfl_meta_array(struct btfl_meta *m)
{
	const struct bfmt_array *a = bfmt_type_extra(m->t);
	int err = btfl_meta_name(m, NAME_NONE);

	if (!err)
		err = btfl_meta_no_vlen(m);
	if (!err)
		err = btfl_meta_no_kflag(m);
	if (err)
		return err;
	if (m->t->size_type)
		return META_FAIL(m, "size %u, must be 0", m->t->size_type);
	if (!a->type)
		return META_FAIL(m, "element type is void");
	if (!a->index_type)
		return META_FAIL(m, "index type is void");
	err = btfl_meta_ref(m, "element type", a->type);
	return err ? err : btfl_meta_ref(m, "index type", a->index_type);
}

static int btfl_meta_member(struct btfl_meta *m, const struct bfmt_member *mb,
			    uint32_t i, uint32_t *last_off)
{
	bool kflag = bfmt_kflag(m->t);
	uint32_t off = bfmt_member_bit_offset(mb->offset, kflag);
	const char *name = btfl_str(m->btf, mb->name_off);

	if (!btfl_str_off_ok(m->btf, mb->name_off))
		return META_FAIL(m, "member %u name offset %u beyond the string section",
				 i, mb->name_off);
	if (mb->name_off && !btfl_meta_ident(m, mb->name_off))
		return META_FAIL(m, "member %u name '%.64s' is not a valid identifier", i, name);
	if (!mb->type)
		return META_FAIL(m, "member '%s' type is void", name);
	if (bfmt_kind(m->t) == BFMT_KIND_UNION && off)
		return META_FAIL(m, "member '%s' offset %u in a union, must be 0", name, off);
	if (off < *last_off)
		return META_FAIL(m, "member '%s' offset %u before the previous member's %u",
				 name, off, *last_off);
	if ((off + 7ull) / 8 > m->t->size_type)
		return META_FAIL(m, "member '%s' offset %u beyond size %u", name, off,
				 m->t->size_type);
	*last_off = off;
	return btfl_meta_ref(m, "member type", mb->type);
}

static int btfl_meta_struct(struct btfl_meta *m)
{
	const struct bfmt_member *mb = bfmt_type_extra(m->t);
	uint32_t i, last_off = 0;
	int err = btfl_meta_name(m, NAME_OPT_IDENT);

	for (i = 0; !err && i < bfmt_vlen(m->t); i++)
		err = btfl_meta_member(m, &mb[i], i, &last_off);
	return err;
}

static int btfl_meta_enumerator(struct btfl_meta *m, uint32_t i, uint32_t name_off)
{
	if (!btfl_str_off_ok(m->btf, name_off))
		return META_FAIL(m, "enumerator %u name offset %u beyond the string section",
				 i, name_off);
	if (!name_off)
		return META_FAIL(m, "enumerator %u has no name", i);
	if (!btfl_meta_ident(m, name_off))
		return META_FAIL(m, "enumerator %u name '%.64s' is not a valid identifier",
				 i, btfl_str(m->btf, name_off));
	return 0;
}

static int btfl_meta_enum(struct btfl_meta *m)
{
	bool is64 = bfmt_kind(m->t) == BFMT_KIND_ENUM64;
	uint32_t i, size = m->t->size_type;
	int err;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return META_FAIL(m, "size %u, must be 1, 2, 4 or 8", size);
	err = btfl_meta_name(m, NAME_OPT_IDENT);
	for (i = 0; !err && i < bfmt_vlen(m->t); i++) {
		uint32_t off = is64 ? ((const struct bfmt_enum64 *)bfmt_type_extra(m->t))[i].name_off
				    : ((const struct bfmt_enum *)bfmt_type_extra(m->t))[i].name_off;

		err = btfl_meta_enumerator(m, i, off);
	}
	return err;
}

static int btfl_meta_fwd(struct btfl_meta *m)
{
	int err = btfl_meta_no_vlen(m);

	if (err)
		return err;
	if (m->t->size_type)
		return META_FAIL(m, "type %u, must be 0", m->t->size_type);
	return btfl_meta_name(m, NAME_IDENT);
}

static int btfl_meta_func(struct btfl_meta *m)
{
	uint32_t linkage = bfmt_vlen(m->t);
	uint32_t max = m->c->relocatable ? BFMT_LINKAGE_EXTERN : BFMT_LINKAGE_GLOBAL;
	int err = btfl_meta_name(m, NAME_IDENT);

	if (!err && linkage > max)
		err = META_FAIL(m, "linkage %u unsupported", linkage);
	if (!err)
		err = btfl_meta_no_kflag(m);
	return err ? err : btfl_meta_ref(m, "type", m->t->size_type);
}

static int btfl_meta_param(struct btfl_meta *m, const struct bfmt_param *p,
			   uint32_t i, uint32_t n)
{
	if (!btfl_str_off_ok(m->btf, p->name_off))
		return META_FAIL(m, "param %u name offset %u beyond the string section",
				 i, p->name_off);
	if (p->name_off && !btfl_meta_ident(m, p->name_off))
		return META_FAIL(m, "param %u name '%.64s' is not a valid identifier", i,
				 btfl_str(m->btf, p->name_off));
	if (!p->type && i + 1 < n)
		return META_FAIL(m, "param %u is void (only the last may be, for varargs)", i);
	if (!p->type && p->name_off)
		return META_FAIL(m, "param %u: varargs marker has a name", i);
	return btfl_meta_ref(m, "param type", p->type);
}

static int btfl_meta_proto(struct btfl_meta *m)
{
	const struct bfmt_param *p = bfmt_type_extra(m->t);
	uint32_t i, n = bfmt_vlen(m->t);
	int err = btfl_meta_name(m, NAME_NONE);

	if (!err)
		err = btfl_meta_no_kflag(m);
	if (!err)
		err = btfl_meta_ref(m, "return type", m->t->size_type);
	for (i = 0; !err && i < n; i++)
		err = btfl_meta_param(m, &p[i], i, n);
	return err;
}

static int btfl_meta_var(struct btfl_meta *m)
{
	uint32_t linkage = ((const struct bfmt_var *)bfmt_type_extra(m->t))->linkage;
	uint32_t max = m->c->relocatable ? BFMT_LINKAGE_EXTERN : BFMT_LINKAGE_GLOBAL;
	int err = btfl_meta_no_vlen(m);

	if (!err)
		err = btfl_meta_no_kflag(m);
	if (!err)
		err = btfl_meta_name(m, NAME_IDENT);
	if (err)
		return err;
	if (!m->t->size_type)
		return META_FAIL(m, "type is void");
	if (linkage > max)
		return META_FAIL(m, "linkage %u unsupported", linkage);
	return btfl_meta_ref(m, "type", m->t->size_type);
}

/* One DATASEC entry; *end is where the previous one ended. */
static int btfl_meta_secinfo(struct btfl_meta *m, const struct bfmt_var_secinfo *v,
			     uint32_t i, uint64_t *end)
{
	uint32_t size = m->t->size_type;
	int err;

	if (!v->type)
		return META_FAIL(m, "entry %u type is void", i);
	err = btfl_meta_ref(m, "entry type", v->type);
	if (err)
		return err;
	if (!v->size)
		return META_FAIL(m, "entry %u (type %u) size 0", i, v->type);
	if (!size)	/* not placed yet (relocatable object) */
		return 0;
	if (v->offset < *end)
		return META_FAIL(m, "entry %u (type %u) offset %u overlaps or precedes the "
				 "previous entry ending at %llu", i, v->type, v->offset,
				 (unsigned long long)*end);
	if (v->offset >= size || v->size > size || (uint64_t)v->offset + v->size > size)
		return META_FAIL(m, "entry %u (type %u) offset %u size %u beyond section size %u",
				 i, v->type, v->offset, v->size, size);
	*end = (uint64_t)v->offset + v->size;
	return 0;
}

static int btfl_meta_datasec(struct btfl_meta *m)
{
	const struct bfmt_var_secinfo *v = bfmt_type_extra(m->t);
	uint64_t end = 0;
	uint32_t i;
	int err = btfl_meta_no_kflag(m);

	if (err)
		return err;
	if (!m->t->name_off || !btfl_valid_section(m->btf, m->t->name_off))
		return META_FAIL(m, "name is not a valid section name");
	if (!m->t->size_type && !m->c->relocatable)
		return META_FAIL(m, "size 0");
	for (i = 0; !err && i < bfmt_vlen(m->t); i++)
		err = btfl_meta_secinfo(m, &v[i], i, &end);
	return err;
}

static int btfl_meta_float(struct btfl_meta *m)
{
	uint32_t size = m->t->size_type;
	int err = btfl_meta_no_vlen(m);

	if (!err)
		err = btfl_meta_no_kflag(m);
	if (!err && size != 2 && size != 4 && size != 8 && size != 12 && size != 16)
		err = META_FAIL(m, "size %u, must be 2, 4, 8, 12 or 16", size);
	return err;
}

static int btfl_meta_decl_tag(struct btfl_meta *m)
{
	int32_t idx = ((const struct bfmt_decl_tag *)bfmt_type_extra(m->t))->component_idx;
	int err;

	/* Not just offset 0: an offset may point at any NUL in the section. */
	if (!*btfl_str_or_empty(m->btf, m->t->name_off))
		return META_FAIL(m, "tag value must not be empty");
	err = btfl_meta_no_vlen(m);
	if (err)
		return err;
	if (idx < -1)
		return META_FAIL(m, "component_idx %d, must be >= -1", (int)idx);
	return btfl_meta_ref(m, "type", m->t->size_type);
}

typedef int (*btfl_meta_fn)(struct btfl_meta *m);

static const btfl_meta_fn btfl_meta_fns[BFMT_KIND_NR] = {
	[BFMT_KIND_INT] = btfl_meta_int,
	[BFMT_KIND_PTR] = btfl_meta_ref_kind,
	[BFMT_KIND_ARRAY] = btfl_meta_array,
	[BFMT_KIND_STRUCT] = btfl_meta_struct,
	[BFMT_KIND_UNION] = btfl_meta_struct,
	[BFMT_KIND_ENUM] = btfl_meta_enum,
	[BFMT_KIND_FWD] = btfl_meta_fwd,
	[BFMT_KIND_TYPEDEF] = btfl_meta_ref_kind,
	[BFMT_KIND_VOLATILE] = btfl_meta_ref_kind,
	[BFMT_KIND_CONST] = btfl_meta_ref_kind,
	[BFMT_KIND_RESTRICT] = btfl_meta_ref_kind,
	[BFMT_KIND_FUNC] = btfl_meta_func,
	[BFMT_KIND_FUNC_PROTO] = btfl_meta_proto,
	[BFMT_KIND_VAR] = btfl_meta_var,
	[BFMT_KIND_DATASEC] = btfl_meta_datasec,
	[BFMT_KIND_FLOAT] = btfl_meta_float,
	[BFMT_KIND_DECL_TAG] = btfl_meta_decl_tag,
	[BFMT_KIND_TYPE_TAG] = btfl_meta_ref_kind,
	[BFMT_KIND_ENUM64] = btfl_meta_enum,
};

/* Bits of info the format defines: vlen 0-15, kind 24-28, kind_flag 31. */
#define BTFL_INFO_MASK 0x9f00ffffu

static int btfl_meta_one(struct btfl_meta *m)
{
	enum bfmt_kind k = bfmt_kind(m->t);

	if (m->t->info & ~BTFL_INFO_MASK)
		return btfl_fail(m->c, -EINVAL, "type [%u]: info 0x%08x has reserved bits set",
				 m->id, m->t->info);
	if (!btfl_str_off_ok(m->btf, m->t->name_off))
		return btfl_fail(m->c, -EINVAL, "type [%u] %s: name offset %u beyond the string "
				 "section", m->id, bfmt_kind_name(k), m->t->name_off);
	/* btfl_parse() indexed only known kinds. */
	return btfl_meta_fns[k](m);
}

int btfl_check_meta(struct btfl_ctx *c, const struct bfmt_btf *btf)
{
	struct btfl_meta m = { .c = c, .btf = btf };
	uint32_t n = bfmt_btf__nr_types(btf);
	int err = 0;

	m.ident = calloc(2 * (btf->strs.len / 64 + 1), sizeof(*m.ident));	/* NULL: no memo */
	for (m.id = btf->start_id; !err && m.id < n; m.id++) {
		m.t = bfmt_btf__type(btf, m.id);
		err = btfl_meta_one(&m);
	}
	free(m.ident);
	return err;
}
