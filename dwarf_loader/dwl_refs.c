// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_refs: map type DIEs to ir_ids, resolve references, copy foreign DIEs.
 *
 * A CU must be self-contained (ir.h), yet DWARF lets a unit refer to types
 * elsewhere: DW_FORM_ref_addr into another CU (LTO), DW_FORM_ref_sig8 into
 * a type unit (-fdebug-types-section), DW_FORM_GNU_ref_alt into a dwz alt
 * file, and DW_TAG_imported_unit of a partial unit. We treat all of them the
 * same way:
 *
 *   - every type DIE that the unit walk meets, or that some decoded DIE
 *     references, gets an ir_id the first time it is seen; the offmap keeps
 *     key -> id where the key is the DIE's offset plus, in the high bits,
 *     the Dwarf handle it lives in (main, dwz alt file, or the image of
 *     COMDAT type units, dwl_tunits.c) and a bit for .debug_types, so
 *     offsets of different sections and handles never collide;
 *   - a referenced DIE that is not decoded yet is pushed on a worklist with
 *     its freshly allocated id; decoding a DIE only *allocates* ids for what
 *     it references, so there is no recursion at all and reference cycles
 *     (typedef T -> T, struct -> ptr -> struct) simply hit the map;
 *   - dwl_drain() decodes the worklist until it is empty; foreign DIEs are
 *     thus copied lazily, only as far as they are referenced, and once per CU.
 *
 * A reference that libdw cannot resolve (outside the section, bad form) is
 * corrupt DWARF: -EIO with CU and DIE offset. A reference to a DIE that is
 * readable but not a type (a variable, a subprogram...) is degraded to void
 * with one DIAG_WARN: the rest of the unit is still useful.
 */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>
#include <stdio.h>

#include "src/util/vec.h"

#define DWL_KEY_TYPES (1ull << 63)	/* DIE lives in .debug_types */
#define DWL_KEY_HANDLE_SHIFT 61		/* 2 bits: which Dwarf handle */
enum { DWL_HANDLE_MAIN, DWL_HANDLE_ALT, DWL_HANDLE_TUNITS };

bool dwl_is_type_tag(int tag)
{
	switch (tag) {
	case DW_TAG_base_type: case DW_TAG_pointer_type:
	case DW_TAG_const_type: case DW_TAG_volatile_type:
	case DW_TAG_restrict_type: case DW_TAG_atomic_type:
	case DW_TAG_typedef: case DW_TAG_structure_type:
	case DW_TAG_class_type: case DW_TAG_union_type:
	case DW_TAG_enumeration_type: case DW_TAG_array_type:
	case DW_TAG_subroutine_type: case DW_TAG_unspecified_type:
	case DW_TAG_reference_type: case DW_TAG_rvalue_reference_type:
	case DW_TAG_ptr_to_member_type: case DW_TAG_string_type:
	case DW_TAG_set_type: case DW_TAG_file_type:
	case DW_TAG_interface_type: case DW_TAG_shared_type:
	case DW_TAG_immutable_type: case DW_TAG_subrange_type:
	case DW_TAG_packed_type:
		return true;
	default:
		return false;
	}
}

static void dwl_mark_local(struct ir_type *t)
{
	if (t->kind == IR_KIND_STRUCT || t->kind == IR_KIND_UNION ||
	    t->kind == IR_KIND_ENUM || t->kind == IR_KIND_TYPEDEF ||
	    t->kind == IR_KIND_FWD)
		t->flags |= IR_TF_LOCAL;
}

uint64_t dwl_die_key(struct dwl_unit *u, Dwarf_Die *die)
{
	uint64_t key = dwl_die_off(u, die);
	Dwarf_Half version = 0;
	uint8_t unit_type = 0;
	Dwarf *dbg;

	if (die->cu == u->dcu)
		return key;
	dbg = dwarf_cu_getdwarf(die->cu);
	if (dbg == u->f->tu.dbg)
		key |= (uint64_t)DWL_HANDLE_TUNITS << DWL_KEY_HANDLE_SHIFT;
	else if (dbg != u->f->dbg)
		key |= (uint64_t)DWL_HANDLE_ALT << DWL_KEY_HANDLE_SHIFT;
	if (dwarf_cu_info(die->cu, &version, &unit_type, NULL, NULL, NULL,
			  NULL, NULL) == 0 &&
	    version < 5 && unit_type == DW_UT_type)
		key |= DWL_KEY_TYPES;
	return key;
}

int dwl_reserve_state(struct dwl_unit *u)
{
	size_t n = u->cu->types.len;

	if (vec_reserve(&u->state, n))
		return -ENOMEM;
	while (u->state.len < n)
		u->state.v[u->state.len++] = DWL_ST_DONE;
	return 0;
}

