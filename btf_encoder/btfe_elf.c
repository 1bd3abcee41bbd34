// SPDX-License-Identifier: GPL-2.0-only
/* The encoder's ELF facts: tables, lookups and reading them with libelf. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btfe_elf_priv.h"
#include "src/util/gunzip.h"
#include "src/util/vec.h"

/* Suffix words after the first '.', as gcc and clang spell them. */
static const struct {
	const char *word;
	uint16_t bit;
} btfe_sfx_words[] = {
	{ "isra", BTFE_SFX_ISRA },
	{ "constprop", BTFE_SFX_CONSTPROP },
	{ "part", BTFE_SFX_PART },
	{ "cold", BTFE_SFX_COLD },
	{ "llvm", BTFE_SFX_LLVM },
};

static uint16_t btfe_sfx_word(const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(btfe_sfx_words) / sizeof(btfe_sfx_words[0]); i++)
		if (strlen(btfe_sfx_words[i].word) == len &&
		    !strncmp(btfe_sfx_words[i].word, w, len))
			return btfe_sfx_words[i].bit;
	/* Clone numbers ("0", "123") carry no meaning of their own. */
	return strspn(w, "0123456789") == len ? 0 : BTFE_SFX_OTHER;
}

uint16_t btfe_sym_suffixes(const char *name, size_t *base_len)
{
	/* A leading '.' is part of the name (ppc64 dot symbols), not a suffix. */
	const char *dot = *name ? strchr(name + 1, '.') : NULL;
	uint16_t sfx = 0;

	if (base_len)
		*base_len = dot ? (size_t)(dot - name) : strlen(name);
	while (dot) {
		const char *w = dot + 1;
		size_t len = strcspn(w, ".");

		sfx |= btfe_sfx_word(w, len);
		dot = w[len] ? w + len : NULL;
	}
	return sfx;
}

int btfe_elf__new_empty(const struct btfe_elf_header *hdr, struct btfe_elf **ret)
{
	struct btfe_elf *elf = calloc(1, sizeof(*elf));

	if (!elf)
		return -ENOMEM;
	elf->hdr = *hdr;
	arena_init(&elf->arena);
	/* Section 0: SHT_NULL, so that indexes equal section header indexes. */
	if (vec_push(&elf->secs)) {
		btfe_elf__free(elf);
		return -ENOMEM;
	}
	elf->secs.v[0].name = "";
	*ret = elf;
	return 0;
}

void btfe_elf__free(struct btfe_elf *elf)
{
	if (!elf)
		return;
	vec_free(&elf->secs);
	vec_free(&elf->fsyms);
	vec_free(&elf->osyms);
	vec_free(&elf->funcs);
	vec_free(&elf->kfuncs);
	arena_deinit(&elf->arena);
	free(elf);
}

int btfe_elf__add_section(struct btfe_elf *elf, const char *name, uint64_t addr,
			  uint64_t size, uint32_t type, uint64_t flags,
			  uint32_t *index_ret)
{
	struct btfe_elf_section *s;
	char *n = arena_strdup(&elf->arena, name ? name : "");

	if (!n || vec_push(&elf->secs))
		return -ENOMEM;
	s = vec_last(&elf->secs);
	s->index = (uint32_t)(elf->secs.len - 1);
	s->name = n;
	s->addr = addr;
	s->size = size;
	s->type = type;
	s->flags = flags;
	if (index_ret)
		*index_ret = s->index;
	return 0;
}

int btfe_elf_push_sym(struct btfe_elf *elf, const char *name, enum btfe_sym_type type,
		      enum btfe_sym_bind bind, uint32_t shndx, uint64_t addr,
		      uint64_t size)
{
	struct btfe_elf_sym *s;
	char *n = arena_strdup(&elf->arena, name);

	if (!n)
		return -ENOMEM;
	if (type == BTFE_SYM_FUNC ? vec_push(&elf->fsyms) : vec_push(&elf->osyms))
		return -ENOMEM;
	s = type == BTFE_SYM_FUNC ? vec_last(&elf->fsyms) : vec_last(&elf->osyms);
	s->name = n;
	s->addr = addr;
	s->size = size;
	s->shndx = shndx;
	s->type = (uint8_t)type;
	s->bind = (uint8_t)bind;
	if (type == BTFE_SYM_FUNC) {
		size_t blen;

		/* Kept: sorting and grouping compare base names (vmlinux:
		 * 4 million comparisons, each found both bases again). */
		s->suffixes = btfe_sym_suffixes(n, &blen);
		s->base_len = blen > UINT32_MAX ? UINT32_MAX : (uint32_t)blen;
	}
	return 0;
}

