// SPDX-License-Identifier: GPL-2.0-only
/* The encoder object: life cycle and the per-unit entry point. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
	arena_init(&enc->keep_arena);
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

static int btfe_join_decider(struct btfe_encoder *enc);

void btfe_encoder__free(struct btfe_encoder *enc)
{
	if (!enc)
		return;
	btfe_join_decider(enc);
	bfmt_btf__free(enc->btf);
	btfe_merge_deinit(&enc->merge);
	vec_free(&enc->map);
	vec_free(&enc->slot);
	vec_free(&enc->refs);
	vec_free(&enc->res);
	vec_free(&enc->sizes);
	free(enc->name_cache);
	vec_free(&enc->fcands);
	vec_free(&enc->femits);
	strset_deinit(&enc->decls);
	vec_free(&enc->vcands);
	vec_free(&enc->skips);
	arena_deinit(&enc->rec_arena);
	arena_deinit(&enc->keep_arena);
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

/* The candidates are decided and emitted: their records go before dedup
 * needs memory (Debian's 6.1 vmlinux: 174 thousand function records, 40
 * MB). The skips keep their own copies. */
static void btfe_records_drop(struct btfe_encoder *enc)
{
	vec_free(&enc->fcands);
	strset_deinit(&enc->decls);
	arena_deinit(&enc->rec_arena);
	arena_init(&enc->rec_arena);
}

static void btfe_records_free(struct btfe_encoder *enc)
{
	btfe_skips_finish(enc);
	btfe_records_drop(enc);
	vec_free(&enc->femits);
	vec_free(&enc->vcands);
	arena_deinit(&enc->keep_arena);
	arena_init(&enc->keep_arena);
}

static int btfe_decide_all(struct btfe_encoder *enc)
{
	int err = btfe_funcs_decide(enc);

	return err ? err : btfe_vars_decide(enc);
}

/* Common to finish and decide: no unit comes any more. */
static int btfe_finish_units(struct btfe_encoder *enc)
{
	if (enc->finished)
		return -EINVAL;
	enc->finished = true;
	enc->names_trusted = false;	/* (btf_encoder.h: not after the units) */
	btfe_merge_deinit(&enc->merge);
	if (!enc->opts.elf && enc->nr_units)
		diag_report(enc->opts.diag, DIAG_WARN,
			    "no ELF symbol table given: functions and variables are not encoded");
	return 0;
}

int btfe_encoder__finish(struct btfe_encoder *enc)
{
	uint32_t first;
	int err = btfe_finish_units(enc);

	if (err)
		return err;
	first = bfmt_btf__nr_types(enc->btf);
	err = btfe_decide_all(enc);
	if (!err)
		err = btfe_funcs_emit(enc, NULL);
	if (!err)
		err = btfe_vars_emit(enc, NULL);
	if (!err && enc->opts.merge_units) {
		err = btfe_merge_tail(enc->btf, first);
		enc->minimal = err == 0;
		if (err > 0)
			err = 0;
	}
	btfe_records_free(enc);
	return err;
}

/* Decide, then keep only what emitting needs (Debian's 6.1 vmlinux: 40
 * of 174 thousand function records, 30 MB less while dedup runs). */
static int btfe_decide_keep(struct btfe_encoder *enc)
{
	int err = btfe_decide_all(enc);

	if (!err)
		err = btfe_funcs_keep(enc, &enc->keep_arena);
	if (!err)
		err = btfe_vars_keep(enc, &enc->keep_arena);
	if (!err)
		btfe_records_drop(enc);
	return err;
}

static void *btfe_decider(void *arg)
{
	struct btfe_encoder *enc = arg;

	enc->decide_err = btfe_decide_keep(enc);
	return NULL;
}

/*
 * The deferred path (btfe_encoder__decide()): the deciding touches
 * neither the table nor the name cache, so it runs on a thread of its own
 * while the table is deduplicated, and what it kept is emitted afterwards
 * through the dedup's id map. Only for a table of its own whose units
 * were folded (minimal): with a base, the functions' prototypes would have
 * to be folded against the base's too (95 thousand types per module).
 */
int btfe_encoder__decide(struct btfe_encoder *enc)
{
	int err;

	if (enc->opts.base || !enc->opts.merge_units)
		return btfe_encoder__finish(enc);
	err = btfe_finish_units(enc);
	if (err)
		return err;
	enc->deferred = true;
	if (enc->opts.jobs > 1 && !pthread_create(&enc->decider, NULL, btfe_decider, enc)) {
		enc->deciding = true;
		return 0;
	}
	enc->decide_err = btfe_decide_keep(enc);	/* one thread, or none to be had */
	return 0;
}

static int btfe_join_decider(struct btfe_encoder *enc)
{
	if (enc->deciding) {
		pthread_join(enc->decider, NULL);
		enc->deciding = false;
	}
	return enc->decide_err;
}

/*
 * After the deduplication of the data types: the kept functions and
 * variables are appended, their references taken through the dedup's map,
 * and folded by records against the table and each other
 * (btfe_merge_tail()). That gives the types, order and strings of
 * deduplicating everything at once: the data types are pairwise distinct
 * and every reference points at one of them, so two added types are equal
 * exactly when their records are; a dropped one's strings are its kept
 * twin's, never left unreferenced.
 */
static int btfe_emit_deferred(struct btfe_encoder *enc, const uint32_t *map)
{
	uint32_t first = bfmt_btf__nr_types(enc->btf);
	int err;

	/* The cache's offsets were the old table's. */
	memset(enc->name_cache, 0, ((size_t)1 << enc->name_cache_bits) * sizeof(*enc->name_cache));
	enc->index_type_id = 0;
	err = btfe_funcs_emit(enc, map);
	if (!err)
		err = btfe_vars_emit(enc, map);
	if (!err)
		err = btfe_merge_tail(enc->btf, first);
	if (err > 0)	/* a type refers to a later one (never made here) */
		err = btfd_dedup(enc->btf, &(struct btfd_opts){ .diag = enc->opts.diag,
								.in_place = true,
								.jobs = enc->opts.jobs });
	return err;
}

int btfe_encoder__dedup(struct btfe_encoder *enc)
{
	struct btfd_opts o = { .diag = enc->opts.diag, .in_place = true,
			       .input_minimal = enc->minimal && !enc->opts.base,
			       .jobs = enc->opts.jobs };
	uint32_t *map = NULL;
	int err, derr;

	if (!enc->deferred)
		return btfd_dedup(enc->btf, &o);
	enc->deferred = false;
	o.input_minimal = true;		/* folded unit by unit, no tail yet */
	o.map_ret = &map;
	err = btfd_dedup(enc->btf, &o);
	derr = btfe_join_decider(enc);
	if (!err)
		err = derr;
	if (!err)
		err = btfe_emit_deferred(enc, map);
	free(map);
	btfe_records_free(enc);
	return err;
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
