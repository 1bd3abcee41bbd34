#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/btfdiff: the BTF encoded from every fixture says what its DWARF
# says (exit 0, no output), with the default features and with global_var
# (which brings every variable into the comparison); and btfdiff catches a
# real difference: a BTF whose member offset was changed on purpose makes
# it exit 1 with a diff naming that member. Errors exit 2.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
setup_tmpdir
export BTFENC
btfdiff=$BTFENC_SRCDIR/scripts/btfdiff

# run_btfdiff ARGS...: btfdiff ARGS, stdout in $T/out, stderr in $T/err,
# status in RC; a crash of btfenc under it fails the test.
run_btfdiff() {
	RC=0
	"$btfdiff" "$@" >"$T/out" 2>"$T/err" || RC=$?
	if crashed "$RC" "$T/err"; then
		fail "btfdiff $* crashed (exit $RC):"
		sed 's/^/    /' "$T/err" >&2
		RC=255
	fi
}

# 1. Every fixture variant, default features and with global_var.
n=0
for name in $(fixture_files .); do
	path=$(fixture "$name")
	for features in "" "--btf_features=default,global_var"; do
		run_btfdiff ${features:+"$features"} "$path"
		if [ "$RC" -ne 0 ] || [ -s "$T/out" ] || [ -s "$T/err" ]; then
			fail "btfdiff $features $name exited $RC:"
			head -n 60 "$T/out" "$T/err" >&2
		fi
	done
	n=$((n + 1))
done
say "btfdiff agrees on $n fixture files"

# 2. The normal form is not empty: it has structs, functions and (with
#    global_var) variables, and both sides print them.
path=$(fixture symbols-gcc-d5-O2)
"$BTFENC" --btf_features=default,global_var --btf_encode_detached="$T/sym.btf" "$path" ||
	die "cannot encode $path"
"$BTFENC" dump --format=normal -F btf "$T/sym.btf" >"$T/sym.btf.txt" ||
	die "dump --format=normal -F btf failed"
"$BTFENC" dump --format=normal -F dwarf --btf_names="$T/sym.btf" "$path" >"$T/sym.dwarf.txt" ||
	die "dump --format=normal -F dwarf failed"
for re in '^struct record size ' '^func sym_global_fn: int \(int x\)$' \
	  '^var sym_global_var@\.data\+0x[0-9a-f]+: int$' '^typedef ' '^enum ' '^base int size 4 signed$'; do
	grep -q -E -- "$re" "$T/sym.btf.txt" || fail "BTF side has no line matching /$re/"
	grep -q -E -- "$re" "$T/sym.dwarf.txt" || fail "DWARF side has no line matching /$re/"
done
# Sorted, and each entry once.
for f in sym.btf.txt sym.dwarf.txt; do
	grep -v "$(printf '^\t')" "$T/$f" >"$T/heads"
	sort -c "$T/heads" 2>/dev/null || fail "$f: entries are not sorted"
done

# 3. A real difference: struct edge's member weight moved from bit 512 to
#    448 in the raw BTF (each member is {name_off, type, offset} as three
#    little-endian u32 words; the fixtures are x86 ones).
path=$(fixture graph-gcc-d4-O0)
"$BTFENC" --btf_encode_detached="$T/g.btf" "$path" || die "cannot encode $path"
cp "$T/g.btf" "$T/bad.btf"
od -An -v -tu4 -w4 "$T/g.btf" | tr -d ' ' >"$T/words"
hdr_len=$(sed -n 2p "$T/words")
type_off=$(sed -n 3p "$T/words")
type_len=$(sed -n 4p "$T/words")
str_off=$(sed -n 5p "$T/words")
[ "$(($(sed -n 1p "$T/words") & 0xffff))" -eq $((0xeb9f)) ] || skip "not little-endian BTF"
at=$(LC_ALL=C grep -obUaP '\x00weight\x00' "$T/g.btf" | head -n 1 | cut -d: -f1)
[ -n "$at" ] || die "no string 'weight' in the BTF of $path"
name_off=$((at + 1 - hdr_len - str_off))
word=$(awk -v n="$name_off" -v lo=$(((hdr_len + type_off) / 4)) \
	   -v hi=$(((hdr_len + type_off + type_len) / 4)) '
	{ w[NR - 1] = $1 }
	END {
		for (i = lo; i + 2 < hi; i++)
			if (w[i] == n && w[i + 2] == 512) { print i + 2; exit }
	}' "$T/words")
[ -n "$word" ] || die "no member 'weight' at bit 512 in the BTF of $path"
printf '\300\001\000\000' | dd of="$T/bad.btf" bs=4 seek="$word" conv=notrunc status=none
run_btfdiff --btf="$T/bad.btf" "$path"
if [ "$RC" -ne 1 ]; then
	fail "btfdiff on a corrupted BTF exited $RC, expected 1: $(cat "$T/err")"
else
	grep -q -E '^-	weight: double @512$' "$T/out" ||
		fail "the diff does not show the DWARF weight @512: $(cat "$T/out")"
	grep -q -E '^\+	weight: double @448$' "$T/out" ||
		fail "the diff does not show the BTF weight @448: $(cat "$T/out")"
	[ "$(grep -c '^[-+][^-+]' "$T/out")" -eq 2 ] ||
		fail "the diff shows more than the member weight: $(cat "$T/out")"
	[ -s "$T/err" ] && fail "btfdiff printed on stderr: $(cat "$T/err")"
fi
# The uncorrupted copy still agrees.
run_btfdiff --btf="$T/g.btf" "$path"
if [ "$RC" -ne 0 ] || [ -s "$T/out" ]; then
	fail "btfdiff --btf on the good BTF exited $RC"
fi

# 4. Errors: exit 2 with a message, never 1.
# expect_error ARGS...: btfdiff ARGS must exit 2 and say why on stderr.
expect_error() {
	run_btfdiff "$@"
	if [ "$RC" -ne 2 ] || [ ! -s "$T/err" ]; then
		fail "btfdiff $* exited $RC, expected 2 with a message"
	fi
}
printf 'not an ELF file\n' >"$T/text"
expect_error
expect_error --no-such-option "$path"
expect_error "$T/no-such-file"
expect_error "$T/text"
expect_error --btf="$T/text" "$path"
finish
