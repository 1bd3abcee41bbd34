/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ir: btfenc's format-neutral model of C types, functions and variables.
 *
 * One struct ir_cu holds everything one compilation unit describes. Both the
 * DWARF loader and the BTF loader fill it; the BTF encoder and the printers
 * read it. Nothing here knows DWARF tags, libdw/libelf types or BTF kinds.
 *
 * Owns:       struct ir_cu owns every object reachable from it: types live in
 *             one growable array indexed by ir_id, everything else (names,
 *             members, enumerators, parameters, dimensions, annotations) lives
 *             in the CU's arena and is freed at once by ir_cu__free().
 * Borrows:    nothing; a CU is self-contained (but a producer may, on
 *             request, hand out names that live in its own memory: see
 *             dwl_opts.borrow_names). A type that a unit refers to
 *             in another unit (DW_FORM_ref_addr, type units, partial units)
 *             is copied into the referencing CU, so one CU never points into
 *             another and CUs can be built, used and freed independently (and
 *             concurrently, one thread per CU).
 * Threads:    a CU is used by one thread at a time.
 * Errors:     functions return 0 or a negative errno (-ENOMEM, -EINVAL),
 *             pointer-returning allocators return NULL only on ENOMEM.
 * Invariants: ir_id 0 is void and has no struct ir_type behind it (use
 *             ir_cu__type(), which returns NULL for it); every ir_id stored
 *             in the CU is < cu->types.len; names are interned per CU (two
 *             equal names in one CU are the same pointer, unless borrowed;
 *             nothing may rely on it beyond caching) and NULL means
 *             anonymous; sub-arrays (members...) are never resized after the
 *             type is complete.
 */
#ifndef BTFENC_IR_IR_H
#define BTFENC_IR_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"

typedef uint32_t ir_id;

#define IR_VOID ((ir_id)0)

enum ir_kind {
	IR_KIND_VOID = 0,	/* only for id 0 */
	IR_KIND_INT,		/* size, int_bits, int_offset, flags SIGNED/CHAR/BOOL */
	IR_KIND_FLOAT,		/* size */
	IR_KIND_PTR,		/* type = pointee, size = pointer size */
	IR_KIND_ARRAY,		/* type = element, dims[vlen] outermost first */
	IR_KIND_STRUCT,		/* size, align, members[vlen] */
	IR_KIND_UNION,		/* size, align, members[vlen] */
	IR_KIND_ENUM,		/* size, enumerators[vlen], flag SIGNED */
	IR_KIND_FWD,		/* fwd_kind says struct, union or enum */
	IR_KIND_TYPEDEF,	/* name, type */
	IR_KIND_CONST,		/* type */
	IR_KIND_VOLATILE,	/* type */
	IR_KIND_RESTRICT,	/* type */
	IR_KIND_ATOMIC,		/* type; C11 _Atomic */
	IR_KIND_FUNC_PROTO,	/* type = return type, params[vlen], flag VARARGS */
	IR_KIND_TYPE_TAG,	/* name = tag value, type = the tagged type */
	IR_KIND_UNSPEC,		/* a type C and BTF cannot express (C++ reference,
				 * pointer to member, ...): size if known, type =
				 * referenced type if any, unspec says what it was */
	IR_KIND_NR,
};

/* struct ir_type.flags */
enum {
	IR_TF_SIGNED = 1u << 0,		/* INT, ENUM */
	IR_TF_CHAR = 1u << 1,		/* INT: a character type */
	IR_TF_BOOL = 1u << 2,		/* INT: _Bool */
	IR_TF_VARARGS = 1u << 3,	/* FUNC_PROTO: ends with ... */
	IR_TF_PROTOTYPED = 1u << 4,	/* FUNC_PROTO: DW_AT_prototyped (f(void) vs f()) */
	IR_TF_PACKED = 1u << 5,		/* STRUCT/UNION: a member sits below its natural alignment */
	IR_TF_DECL_ONLY = 1u << 6,	/* FWD came from a declaration (always set for FWD) */
	IR_TF_ALIGNED = 1u << 7,	/* STRUCT/UNION/TYPEDEF: align came from an explicit attribute */
	IR_TF_COMPLEX = 1u << 8,	/* FLOAT: complex float (BTF: two-float struct or unsupported) */
	IR_TF_LOCAL = 1u << 9,		/* STRUCT/UNION/ENUM/TYPEDEF: declared inside a
					 * function, not at file scope (pahole's
					 * layout printer skips these) */
};

enum ir_fwd_kind {
	IR_FWD_STRUCT,
	IR_FWD_UNION,
	IR_FWD_ENUM,
};

