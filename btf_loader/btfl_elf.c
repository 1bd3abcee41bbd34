// SPDX-License-Identifier: GPL-2.0-only
/*
 * The .BTF and .BTF.base sections of an ELF file, through libelf (mapped,
 * not copied). libelf checks that section data lies inside the file; the
 * BTF inside is validated by btfl_parse() like any other.
 */
#include "btfl_elf.h"

#include <errno.h>
#include <gelf.h>
#include <string.h>

/* The one place libelf errors become errno: a file libelf cannot read is
 * a malformed ELF file. */
static int btfl_err_libelf(struct btfl_ctx *c, const char *what)
{
	int e = elf_errno();
	const char *msg = elf_errmsg(e ? e : -1);

	return btfl_fail(c, -EINVAL, "%s: %s", what, msg ? msg : "unknown libelf error");
}

static int btfl_elf_section(struct btfl_ctx *c, Elf_Scn *scn, const GElf_Shdr *sh,
			    const char *name, const void **data, size_t *len)
{
	Elf_Data *d;

	if (sh->sh_type == SHT_NOBITS)
		return btfl_fail(c, -EINVAL, "section %s has no data (SHT_NOBITS)", name);
	if (sh->sh_flags & SHF_COMPRESSED)
		return btfl_fail(c, -EINVAL, "section %s is compressed (unsupported)", name);
	d = elf_getdata(scn, NULL);
	if (!d)
		return btfl_err_libelf(c, name);
	*data = d->d_buf;
	*len = d->d_buf ? d->d_size : 0;
	return 0;
}

static int btfl_elf_scan(struct btfl_ctx *c, struct btfl_elf *e)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int err = 0;

	if (elf_getshdrstrndx(e->elf, &shstrndx))
		return btfl_err_libelf(c, "section header string table");
	while (!err && (scn = elf_nextscn(e->elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			return btfl_err_libelf(c, "section header");
		name = elf_strptr(e->elf, shstrndx, sh.sh_name);
		if (!name)
			continue;
		if (!strcmp(name, ".BTF") && !e->has_btf) {
			e->has_btf = true;
			err = btfl_elf_section(c, scn, &sh, name, &e->btf, &e->btf_len);
			e->btf_off = sh.sh_offset;
		} else if (!strcmp(name, ".BTF.base") && !e->has_base) {
			e->has_base = true;
			err = btfl_elf_section(c, scn, &sh, name, &e->base, &e->base_len);
		}
	}
	return err;
}

int btfl_elf_open(struct btfl_ctx *c, int fd, struct btfl_elf *e)
{
	GElf_Ehdr eh;
	int err;

	memset(e, 0, sizeof(*e));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return btfl_err_libelf(c, "libelf");
	e->elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e->elf)
		return btfl_err_libelf(c, "ELF");
	if (elf_kind(e->elf) != ELF_K_ELF) {
		btfl_elf_close(e);
		return btfl_fail(c, -ENOEXEC, "not BTF or an ELF object");
	}
	if (!gelf_getehdr(e->elf, &eh)) {
		err = btfl_err_libelf(c, "ELF header");
		btfl_elf_close(e);
		return err;
	}
	e->machine = eh.e_machine;
	e->relocatable = eh.e_type == ET_REL;
	e->ptr_size = gelf_getclass(e->elf) == ELFCLASS32 ? 4 : 8;
	err = btfl_elf_scan(c, e);
	if (!err && !e->has_btf)
		err = btfl_fail(c, -ENODATA, "no .BTF section");
	if (err)
		btfl_elf_close(e);
	return err;
}

void btfl_elf_close(struct btfl_elf *e)
{
	if (e->elf)
		elf_end(e->elf);
	e->elf = NULL;
}

bool btfl_elf_has_btf(int fd)
{
	struct btfl_ctx quiet = { .name = "" };
	struct btfl_elf e;

	if (btfl_elf_open(&quiet, fd, &e))
		return false;
	btfl_elf_close(&e);
	return true;
}
