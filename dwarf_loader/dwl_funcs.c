// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_funcs: subprograms -> struct ir_func, their FUNC_PROTO and parameters.
 *
 * A concrete out-of-line copy of an inline or optimised function is a
 * DW_TAG_subprogram with DW_AT_abstract_origin: its name, type, external
 * flag and the full parameter list live in the origin, the concrete DIE only
 * has the parameters that survived, each pointing back to its origin
 * parameter. The prototype therefore lists the origin's parameters in
 * origin order, takes each location from the matching concrete parameter,
 * and marks the ones the concrete copy dropped as missing/optimized out:
 * that is what later decides whether a function's BTF signature is honest.
 */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>

#include "src/util/vec.h"

/* A parameter from DIE p, whose attributes a holds (dwl_attrs_read()):
 * name and type through its abstract origin. */
static int dwl_param_new(struct dwl_unit *u, Dwarf_Die *p, const struct dwl_attrs *a,
			 Dwarf_Off key)
{
	struct ir_param *prm;
	Dwarf_Attribute t;
	int err;

	if (vec_push(&u->params) || vec_push(&u->offs))
		return -ENOMEM;
	*vec_last(&u->offs) = key;
	prm = vec_last(&u->params);
	err = dwl_a_string_integrate(u, p, a, DWL_A_NAME, DW_AT_name, true, &prm->name);
	if (!err)
		err = dwl_annots_of(u, p, &prm->annots);
	if (!err) {
		bool has = dwl_a_integrate(u, p, a, DWL_A_TYPE, DW_AT_type, &t);

		err = dwl_ref_attr(u, p, has ? &t : NULL, DW_AT_type, &prm->type);
	}
	return err;
}

/* Collect parameters, varargs and decl tags of one subprogram-ish DIE. */
static int dwl_params_of(struct dwl_unit *u, Dwarf_Die *die, bool *varargs,
			 struct ir_annots *annots)
{
	Dwarf_Die child;
	int r, err = 0;

	r = dwarf_haschildren(die) ? dwl_child(u, die, &child) : 1;
	for (; r == 0 && err >= 0; r = dwl_sibling(u, &child, &child)) {
		int tag = dwarf_tag(&child);

		if (tag == DW_TAG_formal_parameter) {
			struct dwl_attrs a;

			dwl_attrs_read(u, &child, &a);
			err = dwl_param_new(u, &child, &a, dwl_die_off(u, &child));
		} else if (tag == DW_TAG_unspecified_parameters)
			*varargs = true;
		else if (annots)
			err = dwl_annot_child(u, &child, "btf_decl_tag", annots);
	}
	if (err < 0)
		return err;
	return r < 0 ? dwl_err_libdw(u, dwarf_dieoffset(die), "cannot read parameters") : 0;
}

/* Index of the collected origin parameter that concrete parameter p (its
 * attributes: a) stands for, or -1. */
static long dwl_param_match(struct dwl_unit *u, Dwarf_Die *p, const struct dwl_attrs *a,
			    size_t norigin)
{
	Dwarf_Attribute attr;
	Dwarf_Die o;
	Dwarf_Off off;
	size_t i;

	if (!dwl_a_attr(p, a, DWL_A_ABSTRACT_ORIGIN, DW_AT_abstract_origin, &attr) ||
	    !dwarf_formref_die(&attr, &o))
		return -1;
	off = dwarf_dieoffset(&o);
	for (i = 0; i < norigin; i++)
		if (u->offs.v[i] == off && u->params.v[i].missing)
			return (long)i;
	return -1;
}

/* Walk the concrete DIE's parameters: locate each, matching the origin's
 * list when there is one (norigin entries already collected); with
 * annots, collect the btf_decl_tag children on the way (a function's
 * children are its whole body's first level: one pass, not two). */
static int dwl_params_concrete(struct dwl_unit *u, Dwarf_Die *die, size_t norigin,
			       bool concrete, Dwarf_Addr entry, bool *varargs,
			       struct ir_annots *annots)
{
	Dwarf_Die child;
	int r, err = 0;

	r = dwarf_haschildren(die) ? dwl_child(u, die, &child) : 1;
	for (; r == 0 && !err; r = dwl_sibling(u, &child, &child)) {
		int tag = dwarf_tag(&child);
		struct dwl_attrs a;
		long j;

		if (tag == DW_TAG_unspecified_parameters)
			*varargs = true;
		if (tag != DW_TAG_formal_parameter) {
			if (annots && dwl_is_annotation(tag)) {
				int e = dwl_annot_child(u, &child, "btf_decl_tag", annots);

				if (e < 0)
					err = e;
			}
			continue;
		}
		/* Read once: the origin to match, or the new parameter's. */
		dwl_attrs_read(u, &child, &a);
		j = norigin ? dwl_param_match(u, &child, &a, norigin) : -1;
		if (j < 0) {
			err = dwl_param_new(u, &child, &a, dwl_die_off(u, &child));
			j = (long)u->params.len - 1;
		}
		if (err)
			break;
		u->params.v[j].missing = 0;
		if (concrete)
			dwl_param_loc(u, &child, entry, &u->params.v[j]);
	}
	if (err)
		return err;
	return r < 0 ? dwl_err_libdw(u, dwarf_dieoffset(die), "cannot read parameters") : 0;
}

