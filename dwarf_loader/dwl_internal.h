/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dwl_internal: the loader's private state shared by its files.
 *
 * struct dwl_file lives for one dwl_load_file() call and owns the libdwfl
 * session and the extra Dwarf handle of COMDAT type units (dwl_tunits.c).
 * struct dwl_unit is the state for building one struct ir_cu; it is
 * allocated once per file (once per worker thread and session when
 * opts->jobs > 1: dwl_parallel.c) and reset between units so that its maps,
 * stacks and scratch arrays are reused (no per-DIE malloc). A dwl_file and
 * its dwl_units are used by one thread at a time.
 *
 * Decoding model (see dwl_refs.c for the full story): every type DIE gets
 * an ir_id the first time it is seen, either by the unit walk or through a
 * reference; the offset->id map is keyed by a global DIE key (dwl_die_key)
 * so a DIE of another unit is decoded once per CU. Referenced DIEs that are
 * not decoded yet go on a worklist, so nothing recurses on input depth.
 *
 * Errors: every fallible function returns 0 or a negative errno and has
 * already reported the failure (once per file) through dwl_fail*().
 */
#ifndef BTFENC_DWL_INTERNAL_H
#define BTFENC_DWL_INTERNAL_H

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdbool.h>

#include "dwarf_loader.h"
#include "src/util/hmap.h"

/* Tags and constants newer than elfutils 0.188's dwarf.h. */
#define DWL_TAG_LLVM_annotation 0x6000
#define DWL_TAG_GNU_annotation 0x6001
#define DWL_LANG_C17 0x2c
#define DWL_LANG_Assembly 0x31

/* Upper bound on chains we follow by hand (typedef chains for sizes,
 * DW_AT_signature hops); hostile input cannot make us loop. */
#define DWL_MAX_CHAIN 64

/*
 * Type units libdw cannot see (dwl_tunits.c): gcc puts each type unit of a
 * relocatable object in its own COMDAT .debug_types (DWARF 4) or .debug_info
 * (DWARF 5) section, and libdw reads neither group sections nor a second
 * section of one name. Those sections are concatenated into one in-memory
 * ELF image with its own Dwarf handle; 'sigs' indexes the type units of the
 * main handle and of that image by signature.
 */
struct dwl_tunits {
	Dwarf *dbg;			/* handle on the image, NULL if none */
	Elf *elf;			/* elf_memory() over image */
	void *image;			/* owned; outlives dbg and elf */
	struct hmap sigs;		/* signature -> dwl_tu_val() */
};

struct dwl_file {
	const char *path;		/* as given, for messages */
	const struct dwl_opts *opts;
	struct dwl_stats *stats;	/* never NULL (points to a local if needed) */
	Dwfl *dwfl;
	Dwfl_Module *mod;
	Dwarf *dbg;			/* the module's main DWARF */
	Dwarf_Addr bias;		/* module address = DWARF address + bias */
	Elf *elf;			/* the module's main ELF (sections, header) */
	size_t shstrndx;
	uint16_t machine;
	bool big_endian;
	bool reported;			/* an error was reported already */
	struct dwl_strs *strs;		/* string cache (dwl_strs.c) */
	struct hmap skipped;		/* DW_TAG -> count of skipped DIEs */
	struct dwl_tunits tu;		/* type units outside libdw's view */
	uintptr_t drop_start;		/* pages given back every so many units */
	size_t drop_len;		/* (dwl_mapdrop.c); 0: never */
	uint32_t units_since_drop;
	int8_t drop_clean;		/* mapping without written pages:
					 * 1 yes, 0 no, -1 not asked yet */
	const char *str_base;		/* .debug_str as libdw reads it (ends
					 * with a NUL), for dwl_formstring();
					 * NULL: leave strings to libdw */
	size_t str_size;
};

/* A type DIE waiting to be decoded into an already allocated id. */
struct dwl_work {
	Dwarf_Die die;
	ir_id id;
};

/* One level of the explicit DIE stack of the unit walk. */
struct dwl_frame {
	Dwarf_Die die;
	uint8_t ctx;			/* DWL_CTX_* of the children of die */
};

