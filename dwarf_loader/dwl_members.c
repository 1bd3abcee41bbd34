// SPDX-License-Identifier: GPL-2.0-only
/* Decode struct/union/class DIEs: size, alignment, members and bitfields. */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>
#include <string.h>

#include "src/util/vec.h"

/*
 * DWARF2-style DW_AT_data_member_location is a location expression that
 * adds to the struct address: DW_OP_plus_uconst N (gcc), or a constant
 * pushed with DW_OP_constu/lit. Anything else is not a fixed offset.
 */
static int dwl_member_expr(struct dwl_unit *u, Dwarf_Die *die,
			   Dwarf_Attribute *attr, uint64_t *ret)
{
	Dwarf_Op *ops;
	size_t n, i;
	uint64_t acc = 0;

	if (dwarf_getlocation(attr, &ops, &n) != 0)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad DW_AT_data_member_location");
	for (i = 0; i < n; i++) {
		uint8_t op = ops[i].atom;

		if (op == DW_OP_plus_uconst)
			acc += ops[i].number;
		else if (op == DW_OP_constu || op == DW_OP_consts)
			acc = ops[i].number;
		else if (op >= DW_OP_lit0 && op <= DW_OP_lit31)
			acc = op - DW_OP_lit0;
		else if (op != DW_OP_plus)
			return dwl_fail_die(u, dwarf_dieoffset(die), -EINVAL,
					    "member location is not a constant offset");
	}
	*ret = acc;
	return 0;
}

/* Byte offset of a member: a constant form or an expression. */
static int dwl_member_byte_off(struct dwl_unit *u, Dwarf_Die *die,
			       struct dwl_attrs *a, uint64_t *ret)
{
	Dwarf_Attribute *attr = dwl_a(a, DWL_A_DATA_MEMBER_LOCATION);
	Dwarf_Word w;

	*ret = 0;		/* union members have no location */
	if (!attr)
		return 0;
	switch (dwarf_whatform(attr)) {
	case DW_FORM_data1: case DW_FORM_data2: case DW_FORM_data4:
	case DW_FORM_data8: case DW_FORM_udata: case DW_FORM_sdata:
	case DW_FORM_implicit_const:
		if (dwarf_formudata(attr, &w) != 0)
			return dwl_err_libdw(u, dwarf_dieoffset(die), "bad member offset");
		*ret = w;
		return 0;
	default:
		return dwl_member_expr(u, die, attr, ret);
	}
}

/*
 * Bit offset from the start of the struct. DWARF4+ gives
 * DW_AT_data_bit_offset directly. DWARF2/3 (and gcc -gdwarf-4) give the
 * byte offset of a storage unit of DW_AT_byte_size bytes plus
 * DW_AT_bit_offset counted from the unit's most significant bit: on a
 * big-endian target that is also the lowest address, on little-endian the
 * bit is storage*8 - bit_offset - bit_size from the low end. bit_offset
 * may be negative when the field spills past the storage unit.
 */
static int dwl_member_bit_off(struct dwl_unit *u, Dwarf_Die *die,
			      struct dwl_attrs *a, uint64_t bit_size, uint64_t *ret)
{
	uint64_t byte_off, storage = 0;
	int64_t msb_off;
	int err;

	if (dwl_a_udata(a, DWL_A_DATA_BIT_OFFSET, ret) == 0)
		return 0;
	err = dwl_member_byte_off(u, die, a, &byte_off);
	if (err)
		return err;
	*ret = byte_off * 8;
	if (dwl_a_sdata(a, DWL_A_BIT_OFFSET, &msb_off) != 0)
		return 0;
	if (dwl_a_udata(a, DWL_A_BYTE_SIZE, &storage) != 0) {
		err = dwl_type_byte_size(u, die, &storage);
		if (err < 0)
			return err;
		if (err)
			return dwl_fail_die(u, dwarf_dieoffset(die), -EINVAL,
					    "bitfield without storage size");
	}
	if (u->f->big_endian)
		*ret += (uint64_t)msb_off;
	else
		*ret += (uint64_t)((int64_t)storage * 8 - msb_off - (int64_t)bit_size);
	return 0;
}

static int dwl_member(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a)
{
	struct ir_member *m;
	uint64_t v;
	int err;

	if (vec_push(&u->members))
		return -ENOMEM;
	m = vec_last(&u->members);
	m->orig_off = dwl_die_off(u, die);
	if (dwl_a_udata(a, DWL_A_BIT_SIZE, &v) == 0)
		m->bitfield_size = (uint32_t)v;
	if (dwl_a_udata(a, DWL_A_ALIGNMENT, &v) == 0)
		m->align = (uint32_t)v;
	err = dwl_a_name_unsettled(u, die, a, &m->name);
	if (!err)
		err = dwl_member_bit_off(u, die, a, m->bitfield_size, &m->bit_offset);
	if (!err)
		err = dwl_annots_of(u, die, &m->annots);
	if (!err)
		err = dwl_ref_attr(u, die, dwl_a(a, DWL_A_TYPE), DW_AT_type, &m->type);
	return err;
}

