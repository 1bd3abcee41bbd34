// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_sections: find the section data libdw reads and check that its units
 * fill it exactly.
 *
 * dwarf_next_unit() trusts unit_length: a length running past the end of the
 * section makes the *next* call return 1, "no more units", exactly like the
 * genuine end, and so does a tail of 1-4 bytes. A corrupt first length would
 * thus hide every later unit and the file would load "fine" with part of its
 * types. So every unit's length is read here from the section bytes and
 * checked against its span before the unit is used, and once the iteration
 * says "no more units" it must stand exactly at the end of the span.
 */
#include "dwl_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ".debug_info" matches ".debug_info" and the GNU-compressed ".zdebug_info". */
static bool dwl_section_name_is(const char *n, const char *name)
{
	if (strcmp(n, name) == 0)
		return true;
	return strncmp(n, ".z", 2) == 0 && strcmp(n + 2, name + 1) == 0;
}

static bool dwl_data_holds(const Elf_Data *d, const void *p)
{
	const unsigned char *b = d->d_buf, *q = p;

	return b && q >= b && (size_t)(q - b) < d->d_size;
}

/*
 * The data of section 'name' that holds address 'inside' (a pointer libdw
 * handed out, e.g. Dwarf_Die.addr, so this finds exactly the section libdw
 * reads whatever its rule for duplicates), or with inside == NULL the first
 * one outside a section group (libdw's rule). Returns 0 and *ret (and
 * *scn_ret if non-NULL), or 1 when there is none.
 */
int dwl_section_data(Elf *elf, const char *name, const void *inside,
		     Elf_Data **ret, size_t *scn_ret)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0)
		return 1;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!n || !dwl_section_name_is(n, name))
			continue;
		if (!inside && (sh.sh_flags & SHF_GROUP))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || (inside && !dwl_data_holds(d, inside)))
			continue;
		*ret = d;
		if (scn_ret)
			*scn_ret = elf_ndxscn(scn);
		return 0;
	}
	return 1;
}

static const char *dwl_unit_label(const struct dwl_span *sp)
{
	return strcmp(sp->sec, ".debug_types") == 0 ? "TU" : "CU";
}

/* ".debug_types" or ".debug_types [27]" (a section libdw did not read). */
static void dwl_span_name(const struct dwl_span *sp, char *buf, size_t len)
{
	if (sp->scn)
		snprintf(buf, len, "%s [%zu]", sp->sec, sp->scn);
	else
		snprintf(buf, len, "%s", sp->sec);
}

/*
 * The unit at 'off' (inside sp) must lie wholly inside sp. Offsets and the
 * size in messages are relative to the start of the span, i.e. the offsets
 * readelf shows for that section.
 */
int dwl_unit_fits(struct dwl_file *f, const struct dwl_span *sp, uint64_t off)
{
	uint64_t rel = off - sp->start, size = sp->end - sp->start, room, len;
	unsigned int hdr = 4;
	char name[48];

	dwl_span_name(sp, name, sizeof(name));
	room = off <= sp->end ? sp->end - off : 0;
	if (off < sp->start || room < 4)
		return dwl_fail(f, -EIO, "%s 0x%llx: unit header runs past the end of %s (size 0x%llx)",
				dwl_unit_label(sp), (unsigned long long)rel, name,
				(unsigned long long)size);
	len = dwl_read_uint(sp->buf + off, 4, f->big_endian);
	if (len == 0xffffffffu) {	/* 64-bit DWARF: the length follows */
		hdr = 12;
		if (room < 12)
			return dwl_fail(f, -EIO, "%s 0x%llx: unit header runs past the end of %s (size 0x%llx)",
					dwl_unit_label(sp), (unsigned long long)rel, name,
					(unsigned long long)size);
		len = dwl_read_uint(sp->buf + off + 4, 8, f->big_endian);
	} else if (len >= 0xfffffff0u) {
		return dwl_fail(f, -EIO, "%s 0x%llx: reserved unit length 0x%llx in %s",
				dwl_unit_label(sp), (unsigned long long)rel,
				(unsigned long long)len, name);
	}
	if (len > room - hdr)
		return dwl_fail(f, -EIO, "%s 0x%llx: unit length 0x%llx runs past the end of %s (size 0x%llx)",
				dwl_unit_label(sp), (unsigned long long)rel,
				(unsigned long long)len, name, (unsigned long long)size);
	return 0;
}

