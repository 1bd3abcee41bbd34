/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_dump: print a BTF table type by type, exactly as bpftool does.
 *
 * The reference is Debian 12's bpftool (v7.1.0, libbpf 1.1):
 *   btfp_raw__print()   == `bpftool btf dump file F`      (format raw)
 *   btfp_json__print()  == `bpftool -j btf dump file F`   (compact JSON)
 *                          `bpftool -p btf dump file F`   (pretty JSON)
 * byte for byte, trailing newline included, for every kind. bpftool's
 * quirks are reproduced on purpose (the unit tests pin each one):
 *  - names: offset 0 prints as (anon), an offset outside the strings as
 *    (invalid), an empty string at a non-zero offset as ''; raw format
 *    prints names unescaped between single quotes;
 *  - JSON strings escape only \t \n \r \f \b and ", print a backslash as
 *    "\n" (a typo bpftool's json_writer.c inherited from iproute2) and
 *    every other byte unchanged;
 *  - ENUM values print as u32 (%u) or, with kind_flag, s32; ENUM64 ones
 *    with a ULL / LL suffix; in JSON an unsigned ENUM value is the s32
 *    sign-extended to u64 (-1 prints as 18446744073709551615);
 *  - members without kind_flag print their offset word whole as
 *    bits_offset; bitfield_size only appears when non-zero;
 *  - raw DATASEC lines name the variable's kind and name when its id is
 *    below the type count (id 0 is "UNKNOWN '(anon)'"); JSON does not;
 *  - kinds without a name in bpftool's table print as UNKNOWN.
 *
 * Split BTF: only the split part is printed, with its real ids (from
 * start_id), as `bpftool -B BASE btf dump file SPLIT` does; ids, names
 * and DATASEC annotations that point into the base resolve there.
 *
 * Owns:       nothing; all state lives on the stack of one call.
 * Borrows:    btf (and its base) and out for the duration of a call; the
 *             table is only read, so it may be unvalidated: bad ids and
 *             string offsets print as bpftool prints them, never crash.
 * Threads:    no global state; concurrent calls on distinct streams are safe.
 * Errors:     0, or -EIO when writing to out failed (out is flushed at the
 *             end, then ferror() is checked); the output may be partial.
 *             Nothing is ever written anywhere but to out.
 */
#ifndef BTFENC_PRINT_BTF_DUMP_H
#define BTFENC_PRINT_BTF_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../btf_format/btf_types.h"

struct btfp_opts {
	const char *const *names;	/* print only types whose name is one
					 * of these (exact match; types without
					 * a name never match); NULL: all */
	size_t nr_names;		/* entries in names */
	bool pretty;			/* json only: bpftool -p layout */
};

/* `bpftool btf dump file F` of btf. o may be NULL (everything). */
int btfp_raw__print(const struct bfmt_btf *btf, FILE *out, const struct btfp_opts *o);

/* `bpftool -j btf dump file F` (or -p when o->pretty) of btf. o may be NULL. */
int btfp_json__print(const struct bfmt_btf *btf, FILE *out, const struct btfp_opts *o);

/*
 * Shared by the two printers (defined in btf_raw.c), bpftool's wording.
 */

/* Kind name: "INT" ... "ENUM64"; "UNKNOWN" for 0 and unknown kinds. */
const char *btfp__kind_str(uint32_t kind);
/* A name: "(anon)" for offset 0, "(invalid)" outside the strings. */
const char *btfp__name(const struct bfmt_btf *btf, uint32_t name_off);
/* INT encoding: "(none)", "SIGNED", "CHAR", "BOOL" or "UNKN". */
const char *btfp__int_enc_str(uint32_t encoding);
/* VAR and FUNC linkage: "static", "global", "extern" or "(unknown)". */
const char *btfp__linkage_str(uint32_t linkage);
/* Does o select type t (the name filter)? */
bool btfp__selected(const struct bfmt_btf *btf, const struct bfmt_type *t,
		    const struct btfp_opts *o);

#endif
