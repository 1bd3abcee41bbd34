// SPDX-License-Identifier: GPL-2.0-only
/* Variables with static storage: address, ELF section and offset in it. */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>

/*
 * Whether a DW_AT_location surely holds no static address, as
 * dwl_var_addr() would find through dwarf_getlocation(): a location list
 * (a register or stack variable: most of a function's locals), or an
 * expression that does not start with an address operation. Anything
 * else is left to libdw.
 */
static bool dwl_loc_no_addr(Dwarf_Attribute *attr)
{
	Dwarf_Block b;

	switch (dwarf_whatform(attr)) {
	case DW_FORM_sec_offset:
	case DW_FORM_loclistx:
		return true;
	case DW_FORM_exprloc:
		if (dwarf_formblock(attr, &b) != 0)
			return false;
		return b.length == 0 || (b.data[0] != DW_OP_addr && b.data[0] != DW_OP_addrx &&
					 b.data[0] != DW_OP_GNU_addr_index);
	default:
		return false;
	}
}

/*
 * The static address of a variable (a: its attributes): a location that
 * is exactly DW_OP_addr (or DW_OP_addrx/GNU_addr_index via .debug_addr).
 * TLS variables (addr + form_tls_address) have an offset, not an address,
 * and report *tls. Returns 0 with an address, 1 when there is none.
 */
static int dwl_var_addr(struct dwl_unit *u, Dwarf_Die *die, const struct dwl_attrs *a,
			Dwarf_Addr *addr, bool *tls)
{
	Dwarf_Attribute attr, res;
	Dwarf_Op *ops;
	size_t n;

	*tls = false;
	if (!dwl_a_attr(die, a, DWL_A_LOCATION, DW_AT_location, &attr) ||
	    dwl_loc_no_addr(&attr))
		return 1;
	/* A location list means a register/stack variable: no address. */
	if (dwarf_getlocation(&attr, &ops, &n) != 0 || n == 0)
		return 1;
	if (n == 2 && (ops[1].atom == DW_OP_form_tls_address ||
		       ops[1].atom == DW_OP_GNU_push_tls_address))
		*tls = true;
	else if (n != 1)
		return 1;
	switch (ops[0].atom) {
	case DW_OP_addr:
		*addr = ops[0].number;
		return 0;
	case DW_OP_addrx:
	case DW_OP_GNU_addr_index:
		if (dwarf_getlocation_attr(&attr, &ops[0], &res) != 0 ||
		    dwarf_formaddr(&res, addr) != 0)
			return dwl_err_libdw(u, dwarf_dieoffset(die), "bad DW_OP_addrx");
		return 0;
	default:
		return 1;
	}
}

/* Section name (interned) and offset for a module address. libdwfl knows
 * the section layout it gave ET_REL files, so this works for .o too. */
static int dwl_var_section(struct dwl_unit *u, struct ir_var *v)
{
	Dwarf_Addr a = v->addr + u->f->bias, sbias;
	Elf_Scn *scn = dwfl_module_address_section(u->f->mod, &a, &sbias);
	GElf_Shdr shdr;
	const char *name;

	if (!scn || !gelf_getshdr(scn, &shdr))
		return 0;		/* e.g. an absolute or undefined address */
	name = elf_strptr(u->f->elf, u->f->shstrndx, shdr.sh_name);
	if (!name)
		return 0;
	v->section = dwl_intern(u->f->strs, u->cu, name);
	v->section_offset = a;
	return v->section ? 0 : -ENOMEM;
}

static int dwl_var_fill(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
			struct ir_var *v)
{
	Dwarf_Attribute attr;
	bool ext = false;
	int err;

	if (dwl_a_integrate(u, die, a, DWL_A_EXTERNAL, DW_AT_external, &attr) &&
	    dwarf_formflag(&attr, &ext) == 0 && ext)
		v->flags |= IR_VF_EXTERNAL;
	if (dwl_a_flag(a, DWL_A_DECLARATION))
		v->flags |= IR_VF_DECLARATION;
	if (dwl_a_listed(die, a, DWL_A_SPECIFICATION, DW_AT_specification))
		v->flags |= IR_VF_SPECIFICATION;
	err = dwl_a_string_integrate(u, die, a, DWL_A_NAME, DW_AT_name, true, &v->name);
	if (!err)
		err = dwl_a_string_integrate(u, die, a, DWL_A_LINKAGE_NAME, DW_AT_linkage_name,
					     false, &v->linkage_name);
	if (!err)
		err = dwl_annots_of(u, die, &v->annots);
	if (!err) {
		bool has = dwl_a_integrate(u, die, a, DWL_A_TYPE, DW_AT_type, &attr);

		err = dwl_ref_attr(u, die, has ? &attr : NULL, DW_AT_type, &v->type);
	}
	return err;
}

/* A DW_TAG_variable at unit level, or inside a function when 'local' (then
 * only statics, i.e. with an address, are kept). */
int dwl_var(struct dwl_unit *u, Dwarf_Die *die, bool local)
{
	struct ir_var v = { .orig_off = dwarf_dieoffset(die) }, *slot;
	struct dwl_attrs a;
	bool tls;
	int r, err;

	dwl_attrs_read(u, die, &a);	/* once, not a libdw search each */
	r = dwl_var_addr(u, die, &a, &v.addr, &tls);
	if (r < 0)
		return r;
	if (r == 1 && local)
		return 0;
	if (r == 0) {
		v.flags |= IR_VF_HAS_ADDR;
		if (!tls && (err = dwl_var_section(u, &v)))
			return err;
	}
	err = dwl_var_fill(u, die, &a, &v);
	if (!err)
		err = ir_cu__add_var(u->cu, &slot);
	if (err)
		return err;
	*slot = v;
	u->f->stats->nr_vars++;
	return 0;
}
