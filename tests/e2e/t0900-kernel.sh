#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t0900-kernel: btfenc on a real kernel, Debian 12's 6.1 cloud kernel
# (scripts/fetch-kernel: vmlinux plus xfs, btrfs and a few small modules,
# each with its DWARF and the .BTF Debian's pahole 1.24 made).
#
# Runs only when the files are in the cache (BTFENC_KERNEL_DIR, default
# ${XDG_CACHE_HOME:-$HOME/.cache}/btfenc/kernel), or fetches them when
# BTFENC_FETCH_KERNEL=1; else skips. Suite 'kernel': scripts/ci.sh runs it
# in its gcc build (BTFENC_CI_KERNEL=0 leaves it out).
#
#  1. btfenc -j --btf_features=default --btf_encode_detached=OUT vmlinux
#     succeeds; the running kernel's verifier accepts OUT (when it lets us
#     ask); -j1 gives the same bytes.
#  2. Data types (all but FUNC, FUNC_PROTO, VAR, DATASEC, DECL_TAG) equal
#     Debian's vmlinux .BTF as a type graph (btf_canon, ids aside).
#  3. FUNC names against pahole 1.24 on the same file. Every name in one
#     and not the other must be explained:
#      - pahole has it, btfenc not: btfenc -V gave a skip reason, and it is
#        one of the checks pahole 1.24 does not make (EXPECTED_SKIPS below);
#      - btfenc has it, pahole not: the only ELF symbols of the name are
#        compiler clones (foo.isra.0, foo.constprop.0, foo.llvm.N), which
#        pahole 1.24 does not match and btfenc does with optimized_func (in
#        the default set, as pahole 1.25+).
#  4. Each module: split BTF against vmlinux's .BTF (--btf_base vmlinux)
#     that bpftool reads with -B, whose data types equal those of the
#     module's own .BTF (Debian's), so no more of them; FUNC names
#     against that .BTF (pahole 1.24's too), explained as in 3.
#  5. The kernel's own command lines (scripts/Makefile.btf, pahole >= 1.26
#     flags) work: vmlinux and modules; `pahole --version` through a
#     symlink named pahole prints v1.NN.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

KDIR=${BTFENC_KERNEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/btfenc/kernel}
if [ ! -s "$KDIR/vmlinux" ]; then
	[ "${BTFENC_FETCH_KERNEL:-0}" = 1 ] ||
		skip "no kernel in $KDIR (run scripts/fetch-kernel, or set BTFENC_FETCH_KERNEL=1)"
	# The package registry is the one network this may reach; without
	# it there is nothing to test against.
	"$BTFENC_SRCDIR/scripts/fetch-kernel" "$KDIR" >/dev/null ||
		skip "scripts/fetch-kernel could not fetch the kernel"
fi
VMLINUX=$KDIR/vmlinux
CANON=${BTFENC_CANON:-}
[ -n "$CANON" ] || skip "btf_canon was not built (libbpf-dev missing)"
require_tool bpftool
require_tool readelf

setup_tmpdir
KCHECK=${BTFENC_KCHECK:-}
LDEDUP=${BTFENC_LIBBPF_DEDUP:-}
KERNEL_MAX_BTF=$((16 * 1024 * 1024))	# the kernel's BTF_MAX_SIZE

# Skip reasons (btfenc -V: "skipping function NAME: REASON: ...") for a
# function pahole 1.24 encodes: checks that came with pahole 1.25 (ambiguous
# addresses, register and prototype consistency, optimized-out parameters,
# stack slots), and btfenc's rule that a function needs code of its own in
# some unit (not just a symbol, e.g. an identical-code-folded alias:
# "inlined everywhere: a symbol exists, but no unit has this function's
# code"). "no ELF symbol", "declaration only" and "unnamed parameter" are
# checks pahole 1.24 makes too: such a difference is a bug.
EXPECTED_SKIPS='ambiguous address|unexpected register|prototypes differ between units|optimized-out parameter with changed calling convention|uncertain stack slot|inlined everywhere'

