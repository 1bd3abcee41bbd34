// SPDX-License-Identifier: GPL-2.0-only
#include "gunzip.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "vec.h"

struct gunzip_out {
	unsigned char *v;
	size_t len, cap;
};

bool gunzip_is_gzip(int fd)
{
	unsigned char m[2];

	return pread(fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

/* Feed the whole file through inflate into a growing buffer. */
static int gunzip_stream(int fd, z_stream *z, size_t max_out, struct gunzip_out *out)
{
	unsigned char in[64 * 1024];
	off_t pos = 0;
	int zr = Z_OK;

	while (zr != Z_STREAM_END) {
		ssize_t n = pread(fd, in, sizeof(in), pos);

		if (n < 0)
			return -EIO;
		if (n == 0)
			return -EINVAL;	/* truncated */
		pos += n;
		z->next_in = in;
		z->avail_in = (uInt)n;
		while (z->avail_in && zr != Z_STREAM_END) {
			if (out->len == out->cap) {
				if (out->cap >= max_out)
					return -EFBIG;
				if (vec_reserve(out, out->cap ? out->cap * 2 : 1 << 20))
					return -ENOMEM;
			}
			z->next_out = out->v + out->len;
			z->avail_out = (uInt)(out->cap - out->len > UINT32_MAX ?
					      UINT32_MAX : out->cap - out->len);
			zr = inflate(z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
				return zr == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
			out->len = (size_t)(z->next_out - out->v);
			if (out->len > max_out)
				return -EFBIG;
		}
	}
	return 0;
}

int gunzip_fd(int fd, size_t max_out, void **buf_ret, size_t *len_ret)
{
	struct gunzip_out out = { 0 };
	z_stream z;
	int err;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)	/* gzip wrapper */
		return -ENOMEM;
	err = gunzip_stream(fd, &z, max_out, &out);
	inflateEnd(&z);
	if (err) {
		free(out.v);
		return err;
	}
	*buf_ret = out.v;
	*len_ret = out.len;
	return 0;
}
