#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `btfenc -J FILE` changes .BTF and nothing else: on an executable, a shared
# object (built here), a relocatable object and kernel modules (Debian's,
# cached by scripts/fetch-kernel under ~/.cache/btfenc/kernel/modules;
# skipped when absent), every other section keeps its header fields and its
# contents, .shstrtab only grows at its end, and the ELF header (but for
# where the section headers are and how many), the program headers,
# symbols, relocations, dynamic section and notes are identical (readelf).
# The result has a .BTF btfenc reads back.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
require_tool readelf
require_tool cksum
setup_tmpdir

# sections FILE: "index name type addr off size es flags link info align"
# for each section header (readelf -S, the [N] brackets removed).
sections() {
	readelf -W -S "$1" | sed -n 's/^ *\[ *\([0-9][0-9]*\)\] */\1 /p' | grep -v '^0 '
}

# describe FILE DIR: what must not change, as files in DIR.
describe() {
	local f=$1 d=$2 idx name type off size rest

	mkdir -p "$d"
	readelf -W -h "$f" | grep -v -E 'Start of section headers|Number of section headers' >"$d/ehdr"
	readelf -W -l "$f" >"$d/phdrs" 2>&1 || true
	readelf -W -s "$f" >"$d/symbols" 2>&1 || true
	readelf -W -r "$f" >"$d/relocs" 2>&1 || true
	readelf -W -d "$f" >"$d/dynamic" 2>&1 || true
	readelf -W -n "$f" >"$d/notes" 2>&1 || true
	: >"$d/sections"
	sections "$f" | while read -r idx name type _ off size rest; do
		case $name in
		.BTF | .BTF.base) continue ;;
		.shstrtab)
			tail -c +$((0x$off + 1)) "$f" | head -c $((0x$size)) >"$d/shstrtab"
			continue
			;;
		esac
		if [ "$type" = NOBITS ]; then
			sum=-
		else
			sum=$(tail -c +$((0x$off + 1)) "$f" | head -c $((0x$size)) | cksum)
		fi
		printf '%s %s %s %s %s %s | %s\n' "$idx" "$name" "$type" "$off" "$size" "$rest" "$sum" >>"$d/sections"
	done
}

# check WHAT FILE: -J on a copy of FILE, then compare.
check() {
	local what=$1 v=$T/$1 what_is

	cp "$2" "$v"
	chmod u+w "$v"
	describe "$v" "$T/before-$what"
	run_btfenc -J "$v"
	if [ "$RC" -ne 0 ]; then
		fail "$what: -J exited $RC: $(head -n 3 "$T/err")"
		return 0
	fi
	describe "$v" "$T/after-$what"
	for what_is in ehdr phdrs symbols relocs dynamic notes sections; do
		compare "$T/before-$what/$what_is" "$T/after-$what/$what_is" "$what: $what_is"
	done
	if ! cmp -s "$T/before-$what/shstrtab" \
		<(head -c "$(wc -c <"$T/before-$what/shstrtab")" "$T/after-$what/shstrtab"); then
		fail "$what: .shstrtab changed (not just grown)"
	fi
	[ -n "$(section_offset "$v" .BTF)" ] || fail "$what: no .BTF after -J"
	run_btfenc dump --format=raw "$v"
	if [ "$RC" -ne 0 ] || [ ! -s "$T/out" ]; then
		fail "$what: cannot read the new .BTF back"
	fi
	say "ok: $what ($(wc -l <"$T/before-$what/sections") sections)"
}

check executable "$(fixture graph-gcc-d5-O2)"
check relocatable "$(fixture graph-list-gcc-d5-O0.o)"
check executable-gz "$(fixture graph-gcc-d4-O2-gz)"

# a shared object, built here
cat >"$T/lib.c" <<'EOF'
struct point { int x, y; const char *label; };
int lib_counter = 3;
int lib_area(const struct point *a, const struct point *b)
{
	return (b->x - a->x) * (b->y - a->y) + lib_counter;
}
EOF
if command -v gcc >/dev/null 2>&1 && gcc -g -O2 -shared -fPIC -o "$T/lib.so" "$T/lib.c"; then
	check shared-object "$T/lib.so"
else
	say "note: cannot build a shared object, no .so case"
fi

# kernel modules, where scripts/fetch-kernel cached them
kmods=${BTFENC_KERNEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/btfenc/kernel}/modules
found=false
for m in dummy veth; do
	if [ -f "$kmods/$m.ko" ]; then
		check "$m.ko" "$kmods/$m.ko"
		found=true
	fi
done
"$found" || say "note: no cached kernel modules in $kmods, no .ko case"

finish