# nr_types BTF [BASE]: how many types bpftool lists (split: only its own).
nr_types() {
	if [ $# -gt 1 ]; then
		bpftool -B "$2" btf dump file "$1" | grep -c '^\[' || true
	else
		bpftool btf dump file "$1" | grep -c '^\[' || true
	fi
}

# func_names BTF BASE: the FUNC names, sorted, each once (BASE: - or the
# base BTF of a split BTF).
func_names() {
	if [ "$2" = - ]; then
		bpftool btf dump file "$1"
	else
		bpftool -B "$2" btf dump file "$1"
	fi | sed -n "s/^\[[0-9]*\] FUNC '\([^']*\)'.*/\1/p" | sort -u
}

# same_types WHAT OURS_CANON THEIRS_CANON: compare btf_canon listings and
# say in a few lines where they differ.
same_types() {
	local what=$1 ours=$2 theirs=$3

	cmp -s "$theirs" "$ours" && return 0
	diff "$theirs" "$ours" >"$T/cdiff" || true
	fail "$what: data types differ from Debian's:" \
		"$(wc -l <"$ours") btfenc vs $(wc -l <"$theirs") Debian lines;" \
		"$(grep -c '^>' "$T/cdiff") only btfenc's, $(grep -c '^<' "$T/cdiff") only Debian's;" \
		"the most frequent (> btfenc, < Debian):"
	grep '^[<>]' "$T/cdiff" | cut -c 1-160 | sort | uniq -c | sort -rn | head -n 12 >&2
}

# explain_dedup BTF WHAT: when the data types differ, say whether libbpf's
# deduplication of btfenc's own output gives Debian's types (then the
# loader and encoder are right and btfenc's dedup is what differs).
explain_dedup() {
	[ -n "$LDEDUP" ] || return 0
	"$LDEDUP" "$T/ldd.btf" "$1" 2>/dev/null || return 0
	"$CANON" "$T/ldd.btf" >"$T/ldd.canon" 2>/dev/null || return 0
	if cmp -s "$T/deb.canon" "$T/ldd.canon"; then
		say "note ($2): libbpf's btf__dedup of btfenc's BTF gives exactly Debian's data types"
	fi
	# The most repeated struct names of btfenc's BTF.
	say "most repeated struct/union names in btfenc's BTF:"
	bpftool btf dump file "$1" | sed -n "s/^\[[0-9]*\] \(STRUCT\|UNION\) '\([^']*\)'.*/\2/p" |
		grep -v '^(anon)$' | sort | uniq -c | sort -rn | head -n 5
}

# same_funcs WHAT OURS THEIRS ERR ELF BASE: FUNC names of btfenc's BTF OURS
# against THEIRS (pahole 1.24's), explained (see the top) with btfenc's -V
# output ERR and ELF's symbols. BASE: base BTF for split files, or -.
same_funcs() {
	local what=$1 ours=$2 theirs=$3 err=$4 elf=$5 base=$6 tab

	tab=$(printf '\t')
	func_names "$ours" "$base" >"$T/ours.fn"
	func_names "$theirs" "$base" >"$T/theirs.fn"
	sed -n 's/^btfenc: skipping function \([^:]*\): \(.*\)$/\1\t\2/p' "$err" |
		sort -t "$tab" -k1,1 >"$T/skips"
	comm -23 "$T/theirs.fn" "$T/ours.fn" >"$T/only_theirs"
	comm -13 "$T/theirs.fn" "$T/ours.fn" >"$T/only_ours"
	say "$what: FUNC names: btfenc $(wc -l <"$T/ours.fn"), pahole 1.24 $(wc -l <"$T/theirs.fn");" \
		"only pahole's $(wc -l <"$T/only_theirs"), only btfenc's $(wc -l <"$T/only_ours")"
	# Only pahole's: each needs an expected reason.
	join -t "$tab" -a 1 "$T/only_theirs" "$T/skips" >"$T/why"
	if [ -s "$T/why" ]; then
		say "  why btfenc leaves out what pahole 1.24 encodes (names per reason):"
		cut -f 2 "$T/why" | sed 's/^\([^:]*\):.*/\1/; s/^$/(no reason given)/' |
			sort | uniq -c | sort -rn | sed 's/^/  /'
	fi
	awk -F '\t' 'NF < 2 || $2 == "" { print $1 }' "$T/why" >"$T/noreason"
	[ ! -s "$T/noreason" ] ||
		fail "$what: $(wc -l <"$T/noreason") functions pahole encodes are missing without a reason:" \
			"$(head -n 10 "$T/noreason" | tr '\n' ' ')"
	awk -F '\t' 'NF >= 2 && $2 != ""' "$T/why" |
		grep -v -E "$tab($EXPECTED_SKIPS)" >"$T/badreason" || true
	[ ! -s "$T/badreason" ] ||
		fail "$what: functions pahole 1.24 encodes left out for a reason pahole checks too:" \
			"$(head -n 10 "$T/badreason" | tr '\n' ';')"
	# Only ours: clones only.
	readelf -W -s "$elf" | awk '$4 == "FUNC" { print $8 }' | sort -u >"$T/syms"
	comm -12 "$T/only_ours" "$T/syms" >"$T/exact"
	[ ! -s "$T/exact" ] ||
		fail "$what: btfenc encodes functions pahole 1.24 leaves out although they have a symbol:" \
			"$(head -n 10 "$T/exact" | tr '\n' ' ')"
	sed -n 's/\.\(isra\|constprop\|llvm\)\..*$//p' "$T/syms" | sort -u >"$T/clones"
	comm -23 "$T/only_ours" "$T/clones" >"$T/unexplained"
	[ ! -s "$T/unexplained" ] ||
		fail "$what: btfenc encodes functions that have neither a symbol nor a clone:" \
			"$(head -n 10 "$T/unexplained" | tr '\n' ' ')"
	[ ! -s "$T/only_ours" ] ||
		say "  btfenc's extra functions: $(wc -l <"$T/only_ours"), whose only symbols are clones (optimized_func)"
}

# 1. Encode vmlinux.
say "encoding $VMLINUX"
run_btfenc -V -j --btf_features=default --btf_encode_detached="$T/vmlinux.btf" "$VMLINUX"
[ "$RC" -eq 0 ] || die "btfenc on vmlinux exited $RC: $(grep -v '^btfenc: skipping' "$T/err" | head -n 5)"
cp "$T/err" "$T/vmlinux.err"
size=$(stat -c %s "$T/vmlinux.btf")
say "vmlinux: btfenc $size bytes, $(nr_types "$T/vmlinux.btf") types;" \
	"Debian $(section_size "$VMLINUX" .BTF) bytes, $(nr_types "$VMLINUX") types"
if [ -n "$KCHECK" ]; then
	rc=0
	"$KCHECK" "$T/vmlinux.btf" 2>"$T/kerr" || rc=$?
	case $rc in
	0) say "the kernel's verifier accepts it" ;;
	77) say "kernel verifier check skipped (BPF_BTF_LOAD not permitted)" ;;
	*)
		if [ "$size" -gt "$KERNEL_MAX_BTF" ]; then
			fail "the kernel rejects vmlinux's BTF: $size bytes, over its 16 MiB limit"
		else
			fail "the kernel rejects vmlinux's BTF: $(head -c 2000 "$T/kerr")"
		fi
		;;
	esac
