// SPDX-License-Identifier: GPL-2.0-only
/* Decode one type DIE (all kinds but struct/union/enum/array) into an id. */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>

static inline struct ir_type *dwl_t(struct dwl_unit *u, ir_id id)
{
	return ir_cu__type(u->cu, id);
}

/* Pointer size of the unit holding die; cheap for the current unit. */
static uint8_t dwl_ptr_size(struct dwl_unit *u, Dwarf_Die *die)
{
	if (die->cu == u->dcu)
		return u->addr_size;
	return dwl_unit_addr_size(die, u->addr_size);
}

/* DW_ATE_* -> kind and flags; UNSPEC for encodings C cannot express. */
static void dwl_base_encoding(uint64_t enc, struct ir_type *t)
{
	switch (enc) {
	case DW_ATE_signed:
		t->flags |= IR_TF_SIGNED;
		break;
	case DW_ATE_signed_char:
		t->flags |= IR_TF_SIGNED | IR_TF_CHAR;
		break;
	case DW_ATE_unsigned:
	case DW_ATE_UTF:		/* char8_t/char16_t/char32_t */
		break;
	case DW_ATE_unsigned_char:
		t->flags |= IR_TF_CHAR;
		break;
	case DW_ATE_boolean:
		t->flags |= IR_TF_BOOL;
		break;
	case DW_ATE_float:
	case DW_ATE_imaginary_float:
		t->kind = IR_KIND_FLOAT;
		break;
	case DW_ATE_complex_float:
		t->kind = IR_KIND_FLOAT;
		t->flags |= IR_TF_COMPLEX;
		break;
	default:			/* fixed point, decimal, address, ... */
		t->kind = IR_KIND_UNSPEC;
		t->unspec = IR_UNSPEC_INT_ENCODING;
		break;
	}
}

static int dwl_decode_base(struct dwl_unit *u, struct dwl_attrs *a, ir_id id)
{
	struct ir_type *t = dwl_t(u, id);
	uint64_t size = 0, enc = 0, bits, off;

	dwl_a_udata(a, DWL_A_BYTE_SIZE, &size);
	dwl_a_udata(a, DWL_A_ENCODING, &enc);
	t->kind = IR_KIND_INT;
	t->size = size;
	/* _BitInt(N) and odd sizes keep their bit count (clamped to the
	 * field; such widths have no BTF encoding anyway). */
	if (dwl_a_udata(a, DWL_A_BIT_SIZE, &bits) != 0)
		bits = size * 8;
	t->int_bits = bits > UINT16_MAX ? UINT16_MAX : (uint16_t)bits;
	if (dwl_a_udata(a, DWL_A_DATA_BIT_OFFSET, &off) == 0)
		t->int_offset = off > UINT8_MAX ? UINT8_MAX : (uint8_t)off;
	dwl_base_encoding(enc, t);
	return 0;
}

/*
 * Pointer, with clang's btf_type_tag annotations (children of the pointer
 * DIE, in source order a, b for `int __tag(a) __tag(b) *`). clang's own BTF
 * for that is PTR -> TYPE_TAG b -> TYPE_TAG a -> int, so each tag wraps the
 * previous one and the pointer points at the last.
 */
static int dwl_decode_ptr(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *at,
			  ir_id id)
{
	ir_id cur, tag_id;
	Dwarf_Die child;
	int r, err;

	err = dwl_ref_attr(u, die, dwl_a(at, DWL_A_TYPE), DW_AT_type, &cur);
	if (err)
		return err;
	r = dwarf_haschildren(die) ? dwl_child(u, die, &child) : 1;
	for (; r == 0; r = dwl_sibling(u, &child, &child)) {
		struct ir_annots a = { 0 };

		err = dwl_annot_child(u, &child, "btf_type_tag", &a);
		if (err <= 0) {
			if (err < 0)
				return err;
			continue;
		}
		err = ir_cu__add_type(u->cu, IR_KIND_TYPE_TAG, &tag_id);
		if (err || (err = dwl_reserve_state(u)))
			return err;
		dwl_t(u, tag_id)->name = a.v[0];
		dwl_t(u, tag_id)->type = cur;
		dwl_t(u, tag_id)->orig_off = dwarf_dieoffset(&child);
		cur = tag_id;
	}
	if (r < 0)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "cannot read pointer annotations");
	dwl_t(u, id)->kind = IR_KIND_PTR;
	dwl_t(u, id)->type = cur;
	if (dwl_a_udata(at, DWL_A_BYTE_SIZE, &dwl_t(u, id)->size) != 0)
		dwl_t(u, id)->size = dwl_ptr_size(u, die);
	return 0;
}

