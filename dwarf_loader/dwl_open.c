// SPDX-License-Identifier: GPL-2.0-only
/* Open a file through libdwfl (offline, relocations applied) and convert
 * libdw/libelf/libdwfl errors into one diag line plus a negative errno. */
#include "dwl_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dwl_debuginfo_path;	/* default search path; never written */

/*
 * Offline session: dwfl_report_offline() lays ET_REL sections out at
 * distinct addresses and dwfl_module_getdwarf() applies the .rela.debug_*
 * relocations against that layout; separate debuginfo and dwz alt files are
 * found by the standard callback.
 */
static const Dwfl_Callbacks dwl_offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &dwl_debuginfo_path,
};

__attribute__((format(printf, 3, 0)))
static void dwl_vreport(struct dwl_file *f, const char *prefix,
			const char *fmt, va_list ap)
{
	char msg[768];

	if (f->reported)
		return;
	f->reported = true;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	diag_report(f->opts->diag, DIAG_ERROR, "%s: %s%s", f->path, prefix, msg);
}

int dwl_fail(struct dwl_file *f, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dwl_vreport(f, "", fmt, ap);
	va_end(ap);
	return err;
}

int dwl_fail_die(struct dwl_unit *u, Dwarf_Off die, int err, const char *fmt, ...)
{
	char prefix[64];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "CU 0x%llx DIE 0x%llx: ",
		 (unsigned long long)u->unit_off, (unsigned long long)die);
	va_start(ap, fmt);
	dwl_vreport(u->f, prefix, fmt, ap);
	va_end(ap);
	return err;
}

/* The one place libdw errors become errno: all of them mean corrupt or
 * unsupported DWARF, except allocation failures. */
int dwl_err_libdw(struct dwl_unit *u, Dwarf_Off die, const char *what)
{
	int e = dwarf_errno();
	const char *msg = dwarf_errmsg(e ? e : -1);

	return dwl_fail_die(u, die, -EIO, "%s: %s", what, msg ? msg : "unknown");
}

int dwl_err_libelf(struct dwl_file *f, const char *what)
{
	int e = elf_errno();
	const char *msg = elf_errmsg(e ? e : -1);

	return dwl_fail(f, -EIO, "%s: %s", what, msg ? msg : "unknown");
}

/* libdwfl folds libelf/libdw errors into its own codes; 'err' is the errno
 * the caller decided for this step (the message says what really broke). */
int dwl_err_libdwfl(struct dwl_file *f, int err, const char *what)
{
	const char *msg = dwfl_errmsg(-1);

	return dwl_fail(f, err, "%s: %s", what, msg ? msg : "unknown");
}

void dwl_warn_die(struct dwl_unit *u, Dwarf_Off die, const char *msg)
{
	diag_report(u->f->opts->diag, DIAG_WARN, "%s: CU 0x%llx DIE 0x%llx: %s",
		    u->f->path, (unsigned long long)u->unit_off,
		    (unsigned long long)die, msg);
}

/* Read the first bytes to tell ELF, gzip and "something else" apart
 * before libdwfl does, so the errno is precise (-ENOEXEC, -ENOENT). */
static int dwl_sniff(struct dwl_file *f, const char *path, bool *gz)
{
	unsigned char magic[4];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return dwl_fail(f, -errno, "cannot open: %s", strerror(errno));
	n = pread(fd, magic, sizeof(magic), 0);
	close(fd);
	if (n < 0)
		return dwl_fail(f, -EIO, "cannot read: %s", strerror(errno));
	*gz = n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b;
	if (*gz)
		return 0;
	if (n < 4 || memcmp(magic, ELFMAG, SELFMAG) != 0)
		return dwl_fail(f, -ENOEXEC, "not an ELF file");
	return 0;
}

/*
 * Report the file to libdwfl. libdwfl (elfutils built with zlib, as Debian
 * ships it) recognises gzip/bzip2/xz input by its magic and decompresses it
 * into memory itself (libdwfl/gzip.c), so foo.ko.gz needs nothing from us;
 * the unit tests load a .gz fixture to keep that true.
 */
static int dwl_report(struct dwl_file *f, const char *path, bool gz)
{
	f->mod = dwfl_report_offline(f->dwfl, path, path, -1);
	if (!f->mod)
		return dwl_err_libdwfl(f, gz ? -ENOEXEC : -EIO, "cannot read ELF");
	if (dwfl_report_end(f->dwfl, NULL, NULL) != 0)
		return dwl_err_libdwfl(f, -EIO, "cannot finish ELF report");
	return 0;
}

/* Header facts every CU records, taken from the main ELF. */
static int dwl_elf_facts(struct dwl_file *f)
{
	GElf_Addr bias;
	GElf_Ehdr ehdr;

	f->elf = dwfl_module_getelf(f->mod, &bias);
	if (!f->elf)
		return dwl_err_libdwfl(f, -EIO, "cannot get ELF");
	if (!gelf_getehdr(f->elf, &ehdr))
		return dwl_err_libelf(f, "bad ELF header");
	if (elf_getshdrstrndx(f->elf, &f->shstrndx) != 0)
		return dwl_err_libelf(f, "no section name table");
	f->machine = ehdr.e_machine;
	f->big_endian = ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
	return 0;
}