enum {
	DWL_CTX_TOP = 0,		/* unit level (or imported unit level) */
	DWL_CTX_FUNC,			/* inside a subprogram / lexical block */
	DWL_CTX_TYPE,			/* inside a struct/union/class */
	DWL_CTX_IMPORT,			/* inside an imported partial unit: types only */
};

/* Abbreviation codes below this are remembered per unit (dwl_abbrev.c). */
#define DWL_ABBREV_CODES 4096

/* dwl_attrs.c: how to find the attributes of DIEs of one abbreviation. */
struct dwl_spec {
	unsigned int name;		/* DW_AT_* */
	unsigned int form;		/* DW_FORM_* */
	int8_t slot;			/* enum dwl_at, -1: not kept */
	uint8_t size;			/* bytes, or a DWL_SZ_* kind */
	/* DW_FORM_implicit_const: where libdw's Dwarf_Attribute points for
	 * its value (in the abbreviation, the same for every DIE of it),
	 * learnt by dwl_layout_check(); else NULL */
	const unsigned char *ivalp;
};
struct dwl_layout {
	uint32_t first, n;		/* specs[first, first + n) up to the last kept */
	uint32_t listed;		/* bit (1u << enum dwl_at) per kept name */
	uint32_t nall;			/* all specs: specs[first, first + nall) */
	int32_t fixed;			/* bytes of all values when every one has
					 * a fixed size (the common case), else -1 */
	bool usable;			/* false: leave the DIE to dwarf_getattrs() */
	int32_t sib;			/* DW_AT_sibling's spec (ref1-ref8), or -1 */
	bool odd_sib;			/* its first DW_AT_sibling has another form */
	bool children;			/* the abbreviation says it has children */
};

/* Per-id decode state (struct dwl_unit.state): DONE or not, and for a
 * struct/union whose children are all members (or other DIEs the unit walk
 * does nothing with: dwl_is_quiet_tag()), PLAIN and the number of those
 * children, so that the walk counts them instead of visiting them again. */
enum {
	DWL_ST_PENDING = 0,		/* id allocated, DIE not decoded yet */
	DWL_ST_DONE = 1u << 0,
	DWL_ST_PLAIN = 1u << 1,
};
#define DWL_ST_KIDS_SHIFT 2
#define DWL_ST_KIDS_MAX (UINT32_MAX >> DWL_ST_KIDS_SHIFT)
/* An offmap value with this bit maps a DW_AT_signature declaration to the
 * id of its type unit's type: the id's state is not about that DIE. */
#define DWL_OFF_INDIRECT (1ull << 32)

struct dwl_unit {
	struct dwl_file *f;
	struct ir_cu *cu;
	Dwarf_CU *dcu;			/* the unit being loaded */
	Dwarf_Off unit_off;		/* its offset in .debug_info */
	uint8_t addr_size;
	uint16_t lang_code;
	struct hmap offmap;		/* dwl_die_key -> ir_id */
	struct hmap inlined;		/* abstract origin offsets of inlined_subroutines */
	struct hmap imported;		/* partial units already imported */
	struct hmap sigwarn;		/* keys of declarations whose DW_AT_signature
					 * names no type unit (dwl_refs.c) */
	struct { uint32_t *v; size_t len, cap; } state;	/* per ir_id, DWL_ST_* */
	struct { struct dwl_work *v; size_t len, cap; } work;
	struct { struct dwl_frame *v; size_t len, cap; } stack;
	struct { uint64_t *v; size_t len, cap; } func_origin;	/* per func */
	/* Scratch arrays, used by one decoder at a time, copied to the arena. */
	struct { struct ir_member *v; size_t len, cap; } members;
	struct { struct ir_enumerator *v; size_t len, cap; } enums;
	struct { struct ir_param *v; size_t len, cap; } params;
	struct { struct ir_dim *v; size_t len, cap; } dims;
	struct { Dwarf_Off *v; size_t len, cap; } offs;
	/* dwl_abbrev.c: code -> abbreviation of the unit abbrev_cu, whose
	 * DIEs end at offset abbrev_end (0: serve none), i.e. at address
	 * unit_endp; its header starts at unit_startp (references of
	 * forms ref1-ref8 count from there); the unit's version and offset
	 * size. */
	Dwarf_CU *abbrev_cu;
	Dwarf_Off abbrev_end;
	const unsigned char *unit_startp, *unit_endp;
	Dwarf_Off abbrev_unit_off;	/* section offset of abbrev_cu's header */
	uint16_t version;
	uint8_t offset_size;
	unsigned int abbrev_max;	/* highest code filled */
	Dwarf_Abbrev *abbrevs[DWL_ABBREV_CODES];
	/* dwl_attrs.c: code -> 1 + index of its attribute layout in
	 * layouts (0: not made yet); a layout is a run of specs. */
	uint32_t layout_of[DWL_ABBREV_CODES];
	struct { struct dwl_layout *v; size_t len, cap; } layouts;
	struct { struct dwl_spec *v; size_t len, cap; } specs;
};

