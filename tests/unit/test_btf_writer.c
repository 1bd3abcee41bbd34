// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "btf_writer": .BTF into ELF files (objects, a program that must
 * still run, other classes and byte orders, extended section numbering) and
 * raw files; failures injected at every step, a killed writer, read-only
 * directories and bad input must all leave the target byte-identical with
 * no temporary file left. Every written file is re-read with libelf and
 * compared section by section with the original; where libbpf is installed
 * it must find and parse the written .BTF (test-only oracle).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "btf_encoder/btf_writer.h"
#include "src/btf_format/btf_types.h"
#include "tests.h"

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#endif

/* ---- helpers: files and directories ---------------------------------- */

struct capture {
	int errors;
	char last[512];
};

static void capture_sink(void *ctx, enum diag_level level, const char *msg)
{
	struct capture *c = ctx;

	if (level == DIAG_ERROR)
		c->errors++;
	snprintf(c->last, sizeof(c->last), "%s", msg);
}

/* Options that capture messages into c. */
static struct btfw_opts opts_for(struct capture *c, struct diag *d)
{
	memset(c, 0, sizeof(*c));
	*d = (struct diag){ .sink = capture_sink, .ctx = c, .max_level = DIAG_DEBUG };
	return (struct btfw_opts){ .diag = d };
}

static char *tmpdir_new(void)
{
	char *dir = strdup("/tmp/btfw-test-XXXXXX");

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	chmod(dir, 0755);	/* traversable by the unprivileged child */
	return dir;
}

static void tmpdir_free(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	chmod(dir, 0755);
	while (d && (e = readdir(d))) {
		char *p;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (asprintf(&p, "%s/%s", dir, e->d_name) >= 0) {
			unlink(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
	rmdir(dir);
	free(dir);
}

/* Entries in dir besides . and .. (a leftover temporary file shows here). */
static int dir_count(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* Remove every entry of dir but keep (a killed writer's temporary file). */
static void dir_clean_except(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *p;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, keep))
			continue;
		if (asprintf(&p, "%s/%s", dir, e->d_name) >= 0) {
			unlink(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
}

static char *path_in(const char *dir, const char *name)
{
	char *p;

	CU_ASSERT_FATAL(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static void *slurp(const char *path, size_t *len_ret)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)len + 1);
		if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
		}
		*len_ret = (size_t)len;
	}
	fclose(f);
	return buf;
}

static void spill(const char *path, const void *buf, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, buf, len) == (ssize_t)len);
	CU_ASSERT(fchmod(fd, mode) == 0);
	close(fd);
}

/* Copy the fixture src to dir/name with mode; returns the new path. */
static char *fixture_copy(const char *src, const char *dir, const char *name, mode_t mode)
{
	size_t len;
	void *buf = slurp(src, &len);
	char *dst = path_in(dir, name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	spill(dst, buf, len, mode);
	free(buf);
	return dst;
}

static bool same_bytes(const char *path, const void *buf, size_t len)
{
	size_t n;
	void *now = slurp(path, &n);
	bool same = now && n == len && !memcmp(now, buf, len);

	free(now);
	return same;
}

/* A valid BTF blob: int plus ntd typedefs of it, in the given byte order. */
static void build_blob(bool big_endian, int ntd, void **buf, size_t *len)
{
	struct bfmt_btf *btf;
	uint32_t off, id_int, id, *info;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(NULL, &btf), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(btf, "int", &off), 0);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(btf, BFMT_KIND_INT, 0, false, off, 4,
						 &id_int, (void **)&info), 0);
	*info = bfmt_int_info(BFMT_INT_SIGNED, 0, 32);
	for (int i = 0; i < ntd; i++) {
		char name[32];

		snprintf(name, sizeof(name), "writer_t%d", i);
		CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(btf, name, &off), 0);
		CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(btf, BFMT_KIND_TYPEDEF, 0, false, off,
							 id_int, &id, NULL), 0);
	}
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(btf, big_endian, buf, len), 0);
	bfmt_btf__free(btf);
}

static bool host_big_endian(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 0;
}

/* ---- helpers: ELF snapshots ------------------------------------------ */

struct snap_sec {
	GElf_Shdr sh;
	char *name;
	void *data;	/* the section's file bytes (NULL for SHT_NOBITS) */
};

struct snap {
	GElf_Ehdr eh;
	size_t shnum, shstrndx, phnum;
	GElf_Phdr *ph;
	struct snap_sec *sec;
	void *file;	/* the whole file */
	size_t file_len;
};

static int snap_load(const char *path, struct snap *s)
{
	Elf *elf = NULL;
	int fd, err = -1;

	memset(s, 0, sizeof(*s));
	s->file = slurp(path, &s->file_len);
	fd = open(path, O_RDONLY);
	if (!s->file || fd < 0 || elf_version(EV_CURRENT) == EV_NONE)
		goto out;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &s->eh) ||
	    elf_getshdrnum(elf, &s->shnum) || elf_getshdrstrndx(elf, &s->shstrndx) ||
	    elf_getphdrnum(elf, &s->phnum))
		goto out;
	s->ph = calloc(s->phnum + 1, sizeof(*s->ph));
	s->sec = calloc(s->shnum, sizeof(*s->sec));
	if (!s->ph || !s->sec)
		goto out;
	for (size_t i = 0; i < s->phnum; i++)
		if (!gelf_getphdr(elf, (int)i, &s->ph[i]))
			goto out;
	for (size_t i = 0; i < s->shnum; i++) {
		struct snap_sec *ss = &s->sec[i];
		Elf_Scn *scn = elf_getscn(elf, i);
		const char *name;

		if (!gelf_getshdr(scn, &ss->sh))
			goto out;
		name = i ? elf_strptr(elf, s->shstrndx, ss->sh.sh_name) : "";
		ss->name = strdup(name ? name : "?");
		if (i && ss->sh.sh_type != SHT_NOBITS) {
			if (ss->sh.sh_offset + ss->sh.sh_size > s->file_len)
				goto out;
			ss->data = malloc(ss->sh.sh_size + 1);
			if (!ss->data)
				goto out;
			memcpy(ss->data, (char *)s->file + ss->sh.sh_offset, ss->sh.sh_size);
		}
	}
	err = 0;
