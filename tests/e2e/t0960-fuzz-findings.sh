#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# What the fuzzers found (tests/fuzz/regress/), seen from the command line:
#   - an ELF file whose DWARF gives no type: -J and --btf_encode_detached
#     succeed and write nothing (BTF without types is invalid; pahole writes
#     nothing either), and -V says so;
#   - a data section with an unprintable name: its variables are left out
#     with global_var, and the BTF loads again;
#   - a 256 MiB trailing padding: the layout stays short (capped forced
#     padding) instead of hundreds of megabytes.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
setup_tmpdir
R=$BTFENC_SRCDIR/tests/fuzz/regress

# --- no types: nothing written ---------------------------------------------
cp "$R/elf_dwarf/no-types" "$T/no-types.o"
cp "$T/no-types.o" "$T/orig.o"
run_btfenc --btf_encode_detached="$T/out.btf" "$T/no-types.o"
[ "$RC" -eq 0 ] || fail "detached encoding of a file without types exited $RC"
[ ! -e "$T/out.btf" ] || fail "a file without types gave $T/out.btf"
run_btfenc -J -V "$T/no-types.o"
[ "$RC" -eq 0 ] || fail "-J on a file without types exited $RC"
cmp -s "$T/no-types.o" "$T/orig.o" || fail "-J changed a file without types"
grep -q 'no types to encode, nothing written' "$T/err" ||
	fail "-V does not say why nothing was written: $(cat "$T/err")"

# --- unprintable section name ----------------------------------------------
run_btfenc --btf_features=default,global_var \
	--btf_encode_detached="$T/sec.btf" "$R/elf_dwarf/datasec-unprintable-section-name"
[ "$RC" -eq 0 ] || fail "encoding with an unprintable section name exited $RC: $(cat "$T/err")"
run_btfenc dump --format=raw "$T/sec.btf"
[ "$RC" -eq 0 ] || fail "the BTF of a file with an unprintable section name does not load: $(cat "$T/err")"

# --- huge forced padding ----------------------------------------------------
# The regression input is the fuzzer's: a flag byte, the base's length
# (32-bit little endian), the base, then split BTF on it.
f=$R/btf_loader/split-huge-forced-padding
n=$(od -An -tu4 -j1 -N4 --endian=little "$f" | tr -d ' ')
tail -c +6 "$f" | head -c "$n" >"$T/base.btf"
tail -c +$((6 + n)) "$f" >"$T/split.btf"
run_btfenc dump --btf_base="$T/base.btf" "$T/split.btf"
[ "$RC" -eq 0 ] || fail "dump of the padded struct exited $RC: $(cat "$T/err")"
size=$(wc -c <"$T/out")
[ "$size" -lt 1000000 ] || fail "the padded struct's layout is $size bytes"
grep -q -E '/\* \.\.\. [0-9]+ more \*/' "$T/out" || fail "no '... more' line after forced padding"

finish
