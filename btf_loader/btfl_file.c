// SPDX-License-Identifier: GPL-2.0-only
/*
 * The public entry points: files (raw BTF, ELF, /sys/kernel/btf), memory,
 * and the probe. Which base a file is split on is decided here.
 */
#include "btfl_elf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BTFL_SYSFS_DIR "/sys/kernel/btf/"
#define BTFL_SYSFS_VMLINUX BTFL_SYSFS_DIR "vmlinux"

static void btfl_ctx_init(struct btfl_ctx *c, const struct btfl_opts *o,
			  const char *fallback)
{
	memset(c, 0, sizeof(*c));
	c->name = o && o->name ? o->name : fallback;
	c->diag = o ? o->diag : NULL;
}

static bool btfl_is_btf_magic(const unsigned char *m)
{
	return (m[0] == 0x9f && m[1] == 0xeb) || (m[0] == 0xeb && m[1] == 0x9f);
}

static bool btfl_is_elf_magic(const unsigned char *m)
{
	return m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F';
}

/* Read all of fd. Growth follows what read() delivers, not st_size (sysfs
 * files may not say), so memory stays bounded by the real file size. */
static int btfl_read_all(struct btfl_ctx *c, int fd, unsigned char **buf_ret,
			 size_t *len_ret)
{
	size_t len = 0, cap = 1 << 16;
	unsigned char *buf = malloc(cap);

	if (!buf)
		return btfl_fail(c, -ENOMEM, "out of memory");
	for (;;) {
		ssize_t n;

		if (len == cap) {
			unsigned char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return btfl_fail(c, -ENOMEM, "out of memory");
			}
			buf = nb;
			cap *= 2;
		}
		n = pread(fd, buf + len, cap - len, (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			free(buf);
			return btfl_fail(c, err, "read: %s", strerror(-err));
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	*buf_ret = buf;
	*len_ret = len;
	return 0;
}

/*
 * For a table that will only be read (btfl_opts.read_only): map len bytes
 * of fd from off, read-only, into c->map; *data_ret points at off. The
 * parse may leave the sections there (btfl_build()); a failure here just
 * means they are copied as usual. The pages are the page cache's: nothing
 * is copied and no anonymous page is faulted in (a kernel's BTF as a
 * module's base: 5 MB, a quarter of a small module's page faults).
 */
static bool btfl_map(struct btfl_ctx *c, int fd, uint64_t off, size_t len,
		     const unsigned char **data_ret)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t start;
	void *map;

	if (page <= 0 || !len || off > UINT64_MAX - len)
		return false;
	start = off - off % (uint64_t)page;
	if (start > (uint64_t)INT64_MAX || off - start > SIZE_MAX - len)
		return false;
	map = mmap(NULL, len + (size_t)(off - start), PROT_READ, MAP_PRIVATE, fd, (off_t)start);
	if (map == MAP_FAILED)
		return false;
	c->map = map;
	c->map_len = len + (size_t)(off - start);
	*data_ret = (const unsigned char *)map + (off - start);
	return true;
}

/* Unmap what btfl_map() mapped if the table did not take it. */
static void btfl_unmap(struct btfl_ctx *c)
{
	if (c->map)
		munmap(c->map, c->map_len);
	c->map = NULL;
}

/* A regular file's size, or 0 (not regular, or unknown). */
static size_t btfl_regular_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > SIZE_MAX)
		return 0;
	return (size_t)st.st_size;
}

/* Split module BTF in sysfs: every file but vmlinux itself. */
static bool btfl_is_sysfs_module(const char *path)
{
	size_t n = strlen(BTFL_SYSFS_DIR);

	return !strncmp(path, BTFL_SYSFS_DIR, n) && strcmp(path + n, "vmlinux") &&
	       !strchr(path + n, '/');
}

static int btfl_load_raw_fd(struct btfl_ctx *c, int fd, const char *path,
			    const struct bfmt_btf *base, const struct btfl_opts *o,
			    struct bfmt_btf **ret)
{
	struct bfmt_btf *own_base = NULL, *btf;
	struct btfl_info *info = o ? o->info_ret : NULL;
	const unsigned char *mapped;
	unsigned char *buf = NULL;
	size_t len = 0;
	int err;

