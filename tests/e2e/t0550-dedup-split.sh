#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t0550-dedup-split: `btfenc dedup` as a BTF linker, and split BTF.
#
#  - dedup is a fixed point: linking a deduplicated BTF with copies of
#    itself gives back exactly the same bytes (fixtures, and the running
#    kernel's BTF when readable);
#  - linking the BTF of every fixture object is at least as small as what
#    libbpf's btf__dedup makes of the same concatenation, in types and bytes;
#  - --btf_base: an object whose types all exist in the base encodes to an
#    empty split BTF; against /sys/kernel/btf/vmlinux, split BTF refers to
#    vmlinux ids and bpftool reads it with -B.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

setup_tmpdir
LDEDUP=${BTFENC_LIBBPF_DEDUP:-}
have_bpftool=false
command -v bpftool >/dev/null 2>&1 && have_bpftool=true

# nr_types FILE [BASE]: the number of types bpftool lists.
nr_types() {
	if [ $# -gt 1 ]; then
		bpftool -B "$2" btf dump file "$1" | grep -c '^\[' || true
	else
		bpftool btf dump file "$1" | grep -c '^\[' || true
	fi
}

# 1. Fixed point on fixtures.
for name in graph-gcc-d5-O2 layout-clang-d4-O2 symbols-gcc-d4-O0; do
	f=$(fixture "$name")
	run_btfenc --btf_encode_detached="$T/one.btf" "$f"
	[ "$RC" -eq 0 ] || { fail "encoding $name: $(cat "$T/err")"; continue; }
	run_btfenc dedup -o "$T/three.btf" "$T/one.btf" "$T/one.btf" "$T/one.btf"
	[ "$RC" -eq 0 ] || { fail "dedup of three $name copies: $(cat "$T/err")"; continue; }
	cmp -s "$T/one.btf" "$T/three.btf" ||
		fail "dedup of three copies of $name's BTF is not the BTF itself"
done

# 2. The kernel's BTF, linked with two copies of itself.
if [ -r /sys/kernel/btf/vmlinux ] && $have_bpftool; then
	run_btfenc dedup -o "$T/vm3.btf" /sys/kernel/btf/vmlinux /sys/kernel/btf/vmlinux \
		/sys/kernel/btf/vmlinux
	if [ "$RC" -ne 0 ]; then
		fail "dedup of three vmlinux copies: $(cat "$T/err")"
	else
		one=$(nr_types /sys/kernel/btf/vmlinux)
		three=$(nr_types "$T/vm3.btf")
		say "vmlinux: $one types; three copies deduplicated: $three"
		[ "$three" -le "$one" ] || fail "three vmlinux copies dedup to $three types, one has $one"
	fi
fi

# 3. Linking every fixture object: no larger than libbpf's dedup.
if [ -n "$LDEDUP" ] && $have_bpftool; then
	set --
	i=0
	while read -r name; do
		i=$((i + 1))
		run_btfenc --btf_encode_detached="$T/o$i.btf" "$(fixture "$name")"
		[ "$RC" -eq 0 ] && set -- "$@" "$T/o$i.btf"
	done < <(fixture_files '^[a-z]+-[a-z]+-(gcc|clang)-d5-O2\.o$')
	run_btfenc dedup -o "$T/ours.btf" "$@"
	[ "$RC" -eq 0 ] || fail "dedup of $# objects: $(cat "$T/err")"
	"$LDEDUP" "$T/theirs.btf" "$@"
	o=$(nr_types "$T/ours.btf")
	l=$(nr_types "$T/theirs.btf")
	say "$# objects linked: btfenc $o types, $(stat -c %s "$T/ours.btf") bytes;" \
		"libbpf $l types, $(stat -c %s "$T/theirs.btf") bytes"
	[ "$o" -le "$l" ] || fail "btfenc links $# objects into $o types, libbpf into $l"
	[ "$(stat -c %s "$T/ours.btf")" -le "$(stat -c %s "$T/theirs.btf")" ] ||
		fail "btfenc's linked BTF is larger than libbpf's"
fi

# 4. Split BTF.
base=$(fixture graph-gcc-d5-O2)
mod=$(fixture graph-main-gcc-d5-O2.o)
run_btfenc --btf_encode_detached="$T/base.btf" "$base"
[ "$RC" -eq 0 ] || fail "encoding the base: $(cat "$T/err")"
run_btfenc --btf_base="$T/base.btf" --btf_encode_detached="$T/split.btf" "$mod"
if [ "$RC" -ne 0 ]; then
	fail "split encoding: $(cat "$T/err")"
elif $have_bpftool; then
	n=$(nr_types "$T/split.btf" "$T/base.btf")
	[ "$n" -eq 0 ] || fail "an object whose types all are in the base gives $n split types"
fi
# With -j2 the base loads on a thread while the DWARF is decoded
# (src/cli/base_job.h); -j1 loads it first. The same bytes either way, and
# a base that cannot be loaded is one error line naming it.
for j in 1 2 8; do
	run_btfenc -j$j --btf_base="$T/base.btf" --btf_encode_detached="$T/split-j$j.btf" \
		"$(fixture graph-list-gcc-d5-O0.o)"
	[ "$RC" -eq 0 ] || fail "split encoding at -j$j: $(cat "$T/err")"
done
for j in 2 8; do
	cmp -s "$T/split-j1.btf" "$T/split-j$j.btf" || fail "split BTF differs between -j1 and -j$j"
done
for j in 1 2; do
	expect_fail 1 "$(ere_quote "$T/nobase.btf"): cannot open" \
		"$BTFENC" -j$j --btf_base="$T/nobase.btf" --btf_encode_detached="$T/x.btf" "$mod"
	printf 'garbage' >"$T/bad-base.btf"
	expect_fail 1 "$(ere_quote "$T/bad-base.btf"): " \
		"$BTFENC" -j$j --btf_base="$T/bad-base.btf" --btf_encode_detached="$T/x.btf" "$mod"
done
if [ -r /sys/kernel/btf/vmlinux ] && $have_bpftool; then
	run_btfenc --btf_base=/sys/kernel/btf/vmlinux --btf_encode_detached="$T/vsplit.btf" "$mod"
	if [ "$RC" -ne 0 ]; then
		fail "split encoding against vmlinux: $(cat "$T/err")"
	else
		first=$(bpftool -B /sys/kernel/btf/vmlinux btf dump file "$T/vsplit.btf" |
			sed -n 's/^\[\([0-9]*\)\].*/\1/p' | head -n 1)
		total=$(nr_types /sys/kernel/btf/vmlinux)
		[ "${first:-0}" -eq $((total + 1)) ] ||
			fail "split ids start at ${first:-none}, expected $((total + 1))"
	fi
fi

# 5. distilled_base: -J writes .BTF.base next to .BTF; the kernel accepts
#    the distilled base, bpftool reads the split BTF on top of it, and
#    btfenc dump finds the base in the file by itself.
if [ -r /sys/kernel/btf/vmlinux ]; then
	cp "$mod" "$T/mod.o"
	run_btfenc -J --btf_base=/sys/kernel/btf/vmlinux \
		--btf_features=default,distilled_base "$T/mod.o"
	if [ "$RC" -ne 0 ]; then
		fail "distilled_base encoding: $(cat "$T/err")"
	else
		boff=$(section_offset "$T/mod.o" .BTF.base)
		bsize=$(section_size "$T/mod.o" .BTF.base)
		soff=$(section_offset "$T/mod.o" .BTF)
		ssize=$(section_size "$T/mod.o" .BTF)
		if [ -z "$boff" ] || [ -z "$soff" ]; then
			fail "distilled_base: .BTF or .BTF.base missing"
		else
			dd if="$T/mod.o" of="$T/dbase" bs=1 skip="$boff" count="$bsize" 2>/dev/null
			dd if="$T/mod.o" of="$T/dsplit" bs=1 skip="$soff" count="$ssize" 2>/dev/null
			if [ -n "${BTFENC_KCHECK:-}" ]; then
				rc=0
				"$BTFENC_KCHECK" "$T/dbase" 2>"$T/kerr" || rc=$?
				[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] ||
					fail "the kernel rejects the distilled base: $(head -n 5 "$T/kerr")"
			fi
			if $have_bpftool; then
				bpftool -B "$T/dbase" btf dump file "$T/dsplit" >/dev/null 2>&1 ||
					fail "bpftool cannot read the split BTF on its distilled base"
			fi
			run_btfenc dump --format=raw "$T/mod.o"
			if [ "$RC" -ne 0 ] || [ ! -s "$T/out" ]; then
				fail "btfenc dump cannot read a module with .BTF.base: $(cat "$T/err")"
			fi
		fi
	fi
fi

finish
