/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_c: print BTF as a compilable C header, the way
 * `bpftool btf dump file F format c` writes vmlinux.h, but sorted by name
 * so that the headers of two kernels diff cleanly.
 *
 * Owns:       nothing between calls; each call allocates its working state
 *             (per-type records, sort order, an explicit task stack) and
 *             frees it before returning.
 * Borrows:    the table (validated, e.g. by btfl_load_file(); split BTF is
 *             printed with its base), the stream and the options, for the
 *             duration of the call.
 * Threads:    no global state; concurrent calls on different streams are
 *             safe.
 * Errors:     0; -EIO when writing to out failed (ferror); -ENOMEM when an
 *             allocation failed; -E2BIG when the output would be absurdly
 *             large (shared anonymous types or prototypes expanding past a
 *             bound proportional to the input, hostile input only). Writes
 *             only to out, never to stderr. Output written before a failure
 *             stays written.
 * Hostile:    no recursion: type chains, nested anonymous bodies and
 *             parameter lists are expanded with an explicit task stack;
 *             cycles that C cannot spell (anonymous types or prototypes
 *             reaching themselves, pointer-only loops) print as "void".
 *
 * What is printed:
 *   - the bpftool frame: `#ifndef __VMLINUX_H__` guard and, for CO-RE,
 *     `#pragma clang attribute push (__attribute__((preserve_access_index)),
 *     apply_to = record)` unless BPF_NO_PRESERVE_ACCESS_INDEX is defined;
 *   - every named STRUCT, UNION, ENUM, ENUM64 and TYPEDEF; FWD (and ENUM
 *     with no values) as forward declarations; an anonymous ENUM inline
 *     where it is used when exactly one named struct, union or typedef
 *     uses it, else on its own as `enum { ... };` (its constants defined
 *     once) and spelled as its integer type where used; anonymous structs
 *     and unions inline where they are used; typedefs named __builtin_*
 *     are the compiler's and not defined; INT, FLOAT, PTR, ARRAY, modifiers
 *     and FUNC_PROTO only inside declarations. FUNC, VAR, DATASEC and
 *     DECL_TAG are not printed (bpftool does not either);
 *   - TYPE_TAG as __BTF_TYPE_TAG("x"), a macro the header defines as
 *     __attribute__((btf_type_tag("x"))) where the compiler has that
 *     attribute and as nothing elsewhere (gcc);
 *   - struct layouts exactly as BTF gives them: `__attribute__((packed))`
 *     when a member sits below its type's natural alignment (or a bitfield
 *     straddles its storage unit, or the size is not a multiple of the
 *     alignment), `__attribute__((aligned(N)))` (smallest N that works)
 *     when the size needs more alignment than the members give, anonymous
 *     bitfields (`long: 64;`, `int: 32;`, ...) or, for gaps over 64 bytes,
 *     `unsigned char __pad_N[K];` arrays where members do not fall where
 *     the compiler would put them; enums whose BTF size differs from what
 *     the compiler would choose get `__attribute__((mode(QI|HI|SI|DI)))`;
 *     enum values are signed or unsigned by kind_flag, with U/LL/ULL
 *     suffixes where they do not fit an int.
 *   - name clashes: two different STRUCT/UNION/ENUM definitions with one
 *     name share the tag namespace, so the second and later become
 *     NAME___2, NAME___3, ... (bpftool's convention); the same happens to
 *     typedefs and enum constants, which share the ordinary identifier
 *     namespace. A FWD refers to the first definition of its kind and name.
 *
 * The order (independent of type ids, so that permuted ids print the same
 * header):
 *   1. Every type gets a structural hash: Weisfeiler-Lehman refinement over
 *      the type graph (kind, name, sizes, member names and offsets, enum
 *      values, ..., then the hashes of the types it refers to, for a fixed
 *      number of rounds). Ids never enter it.
 *   2. The named types (and the anonymous enums) are sorted by
 *      (kind class: enums, then structs/unions/forwards, then typedefs;
 *       name; definitions before forwards; structural hash), the type id
 *      breaking only ties between types the hash cannot tell apart
 *      (structurally identical to the depth of the refinement). Clashing
 *      names get their ___N suffixes in this order.
 *   3. The sorted types are printed in turn. Before a type's definition
 *      come the definitions it needs by value (member types, array
 *      elements, typedef targets used by value; a typedef always needs its
 *      own definition), each recursively in member order, then forward
 *      declarations (`struct foo;`) of the structs and unions it reaches
 *      only through pointers and that are not defined yet. A type is
 *      printed once; forward declarations once.
 *   With opts->names, only the named types listed (any kind) are the roots
 *   of step 3; what they need by value is defined, what they reach only
 *   through pointers is forward-declared.
 */
#ifndef BTFENC_PRINT_BTF_C_H
#define BTFENC_PRINT_BTF_C_H

#include <stddef.h>
#include <stdio.h>

#include "../btf_format/btf_types.h"

struct btfp_c_opts {
	const char *const *names;	/* only these types and what they
					 * need; NULL = all */
	size_t nr_names;
};

/* Print btf as a C header to out. o may be NULL (everything). */
int btfp_c__print(const struct bfmt_btf *btf, FILE *out,
		  const struct btfp_c_opts *o);

#endif
