#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Bad input: btfenc exits 1 with ONE clear line on stderr that names the
# file, for a missing file, a directory, an empty file, a text file, ELF
# files without DWARF, truncated ELF files, a corrupt gzip file and corrupt
# .debug_info sections. Usage errors exit 2 with one line. Nothing crashes
# (no signal, no sanitizer report), including for a sweep of corruptions at
# fixed offsets all over .debug_info, which may be accepted (exit 0) or
# rejected (exit 1, one line naming the file).
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
require_tool readelf
setup_tmpdir

# expect_bad_file FILE [WHAT]: btfenc FILE exits 1 with one line naming FILE.
expect_bad_file() {
	expect_fail 1 "$(ere_quote "$1")" "$BTFENC" "$1"
}

# poke FILE OFFSET COUNT [BYTE]: overwrite COUNT bytes at OFFSET with BYTE
# (octal escape, default \377).
poke() {
	head -c "$3" /dev/zero | tr '\0' "${4:-\\377}" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

obj=$(fixture graph-list-gcc-d5-O0.o)
exe=$(fixture graph-gcc-d5-O0)

# --- files that are not there or not files ---------------------------------
expect_bad_file "$T/does-not-exist"
mkdir "$T/a-directory"
expect_bad_file "$T/a-directory"
: >"$T/empty"
expect_bad_file "$T/empty"
printf 'this is not an ELF file\n' >"$T/text.txt"
expect_bad_file "$T/text.txt"
printf '\177ELF' >"$T/just-magic"
expect_bad_file "$T/just-magic"

# --- ELF files without DWARF ------------------------------------------------
if command -v strip >/dev/null 2>&1; then
	cp "$obj" "$T/nodebug.o"
	strip -g "$T/nodebug.o"
	expect_bad_file "$T/nodebug.o"
	cp "$exe" "$T/nodebug-exe"
	strip -g "$T/nodebug-exe"
	expect_bad_file "$T/nodebug-exe"
else
	say "note: strip not installed, no stripped-file cases"
fi
if command -v objcopy >/dev/null 2>&1; then
	objcopy --strip-debug "$exe" "$T/objcopy-stripped"
	expect_bad_file "$T/objcopy-stripped"
fi

# --- truncated ELF files ----------------------------------------------------
size=$(wc -c <"$exe")
for n in 16 64 200 $((size / 3)) $((size / 2)) $((size - 100)); do
	head -c "$n" "$exe" >"$T/truncated-$n"
	expect_bad_file "$T/truncated-$n"
done
osize=$(wc -c <"$obj")
head -c $((osize / 2)) "$obj" >"$T/truncated-half.o"
expect_bad_file "$T/truncated-half.o"

# --- a corrupt .gz ----------------------------------------------------------
if [ -n "$(fixture_files '\.o\.gz$')" ]; then
	gz=$(fixture "$(fixture_files '\.o\.gz$' | head -n 1)")
	gsize=$(wc -c <"$gz")
	head -c $((gsize / 2)) "$gz" >"$T/truncated.o.gz"
	expect_bad_file "$T/truncated.o.gz"
fi

# --- corrupt .debug_info ---------------------------------------------------
# Offsets into the first unit header: DWARF 5 is length(4) version(2)
# unit_type(1) address_size(1) abbrev_offset(4); DWARF 4 is length(4)
# version(2) abbrev_offset(4) address_size(1). In an object file the
# abbrev_offset field is the target of a relocation (applied on load, which
# undoes a change), so that case uses executables.
exe4=$(fixture graph-gcc-d4-O2)
info_off=$(section_offset "$obj" .debug_info)
info_size=$(section_size "$obj" .debug_info)
if [ -z "$info_off" ] || [ "$info_size" -le 16 ]; then
	die "no .debug_info in $obj"
fi
exe_off=$(section_offset "$exe" .debug_info)
exe_size=$(section_size "$exe" .debug_info)
exe4_off=$(section_offset "$exe4" .debug_info)
if [ -z "$exe_off" ] || [ -z "$exe4_off" ]; then
	die "no .debug_info in $exe or $exe4"
fi

# unit_length past the end of the section (object: the only unit;
# executable: the first of several, so the others cannot be found)
cp "$obj" "$T/bad-length.o"
poke "$T/bad-length.o" "$info_off" 4 '\176'
expect_bad_file "$T/bad-length.o"
cp "$exe" "$T/bad-length-exe"
poke "$T/bad-length-exe" "$exe_off" 4 '\176'
expect_bad_file "$T/bad-length-exe"

# unit_length 0xffffffff (64-bit DWARF) with a huge 64-bit length
cp "$obj" "$T/bad-length64.o"
poke "$T/bad-length64.o" "$info_off" 12
expect_bad_file "$T/bad-length64.o"

# unknown DWARF version 0x6363
cp "$obj" "$T/bad-version.o"
poke "$T/bad-version.o" $((info_off + 4)) 2 '\143'
expect_bad_file "$T/bad-version.o"
cp "$exe" "$T/bad-version-exe"
poke "$T/bad-version-exe" $((exe_off + 4)) 2 '\143'
expect_bad_file "$T/bad-version-exe"

# abbrev_offset out of .debug_abbrev (DWARF 5 and DWARF 4 positions)
cp "$exe" "$T/bad-abbrev5"
poke "$T/bad-abbrev5" $((exe_off + 8)) 4
expect_bad_file "$T/bad-abbrev5"
cp "$exe4" "$T/bad-abbrev4"
poke "$T/bad-abbrev4" $((exe4_off + 6)) 4
expect_bad_file "$T/bad-abbrev4"

# every DIE replaced by 0xff bytes: the first abbrev code is garbage
cp "$obj" "$T/bad-dies.o"
poke "$T/bad-dies.o" $((info_off + 12)) $((info_size - 12))
expect_bad_file "$T/bad-dies.o"
cp "$exe" "$T/bad-dies-exe"
poke "$T/bad-dies-exe" $((exe_off + 12)) $((exe_size - 12))
expect_bad_file "$T/bad-dies-exe"

# A sweep: 8 bytes of 0xff (then of 0x00) at 32 spread-out offsets. Each
# result may be exit 0 (the damage was harmless or tolerated) or exit 1 with
# one line naming the file; never a crash, never another exit status.
pattern=$(ere_quote "$T/sweep.o")
for byte in '\377' '\000'; do
	for i in $(seq 0 31); do
		cp "$obj" "$T/sweep.o"
		poke "$T/sweep.o" $((info_off + i * (info_size - 8) / 31)) 8 "$byte"
		run_btfenc "$T/sweep.o"
		case $RC in
		0 | 255) ;;
		1)
			if [ "$(wc -l <"$T/err")" -ne 1 ] ||
			   ! grep -q -E -- "$pattern" "$T/err"; then
				fail "sweep $byte at step $i: exit 1 but stderr is not one line naming the file:"
				sed 's/^/    /' "$T/err" >&2
			fi
			;;
		*)
			fail "sweep $byte at step $i: exit $RC"
			;;
		esac
	done
done

# --- output that would be exponentially large --------------------------------
# Function prototypes whose three parameters each point to the prototype one
# level down, 40 levels: C would spell 3^40 of them. The C printer stops at
# its bound, and the message says so (not "Cannot allocate memory").
if command -v python3 >/dev/null 2>&1; then
	python3 "$BTFENC_SRCDIR/tests/tools/gen-exp-btf.py" protos "$T/nested.btf"
	expect_fail 1 "$(ere_quote "$T/nested.btf"): too large: past a limit" \
		"$BTFENC" dump --format=c "$T/nested.btf"
fi

# --- usage errors: exit 2, one line -----------------------------------------
expect_fail 2 '.' "$BTFENC"
expect_fail 2 'bogus' "$BTFENC" --bogus-option "$obj"
expect_fail 2 '.' "$BTFENC" -Z "$obj"
expect_fail 2 '.' "$BTFENC" -C
expect_fail 2 'nosuchformat' "$BTFENC" -F nosuchformat "$obj"
expect_fail 2 'klingon' "$BTFENC" --lang_exclude=klingon "$obj"

finish