enum ir_unspec_kind {
	IR_UNSPEC_OTHER,
	IR_UNSPEC_REFERENCE,		/* C++ T& */
	IR_UNSPEC_RVALUE_REFERENCE,	/* C++ T&& */
	IR_UNSPEC_PTR_TO_MEMBER,	/* C++ T C::* */
	IR_UNSPEC_UNSPECIFIED_TYPE,	/* DW_TAG_unspecified_type (decltype(nullptr), Rust !) */
	IR_UNSPEC_INT_ENCODING,		/* a base type encoding C does not have (fixed point, decimal, ...) */
};

/* A list of decl-tag style annotations (BTF DECL_TAG values). */
struct ir_annots {
	const char **v;			/* interned strings */
	uint32_t len;
};

struct ir_member {
	const char *name;		/* NULL: anonymous member (nested struct/union) */
	ir_id type;
	uint64_t bit_offset;		/* from the start of the struct, in bits */
	uint32_t bitfield_size;		/* 0: not a bitfield */
	uint32_t align;			/* explicit __attribute__((aligned)), 0 if none */
	struct ir_annots annots;	/* btf_decl_tag on the member */
	uint64_t orig_off;		/* source offset (DIE offset), for diagnostics */
};

struct ir_enumerator {
	const char *name;
	uint64_t value;			/* two's complement when the enum is signed */
};

/* Where a parameter of a concrete function arrives, as far as the debug
 * information says. Only set for parameters of struct ir_func prototypes. */
enum ir_loc_kind {
	IR_LOC_UNKNOWN = 0,		/* no information (function pointers, declarations) */
	IR_LOC_REG,			/* in register 'reg' at function entry */
	IR_LOC_STACK,			/* in the frame (fbreg/breg offset) at entry */
	IR_LOC_OTHER,			/* some other expression at entry */
	IR_LOC_MULTI_REG,		/* split across several registers (DW_OP_piece) */
	IR_LOC_OPTIMIZED_OUT,		/* no location, or none covering the entry */
	IR_LOC_CONST,			/* DW_AT_const_value: constant-propagated */
};

struct ir_param {
	const char *name;		/* NULL when the debug info names none */
	ir_id type;
	uint8_t loc;			/* enum ir_loc_kind */
	uint8_t missing;		/* present in the abstract origin only: the
					 * concrete instance dropped it (optimized out) */
	uint16_t reg;			/* IR_LOC_REG: DWARF register number */
	struct ir_annots annots;	/* btf_decl_tag on the parameter */
};

struct ir_dim {
	uint64_t count;			/* number of elements */
	bool flexible;			/* no bound given: T x[] (count is 0) */
};

struct ir_type {
	uint8_t kind;			/* enum ir_kind */
	uint8_t fwd_kind;		/* FWD: enum ir_fwd_kind */
	uint8_t unspec;			/* UNSPEC: enum ir_unspec_kind */
	uint8_t int_offset;		/* INT: bit offset of the value (rare) */
	uint16_t int_bits;		/* INT: value bits (DW_AT_bit_size or 8*size) */
	uint16_t flags;			/* IR_TF_* */
	uint32_t vlen;			/* members / enumerators / params / dims */
	uint32_t align;			/* explicit alignment in bytes, 0 if none */
	const char *name;		/* interned; NULL: anonymous */
	ir_id type;			/* referenced type, see enum ir_kind */
	uint64_t size;			/* byte size where the kind has one */
	union {
		struct ir_member *members;
		struct ir_enumerator *enumerators;
		struct ir_param *params;
		struct ir_dim *dims;
	};
	struct ir_annots annots;	/* btf_decl_tag on the type itself */
	uint64_t orig_off;		/* DIE offset or BTF id, for diagnostics */
};

/* struct ir_func.flags */
enum {
	IR_FF_EXTERNAL = 1u << 0,	/* DW_AT_external: global linkage */
	IR_FF_DECLARATION = 1u << 1,	/* a declaration only, no body here */
	IR_FF_INLINE = 1u << 2,		/* declared inline or inlined (DW_AT_inline) */
	IR_FF_HAS_ADDR = 1u << 3,	/* low_pc is valid: an out-of-line copy exists */
	IR_FF_NOCALL = 1u << 4,		/* DW_CC_nocall: the compiler changed the ABI */
	IR_FF_ARTIFICIAL = 1u << 5,
	IR_FF_FROM_ORIGIN = 1u << 6,	/* name/proto came from DW_AT_abstract_origin
					 * or DW_AT_specification */
	IR_FF_WEAK = 1u << 7,		/* filled by users that know the symbol table */
};

struct ir_func {
	const char *name;
	const char *linkage_name;	/* DW_AT_linkage_name, NULL if none */
	ir_id proto;			/* a FUNC_PROTO of this CU with named params */
	uint32_t flags;			/* IR_FF_* */
	uint64_t low_pc;		/* IR_FF_HAS_ADDR: entry address */
	uint64_t high_pc;		/* end address, 0 if unknown */
	const char *section;		/* ELF section of low_pc, NULL if unknown
					 * (needed to match ET_REL symbols) */
	uint64_t section_offset;	/* low_pc relative to the section start */
	struct ir_annots annots;	/* btf_decl_tag on the function */
	uint64_t orig_off;
};

