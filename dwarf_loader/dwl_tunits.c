// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_tunits: type units in sections libdw does not read.
 *
 * gcc -fdebug-types-section -c puts every type unit of a relocatable object
 * in its own COMDAT group: one .debug_types section each (DWARF 4), or one
 * .debug_info section each (DWARF 5), with its own .rela section. Only the
 * linker merges them. libdw 0.188 reads sections by name, skips those in a
 * group and ignores a second section of a name, so it sees none of these
 * units and every DW_FORM_ref_sig8 into them resolves to nothing.
 *
 * Design:
 *   - libdwfl has already applied every .rela.debug_* section to the Elf in
 *     memory, those of the group sections included (dwfl_module_getdwarf()
 *     relocates each SHT_RELA whose target is a debug section; the unit
 *     tests check names and members that only relocated .debug_str offsets
 *     give). So the bytes of those sections are final and need no
 *     relocation of our own.
 *   - The sections libdw skipped are concatenated, per name, into ONE small
 *     ELF image in memory (header, merged .debug_info and/or .debug_types,
 *     copies of .debug_abbrev, .debug_str, .debug_line, .debug_line_str,
 *     .debug_str_offsets, .debug_addr, section headers, .shstrtab), which
 *     elf_memory() + dwarf_begin_elf() open as a second Dwarf handle owned
 *     by the dwl_file. One image instead of one per section: the shared
 *     sections are copied once, not once per type unit (a kernel object
 *     has thousands), and concatenation is what the linker does too; type
 *     units only refer to their own bytes and, by offset, to the shared
 *     sections, which keep their offsets.
 *   - Every type unit of the main handle and of the image is indexed by
 *     signature (first one wins), and dwl_formref_die() resolves
 *     DW_FORM_ref_sig8 through that index *before* asking libdw. That makes
 *     the resolution canonical: a type unit reached from a CU and from
 *     another type unit is the same DIE, so one type, whatever libdw's own
 *     signature lookup would find in the handle it starts from.
 *   - DIE keys carry the handle in their high bits (dwl_die_key()), so
 *     offsets of the two handles never collide in the offset->id map.
 *   - Each merged section is checked unit by unit against the original
 *     section it came from (struct dwl_span), like .debug_info is.
 *
 * Everything is bounded by the sizes of the sections in the file; a failure
 * is one diag line and -EIO (or -ENOMEM).
 */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/util/vec.h"

#define DWL_TU_HANDLE_SHIFT 62		/* dwl_tu_val(): 0 main, 2 image */
#define DWL_TU_TYPES (1ull << 61)	/* unit lives in .debug_types */
#define DWL_TU_OFF_MASK (DWL_TU_TYPES - 1)
#define DWL_TU_IMAGE 2ull

/* Sections copied whole into the image: what type units point into. */
static const char *const dwl_tu_shared[] = {
	".debug_abbrev", ".debug_str", ".debug_line", ".debug_line_str",
	".debug_str_offsets", ".debug_addr",
};

/* A section of the file that goes into the image. */
struct dwl_tu_part {
	size_t scn;			/* its index in the file */
	const unsigned char *buf;
	uint64_t size;
	uint64_t at;			/* offset in the merged section */
};

/* One section of the image: a merged one (parts) or a shared copy. */
struct dwl_tu_sec {
	const char *name;
	struct { struct dwl_tu_part *v; size_t len, cap; } parts;
	uint64_t size;			/* sum of the parts */
	uint64_t off;			/* file offset in the image */
};

enum { DWL_TU_INFO, DWL_TU_TYPES_SEC, DWL_TU_NR_MERGED };

struct dwl_tu_build {
	struct dwl_tu_sec merged[DWL_TU_NR_MERGED];	/* .debug_info, .debug_types */
	struct dwl_tu_sec shared[sizeof(dwl_tu_shared) / sizeof(dwl_tu_shared[0])];
	int elf_class;
	unsigned char encoding;		/* ELFDATA2LSB/MSB */
	uint16_t machine;
};

static uint64_t dwl_tu_val(uint64_t handle, bool types, Dwarf_Off die)
{
	return handle << DWL_TU_HANDLE_SHIFT | (types ? DWL_TU_TYPES : 0) | die;
}

/* Section bytes, decompressed first if libdw has not done it (it only
 * decompresses the sections it reads). */
