#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The command line: `btfenc [options] FILE` with -F dwarf,
# -C/--class_name=NAME[,NAME], --lang_exclude=LANGS, -V/--verbose,
# -h/--help and --version; exit status 0 success, 1 failure, 2 usage.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
setup_tmpdir

sym=$(fixture symbols-gcc-d5-O2)
sym_clang=$(fixture_files '^symbols-clang-d5-O0$')

# --- --help / -h ------------------------------------------------------------
run_btfenc --help
[ "$RC" -eq 0 ] || fail "--help exited $RC"
[ -s "$T/err" ] && fail "--help wrote to stderr: $(cat "$T/err")"
cp "$T/out" "$T/help"
for opt in -F -C --class_name --lang_exclude -V --verbose -h --help --version; do
	grep -q -e "$opt\\b" "$T/help" || fail "--help does not list $opt"
done
grep -q -i 'usage' "$T/help" || fail "--help has no usage line"
run_btfenc -h
[ "$RC" -eq 0 ] || fail "-h exited $RC"
compare "$T/help" "$T/out" "-h output"

# --- --version --------------------------------------------------------------
run_btfenc --version
[ "$RC" -eq 0 ] || fail "--version exited $RC"
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "--version printed $(wc -l <"$T/out") lines"
if [ -n "${BTFENC_VERSION:-}" ]; then
	grep -q -F -- "$BTFENC_VERSION" "$T/out" ||
		fail "--version says '$(cat "$T/out")', expected $BTFENC_VERSION"
fi

# --- plain run --------------------------------------------------------------
run_btfenc "$sym"
[ "$RC" -eq 0 ] || fail "btfenc $sym exited $RC: $(cat "$T/err")"
cp "$T/out" "$T/all"
[ -s "$T/all" ] || fail "btfenc $sym printed nothing"
[ -s "$T/err" ] && fail "btfenc $sym wrote to stderr: $(cat "$T/err")"

# The names of the structs and unions printed at top level, in order.
top_level() {
	grep -E '^(struct|union) [A-Za-z_][A-Za-z0-9_]* \{' "$1" | sed 's/ {.*//'
}

# --- -C / --class_name ------------------------------------------------------
run_btfenc -C record,qualified "$sym"
[ "$RC" -eq 0 ] || fail "-C record,qualified exited $RC: $(cat "$T/err")"
top_level "$T/out" >"$T/names"
compare_text "struct record
struct qualified" "$T/names" "-C record,qualified selection"
cp "$T/out" "$T/two"

run_btfenc --class_name=record,qualified "$sym"
compare "$T/two" "$T/out" "--class_name=record,qualified"

run_btfenc -C qualified "$sym"
top_level "$T/out" >"$T/names"
compare_text "struct qualified" "$T/names" "-C qualified selection"
# The selected block is the same text as in the full output.
awk '/^struct qualified \{/ { p = 1 } p { print } p && /^};/ { exit }' "$T/all" >"$T/q-all"
compare "$T/q-all" "$T/out" "-C qualified block"

# A union, from another program.
run_btfenc -C value "$(fixture graph-gcc-d5-O0)"
[ "$RC" -eq 0 ] || fail "-C value exited $RC: $(cat "$T/err")"
top_level "$T/out" >"$T/names"
compare_text "union value" "$T/names" "-C value selection"

# A name that is not there is not a usage error.
run_btfenc -C no_such_struct_anywhere "$sym"
[ "$RC" -le 1 ] || fail "-C no_such_struct_anywhere exited $RC"
[ -s "$T/out" ] && fail "-C no_such_struct_anywhere printed: $(head -n 3 "$T/out")"

# --- -F dwarf ---------------------------------------------------------------
run_btfenc -F dwarf "$sym"
[ "$RC" -eq 0 ] || fail "-F dwarf exited $RC: $(cat "$T/err")"
compare "$T/all" "$T/out" "-F dwarf output"

# --- -V / --verbose: same stdout ---------------------------------------------
run_btfenc -V "$sym"
[ "$RC" -eq 0 ] || fail "-V exited $RC: $(cat "$T/err")"
compare "$T/all" "$T/out" "-V stdout"
run_btfenc --verbose "$sym"
[ "$RC" -eq 0 ] || fail "--verbose exited $RC: $(cat "$T/err")"
compare "$T/all" "$T/out" "--verbose stdout"

# --- --lang_exclude ---------------------------------------------------------
for f in symbols-gcc-d5-O2 layout-gcc-d4-O0 graph-gcc-d2-O0 $sym_clang; do
	[ -n "$(fixture_files "^$f\$")" ] || continue
	run_btfenc --lang_exclude=c "$(fixture "$f")"
	[ "$RC" -eq 0 ] || fail "--lang_exclude=c $f exited $RC: $(cat "$T/err")"
	[ -s "$T/out" ] && fail "--lang_exclude=c $f printed: $(head -n 3 "$T/out")"
done
run_btfenc --lang_exclude=rust,c++ "$sym"
[ "$RC" -eq 0 ] || fail "--lang_exclude=rust,c++ exited $RC: $(cat "$T/err")"
compare "$T/all" "$T/out" "--lang_exclude=rust,c++ output"

# --- exit codes -------------------------------------------------------------
expect_fail 1 "$T/nothing-here" "$BTFENC" "$T/nothing-here"
expect_fail 2 '.' "$BTFENC"
expect_fail 2 'nope' "$BTFENC" --nope "$sym"
expect_fail 2 '.' "$BTFENC" -F "$sym"
expect_fail 2 'btf-ish' "$BTFENC" -F btf-ish "$sym"
expect_fail 2 'cobol' "$BTFENC" --lang_exclude=cobol "$sym"

finish
