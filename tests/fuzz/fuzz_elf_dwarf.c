// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the ELF + DWARF path on the bytes of an ELF file (written to a
 * memfd): the DWARF loader over every unit (names borrowed, packed structs
 * inferred when asked, as the CLI encodes), the layout printer and the encoder on each CU, then finish and dedup; the encoder's BTF, if it has
 * a type, must load (the loader is as strict as the kernel) and pass
 * fuzz_check_loaded_btf(). The BTF loader also reads the file's own .BTF.
 * A failure of the DWARF loader that is not the callback's must be
 * reported as exactly one DIAG_ERROR.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "btf_encoder/btf_encoder.h"
#include "btf_encoder/btfe_elf.h"
#include "btf_loader/btf_loader.h"
#include "dwarf_loader/dwarf_loader.h"
#include "fuzz.h"
#include "print/layout.h"

struct walk {
	struct btfe_encoder *enc;
	struct layout_printer *lp;
	int cb_err;		/* the callback's error, if it stopped the walk */
};

static int on_cu(struct ir_cu *cu, void *arg)
{
	struct walk *w = arg;
	int err = 0;

	if (w->lp)
		layout_printer__add_cu(w->lp, cu);	/* may fail on I/O only */
	if (w->enc)
		err = btfe_encoder__add_cu(w->enc, cu);
	ir_cu__free(cu);
	w->cb_err = err;
	return err;
}

/* Encode path's DWARF; check the result is valid BTF. */
static void encode(const char *path, FILE *out)
{
	struct fuzz_diag fd;
	/* Names borrowed from the file and packed structs inferred when
	 * asked, as the CLI encodes (on_cu() frees every CU; the printer
	 * keeps nothing of one past its callback). */
	struct dwl_opts dopts = { .diag = &fd.diag, .jobs = 1, .borrow_names = true,
				  .lazy_packed = true };
	struct dwl_stats stats = { 0 };
	struct walk w = { 0 };
	struct btfe_elf *elf = NULL;
	struct btfe_opts eopts;
	int err;

	fuzz_diag_init(&fd);
	if (btfe_elf__load(path, &fd.diag, &elf))
		elf = NULL;	/* the encoder runs without symbols then */
	/* As the command encodes: units folded as they come, functions
	 * and variables decided before dedup and added after it. */
	eopts = (struct btfe_opts){ .diag = &fd.diag, .elf = elf, .merge_units = true,
				    .features = BTFE_FEATURES_DEFAULT | BTFE_F_GLOBAL_VAR };
	if (btfe_encoder__new(&eopts, &w.enc))
		goto out;
	if (layout_printer__new(&(struct layout_opts){ 0 }, out, &w.lp))
		w.lp = NULL;
	fd.nr_errors = 0;
	err = dwl_load_file(path, &dopts, on_cu, &w, &stats);
	if (err) {
		FUZZ_CHECK(err < 0);
		if (!w.cb_err && err != -ENOMEM)
			FUZZ_CHECK(fd.nr_errors == 1);
		goto out;
	}
	layout_printer__finish(w.lp);
	err = btfe_encoder__decide(w.enc);
	if (!err)
		err = btfe_encoder__dedup(w.enc);
	if (!err) {
		const struct bfmt_btf *btf = btfe_encoder__btf(w.enc);
		struct btfl_opts o = { .diag = &fd.diag };
		struct bfmt_btf *loaded = NULL;
		bool be = elf ? btfe_elf__header(elf)->big_endian : false;
		size_t len = 0;
		void *data = NULL;

		/* The encoder's output is valid BTF, unless it has no type
		 * at all (btfenc then writes nothing, as pahole). */
		if (bfmt_btf__nr_types(btf) == btf->start_id)
			goto out;
		FUZZ_CHECK(bfmt_btf__serialize(btf, be, &data, &len) == 0);
		fuzz_diag_init(&fd);
		err = btfl_load_mem(data, len, NULL, &o, &loaded);
		FUZZ_CHECK_MSG(err == 0 || err == -ENOMEM, fd.first_error);
		if (!err)
			fuzz_check_loaded_btf(loaded, be, true);
		bfmt_btf__free(loaded);
		free(data);
	}
out:
	layout_printer__free(w.lp);
	btfe_encoder__free(w.enc);
	btfe_elf__free(elf);
}

/* The file's own .BTF, if any. */
static void load_btf(const char *path)
{
	struct btfl_info info = { 0 };
	struct fuzz_diag fd;
	struct btfl_opts o = { .diag = &fd.diag, .info_ret = &info };
	struct bfmt_btf *btf = NULL;
	bool has = false;
	int err;

	fuzz_diag_init(&fd);
	if (btfl_probe(path, &has) || !has)
		return;
	err = btfl_load_file(path, NULL, &o, &btf);
	if (err) {
		FUZZ_CHECK(err == -ENOMEM || fd.nr_errors == 1);
		return;
	}
	/* An object's .BTF may leave DATASEC sizes to the linker. */
	fuzz_check_loaded_btf(btf, info.big_endian, false);
	bfmt_btf__free(btf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-elf", 0);
	char path[64];
	FILE *out;
	size_t done = 0;

	FUZZ_CHECK(fd >= 0);
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		FUZZ_CHECK(n > 0);
		done += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	out = fopen("/dev/null", "w");
	FUZZ_CHECK(out != NULL);
	encode(path, out);
	fclose(out);
	load_btf(path);
	close(fd);
	return 0;
}
