#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t0700-c-header: the `c` format (btfp_c__print) writes compilable headers
# with exact layouts, deterministically and independently of type ids.
#
# For every fixture: encode with --btf_encode_detached, print the header
# (tests/tools/btf_c_tool until `btfenc dump --format=c` lands), compile it
# with gcc and clang (-fsyntax-only -x c, each where installed) together with
# _Static_assert()s generated from the BTF (bpftool's raw dump, where
# installed): sizeof of every uniquely named struct and union, offsetof of
# their byte-aligned named members. A second print must be identical.
#
# Then /sys/kernel/btf/vmlinux (skipped where unreadable): the vmlinux.h
# must pass the same checks with the host clang and build a tiny CO-RE BPF
# program with clang -target bpf -O2 -c; and the same BTF with its type ids
# (and strings) shuffled must print the very same header.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

TOOL=${BTFENC_C_TOOL:-}
if [ -z "$TOOL" ] || [ ! -x "$TOOL" ]; then
	skip "BTFENC_C_TOOL is not set (tests/tools/btf_c_tool)"
fi
setup_tmpdir

ccs=""
for cc in gcc clang; do
	command -v "$cc" >/dev/null 2>&1 && ccs="$ccs $cc"
done
[ -n "$ccs" ] || skip "neither gcc nor clang is installed"
have_bpftool=false
command -v bpftool >/dev/null 2>&1 && have_bpftool=true

# asserts BTF: _Static_assert lines for BTF's uniquely named structs/unions.
asserts() {
	$have_bpftool || return 0
	bpftool btf dump file "$1" | awk '
	/^\[/ {
		kind = $2; name = $3; gsub(/\047/, "", name); cur = ""
		if (kind ~ /^(STRUCT|UNION|ENUM|ENUM64|FWD)$/ && name != "(anon)")
			cnt[name]++
		if ((kind == "STRUCT" || kind == "UNION") && name != "(anon)") {
			n++; kw[n] = tolower(kind); nm[n] = name; cur = n
			for (i = 4; i <= NF; i++)
				if ($i ~ /^size=/)
					sz[n] = substr($i, 6)
		}
		next
	}
	cur != "" && /^\t\047/ {
		m = $1; gsub(/\047/, "", m)
		if (m == "(anon)" || $0 ~ /bitfield_size=[1-9]/)
			next
		for (i = 2; i <= NF; i++)
			if ($i ~ /^bits_offset=/)
				off = substr($i, 13)
		if (off % 8)
			next
		k = ++nmem[cur]; mn[cur, k] = m; mo[cur, k] = off / 8
	}
	END {
		for (i = 1; i <= n; i++) {
			if (cnt[nm[i]] != 1)
				continue
			printf "_Static_assert(sizeof(%s %s) == %s, \"%s\");\n", kw[i], nm[i], sz[i], nm[i]
			for (k = 1; k <= nmem[i]; k++)
				printf "_Static_assert(__builtin_offsetof(%s %s, %s) == %d, \"%s.%s\");\n",
					kw[i], nm[i], mn[i, k], mo[i, k], nm[i], mn[i, k]
		}
	}'
}

# check_header BTF HEADER WHAT CC...: compile HEADER with the asserts.
check_header() {
	local btf=$1 hdr=$2 what=$3 cc

	shift 3
	{ cat "$hdr"; asserts "$btf"; } >"$T/check.c"
	for cc in "$@"; do
		if ! "$cc" -fsyntax-only -Wno-unknown-pragmas -Wno-attributes \
			-x c "$T/check.c" >"$T/cc.out" 2>&1; then
			fail "$cc rejects the header of $what:"
			grep -m 20 -E 'error' "$T/cc.out" >&2 || head -n 20 "$T/cc.out" >&2
		fi
	done
}

# print_twice BTF HEADER WHAT: print, and print again: same text.
print_twice() {
	if ! "$TOOL" "$1" >"$2" 2>"$T/err"; then
		fail "cannot print $3: $(cat "$T/err")"
		return 1
	fi
	"$TOOL" "$1" >"$T/again.h" 2>/dev/null || true
	cmp -s "$2" "$T/again.h" || fail "two prints of $3 differ"
	return 0
}

checked=0
# shellcheck disable=SC2119 # every fixture: no pattern
for f in $(fixture_files); do
	case $f in
	*.gz) continue ;;	# the same objects as their uncompressed twins
	esac
	path=$(fixture "$f")
	run_btfenc --btf_encode_detached="$T/x.btf" "$path"
	# Files btfenc cannot encode are t0500's business.
	[ "$RC" -eq 0 ] || continue
	print_twice "$T/x.btf" "$T/x.h" "$f" || continue
	# shellcheck disable=SC2086
	check_header "$T/x.btf" "$T/x.h" "$f" $ccs
	checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || fail "no fixture was checked"
say "checked the headers of $checked fixtures"

VMLINUX=/sys/kernel/btf/vmlinux
if [ ! -r "$VMLINUX" ]; then
	say "no readable $VMLINUX: kernel part skipped"
	finish
fi
print_twice "$VMLINUX" "$T/vmlinux.h" "$VMLINUX" || finish
if command -v clang >/dev/null 2>&1; then
	check_header "$VMLINUX" "$T/vmlinux.h" "$VMLINUX" clang
	cat >"$T/prog.c" <<'PROG'
#include "vmlinux.h"
#if __has_include(<bpf/bpf_helpers.h>)
#include <bpf/bpf_helpers.h>
#else
#define SEC(name) __attribute__((section(name), used))
static long (*bpf_get_current_task)(void) = (void *)35;
static long (*bpf_probe_read_kernel)(void *dst, unsigned int size, const void *src) = (void *)113;
#endif

char LICENSE[] SEC("license") = "GPL";
int seen;

SEC("tp/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	int pid;

	/* CO-RE: the field offsets are relocated (preserve_access_index). */
	bpf_probe_read_kernel(&pid, sizeof(pid), &task->tgid);
	seen = pid;
	return 0;
}
PROG
	if ! clang -target bpf -O2 -g -c -I"$T" "$T/prog.c" -o "$T/prog.o" >"$T/cc.out" 2>&1; then
		fail "clang -target bpf cannot build a program on vmlinux.h:"
		head -n 20 "$T/cc.out" >&2
	elif command -v bpftool >/dev/null 2>&1 &&
		! bpftool btf dump file "$T/prog.o" 2>/dev/null | grep -q "STRUCT 'task_struct'"; then
		fail "the BPF program carries no CO-RE record of task_struct"
	fi
else
	say "no clang: vmlinux.h compile checks skipped"
fi
# Shuffled ids, shuffled strings: the same header.
if "$TOOL" --shuffle 7 "$VMLINUX" "$T/shuffled.btf" 2>"$T/err"; then
	"$TOOL" "$T/shuffled.btf" >"$T/shuffled.h" 2>"$T/err" ||
		fail "cannot print the shuffled vmlinux BTF: $(cat "$T/err")"
	compare "$T/vmlinux.h" "$T/shuffled.h" "the header of the shuffled vmlinux BTF"
else
	fail "cannot shuffle $VMLINUX: $(cat "$T/err")"
fi
finish
