/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btfe_elf: the ELF facts the BTF encoder needs to decide which functions and
 * variables get BTF: header, sections, function and object symbols, and the
 * kernel's kfunc sets from .BTF_ids.
 *
 * btfe_elf__load() reads them from a file with libelf and closes it again;
 * btfe_elf__new_empty() plus the btfe_elf__add_*() calls build the same
 * object in memory (tests, or callers that already know the symbols).
 *
 * Function symbols are grouped by base name, the name up to its first '.':
 * "foo", "foo.isra.0", "foo.constprop.0", "foo.llvm.123" and the pieces
 * "foo.part.0" / "foo.cold" all belong to "foo". Pieces (.part, .cold) are
 * not functions of their own (pahole's str_contains_non_fn_suffix) and are
 * kept only so that explanations can name them.
 *
 * Owns:       copies of every name (its arena) and its tables.
 * Borrows:    nothing; the file is closed when btfe_elf__load() returns.
 * Threads:    none while being built; lookups on a complete object are
 *             read-only and may run concurrently.
 * Errors:     0 or negative errno: -ENOENT/-EACCES (open), -ENOEXEC (not
 *             ELF), -EIO (corrupt ELF), -ENOMEM; load failures are also
 *             reported once through the diag sink at DIAG_ERROR.
 * Invariants: pointers returned by lookups stay valid until the next
 *             btfe_elf__add_*() call or btfe_elf__free().
 */
#ifndef BTFENC_BTFE_ELF_H
#define BTFENC_BTFE_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/util/diag.h"

struct btfe_elf;

enum btfe_sym_type {
	BTFE_SYM_FUNC,		/* STT_FUNC */
	BTFE_SYM_OBJECT,	/* STT_OBJECT */
};

enum btfe_sym_bind {
	BTFE_BIND_LOCAL,
	BTFE_BIND_GLOBAL,
	BTFE_BIND_WEAK,
};

/* What follows the first '.' of a function symbol's name (may combine:
 * "foo.isra.0.cold" is ISRA | COLD). */
enum {
	BTFE_SFX_ISRA = 1u << 0,	/* gcc IPA-SRA clone: parameters changed */
	BTFE_SFX_CONSTPROP = 1u << 1,	/* gcc constant-propagation clone */
	BTFE_SFX_PART = 1u << 2,	/* partial-inlining piece, not a function */
	BTFE_SFX_COLD = 1u << 3,	/* cold path split off, not a function */
	BTFE_SFX_LLVM = 1u << 4,	/* clang ThinLTO promoted static */
	BTFE_SFX_OTHER = 1u << 5,	/* anything else after a '.' */
};

#define BTFE_SFX_PIECE (BTFE_SFX_PART | BTFE_SFX_COLD)
#define BTFE_SFX_CLONE (BTFE_SFX_ISRA | BTFE_SFX_CONSTPROP)

struct btfe_elf_header {
	uint16_t machine;	/* e_machine */
	uint16_t type;		/* e_type: ET_REL, ET_EXEC, ET_DYN, ... */
	bool is_64;		/* ELFCLASS64 */
	bool big_endian;	/* ELFDATA2MSB */
};

struct btfe_elf_section {
	uint32_t index;		/* section header index */
	const char *name;
	uint64_t addr;		/* sh_addr (0 in ET_REL files) */
	uint64_t size;
	uint32_t type;		/* sh_type */
	uint64_t flags;		/* sh_flags */
};

struct btfe_elf_sym {
	const char *name;	/* full name, suffix included */
	uint64_t addr;		/* st_value (section-relative in ET_REL) */
	uint64_t size;
	uint32_t shndx;		/* section index (SHN_XINDEX resolved) */
	uint32_t base_len;	/* functions: bytes of name before the
				 * suffixes (btfe_sym_suffixes()) */
	uint8_t type;		/* enum btfe_sym_type */
	uint8_t bind;		/* enum btfe_sym_bind */
	uint16_t suffixes;	/* BTFE_SFX_* of name */
};

/* All function symbols with one base name. */
struct btfe_elf_func {
	const char *name;		/* base name */
	const struct btfe_elf_sym *syms; /* nr real functions (by address),
					  * then nr_pieces .part/.cold pieces */
	uint32_t nr;
	uint32_t nr_pieces;
	uint16_t suffixes;		/* union over the real functions */
	bool ambiguous;			/* real functions at more than one place
					 * and no single strong definition */
	uint32_t canon;			/* index in syms of the definition that
					 * wins (valid when nr && !ambiguous) */
	bool kfunc;			/* listed in a kfunc set8 of .BTF_ids */
	uint32_t kfunc_flags;		/* its KF_* flags */
};

/* A kfunc found in .BTF_ids: function name and the set8 entry's flags. */
struct btfe_elf_kfunc {
	const char *name;
	uint32_t flags;
};

int btfe_elf__load(const char *path, const struct diag *d, struct btfe_elf **ret);
int btfe_elf__new_empty(const struct btfe_elf_header *hdr, struct btfe_elf **ret);
void btfe_elf__free(struct btfe_elf *elf);	/* accepts NULL */

/* Building in memory. Section 0 (the null section) exists from the start;
 * *index_ret (if non-NULL) receives the new section's index. */
int btfe_elf__add_section(struct btfe_elf *elf, const char *name, uint64_t addr,
			  uint64_t size, uint32_t type, uint64_t flags,
			  uint32_t *index_ret);
int btfe_elf__add_sym(struct btfe_elf *elf, const char *name, enum btfe_sym_type type,
		      enum btfe_sym_bind bind, uint32_t shndx, uint64_t addr,
		      uint64_t size);
int btfe_elf__add_kfunc(struct btfe_elf *elf, const char *name, uint32_t flags);

const struct btfe_elf_header *btfe_elf__header(const struct btfe_elf *elf);

size_t btfe_elf__nr_sections(const struct btfe_elf *elf);
/* NULL when out of range. */
const struct btfe_elf_section *btfe_elf__section(const struct btfe_elf *elf, uint32_t index);
/* The first section with that name, or NULL. */
const struct btfe_elf_section *btfe_elf__section_by_name(const struct btfe_elf *elf,
							 const char *name);

/* Function symbols with this base name ("foo" finds foo.isra.0), or NULL. */
const struct btfe_elf_func *btfe_elf__func(const struct btfe_elf *elf, const char *base);
size_t btfe_elf__nr_funcs(const struct btfe_elf *elf);
const struct btfe_elf_func *btfe_elf__func_at(const struct btfe_elf *elf, size_t i);

/* Is there an STT_OBJECT symbol called name in section shndx? */
bool btfe_elf__has_object(const struct btfe_elf *elf, const char *name, uint32_t shndx);
size_t btfe_elf__nr_objects(const struct btfe_elf *elf);

/* kfuncs, sorted by name. */
const struct btfe_elf_kfunc *btfe_elf__kfunc(const struct btfe_elf *elf, const char *name);
size_t btfe_elf__nr_kfuncs(const struct btfe_elf *elf);

/* BTFE_SFX_* of a symbol name, and the length of its base name. */
uint16_t btfe_sym_suffixes(const char *name, size_t *base_len);

#endif
