// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_mapdrop: give back, every so many units, the pages of the input file
 * that libelf mapped and the units already decoded made resident.
 *
 * libdwfl has libelf map the whole file (a kernel's vmlinux: 590 MB, 163 MB
 * of it .debug_info), and every page a unit's DIEs touch stays in the
 * process's resident set until the end, although each unit is read once: at
 * the end of a vmlinux run that is 180 MB, half of the peak. The mapping is
 * private and writable (libdwfl may relocate ET_REL sections in place), so
 * MADV_DONTNEED could throw a written page away; MADV_PAGEOUT cannot: it
 * reclaims the clean file pages (read again from the file when touched
 * again) and leaves written ones alone (they could only go to swap). So
 * pages are given back through MADV_PAGEOUT (Linux 5.4; older kernels say
 * EINVAL and nothing happens), only for a mapping /proc/self/maps shows as
 * a private mapping of the input file itself (same device and inode), and
 * only when the DWARF is in that file. It never fails the load: it only
 * saves memory.
 *
 * But MADV_PAGEOUT leaves alone a page mapped more than once, and with -jN
 * every worker's session maps the file again: the pages two sessions
 * touched (the strings, abbreviations, line and location lists, the unit
 * headers the first session checked) then stay, twice, and a vmlinux run at
 * -j2 had 250 MB of its file resident. So when the mapping holds no written
 * page at all (/proc/self/smaps says Anonymous: 0 kB for it, which is
 * always so unless libdwfl relocated an ET_REL file in place), the drop is
 * MADV_DONTNEED instead: it only takes the pages out of this mapping, they
 * stay in the page cache, and a later touch maps them again from there.
 * Nothing of this session writes to the mapping between the check and the
 * drop (one thread per session; other sessions have their own mappings).
 * The check is made once, at the first drop: libdwfl relocates when it
 * opens the DWARF, before any unit, and nothing writes there afterwards.
 * (Reading smaps walks the page tables of every mapping listed before the
 * file's: done every 32 units, it was 2% of a vmlinux run.)
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dwl_internal.h"

/* Units decoded between drops: few enough that a unit's pages don't pile
 * up, many enough that .debug_str and .debug_abbrev pages, which every unit
 * touches again, are not faulted in again too often. With MADV_DONTNEED a
 * fault finds the page in the page cache: 32 instead of 128 took the peak
 * of a vmlinux run from 188 to 177 MB for no measurable time. */
#define DWL_DROP_EVERY 32

/* The [start, end) of the private mapping of (dev, ino) holding p. */
static int dwl_find_mapping(const void *p, dev_t dev, ino_t ino, uintptr_t *start_ret,
			    uintptr_t *end_ret)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[4096];
	int found = -1;

	if (!maps)
		return -1;
	while (fgets(line, sizeof(line), maps)) {
		unsigned long long start, end, off, inode;
		unsigned int major, minor;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu", &start, &end, perms, &off,
			   &major, &minor, &inode) != 7)
			continue;
		if ((uintptr_t)p < start || (uintptr_t)p >= end)
			continue;
		if (perms[0] == 'r' && perms[3] == 'p' &&
		    inode == (unsigned long long)ino && makedev(major, minor) == dev) {
			*start_ret = (uintptr_t)start;
			*end_ret = (uintptr_t)end;
			found = 0;
		}
		break;
	}
	fclose(maps);
	return found;
}

void dwl_mapdrop_arm(struct dwl_file *f)
{
	uintptr_t start, end, lo, hi, page = (uintptr_t)sysconf(_SC_PAGESIZE);
	struct stat st;
	size_t size = 0;
	char *image;

	f->drop_start = f->drop_len = 0;
	f->drop_clean = -1;
	if (!f->dbg || dwarf_getelf(f->dbg) != f->elf || stat(f->path, &st) != 0)
		return;
	image = elf_rawfile(f->elf, &size);
	if (!image || !size || !page ||
	    dwl_find_mapping(image, st.st_dev, st.st_ino, &start, &end) != 0)
		return;
	lo = ((uintptr_t)image + page - 1) & ~(page - 1);
	hi = ((uintptr_t)image + size) & ~(page - 1);
	if (hi > end)
		hi = end & ~(page - 1);
	if (lo < start || hi <= lo)
		return;
	f->drop_start = lo;
	f->drop_len = hi - lo;
}

/* Does the mapping holding [start, start + len) have no written (anonymous)
 * page? False when it cannot tell. */
static bool dwl_mapping_clean(uintptr_t start)
{
	FILE *smaps = fopen("/proc/self/smaps", "re");
	char line[4096];
	bool in = false, clean = false;

	if (!smaps)
		return false;
	while (fgets(line, sizeof(line), smaps)) {
		unsigned long long lo, hi, kb;

		/* A mapping's first line is "lo-hi perms ...", the others
		 * "Name:   value". */
		if (sscanf(line, "%llx-%llx ", &lo, &hi) == 2) {
			if (in)
				break;	/* the next mapping: no Anonymous line */
			in = start >= lo && start < hi;
			continue;
		}
		if (in && sscanf(line, "Anonymous: %llu kB", &kb) == 1) {
			clean = kb == 0;
			break;
		}
	}
	fclose(smaps);
	return clean;
}

void dwl_mapdrop_unit_done(struct dwl_file *f)
{
	if (!f->drop_len || ++f->units_since_drop < DWL_DROP_EVERY)
		return;
	f->units_since_drop = 0;
	if (f->drop_clean < 0)
		f->drop_clean = dwl_mapping_clean(f->drop_start);
	if (f->drop_clean) {
		(void)madvise((void *)f->drop_start, f->drop_len, MADV_DONTNEED);
		return;
	}
#ifdef MADV_PAGEOUT
	(void)madvise((void *)f->drop_start, f->drop_len, MADV_PAGEOUT);
#endif
}
