// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_strs: intern strings that libdw hands out, cheaply.
 *
 * Every name the loader reads is a pointer into the file's mapped sections
 * (.debug_str for DW_FORM_strp/strx/line_strp, .debug_info for
 * DW_FORM_string, the dwz alt file, the type-unit image, section names),
 * and those bytes stay put for the whole session. The same pointer comes
 * back over and over: a header's member and type names in every unit that
 * includes the header, a name in many DIEs of one unit. So the session
 * keeps a direct-mapped cache keyed by the pointer, each entry holding the
 * string's length and hash (computed once per session, not once per use)
 * and the copy interned in the CU being built (valid while the entry's
 * generation is the current unit's). A hit costs one multiply and one
 * compare and never touches the string itself; a miss (or a collision,
 * which just evicts the entry) falls back to ir_cu__intern_hashed().
 *
 * The cache only saves work: the result is always what ir_cu__intern()
 * returns for the same bytes, whatever was evicted, so the CUs do not
 * depend on its size or on the order units are decoded in. Its size is
 * fixed (DWL_STRS_BITS), so memory stays bounded however big the file.
 */
#include "dwl_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DWL_STRS_BITS 14

struct dwl_str_entry {
	const char *src;		/* the pointer libdw gave, NULL: empty */
	const char *interned;		/* the CU's copy, if gen is current */
	uint32_t len, hash;		/* of src's string */
	uint64_t gen;			/* unit generation of 'interned' */
};

struct dwl_strs {
	uint64_t gen;			/* current unit; 0 is never current */
	struct dwl_str_entry e[1u << DWL_STRS_BITS];
};

int dwl_strs_new(struct dwl_strs **ret)
{
	*ret = calloc(1, sizeof(**ret));
	return *ret ? 0 : -ENOMEM;
}

void dwl_strs_free(struct dwl_strs *c)
{
	free(c);
}

void dwl_strs_next_unit(struct dwl_strs *c)
{
	c->gen++;
}

const char *dwl_intern(struct dwl_strs *c, struct ir_cu *cu, const char *s)
{
	uint64_t h = (uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ULL;
	struct dwl_str_entry *e = &c->e[h >> (64 - DWL_STRS_BITS)];
	size_t len;

	if (e->src == s) {
		if (e->gen == c->gen)
			return e->interned;
	} else {
		len = strlen(s);
		if (len > UINT32_MAX)
			return ir_cu__intern(cu, s);
		e->src = s;
		e->len = (uint32_t)len;
		e->hash = ir_str_hash(s, len);
		e->gen = 0;
	}
	e->interned = ir_cu__intern_hashed(cu, s, e->len, e->hash);
	if (!e->interned)
		return NULL;
	e->gen = c->gen;
	return e->interned;
}
