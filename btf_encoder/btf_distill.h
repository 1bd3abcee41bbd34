/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_distill: distilled base BTF (".BTF.base") for split BTF, and the
 * relocation of split BTF from its distilled base onto a full base, with
 * the rules of libbpf's btf__distill_base() and btf_relocate() (libbpf >=
 * 1.5, kernel/bpf/btf_relocate.c; Alan Maguire's "bpf: distilled base BTF"
 * series). btfe_distill.c and btfe_relocate.c give the details.
 *
 * Why: a module's split BTF refers to vmlinux types by id, so any change
 * of vmlinux invalidates it. The distilled base describes just the base
 * types the module refers to, by name (and size), so that the kernel can
 * map them onto whatever vmlinux it runs and rewrite the module's ids.
 *
 * Contract:
 *   - btfd_distill_base() never changes its input; it returns two new
 *     tables: the distilled base (no base of its own) and a new split table
 *     on top of it that describes the same types as the input.
 *   - btfd_relocate_map() / btfd_relocate() map split-on-distilled BTF onto
 *     a full base the way the kernel does when it loads a module with a
 *     .BTF.base section; btfd_relocate() then rewrites the split table.
 *   - Deterministic: the output depends only on the inputs' bytes, and for
 *     well-formed input the distilled base and new split are the ones
 *     libbpf's btf__distill_base() builds (same types, same order).
 *   - No recursion on input depth; memory linear in the table sizes.
 * Owns:    nothing after return (returned tables belong to the caller).
 * Borrows: the inputs and the diag sink, for the duration of a call; a
 *          relocated table borrows its new base afterwards.
 * Threads: no global state; calls on different tables may run in parallel.
 * Errors:  0 or a negative errno; outputs are written and tables changed
 *          only on success. Every failure is reported once through d at
 *          DIAG_ERROR as one line naming the type at fault, e.g.
 *          "distilled base type [3] STRUCT 'foo' size 16: no type of that
 *          name, kind and size in the base".
 *          -EINVAL: not split BTF, malformed input (ids or string offsets
 *          out of range, unknown kinds), a split type that refers to a base
 *          kind that cannot be distilled (FUNC, VAR, DATASEC, DECL_TAG), a
 *          distilled type with no match or more than one match in the base;
 *          -ENOMEM; -E2BIG (too many types).
 */
#ifndef BTFENC_BTF_DISTILL_H
#define BTFENC_BTF_DISTILL_H

#include <stdint.h>

#include "btf_format/btf_types.h"
#include "util/diag.h"

/*
 * Given split BTF (split->base = the full base), build a distilled base and
 * a new split BTF on top of it. Neither input is changed.
 *
 * The distilled base holds, in the order of their ids in the full base,
 * the base types the split BTF needs that can be found again by name:
 *   - named INT and FLOAT, whole; FWD, whole;
 *   - named STRUCT and UNION as the same kind with no members and the
 *     original size (kind_flag 0);
 *   - named ENUM and ENUM64 as an ENUM with no values and the original size
 *     (1, 2, 4 or 8; kind_flag 0) - the kernel's relocation matches it with
 *     an ENUM or ENUM64 of that name and size.
 * The new split BTF holds the split types first, in their order, then the
 * other base types the split types need, whole, in base id order: pointers,
 * typedefs, modifiers, arrays, function prototypes, type tags, anonymous
 * STRUCT/UNION/ENUM/ENUM64 (with everything they refer to: the members of
 * an anonymous struct, unless they are named structs, follow it), and
 * anonymous INT/FLOAT (see btfe_distill.c: libbpf would put those in the
 * distilled base, which the kernel then rejects). "Needs" is transitive
 * through every kept type except named STRUCT/UNION, whose members are not
 * kept. Every type id is rewritten: base ids to their new ids, split ids
 * shifted down to follow the (smaller) distilled base. Strings are copied
 * by content.
 *
 * Before returning, the result is checked by relocating it (as the kernel
 * would) onto the original base: if a distilled type cannot be found again
 * there - in particular two base STRUCT/UNIONs of the same name and size,
 * which the kernel cannot tell apart - the call fails with -EINVAL and a
 * message naming the type and both candidate ids, rather than produce a
 * .BTF.base that the kernel would reject.
 *
 * On success *new_base_ret (no base) and *new_split_ret (base =
 * *new_base_ret, borrowed) are new tables: free the split table first, then
 * the base (or hand the base over with bfmt_btf__own_base(*new_split_ret)).
 * d may be NULL.
 */
int btfd_distill_base(const struct bfmt_btf *split, const struct diag *d,
		      struct bfmt_btf **new_base_ret, struct bfmt_btf **new_split_ret);

/*
 * Map each type of split's base (a distilled base: no base of its own, only
 * named INT, FLOAT, ENUM, STRUCT, UNION and FWD types) onto full_base, as
 * the kernel does (btf_relocate_map_distilled_base()):
 *   - INT: an INT of the same name, size and encoding;
 *   - FLOAT: a FLOAT of the same name and size;
 *   - ENUM: an ENUM or ENUM64 of the same name and size;
 *   - FWD: a FWD of the same name and kind_flag, or a STRUCT (kind_flag 0)
 *     or UNION (kind_flag 1) of the same name;
 *   - STRUCT/UNION: one of the same kind and name; the size must also match
 *     when the type is embedded in a split STRUCT/UNION (a member's type,
 *     through typedefs, modifiers, type tags and arrays, not pointers), or
 *     when full_base has several STRUCT/UNIONs of that name.
 * Each distilled type must have exactly one match.
 * On success *map_ret (malloc'd, the caller frees it) has
 * bfmt_btf__nr_types(split->base) entries: the full_base id of each
 * distilled base id (entry 0 is 0). Nothing is changed.
 */
int btfd_relocate_map(const struct bfmt_btf *split, const struct bfmt_btf *full_base,
		      const struct diag *d, uint32_t **map_ret);

/*
 * Relocate split (split BTF on a distilled base) onto full_base: map the
 * distilled base with btfd_relocate_map(), then rewrite split's own types
 * for full_base: references to distilled types become the matched
 * full_base ids, split ids move to follow full_base, strings are re-added
 * by content. On success split->base is full_base (borrowed: it must
 * outlive split); if split owned its distilled base (bfmt_btf__own_base()),
 * that base is freed. id_map_ret may be NULL; otherwise *id_map_ret
 * (malloc'd) maps every old id (distilled base and split, 0 included,
 * bfmt_btf__nr_types(split) entries as before the call) to its new id.
 * On failure split is unchanged.
 */
int btfd_relocate(struct bfmt_btf *split, const struct bfmt_btf *full_base,
		  const struct diag *d, uint32_t **id_map_ret);

#endif
