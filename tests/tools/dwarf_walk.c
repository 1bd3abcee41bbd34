// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwarf_walk FILE: visit every DIE of FILE's DWARF with libdw and nothing
 * else: dwarf_next_unit over the units, dwarf_child and dwarf_siblingof over
 * each unit's tree (with an explicit stack, no recursion), reading no
 * attribute. Prints the number of units and DIEs.
 *
 * FILE is opened as btfenc and pahole open it, through an offline libdwfl
 * session, so that a relocatable object (a kernel module) has its
 * .rela.debug_* applied: each unit's abbreviation offset is a relocation
 * there.
 *
 * This is the floor for any DWARF consumer built on libdw: scripts/bench-kernel
 * times it next to btfenc and pahole. Test-only; not installed.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <stdlib.h>

#define WALK_MAX_DEPTH 1024

/* Count the DIEs below (not including) cu_die; -1 on a libdw error. */
static long walk_unit(Dwarf_Die *cu_die)
{
	static Dwarf_Die stack[WALK_MAX_DEPTH];
	long nr = 0;
	int depth = 0, r;

	r = dwarf_child(cu_die, &stack[0]);
	if (r)
		return r < 0 ? -1 : 0;
	for (;;) {
		nr++;
		if (depth + 1 < WALK_MAX_DEPTH) {
			r = dwarf_child(&stack[depth], &stack[depth + 1]);
			if (r < 0)
				return -1;
			if (r == 0) {
				depth++;
				continue;
			}
		}
		/* No child: the next sibling here, or of an ancestor. */
		for (;;) {
			r = dwarf_siblingof(&stack[depth], &stack[depth]);
			if (r < 0)
				return -1;
			if (r == 0)
				break;
			if (depth == 0)
				return nr;
			depth--;
		}
	}
}

int main(int argc, char **argv)
{
	static const Dwfl_Callbacks cbs = {
		.find_elf = dwfl_build_id_find_elf,
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
	};
	Dwarf_Off off = 0, next;
	size_t hsize;
	long units = 0, dies = 0;
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	Dwarf *dw;
	Dwfl *dwfl;

	if (argc != 2) {
		fprintf(stderr, "usage: dwarf_walk FILE\n");
		return 2;
	}
	dwfl = dwfl_begin(&cbs);
	mod = dwfl ? dwfl_report_offline(dwfl, argv[1], argv[1], -1) : NULL;
	dw = mod && dwfl_report_end(dwfl, NULL, NULL) == 0 ? dwfl_module_getdwarf(mod, &bias)
							   : NULL;
	if (!dw) {
		fprintf(stderr, "dwarf_walk: %s: %s\n", argv[1], dwfl_errmsg(-1));
		return 1;
	}
	while (dwarf_next_unit(dw, off, &next, &hsize, NULL, NULL, NULL, NULL, NULL,
			       NULL) == 0) {
		Dwarf_Die cu_die;
		long n;

		if (!dwarf_offdie(dw, off + hsize, &cu_die)) {
			fprintf(stderr, "dwarf_walk: unit at %#llx: %s\n",
				(unsigned long long)off, dwarf_errmsg(-1));
			return 1;
		}
		n = walk_unit(&cu_die);
		if (n < 0) {
			fprintf(stderr, "dwarf_walk: unit at %#llx: %s\n",
				(unsigned long long)off, dwarf_errmsg(-1));
			return 1;
		}
		units++;
		dies += 1 + n;
		off = next;
	}
	printf("%ld units, %ld DIEs\n", units, dies);
	dwfl_end(dwfl);
	return 0;
}
