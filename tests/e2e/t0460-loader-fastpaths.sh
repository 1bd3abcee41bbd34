#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t0460-loader-fastpaths: the DWARF loader's own fast paths (abbreviation
# cache, per-abbreviation attribute layouts, stepping over childless DIEs:
# dwarf_loader/dwl_abbrev.c, dwl_attrs.c) decide nothing differently from
# libdw. tests/tools/dwarf_load_bench loads a file with them and with
# libdw calls only (-s), and prints a checksum of the whole model, the
# loader's statistics and its messages; both runs must print the same, and
# so must a third with names borrowed from the sections and packed structs
# inferred only when asked (-b -l, as encoding loads them):
#
#   - on every fixture (serial, and -j2 with the fast paths);
#   - on corrupt copies of some fixtures: one byte of .debug_info or
#     .debug_abbrev overwritten, at positions and with values chosen by a
#     fixed rule (so the test is the same on every run), where libdw and a
#     hand-made reader are most likely to part ways (0x00, 0x80, 0xff...).
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

BENCH=${BTFENC_LOAD_BENCH:?BTFENC_LOAD_BENCH must point at dwarf_load_bench}
setup_tmpdir

# both FILE [ARGS...]: run the bench with and without -s, and with -b;
# fail if the output (stdout, stderr, exit status) differs or one crashed.
both() {
	local f=$1 a b c ra=0 rb=0 rc=0

	shift
	a=$(timeout 60 "$BENCH" -c "$@" "$f" 2>&1) || ra=$?
	b=$(timeout 60 "$BENCH" -c -s "$f" 2>&1) || rb=$?
	c=$(timeout 60 "$BENCH" -c -b -l "$@" "$f" 2>&1) || rc=$?
	if [ "$ra" -ge 124 ] || [ "$rb" -ge 124 ] || [ "$rc" -ge 124 ]; then
		fail "$f: crashed or hung (exit $ra with fast paths, $rb without, $rc borrowing names)"
	elif [ "$ra" -ne "$rb" ] || [ "$a" != "$b" ]; then
		fail "$f $*: fast paths give (exit $ra) '$a', libdw alone (exit $rb) '$b'"
	elif [ "$ra" -ne "$rc" ] || [ "$a" != "$c" ]; then
		fail "$f $*: copied names give (exit $ra) '$a', borrowed with lazy packed inference (exit $rc) '$c'"
	fi
}

n=0
while read -r f; do
	both "$BTFENC_FIXTURE_DIR/$f"
	n=$((n + 1))
done <"$BTFENC_FIXTURE_LIST"
[ "$n" -gt 0 ] || die "no fixtures"
both "$BTFENC_FIXTURE_DIR/graph-gcc-d5-O2" -j2
say "$n fixtures agree"

# Corrupt copies: 48 per file, each one byte.
values=(0 128 255 1 127 11 19 62 73 15 33 144)
m=0
for f in graph-gcc-d5-O2 graph-gcc-d4-O0 graph-gcc-d4-O0-types \
	layout-main-gcc-d5-O2.o symbols-clang-d5-O2 btftags-clang-d4-O0; do
	src=$BTFENC_FIXTURE_DIR/$f
	[ -f "$src" ] || continue
	for k in $(seq 0 47); do
		if [ $((k % 2)) -eq 0 ]; then sec=.debug_info; else sec=.debug_abbrev; fi
		off=$(section_offset "$src" "$sec")
		size=$(section_size "$src" "$sec")
		if [ -z "$off" ] || [ -z "$size" ] || [ "$size" -eq 0 ]; then
			continue
		fi
		pos=$((off + (k * 2654435761 + 40503) % size))
		byte=$(printf '%03o' "${values[$((k % ${#values[@]}))]}")
		cp "$src" "$T/m"
		printf '%b' "\\0$byte" | dd of="$T/m" bs=1 seek="$pos" conv=notrunc status=none
		both "$T/m"
		m=$((m + 1))
	done
done
[ "$m" -gt 0 ] || die "no corrupt copies made"
say "$m corrupt copies agree"
finish
