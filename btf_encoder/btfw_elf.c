// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfw_write_elf_sections(): replace or add named sections of an ELF file
 * through libelf alone, atomically (temporary file + rename).
 *
 * How it works
 *
 *   1. The target is copied byte for byte into a temporary file next to it,
 *      and libelf opens that copy with ELF_C_RDWR. Because of the copy,
 *      every byte we do not write is already the original's.
 *   2. We choose every offset ourselves (ELF_F_LAYOUT), so libelf never
 *      moves a section: a written section that exists and still fits stays
 *      where it was; anything that must move or is new goes to the "tail",
 *      which starts after the last byte a retained header refers to (the ELF
 *      header, the program header table, every segment, every section not
 *      being moved). The tail holds, in order: moved/new sections, the
 *      grown .shstrtab (if new names were needed), and the section header
 *      table (whenever anything moved or was added). New sections get the
 *      next indices, so no existing index shifts (ET_REL sh_link/sh_info).
 *   3. elf_update() writes only what is dirty, but it zero-fills the gaps
 *      in front of a dirty section and after a changed one. Those gaps may
 *      hold bytes no section covers (segment padding, stale data), so after
 *      the update every byte that no header of the new file covers is
 *      copied back from the original; then the file is cut at its new end.
 *   4. fsync, owner and mode, rename (btfw_file.c).
 */
#include <errno.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <unistd.h>

#include "btf_writer.h"
#include "btfw_file.h"

/* One section being written. */
struct wsec {
	const struct btfw_section *sec;
	size_t ndx;		/* its index: existing, or the one it will get */
	bool is_new;		/* not in the file yet */
	bool relocate;		/* goes to the tail (moved or new) */
	GElf_Shdr shdr;		/* the header it will have */
};

/* Everything one write needs; lives on btfw_write_elf_sections()' stack. */
struct welf {
	struct btfw_file f;
	Elf *elf;
	GElf_Ehdr ehdr;
	size_t shnum;		/* sections in the original */
	size_t shstrndx;	/* index of the section name table */
	size_t phnum;
	struct wsec *ws;	/* n entries, in the caller's order */
	size_t n;
	size_t new_shnum;	/* shnum plus the new sections */
	char *strbuf;		/* the grown .shstrtab contents, or NULL */
	size_t strlen_new;	/* its size */
	GElf_Shdr strshdr;	/* .shstrtab's header (updated when grown) */
	bool shdr_move;		/* the section header table goes to the tail */
	GElf_Off shoff;		/* where it goes */
};

static GElf_Off align_up(GElf_Off v, GElf_Xword a)
{
	return a > 1 ? (v + a - 1) / a * a : v;
}

/* Report a libelf failure ("<path>: <what>: <libelf message>"). */
static int elf_fail(struct welf *w, int err, const char *what)
{
	diag_report(w->f.opts->diag, DIAG_ERROR, "%s: %s: %s", w->f.path, what,
		    elf_errmsg(-1));
	return err;
}

/* Report a malformed file ("<path>: malformed ELF file: <why>"); -EINVAL. */
__attribute__((format(printf, 2, 3)))
static int bad_elf(struct welf *w, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	diag_report(w->f.opts->diag, DIAG_ERROR, "%s: malformed ELF file: %s",
		    w->f.path, why);
	return -EINVAL;
}

static bool range_ok(GElf_Off off, GElf_Xword size, GElf_Off file_size)
{
	return off <= file_size && size <= file_size - off;
}

