// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfw_file: temporary file next to the target, fsync, owner and mode,
 * rename over the target. See btfw_file.h.
 */
#include "btfw_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static const char *const step_names[BTFW_STEP__COUNT] = {
	[BTFW_STEP_NONE] = "none",
	[BTFW_STEP_OPEN] = "open",
	[BTFW_STEP_TEMP] = "temp",
	[BTFW_STEP_COPY] = "copy",
	[BTFW_STEP_ELF_READ] = "elf-read",
	[BTFW_STEP_SECTION_ADD] = "section-add",
	[BTFW_STEP_WRITE] = "write",
	[BTFW_STEP_VERIFY] = "verify",
	[BTFW_STEP_FSYNC] = "fsync",
	[BTFW_STEP_CHMOD] = "chmod",
	[BTFW_STEP_RENAME] = "rename",
};

const char *btfw_step__name(enum btfw_step step)
{
	if ((unsigned int)step >= BTFW_STEP__COUNT)
		return "?";
	return step_names[step];
}

int btfw_file__fail(struct btfw_file *f, int err, const char *what)
{
	char buf[128];
	const char *msg = strerror_r(-err, buf, sizeof(buf));

	diag_report(f->opts->diag, DIAG_ERROR, "%s: %s: %s", f->path, what, msg);
	return err;
}

int btfw_file__step(struct btfw_file *f, enum btfw_step step)
{
	const struct btfw_opts *o = f->opts;

	if (o->step_hook)
		o->step_hook(o->step_ctx, step);
	if (o->fail_at_step != BTFW_STEP_NONE && o->fail_at_step == (int)step)
		return step == BTFW_STEP_COPY || step == BTFW_STEP_WRITE ? -ENOSPC : -EIO;
	return 0;
}

int btfw_file__open(struct btfw_file *f, const char *path, bool must_exist,
		    const struct btfw_opts *opts)
{
	int err;

	f->path = path;
	f->opts = opts;
	f->target = NULL;
	f->tmp = NULL;
	f->src_fd = -1;
	f->fd = -1;
	f->exists = false;

	err = btfw_file__step(f, BTFW_STEP_OPEN);
	if (err)
		return btfw_file__fail(f, err, "cannot open");
	f->target = realpath(path, NULL);
	if (!f->target) {
		err = -errno;
		if (err != -ENOENT || must_exist)
			return btfw_file__fail(f, err, "cannot open");
		f->target = strdup(path);
		if (!f->target)
			return btfw_file__fail(f, -ENOMEM, "cannot open");
		return 0;
	}
	if (must_exist) {
		f->src_fd = open(f->target, O_RDONLY | O_CLOEXEC);
		if (f->src_fd < 0)
			return btfw_file__fail(f, -errno, "cannot open");
		if (fstat(f->src_fd, &f->st))
			return btfw_file__fail(f, -errno, "cannot stat");
	} else if (stat(f->target, &f->st)) {
		return btfw_file__fail(f, -errno, "cannot stat");
	}
	if (!S_ISREG(f->st.st_mode))
		return btfw_file__fail(f, -EINVAL, "not a regular file");
	/* rename() only needs the directory writable; a file its owner made
	 * read-only (or that we may not write) is not ours to replace. */
	if (!(f->st.st_mode & 0222))
		return btfw_file__fail(f, -EACCES, "cannot replace a read-only file");
	if (faccessat(AT_FDCWD, f->target, W_OK, AT_EACCESS))
		return btfw_file__fail(f, -errno, "cannot replace a read-only file");
	f->exists = true;
	return 0;
}

/* Six random name characters; getrandom() with a clock fallback. */
static void random_suffix(char *out, unsigned int attempt)
{
	static const char chars[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	uint64_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		r = (uint64_t)ts.tv_nsec * 2654435761u ^ (uint64_t)getpid() << 20 ^ attempt;
	}
	for (int i = 0; i < 6; i++, r /= sizeof(chars) - 1)
		out[i] = chars[r % (sizeof(chars) - 1)];
	out[6] = '\0';
}

/* "<dir>/.<base>.btfw." of the target, with room for the suffix. */
static char *temp_template(const char *target)
{
	const char *slash = strrchr(target, '/');
	const char *base = slash ? slash + 1 : target;
	int dirlen = slash ? (int)(slash - target) : 1;
	const char *dir = slash ? target : ".";
	char *t;

	if (slash == target)
		dirlen = 0;	/* a file in "/" */
	if (asprintf(&t, "%.*s/.%s.btfw.XXXXXX", dirlen, dir, base) < 0)
		return NULL;
	return t;
}

