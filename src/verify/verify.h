/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verify: check by meaning that every type, function and variable of a BTF
 * matches the DWARF it was made from, and say what the BTF lost.
 *
 * The comparison is made in the normal form (src/print/normal.h), with the
 * normalisations scripts/btfdiff uses on both sides (flat arrays, no
 * _Atomic, no alignment, the encoder's documented fallbacks): two objects
 * agree when their entries are equal text. An entry holds what the issue
 * asks to compare: sizes, member names, bit offsets, bitfield widths,
 * enumerators (64-bit values, signedness), array dimensions, qualifiers,
 * typedef targets, prototypes with parameter names, and a variable's
 * section and offset. Objects are matched by a key: "struct NAME",
 * "union NAME", "enum NAME", "typedef NAME", "base NAME", "enum (anon)
 * FIRST-ENUMERATOR", "func NAME", "var NAME@SECTION+OFFSET".
 *
 * A BTF object is good when some DWARF object with its key has the same
 * entry (DWARF may define one name several ways; the deduplicated BTF keeps
 * each). The first DWARF object with the key, in file order, is the one a
 * mismatch is reported against. Findings:
 *   VF_MISMATCH  the BTF object differs from every DWARF object with its
 *                key: detail names the first differing line;
 *   VF_NO_DWARF  no DWARF object has its key;
 *   VF_LOST      what DWARF had and the BTF lost: an enumerator whose value
 *                does not fit in 32 bits, truncated or dropped by the BTF
 *                (when that is the only difference); a named DWARF type
 *                (struct, union, enum, typedef) with no BTF object at all;
 *                or a DWARF definition of a type no BTF object equals,
 *                while every BTF object of that name matched another
 *                definition (two layouts under one name, one kept).
 * Every finding counts as a failure; callers exit 1 on any.
 *
 * Feed the BTF first (vf_verifier__new), then each DWARF unit in file
 * order; DWARF units may be freed right after vf_verifier__add_cu(), so a
 * kernel's DWARF streams through. Names are compared as they are: give the
 * DWARF units the spelling BTF has first (ir_cu__btf_idents(), as the CLI
 * does), or a C++ "box<int>" is lost and the BTF's "box_int_" not in DWARF. Every DWARF type with a key the BTF has
 * is spelled; a function or variable only while some BTF object of its
 * key has not matched yet (a name may have several definitions, and the
 * encoder keeps one).
 *
 * Owns:       copies of every BTF entry and finding text.
 * Borrows:    the BTF unit, for the verifier's lifetime (it is read again
 *             for the enumerator check); each DWARF unit during add_cu.
 * Threads:    none; one verifier, one thread.
 * Errors:     0 or -ENOMEM, -EINVAL. Never prints.
 * Output:     findings sorted by class, key and BTF id: deterministic.
 */
#ifndef BTFENC_VERIFY_VERIFY_H
#define BTFENC_VERIFY_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "../ir/ir.h"

enum vf_class {
	VF_MISMATCH,
	VF_NO_DWARF,
	VF_LOST,
};

struct vf_finding {
	uint8_t cls;		/* enum vf_class */
	const char *key;	/* "struct foo", "func bar", ... */
	uint64_t btf_id;	/* the BTF type id; 0 for a DWARF type BTF lacks */
	uint64_t die;		/* DWARF DIE offset, 0 when there is none */
	const char *cu;		/* the DWARF unit's name, "" when none */
	const char *detail;	/* what differs */
};

struct vf_stats {
	uint64_t nr_btf;	/* BTF objects checked (not those of a base) */
	uint64_t nr_matched;	/* of them, equal to a DWARF object */
	uint64_t nr_dwarf_units;
};

struct vf_verifier;

/*
 * first_id: the first BTF id to check; objects with lower ids (the base of
 * split BTF, which a module's DWARF does not describe) are neither checked
 * nor counted, but their keys still count as present in the BTF. 0 or 1:
 * check everything.
 */
int vf_verifier__new(const struct ir_cu *btf, uint64_t first_id, struct vf_verifier **ret);
void vf_verifier__free(struct vf_verifier *v);	/* accepts NULL */

/* Compare one DWARF unit's types, functions and variables. */
int vf_verifier__add_cu(struct vf_verifier *v, const struct ir_cu *dwarf);

/* Decide the findings after the last unit; then only the getters. */
int vf_verifier__finish(struct vf_verifier *v);

void vf_verifier__findings(const struct vf_verifier *v, const struct vf_finding **ret,
			   size_t *n_ret);
void vf_verifier__stats(const struct vf_verifier *v, struct vf_stats *ret);

/* "mismatch", "not in DWARF", "lost". */
const char *vf_class_str(enum vf_class c);

#endif
