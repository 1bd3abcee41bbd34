// SPDX-License-Identifier: GPL-2.0-only
/* dwl_load_file(): iterate the units of a file, build one ir_cu per
 * compilation unit and hand it to the callback; statistics. */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/util/vec.h"

struct dwl_unit *dwl_unit_new(struct dwl_file *f)
{
	struct dwl_unit *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->f = f;
	hmap_init(&u->offmap);
	hmap_init(&u->inlined);
	hmap_init(&u->imported);
	hmap_init(&u->sigwarn);
	return u;
}

void dwl_unit_free(struct dwl_unit *u)
{
	if (!u)
		return;
	ir_cu__free(u->cu);
	hmap_deinit(&u->offmap);
	hmap_deinit(&u->inlined);
	hmap_deinit(&u->imported);
	hmap_deinit(&u->sigwarn);
	vec_free(&u->state);
	vec_free(&u->work);
	vec_free(&u->stack);
	vec_free(&u->func_origin);
	vec_free(&u->members);
	vec_free(&u->enums);
	vec_free(&u->params);
	vec_free(&u->dims);
	vec_free(&u->offs);
	vec_free(&u->layouts);
	vec_free(&u->specs);
	free(u);
}

/* Forget the previous unit but keep every buffer for the next one. */
static int dwl_unit_reset(struct dwl_unit *u, Dwarf_Die *cudie, Dwarf_Off off,
			  Dwarf_Off end, uint16_t version, uint8_t offset_size)
{
	dwl_abbrev_reset(u, cudie, end, version, offset_size);
	hmap_clear(&u->offmap);
	hmap_clear(&u->inlined);
	hmap_clear(&u->imported);
	hmap_clear(&u->sigwarn);
	u->state.len = u->work.len = u->stack.len = u->func_origin.len = 0;
	u->dcu = cudie->cu;
	u->unit_off = off;
	u->cu = ir_cu__new();
	if (!u->cu)
		return -ENOMEM;
	u->cu->names_borrowed = u->f->opts->borrow_names;
	dwl_strs_next_unit(u->f->strs);
	return dwl_reserve_state(u);
}

/* Unit-level facts into the CU. */
static int dwl_cu_facts(struct dwl_unit *u, Dwarf_Die *cudie, Dwarf_Half version,
			uint8_t addr_size, int lang_code)
{
	struct ir_cu *cu = u->cu;
	int err;

	u->addr_size = addr_size;
	u->lang_code = lang_code < 0 ? 0 : (uint16_t)lang_code;
	cu->lang = dwl_lang_of(lang_code);
	cu->lang_code = u->lang_code;
	cu->addr_size = addr_size;
	cu->big_endian = u->f->big_endian;
	cu->machine = u->f->machine;
	cu->version = version;
	cu->orig_off = u->unit_off;
	err = dwl_name(u, cudie, false, &cu->name);
	if (!err && !cu->name)	/* the caller's string lasts the call */
		cu->name = cu->names_borrowed ? u->f->path : ir_cu__intern(cu, u->f->path);
	if (!err && !cu->name)
		err = -ENOMEM;
	if (!err)
		err = dwl_string(u, cudie, DW_AT_producer, false, &cu->producer);
	return err;
}

/* Build the CU of one compile unit into u->cu. */
static int dwl_build(struct dwl_unit *u, Dwarf_Die *root)
{
	const char *why;
	ir_id bad;
	int err;

	err = dwl_walk_unit(u, root, DWL_CTX_TOP);
	if (!err)
		err = dwl_drain(u);
	if (!err)
		err = dwl_mark_inlined(u);
	if (err)
		return err;
	/* Before anything walks the types: no type may contain itself. */
	err = ir_cu__check_types(u->cu, &bad, &why);
	if (err == -ENOMEM)
		return dwl_fail(u->f, err, "out of memory");
	if (err)
		return dwl_fail_die(u, (Dwarf_Off)u->cu->types.v[bad].orig_off, -EINVAL,
				    "%s", why);
	if (u->f->opts->lazy_packed)
		u->cu->packed_pending = true;
	else
		ir_cu__infer_packed(u->cu);
	u->f->stats->nr_types += u->cu->types.len - 1;
	return 0;
}