static int dwl_decode_typedef(struct dwl_unit *u, Dwarf_Die *die,
			      struct dwl_attrs *at, ir_id id)
{
	struct ir_annots a = { 0 };
	uint64_t align;
	ir_id type;
	int err;

	err = dwl_ref_attr(u, die, dwl_a(at, DWL_A_TYPE), DW_AT_type, &type);
	if (!err)
		err = dwl_annots_of(u, die, &a);
	if (err)
		return err;
	dwl_t(u, id)->kind = IR_KIND_TYPEDEF;
	dwl_t(u, id)->type = type;
	dwl_t(u, id)->annots = a;
	if (dwl_a_udata(at, DWL_A_ALIGNMENT, &align) == 0) {
		dwl_t(u, id)->align = (uint32_t)align;
		dwl_t(u, id)->flags |= IR_TF_ALIGNED;
	}
	return 0;
}

/* Qualifiers, and everything C/BTF has no kind for (C++, Rust, Fortran). */
static int dwl_decode_ref_kind(struct dwl_unit *u, Dwarf_Die *die,
			       struct dwl_attrs *a, ir_id id, int tag)
{
	uint8_t kind = IR_KIND_UNSPEC, unspec = IR_UNSPEC_OTHER;
	ir_id type;
	int err;

	switch (tag) {
	case DW_TAG_const_type: kind = IR_KIND_CONST; break;
	case DW_TAG_volatile_type: kind = IR_KIND_VOLATILE; break;
	case DW_TAG_restrict_type: kind = IR_KIND_RESTRICT; break;
	case DW_TAG_atomic_type: kind = IR_KIND_ATOMIC; break;
	case DW_TAG_reference_type: unspec = IR_UNSPEC_REFERENCE; break;
	case DW_TAG_rvalue_reference_type: unspec = IR_UNSPEC_RVALUE_REFERENCE; break;
	case DW_TAG_ptr_to_member_type: unspec = IR_UNSPEC_PTR_TO_MEMBER; break;
	case DW_TAG_unspecified_type: unspec = IR_UNSPEC_UNSPECIFIED_TYPE; break;
	default: break;
	}
	err = dwl_ref_attr(u, die, dwl_a(a, DWL_A_TYPE), DW_AT_type, &type);
	if (err)
		return err;
	dwl_t(u, id)->kind = kind;
	dwl_t(u, id)->unspec = unspec;
	dwl_t(u, id)->type = type;
	if (kind != IR_KIND_UNSPEC)
		return 0;
	if (dwl_a_udata(a, DWL_A_BYTE_SIZE, &dwl_t(u, id)->size) != 0 &&
	    (tag == DW_TAG_reference_type || tag == DW_TAG_rvalue_reference_type))
		dwl_t(u, id)->size = dwl_ptr_size(u, die);
	return 0;
}

/* Dispatch on the tag; the common fields are set last because decoding may
 * add types and move the type array. */
int dwl_decode_type(struct dwl_unit *u, Dwarf_Die *die, ir_id id)
{
	struct dwl_attrs a;

	dwl_attrs_read(u, die, &a);
	return dwl_decode_type_attrs(u, die, &a, id);
}

int dwl_decode_type_attrs(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
			  ir_id id)
{
	int tag = dwarf_tag(die), err;
	const char *name;

	switch (tag) {
	case DW_TAG_base_type:
		err = dwl_decode_base(u, a, id);
		break;
	case DW_TAG_pointer_type:
		err = dwl_decode_ptr(u, die, a, id);
		break;
	case DW_TAG_typedef:
		err = dwl_decode_typedef(u, die, a, id);
		break;
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
	case DW_TAG_interface_type:
		err = dwl_decode_composite(u, die, a, id, tag);
		break;
	case DW_TAG_enumeration_type:
		err = dwl_decode_enum(u, die, id);
		break;
	case DW_TAG_array_type:
		err = dwl_decode_array(u, die, id);
		break;
	case DW_TAG_subroutine_type:
		/* A FUNC_PROTO with unnamed parameters. */
		err = dwl_func_params(u, die, a, NULL, false, 0, id, NULL);
		break;
	case DW_TAG_invalid:
		return dwl_err_libdw(u, dwarf_dieoffset(die), "unreadable type DIE");
	default:
		err = dwl_decode_ref_kind(u, die, a, id, tag);
		break;
	}
	if (!err)
		err = dwl_a_name(u, die, a, &name);
	if (err)
		return err;
	dwl_t(u, id)->name = name;
	dwl_t(u, id)->orig_off = dwl_die_off(u, die);
	return 0;
}
