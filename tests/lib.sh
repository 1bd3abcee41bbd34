# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/lib.sh: helpers for the end-to-end tests (tests/e2e/tNNNN-*.sh).
#
# Source it after `set -eu`. The environment (set by tests/e2e/meson.build):
#   BTFENC               the btfenc binary under test
#   BTFENC_FIXTURE_DIR   the build directory holding the compiled fixtures
#   BTFENC_FIXTURE_LIST  fixtures.txt: every fixture file name, one a line
#   BTFENC_SRCDIR        the source tree
#
# Conventions: exit 0 pass, 1 fail, 77 skip. A test that loops over many
# inputs calls fail() for each problem (which prints it and counts it) and
# finish() at the end, so one run shows every failure.
#
# Crashes: a btfenc run that dies by a signal (exit status >= 128) or whose
# stderr carries a sanitizer report always fails the test, whatever the
# test expected.

: "${BTFENC:?BTFENC must point at the btfenc binary}"
: "${BTFENC_FIXTURE_DIR:?BTFENC_FIXTURE_DIR must be set}"
: "${BTFENC_SRCDIR:?BTFENC_SRCDIR must be set}"
BTFENC_FIXTURE_LIST=${BTFENC_FIXTURE_LIST:-$BTFENC_FIXTURE_DIR/fixtures.txt}

# Stop at the first sanitizer report, with a distinctive exit status.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"
export LC_ALL=C

nr_failures=0

# say MSG...: a progress line on stdout (meson keeps it in the log).
say() {
	printf '%s\n' "$*"
}

# die MSG...: fail the whole test now.
die() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

# skip REASON...: the test cannot run here.
skip() {
	printf 'SKIP: %s\n' "$*"
	exit 77
}

# fail MSG...: record one failure and carry on.
fail() {
	printf 'FAIL: %s\n' "$*" >&2
	nr_failures=$((nr_failures + 1))
}

# finish: exit 1 if fail() was called, else 0.
finish() {
	if [ "$nr_failures" -ne 0 ]; then
		printf '%d failure(s)\n' "$nr_failures" >&2
		exit 1
	fi
	exit 0
}

# setup_tmpdir: make $T, a scratch directory removed on exit.
setup_tmpdir() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/btfenc-test.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$T'" EXIT
	trap 'exit 130' INT TERM
}

# require_tool NAME: skip unless NAME is on PATH.
require_tool() {
	command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed"
}

# fixture_files [ERE]: the fixture file names (basenames), optionally only
# those matching ERE, in build order.
fixture_files() {
	[ -s "$BTFENC_FIXTURE_LIST" ] || die "no fixture list at $BTFENC_FIXTURE_LIST"
	if [ "$#" -eq 0 ]; then
		grep -v '^$' "$BTFENC_FIXTURE_LIST"
	else
		grep -E -- "$1" "$BTFENC_FIXTURE_LIST" || true
	fi
}

# fixture NAME: the path of one fixture file; dies if it was not built.
fixture() {
	local f="$BTFENC_FIXTURE_DIR/$1"

	[ -f "$f" ] || die "fixture $1 was not built ($f)"
	printf '%s\n' "$f"
}

# crashed RC ERRFILE: true if the run crashed (signal or sanitizer report).
crashed() {
	[ "$1" -ge 128 ] && return 0
	grep -q -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|Segmentation fault' "$2"
}

# run_btfenc ARGS...: run btfenc with stdout in $T/out and stderr in
# $T/err; sets RC. Never fails by itself, except on a crash (then it
# records a failure and sets RC to 255).
run_btfenc() {
	RC=0
	"$BTFENC" "$@" >"$T/out" 2>"$T/err" || RC=$?
	if crashed "$RC" "$T/err"; then
		fail "btfenc $* crashed (exit $RC):"
		sed 's/^/    /' "$T/err" >&2
		RC=255
	fi
}

# expect_ok ARGS...: btfenc ARGS must exit 0 with non-empty stdout.
expect_ok() {
	run_btfenc "$@"
	if [ "$RC" -ne 0 ]; then
		[ "$RC" -eq 255 ] && return 0
		fail "btfenc $* exited $RC, expected 0; stderr:"
		sed 's/^/    /' "$T/err" >&2
	elif [ ! -s "$T/out" ]; then
		fail "btfenc $* printed nothing"
	fi
}

# ere_quote STRING: STRING as an extended regexp matching itself.
ere_quote() {
	printf '%s\n' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

# expect_fail CODE PATTERN CMD...: CMD must exit CODE and print exactly one
# line on stderr, matching the extended regexp PATTERN. Any crash fails.
expect_fail() {
	local code=$1 pattern=$2 rc=0 lines

	shift 2
	"$@" >"$T/out" 2>"$T/err" || rc=$?
	if crashed "$rc" "$T/err"; then
		fail "$* crashed (exit $rc):"
		sed 's/^/    /' "$T/err" >&2
		return 0
	fi
	if [ "$rc" -ne "$code" ]; then
		fail "$* exited $rc, expected $code; stderr:"
		sed 's/^/    /' "$T/err" >&2
		return 0
	fi
	lines=$(wc -l <"$T/err")
	if [ "$lines" -ne 1 ]; then
		fail "$* printed $lines lines on stderr, expected one:"
		sed 's/^/    /' "$T/err" >&2
		return 0
	fi
	if ! grep -q -E -- "$pattern" "$T/err"; then
		fail "$*: stderr does not match /$pattern/: $(cat "$T/err")"
	fi
}

# compare EXPECTED ACTUAL [WHAT]: fail with a unified diff if they differ.
compare() {
	if ! diff -u "$1" "$2" >"$T/diff"; then
		fail "${3:-$2} differs from ${1}:"
		head -n 200 "$T/diff" >&2
	fi
}

# compare_text EXPECTED_TEXT ACTUAL_FILE [WHAT]: as compare, with the
# expectation given as a string (a heredoc, for instance).
compare_text() {
	printf '%s\n' "$1" >"$T/expected.txt"
	compare "$T/expected.txt" "$2" "${3:-}"
}

# section_field FILE SECTION N: field N (hex, 4 = offset, 5 = size) of
# SECTION's line in readelf -S, in decimal; empty if there is no SECTION.
section_field() {
	local hex

	hex=$(readelf -W -S "$1" | sed 's/^ *\[ *[0-9]*\] *//' |
		awk -v s="$2" -v n="$3" '$1 == s { print $n; exit }')
	[ -n "$hex" ] && printf '%d\n' "0x$hex"
	return 0
}

# section_offset FILE SECTION: the file offset of SECTION (decimal).
section_offset() {
	section_field "$1" "$2" 4
}

# section_size FILE SECTION: the size of SECTION in bytes (decimal).
section_size() {
	section_field "$1" "$2" 5
}
