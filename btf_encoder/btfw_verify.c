// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verify step: before a temporary file may replace the target, read it
 * back from disk and check that it is what we meant to write. A short
 * write, a libelf layout surprise or a file system that lies ends here,
 * with the target untouched.
 */
#include <errno.h>
#include <gelf.h>
#include <string.h>
#include <sys/stat.h>

#include "btfw_file.h"

static int verify_fail(struct btfw_file *f, const char *why)
{
	diag_report(f->opts->diag, DIAG_ERROR,
		    "%s: the temporary file did not verify (%s); the file is unchanged",
		    f->path, why);
	return -EIO;
}

static int verify_step(struct btfw_file *f)
{
	int err = btfw_file__step(f, BTFW_STEP_VERIFY);

	return err ? btfw_file__fail(f, err, "cannot verify temporary file") : 0;
}

int btfw_verify_raw(struct btfw_file *f, const void *data, size_t len)
{
	struct stat st;
	int err = verify_step(f);

	if (err)
		return err;
	if (fstat(f->fd, &st))
		return btfw_file__fail(f, -errno, "cannot verify temporary file");
	if ((size_t)st.st_size != len)
		return verify_fail(f, "wrong size");
	err = btfw_file__check_range(f, data, len, 0);
	if (err == -EIO)
		return verify_fail(f, "contents differ");
	return err ? btfw_file__fail(f, err, "cannot verify temporary file") : 0;
}

/* Find section name in elf; 0 and *shdr if exactly one has it. */
static int find_one(Elf *elf, size_t shnum, size_t shstrndx, const char *name,
		    GElf_Shdr *shdr)
{
	int found = 0;

	for (size_t i = 1; i < shnum; i++) {
		GElf_Shdr sh;
		const char *n;

		if (!gelf_getshdr(elf_getscn(elf, i), &sh))
			return -EIO;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && !strcmp(n, name)) {
			*shdr = sh;
			found++;
		}
	}
	return found == 1 ? 0 : -EIO;
}

static int verify_elf(struct btfw_file *f, Elf *elf, const struct btfw_section *secs,
		      size_t n, const char **why)
{
	size_t shnum, shstrndx, phnum;
	struct stat st;
	GElf_Ehdr eh;

	*why = "not a readable ELF file";
	if (fstat(f->fd, &st) || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) ||
	    elf_getshdrnum(elf, &shnum) || elf_getshdrstrndx(elf, &shstrndx) ||
	    elf_getphdrnum(elf, &phnum))
		return -EIO;
	*why = "the header changed";
	if (memcmp(eh.e_ident, f->elf_ident, sizeof(f->elf_ident)) || phnum != f->phnum)
		return -EIO;
	*why = "a section lies past the end of the file";
	for (size_t i = 1; i < shnum; i++) {
		GElf_Shdr sh;

		if (!gelf_getshdr(elf_getscn(elf, i), &sh))
			return -EIO;
		if (sh.sh_type != SHT_NOBITS &&
		    (sh.sh_offset > (GElf_Off)st.st_size ||
		     sh.sh_size > (GElf_Off)st.st_size - sh.sh_offset))
			return -EIO;
	}
	for (size_t k = 0; k < n; k++) {
		GElf_Shdr sh;
		int err;

		*why = "a written section is missing or twice";
		if (find_one(elf, shnum, shstrndx, secs[k].name, &sh))
			return -EIO;
		*why = "a written section has the wrong contents";
		if (sh.sh_size != secs[k].len)
			return -EIO;
		err = btfw_file__check_range(f, secs[k].data, secs[k].len, (off_t)sh.sh_offset);
		if (err)
			return err;
	}
	return 0;
}

int btfw_verify_elf(struct btfw_file *f, const struct btfw_section *secs, size_t n)
{
	const char *why = NULL;
	Elf *elf;
	int err = verify_step(f);

	if (err)
		return err;
	elf = elf_begin(f->fd, ELF_C_READ, NULL);
	if (!elf)
		return verify_fail(f, elf_errmsg(-1));
	err = verify_elf(f, elf, secs, n, &why);
	elf_end(elf);
	if (err == -EIO)
		return verify_fail(f, why);
	return err ? btfw_file__fail(f, err, "cannot verify temporary file") : 0;
}
