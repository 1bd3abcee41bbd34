#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Hostile files: each case gives exit 1 and one line on stderr naming the
# file; no crash (signal or sanitizer report), no hang (10 s per run), and
# bounded memory (ulimit -v: a fixed allowance plus a small multiple of the
# input, skipped in sanitizer builds, which reserve terabytes of address
# space).
#
#  ELF (mutated fixtures, tests/tools/elf-edit.sh): section headers, a
#    section's offset or size past the end of the file or overflowing,
#    string tables without NUL, compressed sections whose header or
#    declared size lies, segments past the end.
#  DWARF (hand-made units, tests/tools/gen-dwarf.sh, x86-64 `as` only):
#    references outside the unit, into the middle of a DIE, into itself, in
#    a loop, a struct containing itself, absurd array bounds and byte sizes,
#    abbreviation tables that do not parse, an undefined attribute form, a
#    type unit referenced but absent.
#  BTF (a blob btfenc wrote): every header field pushed out of range, then
#    every 32-bit word of the type section (the fields of every type)
#    replaced by 0xffffffff and 0x7fffffff: those runs may also succeed,
#    but never crash or print more than one line; types that spell
#    exponentially as trees, through every printer and diff.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
# shellcheck source=tests/tools/elf-edit.sh
. "$BTFENC_SRCDIR/tests/tools/elf-edit.sh"
require_tool readelf
setup_tmpdir

sanitized=false
if grep -q -a -E '__asan_init|__tsan_init|__msan_init' "$BTFENC"; then
	sanitized=true
fi

# bounded CMD...: CMD under a 10 s timeout and, outside sanitizer builds,
# an address-space limit of 200 MB plus 20 times the last argument's size.
bounded() {
	local last=${*: -1} kb=0

	[ -f "$last" ] && kb=$(($(wc -c <"$last") / 1024))
	if "$sanitized"; then
		timeout 10 "$@"
	else
		(ulimit -v $((200 * 1024 + 20 * kb)); exec timeout 10 "$@")
	fi
}

# hostile FILE [ARGS...]: btfenc ARGS FILE (layout by default) exits 1
# with one line naming FILE, and so does encoding it.
hostile() {
	local f=$1

	shift
	expect_fail 1 "$(ere_quote "$f")" \
		bounded "$BTFENC" "$@" "$f"
}