out:
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	return err;
}

static void snap_free(struct snap *s)
{
	for (size_t i = 0; s->sec && i < s->shnum; i++) {
		free(s->sec[i].name);
		free(s->sec[i].data);
	}
	free(s->sec);
	free(s->ph);
	free(s->file);
}

static size_t snap_find(const struct snap *s, const char *name)
{
	for (size_t i = 1; i < s->shnum; i++)
		if (!strcmp(s->sec[i].name, name))
			return i;
	return 0;
}

static const struct btfw_section *written(const struct btfw_section *secs, size_t n,
					  const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(secs[k].name, name))
			return &secs[k];
	return NULL;
}

/* Is [off, off+1) covered by the ELF header, a section or the section table? */
static bool covered(const struct snap *s, size_t off)
{
	size_t shent = s->eh.e_shentsize;

	if (off < s->eh.e_ehsize)
		return true;
	if (off >= s->eh.e_shoff && off < s->eh.e_shoff + s->shnum * shent)
		return true;
	for (size_t i = 1; i < s->shnum; i++) {
		const GElf_Shdr *sh = &s->sec[i].sh;

		if (sh->sh_type != SHT_NOBITS && off >= sh->sh_offset &&
		    off < sh->sh_offset + sh->sh_size)
			return true;
	}
	return false;
}

/*
 * The contract, checked on two snapshots: program headers, every other
 * section (header and bytes) identical; written sections hold exactly their
 * blob; new ones appended with our header; .shstrtab only grew; every byte
 * no header covers is the original's.
 */
static void check_written(const struct snap *o, const struct snap *s,
			  const struct btfw_section *secs, size_t n)
{
	size_t added = 0;

	CU_ASSERT_EQUAL(memcmp(o->eh.e_ident, s->eh.e_ident, EI_NIDENT), 0);
	CU_ASSERT_EQUAL(o->eh.e_type, s->eh.e_type);
	CU_ASSERT_EQUAL(o->eh.e_entry, s->eh.e_entry);
	CU_ASSERT_EQUAL(o->eh.e_phoff, s->eh.e_phoff);
	CU_ASSERT_EQUAL(o->eh.e_flags, s->eh.e_flags);
	CU_ASSERT_EQUAL(o->shstrndx, s->shstrndx);
	CU_ASSERT_EQUAL_FATAL(o->phnum, s->phnum);
	CU_ASSERT_EQUAL(memcmp(o->ph, s->ph, o->phnum * sizeof(*o->ph)), 0);
	if (o->phnum)	/* the program header table's bytes too */
		CU_ASSERT_EQUAL(memcmp((char *)o->file + o->eh.e_phoff,
				       (char *)s->file + s->eh.e_phoff,
				       o->phnum * o->eh.e_phentsize), 0);
	for (size_t k = 0; k < n; k++)
		added += !snap_find(o, secs[k].name);
	CU_ASSERT_EQUAL_FATAL(s->shnum, o->shnum + added);

	for (size_t i = 1; i < o->shnum; i++) {
		const struct snap_sec *a = &o->sec[i], *b = &s->sec[i];
		const struct btfw_section *w = written(secs, n, a->name);

		CU_ASSERT_STRING_EQUAL(a->name, b->name);
		if (w || i == o->shstrndx) {
			CU_ASSERT_EQUAL(a->sh.sh_type, b->sh.sh_type);
			CU_ASSERT_EQUAL(a->sh.sh_flags, b->sh.sh_flags);
			CU_ASSERT_EQUAL(a->sh.sh_addralign, b->sh.sh_addralign);
			CU_ASSERT_EQUAL(a->sh.sh_link, b->sh.sh_link);
			CU_ASSERT_EQUAL(a->sh.sh_info, b->sh.sh_info);
		} else {
			CU_ASSERT_EQUAL(memcmp(&a->sh, &b->sh, sizeof(a->sh)), 0);
		}
		if (w) {
			CU_ASSERT_EQUAL(b->sh.sh_size, w->len);
			CU_ASSERT(b->data && !memcmp(b->data, w->data, w->len));
		} else if (i == o->shstrndx) {
			CU_ASSERT(b->sh.sh_size >= a->sh.sh_size);
			CU_ASSERT(!memcmp(a->data, b->data, a->sh.sh_size));
		} else if (a->data) {
			CU_ASSERT(!memcmp(a->data, b->data, a->sh.sh_size));
		}
	}
	for (size_t i = o->shnum, k = 0; i < s->shnum; i++, k++) {
		const struct snap_sec *b = &s->sec[i];
		const struct btfw_section *w = written(secs, n, b->name);

		CU_ASSERT_PTR_NOT_NULL_FATAL(w);
		CU_ASSERT_EQUAL(b->sh.sh_type, SHT_PROGBITS);
		CU_ASSERT_EQUAL(b->sh.sh_flags, 0);
		CU_ASSERT_EQUAL(b->sh.sh_addralign, 4);
		CU_ASSERT_EQUAL(b->sh.sh_offset % 4, 0);
		CU_ASSERT_EQUAL(b->sh.sh_size, w->len);
		CU_ASSERT(!memcmp(b->data, w->data, w->len));
	}
	for (size_t off = 0; off < o->file_len && off < s->file_len; off++) {
		if (covered(s, off))
			continue;
		if (((char *)o->file)[off] != ((char *)s->file)[off]) {
			CU_FAIL("a byte no header covers changed");
			break;
		}
	}
}

