/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * api: the implementation of the public API (src/btfenc.h) over the
 * internal modules; private to libbtfenc.
 *
 * Owns:       struct btfenc_btf owns its table; struct btfenc_model owns
 *             its units and the ELF facts of its file.
 * Borrows:    a base handle, and the caller's options for one call (copied
 *             into a struct api_ctx with the defaults filled in).
 * Threads:    no global state.
 * Errors:     0 or negative errno, as the public header says.
 */
#ifndef BTFENC_API_H
#define BTFENC_API_H

#include <stdbool.h>
#include <stdint.h>

#include "btfenc.h"
#include "btf_format/btf_types.h"
#include "ir/ir.h"
#include "util/diag.h"

struct btfe_elf;

struct btfenc_btf {
	struct bfmt_btf *btf;		/* owned; its base is borrowed (or owned
					 * by it: bfmt_btf__own_base()) */
	bool big_endian;		/* byte order of the source */
};

struct btfenc_model {
	struct {
		struct ir_cu **v;	/* owned, in unit order */
		size_t len, cap;
	} units;
	struct btfe_elf *elf;		/* owned; NULL for a model of BTF */
	bool big_endian;
};

/* One call's view of the options. */
struct api_ctx {
	struct btfenc_opts o;		/* the caller's, defaults filled in */
	struct diag diag;		/* forwards to o.log */
	uint32_t features;		/* enum btfe_feature bits */
	uint32_t lang_exclude;		/* dwl lang_exclude mask */
};

/* Check and copy opts (may be NULL), parse features and languages. */
int api_ctx_init(struct api_ctx *c, const struct btfenc_opts *opts);
void api_progress(const struct api_ctx *c, enum btfenc_phase phase,
		  uint64_t done, uint64_t total);
/* A dwl_opts progress callback forwarding to PHASE_DECODE (ctx: api_ctx). */
void api_decode_progress(void *ctx, size_t done, size_t total);

/* Wrap a table into a new handle (frees btf on ENOMEM). */
int api_btf_wrap(struct bfmt_btf *btf, bool big_endian, struct btfenc_btf **ret);

#endif
