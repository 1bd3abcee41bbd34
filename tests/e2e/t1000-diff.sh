#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t1000-diff: btfenc diff OLD NEW on pairs of objects built here from
# tests/fixtures/src/diff/diff.c, plain and with one -D switch each (one
# change per switch): the exact text, exit 0 when equal and 1 when not,
# -C, --only, --json, --color, raw BTF and -F dwarf inputs, and errors
# (exit 2, one line on stderr).
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
setup_tmpdir

CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || skip "no C compiler ($CC)"
SRC=$BTFENC_SRCDIR/tests/fixtures/src/diff/diff.c
build() {	# build NAME [FLAGS...]
	local name=$1

	shift
	"$CC" -g -O0 -c "$@" "$SRC" -o "$T/$name.o" || die "cannot compile $SRC $*"
}
build base
for v in MEMBER_ADDED MEMBER_REMOVED MEMBER_RETYPED MEMBER_MOVED INNER_RETYPED \
	 ENUM_VALUE FUNC_DROPPED TYPEDEF PROTO; do
	build "$v" "-D$v"
done

# expect_diff RC EXPECTED ARGS...: btfenc diff ARGS exits RC, prints EXPECTED
# on stdout and nothing on stderr.
expect_diff() {
	local rc=$1 expected=$2

	shift 2
	run_btfenc diff "$@"
	[ "$RC" -eq "$rc" ] || fail "diff $* exited $RC, expected $rc: $(cat "$T/err")"
	[ -s "$T/err" ] && fail "diff $* wrote to stderr: $(cat "$T/err")"
	compare_text "$expected" "$T/out" "diff $*"
}

B=$T/base.o

# --- equal: exit 0 -------------------------------------------------------------
expect_diff 0 "0 added, 0 removed, 0 changed" "$B" "$B"

# --- one change each -------------------------------------------------------------
expect_diff 1 "~ struct point: size 8 -> 12
  + member z: int @ offset 8
0 added, 0 removed, 1 changed" "$B" "$T/MEMBER_ADDED.o"

expect_diff 1 "~ struct rec
  - member gone: short int @ offset 14
- int short int
0 added, 1 removed, 1 changed" "$B" "$T/MEMBER_REMOVED.o"

expect_diff 1 "~ struct rec
  ~ member flags: unsigned int -> int
0 added, 0 removed, 1 changed" "$B" "$T/MEMBER_RETYPED.o"

expect_diff 1 "~ struct rec
  ~ member b: offset 13 -> 12
  ~ member a: offset 12 -> 13
0 added, 0 removed, 1 changed" "$B" "$T/MEMBER_MOVED.o"

expect_diff 1 "~ struct rec
  ~ member u.x: int -> unsigned int
0 added, 0 removed, 1 changed" "$B" "$T/INNER_RETYPED.o"

expect_diff 1 "~ enum color
  ~ GREEN = 2 -> 7
0 added, 0 removed, 1 changed" "$B" "$T/ENUM_VALUE.o"

expect_diff 1 "- func scale: int (struct rec *, int)
0 added, 1 removed, 0 changed" "$B" "$T/FUNC_DROPPED.o"

# The typedef changes once; struct rec's layout changes with it.
expect_diff 1 "~ typedef handle_t: int -> long int
+ int long int
~ struct rec: size 24 -> 32
  ~ member h: offset 20 -> 24
1 added, 0 removed, 2 changed" "$B" "$T/TYPEDEF.o"

expect_diff 1 "+ int long int
~ func area: param 2: int -> long int
1 added, 0 removed, 1 changed" "$B" "$T/PROTO.o"

# Backwards, additions are removals.
expect_diff 1 "+ func scale: int (struct rec *, int)
1 added, 0 removed, 0 changed" "$T/FUNC_DROPPED.o" "$B"

# --- -C and --only -----------------------------------------------------------------
expect_diff 1 "~ func area: param 2: int -> long int
0 added, 0 removed, 1 changed" -C area "$B" "$T/PROTO.o"
expect_diff 0 "0 added, 0 removed, 0 changed" -C rec,point "$B" "$T/PROTO.o"
expect_diff 1 "~ func area: param 2: int -> long int
0 added, 0 removed, 1 changed" --only=funcs "$B" "$T/PROTO.o"
expect_diff 1 "+ int long int
1 added, 0 removed, 0 changed" --only=types "$B" "$T/PROTO.o"
expect_diff 0 "0 added, 0 removed, 0 changed" --only=vars "$B" "$T/TYPEDEF.o"
expect_diff 1 "~ typedef handle_t: int -> long int
+ int long int
~ struct rec: size 24 -> 32
  ~ member h: offset 20 -> 24
1 added, 0 removed, 2 changed" --only=types,vars "$B" "$T/TYPEDEF.o"