/* Section table, name table and segments must lie within the file. */
static int validate(struct welf *w)
{
	GElf_Off fsize = (GElf_Off)w->f.st.st_size;
	size_t shent = gelf_fsize(w->elf, ELF_T_SHDR, 1, EV_CURRENT);

	if (w->ehdr.e_shoff && (w->ehdr.e_shoff >= fsize || w->shnum == 0))
		return bad_elf(w, "section header table past the end of the file");
	if (w->shnum == 0)
		return bad_elf(w, "no section header table");
	if (!range_ok(w->ehdr.e_shoff, (GElf_Xword)w->shnum * shent, fsize))
		return bad_elf(w, "section header table (%zu entries) past the end of the file",
			       w->shnum);
	if (w->shstrndx == SHN_UNDEF || w->shstrndx >= w->shnum)
		return bad_elf(w, "no section name table (index %zu)", w->shstrndx);
	for (size_t i = 0; i < w->phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(w->elf, (int)i, &ph))
			return elf_fail(w, -EINVAL, "cannot read program header");
		if (!range_ok(ph.p_offset, ph.p_filesz, fsize))
			return bad_elf(w, "segment %zu past the end of the file", i);
	}
	for (size_t i = 1; i < w->shnum; i++) {
		GElf_Shdr sh;

		if (!gelf_getshdr(elf_getscn(w->elf, i), &sh))
			return elf_fail(w, -EINVAL, "cannot read section header");
		if (sh.sh_type != SHT_NOBITS && !range_ok(sh.sh_offset, sh.sh_size, fsize))
			return bad_elf(w, "section %zu past the end of the file", i);
	}
	if (!gelf_getshdr(elf_getscn(w->elf, w->shstrndx), &w->strshdr))
		return elf_fail(w, -EINVAL, "cannot read section header");
	if (w->strshdr.sh_type != SHT_STRTAB)
		return bad_elf(w, "section name table %zu is not SHT_STRTAB", w->shstrndx);
	return 0;
}

static int welf_read(struct welf *w)
{
	int err = btfw_file__step(&w->f, BTFW_STEP_ELF_READ);

	if (err)
		return btfw_file__fail(&w->f, err, "cannot read ELF file");
	if (elf_version(EV_CURRENT) == EV_NONE)
		return elf_fail(w, -EINVAL, "cannot initialise libelf");
	w->elf = elf_begin(w->f.fd, ELF_C_RDWR, NULL);
	if (!w->elf)
		return elf_fail(w, -EINVAL, "cannot read ELF file");
	if (elf_kind(w->elf) != ELF_K_ELF)
		return btfw_file__fail(&w->f, -ENOEXEC, "not an ELF object file");
	if (!gelf_getehdr(w->elf, &w->ehdr))
		return elf_fail(w, -EINVAL, "cannot read ELF header");
	if (elf_getshdrnum(w->elf, &w->shnum) || elf_getshdrstrndx(w->elf, &w->shstrndx) ||
	    elf_getphdrnum(w->elf, &w->phnum))
		return elf_fail(w, -EINVAL, "cannot read ELF header");
	memcpy(w->f.elf_ident, w->ehdr.e_ident, sizeof(w->f.elf_ident));
	w->f.phnum = w->phnum;
	return validate(w);
}

/* Find every existing section the request names; a name twice is an error. */
static int match_existing(struct welf *w)
{
	for (size_t i = 1; i < w->shnum; i++) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(elf_getscn(w->elf, i), &sh))
			return elf_fail(w, -EINVAL, "cannot read section header");
		name = elf_strptr(w->elf, w->shstrndx, sh.sh_name);
		if (!name)
			continue;
		for (size_t k = 0; k < w->n; k++) {
			struct wsec *s = &w->ws[k];

			if (strcmp(name, s->sec->name))
				continue;
			if (s->ndx) {
				diag_report(w->f.opts->diag, DIAG_ERROR,
					    "%s: section %s exists twice", w->f.path, name);
				return -EINVAL;
			}
			s->ndx = i;
			s->shdr = sh;
		}
	}
	return 0;
}

/* Decide, for an existing section, whether it stays or moves. */
static int plan_existing(struct welf *w, struct wsec *s)
{
	const char *why = NULL;

	if (s->shdr.sh_type == SHT_NOBITS)
		why = "has no file contents (SHT_NOBITS)";
	else if (s->shdr.sh_flags & SHF_COMPRESSED)
		why = "is compressed";
	else if (s->ndx == w->shstrndx)
		why = "is the section name table";
	else if (s->sec->len > s->shdr.sh_size && (s->shdr.sh_flags & SHF_ALLOC))
		why = "is loadable (SHF_ALLOC) and would have to grow";
	if (why) {
		diag_report(w->f.opts->diag, DIAG_ERROR, "%s: cannot rewrite section %s: it %s",
			    w->f.path, s->sec->name, why);
		return -EINVAL;
	}
	s->relocate = s->sec->len > s->shdr.sh_size;
	s->shdr.sh_size = s->sec->len;
	return 0;
}

