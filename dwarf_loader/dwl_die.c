// SPDX-License-Identifier: GPL-2.0-only
/* Small DIE attribute readers and btf_decl_tag/btf_type_tag annotations. */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>
#include <string.h>

int dwl_attr_udata(Dwarf_Die *die, unsigned int at, uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;

	if (!dwarf_attr(die, at, &attr))
		return 1;
	if (dwarf_formudata(&attr, &w) != 0)
		return -EIO;
	*ret = w;
	return 0;
}

int dwl_attr_sdata(Dwarf_Die *die, unsigned int at, int64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Sword w;

	if (!dwarf_attr(die, at, &attr))
		return 1;
	if (dwarf_formsdata(&attr, &w) != 0)
		return -EIO;
	*ret = w;
	return 0;
}

/* A missing or unreadable flag is false. */
bool dwl_attr_flag(Dwarf_Die *die, unsigned int at, bool integrate)
{
	Dwarf_Attribute attr;
	bool v = false;

	if (!(integrate ? dwarf_attr_integrate(die, at, &attr)
			: dwarf_attr(die, at, &attr)))
		return false;
	if (dwarf_formflag(&attr, &v) != 0)
		return false;
	return v;
}

/* An interned string attribute; *ret = NULL when absent. */
int dwl_string(struct dwl_unit *u, Dwarf_Die *die, unsigned int at,
	       bool integrate, const char **ret)
{
	Dwarf_Attribute attr;
	const char *s;

	*ret = NULL;
	if (!(integrate ? dwarf_attr_integrate(die, at, &attr)
			: dwarf_attr(die, at, &attr)))
		return 0;
	s = dwl_formstring(u, &attr);
	if (!s)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad string attribute");
	*ret = dwl_intern(u->f->strs, u->cu, s);
	return *ret ? 0 : -ENOMEM;
}

/* An empty DW_AT_name (hostile DWARF; compilers leave the attribute out)
 * is no name, so that nothing downstream sees "" as a name. */
int dwl_name(struct dwl_unit *u, Dwarf_Die *die, bool integrate, const char **ret)
{
	int err = dwl_string(u, die, DW_AT_name, integrate, ret);

	if (!err && *ret && !**ret)
		*ret = NULL;
	return err;
}

/*
 * The byte size of the type DIE 'die' refers to through DW_AT_type,
 * following typedefs and qualifiers by hand (bounded, no recursion). Used
 * for DWARF2-4 bitfields whose member has no DW_AT_byte_size.
 */
int dwl_type_byte_size(struct dwl_unit *u, Dwarf_Die *die, uint64_t *ret)
{
	Dwarf_Die cur = *die, next;
	Dwarf_Attribute attr;
	int i;

	for (i = 0; i < DWL_MAX_CHAIN; i++) {
		if (!dwarf_attr_integrate(&cur, DW_AT_type, &attr))
			return 1;
		if (!dwl_formref_die(u->f, &attr, &next))
			return dwl_err_libdw(u, dwarf_dieoffset(&cur), "bad DW_AT_type");
		cur = next;
		if (dwl_attr_udata(&cur, DW_AT_byte_size, ret) == 0)
			return 0;
		if (dwarf_tag(&cur) == DW_TAG_pointer_type) {
			*ret = dwl_unit_addr_size(&cur, u->addr_size);
			return 0;
		}
	}
	return 1;
}

/* The address size of the unit holding die (types from other units). */
uint8_t dwl_unit_addr_size(Dwarf_Die *die, uint8_t fallback)
{
	Dwarf_Die cudie;
	uint8_t asz = 0;

	if (!dwarf_diecu(die, &cudie, &asz, NULL) || asz == 0)
		return fallback;
	return asz;
}

bool dwl_is_annotation(int tag)
{
	return tag == DWL_TAG_LLVM_annotation || tag == DWL_TAG_GNU_annotation;
}

/*
 * If child is an annotation named 'kind' ("btf_decl_tag"/"btf_type_tag"),
 * append its DW_AT_const_value string to a. Returns 1 when it was one
 * (0 for one with an empty value: hostile DWARF).
 */
int dwl_annot_child(struct dwl_unit *u, Dwarf_Die *child, const char *kind,
		    struct ir_annots *a)
{
	Dwarf_Attribute attr;
	const char *name, *val;

	if (!dwl_is_annotation(dwarf_tag(child)))
		return 0;
	name = dwarf_diename(child);
	if (!name || strcmp(name, kind) != 0)
		return 0;
	if (!dwarf_attr(child, DW_AT_const_value, &attr))
		return 0;
	val = dwl_formstring(u, &attr);
	if (!val)
		return dwl_err_libdw(u, dwarf_dieoffset(child), "bad annotation");
	if (!*val)
		return 0;	/* an empty tag says nothing; BTF cannot hold it */
	if (ir_cu__annot_add(u->cu, a, val))
		return -ENOMEM;
	return 1;
}

/* Collect btf_decl_tag children of die (typedef, var, param, member). */
int dwl_annots_of(struct dwl_unit *u, Dwarf_Die *die, struct ir_annots *a)
{
	Dwarf_Die child;
	int r;

	if (!dwarf_haschildren(die))
		return 0;
	r = dwl_child(u, die, &child);
	while (r == 0) {
		int e = dwl_annot_child(u, &child, "btf_decl_tag", a);

		if (e < 0)
			return e;
		r = dwl_sibling(u, &child, &child);
	}
	if (r < 0)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "cannot read children");
	return 0;
}
