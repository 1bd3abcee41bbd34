/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * normal: a stable, sorted, line-oriented text form of what one or more
 * units describe, made to be diffed (scripts/btfdiff prints FILE's DWARF and
 * the BTF encoded from it this way and runs diff -u on the two).
 *
 * The form. One entry per named struct, union, enum and typedef, per
 * anonymous enum, per function and per variable; entries are sorted
 * bytewise and an entry identical to one already printed is printed once
 * (the same struct in many units is one entry; two different layouts under
 * one name are two). Each entry is a first line plus body lines that start
 * with a tab:
 *
 *   base NAME size N [bits B] [offset O] [signed] [char] [bool]
 *   enum NAME|(anon) size N [signed]
 *   	ENUMERATOR = VALUE                      (declaration order)
 *   struct|union NAME size N [tags(T,...)]
 *   	MEMBER: TYPE @BITOFF[:BITFIELD] [align A] [tags(T,...)]
 *   	MEMBER: struct|union (anon) size N @BITOFF   (anonymous composite:
 *   		...                                 its members, one tab more)
 *   typedef NAME: TYPE [align A]                (an anonymous composite or
 *   	...                                 enum target is expanded below)
 *   func NAME: RET (TYPE NAME, ..., ...) [tags(T,...)]
 *   var NAME@SECTION+OFFSET: TYPE [tags(T,...)]  (offset in hex)
 *
 * TYPE is spelled postfix, read left to right: "char const *" is a pointer
 * to const char, "int (long, ...) *" a pointer to a function, "int[3][4]"
 * an array; named types by name ("struct foo", "u32"), anonymous ones as
 * "struct (anon)"; FWD and definition spell the same. A member name of "-"
 * is an anonymous member. Bit offsets are relative to the enclosing struct
 * or union. Packed-ness is not printed: it is a function of the offsets and
 * sizes, which are.
 *
 * Normalisations (struct normal_opts), for comparing DWARF with BTF:
 * flat_arrays (an array of arrays is one array of the product, "int[3][4]"
 * is "int[12]", and a flexible dimension is "[0]"), drop_atomic (BTF has no
 * _Atomic), drop_align (BTF has no alignment attributes), btf_fallbacks
 * (spell what the BTF encoder cannot express as it encodes it, see
 * btf_encoder/btfe_types.c: C++ references are pointers, the unspecified
 * type is void, a scalar BTF cannot size is an anonymous struct of the same
 * size without members, a struct with a member BTF cannot place has no
 * members, an anonymous typedef is its type; also what it does like pahole
 * without saying: no "char" on base types (no BTF_INT_CHAR), no base type
 * __ARRAY_SIZE_TYPE__ (the array index type it may add), no enum without
 * enumerators (its enum FWD)), and a reference unit that selects functions
 * and variables (normal_printer__set_reference()). Unprototyped f() is
 * always f(void), as in BTF. Functions are printed when they are definitions (not
 * declarations), variables when they have storage in a known section and
 * are neither declarations nor function-scope statics.
 *
 * Owns:       copies of the entries printed so far and of the reference's
 *             functions and variables;
 *             nothing points into a CU after normal_printer__add_cu().
 * Borrows:    the CU during normal_printer__add_cu(), the FILE during
 *             normal_printer__write().
 * Threads:    none; one printer, one thread.
 * Errors:     0 or -ENOMEM, -EIO (a write failed), -EINVAL (bad arguments),
 *             -E2BIG (past NORMAL_MAX_TOTAL, see Limits).
 *             Never prints anywhere but the FILE given to write().
 * Limits:     type spelling follows at most NORMAL_MAX_DEPTH references
 *             ("<loop>" beyond) and anonymous members nest at most
 *             NORMAL_MAX_NEST deep ("{...}" beyond), so neither a cyclic
 *             nor an absurdly deep model can loop or exhaust the stack.
 *             Types are spelled as trees, so a model whose types share
 *             parts (function types whose parameters point to function
 *             types, anonymous unions whose members are one anonymous
 *             union) spells exponentially: an entry ends, with "<ERROR:
 *             too long>", at NORMAL_MAX_ENTRY bytes, and no more type is
 *             visited for it (the largest entry of a kernel is 15 KB); more
 *             than NORMAL_MAX_TOTAL bytes of distinct entries is -E2BIG.
 */
#ifndef BTFENC_PRINT_NORMAL_H
#define BTFENC_PRINT_NORMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../ir/ir.h"

#define NORMAL_MAX_DEPTH 64
#define NORMAL_MAX_NEST 32
#define NORMAL_MAX_ENTRY (1u << 20)
#define NORMAL_MAX_TOTAL ((size_t)256 << 20)

struct normal_opts {
	bool flat_arrays;		/* see above */
	bool drop_atomic;
	bool drop_align;
	bool btf_fallbacks;
};

struct normal_printer;

int normal_printer__new(const struct normal_opts *opts, struct normal_printer **ret);

/*
 * The unit the output will be compared with (scripts/btfdiff: the BTF).
 * From then on only functions with a name that ref has and variables at a
 * place (name, section, offset) that ref has are printed; and when one
 * function name (or variable place) has several differing entries, only
 * those equal to ref's are printed if some are (the encoder keeps one
 * definition; which one is its business). ref is only read during the
 * call. Call it at most once, before the first normal_printer__add_cu().
 */
int normal_printer__set_reference(struct normal_printer *p, const struct ir_cu *ref);

/* Collect the entries of one unit; the CU is only read. */
int normal_printer__add_cu(struct normal_printer *p, const struct ir_cu *cu);

/* Write every entry collected so far, sorted, each once. */
int normal_printer__write(const struct normal_printer *p, FILE *out);

void normal_printer__free(struct normal_printer *p);	/* accepts NULL */

/* What normal_printer__entry() spells. */
enum normal_what {
	NORMAL_TYPE,			/* index = an ir_id of the unit */
	NORMAL_FUNC,			/* index into cu->funcs */
	NORMAL_VAR,			/* index into cu->vars */
};

/*
 * The entry of one type, function or variable of cu, as normal_printer__write()
 * would print it (no reference filtering), without collecting it. Returns 1
 * and the text in *text_ret (valid until the next call on p), 0 when the
 * object has no entry (anonymous struct, declaration, ...), or -EINVAL,
 * -ENOMEM. src/verify compares DWARF and BTF objects this way.
 */
int normal_printer__entry(struct normal_printer *p, const struct ir_cu *cu,
			  enum normal_what what, size_t index, const char **text_ret);

#endif
