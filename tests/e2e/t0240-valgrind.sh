#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Memory checks outside the sanitizer build: btfenc under valgrind's
# memcheck (every leak kind that is ours, invalid reads and writes,
# uninitialised values) on each of its jobs: layouts, encoding in place and
# detached, with -j2, split BTF, every dump format, dedup, and the error
# paths of bad, hostile and unwritable files. Any valgrind error fails the
# test. (The ASan+UBSan build runs the whole e2e suite with LeakSanitizer
# on; this covers the release build's code and libdw/libelf usage.) Skipped
# where valgrind is missing or btfenc is built with a sanitizer.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
require_tool valgrind
if grep -q -a -E '__asan_init|__tsan_init|__msan_init' "$BTFENC"; then
	skip "btfenc is built with a sanitizer"
fi
setup_tmpdir
# valgrind 3.19 (Debian 12) cannot read the DWARF 5 that clang 14 writes
# with -g: it gives up before btfenc runs. Nothing to check then.
if ! valgrind -q --error-exitcode=99 "$BTFENC" --version >/dev/null 2>"$T/vg.log"; then
	skip "valgrind cannot run this btfenc: $(grep -m 1 -v '^###' "$T/vg.log")"
fi

# vg CODE ARGS...: btfenc ARGS under memcheck must exit CODE with a clean
# valgrind report.
vg() {
	local code=$1 rc=0

	shift
	valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --track-origins=no \
		--log-file="$T/vg.log" "$BTFENC" "$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" -eq 99 ] || [ -s "$T/vg.log" ]; then
		fail "valgrind: btfenc $* has memory errors:"
		head -n 40 "$T/vg.log" >&2
	elif [ "$rc" -ne "$code" ]; then
		fail "valgrind: btfenc $* exited $rc, expected $code: $(head -n 2 "$T/err")"
	fi
}

exe=$(fixture graph-gcc-d5-O2)
obj=$(fixture layout-main-gcc-d5-O0.o)
gz=$(fixture_files '\.o\.gz$' | head -n 1)

vg 0 "$exe"
vg 0 -C list_head,tree_node "$exe"
vg 0 "$obj"
[ -n "$gz" ] && vg 0 "$(fixture "$gz")"
cp "$exe" "$T/exe"
vg 0 -J -j2 "$T/exe"
vg 0 --btf_encode_detached="$T/exe.btf" "$exe"
for format in layout c raw json; do
	vg 0 dump --format="$format" "$T/exe.btf"
done
vg 0 dump --format=c -F dwarf "$obj"
vg 0 dedup -o "$T/dd.btf" "$T/exe.btf" "$T/exe.btf"
cp "$obj" "$T/mod.o"
vg 0 -J --btf_base="$T/exe.btf" --btf_features=default,distilled_base "$T/mod.o"
vg 0 dump --format=raw --btf_base="$T/exe.btf" "$T/mod.o"

# error paths
printf 'not ELF\n' >"$T/text"
vg 1 "$T/text"
head -c 3000 "$exe" >"$T/truncated"
vg 1 "$T/truncated"
vg 1 "$T/missing"
cp "$obj" "$T/ro.o"
chmod 444 "$T/ro.o"
vg 1 -J "$T/ro.o"
cp "$obj" "$T/fail.o"
BTFENC_TEST_WRITER_FAIL_AT=verify vg 1 -J "$T/fail.o"
head -c 100 "$T/exe.btf" >"$T/short.btf"
vg 1 dump --format=raw "$T/short.btf"
if [ "$(uname -m)" = x86_64 ] && command -v as >/dev/null 2>&1; then
	for shape in struct-cycle type-unit-absent abbrev-garbage; do
		"$BTFENC_SRCDIR/tests/tools/gen-dwarf.sh" "$shape" >"$T/$shape.s"
		as "$T/$shape.s" -o "$T/$shape.o"
		vg 1 "$T/$shape.o"
	done
fi

finish
