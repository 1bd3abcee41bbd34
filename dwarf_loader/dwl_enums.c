// SPDX-License-Identifier: GPL-2.0-only
/* Decode enumeration types (64-bit values, signedness) and array types. */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>

#include "src/util/vec.h"

/*
 * Is the enum signed? Its DW_AT_type (the underlying integer, possibly
 * behind typedefs) says so; else a DW_AT_encoding on the enum itself; else
 * (older producers) an enumerator written as a negative DW_FORM_sdata.
 */
static bool dwl_enum_signed(struct dwl_unit *u, Dwarf_Die *die)
{
	Dwarf_Die cur = *die, next, child;
	Dwarf_Attribute attr;
	uint64_t enc;
	int i, r;

	for (i = 0; i < DWL_MAX_CHAIN; i++) {
		if (dwl_attr_udata(&cur, DW_AT_encoding, &enc) == 0)
			return enc == DW_ATE_signed || enc == DW_ATE_signed_char;
		if (!dwarf_attr(&cur, DW_AT_type, &attr) ||
		    !dwl_formref_die(u->f, &attr, &next))
			break;
		cur = next;
	}
	r = dwarf_haschildren(die) ? dwl_child(u, die, &child) : 1;
	for (; r == 0; r = dwl_sibling(u, &child, &child)) {
		Dwarf_Sword v;

		if (dwarf_attr(&child, DW_AT_const_value, &attr) &&
		    dwarf_whatform(&attr) == DW_FORM_sdata &&
		    dwarf_formsdata(&attr, &v) == 0 && v < 0)
			return true;
	}
	return false;
}

/*
 * An enumerator's value as 64-bit two's complement. sdata is signed and
 * udata unsigned by definition; the fixed-size data forms are "context
 * dependent": gcc writes non-negative values there in the smallest form
 * that holds them, so a data form is sign-extended from the *enum's* size
 * (not the form's) when the enum is signed.
 */
static int dwl_enumerator_value(Dwarf_Attribute *attr, bool is_signed,
				uint64_t size, uint64_t *ret)
{
	Dwarf_Sword s;
	Dwarf_Word w;

	switch (dwarf_whatform(attr)) {
	case DW_FORM_sdata:
	case DW_FORM_implicit_const:
		if (dwarf_formsdata(attr, &s) != 0)
			return -EIO;
		*ret = (uint64_t)s;
		return 0;
	case DW_FORM_udata:
		if (dwarf_formudata(attr, &w) != 0)
			return -EIO;
		*ret = w;
		return 0;
	default:
		if (dwarf_formudata(attr, &w) != 0)
			return -EIO;
		if (is_signed && size > 0 && size < 8 && (w >> (size * 8 - 1)) & 1)
			w |= ~0ull << (size * 8);
		*ret = w;
		return 0;
	}
}

static int dwl_enumerator(struct dwl_unit *u, Dwarf_Die *die, bool is_signed,
			  uint64_t size)
{
	struct ir_enumerator *e;
	struct dwl_attrs a;
	int err;

	if (vec_push(&u->enums))
		return -ENOMEM;
	e = vec_last(&u->enums);
	dwl_attrs_read(u, die, &a);	/* name and value in one pass */
	err = dwl_a_name(u, die, &a, &e->name);
	if (err)
		return err;
	if (!(a.have & (1u << DWL_A_CONST_VALUE)))
		return 0;
	if (dwl_enumerator_value(&a.v[DWL_A_CONST_VALUE], is_signed, size, &e->value))
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad enumerator value");
	return 0;
}

static int dwl_enumerators(struct dwl_unit *u, Dwarf_Die *die, bool is_signed,
			   uint64_t size, struct ir_annots *annots)
{
	Dwarf_Die child;
	int r, err;

	u->enums.len = 0;
	r = dwarf_haschildren(die) ? dwl_child(u, die, &child) : 1;
	for (; r == 0; r = dwl_sibling(u, &child, &child)) {
		int tag = dwarf_tag(&child);

		if (tag == DW_TAG_enumerator)
			err = dwl_enumerator(u, &child, is_signed, size);
		else
			err = dwl_annot_child(u, &child, "btf_decl_tag", annots);
		if (err < 0)
			return err;
	}
	if (r < 0)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "cannot read enumerators");
	return 0;
}

int dwl_decode_enum(struct dwl_unit *u, Dwarf_Die *die, ir_id id)
{
	struct ir_annots annots = { 0 };
	struct ir_enumerator *v = NULL;
	bool is_signed;
	uint64_t size = 4;
	struct ir_type *t;
	int err;

	if (dwl_attr_flag(die, DW_AT_declaration, false))
		return dwl_decode_enum_fwd(u, id);
	dwl_attr_udata(die, DW_AT_byte_size, &size);
	is_signed = dwl_enum_signed(u, die);
	err = dwl_enumerators(u, die, is_signed, size, &annots);
	if (err)
		return err;
	if (u->enums.len) {
		v = arena_memdup(&u->cu->arena, u->enums.v, u->enums.len * sizeof(*v));
		if (!v)
			return -ENOMEM;
	}
	t = ir_cu__type(u->cu, id);
	t->kind = IR_KIND_ENUM;
	t->size = size;
	t->enumerators = v;
	t->vlen = (uint32_t)u->enums.len;
	t->annots = annots;
	if (is_signed)
		t->flags |= IR_TF_SIGNED;
	return 0;
}

