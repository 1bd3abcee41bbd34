/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_diff: compare two BTF tables by meaning, not by id or order, and list
 * what changed as records (btfenc diff renders them; nothing here prints).
 *
 * Matching: named things are matched by (entity, name): struct, union,
 * enum, typedef, int, float, func and var are separate namespaces. A type
 * a member, parameter or target refers to is described by its C spelling
 * ("struct sk_buff *", "int (*)(void *)", "u8[16]"), so a change inside
 * struct foo is reported once, at struct foo, and a struct that merely
 * reaches it is not reported. Anonymous structs and unions a member embeds
 * are compared as part of the named type ("member u.x"), and so is the body
 * of an anonymous struct, union or enum a typedef names. Enumerators of
 * anonymous enums no typedef names form one pool, entity "enum" with the
 * name "" (the kernel's "enum { FOO = 1 };" constants). A declaration-only
 * struct (FWD) counts only when its side has no definition of the name.
 * Several definitions under one entity and name (kernel BTF has them) are
 * compared as multisets: identical ones cancel; when as many remain on each
 * side they are paired in a stable order and compared in detail, else one
 * BDIFF_F_DEFS record says "N definitions -> M". DECL_TAGs count as part of
 * the definition they tag (BDIFF_F_TAGS), a DATASEC as the places of its
 * variables (BDIFF_F_PLACE). With split BTF only each table's own types
 * (not its base's) are compared.
 *
 * Owns:       the records and every string in them, until bdiff__free().
 * Borrows:    the two tables, only during bdiff__new().
 * Threads:    none; the result is read-only afterwards.
 * Errors:     0 or negative errno (-ENOMEM; -EINVAL for bad arguments).
 * Guarantees: the records come in a deterministic order that depends only
 *             on the meaning of the two tables: entities sorted by category
 *             (types, funcs, vars), name and entity; within an entity the
 *             whole-entity changes first, then members by offset, enumerators
 *             and parameters in order. Equal tables give no records.
 */
#ifndef BTFENC_DIFF_BTF_DIFF_H
#define BTFENC_DIFF_BTF_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btf_format/btf_types.h"

/* What a record is about; the order is the output order within a name. */
enum bdiff_entity {
	BDIFF_E_STRUCT,
	BDIFF_E_UNION,
	BDIFF_E_ENUM,
	BDIFF_E_TYPEDEF,
	BDIFF_E_INT,
	BDIFF_E_FLOAT,
	BDIFF_E_FUNC,
	BDIFF_E_VAR,
	BDIFF_E_NR,
};

enum bdiff_op {
	BDIFF_ADDED,
	BDIFF_REMOVED,
	BDIFF_CHANGED,
};

/*
 * Which part changed. Values (old_val, new_val) are texts: C spellings of
 * types, or decimal numbers when the record's numeric flag is set. For an
 * addition old_val is NULL, for a removal new_val is NULL.
 */
enum bdiff_field {
	BDIFF_F_ENTITY,		/* the entity itself was added or removed;
				 * the value describes it (func: prototype,
				 * var/typedef: type, struct/union/enum: size) */
	BDIFF_F_DEFS,		/* number of definitions (numeric) */
	BDIFF_F_DECL,		/* "definition" <-> "declaration" (FWD) */
	BDIFF_F_SIZE,		/* byte size (numeric) */
	BDIFF_F_TARGET,		/* typedef's target, var's type */
	BDIFF_F_LINKAGE,	/* func/var linkage: static, global, extern */
	BDIFF_F_ENCODING,	/* int: signed, unsigned, char, bool; enum: signed/unsigned */
	BDIFF_F_BITS,		/* int: bits used (numeric) */
	BDIFF_F_MEMBER,		/* a member added/removed: item is its path,
				 * the value its type, bit_offset/bitfield_size its place */
	BDIFF_F_MEMBER_TYPE,	/* a member retyped */
	BDIFF_F_MEMBER_OFFSET,	/* a member moved: bit offsets (numeric) */
	BDIFF_F_MEMBER_BITS,	/* a bitfield resized (numeric; 0 = not a bitfield) */
	BDIFF_F_ENUMERATOR,	/* an enumerator added/removed: item, value */
	BDIFF_F_ENUM_VALUE,	/* an enumerator renumbered (numeric) */
	BDIFF_F_RETURN,		/* a function's return type */
	BDIFF_F_NR_PARAMS,	/* a function's parameter count (numeric) */
	BDIFF_F_PARAM,		/* parameter item (1-based) retyped */
	BDIFF_F_TAGS,		/* the DECL_TAGs on the entity, its members or
				 * parameters, as one text ("" for none) */
	BDIFF_F_PLACE,		/* a var's DATASEC and offset
				 * ("SECTION+0xOFFSET", "" for none) */
};

struct bdiff_change {
	enum bdiff_entity entity;
	const char *name;	/* the entity's name ("" = anonymous enum pool) */
	enum bdiff_op op;
	enum bdiff_field field;
	const char *item;	/* member path, enumerator, parameter number; or NULL */
	const char *old_val;	/* NULL for an addition */
	const char *new_val;	/* NULL for a removal */
	bool numeric;		/* the values are decimal integers */
	uint64_t bit_offset;	/* BDIFF_F_MEMBER: where the member is */
	uint32_t bitfield_size;	/* BDIFF_F_MEMBER: bits, 0 if not a bitfield */
};

/* Which categories to compare (bdiff_opts.only); 0 means all. */
enum {
	BDIFF_ONLY_TYPES = 1u << 0,	/* everything but funcs and vars */
	BDIFF_ONLY_FUNCS = 1u << 1,
	BDIFF_ONLY_VARS = 1u << 2,
};

struct bdiff_opts {
	unsigned int only;		/* BDIFF_ONLY_* mask, 0 = all */
	const char *const *names;	/* compare only entities of these names */
	size_t nr_names;		/* 0 = all names */
};

struct bdiff;

/* Compare old and new (opts may be NULL: everything). */
int bdiff__new(const struct bfmt_btf *old, const struct bfmt_btf *new,
	       const struct bdiff_opts *opts, struct bdiff **ret);
size_t bdiff__nr_changes(const struct bdiff *d);
/* The i-th record, NULL past the end. */
const struct bdiff_change *bdiff__change(const struct bdiff *d, size_t i);
void bdiff__free(struct bdiff *d);	/* accepts NULL */

/* "struct", "union", "enum", "typedef", "int", "float", "func", "var". */
const char *bdiff_entity_name(enum bdiff_entity e);
/* Is e a type (not a func or var)? */
bool bdiff_entity_is_type(enum bdiff_entity e);
/* "added", "removed", "changed"; and the field's JSON name ("size", ...). */
const char *bdiff_op_name(enum bdiff_op op);
const char *bdiff_field_name(enum bdiff_field f);

#endif