/* Allocate an id for a type DIE not seen yet in this CU and remember it. */
static int dwl_new_id(struct dwl_unit *u, Dwarf_Die *die, uint64_t key, ir_id *ret)
{
	ir_id id;
	int err = ir_cu__add_type(u->cu, IR_KIND_VOID, &id);

	if (err)
		return err;
	ir_cu__type(u->cu, id)->orig_off = dwarf_dieoffset(die);
	if (dwl_reserve_state(u) || hmap_set(&u->offmap, key, id))
		return -ENOMEM;
	u->state.v[id] = DWL_ST_PENDING;
	*ret = id;
	return 0;
}

/*
 * A declaration carrying DW_AT_signature stands for the type in a type
 * unit: follow it (bounded) so both share one id. When the type unit is
 * not there (not even among the COMDAT sections of dwl_tunits.c), keep the
 * declaration: it decodes as FWD.
 */
static int dwl_follow_signature(struct dwl_unit *u, Dwarf_Die *die, bool *warned)
{
	Dwarf_Attribute attr;
	Dwarf_Die next;
	int i;

	for (i = 0; i < DWL_MAX_CHAIN; i++) {
		/* Nearly every DIE referenced has none: its abbreviation's
		 * layout says so without a search through its attributes. */
		if (!dwl_may_have(u, die, DWL_A_SIGNATURE) ||
		    !dwarf_attr(die, DW_AT_signature, &attr))
			return 0;
		if (!dwl_formref_die(u->f, &attr, &next)) {
			dwl_warn_die(u, dwarf_dieoffset(die),
				     "DW_AT_signature names no type unit, keeping the declaration");
			*warned = true;
			return 0;
		}
		*die = next;
	}
	return dwl_fail_die(u, dwarf_dieoffset(die), -EIO, "DW_AT_signature loop");
}

/*
 * The id of type DIE target (referenced from DIE 'from'), allocating it and
 * queueing target for decoding when it is new to this CU.
 *
 * A DIE already in the offmap maps to what following its DW_AT_signature
 * gives (dwl_type_die() files a declaration under the type unit's id), so
 * it needs no second look at its attributes; except a declaration whose
 * type unit is missing, which warns at every reference (u->sigwarn).
 */
static int dwl_target_id(struct dwl_unit *u, Dwarf_Die *target, Dwarf_Off from,
			 ir_id *ret)
{
	uint64_t key = dwl_die_key(u, target), val;
	bool warned = false;
	int tag, err;

	if (hmap_get(&u->offmap, key, &val) &&
	    !(u->sigwarn.len && hmap_get(&u->sigwarn, key, NULL))) {
		*ret = (ir_id)val;
		return 0;
	}
	dwl_abbrev_fill(u, target);	/* no libdw lock for its tag */
	err = dwl_follow_signature(u, target, &warned);
	if (err)
		return err;
	if (warned && hmap_set(&u->sigwarn, key, 1))
		return -ENOMEM;
	key = dwl_die_key(u, target);
	if (hmap_get(&u->offmap, key, &val)) {
		*ret = (ir_id)val;
		return 0;
	}
	tag = dwarf_tag(target);
	if (tag <= 0)
		return dwl_fail_die(u, from, -EIO, "reference to an unreadable DIE 0x%llx",
				    (unsigned long long)dwarf_dieoffset(target));
	if (!dwl_is_type_tag(tag)) {
		char msg[96];

		snprintf(msg, sizeof(msg), "reference to non-type DIE 0x%llx (tag 0x%x), using void",
			 (unsigned long long)dwarf_dieoffset(target), tag);
		dwl_warn_die(u, from, msg);
		*ret = IR_VOID;
		return hmap_set(&u->offmap, key, IR_VOID) ? -ENOMEM : 0;
	}
	err = dwl_new_id(u, target, key, ret);
	if (err)
		return err;
	if (vec_push(&u->work))
		return -ENOMEM;
	vec_last(&u->work)->die = *target;
	vec_last(&u->work)->id = *ret;
	return 0;
}

/*
 * dwl_formref_die() for a reference inside the unit being decoded: forms
 * ref1-ref8 count from the unit's header, and dwarf_formref_die()
 * (elfutils 0.188) gives the DIE at that offset when it lies inside the
 * unit; the same without the call. Anything else: dwl_formref_die().
 */
