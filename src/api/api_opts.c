// SPDX-License-Identifier: GPL-2.0-only
/* Public API: options, messages, progress and the version. */
#include <errno.h>
#include <string.h>

#include "api.h"
#include "btf_encoder/btf_encoder.h"
#include "dwarf_loader/dwarf_loader.h"

const char *btfenc_version(void)
{
	return BTFENC_VERSION;
}

static void api_sink(void *ctx, enum diag_level level, const char *msg)
{
	const struct api_ctx *c = ctx;

	c->o.log(c->o.log_ctx, (enum btfenc_log_level)level, msg);
}

int api_ctx_init(struct api_ctx *c, const struct btfenc_opts *opts)
{
	/* pahole's set without --btf_features */
	uint32_t mask = BTFE_F_VAR | BTFE_F_DECL_TAG | BTFE_F_TYPE_TAG | BTFE_F_ENUM64;
	int err;

	memset(c, 0, sizeof(*c));
	c->o.sz = sizeof(c->o);
	if (opts) {
		if (!opts->sz || opts->sz > sizeof(c->o))
			return -EINVAL;
		memcpy(&c->o, opts, opts->sz);
	}
	if (c->o.log) {
		c->diag.sink = api_sink;
		c->diag.ctx = c;
		c->diag.max_level = (enum diag_level)c->o.log_level;
	}
	if (c->o.features) {
		err = btfe_parse_features(c->o.features, c->o.features_strict != 0,
					  &mask, NULL, NULL);
		if (err) {
			diag_report(&c->diag, DIAG_ERROR, "unknown BTF feature in '%s'",
				    c->o.features);
			return err;
		}
	}
	c->features = mask;
	if (c->o.lang_exclude && dwl_parse_lang_list(c->o.lang_exclude, &c->lang_exclude)) {
		diag_report(&c->diag, DIAG_ERROR, "unknown language in '%s'", c->o.lang_exclude);
		return -EINVAL;
	}
	return 0;
}

void api_progress(const struct api_ctx *c, enum btfenc_phase phase,
		  uint64_t done, uint64_t total)
{
	if (c->o.progress)
		c->o.progress(c->o.progress_ctx, phase, done, total);
}

void api_decode_progress(void *ctx, size_t done, size_t total)
{
	api_progress(ctx, BTFENC_PHASE_DECODE, done, total);
}
