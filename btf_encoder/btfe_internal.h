/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btfe_internal: the encoder's private state, shared by its .c files only.
 */
#ifndef BTFENC_BTFE_INTERNAL_H
#define BTFENC_BTFE_INTERNAL_H

#include <pthread.h>

#include "btf_encoder.h"
#include "src/util/arena.h"
#include "src/util/hmap.h"
#include "src/util/strset.h"

struct btfe_abi;

enum btfe_ident { BTFE_IDENT_UNKNOWN, BTFE_IDENT_YES, BTFE_IDENT_NO };

/* The name cache starts small (a small module names a few hundred things)
 * and grows between units while names collide in it, up to what a
 * kernel's names need (btfe_name_cache_grow()). */
#define BTFE_NAME_CACHE_MIN_BITS 12
#define BTFE_NAME_CACHE_MAX_BITS 17

/* A parameter or annotation of a recorded function, unit-independent. */
struct btfe_fparam {
	const char *name;		/* copied; NULL if unnamed */
	uint32_t type;			/* BTF id */
};

struct btfe_fannot {
	const char *value;		/* copied */
	int32_t component;		/* -1: the function, else parameter index */
};

/*
 * One ir_func of one unit, kept until btfe_encoder__finish() decides (see
 * btfe_funcs.c). Everything it points to lives in enc->rec_arena, so the
 * unit may be freed right after btfe_encoder__add_cu().
 */
struct btfe_fcand {
	const char *name;
	const char *sig;		/* "int (int, struct foo *)", see btfe_sig_proto() */
	const char *section;		/* ir_func.section, NULL if unknown */
	uint64_t section_offset;
	uint64_t addr;			/* low_pc when IR_FF_HAS_ADDR */
	uint32_t flags;			/* IR_FF_* */
	uint32_t unit;			/* unit order, for determinism */
	uint32_t seq;			/* order within the unit */
	uint32_t ret_type;		/* BTF id */
	uint32_t nr_params;
	struct btfe_fparam *params;
	uint32_t nr_annots;
	struct btfe_fannot *annots;
	bool varargs;
	bool unnamed;			/* some parameter has no name */
	bool bad_param;			/* some parameter's type cannot be
					 * encoded (void, sizeless) */
	bool optimized;			/* some parameter was optimized out */
	bool unexpected_reg;		/* some parameter in an unexpected register */
	bool uncertain;			/* some parameter in an uncertain stack slot */
	const char *why_opt;		/* details for the three flags above */
	const char *why_reg;
	const char *why_slot;
};

/* One ir_var of one unit that may get a VAR (see btfe_vars.c). */
struct btfe_vcand {
	const char *name;
	uint32_t type;			/* BTF id */
	uint32_t linkage;		/* BFMT_LINKAGE_* */
	uint32_t shndx;			/* ELF section */
	uint32_t offset;		/* in the section */
	uint32_t size;
	uint32_t unit, seq;
	uint32_t nr_annots;
	const char **annots;
	bool kept;			/* decided: it gets a VAR */
	uint32_t id;			/* VAR id once emitted; 0: dropped */
};

/* A function decided to get a FUNC: its chosen definition and its ELF
 * symbols (btfe_funcs.c). */
struct btfe_femit {
	const struct btfe_fcand *c;
	const struct btfe_elf_func *ef;
};

/* btfe_merge.c: per stored type, the hash it was stored with, and the
 * index from hash to the last type of that hash. */
struct btfe_merge {
	struct {
		uint64_t *v;		/* id - start_id -> hash */
		size_t len, cap;
	} hash;
	struct {
		uint32_t *v;		/* id - start_id -> earlier id of that hash, 0 */
		size_t len, cap;
	} next;
	/* hash -> last id with that hash: open addressing, id 0 = free;
	 * tag holds the hash's upper half, so that a probe rarely reads
	 * hash[] for a slot of another hash (btfe_merge.c) */
	struct btfe_merge_slot {
		uint32_t id;
		uint32_t tag;
	} *index;
	size_t index_cap, index_len;
};

/*
 * Fold the types [first, end) just encoded into the table (btfe_merge.c):
 * those structurally equal to earlier types are dropped, the others are
 * compacted from first on. *final_ret (malloc'd, end - first entries)
 * gives each former id - first its id now. Every type before first must
 * have come through here. 0 or -ENOMEM/-EINVAL; on error the table may
 * hold the fragment partly compacted (the encoder fails as a whole).
 */
