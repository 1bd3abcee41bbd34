// SPDX-License-Identifier: GPL-2.0-only
/* Suite "util": arena, vec, hmap, diag. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <zlib.h>

#include "src/util/arena.h"
#include "src/util/diag.h"
#include "src/util/gunzip.h"
#include "src/util/hmap.h"
#include "src/util/par.h"
#include "src/util/vec.h"
#include "tests.h"

static void test_arena_basic(void)
{
	struct arena a;
	char *s, *big;
	int i;

	arena_init(&a);
	s = arena_strdup(&a, "hello");
	CU_ASSERT_STRING_EQUAL(s, "hello");
	CU_ASSERT_EQUAL((uintptr_t)s % 16, 0);
	/* Many small and one huge allocation stay intact. */
	for (i = 0; i < 10000; i++) {
		int *p = arena_alloc(&a, sizeof(int));

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		*p = i;
	}
	big = arena_calloc(&a, 1, 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	CU_ASSERT_EQUAL(big[12345], 0);
	CU_ASSERT_STRING_EQUAL(s, "hello");
	CU_ASSERT_PTR_NULL(arena_calloc(&a, SIZE_MAX / 2, 4));
	arena_deinit(&a);
}

static void test_arena_fail_injection(void)
{
	struct arena a;

	arena_init(&a);
	a.fail_after = 3;
	CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 8));
	CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 8));
	CU_ASSERT_PTR_NULL(arena_alloc(&a, 8));
	CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 8));
	arena_deinit(&a);
}

static void test_vec(void)
{
	struct {
		uint64_t *v;
		size_t len, cap;
	} arr = { 0 };
	size_t i;

	for (i = 0; i < 1000; i++) {
		CU_ASSERT_EQUAL_FATAL(vec_push(&arr), 0);
		*vec_last(&arr) = i * 3;
	}
	CU_ASSERT_EQUAL(arr.len, 1000);
	CU_ASSERT(arr.cap >= 1000);
	for (i = 0; i < 1000; i++)
		CU_ASSERT_EQUAL(arr.v[i], i * 3);
	/* Overflowing sizes fail without touching the array. */
	CU_ASSERT_NOT_EQUAL(vec_grow_raw((void **)&arr.v, &arr.cap, SIZE_MAX, 8), 0);
	CU_ASSERT_EQUAL(arr.v[999], 999 * 3);
	vec_free(&arr);
	CU_ASSERT_PTR_NULL(arr.v);
}

static void test_hmap(void)
{
	struct hmap m;
	uint64_t v, i;

	hmap_init(&m);
	CU_ASSERT_FALSE(hmap_get(&m, 0, &v));
	for (i = 0; i < 100000; i++)
		CU_ASSERT_EQUAL_FATAL(hmap_set(&m, i * 7919, i), 0);
	CU_ASSERT_EQUAL(m.len, 100000);
	for (i = 0; i < 100000; i++) {
		CU_ASSERT_TRUE_FATAL(hmap_get(&m, i * 7919, &v));
		CU_ASSERT_EQUAL(v, i);
	}
	CU_ASSERT_FALSE(hmap_get(&m, 7918, NULL));
	/* Key 0 and overwrite. */
	CU_ASSERT_EQUAL(hmap_set(&m, 0, 42), 0);
	CU_ASSERT_TRUE(hmap_get(&m, 0, &v));
	CU_ASSERT_EQUAL(v, 42);
	CU_ASSERT_EQUAL(m.len, 100000);
	hmap_clear(&m);
	CU_ASSERT_FALSE(hmap_get(&m, 7919, NULL));
	/* Keys that differ only in high bits, or only in the top one. */
	for (i = 0; i < 50000; i++)
		CU_ASSERT_EQUAL_FATAL(hmap_set(&m, i << 40 | 1, i), 0);
	CU_ASSERT_EQUAL(hmap_set(&m, 1ULL << 63, 7), 0);
	CU_ASSERT_EQUAL(m.len, 50001);
	for (i = 0; i < 50000; i++) {
		CU_ASSERT_TRUE_FATAL(hmap_get(&m, i << 40 | 1, &v));
		CU_ASSERT_EQUAL(v, i);
	}
	CU_ASSERT_TRUE(hmap_get(&m, 1ULL << 63, &v));
	CU_ASSERT_EQUAL(v, 7);
	CU_ASSERT_FALSE(hmap_get(&m, 1ULL << 62, NULL));
	hmap_deinit(&m);
}

struct par_check {
	unsigned char *seen;
	size_t first[PAR_MAX];	/* per part: where its slice begins */
};

static void par_mark(void *ctx, unsigned part, size_t begin, size_t end)
{
	struct par_check *c = ctx;
	size_t i;

	for (i = begin; i < end; i++)
		c->seen[i] = (unsigned char)(c->seen[i] + 1 + part * 2);
	if (part < PAR_MAX)
		c->first[part] = begin;
}