/* dwl_open.c: the file session and the one-place error conversions. */
/* dwl_mapdrop.c: after opening, see whether the file's mapped pages may be
 * given back; after each decoded unit, give them back every so often. */
void dwl_mapdrop_arm(struct dwl_file *f);
void dwl_mapdrop_unit_done(struct dwl_file *f);

int dwl_file_open(struct dwl_file *f, const char *path);
void dwl_file_close(struct dwl_file *f);
__attribute__((format(printf, 3, 4)))
int dwl_fail(struct dwl_file *f, int err, const char *fmt, ...);
__attribute__((format(printf, 4, 5)))
int dwl_fail_die(struct dwl_unit *u, Dwarf_Off die, int err, const char *fmt, ...);
int dwl_err_libdw(struct dwl_unit *u, Dwarf_Off die, const char *what);
int dwl_err_libelf(struct dwl_file *f, const char *what);
int dwl_err_libdwfl(struct dwl_file *f, int err, const char *what);
void dwl_warn_die(struct dwl_unit *u, Dwarf_Off die, const char *msg);
void dwl_count_skipped(struct dwl_file *f, unsigned int tag);

/* dwl_sections.c: the debug sections libdw reads, checked unit by unit. */

/* One stretch of a section that must hold whole units, back to back. */
struct dwl_span {
	const char *sec;		/* ".debug_info" or ".debug_types" */
	const unsigned char *buf;	/* the section data (relocated) */
	uint64_t start, end;		/* [start, end) within buf */
	size_t scn;			/* ELF section index, 0: don't name it */
};

int dwl_section_data(Elf *elf, const char *name, const void *inside,
		     Elf_Data **ret, size_t *scn_ret);
int dwl_unit_fits(struct dwl_file *f, const struct dwl_span *sp, uint64_t off);
int dwl_span_done(struct dwl_file *f, const struct dwl_span *sp, uint64_t off);
typedef int (*dwl_unit_visit_fn)(struct dwl_file *f, Dwarf_Die *cudie, bool types,
				 void *arg);
int dwl_scan_units(struct dwl_file *f, Dwarf *dbg, bool types,
		   const struct dwl_span *spans, size_t nspans,
		   dwl_unit_visit_fn visit, void *arg);

/* dwl_tunits.c: type units in sections libdw ignores (see struct dwl_tunits). */
int dwl_tunits_open(struct dwl_file *f);
void dwl_tunits_close(struct dwl_file *f);
bool dwl_formref_die(struct dwl_file *f, Dwarf_Attribute *attr, Dwarf_Die *ret);

/* dwl_abbrev.c: dwarf_child()/dwarf_siblingof() with the result's
 * abbreviation filled from a per-unit cache; same results and errors. */
void dwl_abbrev_reset(struct dwl_unit *u, Dwarf_Die *cudie, Dwarf_Off unit_end,
		      uint16_t version, uint8_t offset_size);
/* The abbreviation code of a DIE the cache serves (and its length in
 * bytes), or 0. */
