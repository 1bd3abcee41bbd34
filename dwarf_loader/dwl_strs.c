// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_strs: intern strings that libdw hands out, cheaply.
 *
 * Every name the loader reads is a pointer into the file's mapped sections
 * (.debug_str for DW_FORM_strp/strx/line_strp, .debug_info for
 * DW_FORM_string, the dwz alt file, the type-unit image, section names),
 * and those bytes stay put for the whole session. The same pointer comes
 * back over and over within a unit (a member name such as "next" or
 * "lock" in many structs, a type name at every use). So a small
 * direct-mapped cache keyed by the pointer, emptied for every unit, holds
 * the copy interned in the CU being built. A hit costs one multiply and one
 * compare and never touches the string itself; a miss (or a collision,
 * which just evicts the entry) interns the string in the CU. The cache is
 * small on purpose: it stays in the CPU's caches, where a bigger one, or
 * one that also kept lengths and hashes across units, costs more in memory
 * traffic than it saves.
 *
 * The cache only saves work: the result is always what ir_cu__intern()
 * returns for the same bytes, whatever was evicted, so the CUs do not
 * depend on its size or on the order units are decoded in. Its size is
 * fixed (DWL_STRS_BITS), so memory stays bounded however big the file.
 *
 * With dwl_opts.borrow_names the CU gets libdw's pointer itself: no cache,
 * no copy. That is the caller's promise to be done with every CU before
 * dwl_load_file() returns, when the sections go away. Member, type and
 * parameter names were a tenth of the decoding time of Debian's 6.1
 * vmlinux (the first use of each name in each of 2,170 units: hash, probe,
 * copy).
 */
#include "dwl_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DWL_STRS_BITS 13

struct dwl_str_entry {
	const char *src;		/* the pointer libdw gave, NULL: empty */
	const char *interned;		/* the current CU's copy */
};

struct dwl_strs {
	bool borrow;			/* hand out the section's pointer */
	struct dwl_str_entry e[];	/* 1 << DWL_STRS_BITS; none to borrow */
};

int dwl_strs_new(struct dwl_strs **ret, bool borrow)
{
	*ret = calloc(1, sizeof(**ret) +
			 (borrow ? 0 : sizeof((*ret)->e[0]) << DWL_STRS_BITS));
	if (*ret)
		(*ret)->borrow = borrow;
	return *ret ? 0 : -ENOMEM;
}

void dwl_strs_free(struct dwl_strs *c)
{
	free(c);
}

void dwl_strs_next_unit(struct dwl_strs *c)
{
	if (!c->borrow)
		memset(c->e, 0, sizeof(c->e[0]) << DWL_STRS_BITS);
}

bool dwl_strs_borrows(const struct dwl_strs *c)
{
	return c->borrow;
}

const char *dwl_intern(struct dwl_strs *c, struct ir_cu *cu, const char *s)
{
	uint64_t h = (uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ULL;
	struct dwl_str_entry *e;
	const char *t;

	if (c->borrow)
		return s;
	e = &c->e[h >> (64 - DWL_STRS_BITS)];
	if (e->src == s)
		return e->interned;
	t = ir_cu__intern(cu, s);
	if (t) {
		e->src = s;
		e->interned = t;
	}
	return t;
}
