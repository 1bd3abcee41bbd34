// SPDX-License-Identifier: GPL-2.0-only
/* Public API: the model (DWARF or BTF -> units) and encoding. */
#include <errno.h>
#include <stdlib.h>

#include "api.h"
#include "btf_encoder/btf_encoder.h"
#include "btf_encoder/btfe_elf.h"
#include "btf_loader/btf_loader.h"
#include "dwarf_loader/dwarf_loader.h"
#include "util/vec.h"

void btfenc_model_free(struct btfenc_model *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->units.len; i++)
		ir_cu__free(m->units.v[i]);
	vec_free(&m->units);
	btfe_elf__free(m->elf);
	free(m);
}

size_t btfenc_model_nr_units(const struct btfenc_model *m)
{
	return m ? m->units.len : 0;
}

size_t btfenc_model_nr_types(const struct btfenc_model *m)
{
	size_t i, n = 0;

	for (i = 0; m && i < m->units.len; i++) {
		size_t len = m->units.v[i]->types.len;

		n += len ? len - 1 : 0;	/* v[0] is the void slot */
	}
	return n;
}

static int api_keep_cu(struct ir_cu *cu, void *arg)
{
	struct btfenc_model *m = arg;

	if (vec_push(&m->units)) {
		ir_cu__free(cu);
		return -ENOMEM;
	}
	*vec_last(&m->units) = cu;
	return 0;
}

static void api_dwl_opts(struct api_ctx *c, struct dwl_opts *d)
{
	*d = (struct dwl_opts){ .diag = &c->diag, .lang_exclude = c->lang_exclude,
				.jobs = c->o.jobs, .progress = api_decode_progress,
				.progress_ctx = c };
}

int btfenc_model_load_dwarf(const char *path, const struct btfenc_opts *opts,
			    struct btfenc_model **ret)
{
	struct btfenc_model *m;
	struct dwl_opts dopts;
	struct api_ctx c;
	int err;

	if (!path || !ret)
		return -EINVAL;
	err = api_ctx_init(&c, opts);
	if (err)
		return err;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	api_dwl_opts(&c, &dopts);
	err = btfe_elf__load(path, &c.diag, &m->elf);
	if (!err)
		err = dwl_load_file(path, &dopts, api_keep_cu, m, NULL);
	if (err) {
		btfenc_model_free(m);
		return err;
	}
	m->big_endian = btfe_elf__header(m->elf)->big_endian;
	*ret = m;
	return 0;
}

int btfenc_model_load_btf(const struct btfenc_btf *btf, const struct btfenc_opts *opts,
			  struct btfenc_model **ret)
{
	struct btfl_opts bo = { 0 };
	struct btfenc_model *m;
	struct ir_cu *cu = NULL;
	struct api_ctx c;
	int err;

	if (!btf || !ret)
		return -EINVAL;
	err = api_ctx_init(&c, opts);
	if (err)
		return err;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	bo.diag = &c.diag;
	err = btfl_to_ir(btf->btf, &bo, &cu);
	if (!err)
		err = api_keep_cu(cu, m);
	if (err) {
		btfenc_model_free(m);
		return err;
	}
	m->big_endian = btf->big_endian;
	*ret = m;
	return 0;
}

/* merge: fold units as they come (btf_encoder.h), for a result that is
 * deduplicated anyway. */
static int api_encoder_new(struct api_ctx *c, const struct btfe_elf *elf,
			   const struct btfenc_btf *base, bool merge,
			   struct btfe_encoder **ret)
{
	struct btfe_opts eo = { .diag = &c->diag, .features = c->features, .elf = elf,
				.base = base ? base->btf : NULL, .merge_units = merge,
				.jobs = c->o.jobs };

	return btfe_encoder__new(&eo, ret);
}

/* Decide functions and variables, dedup if asked, hand the BTF over. */
static int api_encoder_done(struct api_ctx *c, struct btfe_encoder *enc, bool dedup,
			    bool big_endian, struct btfenc_btf **ret)
{
	int err;

	api_progress(c, BTFENC_PHASE_FUNCS, 0, 1);
	/* With dedup, their types come after the data types' (same bytes). */
	err = dedup ? btfe_encoder__decide(enc) : btfe_encoder__finish(enc);
	if (err)
		return err;
	api_progress(c, BTFENC_PHASE_FUNCS, 1, 1);
	if (dedup) {
		api_progress(c, BTFENC_PHASE_DEDUP, 0, 1);
		err = btfe_encoder__dedup(enc);
		if (err)
			return err;
		api_progress(c, BTFENC_PHASE_DEDUP, 1, 1);
	}
	return api_btf_wrap(btfe_encoder__take_btf(enc), big_endian, ret);
}

int btfenc_encode(const struct btfenc_model *m, const struct btfenc_btf *base,
		  const struct btfenc_opts *opts, struct btfenc_btf **ret)
{
	struct btfe_encoder *enc = NULL;
	struct api_ctx c;
	size_t i;
	int err;

	if (!m || !ret)
		return -EINVAL;
	err = api_ctx_init(&c, opts);
	if (!err)
		err = api_encoder_new(&c, m->elf, base, false, &enc);
	for (i = 0; !err && i < m->units.len; i++)
		err = btfe_encoder__add_cu(enc, m->units.v[i]);
	if (!err)
		err = api_encoder_done(&c, enc, false, m->big_endian, ret);
	btfe_encoder__free(enc);
	return err;
}

static int api_encode_cu(struct ir_cu *cu, void *arg)
{
	int err = btfe_encoder__add_cu(arg, cu);

	ir_cu__free(cu);
	return err;
}

int btfenc_encode_file(const char *path, const struct btfenc_btf *base,
		       const struct btfenc_opts *opts, struct btfenc_btf **ret)
{
	struct btfe_encoder *enc = NULL;
	struct btfe_elf *elf = NULL;
	struct dwl_opts dopts;
	struct api_ctx c;
	int err;

	if (!path || !ret)
		return -EINVAL;
	err = api_ctx_init(&c, opts);
	if (err)
		return err;
	api_dwl_opts(&c, &dopts);
	dopts.borrow_names = true;	/* api_encode_cu() frees every CU */
	dopts.lazy_packed = true;	/* the encoder asks when it needs it */
	err = btfe_elf__load(path, &c.diag, &elf);
	if (!err)
		err = api_encoder_new(&c, elf, base, true, &enc);
	if (!err)
		err = dwl_load_file(path, &dopts, api_encode_cu, enc, NULL);
	if (!err)
		err = api_encoder_done(&c, enc, true, btfe_elf__header(elf)->big_endian, ret);
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
	return err;
}
