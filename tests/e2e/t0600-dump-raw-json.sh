#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t0600-dump-raw-json: btfenc's bpftool-compatible printers (src/print/
# btf_raw.c, btf_json.c, run through tests/tools/btf_dump_tool) print
# exactly what bpftool prints, byte for byte, in its three layouts:
#   bpftool btf dump file F         btf_dump_tool F
#   bpftool -j btf dump file F      btf_dump_tool -j F
#   bpftool -p btf dump file F      btf_dump_tool -p F
# on the BTF btfenc encodes for every fixture (--btf_encode_detached; each
# distinct output once), on .BTF sections written with -J into an object and
# an executable (ELF input), on split BTF (--btf_base; bpftool -B) and on
# /sys/kernel/btf/vmlinux when it is readable. Skipped only when nothing
# could be compared (no bpftool, no dump tool).
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

setup_tmpdir
DUMP=${BTFENC_DUMP_TOOL:-}
if [ -z "$DUMP" ] || [ ! -x "$DUMP" ]; then
	skip "no btf_dump_tool (BTFENC_DUMP_TOOL)"
fi
require_tool bpftool
compared=0

# dump_both MODE FILE [BASE]: bpftool's and our MODE (raw, json, pretty)
# dump of FILE into $T/b.out and $T/o.out; false (after fail) on an error.
dump_both() {
	local mode=$1 f=$2 base=${3:-} rc=0
	local -a flags=() bflags=() oflags=()

	case $mode in
	json) flags=(-j) ;;
	pretty) flags=(-p) ;;
	esac
	if [ -n "$base" ]; then
		bflags=(-B "$base")
		oflags=(-b "$base")
	fi
	if ! bpftool "${flags[@]}" "${bflags[@]}" btf dump file "$f" >"$T/b.out" 2>"$T/err"; then
		fail "bpftool cannot dump $f: $(head -n 3 "$T/err")"
		return 1
	fi
	"$DUMP" "${flags[@]}" "${oflags[@]}" "$f" >"$T/o.out" 2>"$T/err" || rc=$?
	if crashed "$rc" "$T/err" || [ "$rc" -ne 0 ]; then
		fail "btf_dump_tool ${flags[*]} $f exited $rc: $(head -n 3 "$T/err")"
		return 1
	fi
}

# same_as_bpftool WHAT FILE [BASE]: all three layouts must match.
same_as_bpftool() {
	local what=$1 f=$2 base=${3:-} mode

	for mode in raw json pretty; do
		dump_both "$mode" "$f" "$base" || continue
		if ! cmp -s "$T/b.out" "$T/o.out"; then
			# Compact JSON is one line: show where, not the whole line.
			fail "$what ($mode) differs from bpftool: $(cmp "$T/b.out" "$T/o.out" 2>&1 | head -n 1)"
			diff -u "$T/b.out" "$T/o.out" | head -n 30 | cut -c 1-300 >&2 || true
		fi
	done
	compared=$((compared + 1))
}

# Every fixture's BTF, each distinct blob once (many variants encode the
# same types).
declare -A seen=()
while read -r name; do
	f=$(fixture "$name")
	run_btfenc --btf_encode_detached="$T/x.btf" "$f"
	if [ "$RC" -ne 0 ]; then
		# Encoding failures are t0500's business; nothing to print here.
		continue
	fi
	sum=$(md5sum <"$T/x.btf")
	[ -z "${seen[$sum]:-}" ] || continue
	seen[$sum]=$name
	same_as_bpftool "BTF of $name" "$T/x.btf"
done < <(fixture_files .)
say "distinct fixture BTF blobs compared: ${#seen[@]}"

# ELF input: .BTF written into an object and an executable.
for name in graph-main-gcc-d5-O2.o graph-gcc-d5-O2 btftags-clang-d4-O0; do
	[ -n "$(fixture_files "^$name\$")" ] || continue
	cp "$(fixture "$name")" "$T/elf"
	run_btfenc -J "$T/elf"
	[ "$RC" -eq 0 ] || { fail "-J $name exited $RC: $(cat "$T/err")"; continue; }
	same_as_bpftool ".BTF of $name (ELF)" "$T/elf"
done

# Split BTF: one fixture's BTF on another's, printed with its real ids.
base_name=graph-main-gcc-d5-O2.o
split_name=graph-list-gcc-d5-O2.o
if [ -n "$(fixture_files "^$base_name\$")" ] && [ -n "$(fixture_files "^$split_name\$")" ]; then
	run_btfenc --btf_encode_detached="$T/base.btf" "$(fixture "$base_name")"
	[ "$RC" -eq 0 ] || fail "encoding $base_name exited $RC: $(cat "$T/err")"
	run_btfenc --btf_base="$T/base.btf" --btf_encode_detached="$T/split.btf" \
		"$(fixture "$split_name")"
	if [ "$RC" -ne 0 ]; then
		fail "split encoding of $split_name on $base_name exited $RC: $(cat "$T/err")"
	else
		same_as_bpftool "split BTF of $split_name on $base_name" "$T/split.btf" "$T/base.btf"
	fi
fi

# The running kernel's BTF (~130k types; must stay fast).
vmlinux=/sys/kernel/btf/vmlinux
if [ -r "$vmlinux" ]; then
	start=$SECONDS
	same_as_bpftool "$vmlinux" "$vmlinux"
	say "vmlinux compared in $((SECONDS - start))s"
else
	say "note: $vmlinux is not readable; not compared"
fi

[ "$compared" -gt 0 ] || skip "nothing could be compared"
say "inputs compared with bpftool (raw, -j, -p): $compared"
finish
