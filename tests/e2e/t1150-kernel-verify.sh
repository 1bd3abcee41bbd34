#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t1150-kernel-verify: `btfenc verify` and --explain on a real kernel, the
# Debian 12 vmlinux and modules scripts/fetch-kernel caches (skipped when
# they are not there; suite 'kernel', a few minutes).
#
#  1. btfenc -j2 --btf_features=default --explain=J --btf_encode_detached=B
#     vmlinux; verify --btf=B vmlinux passes, and no function J explains
#     is in B.
#  2. verify passes on Debian's own .BTF of vmlinux (pahole 1.24).
#  3. verify catches B with a member offset, an enumerator and a struct
#     size changed (tests/tools/btf_mutate): exactly those three.
#  4. Each module: split BTF encoded against B verifies with --btf_base=B,
#     and the module's own .BTF (Debian's) with --btf_base=vmlinux.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

KDIR=${BTFENC_KERNEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/btfenc/kernel}
[ -s "$KDIR/vmlinux" ] || skip "no kernel in $KDIR (run scripts/fetch-kernel)"
VMLINUX=$KDIR/vmlinux
MUTATE=${BTFENC_MUTATE:-}
[ -n "$MUTATE" ] || die "BTFENC_MUTATE is not set"
setup_tmpdir

# verify_ok WHAT ARGS...: btfenc verify ARGS must exit 0.
verify_ok() {
	local what=$1

	shift
	run_btfenc verify -j2 "$@"
	if [ "$RC" -ne 0 ]; then
		fail "verify $what exited $RC:"
		head -n 10 "$T/out" "$T/err" >&2
	else
		say "$what: $(tail -n 1 "$T/out" | sed 's/^[^:]*: //')"
	fi
}

# 1. btfenc's BTF of vmlinux.
run_btfenc -j2 --btf_features=default --explain="$T/vmlinux.json" \
	--btf_encode_detached="$T/vmlinux.btf" "$VMLINUX"
[ "$RC" -eq 0 ] || die "encoding vmlinux exited $RC: $(head -n 3 "$T/err")"
verify_ok "btfenc's vmlinux BTF" --btf="$T/vmlinux.btf" "$VMLINUX"
sed -n 's/^{"kind":"function","name":"\([^"]*\)".*/\1/p' "$T/vmlinux.json" | sort -u >"$T/ef"
"$BTFENC" dump --format=raw "$T/vmlinux.btf" |
	sed -n "s/^\[[0-9]*\] FUNC '\([^']*\)'.*/\1/p" | sort -u >"$T/bf"
{ [ -s "$T/ef" ] && [ -s "$T/bf" ]; } || fail "no explained or no encoded functions"
comm -12 "$T/ef" "$T/bf" >"$T/both"
[ -s "$T/both" ] && fail "explained yet encoded: $(head -n 5 "$T/both" | tr '\n' ' ')"
say "vmlinux: $(wc -l <"$T/ef") functions explained, none of them encoded"

# 2. Debian's BTF.
verify_ok "Debian's vmlinux .BTF" "$VMLINUX"

# 3. Corrupted: task_struct's pid 16 bits further (before tgid still),
#    PIDTYPE_PGID = 7, sk_buff 8 bytes larger.
"$BTFENC" dump --format=raw "$T/vmlinux.btf" >"$T/raw"
pid=$(awk '/^\[[0-9]+\] STRUCT .task_struct. size/ { p = 1; next } p && /^\[/ { exit }
	   p && /^\t.pid. / { sub(/.*bits_offset=/, ""); print; exit }' "$T/raw")
skb=$(sed -n "s/^\[[0-9]*\] STRUCT 'sk_buff' size=\([0-9]*\) .*/\1/p" "$T/raw" | head -n 1)
pgid=$(sed -n "s/^\t'PIDTYPE_PGID' val=\([0-9]*\)$/\1/p" "$T/raw" | head -n 1)
{ [ -n "$pid" ] && [ -n "$skb" ] && [ -n "$pgid" ]; } || die "no task_struct.pid, sk_buff or PIDTYPE_PGID"
"$MUTATE" "$T/vmlinux.btf" "$T/bad.btf" "member:task_struct.pid=$((pid + 16))" \
	enum:PIDTYPE_PGID=7 "size:sk_buff=$((skb + 8))" || die "btf_mutate failed"
run_btfenc verify -j2 --btf="$T/bad.btf" "$VMLINUX"
[ "$RC" -eq 1 ] || fail "verify of the corrupted BTF exited $RC"
for re in ": mismatch: struct task_struct \[BTF id [0-9]+\] \(DIE 0x[0-9a-f]+ in .*\): line [0-9]+: DWARF 'pid: pid_t @$pid', BTF 'pid: pid_t @$((pid + 16))'\$" \
	  ": mismatch: enum pid_type .*DWARF 'PIDTYPE_PGID = $pgid', BTF 'PIDTYPE_PGID = 7'\$" \
	  ": mismatch: struct sk_buff .*DWARF 'struct sk_buff size $skb', BTF 'struct sk_buff size $((skb + 8))'\$" \
	  ": 3 mismatches, 0 not in DWARF, 0 lost\$"; do
	grep -q -E -- "$re" "$T/out" || fail "corrupted vmlinux BTF: no line matches /$re/"
done
say "corrupted vmlinux BTF: the three changes are caught"

# 4. Modules.
for ko in "$KDIR"/modules/*.ko; do
	[ -e "$ko" ] || continue
	m=$(basename "$ko" .ko)
	run_btfenc -j2 --btf_features=default --btf_base="$T/vmlinux.btf" \
		--btf_encode_detached="$T/$m.btf" "$ko"
	[ "$RC" -eq 0 ] || { fail "encoding $m exited $RC: $(head -n 3 "$T/err")"; continue; }
	verify_ok "btfenc's $m BTF" --btf="$T/$m.btf" --btf_base="$T/vmlinux.btf" "$ko"
	verify_ok "Debian's $m .BTF" --btf_base="$VMLINUX" "$ko"
done
finish
