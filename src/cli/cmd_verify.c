// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfenc verify [--btf=BTF] [--btf_base=BASE] [--json [--pretty]] FILE
 *
 * Does FILE's BTF (its .BTF section, or the BTF file given with --btf, split
 * on --btf_base) say what FILE's DWARF says? The engine is src/verify
 * (verify.h): every BTF type, function and variable is checked against its
 * DWARF source(s) by meaning, and what the BTF lost is reported too. One
 * line per finding on stdout, then a summary; exit 0 when there is none, 1
 * when there are findings or an error, 2 on usage errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf_loader/btf_loader.h"
#include "cli.h"
#include "dwarf_loader/dwarf_loader.h"
#include "json_out.h"
#include "verify/verify.h"

/* FILE's BTF as one unit (its base too, for split BTF); *first_id_ret is
 * the first id of the split part (1 without a base). */
static int verify_load_btf(const struct cli_opts *o, const char *file, struct cli_diag *cd,
			   struct ir_cu **ret, uint64_t *first_id_ret)
{
	struct bfmt_btf *base = NULL, *btf = NULL;
	struct btfl_info info = { 0 };
	struct btfl_opts bo = { .diag = &cd->diag, .info_ret = &info };
	int err = 0;

	if (o->btf_base)
		err = cli_load_base(o->btf_base, &bo, &base);
	if (!err)
		err = btfl_load_file(file, base, &bo, &btf);
	bo.info = &info;
	bo.info_ret = NULL;
	if (!err)
		err = btfl_to_ir(btf, &bo, ret);
	if (!err)
		*first_id_ret = btf->start_id;
	bfmt_btf__free(btf);
	bfmt_btf__free(base);
	return err;
}

static int verify_cu(struct ir_cu *cu, void *arg)
{
	/* Names as the encoder spells them in BTF (C++, Rust). */
	int err = ir_cu__btf_idents(cu);

	if (!err)
		err = vf_verifier__add_cu(arg, cu);

	ir_cu__free(cu);
	return err;
}

static void verify_print_text(const struct cli_opts *o, const struct vf_finding *f,
			      size_t n, const struct vf_stats *st)
{
	size_t i, nr[3] = { 0 };

	for (i = 0; i < n; i++) {
		nr[f[i].cls < 3 ? f[i].cls : 0]++;
		printf("%s: %s: %s", o->file, vf_class_str(f[i].cls), f[i].key);
		if (f[i].btf_id)
			printf(" [BTF id %" PRIu64 "]", f[i].btf_id);
		if (f[i].die)
			printf(" (DIE 0x%" PRIx64 "%s%s)", f[i].die, *f[i].cu ? " in " : "",
			       f[i].cu);
		printf(": %s\n", f[i].detail);
	}
	printf("%s: %" PRIu64 " BTF types, functions and variables checked against %" PRIu64
	       " DWARF units: %zu mismatches, %zu not in DWARF, %zu lost\n", o->file, st->nr_btf,
	       st->nr_dwarf_units, nr[VF_MISMATCH], nr[VF_NO_DWARF], nr[VF_LOST]);
}

static void verify_print_json(const struct cli_opts *o, const char *btf_file,
			      const struct vf_finding *f, size_t n, const struct vf_stats *st)
{
	struct json_out j;
	size_t i;

	jo_init(&j, stdout, o->pretty);
	jo_open(&j, '{');
	jo_kstr(&j, "file", o->file);
	jo_kstr(&j, "btf", btf_file);
	jo_ku64(&j, "checked", st->nr_btf);
	jo_ku64(&j, "matched", st->nr_matched);
	jo_ku64(&j, "dwarf_units", st->nr_dwarf_units);
	jo_key(&j, "findings");
	jo_open(&j, '[');
	for (i = 0; i < n; i++) {
		jo_open(&j, '{');
		jo_kstr(&j, "class", vf_class_str(f[i].cls));
		jo_kstr(&j, "key", f[i].key);
		jo_ku64(&j, "btf_id", f[i].btf_id);
		jo_ku64(&j, "die", f[i].die);
		jo_kstr(&j, "cu", f[i].cu);
		jo_kstr(&j, "detail", f[i].detail);
		jo_close(&j, '}');
	}
	jo_close(&j, ']');
	jo_close(&j, '}');
	jo_end(&j);
}

int cmd_verify(const struct cli_opts *o)
{
	const char *btf_file = o->btf_file ? o->btf_file : o->file;
	struct dwl_opts dopts;
	struct dwl_stats stats = { 0 };
	struct vf_verifier *v = NULL;
	const struct vf_finding *f;
	struct ir_cu *cu = NULL;
	struct vf_stats st;
	struct cli_diag cd;
	uint64_t first_id = 1;
	size_t n = 0;
	int err;

	cli_diag_init(&cd, o->prog, o->verbose);
	err = verify_load_btf(o, btf_file, &cd, &cu, &first_id);
	if (err)
		return cli_fail(&cd, btf_file, err);
	err = vf_verifier__new(cu, first_id, &v);
	dopts = (struct dwl_opts){ .diag = &cd.diag, .lang_exclude = o->lang_exclude,
				   .jobs = cli_jobs(o) };
	if (!err)
		err = dwl_load_file(o->file, &dopts, verify_cu, v, &stats);
	if (!err)
		err = vf_verifier__finish(v);
	if (!err) {
		vf_verifier__findings(v, &f, &n);
		vf_verifier__stats(v, &st);
		if (o->json)
			verify_print_json(o, btf_file, f, n, &st);
		else
			verify_print_text(o, f, n, &st);
		if (fflush(stdout))
			err = -EIO;
	}
	vf_verifier__free(v);
	ir_cu__free(cu);
	if (err)
		return cli_fail(&cd, o->file, err);
	return n ? EXIT_FAIL : EXIT_OK;
}