fi

# Reproducible: one thread gives the same bytes as all of them.
run_btfenc -j1 --btf_features=default --btf_encode_detached="$T/vmlinux1.btf" "$VMLINUX"
if [ "$RC" -ne 0 ]; then
	fail "btfenc -j1 on vmlinux exited $RC: $(head -n 3 "$T/err")"
elif ! cmp -s "$T/vmlinux.btf" "$T/vmlinux1.btf"; then
	fail "vmlinux: btfenc -j1 and -j give different bytes"
fi
rm -f "$T/vmlinux1.btf"

# 2. Data types against Debian's .BTF.
"$CANON" "$VMLINUX" >"$T/deb.canon" || die "btf_canon cannot read Debian's vmlinux .BTF"
"$CANON" "$T/vmlinux.btf" >"$T/ours.canon" || die "btf_canon cannot read btfenc's vmlinux BTF"
if ! cmp -s "$T/deb.canon" "$T/ours.canon"; then
	same_types vmlinux "$T/ours.canon" "$T/deb.canon"
	explain_dedup "$T/vmlinux.btf" vmlinux
fi

# 3. Functions against pahole 1.24.
if [ "$(pahole --version 2>/dev/null || true)" = v1.24 ]; then
	# Debian's flags for 6.1 (scripts/pahole-flags.sh with pahole 1.24).
	if ! pahole -j --btf_gen_floats --lang_exclude=rust \
		--btf_encode_detached="$T/pahole.btf" "$VMLINUX" >/dev/null 2>"$T/perr"; then
		fail "pahole 1.24 cannot encode vmlinux: $(head -n 3 "$T/perr")"
	else
		same_funcs vmlinux "$T/vmlinux.btf" "$T/pahole.btf" "$T/vmlinux.err" "$VMLINUX" -
	fi
