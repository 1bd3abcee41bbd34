/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bdiff_int: what the btf_diff files share. The comparison walks sorted
 * definitions (bdiff_defs.c), describes each one as text (bdiff_spell.c,
 * bdiff_body.c) and turns differing pairs into records (bdiff_cmp.c).
 */
#ifndef BTFENC_DIFF_BDIFF_INT_H
#define BTFENC_DIFF_BDIFF_INT_H

#include "btf_diff.h"
#include "print/type_name.h"
#include "util/arena.h"

/* How deep a type spelling or an anonymous-member nesting may go. */
#define BDIFF_MAX_DEPTH 32
/* Crafted BTF can nest anonymous types so that spelling a type or
 * flattening a struct would take exponential time: a spelling stops
 * growing past BDIFF_MAX_SPELL bytes ("..." ends it), and anonymous
 * members are not flattened once a body has BDIFF_MAX_MEMBERS entries. */
#define BDIFF_MAX_SPELL 4096
#define BDIFF_MAX_STEPS 1024	/* type visits of one spelling (bdiff_spell.c) */
#define BDIFF_MAX_MEMBERS 65536

struct bdiff {
	struct {
		struct bdiff_change *v;
		size_t len, cap;
	} changes;
	struct arena arena;	/* every string the records point to */
};

/* One definition on one side. */
struct bdiff_def {
	enum bdiff_entity entity;
	const char *name;	/* arena */
	uint32_t id;		/* its type (for the enum pool: 0) */
	const char *sig;	/* everything compared, as text (arena); equal
				 * signatures mean equal definitions */
	const char *tags;	/* its DECL_TAGs as text, or NULL (arena) */
	const char *place;	/* a VAR's "SECTION+0xOFFSET", or NULL */
	bool fwd;		/* a declaration only */
};

/* Per own type id (id - start): its DECL_TAGs, sorted, as one text
 * ("bpf_kfunc; param p: __nullable"), and a VAR's place in its DATASEC;
 * NULL when none. Texts in the arena given (bdiff_attrs.c). */
struct bdiff_attrs {
	const char **tags;
	const char **place;
	uint32_t start, n;
};

int bdiff_attrs_collect(const struct bfmt_btf *btf, struct arena *a, struct bdiff_attrs *ret);
void bdiff_attrs_free(struct bdiff_attrs *at);


/* The C spelling of type id (abstract declarator) appended to out:
 * "const char *", "int (*)(void *, long)", "struct {...}", "u8[16]". */
void bdiff_spell(const struct bfmt_btf *btf, uint32_t id, struct tn_buf *out);

/* t's name ("" when anonymous or out of range). */
const char *bdiff_name(const struct bfmt_btf *btf, const struct bfmt_type *t);

/* Is id an anonymous struct or union (the ones a member embeds)? */
bool bdiff_is_anon_aggr(const struct bfmt_btf *btf, uint32_t id);

/* A member of a struct or union body, anonymous members flattened. */
struct bdiff_member {
	const char *path;	/* "a", "u.x"; arena */
	const char *type;	/* spelling; arena */
	uint64_t bit_offset;	/* from the start of the outer type */
	uint32_t bitfield_size;	/* 0 if not a bitfield */
	uint64_t rel_offset;	/* from the start of the named member that
				 * embeds it ("u" for "u.x"); = bit_offset
				 * at the top level */
	bool nested;		/* inside a named embedded member */
};

struct bdiff_members {
	struct bdiff_member *v;
	size_t len, cap;
};

/* An enumerator: name and value as decimal text. */
struct bdiff_enumerator {
	const char *name;
	const char *value;
};

struct bdiff_enumerators {
	struct bdiff_enumerator *v;
	size_t len, cap;
};

struct bdiff_side {
	const struct bfmt_btf *btf;
	struct {
		struct bdiff_def *v;
		size_t len, cap;
	} defs;			/* sorted by bdiff_def_cmp() */
	struct bdiff_enumerators pool;	/* anonymous enums' enumerators, sorted */
};

/* The members of struct/union id, flattened and sorted by path (duplicate
 * paths get "#2", "#3" suffixes). Strings in a. */
int bdiff_members(const struct bfmt_btf *btf, uint32_t id, struct arena *a,
		  struct bdiff_members *ret);
/* The enumerators of enum id appended to ret (unsorted). */
int bdiff_enumerators(const struct bfmt_btf *btf, uint32_t id, struct arena *a,
		      struct bdiff_enumerators *ret);
/* Sort enumerators by (name, value). */
void bdiff_sort_enumerators(struct bdiff_enumerators *e);

/* "signed"/"unsigned" for an enum; the encoding word of an int. */
const char *bdiff_enum_sign(const struct bfmt_type *t);
const char *bdiff_int_encoding(uint32_t info);
/* "static", "global", "extern" (or "linkage N"). */
const char *bdiff_linkage(uint32_t linkage, char *buf, size_t len);

/* The definitions of one side (filtered by opts), sorted. */
int bdiff_collect(struct bdiff_side *s, const struct bdiff_opts *opts, struct arena *a);
int bdiff_def_cmp(const struct bdiff_def *a, const struct bdiff_def *b);

/* Append a record; its strings must live as long as d (its arena, or
 * string literals). */
int bdiff_add(struct bdiff *d, const struct bdiff_change *c);

/* Compare one pair of definitions with different signatures. */
int bdiff_compare_pair(struct bdiff *d, const struct bdiff_side *o, const struct bdiff_def *od,
		       const struct bdiff_side *n, const struct bdiff_def *nd);
/* The description of a definition that was added or removed. */
int bdiff_describe(struct bdiff *d, const struct bdiff_side *s, const struct bdiff_def *def,
		   const char **ret);

#endif