#ifdef HAVE_LIBBPF
/* libbpf finds .BTF in path and sees ntypes types plus void. */
static void check_libbpf(const char *path, int ntypes)
{
	struct btf *btf = btf__parse_elf(path, NULL);

	CU_ASSERT_EQUAL(libbpf_get_error(btf), 0);
	if (libbpf_get_error(btf))
		return;
	CU_ASSERT_EQUAL(btf__type_cnt(btf), (unsigned int)ntypes + 1);
	CU_ASSERT_PTR_NOT_NULL(btf__type_by_id(btf, 1));
	btf__free(btf);
}
#else
static void check_libbpf(const char *path, int ntypes)
{
	(void)path;
	(void)ntypes;
}
#endif

/* Write secs into path and check the result against the contract. */
static void write_and_check(const char *path, const struct btfw_section *secs, size_t n)
{
	struct capture c;
	struct diag d;
	struct btfw_opts o = opts_for(&c, &d);
	struct snap before, after;

	CU_ASSERT_EQUAL_FATAL(snap_load(path, &before), 0);
	CU_ASSERT_EQUAL(btfw_write_elf_sections(path, secs, n, &o), 0);
	CU_ASSERT_EQUAL(c.errors, 0);
	CU_ASSERT_EQUAL_FATAL(snap_load(path, &after), 0);
	check_written(&before, &after, secs, n);
	snap_free(&before);
	snap_free(&after);
}

/* Run prog; its exit status, or -1 if it did not exit normally. */
static int run_prog(const char *prog)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 1);
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* ---- tests: adding and replacing ------------------------------------- */

static void add_to(const char *fixture, const char *name, bool run)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(fixture, dir, name, 0751);
	struct btfw_section sec = { .name = ".BTF" };
	void *blob;
	struct stat st;

	build_blob(host_big_endian(), 3, &blob, &sec.len);
	sec.data = blob;
	write_and_check(path, &sec, 1);
	CU_ASSERT(stat(path, &st) == 0 && (st.st_mode & 07777) == 0751);
	CU_ASSERT_EQUAL(dir_count(dir), 1);
	check_libbpf(path, 4);
	if (run)
		CU_ASSERT_EQUAL(run_prog(path), 42);
	free(blob);
	free(path);
	tmpdir_free(dir);
}

static void test_add_object(void)
{
	add_to(WRITER_OBJ, "obj.o", false);
}

static void test_add_program(void)
{
	CU_ASSERT_EQUAL(run_prog(WRITER_PROG), 42);
	add_to(WRITER_PROG, "prog", true);
}

/* Replace .BTF with bigger, smaller and identical blobs, in two files. */
static void replace_in(const char *fixture, bool run)
{
	static const int sizes[] = { 1, 50, 400, 2, 2, 1000, 0 };
	char *dir = tmpdir_new();
	char *path = fixture_copy(fixture, dir, "target", 0700);
	size_t prev_len = 0;
	void *prev = NULL;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct btfw_section sec = { .name = ".BTF" };
		void *blob;
		size_t flen;

		build_blob(host_big_endian(), sizes[i], &blob, &sec.len);
		sec.data = blob;
		write_and_check(path, &sec, 1);
		check_libbpf(path, sizes[i] + 1);
		if (run)
			CU_ASSERT_EQUAL(run_prog(path), 42);
		/* The same bytes again: the file does not change at all. */
		if (i && sizes[i] == sizes[i - 1])
			CU_ASSERT(same_bytes(path, prev, prev_len));
		free(prev);
		prev = slurp(path, &flen);
		prev_len = flen;
		/* Dead space does not pile up: never much past original + blob. */
		CU_ASSERT(flen < 64 * 1024 + 3 * sec.len);
		free(blob);
	}
	CU_ASSERT_EQUAL(dir_count(dir), 1);
	free(prev);
	free(path);
	tmpdir_free(dir);
}

static void test_replace(void)
{
	replace_in(WRITER_OBJ, false);
	replace_in(WRITER_PROG, true);
}

/* .BTF and .BTF.base in one call, then both replaced: one shrinks, one grows. */
static void test_two_sections(void)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(WRITER_PROG, dir, "prog", 0755);
	struct btfw_section secs[2] = { { .name = ".BTF" }, { .name = ".BTF.base" } };
	void *a, *b, *c;
	size_t clen;

	build_blob(host_big_endian(), 5, &a, &secs[0].len);
	build_blob(host_big_endian(), 1, &b, &secs[1].len);
	build_blob(host_big_endian(), 9, &c, &clen);
	secs[0].data = a;
	secs[1].data = b;
	write_and_check(path, secs, 2);
	CU_ASSERT_EQUAL(run_prog(path), 42);
	secs[0].len = 30;	/* a prefix of a: rewritten in place */
	secs[1].data = c;	/* bigger than b: moves to the end */
	secs[1].len = clen;
	write_and_check(path, secs, 2);
	CU_ASSERT_EQUAL(run_prog(path), 42);
	CU_ASSERT_EQUAL(dir_count(dir), 1);
	free(a);
	free(b);
	free(c);
	free(path);
	tmpdir_free(dir);
}

