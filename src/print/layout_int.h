/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * layout_int: what layout.c (selection, -C, typedefs) and layout_class.c
 * (struct/union bodies, holes, statistics) share. Private to src/print.
 */
#ifndef BTFENC_PRINT_LAYOUT_INT_H
#define BTFENC_PRINT_LAYOUT_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../ir/ir.h"
#include "../util/arena.h"
#include "../util/hmap.h"
#include "layout.h"

/* pahole's defaults: the type column is 26 wide, then the name column 23
 * (21 for a union printed on its own). */
enum {
	LP_TYPE_SPACING = 26,
	LP_NAME_SPACING = 23,
	LP_UNION_NAME_SPACING = 21,
	LP_MAX_TABS = 16,
};

/* struct lp_cu.state bits, one byte per type id of the current CU. They
 * memoise pahole's lazily inferred facts, which it also keeps per type. */
enum {
	LPS_PACK_DONE = 1u << 0,	/* packed-ness decided */
	LPS_PACKED = 1u << 1,		/* print __attribute__((__packed__)) */
	LPS_UNION_DONE = 1u << 2,	/* union inference ran */
	LPS_ALIGN_DONE = 1u << 3,	/* natalign[] is valid */
	LPS_ALIGN_BUSY = 1u << 4,	/* natalign being computed (cycle guard) */
};

/* The CU being printed, valid only inside layout_printer__add_cu(). */
struct lp_cu {
	const struct ir_cu *cu;
	uint8_t *state;			/* per type id, LPS_* */
	uint32_t *natalign;		/* per type id, valid with LPS_ALIGN_DONE */
};

/* One level of printing: pahole's conf_fprintf, reduced to what matters. */
struct lp_conf {
	int indent;			/* tabs before the lines of this level */
	int type_spacing;		/* width of the type column */
	int name_spacing;		/* width of the name column */
	uint64_t base_offset;		/* byte offset of this level in the top type */
	uint64_t *cachelinep;		/* last cacheline marked, shared by levels */
	const char *prefix;		/* "typedef" before "struct", or NULL */
	const char *suffix;		/* name after the closing brace, or NULL */
	int nest;			/* inline nesting depth */
	bool emit_stats;		/* closing statistics (top level only) */
	bool union_member;		/* somewhere inside a union: arrays keep [0] */
	bool first_member, last_member;	/* for the "[]" of a trailing array */
	bool rel_offset;		/* offsets relative (struct behind a pointer) */
};

struct lp_sig;

struct layout_printer {
	FILE *out;
	unsigned cacheline;		/* cacheline size in bytes */
	uint64_t written;		/* bytes written, for column arithmetic
					 * (colour sequences not counted) */
	bool color;			/* layout_opts.color */
	int err;			/* first error (-EIO/-ENOMEM), sticky */
	struct arena arena;		/* names and signatures we keep */
	struct hmap seen;		/* layout hash -> index+1 into sigs */
	struct {
		struct lp_sig *v;
		size_t len, cap;
	} sigs;
	const char **names;		/* -C names, in order (arena) */
	bool *found;			/* per name */
	size_t nr_names;
	struct lp_cu *lc;		/* current CU */
	uint64_t inlined;		/* members inlined and forced-padding
					 * lines in the current top-level type
					 * (LAYOUT_MAX_INLINE) */
};

__attribute__((format(printf, 2, 3)))
int lp_printf(struct layout_printer *p, const char *fmt, ...);
int lp_tabs(struct layout_printer *p, int n);
/* With colour on, start (LP_SGR_*) or end (LP_SGR_RESET) a coloured span;
 * the sequences do not count as written columns. */
void lp_sgr(struct layout_printer *p, const char *seq);
#define LP_SGR_BOLD "\033[1m"
#define LP_SGR_GREEN "\033[32m"
#define LP_SGR_CYAN "\033[36m"
#define LP_SGR_RESET "\033[0m"
void lp_conf_top(struct lp_conf *c, bool is_union);

/* Type spelling with padding, struct/union/enum bodies (layout_class.c). */
void lp_type(struct layout_printer *p, ir_id id, const char *name,
	     const struct lp_conf *conf);
void lp_struct(struct layout_printer *p, ir_id id, const struct lp_conf *conf);
void lp_union(struct layout_printer *p, ir_id id, const struct lp_conf *conf);
void lp_enum(struct layout_printer *p, ir_id id, const struct lp_conf *conf);

/* A member as pahole sees it (layout_holes.c): a bitfield's byte_offset is
 * the start of its storage unit, bitfield_offset the bit inside it. */
struct lp_mem {
	const struct ir_member *m;
	uint64_t bit_offset;		/* from the start of the type */
	uint64_t byte_offset;
	uint64_t byte_size;		/* of the type; of the storage unit */
	uint64_t bit_size;		/* byte_size * 8 */
	uint32_t bitfield_size;		/* 0: not a bitfield */
	uint32_t bitfield_offset;
	int64_t hole;			/* bytes after this member */
	int64_t bit_hole;		/* bits after this member */
};

struct lp_class {
	struct lp_mem *mem;		/* malloc'ed, nr entries */
	uint32_t nr;
	int64_t pre_hole, pre_bit_hole;	/* before the first member */
	int64_t padding, bit_padding;	/* after the last one */
	uint32_t nr_holes, nr_bit_holes;
};

/* Fill c for struct/union id (holes only for structs); -ENOMEM. */
int lp_class_init(struct layout_printer *p, ir_id id, struct lp_class *c);
void lp_class_deinit(struct lp_class *c);
/* pahole's inferred __packed__ for struct id (memoised per CU). */
bool lp_packed(struct layout_printer *p, ir_id id);
/* pahole's side effect of printing a union: structs inside it whose
 * natural alignment does not divide the union size become packed. */
void lp_union_infer(struct layout_printer *p, ir_id id);
/* Follow typedefs, qualifiers and type tags. */
ir_id lp_strip(const struct ir_cu *cu, ir_id id);

#endif
