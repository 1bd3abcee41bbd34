#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/tools/gen-dwarf.sh SHAPE [N]: write to stdout the assembler source
# of one hand-made DWARF 4 unit (x86-64 ELF, assemble with `as`), for the
# tests of huge and hostile inputs. C compilers are too slow for these
# shapes (gcc needs minutes for 100,000 chained typedefs) and refuse the
# hostile ones. Every shape has a struct "holder" that reaches the rest.
#
#   typedef-chain N  typedef t0 = int, t1 = t0, ..., holder { tN-1 m; }
#   ptr-chain N      holder { int **...* p; } with N stars (pointer DIEs)
#   const-chain N    holder { const const ... int m; } (N const DIEs)
#   nest N           s0 { int x; }, si { char c; s(i-1) m; }, holder { sN-1 m; }
#   wide N           holder with N int members
#   ref-self         a typedef whose DW_AT_type is itself
#   ref-loop         typedef a -> typedef b -> const -> typedef a (no pointer)
#   ref-outside      a member whose DW_AT_type points past the unit
#   ref-inside-die   a member whose DW_AT_type points into the middle of a DIE
#   struct-cycle     struct a { struct a m; } (a struct containing itself)
#   array-huge       holder { int a[2^63 - 1]; } (absurd bound)
#   size-huge        holder with DW_AT_byte_size 2^63 and a member at 2^62
#   abbrev-garbage   the DIEs use an abbreviation code the table lacks
#   abbrev-unterminated  an abbreviation table with no terminator
#   bad-form         an attribute form code that DWARF does not define
#   type-unit-absent a DW_FORM_ref_sig8 reference to a type unit not there
#   empty-names      holder { struct "" { int ""; int x; } ""; int ""; int m; }:
#                    empty DW_AT_name strings (an empty name is no name)
#   no-names         the same without DW_AT_name where empty-names has ""
set -eu

shape=${1:?usage: gen-dwarf.sh SHAPE [N]}
n=${2:-0}

