/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btfe_elf_priv: struct btfe_elf itself, shared by btfe_elf.c (tables,
 * lookups, libelf reading) and btfe_kfuncs.c (.BTF_ids) only.
 */
#ifndef BTFENC_BTFE_ELF_PRIV_H
#define BTFENC_BTFE_ELF_PRIV_H

#include <gelf.h>

#include "btfe_elf.h"
#include "src/util/arena.h"

struct btfe_elf {
	struct btfe_elf_header hdr;
	struct arena arena;		/* every name */
	struct {
		struct btfe_elf_section *v;	/* index = section index */
		size_t len, cap;
	} secs;
	struct {
		struct btfe_elf_sym *v;	/* functions, grouped by base name */
		size_t len, cap;
	} fsyms;
	struct {
		struct btfe_elf_sym *v;	/* objects, sorted by name */
		size_t len, cap;
	} osyms;
	struct {
		struct btfe_elf_func *v;	/* sorted by base name */
		size_t len, cap;
	} funcs;
	struct {
		struct btfe_elf_kfunc *v;	/* sorted by name */
		size_t len, cap;
	} kfuncs;
};

/* Append without re-indexing (bulk loading); btfe_elf_reindex() after. */
int btfe_elf_push_sym(struct btfe_elf *elf, const char *name, enum btfe_sym_type type,
		      enum btfe_sym_bind bind, uint32_t shndx, uint64_t addr,
		      uint64_t size);
int btfe_elf_push_kfunc(struct btfe_elf *elf, const char *name, uint32_t flags);
int btfe_elf_reindex(struct btfe_elf *elf);

/*
 * Read the kfunc sets of .BTF_ids (pahole's decl_tag_kfuncs): symbols
 * __BTF_ID__set8__<set> whose set8 header has BTF_SET8_KFUNCS cover a range
 * of {id, flags} pairs; every __BTF_ID__func__<name>__<n> symbol inside
 * such a range names a kfunc with that pair's flags. symtab is the symbol
 * table section (its data already read as symdata), NULL if none.
 */
int btfe_kfuncs_read(struct btfe_elf *elf, Elf *e, Elf_Data *symdata,
		     Elf_Data *xndxdata, size_t strtab, size_t nr_syms,
		     const struct diag *d, const char *path);

#endif
