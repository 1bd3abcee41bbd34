/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dwarf_loader: read the DWARF of an ELF file into struct ir_cu units.
 *
 * dwl_load_file() opens FILE through libdwfl offline (ET_EXEC, ET_DYN, ET_REL
 * with its .debug_* relocations applied; SHF_COMPRESSED and .zdebug
 * sections; gzip/xz/bzip2-compressed files, which libdwfl decompresses),
 * walks every compilation unit (DWARF 2-5) in file order and hands each one,
 * complete and self-contained, to the caller's callback.
 *
 * Owns:       the libdw/libelf handles, for the duration of the call; each
 *             struct ir_cu until it is handed to the callback.
 * Borrows:    the options (and their diag sink) for the duration of the call.
 * Transfers:  the callback receives ownership of the CU: it must free it with
 *             ir_cu__free() (now or later). The CU holds no pointer into
 *             libdw memory, so it outlives the call; except with
 *             opts->borrow_names, where its names point into the file's
 *             sections and every CU must be freed before the call returns.
 * Units:      one CU per compile unit (a skeleton unit is read through its
 *             split unit). Type units and partial units are never CUs: the
 *             types a CU reaches through DW_FORM_ref_sig8, DW_FORM_ref_addr
 *             (LTO), the dwz alt file or DW_TAG_imported_unit are copied into
 *             that CU, lazily and once per CU (dwl_refs.c). The type units of
 *             a relocatable object, one COMDAT section each, which libdw does
 *             not read, are read too (dwl_tunits.c). Every type DIE of
 *             the unit itself is loaded; functions (concrete, abstract and
 *             declarations, flagged) and variables with static storage too.
 * Threads:    with opts->jobs <= 1 the call runs on the calling thread
 *             only. With jobs = N > 1, N worker threads (N - 1 with
 *             opts->busy_caller, at least one, and then the calling
 *             thread too, between callbacks, when the next unit is
 *             late) decode units concurrently, each through its OWN libdwfl session (Dwfl,
 *             Dwarf, type-unit image) opened on the same path, because
 *             libdw 0.188 handles are not safe for concurrent use (lazy
 *             abbrevs, the CU tsearch tree...); an ET_REL file is thus
 *             relocated once per session, in private memory. The callback
 *             and the diag sink are still called only on the calling thread,
 *             with every CU strictly in file order, so the CUs, messages and
 *             statistics are identical for every N (dwl_parallel.c). At most
 *             2W + 2 decoded CUs wait for the callback (W workers). The file must not
 *             change during the call. No global state is touched, so
 *             concurrent calls are safe too.
 * Errors:     0 or a negative errno: -ENOENT/-EACCES/... from open(),
 *             -ENOEXEC (not an ELF file), -ENODATA (no DWARF), -EIO
 *             (truncated file, corrupt DWARF, a reference libdw cannot
 *             resolve, a unit length running past its section or bytes
 *             after the last unit, checked before any CU is delivered), -EINVAL (a member offset that is not a constant),
 *             -ENOMEM, or the first non-zero value the callback returned
 *             (which stops the walk and is not reported). With jobs > 1 the
 *             error is still the one of the first failing unit in file
 *             order, after the CUs before it were delivered. Each failure is
 *             reported once through opts->diag at DIAG_ERROR, naming the file
 *             and, for corrupt DWARF, the CU and DIE offset.
 * Degraded:   a readable reference to a DIE that is not a type becomes void,
 *             and a ref_sig8 whose type unit is absent from the file becomes
 *             void or a FWD: each with a DIAG_WARN.
 * Skipped:    DIEs the model has no place for (C++ methods, inheritance and
 *             static members, templates, Rust variant parts, ...) are skipped
 *             and counted in struct dwl_stats; they never fail the file.
 * Hostile:    no recursion on input depth (explicit DIE stack, worklist);
 *             reference cycles terminate (ids are allocated before decoding).
 */
#ifndef BTFENC_DWARF_LOADER_H
#define BTFENC_DWARF_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/ir/ir.h"
#include "src/util/diag.h"

struct dwl_opts {
	const struct diag *diag;	/* may be NULL */
	uint32_t lang_exclude;		/* bit (1u << enum ir_lang): units skipped;
					 * all DW_LANG codes without their own
					 * ir_lang (Ada, Fortran...) share
					 * IR_LANG_OTHER, no DW_AT_language is
					 * IR_LANG_UNKNOWN */
	unsigned int jobs;		/* decoding threads; 0 or 1: serial, on
					 * the calling thread ("Threads:") */
	bool busy_caller;		/* the callback works hard (encoding):
					 * with jobs = N > 1, decode on N - 1
					 * threads (at least one), so that N
					 * run in all with the calling thread,
					 * which decodes late units itself
					 * rather than wait for them */
	/* Progress, may be NULL: called on the calling thread after each
	 * unit of .debug_info is done (delivered, excluded or not a CU),
	 * in file order, with done = 1..total; total never changes during
	 * a call. For a progress display only: it never fails the load. */
	void (*progress)(void *ctx, size_t done, size_t total);
	bool borrow_names;		/* names in the CUs are the sections' own
					 * bytes, not copies (faster; equal names
					 * may then be different pointers): the
					 * callback must free each CU before
					 * dwl_load_file() returns */
	void *progress_ctx;
	bool lazy_packed;		/* leave IR_TF_PACKED to whoever reads it
					 * (ir_cu.packed_pending; they call
					 * ir_cu__ensure_packed()): the encoder
					 * seldom does, and inferring it for
					 * every struct was 5% of encoding a
					 * kernel */
	bool libdw_only;		/* test hook: read every DIE through libdw
					 * calls only, without the loader's own
					 * abbreviation, attribute and sibling
					 * fast paths (dwl_abbrev.c, dwl_attrs.c);
					 * the CUs must come out the same */
};

struct dwl_stats {
	uint64_t nr_units;		/* units seen (excluded ones included) */
	uint64_t nr_units_excluded;	/* units skipped by lang_exclude */
	uint64_t nr_dies;		/* DIEs visited */
	uint64_t nr_types;		/* ir types produced (delivered CUs) */
	uint64_t nr_funcs;
	uint64_t nr_vars;
	uint64_t nr_skipped;		/* DIEs skipped as unsupported */
	/* Skipped DIEs by tag, for -V: the most frequent few. */
	struct {
		uint32_t tag;
		uint64_t count;
	} skipped[16];
	uint32_t nr_skipped_tags;
};

/* Called once per unit in file order; see "Transfers" above. */
typedef int (*dwl_cu_fn)(struct ir_cu *cu, void *arg);

int dwl_load_file(const char *path, const struct dwl_opts *opts,
		  dwl_cu_fn fn, void *arg, struct dwl_stats *stats);

/* The DW_TAG_* name for a tag number, for -V reports ("DW_TAG_0x4109" for
 * unknown ones). Returns a pointer to a static string or into buf. */
const char *dwl_tag_name(uint32_t tag, char *buf, size_t len);

/* Parse a --lang_exclude list ("rust,c++", comma or space separated; pahole's
 * spellings such as c89, c_plus_plus_11, mips_assembler and short forms such
 * as c++17, asm, fortran) into a lang_exclude mask. Returns 0, or -EINVAL
 * for an unknown word (the CLI reports it); *mask_ret is written only on
 * success. */
int dwl_parse_lang_list(const char *list, uint32_t *mask_ret);

#endif
