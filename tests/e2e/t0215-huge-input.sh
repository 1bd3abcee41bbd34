#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# No recursion whose depth the input controls: hand-made DWARF units
# (tests/tools/gen-dwarf.sh, assembled with x86-64 `as`) with
#
#   a chain of 100,000 typedefs, of 100,000 pointers, of 100,000 consts,
#   a struct nested 10,000 deep (by value), a struct with 1,000,000 members
#
# go through the layout printer, the encoder, the C-header and raw printers
# and the deduplicator with a 256 KB stack (ulimit -s 256; a recursion per
# level would need far more), each within 60 s, and the results are right:
# BTF cannot hold more than 65535 members, so the million-member struct is
# encoded as an opaque struct of its size (btf_encoder/btfe_types.c).
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
[ "$(uname -m)" = x86_64 ] || skip "the generated assembler is x86-64"
require_tool as
setup_tmpdir

stack_kb=256

# small_stack ARGS...: btfenc ARGS with a small stack and a timeout;
# stdout in $T/out, stderr in $T/err, exit status in RC.
small_stack() {
	RC=0
	(ulimit -s "$stack_kb"; exec timeout 60 "$BTFENC" "$@") >"$T/out" 2>"$T/err" || RC=$?
	if [ "$RC" -ne 0 ]; then
		fail "btfenc $* (stack ${stack_kb} KB) exited $RC:"
		head -n 5 "$T/err" | sed 's/^/    /' >&2
	fi
}

# expect_line FILE ERE WHAT: some line of FILE matches ERE.
expect_line() {
	grep -q -E -- "$2" "$1" || fail "$3: no line matches /$2/"
}

# every SHAPE N: generate, assemble, and run every reader on it.
every() {
	local shape=$1 n=$2 o=$T/$1.o b=$T/$1.btf

	"$BTFENC_SRCDIR/tests/tools/gen-dwarf.sh" "$shape" "$n" >"$T/$shape.s"
	as "$T/$shape.s" -o "$o" || die "as cannot assemble $shape $n"
	rm -f "$T/$shape.s"
	small_stack "$o"
	cp "$T/out" "$T/$shape.layout"
	small_stack dump --format=c -F dwarf "$o"
	small_stack --btf_encode_detached="$b" "$o"
	small_stack dump --format=raw "$b"
	cp "$T/out" "$T/$shape.raw"
	small_stack dump --format=c "$b"
	cp "$T/out" "$T/$shape.h"
	small_stack dump --format=layout "$b"
	small_stack dedup -o "$T/$shape.dd" "$b"
}

every typedef-chain 100000
expect_line "$T/typedef-chain.h" '^typedef t99998 t99999;$' "typedef chain, C header"
expect_line "$T/typedef-chain.raw" "^\[100002\] TYPEDEF 't99999' type_id=100001$" "typedef chain, raw"

every ptr-chain 100000
expect_line "$T/ptr-chain.raw" '^\[100001\] PTR ' "pointer chain, raw"

every const-chain 100000
expect_line "$T/const-chain.raw" '^\[100001\] CONST ' "const chain, raw"

every nest 10000
expect_line "$T/nest.layout" 'size: 40000, ' "nested struct, layout"
expect_line "$T/nest.raw" "^\[[0-9]+\] STRUCT 'holder' size=40000 vlen=1$" "nested struct, raw"

every wide 1000000
expect_line "$T/wide.layout" 'members: 1000000' "million members, layout"
expect_line "$T/wide.raw" "^\[[0-9]+\] STRUCT '\(anon\)' size=4000000 vlen=0$" "million members, raw"

finish
