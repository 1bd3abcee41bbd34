#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t0650-reproducible: the output does not depend on the number of threads.
#
# Units are decoded by -jN threads but handed to the encoder strictly in
# file order (dwarf_loader/dwl_parallel.c), so for every fixture that has
# more than one unit (linked executables, gcc and clang, with and without
# type units; objects with COMDAT type units) the BTF written with -j1, -j2
# and -j8 must be byte-identical, and so must the layout print and the -V
# statistics of -j4 and -j1. The biggest input, btfenc itself when it was
# built with debug info, is encoded twice with each count, and with -j
# alone (one thread per CPU).
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

setup_tmpdir
checked=0

# encode_with FILE TAG ARGS...: encode FILE into $T/TAG.btf; false on error.
encode_with() {
	local f=$1 tag=$2

	shift 2
	run_btfenc "$@" --btf_encode_detached="$T/$tag.btf" "$f"
	if [ "$RC" -ne 0 ]; then
		[ "$RC" -eq 255 ] || fail "btfenc $* $(basename "$f") exited $RC: $(cat "$T/err")"
		return 1
	fi
}

# same_btf FILE ROUNDS JOBS...: the BTF of every count (ROUNDS times each)
# equals the BTF of -j1.
same_btf() {
	local f=$1 rounds=$2 j r

	shift 2
	encode_with "$f" ref -j1 || return 0
	for j in "$@"; do
		for r in $(seq "$rounds"); do
			encode_with "$f" "j$j" "$j" || continue
			cmp -s "$T/ref.btf" "$T/j$j.btf" ||
				fail "$(basename "$f"): BTF with $j (run $r) differs from -j1"
		done
	done
	checked=$((checked + 1))
}

# same_layout FILE: the layout print and the -V statistics of -j4 are
# those of -j1.
same_layout() {
	local f=$1

	run_btfenc -V -j1 "$f"
	[ "$RC" -eq 0 ] || { fail "layout of $(basename "$f") exited $RC: $(cat "$T/err")"; return 0; }
	mv "$T/out" "$T/l1.out"
	mv "$T/err" "$T/l1.err"
	run_btfenc -V -j4 "$f"
	[ "$RC" -eq 0 ] || { fail "layout -j4 of $(basename "$f") exited $RC: $(cat "$T/err")"; return 0; }
	compare "$T/l1.out" "$T/out" "layout of $(basename "$f") with -j4"
	compare "$T/l1.err" "$T/err" "-V statistics of $(basename "$f") with -j4"
}

# Every linked executable (several units each), the objects with COMDAT
# type units, and the clang objects.
while read -r name; do
	f=$(fixture "$name")
	same_btf "$f" 1 -j2 -j8
	case $name in
	*-d5-O2 | *-types | *-types.o) same_layout "$f" ;;
	esac
done < <(fixture_files '-(gcc|clang)-d[2-5]-O[02](-types)?$|-types\.o$|-clang-d5-O2\.o$')

# The biggest input: btfenc itself, when it has DWARF (not in release).
if [ -n "$(section_size "$BTFENC" .debug_info)" ]; then
	cp "$BTFENC" "$T/big"
	same_btf "$T/big" 2 -j1 -j2 -j8 -j
	same_layout "$T/big"
else
	say "btfenc has no debug info (release build): big input skipped"
fi

[ "$checked" -gt 0 ] || die "no fixture checked"
say "inputs checked: $checked"
finish
