// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_locs: where a parameter is at function entry (struct ir_param.loc).
 *
 * The location (an exprloc, or a location list entry covering the entry
 * address) is classified, not evaluated: a single register, a frame slot, a
 * value split over several registers with DW_OP_piece, a constant, nothing
 * (optimized out) or something else. The BTF encoder uses this to decide
 * whether a function still follows its declared calling convention.
 */
#include "dwl_internal.h"

#include <dwarf.h>

/* DWARF register number of a register-naming op, or -1. */
static int dwl_op_reg(const Dwarf_Op *op)
{
	if (op->atom >= DW_OP_reg0 && op->atom <= DW_OP_reg31)
		return op->atom - DW_OP_reg0;
	if (op->atom == DW_OP_regx)
		return op->number > UINT16_MAX ? -1 : (int)op->number;
	return -1;
}

static bool dwl_op_is_frame(const Dwarf_Op *op)
{
	return op->atom == DW_OP_fbreg || op->atom == DW_OP_bregx ||
	       (op->atom >= DW_OP_breg0 && op->atom <= DW_OP_breg31);
}

/* reg piece reg piece ...: MULTI_REG when at least two registers. */
static void dwl_classify_pieces(const Dwarf_Op *ops, size_t n, struct ir_param *p)
{
	size_t i, nregs = 0;
	int first = -1;

	for (i = 0; i < n; i++) {
		int r = dwl_op_reg(&ops[i]);

		if (ops[i].atom == DW_OP_piece || ops[i].atom == DW_OP_bit_piece)
			continue;
		if (r < 0) {
			p->loc = IR_LOC_OTHER;
			return;
		}
		if (first < 0)
			first = r;
		nregs++;
	}
	if (nregs == 1) {
		p->loc = IR_LOC_REG;
		p->reg = (uint16_t)first;
	} else {
		p->loc = nregs ? IR_LOC_MULTI_REG : IR_LOC_OTHER;
	}
}

static void dwl_classify(const Dwarf_Op *ops, size_t n, struct ir_param *p)
{
	size_t i;
	int r;

	if (n == 0) {
		p->loc = IR_LOC_OPTIMIZED_OUT;
		return;
	}
	for (i = 0; i < n; i++) {
		if (ops[i].atom == DW_OP_piece || ops[i].atom == DW_OP_bit_piece) {
			dwl_classify_pieces(ops, n, p);
			return;
		}
	}
	r = dwl_op_reg(&ops[0]);
	if (n == 1 && r >= 0) {
		p->loc = IR_LOC_REG;
		p->reg = (uint16_t)r;
	} else if (n == 1 && dwl_op_is_frame(&ops[0])) {
		p->loc = IR_LOC_STACK;
	} else {
		p->loc = IR_LOC_OTHER;
	}
}

void dwl_param_loc(struct dwl_unit *u, Dwarf_Die *param, Dwarf_Addr entry,
		   struct ir_param *p)
{
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t n = 0;
	int r;

	(void)u;
	if (!dwarf_attr(param, DW_AT_location, &attr)) {
		p->loc = dwarf_hasattr(param, DW_AT_const_value)
			? IR_LOC_CONST : IR_LOC_OPTIMIZED_OUT;
		return;
	}
	r = dwarf_getlocation_addr(&attr, entry, &ops, &n, 1);
	if (r < 0) {
		/* An unreadable list says nothing about the entry: be honest. */
		p->loc = IR_LOC_OTHER;
		return;
	}
	if (r == 0) {
		p->loc = IR_LOC_OPTIMIZED_OUT;
		return;
	}
	dwl_classify(ops, n, p);
}