/* Objects of other classes and byte orders (clang --target). */
static void cross_one(const char *fixture, bool big_endian)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(fixture, dir, "cross.o", 0644);
	struct btfw_section sec = { .name = ".BTF" };
	struct capture c;
	struct diag d;
	struct btfw_opts o = opts_for(&c, &d);
	void *blob, *orig;
	size_t olen;

	/* The wrong byte order is refused, the file untouched. */
	build_blob(!big_endian, 2, &blob, &sec.len);
	orig = slurp(path, &olen);
	CU_ASSERT_EQUAL(btfw_write_elf(path, blob, sec.len, &o), -EINVAL);
	CU_ASSERT(same_bytes(path, orig, olen));
	CU_ASSERT(strstr(c.last, "byte order") != NULL);
	free(blob);

	build_blob(big_endian, 2, &blob, &sec.len);
	sec.data = blob;
	write_and_check(path, &sec, 1);
	free(blob);
	build_blob(big_endian, 200, &blob, &sec.len);	/* grows: moves */
	sec.data = blob;
	write_and_check(path, &sec, 1);
	check_libbpf(path, 201);
	CU_ASSERT_EQUAL(dir_count(dir), 1);
	free(blob);
	free(orig);
	free(path);
	tmpdir_free(dir);
}

static void test_other_classes(void)
{
#if defined(WRITER_OBJ_BE64) && defined(WRITER_OBJ_LE32) && defined(WRITER_OBJ_BE32)
	cross_one(WRITER_OBJ_BE64, true);
	cross_one(WRITER_OBJ_LE32, false);
	cross_one(WRITER_OBJ_BE32, true);
#else
	(void)cross_one;
	CU_PASS("clang not installed: other classes and byte orders not tested");
#endif
}

/* A loadable .BTF (as in vmlinux) is rewritten in place but never grows. */
static void test_loadable_section(void)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(WRITER_ALLOC, dir, "alloc.o", 0644);
	unsigned char blob[32] = { 0x9f, 0xeb, 1, 0, 24 };
	struct btfw_section sec = { .name = ".BTF", .data = blob, .len = 16 };
	struct capture c;
	struct diag d;
	struct btfw_opts o = opts_for(&c, &d);
	void *orig;
	size_t olen;

	if (host_big_endian()) {
		blob[0] = 0xeb;
		blob[1] = 0x9f;
	}
	write_and_check(path, &sec, 1);
	sec.len = 8;
	write_and_check(path, &sec, 1);
	orig = slurp(path, &olen);
	CU_ASSERT_EQUAL(btfw_write_elf(path, blob, 32, &o), -EINVAL);
	CU_ASSERT(strstr(c.last, "SHF_ALLOC") != NULL);
	CU_ASSERT(same_bytes(path, orig, olen));
	CU_ASSERT_EQUAL(dir_count(dir), 1);
	free(orig);
	free(path);
	tmpdir_free(dir);
}

/* ---- tests: extended section numbering --------------------------------- */

/*
 * An ET_REL file with nsec sections (index 0 included) built with libelf:
 * empty ".s" sections and .shstrtab at index 1 or last. At >= SHN_LORESERVE
 * sections libelf writes e_shnum 0; a last .shstrtab then needs
 * e_shstrndx SHN_XINDEX.
 */