/* Origin parameters the concrete copy dropped were optimized away. */
static void dwl_params_finish(struct dwl_unit *u, size_t norigin, bool concrete)
{
	size_t i;

	for (i = 0; i < norigin; i++) {
		struct ir_param *p = &u->params.v[i];

		if (!p->missing)
			continue;
		if (concrete)
			p->loc = IR_LOC_OPTIMIZED_OUT;
		else
			p->missing = 0;
	}
}

/*
 * Fill FUNC_PROTO 'proto' from die (a subprogram or subroutine type; a:
 * its attributes, dwl_attrs_read()) and its abstract origin (or NULL).
 * concrete: die has code at entry, so parameter locations are read at
 * that address.
 */
int dwl_func_params(struct dwl_unit *u, Dwarf_Die *die, const struct dwl_attrs *a,
		    Dwarf_Die *origin, bool concrete, Dwarf_Addr entry, ir_id proto,
		    struct ir_annots *annots)
{
	Dwarf_Attribute rattr, pattr;
	bool v = false;
	struct ir_param *params = NULL;
	bool varargs = false;
	size_t norigin = 0, i;
	struct ir_type *t;
	ir_id ret;
	int err;

	u->params.len = u->offs.len = 0;
	if (origin) {
		err = dwl_params_of(u, origin, &varargs, annots);
		if (err)
			return err;
		norigin = u->params.len;
		for (i = 0; i < norigin; i++)
			u->params.v[i].missing = 1;	/* until matched */
	}
	err = dwl_params_concrete(u, die, norigin, concrete, entry, &varargs, annots);
	if (!err) {
		bool has = dwl_a_integrate(u, die, a, DWL_A_TYPE, DW_AT_type, &rattr);

		err = dwl_ref_attr(u, die, has ? &rattr : NULL, DW_AT_type, &ret);
	}
	if (err)
		return err;
	dwl_params_finish(u, norigin, concrete);
	if (u->params.len) {
		params = arena_memdup(&u->cu->arena, u->params.v,
				      u->params.len * sizeof(*params));
		if (!params)
			return -ENOMEM;
	}
	t = ir_cu__type(u->cu, proto);
	t->kind = IR_KIND_FUNC_PROTO;
	t->type = ret;
	t->params = params;
	t->vlen = (uint32_t)u->params.len;
	if (varargs)
		t->flags |= IR_TF_VARARGS;
	if (dwl_a_integrate(u, die, a, DWL_A_PROTOTYPED, DW_AT_prototyped, &pattr) &&
	    dwarf_formflag(&pattr, &v) == 0 && v)
		t->flags |= IR_TF_PROTOTYPED;
	return 0;
}

/* dwarf_lowpc() and dwarf_highpc() (elfutils 0.188, for a DIE that is not
 * a unit's) from the attributes read already: high_pc of DW_FORM_addr is
 * an address, of any other form an offset from low_pc. 0 or -1. */
static int dwl_a_lowpc(Dwarf_Die *die, const struct dwl_attrs *a, Dwarf_Addr *lo)
{
	Dwarf_Attribute l;

	if (!dwl_a_attr(die, a, DWL_A_LOW_PC, DW_AT_low_pc, &l))
		return -1;
	return dwarf_formaddr(&l, lo);
}

static int dwl_a_highpc(Dwarf_Die *die, const struct dwl_attrs *a, Dwarf_Addr lo,
			Dwarf_Addr *hi)
{
	Dwarf_Attribute h;
	Dwarf_Word w;

	if (!dwl_a_attr(die, a, DWL_A_HIGH_PC, DW_AT_high_pc, &h))
		return -1;
	if (dwarf_whatform(&h) == DW_FORM_addr)
		return dwarf_formaddr(&h, hi);
	if (dwarf_formudata(&h, &w) != 0)
		return -1;
	*hi = lo + w;
	return 0;
}

/* Entry and end address: low_pc/high_pc (high_pc may be an offset form)
 * or the first range of DW_AT_ranges. */
static bool dwl_func_pc(Dwarf_Die *die, const struct dwl_attrs *a, Dwarf_Addr *lo,
			Dwarf_Addr *hi)
{
	Dwarf_Addr base, start, end;

	*hi = 0;
	if (dwl_a_lowpc(die, a, lo) == 0) {
		if (dwl_a_highpc(die, a, *lo, hi) != 0)
			*hi = 0;
		return true;
	}
	if (dwarf_hasattr(die, DW_AT_ranges) &&
	    dwarf_ranges(die, 0, &base, &start, &end) > 0) {
		*lo = start;
		*hi = end;
		return true;
	}
	return false;
}

/* A flag found as dwarf_attr_integrate() finds it; missing or unreadable:
 * false (dwl_attr_flag()). */
