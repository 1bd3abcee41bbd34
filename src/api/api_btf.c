// SPDX-License-Identifier: GPL-2.0-only
/* Public API: BTF handles (load, look up, serialise, write). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "btf_encoder/btf_dedup.h"
#include "btf_encoder/btf_writer.h"
#include "btf_loader/btf_loader.h"

int api_btf_wrap(struct bfmt_btf *btf, bool big_endian, struct btfenc_btf **ret)
{
	struct btfenc_btf *h = calloc(1, sizeof(*h));

	if (!h) {
		bfmt_btf__free(btf);
		return -ENOMEM;
	}
	h->btf = btf;
	h->big_endian = big_endian;
	*ret = h;
	return 0;
}

void btfenc_btf_free(struct btfenc_btf *btf)
{
	if (!btf)
		return;
	bfmt_btf__free(btf->btf);
	free(btf);
}

static int api_btf_loaded(int err, struct bfmt_btf *t, const struct btfl_info *info,
			  struct btfenc_btf **ret)
{
	if (err)
		return err;
	return api_btf_wrap(t, info->big_endian, ret);
}

int btfenc_btf_load(const char *path, const struct btfenc_btf *base,
		    const struct btfenc_opts *opts, struct btfenc_btf **ret)
{
	struct btfl_info info = { 0 };
	struct bfmt_btf *t = NULL;
	struct api_ctx c;
	struct btfl_opts bo;
	int err;

	if (!path || !ret)
		return -EINVAL;
	err = api_ctx_init(&c, opts);
	if (err)
		return err;
	bo = (struct btfl_opts){ .diag = &c.diag, .info_ret = &info };
	err = btfl_load_file(path, base ? base->btf : NULL, &bo, &t);
	return api_btf_loaded(err, t, &info, ret);
}

int btfenc_btf_load_mem(const void *data, size_t len, const struct btfenc_btf *base,
			const struct btfenc_opts *opts, struct btfenc_btf **ret)
{
	struct btfl_info info = { 0 };
	struct bfmt_btf *t = NULL;
	struct api_ctx c;
	struct btfl_opts bo;
	int err;

	if (!data || !ret)
		return -EINVAL;
	err = api_ctx_init(&c, opts);
	if (err)
		return err;
	bo = (struct btfl_opts){ .diag = &c.diag, .info_ret = &info };
	err = btfl_load_mem(data, len, base ? base->btf : NULL, &bo, &t);
	return api_btf_loaded(err, t, &info, ret);
}

uint32_t btfenc_btf_nr_types(const struct btfenc_btf *btf)
{
	return btf ? bfmt_btf__nr_types(btf->btf) : 0;
}

const char *btfenc_btf_type_name(const struct btfenc_btf *btf, uint32_t id)
{
	const struct bfmt_type *t = btf ? bfmt_btf__type(btf->btf, id) : NULL;

	return t ? bfmt_btf__str(btf->btf, t->name_off) : NULL;
}

const char *btfenc_btf_type_kind(const struct btfenc_btf *btf, uint32_t id)
{
	const struct bfmt_type *t = btf ? bfmt_btf__type(btf->btf, id) : NULL;

	return t ? bfmt_kind_name(bfmt_kind(t)) : NULL;
}

int btfenc_btf_find(const struct btfenc_btf *btf, const char *name, uint32_t *id_ret)
{
	uint32_t id, n;

	if (!btf || !name || !id_ret)
		return -EINVAL;
	n = bfmt_btf__nr_types(btf->btf);
	for (id = 1; id < n; id++) {
		const char *s = btfenc_btf_type_name(btf, id);

		if (s && !strcmp(s, name)) {
			*id_ret = id;
			return 0;
		}
	}
	return -ENOENT;
}

int btfenc_btf_serialize(const struct btfenc_btf *btf, void **data_ret, size_t *len_ret)
{
	if (!btf || !data_ret || !len_ret)
		return -EINVAL;
	return bfmt_btf__serialize(btf->btf, btf->big_endian, data_ret, len_ret);
}

static int api_write(const struct btfenc_btf *btf, const char *path,
		     const struct btfenc_opts *opts, bool elf)
{
	struct btfw_opts wo = { 0 };
	struct api_ctx c;
	void *raw = NULL;
	size_t len = 0;
	int err;

	if (!btf || !path)
		return -EINVAL;
	err = api_ctx_init(&c, opts);
	if (err)
		return err;
	wo.diag = &c.diag;
	api_progress(&c, BTFENC_PHASE_WRITE, 0, 1);
	err = btfenc_btf_serialize(btf, &raw, &len);
	if (!err && elf)
		err = btfw_write_elf(path, raw, len, &wo);
	else if (!err)
		err = btfw_write_raw(path, raw, len, &wo);
	free(raw);
	if (!err)
		api_progress(&c, BTFENC_PHASE_WRITE, 1, 1);
	return err;
}

int btfenc_btf_write_raw(const struct btfenc_btf *btf, const char *path,
			 const struct btfenc_opts *opts)
{
	return api_write(btf, path, opts, false);
}

int btfenc_btf_write_elf(const struct btfenc_btf *btf, const char *path,
			 const struct btfenc_opts *opts)
{
	return api_write(btf, path, opts, true);
}

int btfenc_dedup(struct btfenc_btf *btf, const struct btfenc_opts *opts)
{
	struct btfd_opts dopts = { 0 };
	struct api_ctx c;
	int err;

	if (!btf)
		return -EINVAL;
	err = api_ctx_init(&c, opts);
	if (err)
		return err;
	dopts.diag = &c.diag;
	dopts.jobs = c.o.jobs;
	api_progress(&c, BTFENC_PHASE_DEDUP, 0, 1);
	err = btfd_dedup(btf->btf, &dopts);
	if (!err)
		api_progress(&c, BTFENC_PHASE_DEDUP, 1, 1);
	return err;
}