static void make_many(const char *path, size_t nsec, bool strtab_last)
{
	static char strs[] = "\0.s\0.shstrtab";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	Elf *elf;
	GElf_Ehdr eh;
	size_t strndx = strtab_last ? nsec - 1 : 1;

	CU_ASSERT_FATAL(fd >= 0 && elf_version(EV_CURRENT) != EV_NONE);
	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(elf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(gelf_newehdr(elf, ELFCLASS64));
	CU_ASSERT_PTR_NOT_NULL_FATAL(gelf_getehdr(elf, &eh));
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_REL;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	for (size_t i = 1; i < nsec; i++) {
		Elf_Scn *scn = elf_newscn(elf);
		GElf_Shdr sh;

		CU_ASSERT_FATAL(scn && gelf_getshdr(scn, &sh));
		sh.sh_type = SHT_PROGBITS;
		sh.sh_name = 1;
		sh.sh_addralign = 1;
		if (i == strndx) {
			Elf_Data *data = elf_newdata(scn);

			CU_ASSERT_PTR_NOT_NULL_FATAL(data);
			data->d_buf = strs;
			data->d_size = sizeof(strs);
			data->d_type = ELF_T_BYTE;
			data->d_align = 1;
			sh.sh_type = SHT_STRTAB;
			sh.sh_name = 4;
		}
		CU_ASSERT_FATAL(gelf_update_shdr(scn, &sh));
	}
	if (strndx >= SHN_LORESERVE) {
		Elf_Scn *scn0 = elf_getscn(elf, 0);
		GElf_Shdr sh0;

		CU_ASSERT_FATAL(gelf_getshdr(scn0, &sh0) != NULL);
		sh0.sh_link = (GElf_Word)strndx;
		CU_ASSERT_FATAL(gelf_update_shdr(scn0, &sh0));
		eh.e_shstrndx = SHN_XINDEX;
	} else {
		eh.e_shstrndx = (GElf_Half)strndx;
	}
	CU_ASSERT_FATAL(gelf_update_ehdr(elf, &eh));
	CU_ASSERT_FATAL(elf_update(elf, ELF_C_WRITE) > 0);
	elf_end(elf);
	close(fd);
}

static void test_extended_numbering(void)
{
	char *dir = tmpdir_new();
	char *a = path_in(dir, "cross-over.o"), *b = path_in(dir, "xindex.o");
	struct btfw_section secs[2] = { { .name = ".BTF" }, { .name = ".BTF.base" } };
	void *small, *big;
	struct snap s;

	build_blob(host_big_endian(), 1, &small, &secs[0].len);
	build_blob(host_big_endian(), 300, &big, &secs[1].len);
	secs[0].data = small;
	secs[1].data = big;

	/* SHN_LORESERVE - 1 sections, two more: the count moves to section 0. */
	make_many(a, SHN_LORESERVE - 1, false);
	write_and_check(a, secs, 2);
	CU_ASSERT_EQUAL_FATAL(snap_load(a, &s), 0);
	CU_ASSERT_EQUAL(s.eh.e_shnum, 0);
	CU_ASSERT_EQUAL(s.sec[0].sh.sh_size, SHN_LORESERVE + 1);
	CU_ASSERT_EQUAL(snap_find(&s, ".BTF"), SHN_LORESERVE - 1);
	snap_free(&s);

	/* Already extended, names in a table past SHN_LORESERVE. */
	make_many(b, SHN_LORESERVE + 10, true);
	write_and_check(b, secs, 1);
	write_and_check(b, &secs[1], 1);	/* .BTF.base: shstrtab grows again */
	secs[0].data = big;
	secs[0].len = secs[1].len;
	write_and_check(b, secs, 1);		/* .BTF grows: moves */
	CU_ASSERT_EQUAL_FATAL(snap_load(b, &s), 0);
	CU_ASSERT_EQUAL(s.eh.e_shnum, 0);
	CU_ASSERT_EQUAL(s.eh.e_shstrndx, SHN_XINDEX);
	CU_ASSERT_EQUAL(s.shstrndx, SHN_LORESERVE + 9);
	CU_ASSERT_EQUAL(s.shnum, SHN_LORESERVE + 12);
	snap_free(&s);
	CU_ASSERT_EQUAL(dir_count(dir), 2);
	free(small);
	free(big);
	free(a);
	free(b);
	tmpdir_free(dir);
}

/* ---- tests: failures leave the file alone ------------------------------ */

/* Fail (inject) every step of writing .BTF into a copy of fixture. */
static void fail_each_step(const char *fixture, bool replace)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(fixture, dir, "victim", 0640);
	void *blob, *orig;
	size_t len, olen;

	build_blob(host_big_endian(), 4, &blob, &len);
	if (replace) {
		struct btfw_section sec = { .name = ".BTF", .data = blob, .len = 10 };

		write_and_check(path, &sec, 1);
	}
	orig = slurp(path, &olen);
	for (int step = BTFW_STEP_OPEN; step <= BTFW_STEP_RENAME; step++) {
		struct capture c;
		struct diag d;
		struct btfw_opts o = opts_for(&c, &d);
		int err;

		o.fail_at_step = step;
		err = btfw_write_elf(path, blob, len, &o);
		CU_ASSERT(err < 0);
		CU_ASSERT_EQUAL(c.errors, 1);
		CU_ASSERT(strncmp(c.last, path, strlen(path)) == 0);
		CU_ASSERT(same_bytes(path, orig, olen));
		CU_ASSERT_EQUAL(dir_count(dir), 1);
		if (step == BTFW_STEP_WRITE) {
			CU_ASSERT_EQUAL(err, -ENOSPC);
			CU_ASSERT(strstr(c.last, "cannot write temporary file: No space left on device") != NULL);
		}
	}
	free(orig);
	free(blob);
	free(path);
	tmpdir_free(dir);
}

static void test_fail_each_step(void)
{
	fail_each_step(WRITER_OBJ, false);
	fail_each_step(WRITER_PROG, true);
}

struct kill_at {
	enum btfw_step step;
};

static void kill_hook(void *ctx, enum btfw_step step)
{
	const struct kill_at *k = ctx;

	if (step == k->step)
		raise(SIGKILL);
}

/* A writer killed before each step: the target is intact. */
static void test_killed(void)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(WRITER_OBJ, dir, "victim.o", 0644);
	void *blob, *orig;
	size_t len, olen;

	build_blob(host_big_endian(), 4, &blob, &len);
	orig = slurp(path, &olen);
	for (int step = BTFW_STEP_OPEN; step <= BTFW_STEP_RENAME; step++) {
		struct kill_at k = { .step = step };
		struct btfw_opts o = { .step_hook = kill_hook, .step_ctx = &k };
		pid_t pid = fork();
		int st = 0;

		if (pid == 0)
			_exit(btfw_write_elf(path, blob, len, &o) ? 1 : 0);
		CU_ASSERT_FATAL(pid > 0 && waitpid(pid, &st, 0) == pid);
		CU_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		CU_ASSERT(same_bytes(path, orig, olen));
		CU_ASSERT(dir_count(dir) <= 2);	/* at most the temporary file */
		dir_clean_except(dir, "victim.o");
	}
	free(orig);
	free(blob);
	free(path);
	tmpdir_free(dir);
}

