/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_c_int: state shared by the C-header printer's files (btf_c.c: names,
 * hashes, order and the top-level loop; btf_c_layout.c: alignment, packed,
 * aligned(N) and padding; btf_c_emit.c: the task stack that spells
 * declarations). Private to src/print/btf_c*.c.
 */
#ifndef BTFENC_PRINT_BTF_C_INT_H
#define BTFENC_PRINT_BTF_C_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "btf_c.h"

enum btfc_emit_state { BTFC_NONE, BTFC_BUSY, BTFC_DONE };

/* Per type id (void and unknown ids included, all zero). */
struct btfc_type {
	uint64_t hash;		/* structural hash (no ids in it) */
	uint32_t dup;		/* 0: plain name, k: name___<k+1> */
	uint32_t canon;		/* FWD / empty enum: the definition it names */
	uint32_t ev_base;	/* enums: index of value 0's dup in ev_dup */
	uint32_t align;		/* composites: alignment as printed */
	uint32_t aligned_attr;	/* composites: N of aligned(N), 0 none */
	uint32_t seen[2];	/* walk generation marks, per need mode */
	uint8_t state;		/* enum btfc_emit_state, definitions */
	uint8_t layout;		/* enum btfc_emit_state, layout pass */
	bool packed;		/* composites: __attribute__((packed)) */
	bool fwd_done;		/* forward declaration printed */
	uint32_t refcnt;	/* references from printable kinds */
	uint32_t referrer;	/* the last type that referred to it */
	bool standalone;	/* anonymous enum printed on its own */
	bool active;		/* being expanded inline (cycle guard) */
	bool root;		/* opts->names picked it */
};

/* One unit of output work; see btf_c_emit.c. */
struct btfc_task {
	uint8_t op;
	uint32_t a, b;
	uint32_t x;		/* DECL: typedef whose name is the declarator */
	const char *s;
};

struct btfc_req {
	uint32_t id;
	bool def;		/* true: definition needed; false: a declaration */
};

struct btfc_frame {
	uint32_t id;
	size_t req_start, req_cur, req_end;
	bool started;
};

struct btfc {
	const struct bfmt_btf *btf;
	FILE *out;
	uint32_t nr;			/* bfmt_btf__nr_types() */
	uint32_t ptr_size;		/* bytes in a pointer (from "long") */
	struct btfc_type *t;		/* nr entries */
	uint32_t *ev_dup;		/* per enum value: dup index */
	size_t nr_ev;
	uint32_t *order;		/* sorted named types */
	size_t nr_order;
	uint32_t gen;			/* current walk generation */
	uint32_t cur_def;		/* definition being printed, 0 none */
	uint64_t budget;		/* inline expansions left */
	bool has_type_tags;
	bool err_io, err_nomem;
	struct { struct btfc_task *v; size_t len, cap; } tasks;
	struct { struct btfc_task *v; size_t len, cap; } scratch;
	struct { uint32_t *v; size_t len, cap; } ids;	/* chains, walks */
	struct { struct btfc_req *v; size_t len, cap; } reqs;
	struct { struct btfc_frame *v; size_t len, cap; } frames;
	struct { uint32_t *v; size_t len, cap; } walk;	/* walk stack: id<<1|mode */
};

static inline const struct bfmt_type *btfc_type(const struct btfc *c, uint32_t id)
{
	return id ? bfmt_btf__type(c->btf, id) : NULL;
}

static inline const char *btfc_name(const struct btfc *c, const struct bfmt_type *t)
{
	const char *s = t ? bfmt_btf__str(c->btf, t->name_off) : NULL;

	return s ? s : "";
}

static inline bool btfc_is_composite(enum bfmt_kind k)
{
	return k == BFMT_KIND_STRUCT || k == BFMT_KIND_UNION;
}

static inline bool btfc_is_enum(enum bfmt_kind k)
{
	return k == BFMT_KIND_ENUM || k == BFMT_KIND_ENUM64;
}

/* btf_c_layout.c */
/* Size in bytes of id as BTF gives it (pointers: ptr_size). */
uint64_t btfc_size_of(const struct btfc *c, uint32_t id);
/* Alignment of id as the printed header makes the compiler see it. */
uint32_t btfc_align_of(const struct btfc *c, uint32_t id);
/* Decide packed/aligned(N) for every composite (by-value deps first). */
int btfc_layout_all(struct btfc *c);
/* The enum size the compiler picks for these values (4 or 8). */
uint32_t btfc_enum_natural_size(const struct btfc *c, const struct bfmt_type *t);
/* Signed value i of an enum, as a 64-bit pattern. */
uint64_t btfc_enum_val(const struct bfmt_type *t, uint32_t i);
const char *btfc_enum_val_name(const struct btfc *c, const struct bfmt_type *t,
			       uint32_t i);

/*
 * Append the member lines of composite id's body (padding included) to
 * c->scratch as tasks, in output order, at indentation ind.
 */
int btfc_layout_members(struct btfc *c, uint32_t id, uint32_t ind);

/* btf_c_emit.c */
void btfc_printf(struct btfc *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int btfc_scratch(struct btfc *c, uint8_t op, uint32_t a, uint32_t b, const char *s);
/* Run the task stack until it is empty. */
int btfc_run(struct btfc *c);
/* Print the top-level definition (or forward declaration) of id. */
int btfc_emit_def(struct btfc *c, uint32_t id);
int btfc_emit_fwd(struct btfc *c, uint32_t id);

/* Task opcodes (btf_c_emit.c runs them). */
enum {
	BTFC_OP_STR,		/* s */
	BTFC_OP_INDENT,		/* a tabs */
	BTFC_OP_DECL,		/* type a, declarator name s, indent b */
	BTFC_OP_BITS,		/* ":a" */
	BTFC_OP_DIM,		/* "[a]" */
	BTFC_OP_LEAVE,		/* clear active mark of a */
	BTFC_OP_PADARR,		/* "unsigned char __pad_<b>[a];\n" */
	BTFC_OP_ALIGNED,	/* " __attribute__((aligned(a)))" */
	BTFC_OP_TAG,		/* type tag of type a */
	BTFC_OP_ENUMBODY,	/* body of enum a at indent b */
	BTFC_OP_BODY,		/* body of composite a at indent b */
	BTFC_OP_TYPENAME,	/* name of named type a (with suffix) */
};

/* Spell the name of named type id (keyword, name, ___N suffix). */
void btfc_print_type_name(struct btfc *c, uint32_t id);

#endif