int btfe_elf_push_kfunc(struct btfe_elf *elf, const char *name, uint32_t flags)
{
	char *n = arena_strdup(&elf->arena, name);

	if (!n || vec_push(&elf->kfuncs))
		return -ENOMEM;
	vec_last(&elf->kfuncs)->name = n;
	vec_last(&elf->kfuncs)->flags = flags;
	return 0;
}

int btfe_elf__add_sym(struct btfe_elf *elf, const char *name, enum btfe_sym_type type,
		      enum btfe_sym_bind bind, uint32_t shndx, uint64_t addr,
		      uint64_t size)
{
	int err = btfe_elf_push_sym(elf, name, type, bind, shndx, addr, size);

	return err ? err : btfe_elf_reindex(elf);
}

int btfe_elf__add_kfunc(struct btfe_elf *elf, const char *name, uint32_t flags)
{
	int err = btfe_elf_push_kfunc(elf, name, flags);

	return err ? err : btfe_elf_reindex(elf);
}

/* ---- Indexing ---------------------------------------------------------- */

static int btfe_base_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = strncmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int btfe_u64_cmp(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* Base name, then real functions before pieces, then place, then name. */
static int btfe_fsym_cmp(const void *pa, const void *pb)
{
	const struct btfe_elf_sym *a = pa, *b = pb;
	int c = btfe_base_cmp(a->name, a->base_len, b->name, b->base_len);

	if (!c)
		c = (int)!!(a->suffixes & BTFE_SFX_PIECE) - (int)!!(b->suffixes & BTFE_SFX_PIECE);
	if (!c)
		c = btfe_u64_cmp(a->shndx, b->shndx);
	if (!c)
		c = btfe_u64_cmp(a->addr, b->addr);
	return c ? c : strcmp(a->name, b->name);
}

static int btfe_osym_cmp(const void *pa, const void *pb)
{
	const struct btfe_elf_sym *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (!c)
		c = btfe_u64_cmp(a->shndx, b->shndx);
	return c ? c : btfe_u64_cmp(a->addr, b->addr);
}

static int btfe_kfunc_cmp(const void *pa, const void *pb)
{
	const struct btfe_elf_kfunc *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	return c ? c : btfe_u64_cmp(a->flags, b->flags);
}

static bool btfe_same_place(const struct btfe_elf_sym *a, const struct btfe_elf_sym *b)
{
	return a->shndx == b->shndx && a->addr == b->addr;
}

/*
 * One name at several places is ambiguous (pahole's ambiguous_addr: two
 * static functions with the same name), unless exactly one place holds a
 * strong (non-weak) definition and every other place only weak ones: then
 * the strong definition is the one callers reach.
 */
static void btfe_func_decide(struct btfe_elf_func *f)
{
	uint32_t i, places = 0, strong_places = 0, strong = 0;
	bool place_strong = false;

	for (i = 0; i < f->nr; i++) {
		bool new_place = i == 0 || !btfe_same_place(&f->syms[i - 1], &f->syms[i]);

		if (new_place) {
			places++;
			place_strong = false;
		}
		if (f->syms[i].bind != BTFE_BIND_WEAK && !place_strong) {
			place_strong = true;
			strong_places++;
			strong = i;
		}
	}
	f->ambiguous = false;
	f->canon = 0;
	if (places <= 1) {
		/* Prefer a strong name among aliases at the one place. */
		f->canon = strong_places ? strong : 0;
		return;
	}
	if (strong_places == 1)
		f->canon = strong;
	else
		f->ambiguous = true;
}

static int btfe_index_funcs(struct btfe_elf *elf)
{
	size_t i = 0;

	elf->funcs.len = 0;
	if (elf->fsyms.len)
		qsort(elf->fsyms.v, elf->fsyms.len, sizeof(*elf->fsyms.v), btfe_fsym_cmp);
	while (i < elf->fsyms.len) {
		struct btfe_elf_sym *s = &elf->fsyms.v[i];
		struct btfe_elf_func *f;
		size_t blen = s->base_len, j = i;
		char *base;

		base = arena_strndup(&elf->arena, s->name, blen);
		if (!base || vec_push(&elf->funcs))
			return -ENOMEM;
		f = vec_last(&elf->funcs);
		f->name = base;
		f->syms = s;
		for (; j < elf->fsyms.len; j++) {
			const struct btfe_elf_sym *t = &elf->fsyms.v[j];

			if (btfe_base_cmp(base, blen, t->name, t->base_len))
				break;
			if (t->suffixes & BTFE_SFX_PIECE) {
				f->nr_pieces++;
			} else {
				f->nr++;
				f->suffixes |= t->suffixes;
			}
		}
		btfe_func_decide(f);
		i = j;
	}
	return 0;
}

int btfe_elf_reindex(struct btfe_elf *elf)
{
	size_t i;
	int err = btfe_index_funcs(elf);

	if (err)
		return err;
	if (elf->osyms.len)
		qsort(elf->osyms.v, elf->osyms.len, sizeof(*elf->osyms.v), btfe_osym_cmp);
	if (elf->kfuncs.len)
		qsort(elf->kfuncs.v, elf->kfuncs.len, sizeof(*elf->kfuncs.v), btfe_kfunc_cmp);
	for (i = 0; i < elf->kfuncs.len; i++) {
		struct btfe_elf_func *f = (struct btfe_elf_func *)
			btfe_elf__func(elf, elf->kfuncs.v[i].name);

		/* A kfunc listed in several sets gets the union of flags. */
		if (f) {
			if (!f->kfunc)
				f->kfunc_flags = 0;
			f->kfunc = true;
			f->kfunc_flags |= elf->kfuncs.v[i].flags;
		}
	}
	return 0;
}

/* ---- Lookups ----------------------------------------------------------- */

const struct btfe_elf_header *btfe_elf__header(const struct btfe_elf *elf)
{
	return &elf->hdr;
}

size_t btfe_elf__nr_sections(const struct btfe_elf *elf)
{
	return elf->secs.len;
}

const struct btfe_elf_section *btfe_elf__section(const struct btfe_elf *elf, uint32_t index)
{
	return index < elf->secs.len ? &elf->secs.v[index] : NULL;
}

const struct btfe_elf_section *btfe_elf__section_by_name(const struct btfe_elf *elf,
							 const char *name)
{
	size_t i;

	for (i = 1; i < elf->secs.len; i++)
		if (!strcmp(elf->secs.v[i].name, name))
			return &elf->secs.v[i];
	return NULL;
}

static int btfe_func_key_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct btfe_elf_func *)elem)->name);
}