static int dwl_tu_bytes(struct dwl_file *f, Elf_Scn *scn, const char *name,
			Elf_Data **ret)
{
	GElf_Shdr sh;
	Elf_Data *d;

	if (!gelf_getshdr(scn, &sh))
		return dwl_err_libelf(f, "bad section header");
	if ((sh.sh_flags & SHF_COMPRESSED) && elf_compress(scn, 0, 0) < 0)
		return dwl_err_libelf(f, "cannot decompress a type unit section");
	d = elf_getdata(scn, NULL);
	/* .zdebug_*: still compressed while the data starts with "ZLIB" (the
	 * name stays the same once libelf has inflated it). */
	if (d && strncmp(name, ".zdebug", 7) == 0 && d->d_size >= 4 &&
	    memcmp(d->d_buf, "ZLIB", 4) == 0) {
		if (elf_compress_gnu(scn, 0, 0) < 0)
			return dwl_err_libelf(f, "cannot decompress a type unit section");
		d = elf_getdata(scn, NULL);
	}
	if (!d)
		return dwl_err_libelf(f, "cannot read a type unit section");
	*ret = d;
	return 0;
}

static int dwl_tu_add_part(struct dwl_file *f, struct dwl_tu_sec *s, Elf_Scn *scn,
			   const char *name)
{
	struct dwl_tu_part *p;
	Elf_Data *d;
	int err = dwl_tu_bytes(f, scn, name, &d);

	if (err)
		return err;
	if (d->d_size == 0)
		return 0;
	if (!d->d_buf || d->d_size > UINT64_MAX / 2 - s->size)
		return dwl_fail(f, -EIO, "bad type unit section [%zu]", elf_ndxscn(scn));
	if (vec_push(&s->parts))
		return -ENOMEM;
	p = vec_last(&s->parts);
	p->scn = elf_ndxscn(scn);
	p->buf = d->d_buf;
	p->size = d->d_size;
	p->at = s->size;
	s->size += d->d_size;
	return 0;
}

/* Which merged section a unit section goes to, or -1 if it is none. */
static int dwl_tu_which(const char *n)
{
	if (strcmp(n, ".debug_info") == 0 || strcmp(n, ".zdebug_info") == 0)
		return DWL_TU_INFO;
	if (strcmp(n, ".debug_types") == 0 || strcmp(n, ".zdebug_types") == 0)
		return DWL_TU_TYPES_SEC;
	return -1;
}

/*
 * Collect the unit sections libdw skips: those in a group, and all but the
 * first of a name. (Should libdw read one of them after all, the signature
 * index still prefers the main handle's copy: nothing is loaded twice.)
 */
static int dwl_tu_collect(struct dwl_file *f, Elf *elf, struct dwl_tu_build *b)
{
	bool seen[DWL_TU_NR_MERGED] = { false, false };
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	int err = 0;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return dwl_err_libelf(f, "no section name table");
	while (!err && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;
		int which;

		if (!gelf_getshdr(scn, &sh))
			return dwl_err_libelf(f, "bad section header");
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		which = n && sh.sh_type != SHT_NOBITS ? dwl_tu_which(n) : -1;
		if (which < 0)
			continue;
		if (!(sh.sh_flags & SHF_GROUP) && !seen[which]) {
			seen[which] = true;	/* the one libdw reads */
			continue;
		}
		err = dwl_tu_add_part(f, &b->merged[which], scn, n);
	}
	return err;
}

/* The shared sections, as libdw reads them (first outside a group). */
static int dwl_tu_shared_secs(struct dwl_file *f, Elf *elf, struct dwl_tu_build *b)
{
	size_t i;

	for (i = 0; i < sizeof(dwl_tu_shared) / sizeof(dwl_tu_shared[0]); i++) {
		struct dwl_tu_sec *s = &b->shared[i];
		Elf_Data *d;
		size_t ndx;
		int err;

		s->name = dwl_tu_shared[i];
		if (dwl_section_data(elf, s->name, NULL, &d, &ndx) != 0)
			continue;
		err = dwl_tu_bytes(f, elf_getscn(elf, ndx), s->name, &d);
		if (!err && d->d_size && vec_push(&s->parts))
			err = -ENOMEM;
		if (err)
			return err;
		if (!d->d_size)
			continue;
		vec_last(&s->parts)->buf = d->d_buf;
		vec_last(&s->parts)->size = d->d_size;
		vec_last(&s->parts)->scn = ndx;
		s->size = d->d_size;
	}
	return 0;
}

static void dwl_tu_build_free(struct dwl_tu_build *b)
{
	size_t i;

	for (i = 0; i < DWL_TU_NR_MERGED; i++)
		vec_free(&b->merged[i].parts);
	for (i = 0; i < sizeof(b->shared) / sizeof(b->shared[0]); i++)
		vec_free(&b->shared[i].parts);
}

