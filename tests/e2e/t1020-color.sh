#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t1020-color: --color=auto|always|never on the layouts (btfenc FILE, dump
# --format=layout) and diff. Colour never changes the text: with the SGR
# sequences taken out, always prints what never prints, byte for byte, and
# never (and auto, off a terminal) prints what btfenc printed before colour
# (t0300 checks that against pahole). auto on a terminal (script(1), when
# installed) colours unless TERM=dumb or NO_COLOR is set, or btfenc runs
# under the name pahole.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
setup_tmpdir

lay=$(fixture layout-gcc-d5-O2)
strip_sgr() {
	sed 's/\x1b\[[0-9;]*m//g'
}

"$BTFENC" "$lay" >"$T/plain" || fail "btfenc $lay failed"
for args in "" "dump --format=layout"; do
	# shellcheck disable=SC2086
	"$BTFENC" $args --color=always "$lay" >"$T/always" || fail "--color=always failed"
	grep -q $'\x1b\\[1m' "$T/always" || fail "btfenc $args --color=always: no bold type name"
	grep -q $'\x1b\\[32m' "$T/always" || fail "btfenc $args --color=always: no green member name"
	strip_sgr <"$T/always" >"$T/stripped"
	# shellcheck disable=SC2086
	"$BTFENC" $args "$lay" >"$T/this"
	compare "$T/this" "$T/stripped" "btfenc $args --color=always without its colours"
	for c in --color=never --color=auto; do
		# shellcheck disable=SC2086
		"$BTFENC" $args "$c" "$lay" >"$T/out"
		compare "$T/this" "$T/out" "btfenc $args $c"
	done
done
NO_COLOR=1 "$BTFENC" --color=always "$lay" | grep -q $'\x1b' ||
	fail "--color=always must win over NO_COLOR"

# auto on a terminal.
if command -v script >/dev/null 2>&1; then
	tty_run() {	# tty_run ENV... : btfenc -C bf_basic on a pseudo-terminal
		env "$@" script -q -e -c "'$BTFENC' -C bf_basic '$lay'" /dev/null >"$T/tty" 2>&1 || true
	}
	tty_run TERM=xterm
	grep -q $'\x1b\\[1m' "$T/tty" || fail "auto on a terminal: no colour"
	tty_run TERM=dumb
	grep -q $'\x1b\\[1m' "$T/tty" && fail "auto with TERM=dumb: coloured"
	tty_run TERM=xterm NO_COLOR=1
	grep -q $'\x1b\\[1m' "$T/tty" && fail "auto with NO_COLOR: coloured"
	# Under the name pahole, as pahole: no colour unless asked for.
	ln -s "$BTFENC" "$T/pahole"
	TERM=xterm script -q -e -c "'$T/pahole' -C bf_basic '$lay'" /dev/null >"$T/tty" 2>&1 || true
	grep -q 'struct bf_basic' "$T/tty" || fail "pahole on a terminal printed nothing"
	grep -q $'\x1b' "$T/tty" && fail "pahole on a terminal: coloured"
fi
finish
