#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t0500-encode: BTF encoding of every fixture variant.
#
# For each fixture: btfenc --btf_encode_detached must succeed; the kernel's
# BTF verifier must accept the result (where BPF_BTF_LOAD is permitted);
# bpftool must parse it; and, where Debian's pahole 1.24 can encode the same
# file, the data types (everything but FUNC, FUNC_PROTO, VAR, DATASEC,
# DECL_TAG) of btfenc's output, deduplicated with libbpf, must equal those of
# `pahole -J` as a type graph (btf_canon prints both without ids).
#
# Then -J in place: a new .BTF in an object and an executable (which must
# still run), a replaced .BTF, and a big-endian object giving big-endian BTF.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

setup_tmpdir
KCHECK=${BTFENC_KCHECK:-}
CANON=${BTFENC_CANON:-}
LDEDUP=${BTFENC_LIBBPF_DEDUP:-}
have_bpftool=false
command -v bpftool >/dev/null 2>&1 && have_bpftool=true
have_pahole=false
[ "$(pahole --version 2>/dev/null || true)" = v1.24 ] && have_pahole=true
kernel_checked=0
pahole_compared=0

# kcheck BTF WHAT: the kernel's verifier must not reject BTF.
kcheck() {
	local rc=0

	[ -n "$KCHECK" ] || return 0
	"$KCHECK" "$1" 2>"$T/kerr" || rc=$?
	case $rc in
	0) kernel_checked=$((kernel_checked + 1)) ;;
	77) ;;
	*)
		fail "kernel rejects the BTF of $2:"
		head -n 30 "$T/kerr" >&2
		;;
	esac
}

# same_as_pahole FIXTURE BTF: compare data types with pahole -J's.
same_as_pahole() {
	local f=$1 ours=$2

	$have_pahole && [ -n "$CANON" ] && [ -n "$LDEDUP" ] || return 0
	case $f in
	*-types.o | *-types)
		# pahole 1.24 mishandles type units: in an object (one
		# .debug_types section per unit) it reads only the first, and
		# in an executable it encodes the types it reaches through
		# DW_FORM_ref_sig8 as empty structs or void. Nothing to
		# compare with.
		return 0
		;;
	esac
	cp "$f" "$T/p.o"
	# pahole 1.24 cannot encode some inputs at all (it aborts on _Atomic
	# and on type units in objects); nothing to compare with then.
	pahole -J "$T/p.o" >/dev/null 2>&1 || return 0
	"$CANON" "$T/p.o" >"$T/p.canon" 2>/dev/null || return 0
	"$LDEDUP" "$T/o.dd" "$ours" || { fail "libbpf cannot dedup the BTF of $f"; return 0; }
	"$CANON" "$T/o.dd" >"$T/o.canon" || { fail "libbpf cannot read the BTF of $f"; return 0; }
	case $f in
	*/layout-*)
		# pahole 1.24 cannot read _Atomic: it encodes struct
		# atomic_counters with wrong member types (and a second
		# layout_all that holds it). Compare everything else.
		sed -i '/atomic_counters\|layout_all/d' "$T/p.canon" "$T/o.canon"
		;;
	*-d2-*)
		# Strict DWARF 2 gives enums no DW_AT_type; pahole 1.24 then
		# marks every ENUM64 unsigned, even one with negative values.
		# btfenc keeps the signedness the values show. Compare the
		# rest of those lines.
		sed -i 's/^\(enum64 [^{]*\) \(un\)\{0,1\}signed {/\1 {/' "$T/p.canon" "$T/o.canon"
		;;
	esac
	compare "$T/p.canon" "$T/o.canon" "data types of $(basename "$f") (btfenc vs pahole -J)"
	pahole_compared=$((pahole_compared + 1))
}

# section_table FILE: name, type, offset and size of every section but .BTF
# and .shstrtab (which grows by the new name and may move).
section_table() {
	readelf -W -S "$1" | sed -n 's/^ *\[ *[0-9]*\] *//p' |
		awk '$1 != ".BTF" && $1 != ".shstrtab" && $1 != "Name" { print $1, $2, $4, $5 }'
}