unsigned int dwl_abbrev_code(struct dwl_unit *u, Dwarf_Die *die, unsigned int *len);
void dwl_abbrev_fill(struct dwl_unit *u, Dwarf_Die *die);
int dwl_child(struct dwl_unit *u, Dwarf_Die *die, Dwarf_Die *child);
int dwl_sibling(struct dwl_unit *u, Dwarf_Die *die, Dwarf_Die *next);

/* dwl_strs.c: interning of strings that live in the session's sections. */
struct dwl_strs;
int dwl_strs_new(struct dwl_strs **ret, bool borrow);
void dwl_strs_free(struct dwl_strs *c);	/* accepts NULL */
void dwl_strs_next_unit(struct dwl_strs *c);
/* ir_cu__intern(cu, s) for an s that stays valid and unchanged for the
 * session (s itself with dwl_opts.borrow_names); NULL only on ENOMEM. */
const char *dwl_intern(struct dwl_strs *c, struct ir_cu *cu, const char *s);
/* Whether dwl_intern() hands out the section's own pointers. */
bool dwl_strs_borrows(const struct dwl_strs *c);

/* dwl_attrs.c: the attributes the decoders read, found in one pass. */
enum dwl_at {
	DWL_A_NAME, DWL_A_TYPE, DWL_A_BYTE_SIZE, DWL_A_BIT_SIZE,
	DWL_A_DATA_BIT_OFFSET, DWL_A_DATA_MEMBER_LOCATION, DWL_A_BIT_OFFSET,
	DWL_A_ALIGNMENT, DWL_A_DECLARATION, DWL_A_EXTERNAL, DWL_A_ENCODING,
	DWL_A_SIGNATURE,
	/* subprograms (dwl_funcs.c) */
	DWL_A_ARTIFICIAL, DWL_A_INLINE, DWL_A_CALLING_CONVENTION,
	DWL_A_LINKAGE_NAME, DWL_A_MIPS_LINKAGE_NAME, DWL_A_PROTOTYPED,
	DWL_A_ABSTRACT_ORIGIN, DWL_A_SPECIFICATION,
	DWL_A_LOW_PC, DWL_A_HIGH_PC,
	/* enumerators (dwl_enums.c), variables (dwl_vars.c) */
	DWL_A_CONST_VALUE, DWL_A_LOCATION,
	/* array bounds (dwl_enums.c) */
	DWL_A_COUNT, DWL_A_UPPER_BOUND, DWL_A_LOWER_BOUND,
	DWL_A_NR
};
struct dwl_attrs {
	uint32_t have;			/* bit (1u << enum dwl_at): present */
	uint32_t listed;		/* the same for dwarf_hasattr(): named by
					 * the abbreviation, whatever the values */
	bool from_layout;		/* listed is known (else ask libdw) */
	Dwarf_Attribute v[DWL_A_NR];	/* valid where have says */
};
void dwl_attrs_read(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a);
/* An unsigned value of size bytes at p, in the file's byte order. */
static inline uint64_t dwl_read_uint(const unsigned char *p, unsigned int size, bool big_endian)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * (big_endian ? size - 1 - i : i));
	return v;
}

/*
 * dwarf_formstring() (elfutils 0.188) without the call for the two forms
 * a unit's names come in (5.9 million member names on a kernel): a
 * DW_FORM_string is its own bytes; a DW_FORM_strp of a DIE of the unit
 * being read (abbrev_cu: the main file's DWARF, offset size and byte order
 * known) is an offset into .debug_str, checked against its size as libdw
 * checks it. Anything else, and a bad offset, goes to libdw.
 */
static inline const char *dwl_formstring(const struct dwl_unit *u, Dwarf_Attribute *attr)
{
	if (attr->form == DW_FORM_string)
		return (const char *)attr->valp;
	if (attr->form == DW_FORM_strp && u->f->str_base && attr->cu == u->abbrev_cu &&
	    u->abbrev_end) {
		uint64_t off = dwl_read_uint(attr->valp, u->offset_size, u->f->big_endian);

		if (off < u->f->str_size)
			return u->f->str_base + off;
	}
	return dwarf_formstring(attr);
}
/* Whether die may carry the attribute of slot (enum dwl_at): false only
 * when its abbreviation's layout (dwl_attrs.c) lists it not. */