# tolerated FILE ARGS...: exit 0 or exit 1 with one line; nothing else.
tolerated() {
	local f=$1 rc=0

	shift
	bounded "$BTFENC" "$@" "$f" >"$T/out" 2>"$T/err" || rc=$?
	if crashed "$rc" "$T/err" || { [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; }; then
		fail "btfenc $* $f: exit $rc:"
		sed 's/^/    /' "$T/err" >&2
	elif [ "$rc" -eq 1 ] && [ "$(wc -l <"$T/err")" -ne 1 ]; then
		fail "btfenc $* $f: exit 1 with $(wc -l <"$T/err") lines on stderr"
		sed 's/^/    /' "$T/err" >&2
	fi
}

obj=$(fixture graph-list-gcc-d5-O0.o)
gzobj=$(fixture graph-list-gcc-d5-O0-gz.o)
exe=$(fixture graph-gcc-d5-O0)

# mutant NAME SRC: copy SRC to $T/NAME and print the new path.
mutant() {
	cp "$2" "$T/$1"
	printf '%s\n' "$T/$1"
}

# --- ELF -----------------------------------------------------------------
size=$(wc -c <"$obj")
m=$(mutant shoff-past-eof.o "$obj")
put_le "$m" 40 8 $((size + 1000))
hostile "$m"
m=$(mutant shnum-huge.o "$obj")
put_le "$m" 60 2 65535
hostile "$m"
m=$(mutant info-offset-past-eof.o "$obj")
put_le "$m" "$(shdr_field_off "$m" .debug_info offset)" 8 $((size + 16))
hostile "$m"
m=$(mutant info-size-past-eof.o "$obj")
put_le "$m" "$(shdr_field_off "$m" .debug_info size)" 8 "$size"
hostile "$m"
m=$(mutant info-size-wraps.o "$obj")
put_le "$m" "$(shdr_field_off "$m" .debug_info size)" 8 -256
hostile "$m"
m=$(mutant abbrev-offset-wraps.o "$obj")
put_le "$m" "$(shdr_field_off "$m" .debug_abbrev offset)" 8 -8
hostile "$m"
m=$(mutant name-past-shstrtab.o "$obj")
put_le "$m" "$(shdr_field_off "$m" .debug_info name)" 4 100000
hostile "$m"
# string tables without their final NUL
m=$(mutant debug-str-no-nul.o "$obj")
off=$(section_offset "$m" .debug_str)
len=$(section_size "$m" .debug_str)
printf 'AAAA' | dd of="$m" bs=1 seek=$((off + len - 4)) conv=notrunc status=none
hostile "$m"
hostile "$m" --btf_encode_detached="$T/x.btf"
m=$(mutant shstrtab-no-nul.o "$obj")
off=$(section_offset "$m" .shstrtab)
len=$(section_size "$m" .shstrtab)
printf 'AAAA' | dd of="$m" bs=1 seek=$((off + len - 4)) conv=notrunc status=none
hostile "$m"
m=$(mutant strtab-no-nul.o "$obj")
off=$(section_offset "$m" .strtab)
len=$(section_size "$m" .strtab)
head -c "$len" /dev/zero | tr '\0' A | dd of="$m" bs=1 seek="$off" conv=notrunc status=none
tolerated "$m" --btf_encode_detached="$T/x.btf"	# symbol names unreadable: no functions
# compressed .debug_info whose header lies: the size (huge, small, zero),
# the compression type
coff=$(section_offset "$gzobj" .debug_info)
[ -n "$coff" ] || die "no .debug_info in $gzobj"
for v in $((1 << 40)) 16 0 $((1 << 20)); do
	m=$(mutant "chdr-size-$v.o" "$gzobj")
	put_le "$m" $((coff + 8)) 8 "$v"
	hostile "$m"
done
m=$(mutant chdr-type.o "$gzobj")
put_le "$m" "$coff" 4 77
hostile "$m"
# program headers past the end of an executable
esize=$(wc -c <"$exe")
m=$(mutant phoff-past-eof "$exe")
put_le "$m" 32 8 $((esize + 8))
hostile "$m"
m=$(mutant phnum-huge "$exe")
put_le "$m" 56 2 30000
hostile "$m"
hostile "$m" -J
# e_phnum 0xffff means "the count is in section 0": here it says 0
m=$(mutant phnum-xnum "$exe")
put_le "$m" 56 2 65535
tolerated "$m"
tolerated "$m" -J

# --- DWARF ---------------------------------------------------------------
if [ "$(uname -m)" = x86_64 ] && command -v as >/dev/null 2>&1; then
	for shape in ref-self ref-loop ref-outside ref-inside-die struct-cycle \
		array-huge size-huge abbrev-garbage abbrev-unterminated bad-form \
		type-unit-absent; do
		"$BTFENC_SRCDIR/tests/tools/gen-dwarf.sh" "$shape" >"$T/$shape.s"
		as "$T/$shape.s" -o "$T/$shape.o" || die "as cannot assemble $shape"
		hostile "$T/$shape.o"
		hostile "$T/$shape.o" --btf_encode_detached="$T/x.btf"
		hostile "$T/$shape.o" dump --format=c -F dwarf
	done
else
	say "note: not x86-64 or no as: no hand-made DWARF cases"
fi

# --- BTF -----------------------------------------------------------------
btf=$T/good.btf
run_btfenc --btf_encode_detached="$btf" "$exe"
if [ "$RC" -ne 0 ] || [ ! -s "$btf" ]; then
	die "cannot encode $exe: $(cat "$T/err")"
fi
bsize=$(wc -c <"$btf")
# header: magic(2) version(1) flags(1) hdr_len type_off type_len str_off str_len
for field in "2 1" "3 1" "4 4" "8 4" "12 4" "16 4" "20 4"; do
	read -r off width <<<"$field"
	for v in -1 $((0x7fffffff)) 1; do
		# version 1 and flags 0 are the valid values
		[ "$off" -eq 2 ] && [ "$v" -eq 1 ] && continue
		m=$(mutant "hdr-$off-$v.btf" "$btf")
		put_le "$m" "$off" "$width" "$v"
		hostile "$m" dump --format=raw
	done
done
m=$(mutant magic.btf "$btf")
put_le "$m" 0 2 0x1234
hostile "$m" dump --format=raw
m=$(mutant truncated.btf "$btf")
head -c $((bsize - 7)) "$btf" >"$m"
hostile "$m" dump --format=raw
# a hand-made BTF: [1] struct a { struct a m; }, a cycle without a pointer
m=$T/struct-cycle.btf
: >"$m"
for field in "0 2 $((0xeb9f))" "2 1 1" "3 1 0" "4 4 24" "8 4 0" "12 4 24" "16 4 24" \
	"20 4 5" "24 4 1" "28 4 $(((4 << 24) | 1))" "32 4 4" "36 4 3" "40 4 1" "44 4 0"; do
	read -r off width v <<<"$field"
	put_le "$m" "$off" "$width" "$v"
done
printf '\0a\0m\0' >>"$m"
for format in raw c layout json; do
	hostile "$m" dump --format="$format"
done
# types that spell exponentially as trees (tests/tools/gen-exp-btf.py):
# every printer, the normal form and diff bound their work (the normal form
# and diff did not: a fuzz finding's cycle hung both)
if command -v python3 >/dev/null 2>&1; then
	for shape in protos cycle unions; do
		m=$T/exp-$shape.btf
		python3 "$BTFENC_SRCDIR/tests/tools/gen-exp-btf.py" "$shape" "$m"
		for format in raw c layout json normal; do
			tolerated "$m" dump --format="$format"
		done
		for old in "$m" "$btf"; do
			for json in "" --json; do
				rc=0
				# shellcheck disable=SC2086 # $json: no word or one
				bounded "$BTFENC" diff $json "$old" "$m" >"$T/out" 2>"$T/err" || rc=$?
				# exit 0 equal, 1 different; nothing on stderr
				if [ "$rc" -gt 1 ] || [ -s "$T/err" ]; then
					fail "btfenc diff $json $old $m: exit $rc: $(head -c 300 "$T/err")"
				fi
			done
		done
	done
	bounded "$BTFENC" dump --format=normal "$T/exp-cycle.btf" >"$T/out" 2>"$T/err" ||
		fail "normal form of the cycle: $(cat "$T/err")"
	grep -q '^typedef cyc_t: .*<ERROR: too long>$' "$T/out" ||
		fail "the cycle's normal form does not end its entry with the marker"
else
	say "note: no python3: no exponential BTF cases"
fi

# the type section, word by word (at most 160 words)
type_len=$(od -A n -t u4 -j 12 -N 4 "$btf" | tr -d ' ')
words=$((type_len / 4 < 160 ? type_len / 4 : 160))
for ((i = 0; i < words; i++)); do
	for v in -1 $((0x7fffffff)); do
		cp "$btf" "$T/word.btf"
		put_le "$T/word.btf" $((24 + 4 * i)) 4 "$v"
		tolerated "$T/word.btf" dump --format=c
	done
done

finish
