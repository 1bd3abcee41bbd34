// SPDX-License-Identifier: GPL-2.0-only
/* The encoder object: life cycle and the per-unit entry point. */
#include <errno.h>
#include <stdlib.h>

#include "btfe_internal.h"
#include "src/util/vec.h"

int btfe_encoder__new(const struct btfe_opts *opts, struct btfe_encoder **ret)
{
	struct btfe_encoder *enc = calloc(1, sizeof(*enc));
	int err;

	if (!enc)
		return -ENOMEM;
	enc->opts = *opts;
	hmap_init(&enc->name_offs);
	err = bfmt_btf__new(opts->base, &enc->btf);
	if (err) {
		free(enc);
		return err;
	}
	*ret = enc;
	return 0;
}

void btfe_encoder__free(struct btfe_encoder *enc)
{
	if (!enc)
		return;
	bfmt_btf__free(enc->btf);
	vec_free(&enc->map);
	vec_free(&enc->slot);
	hmap_deinit(&enc->name_offs);
	free(enc);
}

int btfe_encoder__add_cu(struct btfe_encoder *enc, const struct ir_cu *cu)
{
	return btfe_encode_types(enc, cu);
}

const struct bfmt_btf *btfe_encoder__btf(const struct btfe_encoder *enc)
{
	return enc->btf;
}
