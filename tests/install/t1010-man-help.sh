#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t1010-man-help: the man page (doc/btfenc.1) and --help list the same
# options and subcommands.
#
# The subcommands are the words after the program name in the Usage lines
# of `btfenc --help`; the options are what `btfenc --help` and
# `btfenc SUBCOMMAND --help` list (short and long names). The man page
# documents an option as a .TP entry whose tag line names it, and a
# subcommand as a `.SS "btfenc SUBCOMMAND ..."` heading. Every option and
# subcommand of --help must be in the man page, and every option the man
# page documents must be in some --help: each miss is one line saying what
# to add or remove. groff, when installed, must render the page without a
# warning.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

setup_tmpdir
man=$BTFENC_SRCDIR/doc/btfenc.1
[ -f "$man" ] || die "no man page at $man"

# help_options [SUB]: "-X" and "--name" of every option --help lists.
help_options() {
	"$BTFENC" "$@" --help | sed -n -E '/^Options:/,/^$/ s/^  +(-[A-Za-z0-9], )?(--[a-z0-9_-]+).*/\1 \2/p' |
		sed 's/,//' | tr ' ' '\n' | grep -E '^-' || true
}

"$BTFENC" --help >"$T/help" || die "btfenc --help failed"
sed -n -E '/^Usage:/,/^$/ s/^(Usage:)? +[^ ]+ ([a-z][a-z0-9_-]*)( .*)?$/\2/p' "$T/help" | sort -u >"$T/subcommands"
{
	help_options
	while read -r sub; do
		"$BTFENC" "$sub" --help >/dev/null 2>&1 || fail "btfenc $sub --help failed"
		help_options "$sub" | sed "s/\$/ $sub/"
	done <"$T/subcommands"
} >"$T/help-options"
[ -s "$T/help-options" ] || die "found no option in btfenc --help"
cut -d' ' -f1 "$T/help-options" | sort -u >"$T/help-names"

# The tag lines (after .TP) of the man page, with \- turned into - and font
# escapes removed; every -X and --name in them.
awk 'prev == ".TP" { print } { prev = $0 }' "$man" |
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/"//g' |
	grep -oE '(^|[^A-Za-z0-9_-])--?[A-Za-z0-9][A-Za-z0-9_-]*' |
	sed -E 's/^[^-]+//' | sort -u >"$T/man-names"

while read -r name sub; do
	grep -qxF -- "$name" "$T/man-names" ||
		fail "doc/btfenc.1 lacks $name (listed by 'btfenc ${sub:+$sub }--help'): add a .TP entry"
done < <(sort -u -k1,1 "$T/help-options")
while read -r name; do
	grep -qxF -- "$name" "$T/help-names" ||
		fail "doc/btfenc.1 documents $name, which no --help lists: remove it or add it to src/cli/opts.c"
done <"$T/man-names"
while read -r sub; do
	grep -qE "^\.SS \"btfenc $sub( |\")" "$man" ||
		fail "doc/btfenc.1 lacks the subcommand '$sub' (in btfenc --help's Usage): add a .SS \"btfenc $sub ...\" section"
done <"$T/subcommands"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS SUBCOMMANDS "EXIT STATUS" EXAMPLES; do
	grep -qE "^\.SH \"?$section\"?$" "$man" || fail "doc/btfenc.1 has no $section section"
done

if command -v groff >/dev/null 2>&1; then
	groff -man -ww -z "$man" 2>"$T/groff.err" || fail "groff cannot render doc/btfenc.1"
	[ -s "$T/groff.err" ] && fail "groff warns about doc/btfenc.1: $(head -5 "$T/groff.err")"
fi
say "$(wc -l <"$T/help-names") options, $(wc -l <"$T/subcommands") subcommands checked"
finish