/* A constant bound; 1 when the bound is not a constant (VLA: exprloc,
 * reference to a variable) or absent. data4/data8/udata all-ones is how
 * producers write -1 ("upper_bound = -1" zero-length arrays). */
static int dwl_bound(Dwarf_Die *die, struct dwl_attrs *a, int slot, unsigned int at,
		     int64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;
	unsigned int form;

	if (!dwl_a_attr(die, a, slot, at, &attr))
		return 1;
	form = dwarf_whatform(&attr);
	switch (form) {
	case DW_FORM_sdata:
	case DW_FORM_implicit_const:
		return dwarf_formsdata(&attr, ret) == 0 ? 0 : -EIO;
	case DW_FORM_data1: case DW_FORM_data2: case DW_FORM_data4:
	case DW_FORM_data8: case DW_FORM_udata:
		if (dwarf_formudata(&attr, &w) != 0)
			return -EIO;
		if (form == DW_FORM_data4 && w == UINT32_MAX)
			w = UINT64_MAX;
		*ret = (int64_t)w;
		return 0;
	default:
		return 1;
	}
}

/* Lower bound default by language (DWARF5 table 7.17, the common ones). */
static int64_t dwl_default_lower(uint16_t lang)
{
	switch (lang) {
	case DW_LANG_Ada83: case DW_LANG_Ada95: case DW_LANG_Cobol74:
	case DW_LANG_Cobol85: case DW_LANG_Fortran77: case DW_LANG_Fortran90:
	case DW_LANG_Fortran95: case DW_LANG_Fortran03: case DW_LANG_Fortran08:
	case DW_LANG_Pascal83: case DW_LANG_Modula2: case DW_LANG_PLI:
		return 1;
	default:
		return 0;
	}
}

static int dwl_subrange(struct dwl_unit *u, Dwarf_Die *die, struct ir_dim *d)
{
	int64_t lo = dwl_default_lower(u->lang_code), hi, count;
	struct dwl_attrs a;
	int r;

	dwl_attrs_read(u, die, &a);	/* the bounds in one pass */
	r = dwl_bound(die, &a, DWL_A_COUNT, DW_AT_count, &count);
	if (r == 1 && !dwl_a_listed(die, &a, DWL_A_COUNT, DW_AT_count)) {
		r = dwl_bound(die, &a, DWL_A_UPPER_BOUND, DW_AT_upper_bound, &hi);
		if (r == 0 && dwl_bound(die, &a, DWL_A_LOWER_BOUND, DW_AT_lower_bound, &lo) < 0)
			r = -EIO;
		count = r == 0 ? (hi < lo ? 0 : hi - lo + 1) : 0;
	}
	if (r < 0)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad array bound");
	d->flexible = r == 1;		/* no bound or a VLA bound */
	d->count = r == 0 && count > 0 ? (uint64_t)count : 0;
	return 0;
}

/* An enumeration type as dimension (Ada/Pascal): one slot per enumerator. */
static int dwl_enum_dim(struct dwl_unit *u, Dwarf_Die *die, struct ir_dim *d)
{
	Dwarf_Die child;
	int r;

	d->count = 0;
	r = dwarf_haschildren(die) ? dwl_child(u, die, &child) : 1;
	for (; r == 0; r = dwl_sibling(u, &child, &child))
		d->count += dwarf_tag(&child) == DW_TAG_enumerator;
	return r < 0 ? dwl_err_libdw(u, dwarf_dieoffset(die), "bad dimension") : 0;
}

static int dwl_dims(struct dwl_unit *u, Dwarf_Die *die)
{
	Dwarf_Die child;
	int r, err = 0;

	u->dims.len = 0;
	r = dwarf_haschildren(die) ? dwl_child(u, die, &child) : 1;
	for (; r == 0 && !err; r = dwl_sibling(u, &child, &child)) {
		int tag = dwarf_tag(&child);

		if (tag != DW_TAG_subrange_type && tag != DW_TAG_enumeration_type)
			continue;
		if (vec_push(&u->dims))
			return -ENOMEM;
		err = tag == DW_TAG_subrange_type
			? dwl_subrange(u, &child, vec_last(&u->dims))
			: dwl_enum_dim(u, &child, vec_last(&u->dims));
	}
	if (err)
		return err;
	if (r < 0)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "cannot read dimensions");
	if (u->dims.len == 0) {		/* no subrange at all: T x[] */
		if (vec_push(&u->dims))
			return -ENOMEM;
		vec_last(&u->dims)->flexible = true;
	}
	return 0;
}

int dwl_decode_array(struct dwl_unit *u, Dwarf_Die *die, ir_id id)
{
	struct ir_dim *dims;
	struct ir_type *t;
	ir_id elem;
	int err;

	err = dwl_dims(u, die);
	if (err)
		return err;
	dims = arena_memdup(&u->cu->arena, u->dims.v, u->dims.len * sizeof(*dims));
	if (!dims)
		return -ENOMEM;
	err = dwl_ref_type(u, die, DW_AT_type, false, &elem);
	if (err)
		return err;
	t = ir_cu__type(u->cu, id);
	t->kind = IR_KIND_ARRAY;
	t->type = elem;
	t->dims = dims;
	t->vlen = (uint32_t)u->dims.len;
	dwl_attr_udata(die, DW_AT_byte_size, &t->size);
	return 0;
}