int btfe_merge_fragment(struct btfe_merge *m, struct bfmt_btf *btf, uint32_t first,
			uint32_t **final_ret);
void btfe_merge_deinit(struct btfe_merge *m);

/*
 * Fold the types [first, end) btfe_encoder__finish() added (functions,
 * variables, their prototypes, sections and tags) by their records, once
 * their references are folded too, against each other and against earlier
 * types of those kinds (btfe_merge.c). Returns 0 when the table's types
 * are now pairwise distinct given that those before first were, 1 when a
 * type refers to a later one and nothing was changed, or -ENOMEM.
 */
int btfe_merge_tail(struct bfmt_btf *btf, uint32_t first);

struct btfe_encoder {
	struct btfe_opts opts;
	struct btfe_merge merge;	/* when opts.merge_units */
	bool minimal;			/* merged, and the tail folded: every
					 * type distinct (btfe_merge_tail()) */
	struct bfmt_btf *btf;		/* what is being built */
	uint32_t index_type_id;		/* int used as ARRAY index_type, 0 until needed */
	/* Per-unit scratch, reset by each btfe_encoder__add_cu(): */
	struct {
		uint32_t *v;		/* ir_id -> BTF id */
		size_t len, cap;
	} map;
	struct {
		uint8_t *v;		/* ir_id -> enum btfe_slot */
		size_t len, cap;
	} slot;
	struct {
		uint8_t *v;		/* ir_id -> BTFE_REF_* bits */
		size_t len, cap;
	} refs;
	/* Memos of the unit's typedef/modifier chains and sizes, filled on
	 * first use (every member asks for its type's; a unit has far fewer
	 * member types than members). Written through const encoders: they
	 * only cache what the unit's types say. */
	struct {
		uint32_t *v;		/* ir_id -> 1 + ir_cu__resolve(), 0: not yet */
		size_t len, cap;
	} res;
	struct {
		struct btfe_size_memo {
			uint64_t size;
			uint8_t state;	/* 0 not yet, 1 sized, 2 no size */
		} *v;			/* ir_id -> ir_cu__type_size() */
		size_t len, cap;
	} sizes;
	/* Model name pointer -> string offset, direct-mapped, for the whole
	 * run: a hit is checked against the string at that offset, so a
	 * pointer freed and reused for another name is just a miss. */
	struct btfe_name_slot {
		const char *name;
		uint32_t off;
		uint8_t ident;		/* enum btfe_ident: is it one */
		bool trusted;		/* name came from a unit with borrowed
					 * names: while units are added, no
					 * other string can be at that address */
	} *name_cache;
	uint32_t name_cache_bits;	/* 1 << bits slots */
	uint64_t name_misses;		/* lookups that found another name in
					 * their slot, since the cache last grew */
	bool names_trusted;		/* the unit being added borrows its names */
	/* Functions and variables, recorded per unit, decided at finish: */
	uint32_t nr_units;		/* units added so far */
	bool finished;			/* btfe_encoder__finish() or
					 * btfe_encoder__decide() ran */
	bool deferred;			/* btfe_encoder__decide() ran: the
					 * kept ones are emitted after dedup */
	bool deciding;			/* decider runs btfe_decide_all() */
	int decide_err;			/* what it returned */
	pthread_t decider;
	struct arena rec_arena;		/* strings and arrays of the records
					 * (freed with them at finish) */
	struct arena keep_arena;	/* the kept ones' copies, from
					 * btfe_encoder__decide() to dedup */
	struct arena skip_arena;	/* names and details of the skips */
	struct {
		struct btfe_fcand *v;
		size_t len, cap;
	} fcands;
	struct {
		struct btfe_femit *v;	/* decided, in emission order */
		size_t len, cap;
	} femits;
	struct strset decls;		/* names of the declarations recorded */
	struct {
		struct btfe_vcand *v;
		size_t len, cap;
	} vcands;
	struct {
		struct btfe_skip *v;	/* sorted once asked for (sorted) */
		size_t len, cap;
		bool sorted;
	} skips;
};

/* How one model type becomes BTF. */
enum btfe_slot {
	BTFE_SLOT_TYPE,		/* its own BTF type(s) */
	BTFE_SLOT_ALIAS,	/* the BTF id of the type it refers to (_Atomic, ...) */
	BTFE_SLOT_VOID,		/* id 0 */
	BTFE_SLOT_OPAQUE,	/* an anonymous empty struct of the same size */
};

/* Between units (no slot pointer is held then): quadruple the name cache
 * (up to BTFE_NAME_CACHE_MAX_BITS) when more lookups than a quarter of its
 * slots found another name in their slot since it last grew, keeping what
 * it holds. 0 or -ENOMEM. */