	if (!base && btfl_is_sysfs_module(path)) {
		struct btfl_opts bo = { .diag = c->diag };

		/* Its failure is reported under its own name: one line. */
		err = btfl_load_file(BTFL_SYSFS_VMLINUX, NULL, &bo, &own_base);
		if (err)
			return err;
		base = own_base;
	}
	len = o && o->read_only ? btfl_regular_size(fd) : 0;
	if (len && btfl_map(c, fd, 0, len, &mapped)) {
		err = btfl_parse(c, mapped, len, base, info, &btf);
		btfl_unmap(c);
	} else {
		err = btfl_read_all(c, fd, &buf, &len);
		if (!err) {
			err = btfl_parse(c, buf, len, base, info, &btf);
			free(buf);
		}
	}
	if (err) {
		bfmt_btf__free(own_base);
		return err;
	}
	if (own_base)
		bfmt_btf__own_base(btf);
	*ret = btf;
	return 0;
}

/* An ELF file's .BTF, split on its .BTF.base when it has one (the ids of
 * a module built with a distilled base are relative to it). */
static int btfl_load_elf(struct btfl_ctx *c, int fd, const struct btfl_elf *e,
			 const struct bfmt_btf *base, const struct btfl_opts *o,
			 struct bfmt_btf **ret)
{
	struct btfl_info *info = o ? o->info_ret : NULL;
	struct bfmt_btf *own_base = NULL, *btf;
	const unsigned char *data = e->btf;
	int err;

	c->relocatable = e->relocatable;
	c->ptr_size = e->ptr_size;
	if (e->has_base) {
		struct btfl_ctx bc = *c;
		char name[512];

		snprintf(name, sizeof(name), "%s: .BTF.base", c->name);
		bc.name = name;
		if (base)
			diag_report(c->diag, DIAG_WARN, "%s: has .BTF.base: the given base is "
				    "not used (relocation is not supported)", c->name);
		err = btfl_parse(&bc, e->base, e->base_len, NULL, NULL, &own_base);
		if (err)
			return err;
		base = own_base;
	}
	/* libelf checked that the section lies inside the file, and an
	 * uncompressed section's data is its bytes there. */
	if (o && o->read_only && !own_base)
		btfl_map(c, fd, e->btf_off, e->btf_len, &data);
	err = btfl_parse(c, data, e->btf_len, base, info, &btf);
	btfl_unmap(c);
	if (err) {
		bfmt_btf__free(own_base);
		return err;
	}
	if (own_base)
		bfmt_btf__own_base(btf);
	if (info) {
		info->from_elf = true;
		info->has_base_section = e->has_base;
		info->machine = e->machine;
	}
	*ret = btf;
	return 0;
}

static int btfl_open(struct btfl_ctx *c, const char *path, int *fd_ret,
		     unsigned char magic[4])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		int err = -errno;

		return btfl_fail(c, err, "cannot open: %s", strerror(-err));
	}
	memset(magic, 0, 4);
	do
		n = pread(fd, magic, 4, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return btfl_fail(c, err, "read: %s", strerror(-err));
	}
	*fd_ret = fd;
	return 0;
}

int btfl_load_file(const char *path, const struct bfmt_btf *base,
		   const struct btfl_opts *o, struct bfmt_btf **ret)
{
	unsigned char magic[4];
	struct btfl_ctx c;
	struct btfl_elf e;
	int fd = -1, err;

	btfl_ctx_init(&c, o, path);
	err = btfl_open(&c, path, &fd, magic);
	if (err)
		return err;
	if (btfl_is_btf_magic(magic)) {
		err = btfl_load_raw_fd(&c, fd, path, base, o, ret);
	} else if (btfl_is_elf_magic(magic)) {
		err = btfl_elf_open(&c, fd, &e);
		if (!err) {
			err = btfl_load_elf(&c, fd, &e, base, o, ret);
			btfl_elf_close(&e);
		}
	} else {
		err = btfl_fail(&c, -ENOEXEC, "not BTF or an ELF file");
	}
	close(fd);
	return err;
}

int btfl_load_mem(const void *data, size_t len, const struct bfmt_btf *base,
		  const struct btfl_opts *o, struct bfmt_btf **ret)
{
	struct btfl_ctx c;

	btfl_ctx_init(&c, o, "<memory>");
	return btfl_parse(&c, data, len, base, o ? o->info_ret : NULL, ret);
}

int btfl_probe(const char *path, bool *has_btf_ret)
{
	struct btfl_ctx quiet;
	unsigned char magic[4];
	bool has;
	int fd, err;

	btfl_ctx_init(&quiet, NULL, path);
	err = btfl_open(&quiet, path, &fd, magic);
	if (err)
		return err;
	if (btfl_is_btf_magic(magic))
		has = true;
	else
		has = btfl_is_elf_magic(magic) && btfl_elf_has_btf(fd);
	close(fd);
	*has_btf_ret = has;
	return 0;
}
