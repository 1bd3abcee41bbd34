/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gunzip: read a whole gzip-compressed file into memory, through zlib.
 *
 * Owns:    nothing after return; *buf_ret is malloc'd and the caller's.
 * Errors:  0; -EIO (read error); -EINVAL (not gzip, corrupt or truncated
 *          data); -EFBIG (the output would pass max_out bytes: a bound the
 *          caller sets so that no input makes us allocate without limit);
 *          -ENOMEM.
 */
#ifndef BTFENC_UTIL_GUNZIP_H
#define BTFENC_UTIL_GUNZIP_H

#include <stdbool.h>
#include <stddef.h>

/* Does the file behind fd start with the gzip magic? (pread: no seek.) */
bool gunzip_is_gzip(int fd);

int gunzip_fd(int fd, size_t max_out, void **buf_ret, size_t *len_ret);

#endif