while read -r name; do
	f=$(fixture "$name")
	run_btfenc --btf_encode_detached="$T/x.btf" "$f"
	if [ "$RC" -ne 0 ]; then
		[ "$RC" -eq 255 ] || { fail "encoding $name exited $RC:"; sed 's/^/    /' "$T/err" >&2; }
		continue
	fi
	kcheck "$T/x.btf" "$name"
	if $have_bpftool && ! bpftool btf dump file "$T/x.btf" >/dev/null 2>"$T/berr"; then
		fail "bpftool cannot read the BTF of $name: $(head -n 3 "$T/berr")"
	fi
	case $name in
	*.gz) ;;
	*) same_as_pahole "$f" "$T/x.btf" ;;
	esac
done < <(fixture_files .)

# -J into an object and into an executable, then again (replace).
for name in graph-main-gcc-d5-O2.o graph-gcc-d5-O2; do
	f=$(fixture "$name")
	cp "$f" "$T/in"
	section_table "$T/in" >"$T/before"
	for round in new replaced; do
		run_btfenc -J "$T/in"
		[ "$RC" -eq 0 ] || { fail "-J $name ($round) exited $RC: $(cat "$T/err")"; continue; }
		readelf -W -S "$T/in" | grep -q ' \.BTF ' || fail "-J $name ($round): no .BTF section"
		section_table "$T/in" >"$T/after"
		compare "$T/before" "$T/after" "sections of $name after -J ($round)"
		if $have_bpftool; then
			bpftool btf dump file "$T/in" >/dev/null 2>&1 ||
				fail "bpftool cannot read .BTF of $name after -J ($round)"
		fi
	done
	case $name in
	*.o) ;;
	*)
		chmod +x "$T/in"
		"$T/in" >/dev/null 2>&1 || [ $? -lt 128 ] || fail "$name crashes after -J"
		;;
	esac
done

# A big-endian object gives big-endian BTF.
if command -v clang >/dev/null 2>&1; then
	cat >"$T/be.c" <<'EOF'
struct be { int a; long b; unsigned c:3; };
struct be be_var;
int be_fn(struct be *p) { return p->a; }
EOF
	if clang --target=s390x-linux-gnu -g -O1 -c "$T/be.c" -o "$T/be.o" 2>/dev/null; then
		run_btfenc --btf_encode_detached="$T/be.btf" "$T/be.o"
		if [ "$RC" -ne 0 ]; then
			fail "encoding a big-endian object exited $RC: $(cat "$T/err")"
		elif [ "$(head -c 2 "$T/be.btf" | od -An -tx1 | tr -d ' ')" != eb9f ]; then
			fail "BTF of a big-endian object is not big-endian"
		elif $have_bpftool && ! bpftool btf dump file "$T/be.btf" | grep -q "STRUCT 'be' size=24"; then
			fail "bpftool cannot read the big-endian BTF"
		fi
	fi
fi

# Empty DW_AT_name strings are no names: a struct and members named ""
# encode exactly as the same DWARF without the attribute (hand-made units,
# tests/tools/gen-dwarf.sh, x86-64 `as` only).
if [ "$(uname -m)" = x86_64 ] && command -v as >/dev/null 2>&1; then
	for shape in empty-names no-names; do
		"$BTFENC_SRCDIR/tests/tools/gen-dwarf.sh" "$shape" >"$T/$shape.s"
		as "$T/$shape.s" -o "$T/$shape.o" || die "as cannot assemble $shape"
		run_btfenc --btf_encode_detached="$T/$shape.btf" "$T/$shape.o"
		[ "$RC" -eq 0 ] || fail "encoding $shape exited $RC: $(cat "$T/err")"
		kcheck "$T/$shape.btf" "$shape"
		expect_ok "$T/$shape.o"
		cp "$T/out" "$T/$shape.layout"
	done
	cmp -s "$T/no-names.btf" "$T/empty-names.btf" ||
		fail "empty names encode differently from no names"
	compare "$T/no-names.layout" "$T/empty-names.layout" "layout with empty names"
	run_btfenc dump --format=raw "$T/empty-names.btf"
	if grep -q "''" "$T/out" || [ "$(grep -c "'(anon)'" "$T/out")" -ne 4 ]; then
		fail "empty names are not anonymous in BTF:"
		sed 's/^/    /' "$T/out" >&2
	fi
fi

say "kernel verifier checks: $kernel_checked; pahole comparisons: $pahole_compared"
finish