/*
 * A cut-off file must fail as corrupt (-EIO), not look like a file without
 * DWARF: libelf reads section headers lazily and libdwfl then just finds no
 * .debug_info. Check that the section header table and every section with
 * file contents lie inside the file. (gzip input is checked by libdwfl's
 * decompressor instead.)
 */
static int dwl_check_truncated(struct dwl_file *f, const char *path)
{
	GElf_Ehdr ehdr;
	struct stat st;
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;

	if (stat(path, &st) != 0)
		return dwl_fail(f, -errno, "cannot stat: %s", strerror(errno));
	if (!gelf_getehdr(f->elf, &ehdr))
		return dwl_err_libelf(f, "bad ELF header");
	if (ehdr.e_shoff > (uint64_t)st.st_size ||
	    (uint64_t)ehdr.e_shnum * ehdr.e_shentsize > (uint64_t)st.st_size - ehdr.e_shoff)
		return dwl_fail(f, -EIO, "truncated: section headers past end of file");
	while ((scn = elf_nextscn(f->elf, scn))) {
		if (!gelf_getshdr(scn, &shdr))
			return dwl_err_libelf(f, "bad section header");
		if (shdr.sh_type == SHT_NOBITS)
			continue;
		if (shdr.sh_offset > (uint64_t)st.st_size ||
		    shdr.sh_size > (uint64_t)st.st_size - shdr.sh_offset)
			return dwl_fail(f, -EIO, "truncated: section %zu past end of file",
					elf_ndxscn(scn));
	}
	return 0;
}

/*
 * After libdw has opened the DWARF: libdw decompresses SHF_COMPRESSED debug
 * sections in place and, when that fails (a corrupt header, a declared size
 * that lies), silently goes on with the compressed bytes, which then fail
 * as nonsense units far away. Say what is wrong instead. And a string
 * section must end with a NUL, or its last string runs off the end.
 */
static int dwl_check_debug_sections(struct dwl_file *f)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	Elf_Data *str = NULL;
	const char *base;
	size_t len;

	while ((scn = elf_nextscn(f->elf, scn))) {
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &shdr))
			return dwl_err_libelf(f, "bad section header");
		name = elf_strptr(f->elf, f->shstrndx, shdr.sh_name);
		if (!name || strncmp(name, ".debug_", 7) || !strcmp(name, ".debug_frame"))
			continue;
		if (shdr.sh_flags & SHF_COMPRESSED)
			return dwl_fail(f, -EIO, "cannot decompress section %s: its compression "
					"header or declared size is wrong", name);
		if (strcmp(name, ".debug_str") && strcmp(name, ".debug_line_str"))
			continue;
		d = elf_getdata(scn, NULL);
		if (d && d->d_buf && d->d_size &&
		    ((const char *)d->d_buf)[d->d_size - 1] != '\0')
			return dwl_fail(f, -EIO, "section %s does not end with a NUL byte", name);
		if (d && d->d_buf && d->d_size && !strcmp(name, ".debug_str"))
			str = d;
	}
	/* dwl_formstring() reads DW_FORM_strp itself when this is the data
	 * libdw reads them from (not so with a separate debug file). */
	base = str ? dwarf_getstring(f->dbg, 0, &len) : NULL;
	if (base && base == (const char *)str->d_buf) {
		f->str_base = base;
		f->str_size = str->d_size;
	}
	return 0;
}

int dwl_file_open(struct dwl_file *f, const char *path)
{
	bool gz = false;
	int err;

	f->path = path;
	hmap_init(&f->skipped);
	hmap_init(&f->tu.sigs);
	err = dwl_sniff(f, path, &gz);
	if (!err)
		err = dwl_strs_new(&f->strs, f->opts->borrow_names);
	if (err)
		return err;
	f->dwfl = dwfl_begin(&dwl_offline_callbacks);
	if (!f->dwfl)
		return dwl_err_libdwfl(f, -ENOMEM, "cannot start libdwfl");
	dwfl_report_begin(f->dwfl);
	err = dwl_report(f, path, gz);
	if (err)
		return err;
	err = dwl_elf_facts(f);
	if (!err && !gz)
		err = dwl_check_truncated(f, path);
	if (err)
		return err;
	f->dbg = dwfl_module_getdwarf(f->mod, &f->bias);
	if (!f->dbg) {
		int e = dwfl_errno();
		const char *msg = dwfl_errmsg(e);

		if (e == 0 || !msg || strstr(msg, "No DWARF"))
			return dwl_fail(f, -ENODATA, "no DWARF debug information");
		return dwl_fail(f, -EIO, "unusable DWARF: %s", msg);
	}
	err = dwl_check_debug_sections(f);
	if (!err)
		err = dwl_tunits_open(f);
	if (!err)
		dwl_mapdrop_arm(f);
	return err;
}

void dwl_file_close(struct dwl_file *f)
{
	dwl_tunits_close(f);
	dwl_strs_free(f->strs);
	f->strs = NULL;
	if (f->dwfl)
		dwfl_end(f->dwfl);
	f->dwfl = NULL;
	f->mod = NULL;
	f->dbg = NULL;
	f->str_base = NULL;
	f->str_size = 0;
	hmap_deinit(&f->skipped);
}

void dwl_count_skipped(struct dwl_file *f, unsigned int tag)
{
	uint64_t n = 0;

	f->stats->nr_skipped++;
	hmap_get(&f->skipped, tag, &n);
	/* Out of memory only loses a statistic. */
	(void)hmap_set(&f->skipped, tag, n + 1);
}