/* The non-empty sections of the image, in order, into v; returns how many. */
static size_t dwl_tu_sections(struct dwl_tu_build *b, struct dwl_tu_sec **v)
{
	size_t n = 0, i;

	for (i = 0; i < DWL_TU_NR_MERGED; i++)
		if (b->merged[i].size)
			v[n++] = &b->merged[i];
	for (i = 0; i < sizeof(b->shared) / sizeof(b->shared[0]); i++)
		if (b->shared[i].size)
			v[n++] = &b->shared[i];
	return n;
}

#define DWL_TU_MAX_SECS (DWL_TU_NR_MERGED + sizeof(dwl_tu_shared) / sizeof(dwl_tu_shared[0]))

/* The layout of the image: sizes of the ELF structures for the class. */
struct dwl_tu_layout {
	struct dwl_tu_sec *secs[DWL_TU_MAX_SECS];
	size_t nsecs;			/* data sections (image has nsecs + 2) */
	char shstr[256];		/* "\0.debug_info\0..." */
	size_t shstr_len;
	uint32_t name_off[DWL_TU_MAX_SECS + 1];	/* last: .shstrtab */
	uint64_t shstr_off, shdr_off, total;
	size_t ehdr_size, shdr_size;
};

static void dwl_tu_shstr_add(struct dwl_tu_layout *l, const char *name, uint32_t *off)
{
	size_t len = strlen(name) + 1;	/* names are ours: fit in shstr */

	*off = (uint32_t)l->shstr_len;
	memcpy(l->shstr + l->shstr_len, name, len);
	l->shstr_len += len;
}

static int dwl_tu_layout(struct dwl_file *f, struct dwl_tu_build *b,
			 struct dwl_tu_layout *l)
{
	uint64_t at;
	size_t i;

	l->ehdr_size = b->elf_class == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	l->shdr_size = b->elf_class == ELFCLASS64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	l->nsecs = dwl_tu_sections(b, l->secs);
	l->shstr_len = 1;
	at = l->ehdr_size;
	for (i = 0; i < l->nsecs; i++) {
		dwl_tu_shstr_add(l, l->secs[i]->name, &l->name_off[i]);
		l->secs[i]->off = at;
		if (__builtin_add_overflow(at, l->secs[i]->size, &at))
			return -ENOMEM;
	}
	dwl_tu_shstr_add(l, ".shstrtab", &l->name_off[l->nsecs]);
	l->shstr_off = at;
	if (at > UINT64_MAX / 2)
		return -ENOMEM;
	at = (at + l->shstr_len + 7) & ~7ull;
	l->shdr_off = at;
	l->total = at + (l->nsecs + 2) * l->shdr_size;
	if (b->elf_class == ELFCLASS32 && l->total > UINT32_MAX)
		return dwl_fail(f, -EIO, "type unit sections too large for ELF32");
	if (l->total > SIZE_MAX)
		return -ENOMEM;
	return 0;
}

/* Write n section headers or one ELF header (src, in host form, ELF64
 * layout) at dst in the target's class and byte order. */
static int dwl_tu_xlate(struct dwl_file *f, struct dwl_tu_build *b, void *dst,
			const void *src, Elf_Type type, size_t n)
{
	Elf_Data s = { .d_buf = (void *)src, .d_type = type, .d_version = EV_CURRENT };
	Elf_Data d = { .d_buf = dst, .d_version = EV_CURRENT };
	Elf32_Shdr sh32[DWL_TU_MAX_SECS + 2];
	Elf32_Ehdr eh32;
	size_t i;

	if (b->elf_class == ELFCLASS64) {
		s.d_size = n * (type == ELF_T_EHDR ? sizeof(Elf64_Ehdr) : sizeof(Elf64_Shdr));
		d.d_size = s.d_size;
		return elf64_xlatetof(&d, &s, b->encoding) ? 0
			: dwl_err_libelf(f, "cannot build the type unit image");
	}
	if (type == ELF_T_EHDR) {
		const Elf64_Ehdr *e = src;

		memcpy(eh32.e_ident, e->e_ident, EI_NIDENT);
		eh32.e_type = e->e_type;
		eh32.e_machine = e->e_machine;
		eh32.e_version = e->e_version;
		eh32.e_entry = eh32.e_phoff = eh32.e_flags = 0;
		eh32.e_shoff = (Elf32_Off)e->e_shoff;
		eh32.e_ehsize = sizeof(Elf32_Ehdr);
		eh32.e_phentsize = eh32.e_phnum = 0;
		eh32.e_shentsize = sizeof(Elf32_Shdr);
		eh32.e_shnum = e->e_shnum;
		eh32.e_shstrndx = e->e_shstrndx;
		s.d_buf = &eh32;
		s.d_size = sizeof(eh32);
	} else {
		const Elf64_Shdr *sh = src;

		for (i = 0; i < n; i++) {
			sh32[i] = (Elf32_Shdr){
				.sh_name = sh[i].sh_name, .sh_type = sh[i].sh_type,
				.sh_offset = (Elf32_Off)sh[i].sh_offset,
				.sh_size = (Elf32_Word)sh[i].sh_size,
				.sh_addralign = (Elf32_Word)sh[i].sh_addralign,
			};
		}
		s.d_buf = sh32;
		s.d_size = n * sizeof(Elf32_Shdr);
	}
	d.d_size = s.d_size;
	return elf32_xlatetof(&d, &s, b->encoding) ? 0
		: dwl_err_libelf(f, "cannot build the type unit image");
}

