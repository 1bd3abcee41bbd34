/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * type_name: spell IR types the way pahole (dwarves 1.24) spells them.
 *
 * pahole's spelling is not quite C: a pointer is "T *" with a space before
 * the star ("char * *"), qualifiers that are not printed as a prefix by
 * the member printer keep a trailing space ("const char  *" comes from
 * "const char " + " *"), "restrict" is a suffix, function types print as
 * "ret (name)(params)" and an empty parameter list as "(void)". The layout
 * printer and the C-header printer both use this module so that every
 * place that names a type agrees with pahole byte for byte.
 *
 * Owns:       struct tn_buf owns its heap buffer (tn_buf_deinit frees it).
 * Borrows:    the CU, for the duration of each call.
 * Threads:    none; a tn_buf is used by one thread.
 * Errors:     appends never fail visibly: on ENOMEM the buffer keeps what it
 *             had and sets ->oom, which the caller turns into -ENOMEM.
 * Invariants: s is NUL-terminated whenever cap > 0; the depth of type
 *             chains followed is bounded (TN_MAX_DEPTH), so a malformed
 *             cyclic or absurdly deep model cannot loop or overflow the
 *             stack; such a type is spelled "<ERROR: type loop>". A name
 *             spelled by tn_append_name() or tn_append_ftype() is at most
 *             TN_MAX_LEN bytes (other appends are not limited): function
 *             types whose parameters
 *             are pointers to function types spell their shared parts
 *             once per use, so a hostile model of a few dozen types can
 *             spell to gigabytes (a fuzz finding: 1.2 GB); past the limit
 *             the spelling stops, says "<ERROR: name too long>", and no
 *             further type is visited.
 */
#ifndef BTFENC_PRINT_TYPE_NAME_H
#define BTFENC_PRINT_TYPE_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include "../ir/ir.h"

/* How many references a name may follow before it is called a loop. */
#define TN_MAX_DEPTH 64

/* The longest name spelled (a kernel's longest are a few hundred bytes). */
#define TN_MAX_LEN (64 * 1024)

struct tn_buf {
	char *s;		/* NUL-terminated text, NULL until first append */
	size_t len, cap;
	bool oom;		/* an append failed; the text is truncated */
	size_t limit;		/* while a name is spelled, or under
				 * tn_buf_limit(): where the text must end */
	const char *marker;	/* what ends the text at the limit */
	bool full;		/* the text reached its limit; it says so */
};

void tn_buf_init(struct tn_buf *b);
void tn_buf_deinit(struct tn_buf *b);
static inline void tn_buf_reset(struct tn_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}
static inline const char *tn_buf_str(const struct tn_buf *b)
{
	return b->s ? b->s : "";
}

__attribute__((format(printf, 2, 3)))
void tn_printf(struct tn_buf *b, const char *fmt, ...);

/*
 * Bound what is appended from now on to max more bytes; 0 lifts the bound
 * and clears ->full. Past it the text ends with "<ERROR: too long>", ->full
 * is set and every later append is dropped: a walk that appends stops when
 * it sees ->full, so its time is bounded too. Not to be mixed with the
 * name spellers below, which set their own bound for the name and lift it.
 */
void tn_buf_limit(struct tn_buf *b, size_t max);

/* Append pahole's name for type id ("void" for 0): the text its
 * tag__name() produces, e.g. "const char  *", "struct foo", "int". */
void tn_append_name(struct tn_buf *b, const struct ir_cu *cu, ir_id id);

/*
 * Append a function type with a declarator name, pahole's ftype spelling:
 * "%-*s (*name)(params)" with ret padded to type_spacing. is_pointer adds
 * the star; with is_prototype false the parentheses around the name are
 * left out (function declarations). name may be NULL.
 */
void tn_append_ftype(struct tn_buf *b, const struct ir_cu *cu, ir_id proto,
		     const char *name, bool is_pointer, int type_spacing,
		     bool is_prototype);

/* The kind after skipping TYPE_TAG annotations (pahole ignores them when it
 * decides how to spell a pointer). Returns the id reached. */
ir_id tn_skip_type_tags(const struct ir_cu *cu, ir_id id);

#endif
