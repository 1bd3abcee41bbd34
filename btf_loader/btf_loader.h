/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_loader: read BTF (raw files, an ELF file's .BTF, /sys/kernel/btf/ files),
 * validate it as strictly as the kernel's verifier does, and present it as
 * a struct bfmt_btf table or as one struct ir_cu.
 *
 * Inputs:     raw BTF in either byte order (told apart by the magic); an
 *             ELF file's .BTF section (split on its .BTF.base when the file
 *             has one); split BTF on a base the caller loaded; files under
 *             /sys/kernel/btf/ other than vmlinux are split BTF and get
 *             /sys/kernel/btf/vmlinux as their base unless one is given.
 * Owns:       nothing between calls. A returned table owns its records and
 *             strings (host byte order) and, when the loader had to load the
 *             base itself (sysfs module, .BTF.base), that base too
 *             (bfmt_btf__own_base()). Free it with bfmt_btf__free().
 *             With btfl_opts.read_only, a host-order table from a regular
 *             file keeps its sections in a private read-only mapping of the
 *             file instead (bfmt_btf__adopt_mapped()): the file must not be
 *             truncated while the table lives (SIGBUS), as with any mapping.
 * Borrows:    an explicit base (must outlive the returned table), the
 *             options and their diag sink for the duration of a call.
 * Threads:    no global state; concurrent calls are safe.
 * Errors:     0 or a negative errno; *ret is written only on success.
 *             -ENOEXEC  neither BTF nor ELF;
 *             -ENODATA  an ELF file without .BTF;
 *             -EINVAL   malformed BTF (any rule below), or a malformed ELF;
 *             -ENOMEM, or what open()/read() said.
 *             Every failure is reported once through opts->diag at
 *             DIAG_ERROR as ONE line naming the input and, for a bad type,
 *             its id, kind, name and the field at fault, e.g.
 *             "x.btf: type [42] STRUCT 'foo': member 'bar' offset 96 beyond size 8".
 * Validation: everything is checked before the table is returned (nothing
 *             is trusted afterwards by btfl_to_ir() or anyone else):
 *             header, section bounds (overflow-safe), record bounds, kinds,
 *             vlen/kind_flag rules, string offsets and identifier names,
 *             type ids, INT encodings, member offsets and bitfields, array
 *             sizes, FUNC/FUNC_PROTO/VAR/DATASEC/DECL_TAG rules and cycles
 *             that do not pass through a pointer (btfl_validate.c lists the
 *             rules and where they differ from the kernel's on purpose).
 * Hostile:    no recursion on input depth (colour-marked iterative DFS with
 *             an explicit stack), no unbounded loops, memory bounded by a
 *             small multiple of the input size.
 */
#ifndef BTFENC_BTF_LOADER_H
#define BTFENC_BTF_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/btf_format/btf_types.h"
#include "src/ir/ir.h"
#include "src/util/diag.h"

/* What the input said besides the types. */
struct btfl_info {
	bool big_endian;		/* byte order of the BTF data */
	bool from_elf;			/* read from an ELF file's .BTF */
	bool has_base_section;		/* the ELF file had .BTF.base */
	uint16_t machine;		/* ELF e_machine, 0 for raw BTF */
	uint8_t ptr_size;		/* bytes in a pointer: ELF class, else the
					 * size of "long" in the BTF, else 8 */
	uint32_t hdr_len;		/* header bytes, extensions included */
};

struct btfl_opts {
	const struct diag *diag;	/* may be NULL: no messages */
	const char *name;		/* how messages name the input; NULL: the
					 * path (files) or "<memory>" */
	struct btfl_info *info_ret;	/* load: filled on success; may be NULL */
	bool read_only;			/* load: the table will only be read
					 * (a base): its sections may stay in
					 * a read-only mapping of the file
					 * instead of being copied (see
					 * bfmt_btf__adopt_mapped()) */
	const struct btfl_info *info;	/* to_ir: the loader's info for
					 * addr_size, byte order, machine; NULL:
					 * guess from the BTF (pointer size from
					 * "long"), little endian */
};

/*
 * Load raw BTF (magic 0xeB9F in either byte order) or the .BTF of an ELF
 * file, split on base when base is not NULL. Validates fully before
 * returning. A base passed here is borrowed; see "Owns" above for the
 * bases the loader loads itself.
 */
int btfl_load_file(const char *path, const struct bfmt_btf *base,
		   const struct btfl_opts *o, struct bfmt_btf **ret);

/* The same for BTF bytes in memory (raw BTF only, not ELF); data is only
 * read during the call. */
int btfl_load_mem(const void *data, size_t len, const struct bfmt_btf *base,
		  const struct btfl_opts *o, struct bfmt_btf **ret);

/*
 * Does path carry BTF: raw BTF, or an ELF file with a .BTF section?
 * Returns 0 with the answer (false also for files that are neither BTF
 * nor ELF), or a negative errno when the file cannot be opened or read.
 * Only the header and the section table are looked at, nothing is
 * validated.
 */
int btfl_probe(const char *path, bool *has_btf_ret);

/*
 * The model view of a loaded (hence validated) table: one CU covering the
 * whole graph, base included, so that split BTF can be printed on its own.
 * Every BTF type except FUNC, VAR, DATASEC and DECL_TAG becomes one ir
 * type, in id order, with orig_off = its BTF id (ir ids are not BTF ids:
 * the kinds that are not ir types leave no holes). Mapping:
 *   INT, FLOAT, PTR, STRUCT, UNION, FWD, TYPEDEF, CONST, VOLATILE,
 *   RESTRICT, TYPE_TAG, FUNC_PROTO (a last (void, "") parameter means
 *   varargs) map one to one; ENUM and ENUM64 become IR_KIND_ENUM with their
 *   size, 64-bit values and IR_TF_SIGNED from kind_flag; an ARRAY whose
 *   element is an ARRAY takes the inner dimensions too (up to
 *   BTFL_MAX_DIMS; deeper ones keep an ARRAY element); struct members
 *   without kind_flag whose INT has fewer bits than its size (the old
 *   bitfield encoding) become bitfields; FUNC becomes an ir_func (linkage
 *   global -> IR_FF_EXTERNAL, extern -> also IR_FF_DECLARATION); VAR
 *   becomes an ir_var (same linkage rule, IR_VF_*), with the section name
 *   and offset of the first DATASEC that lists it; DECL_TAG becomes an
 *   annotation on the type, member, function, function parameter (on a
 *   private copy of the prototype, prototypes being shared) or variable.
 * BTF carries no alignment: ir align is 0, IR_TF_PACKED is inferred.
 */
int btfl_to_ir(const struct bfmt_btf *btf, const struct btfl_opts *o,
	       struct ir_cu **ret);

#define BTFL_MAX_DIMS 64

#endif