/* Offset of name in the (possibly grown) .shstrtab, adding it if needed. */
static int add_name(struct welf *w, const char *name, const char *old, size_t old_len,
		    GElf_Word *off_ret)
{
	size_t len = strlen(name) + 1;	/* with its NUL */
	const char *tab = w->strbuf ? w->strbuf : old;
	size_t tab_len = w->strbuf ? w->strlen_new : old_len;
	const char *hit = tab_len ? memmem(tab, tab_len, name, len) : NULL;
	char *nb;

	if (hit) {	/* any occurrence ending in NUL is a valid name */
		*off_ret = (GElf_Word)(hit - tab);
		return 0;
	}
	if (tab_len + len > UINT32_MAX)
		return -EFBIG;
	nb = realloc(w->strbuf, tab_len + len);
	if (!nb)
		return -ENOMEM;
	if (!w->strbuf && tab_len)
		memcpy(nb, old, tab_len);
	memcpy(nb + tab_len, name, len);
	w->strbuf = nb;
	w->strlen_new = tab_len + len;
	*off_ret = (GElf_Word)tab_len;
	return 0;
}

/* Header of a section we add. */
static int plan_new(struct welf *w, struct wsec *s, const Elf_Data *strdata)
{
	int err;

	memset(&s->shdr, 0, sizeof(s->shdr));
	err = add_name(w, s->sec->name, strdata->d_buf, strdata->d_size, &s->shdr.sh_name);
	if (err)
		return btfw_file__fail(&w->f, err, "cannot add section name");
	s->shdr.sh_type = SHT_PROGBITS;
	s->shdr.sh_addralign = 4;
	s->shdr.sh_size = s->sec->len;
	s->is_new = true;
	s->relocate = true;
	s->ndx = w->new_shnum++;
	return 0;
}

/* Is section i kept where it is (and so part of the retained image)? */
static bool retained(const struct welf *w, size_t i)
{
	if (i == w->shstrndx && w->strbuf)
		return false;
	for (size_t k = 0; k < w->n; k++)
		if (w->ws[k].ndx == i && w->ws[k].relocate)
			return false;
	return true;
}

/* First byte past everything a retained header refers to. */
static int retained_end(struct welf *w, GElf_Off *end_ret)
{
	GElf_Off end = gelf_fsize(w->elf, ELF_T_EHDR, 1, EV_CURRENT);

	if (w->phnum)
		end = MAX(end, w->ehdr.e_phoff +
			  (GElf_Off)w->phnum * gelf_fsize(w->elf, ELF_T_PHDR, 1, EV_CURRENT));
	for (size_t i = 0; i < w->phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(w->elf, (int)i, &ph))
			return elf_fail(w, -EINVAL, "cannot read program header");
		end = MAX(end, ph.p_offset + ph.p_filesz);
	}
	for (size_t i = 1; i < w->shnum; i++) {
		GElf_Shdr sh;

		if (!gelf_getshdr(elf_getscn(w->elf, i), &sh))
			return elf_fail(w, -EINVAL, "cannot read section header");
		if (sh.sh_type != SHT_NOBITS && retained(w, i))
			end = MAX(end, sh.sh_offset + sh.sh_size);
	}
	*end_ret = end;
	return 0;
}

/* Reject a BTF blob whose magic is in the other byte order than the file. */
static int check_byte_order(struct welf *w, const struct btfw_section *s)
{
	const unsigned char *p = s->data;
	bool le_magic, be_magic;

	if (strncmp(s->name, ".BTF", 4) || s->len < 2)
		return 0;
	le_magic = p[0] == 0x9f && p[1] == 0xeb;
	be_magic = p[0] == 0xeb && p[1] == 0x9f;
	if ((w->ehdr.e_ident[EI_DATA] == ELFDATA2LSB && be_magic) ||
	    (w->ehdr.e_ident[EI_DATA] == ELFDATA2MSB && le_magic)) {
		diag_report(w->f.opts->diag, DIAG_ERROR,
			    "%s: section %s: BTF byte order differs from the ELF file's",
			    w->f.path, s->name);
		return -EINVAL;
	}
	return 0;
}