else
	say "pahole 1.24 is not installed: no function comparison on vmlinux"
fi

# 4. Modules: split BTF against vmlinux; Debian's module .BTF was made by
# pahole 1.24 as well, so functions differ for the same reasons.
for ko in "$KDIR"/modules/*.ko; do
	[ -f "$ko" ] || continue
	m=$(basename "$ko" .ko)
	run_btfenc -V -j --btf_features=default --btf_base="$VMLINUX" \
		--btf_encode_detached="$T/$m.btf" "$ko"
	[ "$RC" -eq 0 ] || { fail "btfenc on $m.ko exited $RC: $(head -n 3 "$T/err")"; continue; }
	cp "$T/err" "$T/$m.err"
	if ! bpftool -B "$VMLINUX" btf dump file "$T/$m.btf" >/dev/null 2>"$T/berr"; then
		fail "bpftool -B vmlinux cannot read $m's split BTF: $(head -n 3 "$T/berr")"
		continue
	fi
	"$CANON" --base "$VMLINUX" "$ko" >"$T/deb.$m.canon" ||
		{ fail "btf_canon cannot read $m's own .BTF"; continue; }
	"$CANON" --base "$VMLINUX" "$T/$m.btf" >"$T/ours.$m.canon" ||
		{ fail "btf_canon cannot read btfenc's split BTF of $m"; continue; }
	say "$m: btfenc $(nr_types "$T/$m.btf" "$VMLINUX") types" \
		"($(wc -l <"$T/ours.$m.canon") data types), $(stat -c %s "$T/$m.btf") bytes;" \
		"Debian $(nr_types "$ko" "$VMLINUX") types ($(wc -l <"$T/deb.$m.canon") data types)," \
		"$(section_size "$ko" .BTF) bytes"
	[ "$(wc -l <"$T/ours.$m.canon")" -le "$(wc -l <"$T/deb.$m.canon")" ] ||
		fail "$m: btfenc's split BTF has more data types than Debian's"
	same_types "$m.ko" "$T/ours.$m.canon" "$T/deb.$m.canon"
	same_funcs "$m" "$T/$m.btf" "$ko" "$T/$m.err" "$ko" "$VMLINUX"
done

# 5. The kernel build's command lines (scripts/Makefile.btf, gen_btf).
KFEATURES=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs,attributes
run_btfenc -J -j2 --btf_features=$KFEATURES --lang_exclude=rust \
	--btf_encode_detached="$T/kvmlinux.btf" "$VMLINUX"
if [ "$RC" -ne 0 ]; then
	fail "the kernel's command line on vmlinux exited $RC: $(head -n 3 "$T/err")"
else
	"$CANON" "$T/kvmlinux.btf" >"$T/k.canon" || fail "btf_canon cannot read the kernel-flags BTF"
	cmp -s "$T/ours.canon" "$T/k.canon" ||
		fail "the kernel's feature list gives other data types than the default set"
	ko=$KDIR/modules/xfs.ko
	if [ -f "$ko" ]; then
		run_btfenc -J -j2 --btf_features=$KFEATURES --lang_exclude=rust \
			--btf_base "$T/kvmlinux.btf" --btf_encode_detached="$T/kxfs.btf" "$ko"
		if [ "$RC" -ne 0 ]; then
			fail "the kernel's command line on xfs.ko exited $RC: $(head -n 3 "$T/err")"
		elif ! bpftool -B "$T/kvmlinux.btf" btf dump file "$T/kxfs.btf" >/dev/null 2>&1; then
			fail "bpftool cannot read xfs's split BTF made with the kernel's flags"
		fi
	fi
fi
ln -s "$BTFENC" "$T/pahole"
v=$("$T/pahole" --version 2>&1 || true)
printf '%s\n' "$v" | grep -q -x 'v1\.[0-9][0-9]*' ||
	fail "\`pahole --version\` through a symlink prints '$v', not v1.NN"

finish
