// SPDX-License-Identifier: GPL-2.0-only
/* Name tables: DW_LANG codes <-> ir_lang and --lang_exclude words, DW_TAG
 * names for reports. All tables are const. */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Spellings accepted by --lang_exclude: pahole's (the DW_LANG_ suffix,
 * lower case) plus the short forms people type. Several languages share
 * IR_LANG_OTHER, so excluding one of them excludes all of them: the mask
 * is per enum ir_lang (dwarf_loader.h). */
static const struct {
	const char *word;
	uint8_t lang;
} dwl_lang_words[] = {
	{ "c", IR_LANG_C }, { "c89", IR_LANG_C }, { "c99", IR_LANG_C },
	{ "c11", IR_LANG_C }, { "c17", IR_LANG_C }, { "upc", IR_LANG_C },
	{ "opencl", IR_LANG_C },
	{ "c++", IR_LANG_CXX }, { "c_plus_plus", IR_LANG_CXX },
	{ "c++03", IR_LANG_CXX }, { "c_plus_plus_03", IR_LANG_CXX },
	{ "c++11", IR_LANG_CXX }, { "c_plus_plus_11", IR_LANG_CXX },
	{ "c++14", IR_LANG_CXX }, { "c_plus_plus_14", IR_LANG_CXX },
	{ "c++17", IR_LANG_CXX }, { "c++20", IR_LANG_CXX },
	{ "rust", IR_LANG_RUST },
	{ "asm", IR_LANG_ASM }, { "assembly", IR_LANG_ASM },
	{ "mips_assembler", IR_LANG_ASM },
	{ "ada", IR_LANG_OTHER }, { "ada83", IR_LANG_OTHER },
	{ "ada95", IR_LANG_OTHER }, { "cobol74", IR_LANG_OTHER },
	{ "cobol85", IR_LANG_OTHER }, { "fortran", IR_LANG_OTHER },
	{ "fortran77", IR_LANG_OTHER }, { "fortran90", IR_LANG_OTHER },
	{ "fortran95", IR_LANG_OTHER }, { "fortran03", IR_LANG_OTHER },
	{ "fortran08", IR_LANG_OTHER }, { "pascal83", IR_LANG_OTHER },
	{ "modula2", IR_LANG_OTHER }, { "modula3", IR_LANG_OTHER },
	{ "java", IR_LANG_OTHER }, { "pli", IR_LANG_OTHER },
	{ "objc", IR_LANG_OTHER }, { "objc_plus_plus", IR_LANG_OTHER },
	{ "d", IR_LANG_OTHER }, { "python", IR_LANG_OTHER },
	{ "go", IR_LANG_OTHER }, { "haskell", IR_LANG_OTHER },
	{ "ocaml", IR_LANG_OTHER }, { "swift", IR_LANG_OTHER },
	{ "julia", IR_LANG_OTHER }, { "dylan", IR_LANG_OTHER },
	{ "renderscript", IR_LANG_OTHER }, { "bliss", IR_LANG_OTHER },
};

uint8_t dwl_lang_of(int code)
{
	switch (code) {
	case -1:
		return IR_LANG_UNKNOWN;
	case DW_LANG_C89: case DW_LANG_C: case DW_LANG_C99: case DW_LANG_C11:
	case DWL_LANG_C17: case DW_LANG_UPC: case DW_LANG_OpenCL:
		return IR_LANG_C;
	case DW_LANG_C_plus_plus: case DW_LANG_C_plus_plus_03:
	case DW_LANG_C_plus_plus_11: case DW_LANG_C_plus_plus_14:
		return IR_LANG_CXX;
	case DW_LANG_Rust:
		return IR_LANG_RUST;
	case DW_LANG_Mips_Assembler: case DWL_LANG_Assembly:
		return IR_LANG_ASM;
	default:
		return IR_LANG_OTHER;
	}
}

static int dwl_lang_word(const char *w, size_t len, uint32_t *mask)
{
	size_t i;

	for (i = 0; i < sizeof(dwl_lang_words) / sizeof(dwl_lang_words[0]); i++) {
		const char *k = dwl_lang_words[i].word;

		if (strlen(k) == len && strncasecmp(k, w, len) == 0) {
			*mask |= 1u << dwl_lang_words[i].lang;
			return 0;
		}
	}
	return -EINVAL;
}

int dwl_parse_lang_list(const char *list, uint32_t *mask_ret)
{
	uint32_t mask = 0;
	const char *p = list;

	if (!list)
		return -EINVAL;
	while (*p) {
		size_t len = strcspn(p, ", ");

		if (len && dwl_lang_word(p, len, &mask))
			return -EINVAL;
		p += len;
		p += strspn(p, ", ");
	}
	*mask_ret = mask;
	return 0;
}

static const struct {
	uint32_t tag;
	const char *name;
} dwl_tag_names[] = {
#define T(x) { DW_TAG_##x, "DW_TAG_" #x }
	T(array_type), T(class_type), T(entry_point), T(enumeration_type),
	T(formal_parameter), T(imported_declaration), T(label),
	T(lexical_block), T(member), T(pointer_type), T(reference_type),
	T(compile_unit), T(string_type), T(structure_type),
	T(subroutine_type), T(typedef), T(union_type),
	T(unspecified_parameters), T(variant), T(common_block),
	T(common_inclusion), T(inheritance), T(inlined_subroutine), T(module),
	T(ptr_to_member_type), T(set_type), T(subrange_type), T(with_stmt),
	T(access_declaration), T(base_type), T(catch_block), T(const_type),
	T(constant), T(enumerator), T(file_type), T(friend), T(namelist),
	T(namelist_item), T(packed_type), T(subprogram),
	T(template_type_parameter), T(template_value_parameter),
	T(thrown_type), T(try_block), T(variant_part), T(variable),
	T(volatile_type), T(dwarf_procedure), T(restrict_type),
	T(interface_type), T(namespace), T(imported_module),
	T(unspecified_type), T(partial_unit), T(imported_unit), T(condition),
	T(shared_type), T(type_unit), T(rvalue_reference_type),
	T(template_alias), T(coarray_type), T(generic_subrange),
	T(dynamic_type), T(atomic_type), T(call_site),
	T(call_site_parameter), T(skeleton_unit), T(immutable_type),
	T(GNU_template_template_param), T(GNU_template_parameter_pack),
	T(GNU_formal_parameter_pack), T(GNU_call_site),
	T(GNU_call_site_parameter),
#undef T
	{ DWL_TAG_LLVM_annotation, "DW_TAG_LLVM_annotation" },
	{ DWL_TAG_GNU_annotation, "DW_TAG_GNU_annotation" },
};

const char *dwl_tag_name(uint32_t tag, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(dwl_tag_names) / sizeof(dwl_tag_names[0]); i++)
		if (dwl_tag_names[i].tag == tag)
			return dwl_tag_names[i].name;
	snprintf(buf, len, "DW_TAG_0x%x", tag);
	return buf;
}