static bool dwl_a_flag_integrate(struct dwl_unit *u, Dwarf_Die *die, const struct dwl_attrs *a,
				 int slot, unsigned int at)
{
	Dwarf_Attribute attr;
	bool v = false;

	return dwl_a_integrate(u, die, a, slot, at, &attr) && dwarf_formflag(&attr, &v) == 0 && v;
}

static uint32_t dwl_func_flags(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
			       bool has_origin)
{
	uint32_t flags = 0;
	uint64_t v;
	Dwarf_Attribute attr;
	Dwarf_Word w;

	if (has_origin)
		flags |= IR_FF_FROM_ORIGIN;
	if (dwl_a_flag_integrate(u, die, a, DWL_A_EXTERNAL, DW_AT_external))
		flags |= IR_FF_EXTERNAL;
	if (dwl_a_flag(a, DWL_A_DECLARATION))
		flags |= IR_FF_DECLARATION;
	if (dwl_a_flag_integrate(u, die, a, DWL_A_ARTIFICIAL, DW_AT_artificial))
		flags |= IR_FF_ARTIFICIAL;
	if (dwl_a_integrate(u, die, a, DWL_A_INLINE, DW_AT_inline, &attr) &&
	    dwarf_formudata(&attr, &w) == 0 &&
	    (w == DW_INL_inlined || w == DW_INL_declared_inlined))
		flags |= IR_FF_INLINE;
	if (dwl_a_udata(a, DWL_A_CALLING_CONVENTION, &v) == 0 && v == DW_CC_nocall)
		flags |= IR_FF_NOCALL;
	return flags;
}

/* The DIE a subprogram takes its name/params from: abstract origin (then
 * *is_abstract) or specification. Returns 1 if none. */
static int dwl_func_origin(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
			   Dwarf_Die *origin, bool *is_abstract)
{
	Dwarf_Attribute *attr = dwl_a(a, DWL_A_ABSTRACT_ORIGIN);

	*is_abstract = attr != NULL;
	if (!attr)
		attr = dwl_a(a, DWL_A_SPECIFICATION);
	if (!attr)
		return 1;
	if (!dwarf_formref_die(attr, origin))
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad function origin");
	return 0;
}

static int dwl_func_add(struct dwl_unit *u, const struct ir_func *tmpl,
			uint64_t origin_key)
{
	struct ir_func *fn;
	int err = ir_cu__add_func(u->cu, &fn);

	if (err)
		return err;
	*fn = *tmpl;
	if (vec_push(&u->func_origin))
		return -ENOMEM;
	*vec_last(&u->func_origin) = origin_key;
	u->f->stats->nr_funcs++;
	return 0;
}

int dwl_func(struct dwl_unit *u, Dwarf_Die *die)
{
	struct ir_func fn = { .orig_off = dwl_die_off(u, die) };
	struct dwl_attrs a;
	Dwarf_Die origin;
	bool abstract = false;
	uint64_t okey;
	int r, err;

	/* One pass over its attributes (and its origin's, when asked for
	 * one it has not) instead of a libdw search per attribute. */
	dwl_attrs_read(u, die, &a);
	r = dwl_func_origin(u, die, &a, &origin, &abstract);
	if (r < 0)
		return r;
	okey = r == 0 ? dwl_die_key(u, &origin) : dwl_die_key(u, die);
	fn.flags = dwl_func_flags(u, die, &a, r == 0);
	if (dwl_func_pc(die, &a, &fn.low_pc, &fn.high_pc))
		fn.flags |= IR_FF_HAS_ADDR;
	err = dwl_a_string_integrate(u, die, &a, DWL_A_NAME, DW_AT_name, true, &fn.name);
	if (!err)
		err = dwl_a_string_integrate(u, die, &a, DWL_A_LINKAGE_NAME,
					     DW_AT_linkage_name, false, &fn.linkage_name);
	if (!err && !fn.linkage_name)
		err = dwl_a_string_integrate(u, die, &a, DWL_A_MIPS_LINKAGE_NAME,
					     DW_AT_MIPS_linkage_name, false, &fn.linkage_name);
	if (!err)
		err = ir_cu__add_type(u->cu, IR_KIND_FUNC_PROTO, &fn.proto);
	if (!err)
		err = dwl_reserve_state(u);
	if (!err)
		err = dwl_func_params(u, die, &a, abstract ? &origin : NULL,
				      fn.flags & IR_FF_HAS_ADDR, fn.low_pc,
				      fn.proto, &fn.annots);
	if (!err)
		err = dwl_func_add(u, &fn, okey);
	return err;
}

/* Set IR_FF_INLINE on functions that an inlined_subroutine of this unit
 * names as its abstract origin (seen in any order during the walk). */
int dwl_mark_inlined(struct dwl_unit *u)
{
	size_t i;

	if (u->inlined.len == 0)
		return 0;
	for (i = 0; i < u->cu->funcs.len; i++)
		if (hmap_get(&u->inlined, u->func_origin.v[i], NULL))
			u->cu->funcs.v[i].flags |= IR_FF_INLINE;
	return 0;
}
