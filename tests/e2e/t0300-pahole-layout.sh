#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Oracle test: `btfenc FILE` prints exactly what `pahole FILE` (dwarves 1.24,
# Debian 12) prints, for every fixture variant; and `btfenc -C LIST FILE`
# prints what `pahole -C LIST FILE` prints. Skipped without pahole.
#
# Where pahole 1.24 itself is wrong, pahole's output is corrected before the
# comparison, so that btfenc's truthful output is what is expected. Each
# correction is listed below (E1-E4) for named fixtures, structs and members
# only, so any other difference still fails the test:
#
# E1  graph, all variants, struct ops, member handlers: pahole prints an array
#     of function pointers as `int (*handlers)(int)[4]`, which is not C; the
#     expected line is `int (*handlers[4])(int)`.
# E2  clang variants, struct layout_all and struct packet: clang nests the
#     DIEs of anonymous structs/unions inside the struct that uses them, and
#     pahole 1.24 prints each of those definitions a second time, after the
#     member, as a bogus block ending in a bare "};" and an empty line. Those
#     blocks are removed from pahole's output (real inline members end with
#     "} name;" or "};" followed by the offset comment, and are kept).
# E3  layout, DWARF 5 variants, struct atomic_counters: pahole 1.24 does not
#     know DW_TAG_atomic_type; it prints "<ERROR(__class__fprintf:1609): 0 not
#     found!>" for the members refs, flags, current and ready and a "BRAIN
#     FART ALERT". The expected block is pahole's block for the DWARF 4 build
#     of the same file (DWARF 4 has no DW_TAG_atomic_type from gcc 12 or
#     clang 14, so the types are the plain ones and everything else is
#     right), with "_Atomic " put in front of the types of those 4 members.
# E4  btftags (clang), struct sock_common members uaddr, next, stats, names
#     and union tagged_union member p: pahole 1.24 prints the btf_type_tag
#     name ("user *", "rcu *") in place of the pointee type. The expected
#     types are the real ones (see T4 below).
#
# Files built with -fdebug-types-section (*-types) cannot be compared:
# pahole 1.24 aborts on them ("free(): invalid pointer"). For those, the set
# of struct/union names btfenc prints must equal the set pahole prints for
# the same build without type units (the printing order follows the units,
# which differ, and pahole's order-dependent packed inference follows that).
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
require_tool pahole
case $(pahole --version 2>/dev/null) in
v1.24) ;;
*) skip "the expectations are for pahole v1.24, found $(pahole --version 2>&1)" ;;
esac
setup_tmpdir

# run_pahole OUT ARGS...: pahole ARGS > OUT (stderr to OUT.err); fails on a
# crash or non-zero exit.
run_pahole() {
	local out=$1 rc=0

	shift
	pahole "$@" >"$out" 2>"$out.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "pahole $* exited $rc: $(head -n 3 "$out.err")"
		return 1
	fi
}

# E1
fix_e1() {
	awk '
		/^struct ops \{$/ { in_ops = 1 }
		in_ops && /^}/ { in_ops = 0 }
		in_ops { sub(/\(\*handlers\)\(int\)\[4\];/, "(*handlers[4])(int);") }
		{ print }'
}

# E2: inside the listed structs, drop blocks that open with a bare
# "struct {"/"union {" and close with a bare "};", plus the empty line after,
# at any depth. Blocks are buffered on a stack until their closing line.
fix_e2() {
	awk '
		function emit(l) {
			if (sp > 0) buf[sp] = buf[sp] l "\n"
			else print l
		}
		/^struct (layout_all|packet) \{$/ { in_s = 1 }
		in_s && /^}/ { in_s = 0 }
		skip_blank { skip_blank = 0; if ($0 == "") next }
		in_s && /^\t+(struct|union) \{$/ { buf[++sp] = $0 "\n"; next }
		sp > 0 && /^\t+}/ {
			if ($0 ~ /^\t+\};$/) {
				skip_blank = 1
				sp--
			} else {
				b = buf[sp--] $0
				emit(b)
			}
			next
		}
		{ emit($0) }'
}

# E3: print pahole's struct atomic_counters block of $1 (a DWARF 4 build)
# with _Atomic in front of the 4 atomic members' types.
atomic_block() {
	awk '
		/^struct atomic_counters \{$/ { p = 1 }
		p && /^\t[^\t\/<].* (refs|flags|current|ready);/ {
			line = substr($0, 2)
			type = substr(line, 1, 26); rest = substr(line, 28)
			sub(/ +$/, "", type)
			printf "\t%-26s %s\n", "_Atomic " type, rest
			next
		}
		p { print }
		p && /^}/ { exit }' "$1"
}

fix_e3() {
	awk -v blockfile="$1" '
		/^struct atomic_counters \{$/ {
			while ((getline l < blockfile) > 0) print l
			skipping = 1; next
		}
		skipping { if ($0 ~ /^}/) skipping = 0; next }
		{ print }'
}

