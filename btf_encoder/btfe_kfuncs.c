// SPDX-License-Identifier: GPL-2.0-only
/*
 * kfunc sets from .BTF_ids, the way the kernel lays them out
 * (include/linux/btf_ids.h) and pahole's decl_tag_kfuncs reads them.
 *
 * BTF_SET8_START(name) emits the symbol __BTF_ID__set8__name at a header
 * { u32 cnt; u32 flags; } followed by cnt pairs { u32 id; u32 flags; }; the
 * symbol's st_size covers header and pairs. BTF_ID_FLAGS(func, f, flags)
 * inside the set emits __BTF_ID__func__f__<n> at the pair's id word. A set
 * whose header flags have BTF_SET8_KFUNCS lists kfuncs; the pair's flags are
 * the kfunc's KF_* flags (KF_FASTCALL asks for a bpf_fastcall tag).
 *
 * The section is PROGBITS, so libelf hands back the file's bytes: the words
 * are converted from the file's byte order here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_elf_priv.h"
#include "src/util/vec.h"

#define BTFE_IDS_SECTION ".BTF_ids"
#define BTFE_SET8_PFX "__BTF_ID__set8__"
#define BTFE_FUNC_PFX "__BTF_ID__func__"
#define BTFE_SET8_KFUNCS 1u

struct btfe_ids {
	const uint8_t *buf;	/* section bytes */
	size_t size;
	uint64_t addr;		/* sh_addr: symbol values are relative to it */
	uint32_t shndx;
	bool swap;		/* file byte order differs from ours */
	struct {
		uint64_t *v;	/* kfunc set ranges: [v[2i], v[2i+1]) */
		size_t len, cap;
	} ranges;
};

static bool btfe_word(const struct btfe_ids *ids, uint64_t value, uint32_t at,
		      uint32_t *ret)
{
	uint64_t off;
	uint32_t w;

	if (value < ids->addr)
		return false;
	off = value - ids->addr + at;
	if (off > ids->size || ids->size - off < 4)
		return false;
	memcpy(&w, ids->buf + off, 4);
	*ret = ids->swap ? __builtin_bswap32(w) : w;
	return true;
}

/* "__BTF_ID__func__vfs_close__1" -> "vfs_close" (into buf); false if the
 * name is not a BTF_ID func symbol. */
static bool btfe_kfunc_name(const char *sym, char *buf, size_t len)
{
	const char *p, *end;
	size_t n;

	if (strncmp(sym, BTFE_FUNC_PFX, strlen(BTFE_FUNC_PFX)))
		return false;
	p = sym + strlen(BTFE_FUNC_PFX);
	end = strrchr(p, '_');
	if (!end || end - p < 2 || end[-1] != '_')
		return false;
	n = (size_t)(end - 1 - p);
	if (!n || n >= len)
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return true;
}

static bool btfe_host_big_endian(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 0;
}

static int btfe_ids_section(struct btfe_elf *elf, Elf *e, struct btfe_ids *ids)
{
	const struct btfe_elf_section *s = btfe_elf__section_by_name(elf, BTFE_IDS_SECTION);
	Elf_Data *data;

	if (!s || s->type == SHT_NOBITS)
		return 1;
	data = elf_getdata(elf_getscn(e, s->index), NULL);
	if (!data || !data->d_buf)
		return 1;
	ids->buf = data->d_buf;
	ids->size = data->d_size;
	ids->addr = s->addr;
	ids->shndx = s->index;
	ids->swap = elf->hdr.big_endian != btfe_host_big_endian();
	return 0;
}

typedef int (*btfe_sym_fn)(struct btfe_elf *elf, struct btfe_ids *ids,
			   const GElf_Sym *sym, const char *name);

/* Call fn for each symbol defined in .BTF_ids. */
static int btfe_ids_walk(struct btfe_elf *elf, Elf *e, Elf_Data *symdata, Elf_Data *xndx,
			 size_t strtab, size_t nr_syms, struct btfe_ids *ids,
			 btfe_sym_fn fn)
{
	size_t i;
	int err = 0;

	for (i = 1; i < nr_syms && !err; i++) {
		GElf_Sym sym;
		Elf32_Word x = 0;
		const char *name;
		uint32_t shndx;

		if (!gelf_getsymshndx(symdata, xndx, (int)i, &sym, &x))
			return -EIO;
		shndx = sym.st_shndx == SHN_XINDEX ? x : sym.st_shndx;
		if (shndx != ids->shndx)
			continue;
		name = elf_strptr(e, strtab, sym.st_name);
		if (name)
			err = fn(elf, ids, &sym, name);
	}
	return err;
}

static int btfe_ids_set8(struct btfe_elf *elf, struct btfe_ids *ids, const GElf_Sym *sym,
			 const char *name)
{
	uint32_t flags;

	(void)elf;
	if (strncmp(name, BTFE_SET8_PFX, strlen(BTFE_SET8_PFX)))
		return 0;
	/* Header: cnt at +0, flags at +4. */
	if (!btfe_word(ids, sym->st_value, 4, &flags) || !(flags & BTFE_SET8_KFUNCS))
		return 0;
	if (vec_reserve(&ids->ranges, ids->ranges.len + 2))
		return -ENOMEM;
	ids->ranges.v[ids->ranges.len++] = sym->st_value;
	ids->ranges.v[ids->ranges.len++] = sym->st_value + sym->st_size;
	return 0;
}

static int btfe_ids_func(struct btfe_elf *elf, struct btfe_ids *ids, const GElf_Sym *sym,
			 const char *name)
{
	char fn[256];
	uint32_t flags;
	size_t i;

	if (!btfe_kfunc_name(name, fn, sizeof(fn)))
		return 0;
	for (i = 0; i < ids->ranges.len; i += 2) {
		if (sym->st_value < ids->ranges.v[i] || sym->st_value >= ids->ranges.v[i + 1])
			continue;
		/* The symbol sits on the pair's id; its flags follow. */
		if (!btfe_word(ids, sym->st_value, 4, &flags))
			return 0;
		return btfe_elf_push_kfunc(elf, fn, flags);
	}
	return 0;
}

int btfe_kfuncs_read(struct btfe_elf *elf, Elf *e, Elf_Data *symdata,
		     Elf_Data *xndxdata, size_t strtab, size_t nr_syms,
		     const struct diag *d, const char *path)
{
	struct btfe_ids ids = { 0 };
	int err;

	if (btfe_ids_section(elf, e, &ids))
		return 0;	/* no .BTF_ids: no kfuncs, not an error */
	err = btfe_ids_walk(elf, e, symdata, xndxdata, strtab, nr_syms, &ids, btfe_ids_set8);
	if (!err && ids.ranges.len)
		err = btfe_ids_walk(elf, e, symdata, xndxdata, strtab, nr_syms, &ids,
				    btfe_ids_func);
	vec_free(&ids.ranges);
	if (err == -EIO)
		diag_report(d, DIAG_ERROR, "%s: bad symbol while reading %s", path,
			    BTFE_IDS_SECTION);
	return err;
}
