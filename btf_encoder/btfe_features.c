// SPDX-License-Identifier: GPL-2.0-only
/* --btf_features: pahole's names, its default set and its parsing rules. */
#include <errno.h>
#include <string.h>

#include "btf_encoder.h"

const struct btfe_feature_name btfe_feature_names[] = {
	{ "encode_force", BTFE_F_ENCODE_FORCE, true },
	{ "var", BTFE_F_VAR, true },
	{ "float", BTFE_F_FLOAT, true },
	{ "decl_tag", BTFE_F_DECL_TAG, true },
	{ "type_tag", BTFE_F_TYPE_TAG, true },
	{ "enum64", BTFE_F_ENUM64, true },
	{ "optimized_func", BTFE_F_OPTIMIZED_FUNC, true },
	{ "consistent_func", BTFE_F_CONSISTENT_FUNC, true },
	{ "decl_tag_kfuncs", BTFE_F_DECL_TAG_KFUNCS, true },
	{ "reproducible_build", BTFE_F_REPRODUCIBLE_BUILD, false },
	{ "distilled_base", BTFE_F_DISTILLED_BASE, false },
	{ "global_var", BTFE_F_GLOBAL_VAR, false },
	{ "attributes", BTFE_F_ATTRIBUTES, false },
	{ "layout", BTFE_F_LAYOUT, false },
	{ NULL, 0, false },
};

static int btfe_feature_word(const char *w, size_t len, uint32_t *mask)
{
	const struct btfe_feature_name *f;

	if (len == 7 && !strncmp(w, "default", 7)) {
		*mask |= BTFE_FEATURES_DEFAULT;
		return 0;
	}
	/* "all" is what pahole's --btf_features=all meant before "default". */
	if (len == 3 && !strncmp(w, "all", 3)) {
		for (f = btfe_feature_names; f->name; f++)
			*mask |= f->bit;
		return 0;
	}
	for (f = btfe_feature_names; f->name; f++) {
		if (strlen(f->name) == len && !strncmp(f->name, w, len)) {
			*mask |= f->bit;
			return 0;
		}
	}
	return -EINVAL;
}

int btfe_parse_features(const char *list, bool strict, uint32_t *mask_ret,
			const char **bad_ret, size_t *bad_len_ret)
{
	uint32_t mask = 0;
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ", ");

		if (len && btfe_feature_word(p, len, &mask) && strict) {
			if (bad_ret)
				*bad_ret = p;
			if (bad_len_ret)
				*bad_len_ret = len;
			return -EINVAL;
		}
		p += len;
		p += strspn(p, ", ");
	}
	*mask_ret = mask;
	return 0;
}