bool dwl_may_have(struct dwl_unit *u, Dwarf_Die *die, int slot);
/* dwarf_siblingof(die, next) through the layouts of the DIEs it steps
 * over; 2: not served, ask libdw. */
int dwl_sibling_fast(struct dwl_unit *u, Dwarf_Die *die, Dwarf_Die *next);
/* dwarf_child(die, child) for a DIE whose layout is known; 2: not served. */
int dwl_child_fast(struct dwl_unit *u, Dwarf_Die *die, Dwarf_Die *child);
static inline Dwarf_Attribute *dwl_a(struct dwl_attrs *a, int slot)
{
	return a->have & (1u << slot) ? &a->v[slot] : NULL;
}
/* dwarf_hasattr(die, at) for the attribute of slot: true when the
 * abbreviation names it, even if a value before it is unreadable (then
 * dwarf_attr() finds nothing, but dwarf_hasattr() still says yes). */
/* dwarf_attr(die, at) answered from the pass (slot) when it had a layout,
 * else by libdw, as dwl_a_listed() does for dwarf_hasattr(). */
bool dwl_a_attr(Dwarf_Die *die, const struct dwl_attrs *a, int slot, unsigned int at,
		Dwarf_Attribute *ret);
bool dwl_a_listed(Dwarf_Die *die, struct dwl_attrs *a, int slot, unsigned int at);
/* As the dwl_attr_* readers below: 0 found, 1 absent, <0 error. */
int dwl_a_udata(struct dwl_attrs *a, int slot, uint64_t *ret);
int dwl_a_sdata(struct dwl_attrs *a, int slot, int64_t *ret);
bool dwl_a_flag(struct dwl_attrs *a, int slot);
/* dwarf_attr_integrate(die, at) for the attribute of slot (at), from a
 * (die's own reading) or along DW_AT_abstract_origin/DW_AT_specification;
 * through libdw itself when a did not come from a layout. */
bool dwl_a_integrate(struct dwl_unit *u, Dwarf_Die *die, const struct dwl_attrs *a,
		     int slot, unsigned int at, Dwarf_Attribute *ret);
/* A string attribute found so, interned (dwl_string() with integrate);
 * NULL when absent, and when empty if empty_is_none (as dwl_name()). */
int dwl_a_string_integrate(struct dwl_unit *u, Dwarf_Die *die, const struct dwl_attrs *a,
			   int slot, unsigned int at, bool empty_is_none, const char **ret);
int dwl_a_name(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
	       const char **ret);
/*
 * dwl_a_name() without reading the string when names are borrowed: in a
 * kernel most names are a random line of a .debug_str of megabytes, and
 * reading one to see whether it is empty waited for memory each time (5%
 * of a run). Here the line is only asked for; the caller passes the name
 * to dwl_name_settle() a little later (after the other members of the
 * struct), when it has arrived. Without borrowing, dwl_a_name() itself.
 */
int dwl_a_name_unsettled(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
			 const char **ret);
/* An empty name is no name, as dwl_name() says. */
static inline void dwl_name_settle(const char **name)
{
	if (*name && !**name)
		*name = NULL;
}

/* dwl_die.c: small attribute readers. Return 0 found, 1 absent, <0 error. */
int dwl_attr_udata(Dwarf_Die *die, unsigned int at, uint64_t *ret);
int dwl_attr_sdata(Dwarf_Die *die, unsigned int at, int64_t *ret);
bool dwl_attr_flag(Dwarf_Die *die, unsigned int at, bool integrate);
int dwl_name(struct dwl_unit *u, Dwarf_Die *die, bool integrate, const char **ret);
int dwl_string(struct dwl_unit *u, Dwarf_Die *die, unsigned int at,
	       bool integrate, const char **ret);
