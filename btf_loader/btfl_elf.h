/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btfl_elf: find .BTF (and .BTF.base) in an ELF file with libelf.
 *
 * Owns:    the Elf handle between btfl_elf_open() and btfl_elf_close();
 *          btf/base point into its mapping and die with it.
 * Borrows: the fd, which must stay open until btfl_elf_close().
 * Errors:  -ENOEXEC not ELF, -ENODATA no .BTF, -EINVAL a malformed ELF
 *          file or an unusable section (SHT_NOBITS, compressed); each
 *          reported once through the context.
 */
#ifndef BTFENC_BTFL_ELF_H
#define BTFENC_BTFL_ELF_H

#include <libelf.h>

#include "btfl_internal.h"

struct btfl_elf {
	Elf *elf;
	const void *btf;	/* .BTF bytes */
	size_t btf_len;
	uint64_t btf_off;	/* where they are in the file */
	const void *base;	/* .BTF.base bytes (distilled base), if any */
	size_t base_len;
	bool has_btf, has_base;
	bool relocatable;	/* ET_REL */
	uint16_t machine;	/* e_machine */
	uint8_t ptr_size;	/* 4 for ELFCLASS32, else 8 */
};

int btfl_elf_open(struct btfl_ctx *c, int fd, struct btfl_elf *e);
void btfl_elf_close(struct btfl_elf *e);

/* Is fd an ELF file with a .BTF section? No messages. */
bool btfl_elf_has_btf(int fd);

#endif