static bool dwl_formref_local(struct dwl_unit *u, Dwarf_Attribute *attr, Dwarf_Die *ret)
{
	unsigned int size;
	uint64_t off;

	switch (attr->form) {
	case DW_FORM_ref1: size = 1; break;
	case DW_FORM_ref2: size = 2; break;
	case DW_FORM_ref4: size = 4; break;
	case DW_FORM_ref8: size = 8; break;
	default: size = 0; break;
	}
	if (!size || attr->cu != u->abbrev_cu || !u->unit_startp || !attr->valp ||
	    attr->valp < u->unit_startp || (size_t)(u->unit_endp - attr->valp) < size)
		return dwl_formref_die(u->f, attr, ret);
	off = dwl_read_uint(attr->valp, size, u->f->big_endian);
	if (off >= (uint64_t)(u->unit_endp - u->unit_startp))
		return dwl_formref_die(u->f, attr, ret);	/* its error */
	*ret = (Dwarf_Die){ .addr = (void *)(u->unit_startp + off), .cu = attr->cu };
	return true;
}

int dwl_ref_attr(struct dwl_unit *u, Dwarf_Die *die, Dwarf_Attribute *attr,
		 unsigned int at, ir_id *ret)
{
	Dwarf_Die target;

	*ret = IR_VOID;
	if (!attr)
		return 0;
	if (!dwl_formref_local(u, attr, &target)) {
		/* Unlike a declaration's DW_AT_signature (which still names a
		 * type, see dwl_follow_signature()), nothing says what this
		 * type was: guessing void would give wrong layouts and BTF. */
		if (dwarf_whatform(attr) == DW_FORM_ref_sig8)
			return dwl_fail_die(u, dwarf_dieoffset(die), -EIO,
					    "%s names a type unit that is not in the file",
					    at == DW_AT_type ? "DW_AT_type" : "reference");
		return dwl_fail_die(u, dwarf_dieoffset(die), -EIO,
				    "%s points outside .debug_info (%s)",
				    at == DW_AT_type ? "DW_AT_type" : "reference",
				    dwarf_errmsg(-1));
	}
	return dwl_target_id(u, &target, dwarf_dieoffset(die), ret);
}

int dwl_ref_type(struct dwl_unit *u, Dwarf_Die *die, unsigned int at,
		 bool integrate, ir_id *ret)
{
	Dwarf_Attribute attr;
	bool found = integrate ? dwarf_attr_integrate(die, at, &attr) != NULL
			       : dwarf_attr(die, at, &attr) != NULL;

	return dwl_ref_attr(u, die, found ? &attr : NULL, at, ret);
}

/*
 * The unit walk met type DIE die: make sure it is in the CU, decoded.
 * local: die is inside a function (named types get IR_TF_LOCAL).
 * A DW_AT_signature skeleton maps to its type unit's type instead.
 */
int dwl_type_die(struct dwl_unit *u, Dwarf_Die *die, bool local, uint32_t *plain_kids)
{
	uint64_t key = dwl_die_key(u, die), val;
	struct dwl_attrs a;
	bool known;
	ir_id id;
	int err;

	*plain_kids = 0;
	known = hmap_get(&u->offmap, key, &val);
	if (known && (u->state.v[(ir_id)val] & DWL_ST_DONE)) {
		if (!(val & DWL_OFF_INDIRECT) && (u->state.v[(ir_id)val] & DWL_ST_PLAIN))
			*plain_kids = u->state.v[(ir_id)val] >> DWL_ST_KIDS_SHIFT;
		return 0;
	}
	dwl_attrs_read(u, die, &a);
	if (known) {
		id = (ir_id)val;
	} else if (dwl_a_listed(die, &a, DWL_A_SIGNATURE, DW_AT_signature)) {
		Dwarf_Die target = *die;

		err = dwl_target_id(u, &target, dwarf_dieoffset(die), &id);
		if (err)
			return err;
		return hmap_set(&u->offmap, key, id | DWL_OFF_INDIRECT) ? -ENOMEM : 0;
	} else {
		err = dwl_new_id(u, die, key, &id);
		if (err)
			return err;
	}
	err = dwl_decode_type_attrs(u, die, &a, id);
	if (err)
		return err;
	u->state.v[id] |= DWL_ST_DONE;
	if (!(known && (val & DWL_OFF_INDIRECT)) && (u->state.v[id] & DWL_ST_PLAIN))
		*plain_kids = u->state.v[id] >> DWL_ST_KIDS_SHIFT;
	if (local)
		dwl_mark_local(ir_cu__type(u->cu, id));
	return 0;
}

/* Decode every queued DIE; decoding may queue more (bounded by the number
 * of type DIEs in the file, each decoded once per CU). */
int dwl_drain(struct dwl_unit *u)
{
	while (u->work.len) {
		struct dwl_work w = u->work.v[--u->work.len];
		int err;

		if (u->state.v[w.id] & DWL_ST_DONE)
			continue;
		err = dwl_decode_type(u, &w.die, w.id);
		if (err)
			return err;
		u->state.v[w.id] |= DWL_ST_DONE;
	}
	return 0;
}
