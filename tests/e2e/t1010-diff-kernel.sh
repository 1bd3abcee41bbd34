#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t1010-diff-kernel: btfenc diff on real kernels, Debian 12's 6.1 vmlinux
# (scripts/fetch-kernel's cache, as t0900) against the running kernel's
# /sys/kernel/btf/vmlinux. Suite 'kernel'; skips when either is missing.
#
#  1. 6.1 -> running kernel: exit 1, nothing on stderr, every line in the
#     text format, a summary that counts changes, task_struct among them,
#     the same records as --json, the same bytes on a second run.
#  2. A file against itself, against a shuffled copy (ids permuted) and
#     against a re-deduplicated copy (btfenc dedup): exit 0, no changes.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

KDIR=${BTFENC_KERNEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/btfenc/kernel}
OLD=$KDIR/vmlinux
NEW=/sys/kernel/btf/vmlinux
[ -s "$OLD" ] || skip "no kernel in $KDIR (run scripts/fetch-kernel)"
[ -r "$NEW" ] || skip "$NEW is not readable"
setup_tmpdir

# --- 1. two kernels ----------------------------------------------------------
run_btfenc diff "$OLD" "$NEW"
[ "$RC" -eq 1 ] || fail "diff 6.1 running exited $RC, expected 1: $(cat "$T/err")"
[ -s "$T/err" ] && fail "diff wrote to stderr: $(head -3 "$T/err")"
cp "$T/out" "$T/text"
summary=$(tail -n 1 "$T/text")
printf '%s\n' "$summary" | grep -q -E '^[0-9]+ added, [0-9]+ removed, [0-9]+ changed$' ||
	fail "no summary line: $summary"
[ "$summary" != "0 added, 0 removed, 0 changed" ] || fail "two kernels and no changes"
bad=$(head -n -1 "$T/text" | grep -v -E '^[-+~] (struct|union|enum|typedef|int|float|func|var) [^ ]' |
	grep -c -v -E '^  [-+~] ' || true)
[ "$bad" -eq 0 ] || fail "$bad lines not in the diff format, e.g. $(head -n -1 "$T/text" |
	grep -v -E '^[-+~] |^  [-+~] ' | head -1)"
grep -q -E '^~ struct task_struct($|:)' "$T/text" || fail "struct task_struct did not change?"
say "6.1 -> $(uname -r): $summary"

run_btfenc diff "$OLD" "$NEW"
compare "$T/text" "$T/out" "second run"

if command -v python3 >/dev/null 2>&1; then
	run_btfenc diff --json "$OLD" "$NEW"
	[ "$RC" -eq 1 ] || fail "diff --json exited $RC"
	python3 - "$T/out" "$summary" <<'PY' || fail "diff --json disagrees with the text"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
text = "%d added, %d removed, %d changed" % (s["added"], s["removed"], s["changed"])
assert text == sys.argv[2], (text, sys.argv[2])
assert len(d["changes"]) >= s["added"] + s["removed"] + s["changed"]
PY
fi

# --- 2. equal by meaning ----------------------------------------------------------
for f in "$OLD" "$NEW"; do
	run_btfenc diff "$f" "$f"
	[ "$RC" -eq 0 ] || fail "diff $f $f exited $RC: $(head -3 "$T/out")"
done
if [ -n "${BTFENC_C_TOOL:-}" ]; then
	"$BTFENC_C_TOOL" --shuffle 11 "$NEW" "$T/shuffled.btf" || fail "cannot shuffle $NEW"
	run_btfenc diff "$NEW" "$T/shuffled.btf"
	[ "$RC" -eq 0 ] || fail "diff against a shuffled copy exited $RC: $(head -3 "$T/out")"
	"$BTFENC" dedup -o "$T/redup.btf" "$T/shuffled.btf" "$NEW" || fail "cannot dedup"
	run_btfenc diff "$NEW" "$T/redup.btf"
	[ "$RC" -eq 0 ] || fail "diff against a re-deduplicated copy exited $RC: $(head -3 "$T/out")"
fi
"$BTFENC" dedup -o "$T/old.btf" "$OLD" || fail "cannot dedup $OLD"
run_btfenc diff "$OLD" "$T/old.btf"
[ "$RC" -eq 0 ] || fail "diff against btfenc dedup's copy exited $RC: $(head -3 "$T/out")"
finish