int btfe_name_cache_grow(struct btfe_encoder *enc);

/* String offset for a model name (NULL -> 0), through enc->name_cache. */
int btfe_name_off(struct btfe_encoder *enc, const char *name, uint32_t *off_ret);

/* Is name one the kernel accepts where it wants an identifier (struct,
 * member, enumerator, typedef, function, parameter and variable names):
 * [A-Za-z_.][A-Za-z0-9_.]*, at most 127 characters (KSYM_NAME_LEN)? */
bool btfe_name_valid(const char *name);

/*
 * btfe_name_off() for a place the kernel checks as an identifier: a name it
 * would reject (C++ "foo<int>", "operator==", Rust paths, over-long names)
 * is written with every other character replaced by '_' and cut to fit,
 * so C++ and Rust units still give BTF the kernel loads.
 */
int btfe_ident_off(struct btfe_encoder *enc, const char *name, uint32_t *off_ret);

/* Append a DECL_TAG with this value on target (component -1: the type). */
int btfe_add_decl_tag(struct btfe_encoder *enc, const char *value, uint32_t target,
		      int32_t component);

/* Convert the unit's types; fills enc->map. */
int btfe_encode_types(struct btfe_encoder *enc, const struct ir_cu *cu);

/* After btfe_encode_types(): can a parameter, or a non-void return value,
 * have this type in BTF? Not void, nor a function or a declaration without
 * size (hostile DWARF), whatever typedefs lead there. */
bool btfe_value_type_ok(const struct btfe_encoder *enc, const struct ir_cu *cu, ir_id type);

/* btfe_funcs.c: record the unit's functions (after btfe_encode_types, which
 * filled enc->map); decide them at finish, touching neither enc->btf nor
 * the name cache (so it may run while another thread deduplicates the
 * table); then emit the kept ones, their recorded type ids taken through
 * map (NULL: as recorded). */
int btfe_funcs_collect(struct btfe_encoder *enc, const struct ir_cu *cu);
int btfe_funcs_decide(struct btfe_encoder *enc);
int btfe_funcs_emit(struct btfe_encoder *enc, const uint32_t *map);
/* Once decided: copy what emitting the kept ones reads into keep, so that
 * the records and enc->rec_arena can go before dedup (0 or -ENOMEM). */
int btfe_funcs_keep(struct btfe_encoder *enc, struct arena *keep);

/* btfe_vars.c: the same for variables, VARs and DATASECs. */
int btfe_vars_collect(struct btfe_encoder *enc, const struct ir_cu *cu);
int btfe_vars_decide(struct btfe_encoder *enc);
int btfe_vars_emit(struct btfe_encoder *enc, const uint32_t *map);
/* The same for variables: only the kept records stay, in order. */
int btfe_vars_keep(struct btfe_encoder *enc, struct arena *keep);

/* Record why something got no BTF (detail is printf-formatted, may be
 * NULL). Reported by btfe_skips_finish(), sorted when reported or asked
 * for (btfe_encoder__skipped()). */
__attribute__((format(printf, 6, 7)))
int btfe_skip_add(struct btfe_encoder *enc, enum btfe_skip_kind kind,
		  enum btfe_skip_reason reason, const char *name, uint64_t addr,
		  const char *fmt, ...);
void btfe_skips_finish(struct btfe_encoder *enc);

/* btfe_funcs_sig.c: the unit-independent prototype string of FUNC_PROTO
 * proto ("int (int, struct foo *)"), as pahole compares prototypes:
 * const is ignored, structs/unions/enums/typedefs compare by name. */
int btfe_sig_proto(const struct ir_cu *cu, ir_id proto, struct arena *a,
		   const char **ret);

/* The integer argument registers of a machine (DWARF numbers), or NULL
 * when btfenc does not know its calling convention. */
struct btfe_abi {
	uint16_t machine;	/* e_machine */
	uint8_t nr_regs;
	uint8_t regs[8];
};
const struct btfe_abi *btfe_abi_of(uint16_t machine);

/* Where the parameters of a concrete function are, against the calling
 * convention: fills c->optimized/unexpected_reg/uncertain and their why_*
 * details. word is the size of an integer register in bytes. */
int btfe_check_params(const struct ir_cu *cu, const struct ir_type *proto,
		      const struct btfe_abi *abi, uint32_t word, struct arena *a,
		      struct btfe_fcand *c);

#endif
