// SPDX-License-Identifier: GPL-2.0-only
/*
 * Variables: which ir_vars become BTF VARs, and one DATASEC per ELF section
 * holding some, the way pahole's btf_encoder__encode_cu_variables() and
 * btf_encoder__add_datasec() decide them.
 *
 * Recorded per unit (btfe_vars_collect), in pahole's order of checks:
 *   - declarations and function-scope statics are not variables of their
 *     own (pahole: declaration && !spec, !top_level), neither are
 *     variables without static storage or whose section is unknown (TLS,
 *     registers, absolute symbols): left out silently, as pahole does;
 *   - the section must be PROGBITS or NOBITS, contain the offset, and be
 *     encoded: ".data..percpu" with feature var, every such section with
 *     global_var, and its name must be one the kernel takes for a DATASEC
 *     (printable, shorter than 512)              -> "section not encoded";
 *   - names starting with __UNIQUE_ID, __tpstrtab_, __exitcall_,
 *     __gendwarfksyms_ptr_ or __func_stack_frame_non_standard_ (pahole's
 *     filter_variable_name), or not valid BTF names (pahole's
 *     btf_name_valid: [A-Za-z_.][A-Za-z0-9_.]*, at most KSYM_NAME_LEN)
 *                                                 -> "excluded name pattern";
 *   - offset 0 needs an STT_OBJECT symbol of that name in that section,
 *     since DWARF also says 0 for variables in discarded sections
 *                                                 -> "no ELF symbol";
 *   - void type, size (from the type, as pahole) 0 or above 4 GiB,
 *     offset above 4 GiB, or ending beyond the section
 *                                                 -> "no usable size or offset".
 * Linkage: BTF_VAR_GLOBAL_ALLOCATED for external variables, else
 * BTF_VAR_STATIC (pahole).
 *
 * Decided at finish (btfe_vars_decide(); btfe_vars_emit() adds the types,
 * maybe after dedup): records sorted by section, offset, unit order; the
 * same name at the same place seen again (a variable described by several
 * units) is one variable; an entry that starts inside the previous kept
 * one is dropped ("overlaps another variable"), because the kernel rejects
 * DATASECs with overlapping entries. Then every VAR (with its decl tags)
 * in section order, then the DATASECs, in section index order, sized as
 * their ELF section.
 */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_elf.h"
#include "btfe_internal.h"
#include "src/util/vec.h"

#define BTFE_PERCPU_SECTION ".data..percpu"
#define BTFE_KSYM_NAME_LEN 128

static bool btfe_var_name_filtered(const char *name, const char **prefix)
{
	static const char *const skip[] = {
		"__UNIQUE_ID", "__tpstrtab_", "__exitcall_", "__gendwarfksyms_ptr_",
		"__func_stack_frame_non_standard_",
	};
	size_t i;

	if (name[0] != '_')
		return false;
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		if (!strncmp(name, skip[i], strlen(skip[i]))) {
			*prefix = skip[i];
			return true;
		}
	}
	return false;
}

static bool btfe_section_encoded(const struct btfe_encoder *enc,
				 const struct btfe_elf_section *sec)
{
	if (enc->opts.features & BTFE_F_GLOBAL_VAR)
		return true;
	return (enc->opts.features & BTFE_F_VAR) && !strcmp(sec->name, BTFE_PERCPU_SECTION);
}

/* The ELF section of v, when it is one variables can live in. */
static const struct btfe_elf_section *btfe_var_section(const struct btfe_encoder *enc,
						       const struct ir_var *v)
{
	const struct btfe_elf_section *sec;

	if (!(v->flags & IR_VF_HAS_ADDR) || !v->section)
		return NULL;
	sec = btfe_elf__section_by_name(enc->opts.elf, v->section);
	if (!sec || (sec->type != SHT_PROGBITS && sec->type != SHT_NOBITS))
		return NULL;
	return v->section_offset < sec->size ? sec : NULL;
}

static int btfe_var_skip(struct btfe_encoder *enc, enum btfe_skip_reason r,
			 const struct ir_var *v, const char *detail)
{
	int err = btfe_skip_add(enc, BTFE_SKIP_VAR, r, v->name, v->section_offset, "%s",
				detail);

	return err ? err : 1;
}

/* The kernel's rule for DATASEC names (a hostile ELF file can have any). */
static bool btfe_section_name_valid(const char *name)
{
	size_t i;

	for (i = 0; name[i] && i < 512; i++)
		if (!isprint((unsigned char)name[i]))
			return false;
	return i > 0 && !name[i];
}