/* The marker the kernel's module loader looks for at the end of a file. */
static const char module_sig_magic[] = "~Module signature appended~\n";

/*
 * Data appended after the ELF image (a module signature, a firmware blob)
 * is not ours to drop or to invalidate: refuse a file that ends with a
 * module signature, and a rewrite that would move the section headers over
 * appended bytes.
 */
static int check_appended(struct welf *w)
{
	GElf_Off fsize = (GElf_Off)w->f.st.st_size, end = 0;
	size_t mlen = sizeof(module_sig_magic) - 1;
	char tail[sizeof(module_sig_magic)];

	if (fsize >= mlen) {
		int err = btfw_file__read_target(&w->f, tail, mlen, (off_t)(fsize - mlen));

		if (err)
			return btfw_file__fail(&w->f, err, "cannot read");
		if (!memcmp(tail, module_sig_magic, mlen)) {
			diag_report(w->f.opts->diag, DIAG_ERROR,
				    "%s: has an appended module signature that any rewrite would "
				    "invalidate; remove it (objcopy FILE drops it), encode, then "
				    "sign again", w->f.path);
			return -EINVAL;
		}
	}
	if (!w->shdr_move)
		return 0;
	end = w->ehdr.e_shoff + w->shnum * gelf_fsize(w->elf, ELF_T_SHDR, 1, EV_CURRENT);
	for (size_t i = 1; i < w->shnum; i++) {
		GElf_Shdr sh;

		if (!gelf_getshdr(elf_getscn(w->elf, i), &sh))
			return elf_fail(w, -EINVAL, "cannot read section header");
		if (sh.sh_type != SHT_NOBITS)
			end = MAX(end, sh.sh_offset + sh.sh_size);
	}
	for (size_t i = 0; i < w->phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(w->elf, (int)i, &ph))
			return elf_fail(w, -EINVAL, "cannot read program header");
		end = MAX(end, ph.p_offset + ph.p_filesz);
	}
	if (end < fsize) {
		diag_report(w->f.opts->diag, DIAG_ERROR,
			    "%s: %llu bytes appended after the ELF image would be lost by "
			    "moving sections; remove them first", w->f.path,
			    (unsigned long long)(fsize - end));
		return -EINVAL;
	}
	return 0;
}

/* Lay out the tail: moved/new sections, grown .shstrtab, section headers. */
static int plan_tail(struct welf *w)
{
	GElf_Off cur;
	int err;

	w->shdr_move = w->strbuf || w->new_shnum != w->shnum;
	for (size_t k = 0; k < w->n; k++)
		w->shdr_move |= w->ws[k].relocate;
	err = check_appended(w);
	if (err || !w->shdr_move)
		return err;
	err = retained_end(w, &cur);
	if (err)
		return err;
	for (size_t k = 0; k < w->n; k++) {
		struct wsec *s = &w->ws[k];

		if (!s->relocate)
			continue;
		s->shdr.sh_offset = align_up(cur, s->shdr.sh_addralign);
		cur = s->shdr.sh_offset + s->shdr.sh_size;
	}
	if (w->strbuf) {
		w->strshdr.sh_offset = align_up(cur, w->strshdr.sh_addralign);
		w->strshdr.sh_size = w->strlen_new;
		cur = w->strshdr.sh_offset + w->strshdr.sh_size;
	}
	w->shoff = align_up(cur, w->ehdr.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4);
	return 0;
}

static int welf_plan(struct welf *w)
{
	Elf_Data *strdata;
	int err = btfw_file__step(&w->f, BTFW_STEP_SECTION_ADD);

	if (err)
		return btfw_file__fail(&w->f, err, "cannot add sections");
	err = match_existing(w);
	if (err)
		return err;
	strdata = elf_getdata(elf_getscn(w->elf, w->shstrndx), NULL);
	if (!strdata)
		return elf_fail(w, -EINVAL, "cannot read section name table");
	w->new_shnum = w->shnum;
	for (size_t k = 0; k < w->n && !err; k++) {
		err = check_byte_order(w, w->ws[k].sec);
		if (!err)
			err = w->ws[k].ndx ? plan_existing(w, &w->ws[k])
					   : plan_new(w, &w->ws[k], strdata);
	}
	if (err)
		return err;
	if (w->strbuf && (w->strshdr.sh_flags & SHF_ALLOC)) {
		diag_report(w->f.opts->diag, DIAG_ERROR,
			    "%s: cannot add section names: the section name table is loadable",
			    w->f.path);
		return -EINVAL;
	}
	return plan_tail(w);
}