/* A real write failure: the file size limit hits while copying. */
static void test_file_size_limit(void)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(WRITER_PROG, dir, "big", 0644);
	void *blob, *orig;
	size_t len, olen;
	pid_t pid;
	int st = 0;

	build_blob(host_big_endian(), 4, &blob, &len);
	orig = slurp(path, &olen);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { olen / 2, olen / 2 };

		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl))
			_exit(99);
		_exit(-btfw_write_elf(path, blob, len, NULL));
	}
	CU_ASSERT_FATAL(pid > 0 && waitpid(pid, &st, 0) == pid);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == EFBIG);
	CU_ASSERT(same_bytes(path, orig, olen));
	CU_ASSERT_EQUAL(dir_count(dir), 1);
	free(orig);
	free(blob);
	free(path);
	tmpdir_free(dir);
}

/* No temporary file can be made: as root, run the writer as nobody. */
static void test_readonly_dir(void)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(WRITER_OBJ, dir, "ro.o", 0644);
	void *blob, *orig;
	size_t len, olen;
	int err;

	build_blob(host_big_endian(), 4, &blob, &len);
	orig = slurp(path, &olen);
	if (geteuid() == 0) {
		pid_t pid = fork();
		int st = 0;

		if (pid == 0) {
			if (setgid(65534) || setuid(65534))
				_exit(99);
			_exit(-btfw_write_elf(path, blob, len, NULL));
		}
		CU_ASSERT_FATAL(pid > 0 && waitpid(pid, &st, 0) == pid);
		err = WIFEXITED(st) ? -WEXITSTATUS(st) : 0;
	} else {
		chmod(dir, 0555);
		err = btfw_write_elf(path, blob, len, NULL);
		chmod(dir, 0755);
	}
	CU_ASSERT(err == -EACCES || err == -EPERM || err == -EROFS);
	CU_ASSERT(same_bytes(path, orig, olen));
	CU_ASSERT_EQUAL(dir_count(dir), 1);
	free(orig);
	free(blob);
	free(path);
	tmpdir_free(dir);
}

/* Not ELF, empty, truncated, missing, a directory: errors, files intact. */
static void test_bad_input(void)
{
	static const char text[] = "#!/bin/sh\necho not an ELF file\n";
	char *dir = tmpdir_new();
	char *txt = path_in(dir, "script"), *empty = path_in(dir, "empty");
	char *trunc = fixture_copy(WRITER_OBJ, dir, "trunc.o", 0644);
	char *missing = path_in(dir, "missing");
	void *blob, *orig;
	size_t len, olen;
	struct capture c;
	struct diag d;
	struct btfw_opts o = opts_for(&c, &d);

	build_blob(host_big_endian(), 1, &blob, &len);
	spill(txt, text, sizeof(text) - 1, 0755);
	spill(empty, "", 0, 0644);
	CU_ASSERT_EQUAL(btfw_write_elf(txt, blob, len, &o), -ENOEXEC);
	CU_ASSERT_EQUAL(c.errors, 1);
	CU_ASSERT(strstr(c.last, "not an ELF") != NULL);
	CU_ASSERT(same_bytes(txt, text, sizeof(text) - 1));
	CU_ASSERT(btfw_write_elf(empty, blob, len, &o) < 0);
	CU_ASSERT(same_bytes(empty, "", 0));

	orig = slurp(trunc, &olen);
	CU_ASSERT_EQUAL(truncate(trunc, (off_t)olen / 2), 0);
	free(orig);
	orig = slurp(trunc, &olen);
	o = opts_for(&c, &d);
	CU_ASSERT_EQUAL(btfw_write_elf(trunc, blob, len, &o), -EINVAL);
	CU_ASSERT_EQUAL(c.errors, 1);
	CU_ASSERT(strstr(c.last, "malformed ELF file") != NULL);
	CU_ASSERT(strncmp(c.last, trunc, strlen(trunc)) == 0);
	CU_ASSERT(same_bytes(trunc, orig, olen));

	CU_ASSERT_EQUAL(btfw_write_elf(missing, blob, len, &o), -ENOENT);
	CU_ASSERT_EQUAL(btfw_write_elf(dir, blob, len, &o), -EINVAL);
	CU_ASSERT_EQUAL(dir_count(dir), 3);
	free(orig);
	free(blob);
	free(txt);
	free(empty);
	free(trunc);
	free(missing);
	tmpdir_free(dir);
}

/* Bad requests: nothing to write, a name twice, no name. */
static void test_bad_request(void)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(WRITER_OBJ, dir, "obj.o", 0644);
	const struct btfw_section twice[2] = { { ".BTF", "x", 1 }, { ".BTF", "y", 1 } };
	const struct btfw_section noname = { "", "x", 1 };
	struct snap s;
	void *orig;
	size_t olen;

	orig = slurp(path, &olen);
	CU_ASSERT_EQUAL(btfw_write_elf_sections(path, twice, 0, NULL), -EINVAL);
	CU_ASSERT_EQUAL(btfw_write_elf_sections(path, twice, 2, NULL), -EINVAL);
	CU_ASSERT_EQUAL(btfw_write_elf_sections(path, &noname, 1, NULL), -EINVAL);
	CU_ASSERT_EQUAL(btfw_write_elf_sections(path, &noname, 1, NULL), -EINVAL);
	CU_ASSERT_EQUAL(btfw_write_elf(path, NULL, 4, NULL), -EINVAL);
	CU_ASSERT(same_bytes(path, orig, olen));
	/* The section name table itself is not ours to overwrite (clang
	 * names it .strtab and shares it with the symbol table). */
	CU_ASSERT_EQUAL_FATAL(snap_load(path, &s), 0);
	CU_ASSERT_EQUAL(btfw_write_elf_sections(path, &(struct btfw_section){
						s.sec[s.shstrndx].name, "x", 1 }, 1, NULL),
			-EINVAL);
	CU_ASSERT(same_bytes(path, orig, olen));
	snap_free(&s);
	CU_ASSERT_EQUAL(dir_count(dir), 1);
	free(orig);
	free(path);
	tmpdir_free(dir);
}