/* struct ir_var.flags */
enum {
	IR_VF_EXTERNAL = 1u << 0,	/* global linkage */
	IR_VF_DECLARATION = 1u << 1,	/* extern declaration, no storage here */
	IR_VF_HAS_ADDR = 1u << 2,	/* static storage at addr */
	IR_VF_SPECIFICATION = 1u << 3,	/* completed an earlier declaration */
	IR_VF_LOCAL = 1u << 4,		/* declared inside a function (a function-
					 * scope static), not at unit level */
};

struct ir_var {
	const char *name;
	const char *linkage_name;
	ir_id type;
	uint32_t flags;			/* IR_VF_* */
	uint64_t addr;			/* IR_VF_HAS_ADDR: address as the file says */
	const char *section;		/* ELF section holding addr, NULL if unknown */
	uint64_t section_offset;	/* addr relative to the section start */
	struct ir_annots annots;
	uint64_t orig_off;
};

enum ir_lang {
	IR_LANG_UNKNOWN = 0,
	IR_LANG_C,
	IR_LANG_CXX,
	IR_LANG_RUST,
	IR_LANG_ASM,
	IR_LANG_OTHER,
};

struct ir_cu {
	struct arena arena;		/* everything below except the vectors */
	struct {
		struct ir_type *v;	/* index = ir_id; v[0] is the void slot */
		size_t len, cap;
	} types;
	struct {
		struct ir_func *v;
		size_t len, cap;
	} funcs;
	struct {
		struct ir_var *v;
		size_t len, cap;
	} vars;
	const char *name;		/* DW_AT_name of the unit or file name */
	const char *producer;		/* compiler string, NULL if unknown */
	uint8_t lang;			/* enum ir_lang */
	uint16_t lang_code;		/* the source's own language code (DW_LANG_*) */
	uint8_t addr_size;		/* bytes in a pointer */
	bool big_endian;		/* byte order of the target */
	uint16_t machine;		/* ELF e_machine of the target, 0 if unknown */
	uint16_t version;		/* format version (DWARF 2..5, BTF 1) */
	uint32_t index;			/* position of the unit in its file */
	bool names_borrowed;		/* every string of the CU is the producer's
					 * own, valid and unchanged as long as its
					 * session (dwl_opts.borrow_names); not
					 * interned: equal names may differ as
					 * pointers, and ir_cu__annot_add() keeps
					 * the value it is given */
	uint64_t orig_off;		/* unit offset, for diagnostics */
	bool packed_pending;		/* IR_TF_PACKED not inferred yet (the
					 * loader's dwl_opts.lazy_packed): read
					 * it after ir_cu__ensure_packed() */
	/* private: string interning */
	struct {
		struct ir_str_slot {
			const char *s;	/* the CU's copy; NULL: free slot */
			uint32_t hash;	/* ir_str_hash() of it */
			uint32_t len;	/* strlen() of it */
		} *slots;
		size_t cap, len;
	} strs;
};

struct ir_cu *ir_cu__new(void);
void ir_cu__free(struct ir_cu *cu);	/* accepts NULL */

/* Intern a string in the CU; returns NULL only on ENOMEM. */
const char *ir_cu__intern(struct ir_cu *cu, const char *s);
const char *ir_cu__intern_len(struct ir_cu *cu, const char *s, size_t len);
/* The same with the hash known: s has len bytes and no NUL among them, and
 * hash is ir_str_hash(s, len) (for callers that already know both). */
const char *ir_cu__intern_hashed(struct ir_cu *cu, const char *s, size_t len,
				 uint32_t hash);
uint32_t ir_str_hash(const char *s, size_t len);

/*
 * Append a zeroed type of the given kind. On success *id_ret is its id.
 * The returned pointer is valid until the next ir_cu__add_type(); hold ids,
 * not pointers, across additions.
 */
int ir_cu__add_type(struct ir_cu *cu, enum ir_kind kind, ir_id *id_ret);
int ir_cu__add_func(struct ir_cu *cu, struct ir_func **ret);
int ir_cu__add_var(struct ir_cu *cu, struct ir_var **ret);

/* NULL for void and out-of-range ids. */
static inline struct ir_type *ir_cu__type(const struct ir_cu *cu, ir_id id)
{
	if (id == IR_VOID || id >= cu->types.len)
		return NULL;
	return &cu->types.v[id];
}

static inline ir_id ir_cu__nr_types(const struct ir_cu *cu)
{
	return (ir_id)cu->types.len;
}

