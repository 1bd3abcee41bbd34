#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t0450-other-languages: C++ and Rust units never crash btfenc. Layouts
# print, encoding gives BTF the kernel's verifier accepts (names the kernel
# would reject are made valid, C++ references and pointers to members get
# their fallbacks), verify and scripts/btfdiff find the BTF equal to the
# DWARF (they spell names and fallbacks as the encoder does: "box<int>" is
# "box_int_"), and --lang_exclude skips the units.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

setup_tmpdir
src=$BTFENC_SRCDIR/tests/fixtures/lang
KCHECK=${BTFENC_KCHECK:-}
built=0

# check OBJ LANG: layout, encode, verifier, exclusion.
check() {
	local obj=$1 lang=$2 rc=0

	expect_ok "$obj"
	run_btfenc --btf_encode_detached="$T/$lang.btf" "$obj"
	[ "$RC" -eq 0 ] || { fail "encoding $lang: $(cat "$T/err")"; return 0; }
	if [ -n "$KCHECK" ]; then
		"$KCHECK" "$T/$lang.btf" 2>"$T/kerr" || rc=$?
		[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] ||
			fail "the kernel rejects the BTF of the $lang unit: $(tail -n 3 "$T/kerr")"
	fi
	run_btfenc verify --btf="$T/$lang.btf" "$obj"
	[ "$RC" -eq 0 ] || fail "verify of the $lang unit: exit $RC: $(head -n 3 "$T/out")"
	RC=0
	BTFENC=$BTFENC "$BTFENC_SRCDIR/scripts/btfdiff" "$obj" >"$T/diff" 2>"$T/err" || RC=$?
	if [ "$RC" -ne 0 ] || [ -s "$T/diff" ]; then
		fail "btfdiff of the $lang unit: exit $RC: $(head -n 8 "$T/diff") $(head -n 2 "$T/err")"
	fi
	run_btfenc --lang_exclude="$lang" "$obj"
	if [ "$RC" -ne 0 ] || [ -s "$T/out" ]; then
		fail "--lang_exclude=$lang: exit $RC, output: $(head -n 3 "$T/out")"
	fi
}

for cxx in g++ clang++; do
	command -v "$cxx" >/dev/null 2>&1 || continue
	for dw in 4 5; do
		"$cxx" -g -gdwarf-$dw -O1 -c "$src/classes.cc" -o "$T/cxx.o" ||
			{ fail "$cxx cannot build the C++ fixture"; continue; }
		check "$T/cxx.o" c++
		built=$((built + 1))
	done
done
if command -v rustc >/dev/null 2>&1; then
	if rustc -g --crate-type=lib --emit=obj -o "$T/rs.o" "$src/shapes.rs" 2>"$T/rerr"; then
		check "$T/rs.o" rust
		built=$((built + 1))
	fi
fi
[ "$built" -gt 0 ] || skip "no C++ or Rust compiler"
finish