static int dwl_tu_headers(struct dwl_file *f, struct dwl_tu_build *b,
			  struct dwl_tu_layout *l, unsigned char *img)
{
	Elf64_Shdr sh[DWL_TU_MAX_SECS + 2];
	Elf64_Ehdr eh = { 0 };
	size_t i, n = l->nsecs;
	int err;

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = (unsigned char)b->elf_class;
	eh.e_ident[EI_DATA] = b->encoding;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_REL;
	eh.e_machine = b->machine;
	eh.e_version = EV_CURRENT;
	eh.e_ehsize = (Elf64_Half)l->ehdr_size;
	eh.e_shentsize = (Elf64_Half)l->shdr_size;
	eh.e_shoff = l->shdr_off;
	eh.e_shnum = (Elf64_Half)(n + 2);
	eh.e_shstrndx = (Elf64_Half)(n + 1);
	memset(sh, 0, sizeof(sh));
	for (i = 0; i <= n; i++) {
		sh[i + 1].sh_name = l->name_off[i];
		sh[i + 1].sh_type = i < n ? SHT_PROGBITS : SHT_STRTAB;
		sh[i + 1].sh_offset = i < n ? l->secs[i]->off : l->shstr_off;
		sh[i + 1].sh_size = i < n ? l->secs[i]->size : l->shstr_len;
		sh[i + 1].sh_addralign = 1;
	}
	err = dwl_tu_xlate(f, b, img, &eh, ELF_T_EHDR, 1);
	if (!err)
		err = dwl_tu_xlate(f, b, img + l->shdr_off, sh, ELF_T_SHDR, n + 2);
	return err;
}

/* Build the image and open it; on success f->tu owns image, elf and dbg. */
static int dwl_tu_open_image(struct dwl_file *f, struct dwl_tu_build *b)
{
	struct dwl_tu_layout l = { 0 };
	unsigned char *img;
	size_t i, j;
	int err = dwl_tu_layout(f, b, &l);

	if (err)
		return err;
	img = calloc(1, (size_t)l.total);
	if (!img)
		return -ENOMEM;
	for (i = 0; i < l.nsecs; i++)
		for (j = 0; j < l.secs[i]->parts.len; j++) {
			const struct dwl_tu_part *p = &l.secs[i]->parts.v[j];

			memcpy(img + l.secs[i]->off + p->at, p->buf, p->size);
		}
	memcpy(img + l.shstr_off, l.shstr, l.shstr_len);
	err = dwl_tu_headers(f, b, &l, img);
	if (err) {
		free(img);
		return err;
	}
	f->tu.image = img;
	f->tu.elf = elf_memory((char *)img, (size_t)l.total);
	if (!f->tu.elf)
		return dwl_err_libelf(f, "cannot open the type unit image");
	f->tu.dbg = dwarf_begin_elf(f->tu.elf, DWARF_C_READ, NULL);
	if (!f->tu.dbg)
		return dwl_fail(f, -EIO, "cannot read the type units of %zu COMDAT sections: %s",
				b->merged[0].parts.len + b->merged[1].parts.len,
				dwarf_errmsg(-1));
	return 0;
}

/* dwl_scan_units() visitor: remember the type unit whose unit DIE is
 * cudie (first one wins); *(uint64_t *)arg is the handle number. */
static int dwl_tu_index(struct dwl_file *f, Dwarf_Die *cudie, bool types, void *arg)
{
	uint64_t handle = *(uint64_t *)arg;
	Dwarf_Die sub;
	Dwarf_Half version;
	uint64_t sig = 0;
	uint8_t ut = 0;

	if (dwarf_cu_info(cudie->cu, &version, &ut, NULL, &sub, &sig, NULL, NULL) != 0 ||
	    (ut != DW_UT_type && ut != DW_UT_split_type) || !sub.cu)
		return 0;
	if (hmap_get(&f->tu.sigs, sig, NULL))
		return 0;
	return hmap_set(&f->tu.sigs, sig, dwl_tu_val(handle, types, dwarf_dieoffset(&sub)))
		? -ENOMEM : 0;
}

