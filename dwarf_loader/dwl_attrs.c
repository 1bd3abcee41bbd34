// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_attrs: read the attributes of a DIE that the decoders want in one
 * pass.
 *
 * Each dwarf_attr() call scans the DIE from its start, decoding the form
 * of every attribute before the one asked for; a member asked for its name,
 * type, offset, bit size, alignment and flags is scanned eight times or so.
 * dwl_attrs_read() walks the attributes once (dwarf_getattrs) and keeps
 * those of enum dwl_at; reading a kept attribute is then as cheap as a
 * form decode. The answers are those of dwarf_attr(): the first attribute
 * of a name wins, and an attribute after one libdw cannot decode is absent
 * (dwarf_attr() finds nothing past it either).
 */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>

static int dwl_at_slot(unsigned int at)
{
	switch (at) {
	case DW_AT_name: return DWL_A_NAME;
	case DW_AT_type: return DWL_A_TYPE;
	case DW_AT_byte_size: return DWL_A_BYTE_SIZE;
	case DW_AT_bit_size: return DWL_A_BIT_SIZE;
	case DW_AT_data_bit_offset: return DWL_A_DATA_BIT_OFFSET;
	case DW_AT_data_member_location: return DWL_A_DATA_MEMBER_LOCATION;
	case DW_AT_bit_offset: return DWL_A_BIT_OFFSET;
	case DW_AT_alignment: return DWL_A_ALIGNMENT;
	case DW_AT_declaration: return DWL_A_DECLARATION;
	case DW_AT_external: return DWL_A_EXTERNAL;
	case DW_AT_encoding: return DWL_A_ENCODING;
	case DW_AT_signature: return DWL_A_SIGNATURE;
	default: return -1;
	}
}

static int dwl_attrs_cb(Dwarf_Attribute *attr, void *arg)
{
	struct dwl_attrs *a = arg;
	int slot = dwl_at_slot(dwarf_whatattr(attr));

	if (slot >= 0 && !(a->have & (1u << slot))) {
		a->have |= 1u << slot;
		a->v[slot] = *attr;
	}
	return DWARF_CB_OK;
}

void dwl_attrs_read(Dwarf_Die *die, struct dwl_attrs *a)
{
	a->have = 0;
	/* An error ends the pass: what follows stays absent, as it would be
	 * for dwarf_attr(). */
	(void)dwarf_getattrs(die, dwl_attrs_cb, a, 0);
}

int dwl_a_udata(struct dwl_attrs *a, int slot, uint64_t *ret)
{
	Dwarf_Word w;

	if (!(a->have & (1u << slot)))
		return 1;
	if (dwarf_formudata(&a->v[slot], &w) != 0)
		return -EIO;
	*ret = w;
	return 0;
}

int dwl_a_sdata(struct dwl_attrs *a, int slot, int64_t *ret)
{
	Dwarf_Sword w;

	if (!(a->have & (1u << slot)))
		return 1;
	if (dwarf_formsdata(&a->v[slot], &w) != 0)
		return -EIO;
	*ret = w;
	return 0;
}

bool dwl_a_flag(struct dwl_attrs *a, int slot)
{
	bool v = false;

	if (!(a->have & (1u << slot)))
		return false;
	if (dwarf_formflag(&a->v[slot], &v) != 0)
		return false;
	return v;
}

int dwl_a_name(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
	       const char **ret)
{
	const char *s;

	*ret = NULL;
	if (!(a->have & (1u << DWL_A_NAME)))
		return 0;
	s = dwarf_formstring(&a->v[DWL_A_NAME]);
	if (!s)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad string attribute");
	*ret = dwl_intern(u->f->strs, u->cu, s);
	return *ret ? 0 : -ENOMEM;
}
