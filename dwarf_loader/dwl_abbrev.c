// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_abbrev: step through DIEs without asking libdw for the same
 * abbreviation again and again.
 *
 * A Dwarf_Die that dwarf_child() or dwarf_siblingof() returns knows only
 * its address: its first use looks its abbreviation code up in the unit's
 * abbreviation hash, which elfutils 0.188 guards with a reader-writer lock
 * (one lock and unlock per DIE, a tenth of the loader's time). A unit uses
 * a few hundred codes, so the loader remembers code -> Dwarf_Abbrev for the
 * unit it is decoding and fills Dwarf_Die.abbrev (a public field of
 * libdw.h, which libdw itself fills the same way and trusts when set)
 * before libdw looks. Only DIEs of that unit, with a one- or two-byte code
 * lying inside the unit, are served; anything else (other units, type
 * units, split units, odd encodings) is left to libdw, so the answers are
 * libdw's own.
 */
#include "dwl_internal.h"

#include <string.h>

void dwl_abbrev_reset(struct dwl_unit *u, Dwarf_Die *cudie, Dwarf_Off unit_end,
		      uint16_t version, uint8_t offset_size)
{
	memset(u->abbrevs, 0, sizeof(u->abbrevs[0]) * (u->abbrev_max + 1));
	memset(u->layout_of, 0, sizeof(u->layout_of[0]) * (u->abbrev_max + 1));
	u->layouts.len = u->specs.len = 0;
	u->abbrev_max = 0;
	u->abbrev_cu = cudie->cu;
	u->abbrev_end = unit_end;
	u->version = version;
	u->offset_size = offset_size;
	u->unit_startp = u->unit_endp = NULL;
	if (unit_end && unit_end > dwarf_dieoffset(cudie) &&
	    dwarf_cuoffset(cudie) <= dwarf_dieoffset(cudie)) {
		u->unit_endp = (const unsigned char *)cudie->addr +
			       (unit_end - dwarf_dieoffset(cudie));
		u->unit_startp = (const unsigned char *)cudie->addr - dwarf_cuoffset(cudie);
		u->abbrev_unit_off = dwarf_dieoffset(cudie) - dwarf_cuoffset(cudie);
	} else {
		u->abbrev_end = 0;
	}
}

unsigned int dwl_abbrev_code(struct dwl_unit *u, Dwarf_Die *die, unsigned int *len)
{
	const unsigned char *p = die->addr;
	unsigned int code;

	if (die->cu != u->abbrev_cu || !u->abbrev_end)
		return 0;
	if (p >= u->unit_endp)
		return 0;
	code = p[0];
	*len = 1;
	if (code & 0x80) {
		if (p + 2 > u->unit_endp || (p[1] & 0x80))
			return 0;
		code = (code & 0x7f) | (unsigned int)p[1] << 7;
		*len = 2;
	}
	return code < DWL_ABBREV_CODES ? code : 0;
}

void dwl_abbrev_fill(struct dwl_unit *u, Dwarf_Die *die)
{
	unsigned int code, len;

	if (die->abbrev)
		return;
	code = dwl_abbrev_code(u, die, &len);
	if (code == 0)
		return;
	if (u->abbrevs[code]) {
		die->abbrev = u->abbrevs[code];
		return;
	}
	if (dwarf_tag(die) == DW_TAG_invalid || !die->abbrev ||
	    die->abbrev == (Dwarf_Abbrev *)-1l)
		return;
	u->abbrevs[code] = die->abbrev;
	if (code > u->abbrev_max)
		u->abbrev_max = code;
}

int dwl_child(struct dwl_unit *u, Dwarf_Die *die, Dwarf_Die *child)
{
	int r = dwl_child_fast(u, die, child);

	if (r == 2)
		r = dwarf_child(die, child);

	if (r == 0)
		dwl_abbrev_fill(u, child);
	return r;
}

int dwl_sibling(struct dwl_unit *u, Dwarf_Die *die, Dwarf_Die *next)
{
	int r = dwl_sibling_fast(u, die, next);

	if (r == 2)
		r = dwarf_siblingof(die, next);

	if (r == 0)
		dwl_abbrev_fill(u, next);
	return r;
}