# E4 (T4): member -> the type pahole should print, for the btftags fixture.
fix_e4() {
	awk '
		function retype(type) {
			line = substr($0, 2); rest = substr(line, 28)
			printf "\t%-26s %s\n", type, rest
		}
		/^(struct sock_common|union tagged_union) \{$/ { in_s = 1 }
		in_s && /^}/ { in_s = 0 }
		in_s && /^\tuser \* +uaddr;/ { retype("int *"); next }
		in_s && /^\trcu \* +next;/ { retype("struct sock_common *"); next }
		in_s && /^\trcu \* +stats;/ { retype("long *"); next }
		in_s && /^\trcu \* +names;/ { retype("char * *"); next }
		in_s && /^\tuser \* +p;/ { retype("void *"); next }
		{ print }'
}

# expected_for NAME: pahole's output for fixture NAME, corrected, on stdout.
expected_for() {
	local name=$1 path

	path=$(fixture "$name")
	run_pahole "$T/p.raw" "$path" || return 1
	cp "$T/p.raw" "$T/p.fixed"
	case $name in
	graph-*)
		fix_e1 <"$T/p.fixed" >"$T/p.tmp" && mv "$T/p.tmp" "$T/p.fixed"
		;;
	esac
	case $name in
	*-clang-*)
		fix_e2 <"$T/p.fixed" >"$T/p.tmp" && mv "$T/p.tmp" "$T/p.fixed"
		;;
	esac
	case $name in
	layout-*-d5-*)
		if grep -q '^struct atomic_counters {$' "$T/p.fixed"; then
			local d4
			d4=$(printf '%s\n' "$name" | sed 's/-d5-/-d4-/; s/\.o\.gz$/.o/')
			run_pahole "$T/p.d4" "$(fixture "$d4")" || return 1
			atomic_block "$T/p.d4" >"$T/atomic.block"
			[ -s "$T/atomic.block" ] || die "no struct atomic_counters in pahole $d4"
			fix_e3 "$T/atomic.block" <"$T/p.fixed" >"$T/p.tmp"
			mv "$T/p.tmp" "$T/p.fixed"
		fi
		;;
	esac
	case $name in
	btftags-*)
		fix_e4 <"$T/p.fixed" >"$T/p.tmp" && mv "$T/p.tmp" "$T/p.fixed"
		;;
	esac
	cat "$T/p.fixed"
}

# The sorted, unique names of the top-level structs and unions in a file.
type_names() {
	grep -E '^(struct|union) [A-Za-z_][A-Za-z0-9_]* \{' "$1" | sed 's/ {.*//' | sort -u
}

n=0
for name in $(fixture_files); do
	path=$(fixture "$name")
	run_btfenc "$path"
	if [ "$RC" -ne 0 ]; then
		[ "$RC" -eq 255 ] || fail "btfenc $name exited $RC: $(cat "$T/err")"
		continue
	fi
	cp "$T/out" "$T/b.out"
	case $name in
	*-types | *-types.o)
		sibling=$(printf '%s\n' "$name" | sed 's/-types//')
		run_pahole "$T/p.sib" "$(fixture "$sibling")" || continue
		type_names "$T/p.sib" >"$T/names.expected"
		type_names "$T/b.out" >"$T/names.actual"
		compare "$T/names.expected" "$T/names.actual" "struct/union names of btfenc $name"
		;;
	*)
		expected_for "$name" >"$T/expected" || continue
		compare "$T/expected" "$T/b.out" "btfenc $name"
		;;
	esac
	n=$((n + 1))
done
say "compared $n fixture files with pahole"

# -C: the same selection, in pahole's order and forms (typedefs, enums).
for sel in record,qualified stats_t,word_t signed_vals,big_unsigned,big_signed,small_enum \
	   counter_t,record_p,int_matrix_t qualified,no_such_type,record; do
	for name in symbols-gcc-d5-O2 symbols-clang-d4-O0 symbols-a-gcc-d4-O2.o; do
		[ -n "$(fixture_files "^$name\$")" ] || continue
		path=$(fixture "$name")
		run_btfenc -C "$sel" "$path"
		[ "$RC" -le 1 ] || { fail "btfenc -C $sel $name exited $RC"; continue; }
		run_pahole "$T/p.sel" -C "$sel" "$path" || continue
		compare "$T/p.sel" "$T/out" "btfenc -C $sel $name"
	done
done
for sel in ops,packet,value,message,zero_len,matrix list_head,tree_node,edge,vertex; do
	for name in graph-gcc-d4-O2 graph-clang-d5-O0; do
		[ -n "$(fixture_files "^$name\$")" ] || continue
		path=$(fixture "$name")
		run_btfenc -C "$sel" "$path"
		[ "$RC" -le 1 ] || { fail "btfenc -C $sel $name exited $RC"; continue; }
		run_pahole "$T/p.sel" -C "$sel" "$path" || continue
		case $name in
		*-clang-*) fix_e2 <"$T/p.sel" | fix_e1 >"$T/p.fixed" ;;
		*) fix_e1 <"$T/p.sel" >"$T/p.fixed" ;;
		esac
		compare "$T/p.fixed" "$T/out" "btfenc -C $sel $name"
	done
done
finish