/* Through a symlink: the link stays, its destination gets the section. */
static void test_symlink(void)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(WRITER_OBJ, dir, "real.o", 0644);
	char *link = path_in(dir, "link.o");
	struct btfw_section sec = { .name = ".BTF" };
	void *blob;
	struct stat st;

	build_blob(host_big_endian(), 2, &blob, &sec.len);
	sec.data = blob;
	CU_ASSERT_EQUAL_FATAL(symlink("real.o", link), 0);
	write_and_check(link, &sec, 1);
	CU_ASSERT(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	check_libbpf(path, 3);
	CU_ASSERT_EQUAL(dir_count(dir), 2);
	free(blob);
	free(link);
	free(path);
	tmpdir_free(dir);
}

/* ---- tests: raw files -------------------------------------------------- */

static void test_raw(void)
{
	char *dir = tmpdir_new();
	char *fresh = path_in(dir, "fresh.btf"), *old = path_in(dir, "old.btf");
	void *blob;
	size_t len;
	struct stat st;
	mode_t mask = umask(022);

	umask(mask);
	build_blob(host_big_endian(), 7, &blob, &len);
	CU_ASSERT_EQUAL(btfw_write_raw(fresh, blob, len, NULL), 0);
	CU_ASSERT(same_bytes(fresh, blob, len));
	CU_ASSERT(stat(fresh, &st) == 0 && (st.st_mode & 07777) == (0644 & ~mask));
#ifdef HAVE_LIBBPF
	{
		struct btf *btf = btf__parse_raw(fresh);

		CU_ASSERT_EQUAL(libbpf_get_error(btf), 0);
		if (!libbpf_get_error(btf)) {
			CU_ASSERT_EQUAL(btf__type_cnt(btf), 9);
			btf__free(btf);
		}
	}
#endif
	spill(old, "previous", 8, 0640);
	CU_ASSERT_EQUAL(btfw_write_raw(old, blob, len, NULL), 0);
	CU_ASSERT(same_bytes(old, blob, len));
	CU_ASSERT(stat(old, &st) == 0 && (st.st_mode & 07777) == 0640);
	CU_ASSERT_EQUAL(btfw_write_raw(old, "", 0, NULL), 0);	/* empty is fine */
	CU_ASSERT(same_bytes(old, "", 0));
	CU_ASSERT_EQUAL(dir_count(dir), 2);

	/* Every step failed: an old file stays, a new one never appears. */
	spill(old, "previous", 8, 0640);
	unlink(fresh);
	for (int step = BTFW_STEP_OPEN; step <= BTFW_STEP_RENAME; step++) {
		struct capture c;
		struct diag d;
		struct btfw_opts o = opts_for(&c, &d);
		int err;

		o.fail_at_step = step;
		err = btfw_write_raw(old, blob, len, &o);
		/* No copy/ELF steps in a raw write: those never fail. */
		if (step == BTFW_STEP_COPY || step == BTFW_STEP_ELF_READ ||
		    step == BTFW_STEP_SECTION_ADD) {
			CU_ASSERT_EQUAL(err, 0);
			spill(old, "previous", 8, 0640);
			continue;
		}
		CU_ASSERT(err < 0);
		CU_ASSERT_EQUAL(c.errors, 1);
		CU_ASSERT(same_bytes(old, "previous", 8));
		CU_ASSERT(btfw_write_raw(fresh, blob, len, &o) < 0);
		CU_ASSERT(access(fresh, F_OK) != 0);
		CU_ASSERT_EQUAL(dir_count(dir), 1);
	}
	free(blob);
	free(fresh);
	free(old);
	tmpdir_free(dir);
}

static void test_step_names(void)
{
	CU_ASSERT_STRING_EQUAL(btfw_step__name(BTFW_STEP_FSYNC), "fsync");
	CU_ASSERT_STRING_EQUAL(btfw_step__name(BTFW_STEP_RENAME), "rename");
	CU_ASSERT_STRING_EQUAL(btfw_step__name(BTFW_STEP__COUNT), "?");
}

/* A read-only target is refused, even where rename() would replace it. */
static void test_readonly_file(void)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(WRITER_OBJ, dir, "ro-file.o", 0444);
	char *raw = path_in(dir, "ro.btf");
	struct capture c;
	struct diag d;
	struct btfw_opts o = opts_for(&c, &d);
	struct stat st;
	void *blob, *orig;
	size_t len, olen;

	build_blob(host_big_endian(), 4, &blob, &len);
	orig = slurp(path, &olen);
	CU_ASSERT_EQUAL(btfw_write_elf(path, blob, len, &o), -EACCES);
	CU_ASSERT_EQUAL(c.errors, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.last, "read-only"));
	CU_ASSERT(same_bytes(path, orig, olen));
	CU_ASSERT(stat(path, &st) == 0 && (st.st_mode & 07777) == 0444);
	spill(raw, "previous", 8, 0400);
	CU_ASSERT_EQUAL(btfw_write_raw(raw, blob, len, &o), -EACCES);
	CU_ASSERT(same_bytes(raw, "previous", 8));
	CU_ASSERT_EQUAL(dir_count(dir), 2);
	free(orig);
	free(blob);
	free(path);
	free(raw);
	tmpdir_free(dir);
}

/* Append bytes to the file at path. */
static void append(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_APPEND);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, buf, len) == (ssize_t)len);
	close(fd);
}