int btfw_file__create_temp(struct btfw_file *f, mode_t mode)
{
	char *t;
	size_t len;
	int err;

	err = btfw_file__step(f, BTFW_STEP_TEMP);
	if (err)
		return btfw_file__fail(f, err, "cannot create temporary file");
	t = temp_template(f->target);
	if (!t)
		return btfw_file__fail(f, -ENOMEM, "cannot create temporary file");
	len = strlen(t);
	for (unsigned int attempt = 0; attempt < 100; attempt++) {
		random_suffix(t + len - 6, attempt);
		f->fd = open(t, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (f->fd >= 0) {
			f->tmp = t;
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	err = -errno;
	free(t);
	return btfw_file__fail(f, err, "cannot create temporary file");
}

static int pread_full(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;

	while (len) {
		ssize_t r = pread(fd, p, len, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;	/* the file shrank under us */
		p += r;
		off += r;
		len -= (size_t)r;
	}
	return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t r = pwrite(fd, p, len, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;
		p += r;
		off += r;
		len -= (size_t)r;
	}
	return 0;
}

int btfw_file__read_target(struct btfw_file *f, void *buf, size_t len, off_t off)
{
	return pread_full(f->src_fd, buf, len, off);
}

int btfw_file__check_range(struct btfw_file *f, const void *data, size_t len, off_t off)
{
	enum { CHUNK = 1 << 16 };
	const char *want = data;
	char *buf = malloc(CHUNK);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (len && !err) {
		size_t n = len < CHUNK ? len : CHUNK;

		err = pread_full(f->fd, buf, n, off);
		if (!err && memcmp(buf, want, n))
			err = -EIO;
		want += n;
		off += (off_t)n;
		len -= n;
	}
	free(buf);
	return err;
}

int btfw_file__pwrite(struct btfw_file *f, const void *buf, size_t len, off_t off)
{
	return pwrite_full(f->fd, buf, len, off);
}

/* Copy with plain reads and writes (copy_file_range() may be refused). */
static int copy_plain(int in, int out, off_t from, off_t size)
{
	enum { CHUNK = 1 << 20 };
	char *buf = malloc(CHUNK);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (from < size && !err) {
		size_t n = size - from < CHUNK ? (size_t)(size - from) : CHUNK;

		err = pread_full(in, buf, n, from);
		if (!err)
			err = pwrite_full(out, buf, n, from);
		from += (off_t)n;
	}
	free(buf);
	return err;
}

int btfw_file__copy_range(struct btfw_file *f, off_t off, off_t len)
{
	return copy_plain(f->src_fd, f->fd, off, off + len);
}

int btfw_file__copy(struct btfw_file *f)
{
	off_t done = 0, size = f->st.st_size;
	int err;

	err = btfw_file__step(f, BTFW_STEP_COPY);
	while (!err && done < size) {
		loff_t in = done, out = done;
		ssize_t r = copy_file_range(f->src_fd, &in, f->fd, &out,
					    (size_t)(size - done), 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
			      errno == EOPNOTSUPP)) {
			err = copy_plain(f->src_fd, f->fd, done, size);
			break;
		}
		if (r < 0)
			err = -errno;
		else if (r == 0)
			err = -EIO;	/* the file shrank under us */
		else
			done += r;
	}
	if (err)
		return btfw_file__fail(f, err, "cannot write temporary file");
	return 0;
}

/* Give the temporary file the original's owner (where permitted) and mode. */
static int copy_owner_mode(struct btfw_file *f)
{
	if (f->st.st_uid != geteuid() || f->st.st_gid != getegid()) {
		if (fchown(f->fd, f->st.st_uid, f->st.st_gid)) {
			if (geteuid() == 0)
				return -errno;
			/* Not root: keep at least the group if we may. */
			if (fchown(f->fd, (uid_t)-1, f->st.st_gid)) {
				/* Best effort only, as documented. */
			}
		}
	}
	if (fchmod(f->fd, f->st.st_mode & 07777))
		return -errno;
	return 0;
}

/* Make the rename itself durable; the new file is already in place. */
static void sync_dir(const char *target)
{
	const char *slash = strrchr(target, '/');
	char *dir;
	int fd;

	if (!slash)
		dir = strdup(".");
	else
		dir = strndup(target, slash == target ? 1 : (size_t)(slash - target));
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return;
	if (fsync(fd)) {
		/* Nothing to undo: the file is replaced either way. */
	}
	close(fd);
}

int btfw_file__commit(struct btfw_file *f)
{
	int err;

	err = btfw_file__step(f, BTFW_STEP_FSYNC);
	if (!err && fsync(f->fd))
		err = -errno;
	if (err)
		return btfw_file__fail(f, err, "cannot sync temporary file");

	err = btfw_file__step(f, BTFW_STEP_CHMOD);
	if (!err && f->exists)
		err = copy_owner_mode(f);
	if (err)
		return btfw_file__fail(f, err, "cannot set owner and mode of temporary file");

	err = btfw_file__step(f, BTFW_STEP_RENAME);
	if (!err && rename(f->tmp, f->target))
		err = -errno;
	if (err)
		return btfw_file__fail(f, err, "cannot rename temporary file over it");
	free(f->tmp);
	f->tmp = NULL;
	sync_dir(f->target);
	return 0;
}

void btfw_file__close(struct btfw_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->src_fd >= 0)
		close(f->src_fd);
	if (f->tmp)
		unlink(f->tmp);
	free(f->tmp);
	free(f->target);
	f->fd = f->src_fd = -1;
	f->tmp = f->target = NULL;
}