/* The spans of a merged section of the image. */
static int dwl_tu_walk_merged(struct dwl_file *f, struct dwl_tu_sec *s, bool types)
{
	struct { struct dwl_span *v; size_t len, cap; } spans = { 0 };
	const unsigned char *buf;
	size_t i;
	int err;

	if (!s->size)
		return 0;
	buf = (const unsigned char *)f->tu.image + s->off;
	for (i = 0; i < s->parts.len; i++) {
		if (vec_push(&spans)) {
			vec_free(&spans);
			return -ENOMEM;
		}
		*vec_last(&spans) = (struct dwl_span){
			.sec = s->name, .buf = buf, .scn = s->parts.v[i].scn,
			.start = s->parts.v[i].at,
			.end = s->parts.v[i].at + s->parts.v[i].size,
		};
	}
	err = dwl_scan_units(f, f->tu.dbg, types, spans.v, spans.len, dwl_tu_index,
			     &(uint64_t){ DWL_TU_IMAGE });
	vec_free(&spans);
	return err;
}

int dwl_tunits_open(struct dwl_file *f)
{
	struct dwl_tu_build b = { 0 };
	Elf *elf = dwarf_getelf(f->dbg);
	GElf_Ehdr eh;
	bool image;
	int err;

	if (!elf || !gelf_getehdr(elf, &eh))
		return dwl_err_libelf(f, "bad ELF header");
	b.elf_class = gelf_getclass(elf);
	b.encoding = eh.e_ident[EI_DATA];
	b.machine = eh.e_machine;
	b.merged[DWL_TU_INFO].name = ".debug_info";
	b.merged[DWL_TU_TYPES_SEC].name = ".debug_types";
	err = dwl_tu_collect(f, elf, &b);
	image = b.merged[DWL_TU_INFO].size || b.merged[DWL_TU_TYPES_SEC].size;
	if (!err && image)
		err = dwl_tu_shared_secs(f, elf, &b);
	if (!err && image)
		err = dwl_tu_open_image(f, &b);
	/* The main handle's type units first: they win on a duplicate. Index
	 * them only when the image exists (otherwise libdw resolves every
	 * signature itself), but check .debug_types in any case (.debug_info
	 * is checked by dwl_units()). */
	if (!err && image)
		err = dwl_scan_units(f, f->dbg, false, NULL, 0, dwl_tu_index,
				     &(uint64_t){ 0 });
	if (!err)
		err = dwl_scan_units(f, f->dbg, true, NULL, 0,
				     image ? dwl_tu_index : NULL, &(uint64_t){ 0 });
	if (!err && image)
		err = dwl_tu_walk_merged(f, &b.merged[DWL_TU_INFO], false);
	if (!err && image)
		err = dwl_tu_walk_merged(f, &b.merged[DWL_TU_TYPES_SEC], true);
	dwl_tu_build_free(&b);
	return err;
}

void dwl_tunits_close(struct dwl_file *f)
{
	if (f->tu.dbg)
		dwarf_end(f->tu.dbg);
	if (f->tu.elf)
		elf_end(f->tu.elf);
	free(f->tu.image);
	hmap_deinit(&f->tu.sigs);
	memset(&f->tu, 0, sizeof(f->tu));
}

/*
 * dwarf_formref_die(), except that DW_FORM_ref_sig8 goes through the
 * signature index first (see the top of this file). libdw 0.188 has no
 * reader for a ref_sig8 value, so the 8 bytes are read at attr->valp,
 * which libdw has bounds-checked when it found the attribute.
 */
bool dwl_formref_die(struct dwl_file *f, Dwarf_Attribute *attr, Dwarf_Die *ret)
{
	uint64_t val;

	if (f->tu.sigs.len && dwarf_whatform(attr) == DW_FORM_ref_sig8 && attr->valp &&
	    hmap_get(&f->tu.sigs, dwl_read_uint(attr->valp, 8, f->big_endian), &val)) {
		Dwarf *dbg = val >> DWL_TU_HANDLE_SHIFT == DWL_TU_IMAGE ? f->tu.dbg : f->dbg;
		Dwarf_Off off = val & DWL_TU_OFF_MASK;

		if (val & DWL_TU_TYPES)
			return dwarf_offdie_types(dbg, off, ret) != NULL;
		return dwarf_offdie(dbg, off, ret) != NULL;
	}
	return dwarf_formref_die(attr, ret) != NULL;
}