# --- sources: raw BTF, -F dwarf ------------------------------------------------------
"$BTFENC" --btf_encode_detached="$T/base.btf" "$B" || fail "cannot encode base.o"
"$BTFENC" --btf_encode_detached="$T/proto.btf" "$T/PROTO.o" || fail "cannot encode PROTO.o"
expect_diff 1 "+ int long int
~ func area: param 2: int -> long int
1 added, 0 removed, 1 changed" "$T/base.btf" "$T/proto.btf"
expect_diff 0 "0 added, 0 removed, 0 changed" "$T/base.btf" "$B"
expect_diff 0 "0 added, 0 removed, 0 changed" -F dwarf "$B" "$B"
# Split BTF on base.btf: only each side's own types are compared.
"$BTFENC" --btf_base="$T/base.btf" --btf_encode_detached="$T/split.btf" "$T/PROTO.o" ||
	fail "cannot encode split BTF"
expect_diff 0 "0 added, 0 removed, 0 changed" --btf_base="$T/base.btf" \
	"$T/split.btf" "$T/split.btf"
# The same object split on two bases: on proto.btf nothing is left of it.
"$BTFENC" --btf_base="$T/proto.btf" --btf_encode_detached="$T/split2.btf" "$T/PROTO.o" ||
	fail "cannot encode split BTF"
expect_diff 1 "- int long int
- func area: int (struct point *, long int)
0 added, 2 removed, 0 changed" --btf_base_old="$T/base.btf" --btf_base_new="$T/proto.btf" \
	"$T/split.btf" "$T/split2.btf"

# --- --json ----------------------------------------------------------------------------
expect_diff 1 '{"old":"'"$B"'","new":"'"$T"'/ENUM_VALUE.o","changes":[{"entity":"enum","name":"color","op":"changed","field":"enumerator_value","item":"GREEN","old":2,"new":7}],"summary":{"added":0,"removed":0,"changed":1}}' \
	--json "$B" "$T/ENUM_VALUE.o"
expect_diff 1 '{
  "old": "'"$B"'",
  "new": "'"$T"'/MEMBER_ADDED.o",
  "changes": [
    {
      "entity": "struct",
      "name": "point",
      "op": "changed",
      "field": "size",
      "old": 8,
      "new": 12
    },
    {
      "entity": "struct",
      "name": "point",
      "op": "added",
      "field": "member",
      "item": "z",
      "new": "int",
      "bit_offset": 64,
      "bitfield_size": 0
    }
  ],
  "summary": {
    "added": 0,
    "removed": 0,
    "changed": 1
  }
}' --json --pretty "$B" "$T/MEMBER_ADDED.o"
if command -v python3 >/dev/null 2>&1; then
	run_btfenc diff --json "$B" "$T/TYPEDEF.o"
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["summary"]["changed"] == 2' \
		<"$T/out" || fail "diff --json is not the JSON expected"
fi

# --- --color ---------------------------------------------------------------------------
esc=$(printf '\033')
expect_diff 1 "${esc}[33m~ enum color${esc}[0m
${esc}[33m  ~ GREEN = 2 -> 7${esc}[0m
0 added, 0 removed, 1 changed" --color=always "$B" "$T/ENUM_VALUE.o"
expect_diff 1 "${esc}[31m- func scale: int (struct rec *, int)${esc}[0m
0 added, 1 removed, 0 changed" --color "$B" "$T/FUNC_DROPPED.o"
# Not a terminal (auto), never, NO_COLOR: no escapes.
for c in --color=auto --color=never; do
	expect_diff 1 "- func scale: int (struct rec *, int)
0 added, 1 removed, 0 changed" "$c" "$B" "$T/FUNC_DROPPED.o"
done

# --- errors: exit 2, one line ------------------------------------------------------------
expect_fail 2 "nonexistent" "$BTFENC" diff "$B" "$T/nonexistent"
expect_fail 2 "nonexistent" "$BTFENC" diff "$T/nonexistent" "$B"
printf 'garbage\n' >"$T/garbage.btf"
expect_fail 2 "garbage.btf" "$BTFENC" diff "$B" "$T/garbage.btf"
expect_fail 2 "base.o: .*BTF" "$BTFENC" diff -F btf "$B" "$B"
expect_fail 2 "two inputs" "$BTFENC" diff "$B"
expect_fail 2 "two inputs" "$BTFENC" diff "$B" "$B" "$B"
expect_fail 2 "--only" "$BTFENC" diff --only=bogus "$B" "$B"
expect_fail 2 "--only" "$BTFENC" diff --only= "$B" "$B"
expect_fail 2 "--color" "$BTFENC" diff --color=sometimes "$B" "$B"
expect_fail 2 "no -J" "$BTFENC" diff -o "$T/x" "$B" "$B"
expect_fail 2 "cannot open|No such" "$BTFENC" diff --btf_base="$T/nonexistent" "$B" "$B"
finish
