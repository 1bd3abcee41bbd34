#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t0670-build-path: a Debian-style reproducibility check. The BTF btfenc
# writes depends only on the types, never on where the input was built or
# how btfenc is run:
#  - one fixture program (tests/fixtures/src/graph) is compiled twice, in
#    two directories of different names and depths, without
#    -fdebug-prefix-map (so the DWARF differs: DW_AT_comp_dir, DW_AT_name);
#  - each build is encoded from a different working directory (by relative
#    and absolute path), with different SOURCE_DATE_EPOCH values, TZ and
#    locale, both as raw BTF and with -J into a copy (whose .BTF section is
#    compared);
# and every result must be the same bytes.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

setup_tmpdir
cc=$(command -v gcc || command -v cc || true)
[ -n "$cc" ] || skip "no C compiler"
src=$BTFENC_SRCDIR/tests/fixtures/src/graph
[ -d "$src" ] || die "no fixture sources at $src"

# build DIR: copy the sources to DIR and build the objects and the program
# there, from DIR, as a build system would.
build() {
	local dir=$1 f

	mkdir -p "$dir"
	cp "$src"/*.c "$src"/*.h "$dir"/
	(
		cd "$dir"
		for f in *.c; do
			"$cc" -g -O2 -c "$f" -o "${f%.c}.o"
		done
		"$cc" -g -O2 ./*.o -o prog
	) || die "cannot build the fixture in $dir"
}
build "$T/a"
build "$T/build-path-number-two/with/more/levels"
b=$T/build-path-number-two/with/more/levels
cmp -s "$T/a/prog" "$b/prog" && say "note: the two builds are identical (the compiler ignored the path)"

# encode TAG DIR FILE EPOCH: encode DIR/FILE from DIR (relative path) with
# SOURCE_DATE_EPOCH=EPOCH, into $T/TAG.btf (raw) and $T/TAG.sec (.BTF of a
# -J'd copy).
encode() {
	local tag=$1 dir=$2 file=$3 epoch=$4

	(cd "$dir" && SOURCE_DATE_EPOCH=$epoch TZ=Asia/Kolkata LANG=C.UTF-8 \
		"$BTFENC" --btf_encode_detached="$T/$tag.btf" "$file") 2>"$T/$tag.err" ||
		fail "encoding $dir/$file (SOURCE_DATE_EPOCH=$epoch) failed: $(cat "$T/$tag.err")"
	cp "$dir/$file" "$T/$tag.elf"
	(cd / && SOURCE_DATE_EPOCH=$epoch "$BTFENC" -J "$T/$tag.elf") 2>>"$T/$tag.err" ||
		fail "-J on a copy of $dir/$file failed: $(cat "$T/$tag.err")"
	if command -v objcopy >/dev/null 2>&1; then
		objcopy --dump-section .BTF="$T/$tag.sec" "$T/$tag.elf" "$T/$tag.junk" 2>/dev/null ||
			fail "no .BTF in the -J'd copy of $dir/$file"
	fi
}

for file in prog list.o; do
	encode "$file-a" "$T/a" "$file" 0
	encode "$file-b" "$b" "$file" 1700000000
	(cd "$T" && "$BTFENC" --btf_encode_detached="$T/$file-abs.btf" "$b/$file") ||
		fail "encoding $b/$file by absolute path failed"
	for other in "$file-b" "$file-abs"; do
		cmp -s "$T/$file-a.btf" "$T/$other.btf" ||
			fail "$file: the BTF of $other differs from the first build's"
	done
	if [ -f "$T/$file-a.sec" ]; then
		cmp -s "$T/$file-a.sec" "$T/$file-b.sec" || fail "$file: the .BTF written by -J differs between builds"
		cmp -s "$T/$file-a.sec" "$T/$file-a.btf" || fail "$file: -J and --btf_encode_detached differ"
	fi
	[ -s "$T/$file-a.btf" ] || fail "$file: no BTF"
done
finish