/* The unit iteration ended at 'off': that must be the end of the span, or
 * the bytes after the last unit are garbage libdw silently ignored. */
int dwl_span_done(struct dwl_file *f, const struct dwl_span *sp, uint64_t off)
{
	char name[48];

	if (off == sp->end)
		return 0;
	dwl_span_name(sp, name, sizeof(name));
	if (off > sp->end)	/* cannot happen after dwl_unit_fits() */
		return dwl_fail(f, -EIO, "units run past the end of %s", name);
	return dwl_fail(f, -EIO, "%llu bytes at 0x%llx after the last unit of %s (size 0x%llx) are not a unit",
			(unsigned long long)(sp->end - off),
			(unsigned long long)(off - sp->start), name,
			(unsigned long long)(sp->end - sp->start));
}

static int dwl_scan_bad_header(struct dwl_file *f, bool types, Dwarf_Off off)
{
	return dwl_fail(f, -EIO, "%s 0x%llx: bad unit header: %s", types ? "TU" : "CU",
			(unsigned long long)off, dwarf_errmsg(-1));
}

/* The span of the section libdw read, found from a DIE it handed out. */
static int dwl_scan_own_span(struct dwl_file *f, Dwarf *dbg, Dwarf_Die *cudie,
			     Dwarf_Off off, struct dwl_span *sp)
{
	Elf_Data *d;

	if (dwl_section_data(dwarf_getelf(dbg), sp->sec, cudie->addr, &d, NULL))
		return dwl_fail(f, -EIO, "%s 0x%llx: cannot find its %s section",
				dwl_unit_label(sp), (unsigned long long)off, sp->sec);
	sp->buf = d->d_buf;
	sp->start = 0;
	sp->end = d->d_size;
	return 0;
}

/*
 * Check every unit header of .debug_info (or .debug_types) of handle dbg,
 * before any unit is used: each unit lies inside its span, and the units
 * end exactly at the end of the last span. spans: the parts of a merged
 * section (dwl_tunits.c), or NULL for the section libdw read. visit (may
 * be NULL) is called with each unit DIE; its error stops the scan.
 */
int dwl_scan_units(struct dwl_file *f, Dwarf *dbg, bool types,
		   const struct dwl_span *spans, size_t nspans,
		   dwl_unit_visit_fn visit, void *arg)
{
	struct dwl_span own = { .sec = types ? ".debug_types" : ".debug_info" };
	Dwarf_Off off = 0, next;
	size_t hsize, k = 0;
	uint64_t sig;
	int r, err;

	while ((r = dwarf_next_unit(dbg, off, &next, &hsize, NULL, NULL, NULL,
				    NULL, types ? &sig : NULL, NULL)) == 0) {
		Dwarf_Die cudie, *ok;

		ok = types ? dwarf_offdie_types(dbg, off + hsize, &cudie)
			   : dwarf_offdie(dbg, off + hsize, &cudie);
		if (!ok)
			return dwl_scan_bad_header(f, types, off);
		if (!spans) {
			err = dwl_scan_own_span(f, dbg, &cudie, off, &own);
			if (err)
				return err;
			spans = &own;
			nspans = 1;
		}
		while (k + 1 < nspans && off >= spans[k].end)
			k++;
		err = dwl_unit_fits(f, &spans[k], off);
		if (!err && visit)
			err = visit(f, &cudie, types, arg);
		if (err)
			return err;
		off = next;
	}
	if (r < 0)
		return dwl_scan_bad_header(f, types, off);
	if (!spans) {
		Elf_Data *d;

		/* No unit at all: whatever the section holds is not one. */
		if (dwl_section_data(dwarf_getelf(dbg), own.sec, NULL, &d, NULL) != 0)
			return 0;
		own.buf = d->d_buf;
		own.end = d->d_size;
		return dwl_span_done(f, &own, off);
	}
	while (k + 1 < nspans && off >= spans[k].end)
		k++;
	return dwl_span_done(f, &spans[k], off);
}