/* Point a section's (only) data block at new bytes and mark it dirty. */
static int set_data(struct welf *w, Elf_Scn *scn, const void *buf, size_t len, bool fresh)
{
	Elf_Data *d = fresh ? NULL : elf_getdata(scn, NULL);

	if (!d)
		d = elf_newdata(scn);
	if (!d)
		return elf_fail(w, -ENOMEM, "cannot add section data");
	d->d_buf = (void *)buf;	/* only read by elf_update() */
	d->d_size = len;
	d->d_off = 0;
	d->d_type = ELF_T_BYTE;
	d->d_align = 1;
	d->d_version = EV_CURRENT;
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

/* Make the planned headers and data libelf's. */
static int welf_apply(struct welf *w)
{
	for (size_t k = 0; k < w->n; k++) {
		struct wsec *s = &w->ws[k];
		Elf_Scn *scn = s->is_new ? elf_newscn(w->elf) : elf_getscn(w->elf, s->ndx);
		int err;

		if (!scn || elf_ndxscn(scn) != s->ndx)
			return elf_fail(w, -ENOMEM, "cannot add section");
		err = set_data(w, scn, s->sec->data, s->sec->len, s->is_new);
		if (err)
			return err;
		if (!gelf_update_shdr(scn, &s->shdr))
			return elf_fail(w, -EINVAL, "cannot update section header");
	}
	if (w->strbuf) {
		Elf_Scn *scn = elf_getscn(w->elf, w->shstrndx);
		int err = set_data(w, scn, w->strbuf, w->strlen_new, false);

		if (err)
			return err;
		if (!gelf_update_shdr(scn, &w->strshdr))
			return elf_fail(w, -EINVAL, "cannot update section header");
	}
	if (!w->shdr_move)
		return 0;
	w->ehdr.e_shoff = w->shoff;
	if (w->new_shnum >= SHN_LORESERVE || w->ehdr.e_shnum == 0) {
		/* Extended numbering: the count lives in section 0's sh_size. */
		Elf_Scn *scn0 = elf_getscn(w->elf, 0);
		GElf_Shdr sh0;

		if (!gelf_getshdr(scn0, &sh0))
			return elf_fail(w, -EINVAL, "cannot read section header");
		sh0.sh_size = w->new_shnum;
		if (!gelf_update_shdr(scn0, &sh0))
			return elf_fail(w, -EINVAL, "cannot update section header");
		w->ehdr.e_shnum = 0;
	} else {
		w->ehdr.e_shnum = (GElf_Half)w->new_shnum;
	}
	if (!gelf_update_ehdr(w->elf, &w->ehdr))
		return elf_fail(w, -EINVAL, "cannot update ELF header");
	return 0;
}

struct span {
	GElf_Off start, end;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Put back the original bytes of every gap (below limit) that no header of
 * the new file covers; elf_update() may have zero-filled some of them.
 */
static int restore_gaps(struct welf *w, GElf_Off limit)
{
	size_t shnum = w->new_shnum, n = 0;
	struct span *sp = calloc(shnum + 2, sizeof(*sp));
	GElf_Off pos = 0;
	int err = 0;

	if (!sp)
		return -ENOMEM;
	sp[n++] = (struct span){ 0, gelf_fsize(w->elf, ELF_T_EHDR, 1, EV_CURRENT) };
	sp[n].start = w->ehdr.e_shoff;
	sp[n++].end = w->ehdr.e_shoff + shnum * gelf_fsize(w->elf, ELF_T_SHDR, 1, EV_CURRENT);
	for (size_t i = 1; i < shnum; i++) {
		GElf_Shdr sh;

		if (!gelf_getshdr(elf_getscn(w->elf, i), &sh)) {
			err = -EINVAL;
			goto out;
		}
		if (sh.sh_type != SHT_NOBITS)
			sp[n++] = (struct span){ sh.sh_offset, sh.sh_offset + sh.sh_size };
	}
	qsort(sp, n, sizeof(*sp), span_cmp);
	for (size_t i = 0; i <= n && !err && pos < limit; i++) {
		GElf_Off next = i < n ? MIN(sp[i].start, limit) : limit;

		if (next > pos)
			err = btfw_file__copy_range(&w->f, (off_t)pos, (off_t)(next - pos));
		if (i < n)
			pos = MAX(pos, sp[i].end);
	}
out:
	free(sp);
	return err;
}

static int welf_write(struct welf *w)
{
	GElf_Off old_size = (GElf_Off)w->f.st.st_size, new_size = old_size;
	off_t size;
	int err = btfw_file__step(&w->f, BTFW_STEP_WRITE);

	if (err)
		return btfw_file__fail(&w->f, err, "cannot write temporary file");
	/*
	 * ELF_F_DIRTY on the whole file: without it libelf writes the section
	 * header table from the array it read, which has no room for added
	 * sections. It also rewrites the ELF and program headers (same values)
	 * and zero-fills more gaps; restore_gaps() undoes the latter.
	 */
	elf_flagelf(w->elf, ELF_C_SET, ELF_F_LAYOUT | ELF_F_PERMISSIVE | ELF_F_DIRTY);
	errno = 0;
	size = elf_update(w->elf, ELF_C_WRITE);
	if (size < 0) {
		if (errno)
			return btfw_file__fail(&w->f, -errno, "cannot write temporary file");
		return elf_fail(w, -EIO, "cannot write temporary file");
	}
	if (w->shdr_move)
		new_size = (GElf_Off)size;
	err = restore_gaps(w, MIN(old_size, new_size));
	if (!err && w->shdr_move && ftruncate(w->f.fd, (off_t)new_size))
		err = -errno;
	if (err)
		return btfw_file__fail(&w->f, err, "cannot write temporary file");
	return 0;
}

static int check_request(const char *path, const struct btfw_section *secs, size_t n,
			 const struct btfw_opts *opts)
{
	const char *why = NULL;

	if (!path || !secs || n == 0)
		why = "no file or no sections";
	for (size_t k = 0; !why && k < n; k++) {
		if (!secs[k].name || !secs[k].name[0])
			why = "a section without a name";
		else if (!secs[k].data && secs[k].len)
			why = "a section without data";
		for (size_t j = 0; !why && j < k; j++)
			if (!strcmp(secs[j].name, secs[k].name))
				why = "a section named twice";
	}
	if (!why)
		return 0;
	diag_report(opts->diag, DIAG_ERROR, "%s: cannot write sections: %s",
		    path ? path : "(null)", why);
	return -EINVAL;
}

int btfw_write_elf_sections(const char *path, const struct btfw_section *secs,
			    size_t n, const struct btfw_opts *opts)
{
	static const struct btfw_opts no_opts;
	struct welf w = { .n = n };
	int err;

	if (!opts)
		opts = &no_opts;
	err = check_request(path, secs, n, opts);
	if (err)
		return err;
	w.ws = calloc(n, sizeof(*w.ws));
	if (!w.ws)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++)
		w.ws[k].sec = &secs[k];
	err = btfw_file__open(&w.f, path, true, opts);
	if (!err)
		err = btfw_file__create_temp(&w.f, 0600);
	if (!err)
		err = btfw_file__copy(&w.f);
	if (!err)
		err = welf_read(&w);
	if (!err)
		err = welf_plan(&w);
	if (!err)
		err = welf_apply(&w);
	if (!err)
		err = welf_write(&w);
	if (w.elf) {
		elf_end(w.elf);	/* before the descriptor goes */
		w.elf = NULL;
	}
	if (!err)
		err = btfw_verify_elf(&w.f, secs, n);
	if (!err)
		err = btfw_file__commit(&w.f);
	btfw_file__close(&w.f);
	free(w.strbuf);
	free(w.ws);
	return err;
}

int btfw_write_elf(const char *path, const void *btf, size_t len,
		   const struct btfw_opts *opts)
{
	const struct btfw_section sec = { .name = ".BTF", .data = btf, .len = len };

	return btfw_write_elf_sections(path, &sec, 1, opts);
}
