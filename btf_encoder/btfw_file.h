/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btfw_file: the private temporary-file-and-rename machinery the BTF
 * writers share (see btf_writer.h for the guarantees it gives).
 *
 * A struct btfw_file lives on the caller's stack: btfw_file__open() resolves
 * and opens the target, btfw_file__create_temp() makes the temporary file
 * next to it, btfw_file__commit() makes it durable and renames it over the
 * target, btfw_file__close() releases everything and removes the temporary
 * file unless the commit went through.
 *
 * Owns:    the resolved path, the temporary path, both descriptors.
 * Errors:  every function reports its own DIAG_ERROR line and returns a
 *          negative errno; the caller just propagates it.
 */
#ifndef BTFENC_BTFW_FILE_H
#define BTFENC_BTFW_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "btf_writer.h"

struct btfw_file {
	const char *path;		/* as the caller spelled it, for messages */
	const struct btfw_opts *opts;	/* never NULL (zeroed defaults) */
	char *target;			/* symlinks resolved; what is replaced */
	char *tmp;			/* temporary file; NULL when none */
	int src_fd;			/* the target, read-only; -1 if not open */
	int fd;				/* the temporary file; -1 if none */
	bool exists;			/* the target existed (st is valid) */
	struct stat st;			/* the target's status when opened */
	unsigned char elf_ident[16];	/* ELF only: the original's e_ident */
	size_t phnum;			/* ELF only: its program headers */
};

/*
 * Resolve and stat path. With must_exist the target is opened read-only
 * (src_fd) and must be a regular file; otherwise a missing target is fine.
 */
int btfw_file__open(struct btfw_file *f, const char *path, bool must_exist,
		    const struct btfw_opts *opts);

/* Create the temporary file (O_EXCL, given mode minus umask) in the
 * target's directory. */
int btfw_file__create_temp(struct btfw_file *f, mode_t mode);

/* Copy the whole target (src_fd) into the temporary file. */
int btfw_file__copy(struct btfw_file *f);

/* Write len bytes at offset into the temporary file. */
int btfw_file__pwrite(struct btfw_file *f, const void *buf, size_t len, off_t off);

/* Copy bytes [off, off + len) of the target to the same place in the
 * temporary file (no report; -errno). */
int btfw_file__copy_range(struct btfw_file *f, off_t off, off_t len);

/* fsync, owner and mode of the original (if it existed), rename. */
int btfw_file__commit(struct btfw_file *f);

/* Close the descriptors; remove the temporary file if still there. */
void btfw_file__close(struct btfw_file *f);

/*
 * Enter a step: run the test hook, then return the injected -errno if the
 * options ask for a failure here, else 0. Nothing is reported: the caller
 * handles an injected error exactly like the real one, message included.
 */
int btfw_file__step(struct btfw_file *f, enum btfw_step step);

/* Read len bytes at off from the target (src_fd); -errno, no report. */
int btfw_file__read_target(struct btfw_file *f, void *buf, size_t len, off_t off);

/* Does the temporary file hold exactly len bytes data at offset off?
 * 0 if so, -EIO if not, -errno on a read error (no report). */
int btfw_file__check_range(struct btfw_file *f, const void *data, size_t len, off_t off);

/* Verify steps (btfw_verify.c): the temporary file read back, checked
 * against what was meant; each reports its own error. */
int btfw_verify_raw(struct btfw_file *f, const void *data, size_t len);
int btfw_verify_elf(struct btfw_file *f, const struct btfw_section *secs, size_t n);

/* Report "<path>: <what>: <strerror(-err)>" and return err (< 0). */
int btfw_file__fail(struct btfw_file *f, int err, const char *what);

#endif