/* pahole's checks on one variable; 1 when it was left out. */
static int btfe_var_check(struct btfe_encoder *enc, const struct ir_cu *cu,
			  const struct ir_var *v, const struct btfe_elf_section *sec,
			  uint64_t *size)
{
	const char *prefix = NULL;
	char why[160];
	bool ok = false;

	if (!btfe_section_encoded(enc, sec)) {
		snprintf(why, sizeof(why), "in %s", sec->name);
		return btfe_var_skip(enc, BTFE_SKIP_SECTION, v, why);
	}
	if (!btfe_section_name_valid(sec->name))
		return btfe_var_skip(enc, BTFE_SKIP_SECTION, v, "section name not valid in BTF");
	if (btfe_var_name_filtered(v->name, &prefix)) {
		snprintf(why, sizeof(why), "prefix %s", prefix);
		return btfe_var_skip(enc, BTFE_SKIP_EXCLUDED_NAME, v, why);
	}
	if (!btfe_name_valid(v->name))
		return btfe_var_skip(enc, BTFE_SKIP_EXCLUDED_NAME, v, "not a valid BTF name");
	if (!v->section_offset && !btfe_elf__has_object(enc->opts.elf, v->name, sec->index)) {
		snprintf(why, sizeof(why), "offset 0 in %s and no symbol confirms it", sec->name);
		return btfe_var_skip(enc, BTFE_SKIP_NO_SYMBOL, v, why);
	}
	if (v->type == IR_VOID)
		return btfe_var_skip(enc, BTFE_SKIP_NO_SIZE, v, "void type");
	*size = ir_cu__type_size(cu, v->type, &ok);
	if (!ok || !*size)
		return btfe_var_skip(enc, BTFE_SKIP_NO_SIZE, v, "zero-sized type");
	if (*size > UINT32_MAX)
		return btfe_var_skip(enc, BTFE_SKIP_NO_SIZE, v, "larger than 4 GiB");
	if (v->section_offset > UINT32_MAX)
		return btfe_var_skip(enc, BTFE_SKIP_NO_SIZE, v, "offset beyond 4 GiB");
	if (v->section_offset + *size > sec->size)	/* hostile DWARF */
		return btfe_var_skip(enc, BTFE_SKIP_NO_SIZE, v, "ends beyond its section");
	return 0;
}

static int btfe_vcand_fill(struct btfe_encoder *enc, const struct ir_var *v,
			   const struct btfe_elf_section *sec, uint64_t size,
			   struct btfe_vcand *c)
{
	uint32_t k;

	c->name = arena_strdup(&enc->rec_arena, v->name);
	c->type = v->type < enc->map.len ? enc->map.v[v->type] : 0;
	c->linkage = (v->flags & IR_VF_EXTERNAL) ? BFMT_LINKAGE_GLOBAL : BFMT_LINKAGE_STATIC;
	c->shndx = sec->index;
	c->offset = (uint32_t)v->section_offset;
	c->size = (uint32_t)size;
	c->unit = enc->nr_units;
	if (!c->name)
		return -ENOMEM;
	if (!v->annots.len)
		return 0;
	c->annots = arena_calloc(&enc->rec_arena, v->annots.len, sizeof(*c->annots));
	if (!c->annots)
		return -ENOMEM;
	for (k = 0; k < v->annots.len; k++) {
		c->annots[k] = arena_strdup(&enc->rec_arena, v->annots.v[k]);
		if (!c->annots[k])
			return -ENOMEM;
	}
	c->nr_annots = v->annots.len;
	return 0;
}

int btfe_vars_collect(struct btfe_encoder *enc, const struct ir_cu *cu)
{
	size_t i;
	int err = 0;

	if (!enc->opts.elf || !(enc->opts.features & (BTFE_F_VAR | BTFE_F_GLOBAL_VAR)))
		return 0;
	for (i = 0; i < cu->vars.len && err >= 0; i++) {
		const struct ir_var *v = &cu->vars.v[i];
		const struct btfe_elf_section *sec;
		uint64_t size = 0;

		if (!v->name || (v->flags & (IR_VF_DECLARATION | IR_VF_LOCAL)))
			continue;
		sec = btfe_var_section(enc, v);
		if (!sec)
			continue;
		err = btfe_var_check(enc, cu, v, sec, &size);
		if (err)
			continue;
		if (vec_push(&enc->vcands))
			return -ENOMEM;
		vec_last(&enc->vcands)->seq = (uint32_t)i;
		err = btfe_vcand_fill(enc, v, sec, size, vec_last(&enc->vcands));
	}
	return err < 0 ? err : 0;
}

/* ---- Deciding and emitting ------------------------------------------------- */