/* Type units and partial units are only read through references. */
static bool dwl_unit_is_emitted(Dwarf_Die *cudie, uint8_t unit_type)
{
	int tag = dwarf_tag(cudie);

	if (unit_type == DW_UT_type || unit_type == DW_UT_split_type ||
	    unit_type == DW_UT_partial)
		return false;
	return tag != DW_TAG_type_unit && tag != DW_TAG_partial_unit;
}

/*
 * Decode the unit whose header is at 'off' in .debug_info. On success
 * *cu_ret is the CU (NULL for a type, partial or excluded unit) and
 * *indexed_ret says whether the unit takes a struct ir_cu.index position
 * (compile units do, excluded ones included); the caller sets cu->index,
 * so that units can be decoded in any order (dwl_parallel.c).
 */
int dwl_unit_decode(struct dwl_unit *u, Dwarf_Off off, struct ir_cu **cu_ret,
		    bool *indexed_ret)
{
	struct dwl_file *f = u->f;
	Dwarf_Die cudie, root, sub;
	Dwarf_Off next;
	Dwarf_Half version = 0;
	uint8_t unit_type = 0, asz = 0, osz = 0;
	size_t hsize;
	int lang, err;

	*cu_ret = NULL;
	*indexed_ret = false;
	if (dwarf_next_unit(f->dbg, off, &next, &hsize, NULL, NULL, NULL, &osz,
			    NULL, NULL) != 0 ||
	    !dwarf_offdie(f->dbg, off + hsize, &cudie))
		return dwl_fail(f, -EIO, "CU 0x%llx: bad unit header: %s",
				(unsigned long long)off, dwarf_errmsg(-1));
	root = cudie;
	if (dwarf_cu_info(cudie.cu, &version, &unit_type, NULL, &sub, NULL,
			  &asz, NULL) != 0)
		return dwl_fail(f, -EIO, "CU 0x%llx: bad unit", (unsigned long long)off);
	if (!dwl_unit_is_emitted(&cudie, unit_type))
		return 0;
	if (unit_type == DW_UT_skeleton && sub.cu)
		root = sub;	/* the split unit holds the DIEs */
	f->stats->nr_units++;
	*indexed_ret = true;
	lang = dwarf_srclang(&root);
	if (f->opts->lang_exclude & (1u << dwl_lang_of(lang))) {
		f->stats->nr_units_excluded++;
		return 0;
	}
	/* The abbreviation cache serves the DIEs of .debug_info only. */
	err = dwl_unit_reset(u, &root, off,
			     root.cu == cudie.cu && !f->opts->libdw_only ? next : 0,
			     version, osz);
	if (!err)
		err = dwl_cu_facts(u, &root, version, asz, lang);
	if (!err)
		err = dwl_build(u, &root);
	if (!err) {
		*cu_ret = u->cu;
		u->cu = NULL;
	}
	ir_cu__free(u->cu);
	u->cu = NULL;
	dwl_mapdrop_unit_done(f);
	return err;
}

/* The offsets of every unit of .debug_info, in file order. */
static int dwl_unit_offsets(struct dwl_file *f, struct dwl_offs *offs)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	int r;

	while ((r = dwarf_next_unit(f->dbg, off, &next, &hsize, NULL, NULL, NULL,
				    NULL, NULL, NULL)) == 0) {
		if (vec_push(offs))
			return -ENOMEM;
		*vec_last(offs) = off;
		off = next;
	}
	if (r < 0)	/* cannot happen after dwl_scan_units() */
		return dwl_fail(f, -EIO, "CU 0x%llx: bad unit header: %s",
				(unsigned long long)off, dwarf_errmsg(-1));
	return 0;
}

