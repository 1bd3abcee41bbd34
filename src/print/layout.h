/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * layout: print struct and union layouts exactly as `pahole FILE` (dwarves
 * 1.24) prints them: members with "offset size" comments, holes, bit holes,
 * paddings, cacheline markers, the closing statistics, and pahole's
 * selection rules.
 *
 * Selection without names (pahole FILE): every named, defined struct and
 * union at file scope, in the order the unit declares them (DIE order), CU
 * after CU; one already printed with the same name, size and member layout
 * (names, bit offsets, bitfield sizes) is not printed again, but two
 * different layouts under one name both are. Anonymous ones only appear
 * inline inside their container. Nothing separates two types but "};\n".
 *
 * Selection with names (pahole -C a,b FILE), pahole's own semantics: names
 * are looked up in list order in each CU as it arrives; a defined struct,
 * union, enum or typedef of that name is printed (typedefs and enums in
 * pahole's "typedef ..."/"enum ..." forms) and the name is done; the first
 * name a CU lacks ends that CU's turn. Names still pending at the end are
 * "not found" (pahole reports the first of them).
 *
 * Owns:       its options copy, the set of layouts already printed and the
 *             pending -C names (all copied; nothing points into a CU after
 *             layout_printer__add_cu() returns, so the caller may free it).
 * Borrows:    the FILE, until layout_printer__free().
 * Threads:    none; one printer, one thread, CUs in file order.
 * Errors:     0 or -ENOMEM, -EIO (a write to the FILE failed), -EINVAL
 *             (bad arguments). The printer writes only to its FILE, never to
 *             stderr.
 * Limits:     inline anonymous structs nest at most LAYOUT_MAX_NEST deep; a
 *             deeper one is printed as a one-line "struct {...}" member, so
 *             no input can exhaust the stack; cyclic models are cut the same
 *             way. Forced padding stops after LAYOUT_MAX_PAD_LINES lines
 *             and inlining after LAYOUT_MAX_INLINE members per top-level
 *             type, so the output stays proportional to the input.
 */
#ifndef BTFENC_PRINT_LAYOUT_H
#define BTFENC_PRINT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../ir/ir.h"

#define LAYOUT_MAX_NEST 32
/* Lines of "Force padding" printed at most (pahole prints one per member
 * of padding, without limit). */
#define LAYOUT_MAX_PAD_LINES 4096
/* Members inlined (anonymous structs, unions, enums) and forced-padding
 * lines in one top-level type at most; past that, inline types print as
 * one-line "struct {...}" and forced padding stops. */
#define LAYOUT_MAX_INLINE 65536

struct layout_opts {
	const char *const *names;	/* -C filter, NULL (or nr_names 0) = all */
	size_t nr_names;
	unsigned cacheline_size;	/* bytes; 0 means 64 */
	bool color;			/* ANSI colours: type names bold, member
					 * names green, offset comments cyan; the
					 * text (and its columns) is unchanged */
};

struct layout_printer;

/* Create a printer writing to out; names are copied. */
int layout_printer__new(const struct layout_opts *opts, FILE *out,
			struct layout_printer **ret);

/* Print what this CU adds. The CU is only read, and not referred to after
 * the call returns. */
int layout_printer__add_cu(struct layout_printer *p, const struct ir_cu *cu);

/* Flush the FILE; returns -EIO if any write failed. Names not found do not
 * make this fail (pahole exits 0 too): ask layout_printer__missing(). */
int layout_printer__finish(struct layout_printer *p);

/* The i-th -C name still not found (in the order given), NULL past the
 * end. pahole prints "pahole: type '<first>' not found" for the first. */
const char *layout_printer__missing(const struct layout_printer *p, size_t i);

void layout_printer__free(struct layout_printer *p);	/* accepts NULL */

#endif