awk -v shape="$shape" -v n="$n" '
function out(s) { print s }
# abbrev CODE TAG CHILDREN "AT FORM AT FORM ..."
function abbrev(code, tag, children, pairs,   k, np, a) {
	out("\t.uleb128 " code); out("\t.uleb128 " tag); out("\t.byte " children)
	np = split(pairs, a, " ")
	for (k = 1; k <= np; k++) out("\t.uleb128 " a[k])
	out("\t.byte 0\n\t.byte 0")
}
function str(s) { out("\t.string \"" s "\"") }
function ref(label) { out("\t.long " label " - .Lcu") }
function die(code, label) { if (label != "") out(label ":"); out("\t.uleb128 " code) }
function typedef_die(label, name, target) { die(3, label); str(name); ref(target) }
function member(name, target, off) { die(5, ""); str(name); ref(target); out("\t.long " off) }
function struct_open(label, name, size) { die(4, label); str(name); out("\t.long " size) }
BEGIN {
	out("\t.section .debug_abbrev,\"\",@progbits")
	if (shape == "abbrev-unterminated") {
		# One entry whose attribute list never ends: 0x03 0x08 repeated
		# to the end of the section, no 0 0 pair, no table terminator.
		out("\t.uleb128 1\n\t.uleb128 0x11\n\t.byte 1")
		for (k = 0; k < 64; k++) out("\t.byte 0x03, 0x08")
	} else {
		abbrev(1, "0x11", 1, "0x25 0x08 0x13 0x0b 0x03 0x08")	# compile_unit
		abbrev(2, "0x24", 0, "0x03 0x08 0x3e 0x0b 0x0b 0x0b")	# base_type
		abbrev(3, "0x16", 0, "0x03 0x08 0x49 0x13")		# typedef
		abbrev(4, "0x13", 1, "0x03 0x08 0x0b 0x06")		# structure_type
		abbrev(5, "0x0d", 0, "0x03 0x08 0x49 0x13 0x38 0x06")	# member
		abbrev(6, "0x0f", 0, "0x0b 0x0b 0x49 0x13")		# pointer_type
		abbrev(7, "0x26", 0, "0x49 0x13")			# const_type
		abbrev(8, "0x01", 1, "0x49 0x13")			# array_type
		abbrev(9, "0x21", 0, "0x49 0x13 0x2f 0x07")		# subrange_type
		abbrev(10, "0x13", 1, "0x03 0x08 0x0b 0x07")		# struct, 8-byte size
		abbrev(11, "0x0d", 0, "0x03 0x08 0x49 0x13 0x38 0x07")	# member, 8-byte offset
		abbrev(12, "0x0d", 0, "0x03 0x08 0x49 0x20")		# member, ref_sig8 type
		abbrev(13, "0x0d", 0, "0x03 0x08 0x49 0x7f")		# member, form 0x7f
		abbrev(14, "0x13", 1, "0x0b 0x06")			# struct, no name
		abbrev(15, "0x0d", 0, "0x49 0x13 0x38 0x06")		# member, no name
		out("\t.byte 0")
	}
	out("\t.section .debug_info,\"\",@progbits")
	out(".Lcu:\n\t.long .Lcu_end - .Lcu - 4\n\t.value 4\n\t.long 0\n\t.byte 8")
	die(1, ""); str("btfenc gen-dwarf.sh"); out("\t.byte 0x0c"); str(shape ".c")
	die(2, ".Lint"); str("int"); out("\t.byte 5\n\t.byte 4")
	die(2, ".Lchar"); str("char"); out("\t.byte 6\n\t.byte 1")
	if (shape == "typedef-chain") {
		typedef_die(".Lt0", "t0", ".Lint")
		for (i = 1; i < n; i++) typedef_die(".Lt" i, "t" i, ".Lt" (i - 1))
		struct_open("", "holder", 4); member("m", ".Lt" (n - 1), 0); out("\t.byte 0")
	} else if (shape == "ptr-chain" || shape == "const-chain") {
		prev = ".Lint"
		for (i = 0; i < n; i++) {
			if (shape == "ptr-chain") { die(6, ".Lp" i); out("\t.byte 8"); ref(prev) }
			else { die(7, ".Lp" i); ref(prev) }
			prev = ".Lp" i
		}
		struct_open("", "holder", shape == "ptr-chain" ? 8 : 4)
		member("m", prev, 0); out("\t.byte 0")
	} else if (shape == "nest") {
		struct_open(".Ls0", "s0", 4); member("x", ".Lint", 0); out("\t.byte 0")
		for (i = 1; i < n; i++) {
			struct_open(".Ls" i, "s" i, 4 + 4 * i)
			member("c", ".Lchar", 0); member("m", ".Ls" (i - 1), 4); out("\t.byte 0")
		}
		struct_open("", "holder", 4 * n); member("m", ".Ls" (n - 1), 0); out("\t.byte 0")
	} else if (shape == "wide") {
		struct_open("", "holder", 4 * n)
		for (i = 0; i < n; i++) member("m" i, ".Lint", 4 * i)
		out("\t.byte 0")
	} else if (shape == "ref-self") {
		typedef_die(".Lself", "self", ".Lself")
		struct_open("", "holder", 4); member("m", ".Lself", 0); out("\t.byte 0")
	} else if (shape == "ref-loop") {
		typedef_die(".La", "a", ".Lb"); typedef_die(".Lb", "b", ".Lc")
		die(7, ".Lc"); ref(".La")
		struct_open("", "holder", 4); member("m", ".La", 0); out("\t.byte 0")
	} else if (shape == "ref-outside") {
		struct_open("", "holder", 4)
		die(5, ""); str("m"); out("\t.long 0x7ffffff0"); out("\t.long 0")
		out("\t.byte 0")
	} else if (shape == "ref-inside-die") {
		struct_open("", "holder", 4)
		die(5, ""); str("m"); out("\t.long .Lint - .Lcu + 2"); out("\t.long 0")
		out("\t.byte 0")
	} else if (shape == "struct-cycle") {
		struct_open(".Lsa", "a", 4); member("m", ".Lsa", 0); out("\t.byte 0")
		struct_open("", "holder", 4); member("m", ".Lsa", 0); out("\t.byte 0")
	} else if (shape == "array-huge") {
		die(8, ".Larr"); ref(".Lint")
		die(9, ""); ref(".Lint"); out("\t.quad 0x7ffffffffffffffe"); out("\t.byte 0")
		struct_open("", "holder", 4); member("a", ".Larr", 0); out("\t.byte 0")
	} else if (shape == "size-huge") {
		die(10, ""); str("holder"); out("\t.quad 0x8000000000000000")
		die(11, ""); str("m"); ref(".Lint"); out("\t.quad 0x4000000000000000")
		out("\t.byte 0")
	} else if (shape == "abbrev-garbage") {
		out("\t.uleb128 77\n\t.byte 0xde, 0xad, 0xbe, 0xef")
	} else if (shape == "abbrev-unterminated") {
		# the unit DIE above uses code 1, whose attribute list never ends
	} else if (shape == "bad-form") {
		struct_open("", "holder", 4); die(13, ""); str("m"); out("\t.byte 0")
	} else if (shape == "type-unit-absent") {
		struct_open("", "holder", 4)
		die(12, ""); str("m"); out("\t.quad 0x0123456789abcdef"); out("\t.byte 0")
	} else if (shape == "empty-names" || shape == "no-names") {
		e = shape == "empty-names"
		if (e) struct_open(".Lanon", "", 8); else { die(14, ".Lanon"); out("\t.long 8") }
		if (e) member("", ".Lint", 0); else { die(15, ""); ref(".Lint"); out("\t.long 0") }
		member("x", ".Lint", 4); out("\t.byte 0")
		struct_open("", "holder", 16)
		if (e) member("", ".Lanon", 0); else { die(15, ""); ref(".Lanon"); out("\t.long 0") }
		if (e) member("", ".Lint", 8); else { die(15, ""); ref(".Lint"); out("\t.long 8") }
		member("m", ".Lint", 12); out("\t.byte 0")
	} else {
		print "gen-dwarf.sh: unknown shape " shape > "/dev/stderr"
		exit 2
	}
	out("\t.byte 0\n.Lcu_end:")
}'