int dwl_type_byte_size(struct dwl_unit *u, Dwarf_Die *die, uint64_t *ret);
bool dwl_is_annotation(int tag);
int dwl_annot_child(struct dwl_unit *u, Dwarf_Die *child, const char *kind,
		    struct ir_annots *a);
int dwl_annots_of(struct dwl_unit *u, Dwarf_Die *die, struct ir_annots *a);
uint8_t dwl_unit_addr_size(Dwarf_Die *die, uint8_t fallback);

/* dwl_refs.c: DIE -> ir_id. */
bool dwl_is_type_tag(int tag);
uint64_t dwl_die_key(struct dwl_unit *u, Dwarf_Die *die);

/* dwarf_dieoffset() without the call for a DIE inside the unit abbrev_cu
 * (the loader asks for the offset of every type DIE it meets). */
static inline Dwarf_Off dwl_die_off(const struct dwl_unit *u, Dwarf_Die *die)
{
	const unsigned char *p = die->addr;

	if (die->cu == u->abbrev_cu && u->unit_startp && p >= u->unit_startp &&
	    p < u->unit_endp)
		return u->abbrev_unit_off + (Dwarf_Off)(p - u->unit_startp);
	return dwarf_dieoffset(die);
}
int dwl_ref_type(struct dwl_unit *u, Dwarf_Die *die, unsigned int at,
		 bool integrate, ir_id *ret);
/* The same for an attribute already found (NULL: absent, void). */
int dwl_ref_attr(struct dwl_unit *u, Dwarf_Die *die, Dwarf_Attribute *attr,
		 unsigned int at, ir_id *ret);
int dwl_type_die(struct dwl_unit *u, Dwarf_Die *die, bool local, uint32_t *plain_kids);
int dwl_drain(struct dwl_unit *u);
int dwl_reserve_state(struct dwl_unit *u);

/* dwl_types.c / dwl_members.c: decode one type DIE into id. */
int dwl_decode_type(struct dwl_unit *u, Dwarf_Die *die, ir_id id);
int dwl_decode_type_attrs(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
			  ir_id id);
int dwl_decode_composite(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
			 ir_id id, int tag);
int dwl_decode_enum_fwd(struct dwl_unit *u, ir_id id);
int dwl_decode_enum(struct dwl_unit *u, Dwarf_Die *die, ir_id id);
int dwl_decode_array(struct dwl_unit *u, Dwarf_Die *die, ir_id id);

/* dwl_funcs.c / dwl_locs.c / dwl_vars.c */
int dwl_func(struct dwl_unit *u, Dwarf_Die *die);
int dwl_func_params(struct dwl_unit *u, Dwarf_Die *die, const struct dwl_attrs *a,
		    Dwarf_Die *origin, bool concrete, Dwarf_Addr entry, ir_id proto,
		    struct ir_annots *annots);
void dwl_param_loc(struct dwl_unit *u, Dwarf_Die *param, Dwarf_Addr entry,
		   struct ir_param *p);
int dwl_mark_inlined(struct dwl_unit *u);
int dwl_var(struct dwl_unit *u, Dwarf_Die *die, bool local);

/* dwl_names.c */
uint8_t dwl_lang_of(int lang_code);

/* dwl_walk.c */
bool dwl_is_quiet_tag(int tag);
int dwl_walk_unit(struct dwl_unit *u, Dwarf_Die *root, uint8_t ctx);

/* dwl_units.c: one unit at a time. */
struct dwl_offs { Dwarf_Off *v; size_t len, cap; };
struct dwl_unit *dwl_unit_new(struct dwl_file *f);
void dwl_unit_free(struct dwl_unit *u);
int dwl_unit_decode(struct dwl_unit *u, Dwarf_Off off, struct ir_cu **cu_ret,
		    bool *indexed_ret);

/* dwl_parallel.c: decode the units at offs[0, n) with opts->jobs threads
 * and hand them to fn in order (see the top of that file). */
int dwl_units_parallel(struct dwl_file *f, const Dwarf_Off *offs, size_t n,
		       dwl_cu_fn fn, void *arg, bool *cb_failed);

#endif