static int btfe_vcand_cmp(const void *pa, const void *pb)
{
	const struct btfe_vcand *a = pa, *b = pb;

	if (a->shndx != b->shndx)
		return a->shndx < b->shndx ? -1 : 1;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Keep or drop c against the previous kept entry of its section. */
static int btfe_var_place(struct btfe_encoder *enc, struct btfe_vcand *c,
			  const struct btfe_vcand *prev, bool *keep)
{
	*keep = true;
	if (!prev || prev->shndx != c->shndx)
		return 0;
	if (prev->offset == c->offset && prev->size == c->size && !strcmp(prev->name, c->name)) {
		*keep = false;	/* the same variable, described again */
		return 0;
	}
	if (c->offset >= (uint64_t)prev->offset + prev->size)
		return 0;
	*keep = false;
	return btfe_skip_add(enc, BTFE_SKIP_VAR, BTFE_SKIP_OVERLAP, c->name, c->offset,
			     "[0x%x, 0x%llx) overlaps '%s' at [0x%x, 0x%llx)", c->offset,
			     (unsigned long long)c->offset + c->size, prev->name, prev->offset,
			     (unsigned long long)prev->offset + prev->size);
}

static int btfe_emit_var(struct btfe_encoder *enc, struct btfe_vcand *c, const uint32_t *map)
{
	struct bfmt_var *var;
	uint32_t off, k;
	int err = btfe_name_off(enc, c->name, &off);

	if (!err)
		err = bfmt_btf__add_type(enc->btf, BFMT_KIND_VAR, 0, false, off,
					 map ? map[c->type] : c->type, &c->id, (void **)&var);
	if (!err)
		var->linkage = c->linkage;
	for (k = 0; !err && (enc->opts.features & BTFE_F_DECL_TAG) && k < c->nr_annots; k++)
		err = btfe_add_decl_tag(enc, c->annots[k], c->id, -1);
	return err;
}

/* The DATASEC of the kept entries [from, to) of one section. */
static int btfe_emit_datasec(struct btfe_encoder *enc, size_t from, size_t to)
{
	const struct btfe_elf_section *sec = btfe_elf__section(enc->opts.elf,
							       enc->vcands.v[from].shndx);
	struct bfmt_var_secinfo *vs;
	uint32_t n = 0, off, id, k = 0;
	size_t i;
	int err;

	for (i = from; i < to; i++)
		n += enc->vcands.v[i].id != 0;
	if (!n)
		return 0;
	if (n > BFMT_MAX_VLEN)
		return -E2BIG;
	err = btfe_name_off(enc, sec->name, &off);
	if (!err)
		err = bfmt_btf__add_type(enc->btf, BFMT_KIND_DATASEC, n, false, off,
					 sec->size > UINT32_MAX ? UINT32_MAX : (uint32_t)sec->size,
					 &id, (void **)&vs);
	for (i = from; !err && i < to; i++) {
		const struct btfe_vcand *c = &enc->vcands.v[i];

		if (!c->id)
			continue;
		vs[k].type = c->id;
		vs[k].offset = c->offset;
		vs[k].size = c->size;
		k++;
	}
	return err;
}

int btfe_vars_decide(struct btfe_encoder *enc)
{
	const struct btfe_vcand *prev = NULL;
	size_t i;
	int err = 0;

	if (!enc->vcands.len)
		return 0;
	qsort(enc->vcands.v, enc->vcands.len, sizeof(*enc->vcands.v), btfe_vcand_cmp);
	for (i = 0; i < enc->vcands.len && !err; i++) {
		struct btfe_vcand *c = &enc->vcands.v[i];

		err = btfe_var_place(enc, c, prev, &c->kept);
		if (!err && c->kept)
			prev = c;
	}
	return err;
}

int btfe_vars_emit(struct btfe_encoder *enc, const uint32_t *map)
{
	size_t i, from;
	int err = 0;

	for (i = 0; i < enc->vcands.len && !err; i++)
		if (enc->vcands.v[i].kept)
			err = btfe_emit_var(enc, &enc->vcands.v[i], map);
	for (from = 0; from < enc->vcands.len && !err; from = i) {
		for (i = from; i < enc->vcands.len &&
			       enc->vcands.v[i].shndx == enc->vcands.v[from].shndx; i++)
			;
		err = btfe_emit_datasec(enc, from, i);
	}
	return err;
}

int btfe_vars_keep(struct btfe_encoder *enc, struct arena *keep)
{
	size_t i, n = 0;
	uint32_t k;

	for (i = 0; i < enc->vcands.len; i++) {
		struct btfe_vcand c = enc->vcands.v[i];

		if (!c.kept)
			continue;
		c.name = arena_strdup(keep, c.name);
		if (!c.name)
			return -ENOMEM;
		if (c.nr_annots) {
			c.annots = arena_calloc(keep, c.nr_annots, sizeof(*c.annots));
			if (!c.annots)
				return -ENOMEM;
			for (k = 0; k < c.nr_annots; k++)
				if (!(c.annots[k] = arena_strdup(keep, enc->vcands.v[i].annots[k])))
					return -ENOMEM;
		}
		enc->vcands.v[n++] = c;
	}
	enc->vcands.len = n;
	return 0;
}
