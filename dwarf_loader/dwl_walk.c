// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_walk: visit every DIE of a unit with an explicit stack.
 *
 * Input controls nesting depth (a struct nested 10,000 deep, lexical
 * blocks in lexical blocks), so the walk never recurses: parents wait on
 * u->stack (a heap array reused across units). Each DIE is dispatched by
 * tag and context (unit level, inside a function, inside a struct, inside
 * an imported partial unit); the visitor says whether to descend and where:
 * a DW_TAG_imported_unit descends into the partial unit it imports, so its
 * types become part of this CU exactly like the unit's own.
 */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>

#include "src/util/vec.h"

struct dwl_step {
	Dwarf_Die into;			/* descend into its children */
	bool descend;
	uint8_t ctx;			/* context of those children */
};

/* DIEs that are part of something the decoders read, or that carry nothing
 * for the model; visited without being counted as skipped. */
bool dwl_is_quiet_tag(int tag)
{
	switch (tag) {
	case DW_TAG_member: case DW_TAG_enumerator: case DW_TAG_subrange_type:
	case DW_TAG_formal_parameter: case DW_TAG_unspecified_parameters:
	case DW_TAG_label: case DW_TAG_call_site: case DW_TAG_call_site_parameter:
	case DW_TAG_GNU_call_site: case DW_TAG_GNU_call_site_parameter:
	case DW_TAG_template_type_parameter: case DW_TAG_template_value_parameter:
	case DW_TAG_inheritance: case DW_TAG_imported_declaration:
	case DW_TAG_imported_module: case DW_TAG_dwarf_procedure:
	case DWL_TAG_LLVM_annotation: case DWL_TAG_GNU_annotation:
		return true;
	default:
		return false;
	}
}

/* DW_TAG_imported_unit: descend into the partial unit once per CU. */
static int dwl_import(struct dwl_unit *u, Dwarf_Die *die, struct dwl_step *st)
{
	Dwarf_Attribute attr;
	uint64_t key;

	if (!dwarf_attr(die, DW_AT_import, &attr) ||
	    !dwarf_formref_die(&attr, &st->into))
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad DW_AT_import");
	key = dwl_die_key(u, &st->into);
	if (hmap_get(&u->imported, key, NULL))
		return 0;
	if (hmap_set(&u->imported, key, 1))
		return -ENOMEM;
	st->descend = true;
	st->ctx = DWL_CTX_IMPORT;
	return 0;
}

static int dwl_inlined(struct dwl_unit *u, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Die origin;

	if (!dwarf_attr(die, DW_AT_abstract_origin, &attr))
		return 0;
	if (!dwarf_formref_die(&attr, &origin))
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad DW_AT_abstract_origin");
	return hmap_set(&u->inlined, dwl_die_key(u, &origin), 1) ? -ENOMEM : 0;
}

static void dwl_descend(Dwarf_Die *die, struct dwl_step *st, uint8_t ctx)
{
	st->into = *die;
	st->descend = true;
	st->ctx = ctx;
}

/* A struct whose children are all plain members (DWL_ST_PLAIN) is not
 * entered: its decoder has seen every child, and the walk would only count
 * them. */
static int dwl_visit_type(struct dwl_unit *u, Dwarf_Die *die, int tag,
			  uint8_t ctx, struct dwl_step *st)
{
	uint32_t kids = 0;
	int err;

	err = dwl_type_die(u, die, ctx == DWL_CTX_FUNC, &kids);
	if (tag != DW_TAG_structure_type && tag != DW_TAG_class_type &&
	    tag != DW_TAG_union_type && tag != DW_TAG_interface_type)
		return err;
	if (kids)
		u->f->stats->nr_dies += kids;
	else
		dwl_descend(die, st, DWL_CTX_TYPE);	/* nested definitions */
	return err;
}

static int dwl_visit(struct dwl_unit *u, Dwarf_Die *die, uint8_t ctx,
		     struct dwl_step *st)
{
	int tag = dwarf_tag(die), err = 0;

