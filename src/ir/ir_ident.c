// SPDX-License-Identifier: GPL-2.0-only
/*
 * ir_ident: the names BTF wants as identifiers, and how a name that is not
 * one is spelled there. The BTF encoder spells them so (btf_encoder/
 * btfe_types.c: C++ templates and operators, Rust paths, over-long
 * names); verify and the normal form spell DWARF's names the same way
 * before they compare, so that a C++ "box<int>" and the BTF's "box_int_"
 * are one name and not a type lost and another not in DWARF.
 */
#include "ir.h"

#include <errno.h>
#include <string.h>

static bool ir_ident_char_ok(char c, bool first)
{
	if (c == '_' || c == '.')
		return true;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return !first && c >= '0' && c <= '9';
}

bool ir_ident_valid(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++)
		if (i >= IR_IDENT_MAX - 1 || !ir_ident_char_ok(name[i], i == 0))
			return false;
	return i > 0;
}

void ir_ident_sanitize(const char *name, char buf[IR_IDENT_MAX])
{
	size_t i;

	for (i = 0; name[i] && i < IR_IDENT_MAX - 1; i++)
		buf[i] = ir_ident_char_ok(name[i], i == 0) ? name[i] : '_';
	buf[i] = '\0';
}

/* *name as BTF spells it, a copy in the CU's arena when that differs. */
static int ir_ident_fix(struct ir_cu *cu, const char **name)
{
	char buf[IR_IDENT_MAX];

	if (!*name || !**name || ir_ident_valid(*name))
		return 0;
	ir_ident_sanitize(*name, buf);
	*name = arena_strdup(&cu->arena, buf);
	return *name ? 0 : -ENOMEM;
}

int ir_cu__btf_idents(struct ir_cu *cu)
{
	ir_id id;
	uint32_t i;
	int err = 0;

	for (id = 1; id < ir_cu__nr_types(cu) && !err; id++) {
		struct ir_type *t = ir_cu__type(cu, id);

		switch (t->kind) {
		case IR_KIND_INT:
		case IR_KIND_FLOAT:
		case IR_KIND_TYPE_TAG:
			continue;	/* free text in BTF */
		case IR_KIND_STRUCT:
		case IR_KIND_UNION:
			for (i = 0; i < t->vlen && !err; i++)
				err = ir_ident_fix(cu, &t->members[i].name);
			break;
		case IR_KIND_ENUM:
			for (i = 0; i < t->vlen && !err; i++)
				err = ir_ident_fix(cu, &t->enumerators[i].name);
			break;
		case IR_KIND_FUNC_PROTO:
			for (i = 0; i < t->vlen && !err; i++)
				err = ir_ident_fix(cu, &t->params[i].name);
			break;
		default:
			break;
		}
		if (!err)
			err = ir_ident_fix(cu, &t->name);
	}
	return err;
}