/* Every index in exactly one slice, whatever the parts and the minimum. */
static void test_par_for(void)
{
	static const size_t sizes[] = { 0, 1, 7, 100, 4096, 100003 };
	static const unsigned parts[] = { 0, 1, 2, 3, 8, 200 };
	size_t s, p, i;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
			struct par_check c = { calloc(sizes[s] + 1, 1), { 0 } };
			bool once = true;
			unsigned used, k = 0;

			CU_ASSERT_PTR_NOT_NULL_FATAL(c.seen);
			used = par_for(sizes[s], parts[p], p & 1 ? 1000 : 0, par_mark, &c);
			CU_ASSERT(used >= 1 && used <= (parts[p] ? parts[p] : 1) && used <= PAR_MAX);
			/* Every index once, by the part whose slice holds it. */
			for (i = 0; i < sizes[s]; i++) {
				while (k + 1 < used && i >= c.first[k + 1])
					k++;
				once &= c.seen[i] == 1 + k * 2;
			}
			CU_ASSERT(once);
			CU_ASSERT_EQUAL(c.seen[sizes[s]], 0);
			free(c.seen);
		}
}

static void test_hash_bytes(void)
{
	CU_ASSERT_EQUAL(hash_bytes("abc", 3, 0), hash_bytes("abc", 3, 0));
	CU_ASSERT_NOT_EQUAL(hash_bytes("abc", 3, 0), hash_bytes("abd", 3, 0));
	CU_ASSERT_NOT_EQUAL(hash_bytes("abcdefgh1", 9, 0),
			    hash_bytes("abcdefgh2", 9, 0));
}

struct captured {
	int n;
	enum diag_level level;
	char msg[256];
};

static void capture_sink(void *ctx, enum diag_level level, const char *msg)
{
	struct captured *c = ctx;

	c->n++;
	c->level = level;
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
}

static void test_diag(void)
{
	struct captured c = { 0 };
	struct diag d = { capture_sink, &c, DIAG_WARN };

	diag_report(&d, DIAG_ERROR, "file %s: bad %d", "x.o", 3);
	CU_ASSERT_EQUAL(c.n, 1);
	CU_ASSERT_STRING_EQUAL(c.msg, "file x.o: bad 3");
	diag_report(&d, DIAG_INFO, "dropped");
	CU_ASSERT_EQUAL(c.n, 1);
	diag_report(NULL, DIAG_ERROR, "nowhere");
}

/* Write n bytes of a pattern gzip-compressed into a temporary file. */
static int make_gz(char *path, size_t n)
{
	gzFile gz;
	size_t i;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	gz = gzdopen(dup(fd), "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(gz);
	for (i = 0; i < n; i++)
		gzputc(gz, (int)(i % 251));
	CU_ASSERT_EQUAL_FATAL(gzclose(gz), Z_OK);
	return fd;
}

static void test_gunzip(void)
{
	char path[] = "/tmp/btfenc-gz-XXXXXX";
	int fd = make_gz(path, 300000);
	void *buf = NULL;
	size_t len = 0, i;
	unsigned char *p;
	struct stat st;

	CU_ASSERT_TRUE(gunzip_is_gzip(fd));
	CU_ASSERT_EQUAL_FATAL(gunzip_fd(fd, 1 << 20, &buf, &len), 0);
	CU_ASSERT_EQUAL(len, 300000);
	p = buf;
	for (i = 0; i < len; i++)
		if (p[i] != i % 251)
			break;
	CU_ASSERT_EQUAL(i, len);
	free(buf);
	/* The output bound holds. */
	CU_ASSERT_EQUAL(gunzip_fd(fd, 1000, &buf, &len), -EFBIG);
	/* A truncated stream is an error, not a short result. */
	CU_ASSERT_EQUAL_FATAL(fstat(fd, &st), 0);
	CU_ASSERT_EQUAL_FATAL(ftruncate(fd, st.st_size / 2), 0);
	CU_ASSERT_EQUAL(gunzip_fd(fd, 1 << 20, &buf, &len), -EINVAL);
	/* Not gzip at all. */
	CU_ASSERT_EQUAL_FATAL(pwrite(fd, "ELF!", 4, 0), 4);
	CU_ASSERT_FALSE(gunzip_is_gzip(fd));
	CU_ASSERT_EQUAL(gunzip_fd(fd, 1 << 20, &buf, &len), -EINVAL);
	close(fd);
	unlink(path);
}

static const struct unit_test util_tests[] = {
	{ "gunzip", test_gunzip },
	{ "arena_basic", test_arena_basic },
	{ "arena_fail_injection", test_arena_fail_injection },
	{ "vec", test_vec },
	{ "hmap", test_hmap },
	{ "hash_bytes", test_hash_bytes },
	{ "par_for", test_par_for },
	{ "diag", test_diag },
	{ NULL, NULL },
};

int register_util_suite(void)
{
	return unit_add_suite("util", util_tests);
}