/* Append one annotation value to a list (value is interned). */
int ir_cu__annot_add(struct ir_cu *cu, struct ir_annots *a, const char *value);

const char *ir_kind__name(enum ir_kind kind);

/* Call fn for every type id that t refers to (its type field, members,
 * parameters), in a fixed order. Stops at and returns fn's first non-zero
 * return value. */
int ir_type__visit_refs(const struct ir_type *t, int (*fn)(ir_id id, void *ctx),
			void *ctx);

static inline bool ir_kind__is_modifier(enum ir_kind k)
{
	return k == IR_KIND_CONST || k == IR_KIND_VOLATILE ||
	       k == IR_KIND_RESTRICT || k == IR_KIND_ATOMIC ||
	       k == IR_KIND_TYPE_TAG;
}

static inline bool ir_kind__is_composite(enum ir_kind k)
{
	return k == IR_KIND_STRUCT || k == IR_KIND_UNION;
}

/*
 * Follow typedefs and modifiers (not pointers) from id to the type that
 * gives the value its shape. Stops after a bounded number of steps so that
 * a malformed cycle cannot loop forever; returns IR_VOID then.
 */
ir_id ir_cu__resolve(const struct ir_cu *cu, ir_id id);

/* Size in bytes of a value of type id, following typedefs, modifiers and
 * arrays. Returns 0 and sets *ok=false (if ok) when it has no size. */
uint64_t ir_cu__type_size(const struct ir_cu *cu, ir_id id, bool *ok);

/* Natural alignment of a value of type id (largest scalar inside, capped by
 * the explicit alignment when there is one). 1 when unknown, or when a
 * struct contains itself. No recursion: any nesting depth is fine. */
uint32_t ir_cu__type_align(const struct ir_cu *cu, ir_id id);

/*
 * The same for many queries on one unit (ir_walk.c): a heap stack and a
 * memo, so all queries together are linear in the unit's size. Call
 * _invalidate after changing any type's alignment-relevant fields (flags,
 * align, members) between queries. The walk borrows cu; _init returns 0 or
 * -ENOMEM, _fini frees what _init took.
 */
struct ir_align_frame {
	ir_id id;
	uint32_t next, align;
};

struct ir_align_walk {
	const struct ir_cu *cu;
	struct {
		uint32_t stamp, align;
	} *memo;			/* cu->types.len entries */
	uint32_t gen;			/* stamp of memo entries still valid */
	struct ir_align_frame *stack;
	size_t sp, cap;
};

int ir_align_walk__init(struct ir_align_walk *w, const struct ir_cu *cu);
uint32_t ir_align_walk__align(struct ir_align_walk *w, ir_id id);
void ir_align_walk__invalidate(struct ir_align_walk *w);
/* Does a memo of this generation hold id's alignment? */
bool ir_align_walk__memoized(const struct ir_align_walk *w, ir_id id);
void ir_align_walk__fini(struct ir_align_walk *w);

/*
 * Reject a unit whose types no C program can have: a type that contains
 * itself by value (through typedefs, modifiers, arrays or members, with no
 * pointer in between), or a byte size / array size that overflows 2^61
 * bytes. Returns 0, -ELOOP or -EINVAL with *bad_ret the offending type and
 * *why_ret a phrase for the message, or -ENOMEM. Iterative.
 */
int ir_cu__check_types(const struct ir_cu *cu, ir_id *bad_ret, const char **why_ret);

/* Compute IR_TF_PACKED for every struct and union: set when some member
 * is placed below its natural alignment or the size is not a multiple of
 * the natural alignment. Call once a CU is complete. */
void ir_cu__infer_packed(struct ir_cu *cu);
/* IR_TF_PACKED settled: inferred now when the loader left it for later
 * (cu->packed_pending). The flags are a cache of what the members' layout
 * says, so a const unit gets them filled in: a unit so loaded must not be
 * read from two threads until this ran. ir_cu__type_align() calls it. */
void ir_cu__ensure_packed(const struct ir_cu *cu);

/*
 * Identifiers as BTF has them (ir_ident.c). Valid: the kernel's rule for
 * names of types, members, enumerators and parameters ([A-Za-z_.] then
 * [A-Za-z0-9_.], shorter than IR_IDENT_MAX). Sanitize: what the BTF encoder
 * writes for a name that is not valid (other characters as '_', cut to
 * IR_IDENT_MAX - 1 bytes). ir_cu__btf_idents() respells every such name of
 * the unit's types (not INT, FLOAT and type tag names, which are free text)
 * that way, copies in the CU's arena; 0 or -ENOMEM.
 */
#define IR_IDENT_MAX 128
bool ir_ident_valid(const char *name);
void ir_ident_sanitize(const char *name, char buf[IR_IDENT_MAX]);
int ir_cu__btf_idents(struct ir_cu *cu);

#endif