/* Appended data: a module signature is never rewritten; other appended
 * bytes are refused when the write must move sections over them. */
static void test_appended_data(void)
{
	static const char sig[] = "fake PKCS#7\0\0\0\0~Module signature appended~\n";
	char *dir = tmpdir_new();
	char *ko = fixture_copy(WRITER_OBJ, dir, "signed.ko", 0644);
	char *blobbed = fixture_copy(WRITER_OBJ, dir, "appended.o", 0644);
	struct capture c;
	struct diag d;
	struct btfw_opts o = opts_for(&c, &d);
	void *blob, *orig;
	size_t len, olen;

	build_blob(host_big_endian(), 4, &blob, &len);
	append(ko, sig, sizeof(sig) - 1);
	orig = slurp(ko, &olen);
	CU_ASSERT_EQUAL(btfw_write_elf(ko, blob, len, &o), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.last, "module signature"));
	CU_ASSERT(same_bytes(ko, orig, olen));
	free(orig);

	append(blobbed, "trailing data", 13);
	orig = slurp(blobbed, &olen);
	CU_ASSERT_EQUAL(btfw_write_elf(blobbed, blob, len, &o), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.last, "13 bytes appended"));
	CU_ASSERT(same_bytes(blobbed, orig, olen));
	CU_ASSERT_EQUAL(dir_count(dir), 2);
	free(orig);
	free(blob);
	free(ko);
	free(blobbed);
	tmpdir_free(dir);
}

/* Damage the temporary file(s) in dir as the verify step begins. */
struct damage_at {
	const char *dir;
	int how;	/* 0: cut to half, 1: flip the last byte */
};

static void damage_hook(void *ctx, enum btfw_step step)
{
	const struct damage_at *d = ctx;
	DIR *dh;
	struct dirent *e;

	if (step != BTFW_STEP_VERIFY || !(dh = opendir(d->dir)))
		return;
	while ((e = readdir(dh))) {
		char *p;
		struct stat st;
		int fd;

		if (strncmp(e->d_name, ".", 1) || !strcmp(e->d_name, ".") ||
		    !strcmp(e->d_name, "..") || asprintf(&p, "%s/%s", d->dir, e->d_name) < 0)
			continue;
		fd = open(p, O_RDWR);
		free(p);
		if (fd < 0)
			continue;
		if (!fstat(fd, &st) && st.st_size > 0) {
			if (d->how == 0) {
				CU_ASSERT(ftruncate(fd, st.st_size / 2) == 0);
			} else {
				unsigned char c;

				CU_ASSERT(pread(fd, &c, 1, st.st_size - 1) == 1);
				c ^= 0xff;
				CU_ASSERT(pwrite(fd, &c, 1, st.st_size - 1) == 1);
			}
		}
		close(fd);
	}
	closedir(dh);
}

/* A temporary file that does not read back as written never replaces the
 * target: cut short (ELF and raw), or with the blob's last byte changed
 * (raw, where the blob is the whole file). */
static void test_verify(void)
{
	char *dir = tmpdir_new();
	char *path = fixture_copy(WRITER_OBJ, dir, "victim.o", 0644);
	char *raw = path_in(dir, "victim.btf");
	struct capture c;
	struct diag d;
	struct btfw_opts o = opts_for(&c, &d);
	struct damage_at dmg = { .dir = dir };
	void *blob, *orig;
	size_t len, olen;

	build_blob(host_big_endian(), 4, &blob, &len);
	orig = slurp(path, &olen);
	o.step_hook = damage_hook;
	o.step_ctx = &dmg;
	CU_ASSERT_EQUAL(btfw_write_elf(path, blob, len, &o), -EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.last, "did not verify"));
	CU_ASSERT(same_bytes(path, orig, olen));
	spill(raw, "previous", 8, 0644);
	for (dmg.how = 0; dmg.how < 2; dmg.how++) {
		c.errors = 0;
		CU_ASSERT_EQUAL(btfw_write_raw(raw, blob, len, &o), -EIO);
		CU_ASSERT_EQUAL(c.errors, 1);
		CU_ASSERT(same_bytes(raw, "previous", 8));
	}
	CU_ASSERT_EQUAL(dir_count(dir), 2);	/* no temporary file left */
	free(orig);
	free(blob);
	free(path);
	free(raw);
	tmpdir_free(dir);
}

static const struct unit_test tests[] = {
	{ "add .BTF to an object file", test_add_object },
	{ "add .BTF to a program that still runs", test_add_program },
	{ "replace .BTF: bigger, smaller, identical", test_replace },
	{ ".BTF and .BTF.base in one write", test_two_sections },
	{ "ELFCLASS32/64, both byte orders", test_other_classes },
	{ "loadable .BTF: in place, never grown", test_loadable_section },
	{ "extended section numbering", test_extended_numbering },
	{ "failure at every step leaves the file", test_fail_each_step },
	{ "killed at every step leaves the file", test_killed },
	{ "file size limit while copying", test_file_size_limit },
	{ "read-only directory", test_readonly_dir },
	{ "read-only file", test_readonly_file },
	{ "appended module signature or data", test_appended_data },
	{ "a temporary file that does not verify", test_verify },
	{ "not ELF, empty, truncated, missing", test_bad_input },
	{ "bad requests", test_bad_request },
	{ "through a symlink", test_symlink },
	{ "raw files", test_raw },
	{ "step names", test_step_names },
	{ NULL, NULL },
};

int register_btf_writer_suite(void)
{
	return unit_add_suite("btf_writer", tests);
}