/* One thread: decode the units in order, each handed over at once. */
static int dwl_units_serial(struct dwl_file *f, const struct dwl_offs *offs,
			    dwl_cu_fn fn, void *arg, bool *cb_failed)
{
	struct dwl_unit *u = dwl_unit_new(f);
	uint32_t index = 0;
	size_t i;
	int err = 0;

	if (!u)
		return -ENOMEM;
	for (i = 0; !err && i < offs->len; i++) {
		struct ir_cu *cu;
		bool indexed;

		err = dwl_unit_decode(u, offs->v[i], &cu, &indexed);
		if (!err && indexed)
			index++;
		if (!err && cu) {
			cu->index = index - 1;
			err = fn(cu, arg);
			*cb_failed = err != 0;
		}
		if (!err && f->opts->progress)
			f->opts->progress(f->opts->progress_ctx, i + 1, offs->len);
	}
	dwl_unit_free(u);
	return err;
}

/*
 * Every unit header is checked before the first unit is built, so that a
 * corrupt length later in .debug_info fails the file before any CU reached
 * the callback (dwl_sections.c says why libdw alone does not catch it).
 * Then the units are decoded by one thread, or by opts->jobs threads
 * (dwl_parallel.c), with the same result.
 */
static int dwl_units(struct dwl_file *f, dwl_cu_fn fn, void *arg, bool *cb_failed)
{
	struct dwl_offs offs = { 0 };
	int err;

	err = dwl_scan_units(f, f->dbg, false, NULL, 0, NULL, NULL);
	if (!err)
		err = dwl_unit_offsets(f, &offs);
	if (!err && f->opts->jobs > 1 && offs.len > 1)
		err = dwl_units_parallel(f, offs.v, offs.len, fn, arg, cb_failed);
	else if (!err)
		err = dwl_units_serial(f, &offs, fn, arg, cb_failed);
	vec_free(&offs);
	return err;
}

/* The most frequent skipped tags, largest first (ties: lower tag first). */
static void dwl_stats_finish(struct dwl_file *f)
{
	struct dwl_stats *st = f->stats;
	size_t i;

	st->nr_skipped_tags = 0;
	for (i = 0; i < f->skipped.cap; i++) {
		uint32_t tag, n, j;
		uint64_t count;

		if (!f->skipped.used[i])
			continue;
		tag = (uint32_t)f->skipped.slots[i].key;
		count = f->skipped.slots[i].val;
		n = st->nr_skipped_tags;
		for (j = n; j > 0; j--) {
			if (st->skipped[j - 1].count > count ||
			    (st->skipped[j - 1].count == count && st->skipped[j - 1].tag < tag))
				break;
		}
		if (j >= 16)
			continue;
		memmove(&st->skipped[j + 1], &st->skipped[j],
			(n - j - (n == 16)) * sizeof(st->skipped[0]));
		st->skipped[j].tag = tag;
		st->skipped[j].count = count;
		if (n < 16)
			st->nr_skipped_tags++;
	}
}

int dwl_load_file(const char *path, const struct dwl_opts *opts,
		  dwl_cu_fn fn, void *arg, struct dwl_stats *stats)
{
	static const struct dwl_opts no_opts;
	struct dwl_stats local;
	struct dwl_file f = { 0 };
	bool cb_failed = false;
	int err;

	f.opts = opts ? opts : &no_opts;
	f.stats = stats ? stats : &local;
	memset(f.stats, 0, sizeof(*f.stats));
	err = dwl_file_open(&f, path);
	if (!err)
		err = dwl_units(&f, fn, arg, &cb_failed);
	/* Deep failures (ENOMEM) were not reported yet; the callback's are
	 * the caller's own business. */
	if (err && !cb_failed && !f.reported)
		dwl_fail(&f, err, "%s", strerror(-err));
	dwl_stats_finish(&f);
	dwl_file_close(&f);
	return err;
}