	st->descend = false;
	if (tag == DW_TAG_invalid)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "unreadable DIE");
	if (dwl_is_type_tag(tag) && tag != DW_TAG_subrange_type)
		return dwl_visit_type(u, die, tag, ctx, st);
	switch (tag) {
	case DW_TAG_subprogram:
		if (ctx == DWL_CTX_TYPE || ctx == DWL_CTX_IMPORT) {
			dwl_count_skipped(u->f, tag);	/* methods, dwz decls */
			return 0;
		}
		dwl_descend(die, st, DWL_CTX_FUNC);
		return dwl_func(u, die);
	case DW_TAG_variable:
		if (ctx == DWL_CTX_TOP || ctx == DWL_CTX_FUNC)
			err = dwl_var(u, die, ctx == DWL_CTX_FUNC);
		return err;
	case DW_TAG_inlined_subroutine:
		dwl_descend(die, st, DWL_CTX_FUNC);
		return dwl_inlined(u, die);
	case DW_TAG_lexical_block:
	case DW_TAG_namespace:
		dwl_descend(die, st, tag == DW_TAG_namespace ? ctx : DWL_CTX_FUNC);
		return 0;
	case DW_TAG_imported_unit:
		return dwl_import(u, die, st);
	default:
		if (!dwl_is_quiet_tag(tag))
			dwl_count_skipped(u->f, tag);
		return 0;
	}
}

static int dwl_push(struct dwl_unit *u, Dwarf_Die *die, uint8_t ctx)
{
	if (vec_push(&u->stack))
		return -ENOMEM;
	vec_last(&u->stack)->die = *die;
	vec_last(&u->stack)->ctx = ctx;
	return 0;
}

/*
 * Go to the next DIE after 'die' in pre-order, popping finished parents.
 * Returns 0 with *die set, 1 when the walk is over, <0 on error.
 */
static int dwl_advance(struct dwl_unit *u, Dwarf_Die *die, uint8_t *ctx)
{
	for (;;) {
		int r = dwl_sibling(u, die, die);

		if (r < 0)
			return dwl_err_libdw(u, dwarf_dieoffset(die), "cannot read next DIE");
		if (r == 0)
			return 0;
		if (u->stack.len == 0)
			return 1;
		u->stack.len--;
		*die = u->stack.v[u->stack.len].die;
		*ctx = u->stack.v[u->stack.len].ctx;
	}
}

/* Enter st->into's children; returns 1 if it has none. */
static int dwl_enter(struct dwl_unit *u, Dwarf_Die *die, uint8_t *ctx,
		     struct dwl_step *st)
{
	Dwarf_Die child;
	int r;

	if (!dwarf_haschildren(&st->into))
		return 1;
	r = dwl_child(u, &st->into, &child);
	if (r < 0)
		return dwl_err_libdw(u, dwarf_dieoffset(&st->into), "cannot read children");
	if (r == 1)
		return 1;
	if (dwl_push(u, die, *ctx))
		return -ENOMEM;
	*die = child;
	*ctx = st->ctx;
	return 0;
}

int dwl_walk_unit(struct dwl_unit *u, Dwarf_Die *root, uint8_t ctx)
{
	struct dwl_step st;
	Dwarf_Die die;
	int r;

	u->stack.len = 0;
	die = *root;
	st.into = *root;
	st.ctx = ctx;
	r = dwl_enter(u, &die, &ctx, &st);
	if (r)
		return r < 0 ? r : 0;
	u->stack.len = 0;		/* root itself needs no frame */
	for (;;) {
		u->f->stats->nr_dies++;
		r = dwl_visit(u, &die, ctx, &st);
		if (r)
			return r;
		r = st.descend ? dwl_enter(u, &die, &ctx, &st) : 1;
		if (r == 1)
			r = dwl_advance(u, &die, &ctx);
		if (r)
			return r < 0 ? r : 0;
	}
}
