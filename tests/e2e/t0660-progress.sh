#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t0660-progress: what an encoding run says on stderr (src/cli/cli_run.h).
#
#  - stderr not a terminal: nothing at all (without -V);
#  - stderr a terminal (through script(1), skipped if missing): the
#    progress line "units N/M" up to M/M, then "dedup" and "write", erased
#    at the end; nothing with -q;
#  - -V: one "time PHASE S s, peak RSS N MB" line per phase (decode,
#    encode, funcs, dedup, write) and the count lines; only their shape is checked, never a value
#    of time;
#  - the BTF written is the same bytes in every case.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

setup_tmpdir
fix=$(fixture_files '^graph-[a-z]+-d5-O2$' | head -1)
[ -n "$fix" ] || die "no graph fixture"
fix=$(fixture "$fix")

# Not a terminal: silent.
run_btfenc --btf_encode_detached="$T/plain.btf" "$fix"
[ "$RC" -eq 0 ] || die "encoding $fix failed: $(cat "$T/err")"
[ -s "$T/err" ] && fail "stderr is not a terminal, yet btfenc wrote: $(od -c "$T/err" | head -3)"

# -V: timings and counts at the end.
run_btfenc -V -j2 --btf_encode_detached="$T/verbose.btf" "$fix"
[ "$RC" -eq 0 ] || fail "-V run failed: $(cat "$T/err")"
for phase in decode encode funcs dedup write; do
	grep -qE "^btfenc: time $phase +[0-9]+\.[0-9]{3} s, peak RSS [0-9]+ MB$" "$T/err" ||
		fail "-V gives no timing line for phase $phase"
done
grep -qE '^btfenc: units [1-9][0-9]* \([0-9]+ excluded\), DIEs [1-9][0-9]*, model types [1-9][0-9]*$' "$T/err" ||
	fail "-V gives no unit count line"
grep -qE '^btfenc: BTF types [1-9][0-9]* before dedup, [1-9][0-9]* after; functions [0-9]+, variables [0-9]+, [0-9]+ left out$' "$T/err" ||
	fail "-V gives no BTF count line"
size=$(stat -c %s "$T/verbose.btf")
grep -qx "btfenc: wrote $size bytes" "$T/err" || fail "-V does not say it wrote $size bytes"
grep -q $'\r' "$T/err" && fail "-V on a non-terminal draws a progress line"

# A terminal: the progress line, and nothing with -q.
if command -v script >/dev/null 2>&1; then
	# tty_run NAME ARGS...: btfenc ARGS with a terminal as stderr (and
	# stdout); what the terminal got goes to $T/NAME.tty.
	tty_run() {
		local name=$1 cmd

		shift
		cmd=$(printf '%q ' "$BTFENC" "$@")
		script -qec "$cmd" /dev/null >"$T/$name.tty" </dev/null || fail "btfenc $* on a terminal failed"
	}
	tty_run tty --btf_encode_detached="$T/tty.btf" "$fix"
	tr '\r' '\n' <"$T/tty.tty" | sed 's/\x1b\[K//g' >"$T/tty.lines"
	grep -qE '^btfenc: units 1/[1-9][0-9]*$' "$T/tty.lines" || fail "no 'units 1/M' progress on a terminal"
	total=$(sed -n -E 's/^btfenc: units 1\/([0-9]+)$/\1/p' "$T/tty.lines" | head -1)
	[ -n "$total" ] && ! grep -qx "btfenc: units $total/$total" "$T/tty.lines" &&
		fail "progress never reaches units $total/$total"
	grep -qx 'btfenc: dedup' "$T/tty.lines" || fail "no 'dedup' progress on a terminal"
	grep -qx 'btfenc: write' "$T/tty.lines" || fail "no 'write' progress on a terminal"
	[ "$(tail -c 4 "$T/tty.tty" | od -An -c | tr -d ' ')" = '\r033[K' ] ||
		fail "the progress line is not erased at the end: $(tail -c 16 "$T/tty.tty" | od -c | head -2)"
	tty_run quiet -q --btf_encode_detached="$T/quiet.btf" "$fix"
	[ -s "$T/quiet.tty" ] && fail "-q on a terminal still writes: $(od -c "$T/quiet.tty" | head -3)"
	for f in tty quiet; do
		cmp -s "$T/plain.btf" "$T/$f.btf" || fail "the BTF differs with the progress display ($f)"
	done
else
	say "script(1) is not installed: the terminal part is skipped"
fi
cmp -s "$T/plain.btf" "$T/verbose.btf" || fail "the BTF differs with -V"
finish
