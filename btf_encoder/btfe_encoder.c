// SPDX-License-Identifier: GPL-2.0-only
/* The encoder object: life cycle and the per-unit entry point. */
#include <errno.h>
#include <stdlib.h>

#include "btf_dedup.h"
#include "btfe_internal.h"
#include "src/util/vec.h"

int btfe_encoder__new(const struct btfe_opts *opts, struct btfe_encoder **ret)
{
	struct btfe_encoder *enc = calloc(1, sizeof(*enc));
	int err;

	if (!enc)
		return -ENOMEM;
	enc->opts = *opts;
	enc->name_cache_bits = BTFE_NAME_CACHE_MIN_BITS;
	enc->name_cache = calloc((size_t)1 << enc->name_cache_bits, sizeof(*enc->name_cache));
	if (!enc->name_cache) {
		free(enc);
		return -ENOMEM;
	}
	arena_init(&enc->rec_arena);
	arena_init(&enc->skip_arena);
	strset_init_raw(&enc->decls);	/* (allocates nothing) */
	err = bfmt_btf__new(opts->base, &enc->btf);
	if (err) {
		free(enc->name_cache);
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
	btfe_merge_deinit(&enc->merge);
	vec_free(&enc->map);
	vec_free(&enc->slot);
	vec_free(&enc->refs);
	vec_free(&enc->res);
	vec_free(&enc->sizes);
	free(enc->name_cache);
	vec_free(&enc->fcands);
	strset_deinit(&enc->decls);
	vec_free(&enc->vcands);
	vec_free(&enc->skips);
	arena_deinit(&enc->rec_arena);
	arena_deinit(&enc->skip_arena);
	free(enc);
}

/* Fold the unit's types into the table and move enc->map to the ids they
 * have now. */
static int btfe_merge_unit(struct btfe_encoder *enc, uint32_t first)
{
	uint32_t *final, end = bfmt_btf__nr_types(enc->btf);
	size_t i;
	int err = btfe_merge_fragment(&enc->merge, enc->btf, first, &final);

	if (err)
		return err;
	for (i = 0; i < enc->map.len; i++)
		if (enc->map.v[i] >= first && enc->map.v[i] < end)
			enc->map.v[i] = final[enc->map.v[i] - first];
	if (enc->index_type_id >= first && enc->index_type_id < end)
		enc->index_type_id = final[enc->index_type_id - first];
	free(final);
	return 0;
}

int btfe_encoder__add_cu(struct btfe_encoder *enc, const struct ir_cu *cu)
{
	uint32_t first = bfmt_btf__nr_types(enc->btf);
	int err;

	if (enc->finished)
		return -EINVAL;
	err = btfe_name_cache_grow(enc);
	if (err)
		return err;
	enc->names_trusted = cu->names_borrowed;
	err = btfe_encode_types(enc, cu);
	if (!err && enc->opts.merge_units)
		err = btfe_merge_unit(enc, first);
	/* Functions and variables need this unit's ir_id -> BTF id map. */
	if (!err)
		err = btfe_funcs_collect(enc, cu);
	if (!err)
		err = btfe_vars_collect(enc, cu);
	if (!err)
		enc->nr_units++;
	enc->names_trusted = false;
	return err;
}

int btfe_encoder__finish(struct btfe_encoder *enc)
{
	uint32_t first;
	int err;

	if (enc->finished)
		return -EINVAL;
	enc->finished = true;
	/* No unit comes any more to be folded in. */
	btfe_merge_deinit(&enc->merge);
	if (!enc->opts.elf && enc->nr_units)
		diag_report(enc->opts.diag, DIAG_WARN,
			    "no ELF symbol table given: functions and variables are not encoded");
	first = bfmt_btf__nr_types(enc->btf);
	err = btfe_funcs_finish(enc);
	if (!err)
		err = btfe_vars_finish(enc);
	if (!err && enc->opts.merge_units) {
		err = btfe_merge_tail(enc->btf, first);
		enc->minimal = err == 0;
		if (err > 0)
			err = 0;
	}
	btfe_skips_finish(enc);
	/* The candidates are decided: their records go before dedup needs
	 * memory (Debian's 6.1 vmlinux: 246 thousand function records, 57
	 * MB). The skips keep their own copies. */
	vec_free(&enc->fcands);
	strset_deinit(&enc->decls);
	vec_free(&enc->vcands);
	arena_deinit(&enc->rec_arena);
	arena_init(&enc->rec_arena);
	return err;
}

int btfe_encoder__dedup(struct btfe_encoder *enc)
{
	struct btfd_opts o = { .diag = enc->opts.diag, .in_place = true,
			       .input_minimal = enc->minimal && !enc->opts.base,
			       .jobs = enc->opts.jobs };

	return btfd_dedup(enc->btf, &o);
}

struct bfmt_btf *btfe_encoder__take_btf(struct btfe_encoder *enc)
{
	struct bfmt_btf *btf = enc->btf;

	enc->btf = NULL;
	return btf;
}

const struct bfmt_btf *btfe_encoder__btf(const struct btfe_encoder *enc)
{
	return enc->btf;
}