const struct btfe_elf_func *btfe_elf__func(const struct btfe_elf *elf, const char *base)
{
	if (!elf->funcs.len)
		return NULL;
	return bsearch(base, elf->funcs.v, elf->funcs.len, sizeof(*elf->funcs.v),
		       btfe_func_key_cmp);
}

size_t btfe_elf__nr_funcs(const struct btfe_elf *elf)
{
	return elf->funcs.len;
}

const struct btfe_elf_func *btfe_elf__func_at(const struct btfe_elf *elf, size_t i)
{
	return i < elf->funcs.len ? &elf->funcs.v[i] : NULL;
}

bool btfe_elf__has_object(const struct btfe_elf *elf, const char *name, uint32_t shndx)
{
	size_t lo = 0, hi = elf->osyms.len;

	/* Lower bound of name, then scan its (few) entries. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(elf->osyms.v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < elf->osyms.len && !strcmp(elf->osyms.v[lo].name, name); lo++)
		if (elf->osyms.v[lo].shndx == shndx)
			return true;
	return false;
}

size_t btfe_elf__nr_objects(const struct btfe_elf *elf)
{
	return elf->osyms.len;
}

static int btfe_kfunc_key_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct btfe_elf_kfunc *)elem)->name);
}

const struct btfe_elf_kfunc *btfe_elf__kfunc(const struct btfe_elf *elf, const char *name)
{
	if (!elf->kfuncs.len)
		return NULL;
	return bsearch(name, elf->kfuncs.v, elf->kfuncs.len, sizeof(*elf->kfuncs.v),
		       btfe_kfunc_key_cmp);
}

size_t btfe_elf__nr_kfuncs(const struct btfe_elf *elf)
{
	return elf->kfuncs.len;
}

/* ---- Reading a file with libelf ----------------------------------------- */

struct btfe_elf_reader {
	const char *path;
	const struct diag *d;
	Elf *e;
	size_t shstrndx;
};

/* The one place libelf errors become errno. */
static int btfe_elf_fail(const struct btfe_elf_reader *r, int err, const char *what)
{
	int e = elf_errno();

	diag_report(r->d, DIAG_ERROR, "%s: %s: %s", r->path, what,
		    e ? elf_errmsg(e) : "malformed");
	return err;
}

static int btfe_elf_read_header(struct btfe_elf_reader *r, struct btfe_elf_header *hdr)
{
	GElf_Ehdr eh;

	if (elf_kind(r->e) != ELF_K_ELF) {
		diag_report(r->d, DIAG_ERROR, "%s: not an ELF file", r->path);
		return -ENOEXEC;
	}
	if (!gelf_getehdr(r->e, &eh))
		return btfe_elf_fail(r, -EIO, "bad ELF header");
	if (elf_getshdrstrndx(r->e, &r->shstrndx) != 0)
		return btfe_elf_fail(r, -EIO, "no section name table");
	hdr->machine = eh.e_machine;
	hdr->type = eh.e_type;
	hdr->is_64 = eh.e_ident[EI_CLASS] == ELFCLASS64;
	hdr->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	return 0;
}

static int btfe_elf_read_sections(struct btfe_elf_reader *r, struct btfe_elf *elf)
{
	size_t n, i;

	if (elf_getshdrnum(r->e, &n) != 0)
		return btfe_elf_fail(r, -EIO, "cannot count sections");
	for (i = 1; i < n; i++) {
		Elf_Scn *scn = elf_getscn(r->e, i);
		const char *name;
		GElf_Shdr sh;
		int err;

		if (!scn || !gelf_getshdr(scn, &sh))
			return btfe_elf_fail(r, -EIO, "bad section header");
		name = elf_strptr(r->e, r->shstrndx, sh.sh_name);
		err = btfe_elf__add_section(elf, name ? name : "", sh.sh_addr, sh.sh_size,
					    sh.sh_type, sh.sh_flags, NULL);
		if (err)
			return err;
	}
	return 0;
}

/* .symtab, or .dynsym when the file has no .symtab (stripped). */
static Elf_Scn *btfe_elf_find_symtab(struct btfe_elf_reader *r, const struct btfe_elf *elf)
{
	uint32_t want[] = { SHT_SYMTAB, SHT_DYNSYM };
	size_t k, i;

	for (k = 0; k < 2; k++)
		for (i = 1; i < elf->secs.len; i++)
			if (elf->secs.v[i].type == want[k])
				return elf_getscn(r->e, i);
	return NULL;
}

/* The SHT_SYMTAB_SHNDX section that extends symtab's st_shndx, if any. */
static Elf_Data *btfe_elf_xndx(struct btfe_elf_reader *r, const struct btfe_elf *elf,
			       size_t symtab_index)
{
	size_t i;

	for (i = 1; i < elf->secs.len; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn = elf_getscn(r->e, i);

		if (elf->secs.v[i].type != SHT_SYMTAB_SHNDX || !scn || !gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_link == symtab_index)
			return elf_getdata(scn, NULL);
	}
	return NULL;
}

static enum btfe_sym_bind btfe_bind(unsigned int b)
{
	if (b == STB_WEAK)
		return BTFE_BIND_WEAK;
	return b == STB_LOCAL ? BTFE_BIND_LOCAL : BTFE_BIND_GLOBAL;
}

static int btfe_elf_one_sym(struct btfe_elf_reader *r, struct btfe_elf *elf,
			    const GElf_Sym *sym, Elf32_Word xndx, size_t strtab)
{
	unsigned int type = GELF_ST_TYPE(sym->st_info);
	uint32_t shndx = sym->st_shndx == SHN_XINDEX ? xndx : sym->st_shndx;
	const char *name;

	if (type != STT_FUNC && type != STT_OBJECT)
		return 0;
	/* Undefined symbols are references, not definitions. */
	if (sym->st_shndx == SHN_UNDEF)
		return 0;
	name = elf_strptr(r->e, strtab, sym->st_name);
	if (!name || !*name)
		return 0;
	return btfe_elf_push_sym(elf, name, type == STT_FUNC ? BTFE_SYM_FUNC : BTFE_SYM_OBJECT,
				 btfe_bind(GELF_ST_BIND(sym->st_info)), shndx,
				 sym->st_value, sym->st_size);
}

static int btfe_elf_read_syms(struct btfe_elf_reader *r, struct btfe_elf *elf)
{
	Elf_Scn *scn = btfe_elf_find_symtab(r, elf);
	Elf_Data *data, *xndx;
	size_t n, i;
	GElf_Shdr sh;
	int err = 0;

	if (!scn)
		return 0;	/* no symbols: nothing will match, said later */
	if (!gelf_getshdr(scn, &sh) || !sh.sh_entsize)
		return btfe_elf_fail(r, -EIO, "bad symbol table header");
	data = elf_getdata(scn, NULL);
	if (!data)
		return btfe_elf_fail(r, -EIO, "cannot read symbol table");
	xndx = btfe_elf_xndx(r, elf, elf_ndxscn(scn));
	n = sh.sh_size / sh.sh_entsize;
	for (i = 1; i < n && !err; i++) {
		GElf_Sym sym;
		Elf32_Word x = 0;

		if (!gelf_getsymshndx(data, xndx, (int)i, &sym, &x))
			return btfe_elf_fail(r, -EIO, "bad symbol");
		err = btfe_elf_one_sym(r, elf, &sym, x, sh.sh_link);
	}
	if (!err)
		err = btfe_kfuncs_read(elf, r->e, data, xndx, sh.sh_link, n, r->d, r->path);
	return err;
}

static int btfe_elf_read(struct btfe_elf_reader *r, struct btfe_elf **ret)
{
	struct btfe_elf_header hdr = { 0 };
	struct btfe_elf *elf;
	int err = btfe_elf_read_header(r, &hdr);

	if (err)
		return err;
	err = btfe_elf__new_empty(&hdr, &elf);
	if (err)
		return err;
	err = btfe_elf_read_sections(r, elf);
	if (!err)
		err = btfe_elf_read_syms(r, elf);
	if (!err)
		err = btfe_elf_reindex(elf);
	if (err) {
		btfe_elf__free(elf);
		return err;
	}
	*ret = elf;
	return 0;
}

/* A gzip-compressed input (foo.ko.gz) is read through zlib into memory; its
 * output is bounded at this many times the compressed size. */
#define BTFE_GZ_MAX_RATIO 256

static int btfe_elf_gunzip(struct btfe_elf_reader *r, int fd, void **buf)
{
	struct stat st;
	size_t len;
	int err;

	if (fstat(fd, &st))
		return btfe_elf_fail(r, -errno, "cannot stat");
	err = gunzip_fd(fd, (size_t)st.st_size * BTFE_GZ_MAX_RATIO + (1u << 20), buf, &len);
	if (err)
		return btfe_elf_fail(r, err, "cannot decompress gzip data");
	r->e = elf_memory(*buf, len);
	return r->e ? 0 : btfe_elf_fail(r, -ENOEXEC, "cannot read ELF");
}

int btfe_elf__load(const char *path, const struct diag *d, struct btfe_elf **ret)
{
	struct btfe_elf_reader r = { .path = path, .d = d };
	void *gz = NULL;
	int fd, err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return btfe_elf_fail(&r, -EIO, "libelf version mismatch");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		diag_report(d, DIAG_ERROR, "%s: cannot open: %s", path, strerror(-err));
		return err;
	}
	if (gunzip_is_gzip(fd)) {
		err = btfe_elf_gunzip(&r, fd, &gz);
	} else {
		r.e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		err = r.e ? 0 : btfe_elf_fail(&r, -ENOEXEC, "cannot read ELF");
	}
	if (!err)
		err = btfe_elf_read(&r, ret);
	if (r.e)
		elf_end(r.e);
	free(gz);
	close(fd);
	return err;
}
