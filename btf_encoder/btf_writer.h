/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_writer: put a finished BTF blob on disk, either as named sections of
 * an existing ELF file (".BTF", optionally ".BTF.base", ...) or as a raw
 * file, through libelf and plain system calls only: no objcopy, no
 * system(), no child processes.
 *
 * Owns:       nothing after return. Borrows: the blobs (only read; the
 *             caller serialised them in the target byte order with
 *             bfmt_btf__serialize()) and the options with their diag sink,
 *             for the duration of the call.
 * Threads:    no global state; calls on different files may run in
 *             parallel. libelf's error number is thread-local.
 * Errors:     0 or a negative errno, with exactly one DIAG_ERROR line that
 *             names the file and the failed step, e.g.
 *             "vmlinux: cannot write temporary file: No space left on
 *             device". Nothing is ever printed; the process never exits.
 *             -ENOEXEC: not an ELF file (or an archive); -EINVAL: a
 *             truncated or malformed ELF file, or a request the layout
 *             cannot honour (a loadable section that would have to grow,
 *             an appended module signature, appended data that would be
 *             dropped); -EACCES: the existing target is read-only (no
 *             write permission bit, or not writable by us): it is left
 *             alone rather than replaced, as rename() alone would allow;
 *             -EIO: the written file did not read back as intended.
 * Atomicity:  the new file is built in a temporary file in the SAME
 *             directory (".<name>.btfw.XXXXXX"), read back and verified
 *             (it parses as ELF with every section inside the file, and
 *             each written section holds exactly the blob; a raw file
 *             holds exactly the blob), fsync'ed, given the
 *             original's mode (and owner, where permitted), then rename()d
 *             over the target. On any failure the target is byte-identical
 *             to what it was and the temporary file is removed. If the
 *             process is killed, the target is still intact; only the
 *             temporary file may remain. A symlink target is resolved and
 *             its destination replaced. Hard links to the old file keep the
 *             old contents; ACLs and extended attributes are not copied.
 *
 * ELF layout guarantees (btfw_write_elf*):
 *  - The ELF header changes only in e_shoff/e_shnum; the program header
 *    table, every program segment and every section not written keep their
 *    bytes and offsets; section indices never change (new sections are
 *    appended to the end of the section header table), so sh_link/sh_info
 *    of relocation and symbol sections stay valid.
 *  - A written section that already exists and is not larger than before
 *    is rewritten at its offset. Otherwise it moves (or, if new, goes) past
 *    the last byte any retained header refers to; a .shstrtab that must
 *    grow for new names moves there too, followed by the section header
 *    table. Bytes past the end of the ELF image that no header refers to
 *    (data appended to the file) would be lost then: the call fails
 *    (-EINVAL) instead. A file ending in a kernel module signature
 *    ("~Module signature appended~") is refused in any case, since any
 *    rewrite invalidates the signature: strip it first.
 *  - Any byte below the original size that no section, segment or header
 *    of the new file covers keeps its original value.
 *  - New sections are SHT_PROGBITS, flags 0, sh_addralign 4 (llvm-objcopy,
 *    which pahole 1.24 runs, uses 1; 4 lets a reader map the u32-word BTF
 *    header in place and libbpf accepts either). Existing ones keep their
 *    type, flags and alignment.
 *  - libelf rewrites the ELF, program and section headers from what it
 *    read: the same bytes for a well-formed file (it only corrects entry
 *    sizes that contradict the ELF specification).
 *  - ELFCLASS32/64 and both byte orders; extended section numbering
 *    (e_shnum 0, e_shstrndx SHN_XINDEX) is read and produced as needed.
 *  - A SHF_ALLOC (loadable) section is only rewritten in place: if it
 *    would have to grow, the call fails with -EINVAL.
 *  - A blob whose first two bytes are a BTF magic written for the other
 *    byte order than the ELF file's is rejected (-EINVAL).
 *  - Memory: libelf holds the section contents of the file while writing.
 */
#ifndef BTFENC_BTF_WRITER_H
#define BTFENC_BTF_WRITER_H

#include <stddef.h>

#include "src/util/diag.h"

/* The steps of a write, in order; tests inject a failure at each. */
enum btfw_step {
	BTFW_STEP_NONE = 0,
	BTFW_STEP_OPEN,		/* open and stat the target */
	BTFW_STEP_TEMP,		/* create the temporary file */
	BTFW_STEP_COPY,		/* copy the original into it (ELF only) */
	BTFW_STEP_ELF_READ,	/* parse and validate the ELF copy */
	BTFW_STEP_SECTION_ADD,	/* plan the layout, add/replace sections */
	BTFW_STEP_WRITE,	/* elf_update() / write the raw blob */
	BTFW_STEP_VERIFY,	/* read the temporary file back and check it */
	BTFW_STEP_FSYNC,	/* fsync the temporary file */
	BTFW_STEP_CHMOD,	/* give it the original's owner and mode */
	BTFW_STEP_RENAME,	/* rename it over the target */
	BTFW_STEP__COUNT,
};

/* Name of a step for messages and tests ("open", "fsync", ...). */
const char *btfw_step__name(enum btfw_step step);

struct btfw_opts {
	const struct diag *diag;	/* where the error line goes; may be NULL */
	/* Test hooks; leave zeroed in production. */
	int fail_at_step;		/* enum btfw_step to fail with an injected
					 * errno (ENOSPC for copy/write, EIO
					 * otherwise); BTFW_STEP_NONE: never */
	void (*step_hook)(void *ctx, enum btfw_step step);
					/* called before each step is done
					 * (e.g. to kill the process there) */
	void *step_ctx;			/* argument of step_hook */
};

/* One named section to write: its whole contents. */
struct btfw_section {
	const char *name;	/* e.g. ".BTF"; unique within one call */
	const void *data;	/* len bytes, borrowed */
	size_t len;
};

/*
 * Write the n sections of secs into the ELF file at path, replacing the
 * contents of each section of that name or adding it. n must be >= 1;
 * opts may be NULL.
 */
int btfw_write_elf_sections(const char *path, const struct btfw_section *secs,
			    size_t n, const struct btfw_opts *opts);

/* btfw_write_elf_sections() with the single section ".BTF". */
int btfw_write_elf(const char *path, const void *btf, size_t len,
		   const struct btfw_opts *opts);

/*
 * Write the blob as the whole contents of the file at path. A new file gets
 * mode 0644 minus the umask; an existing one keeps its mode (and owner,
 * where permitted). Same temporary-file and rename discipline.
 */
int btfw_write_raw(const char *path, const void *data, size_t len,
		   const struct btfw_opts *opts);

#endif