/* One child of a struct: a member, a decl tag, or something we skip. Nested
 * type definitions are left to the unit walk. */
static int dwl_composite_child(struct dwl_unit *u, Dwarf_Die *child,
			       struct ir_annots *annots, int *tag_ret)
{
	int tag = dwarf_tag(child), err;
	struct dwl_attrs a;

	*tag_ret = tag;
	switch (tag) {
	case DW_TAG_member:
		/* C++ static members are DW_TAG_member + DW_AT_external in
		 * DWARF4: they take no room in the object. */
		dwl_attrs_read(u, child, &a);
		if (dwl_a_listed(child, &a, DWL_A_EXTERNAL, DW_AT_external) ||
		    dwl_a_listed(child, &a, DWL_A_DECLARATION, DW_AT_declaration)) {
			dwl_count_skipped(u->f, tag);
			return 0;
		}
		return dwl_member(u, child, &a);
	case DWL_TAG_LLVM_annotation:
	case DWL_TAG_GNU_annotation:
		err = dwl_annot_child(u, child, "btf_decl_tag", annots);
		return err < 0 ? err : 0;
	case DW_TAG_inheritance:
	case DW_TAG_subprogram:
	case DW_TAG_variable:
	case DW_TAG_variant_part:
	case DW_TAG_template_type_parameter:
	case DW_TAG_template_value_parameter:
		dwl_count_skipped(u->f, tag);
		return 0;
	case DW_TAG_invalid:
		return dwl_err_libdw(u, dwarf_dieoffset(child), "unreadable DIE");
	default:
		return 0;
	}
}

/* Also says whether every child is one the unit walk would only count
 * (*plain) and how many there are. */
static int dwl_composite_members(struct dwl_unit *u, Dwarf_Die *die,
				 struct ir_annots *annots, bool *plain,
				 uint32_t *nkids)
{
	Dwarf_Die child;
	size_t i;
	int r, err;

	u->members.len = 0;
	*plain = true;
	*nkids = 0;
	r = dwarf_haschildren(die) ? dwl_child(u, die, &child) : 1;
	for (; r == 0; r = dwl_sibling(u, &child, &child)) {
		int tag;

		err = dwl_composite_child(u, &child, annots, &tag);
		if (err)
			return err;
		if (!dwl_is_quiet_tag(tag) && tag != DW_TAG_variable)
			*plain = false;
		if (*nkids == DWL_ST_KIDS_MAX)
			*plain = false;
		else
			(*nkids)++;
	}
	if (r < 0)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "cannot read members");
	for (i = 0; i < u->members.len; i++)
		dwl_name_settle(&u->members.v[i].name);
	return 0;
}

static int dwl_decode_fwd(struct dwl_unit *u, ir_id id, int tag)
{
	struct ir_type *t = ir_cu__type(u->cu, id);

	t->kind = IR_KIND_FWD;
	t->flags |= IR_TF_DECL_ONLY;
	t->fwd_kind = tag == DW_TAG_union_type ? IR_FWD_UNION
		    : tag == DW_TAG_enumeration_type ? IR_FWD_ENUM
		    : IR_FWD_STRUCT;
	return 0;
}

int dwl_decode_composite(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
			 ir_id id, int tag)
{
	struct ir_annots annots = { 0 };
	struct ir_member *members = NULL;
	struct ir_type *t;
	uint32_t nkids;
	uint64_t align;
	bool plain;
	int err;

	if (dwl_a_flag(a, DWL_A_DECLARATION))
		return dwl_decode_fwd(u, id, tag);
	err = dwl_composite_members(u, die, &annots, &plain, &nkids);
	if (err)
		return err;
	if (plain && nkids)
		u->state.v[id] |= DWL_ST_PLAIN | nkids << DWL_ST_KIDS_SHIFT;
	if (u->members.len) {
		members = arena_memdup(&u->cu->arena, u->members.v,
				       u->members.len * sizeof(*members));
		if (!members)
			return -ENOMEM;
	}
	t = ir_cu__type(u->cu, id);
	t->kind = tag == DW_TAG_union_type ? IR_KIND_UNION : IR_KIND_STRUCT;
	t->members = members;
	t->vlen = (uint32_t)u->members.len;
	t->annots = annots;
	dwl_a_udata(a, DWL_A_BYTE_SIZE, &t->size);
	if (dwl_a_udata(a, DWL_A_ALIGNMENT, &align) == 0) {
		t->align = (uint32_t)align;
		t->flags |= IR_TF_ALIGNED;
	}
	return 0;
}

int dwl_decode_enum_fwd(struct dwl_unit *u, ir_id id)
{
	return dwl_decode_fwd(u, id, DW_TAG_enumeration_type);
}
