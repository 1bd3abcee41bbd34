#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t1020-completion: the bash completion (completion/btfenc.bash) offers
# every option --help lists (for the command and for each subcommand), the
# subcommands, the --btf_features names (also after a comma) and the
# values of -F and --format, with the built btfenc first on PATH.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

setup_tmpdir
PATH=$(cd "$(dirname "$BTFENC")" && pwd):$PATH
[ "$(basename "$BTFENC")" = btfenc ] || die "BTFENC is not called btfenc"
# shellcheck source=completion/btfenc.bash
. "$BTFENC_SRCDIR/completion/btfenc.bash"
cd "$T"		# no file names to complete

# complete WORD...: COMPREPLY for the command line WORD... (the last word
# is the one completed), one per line in $T/reply.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_btfenc
	printf '%s\n' "${COMPREPLY[@]}" | sort >"$T/reply"
}

# expect WANT WORD...: WANT must be among the completions of WORD...
expect() {
	local want=$1

	shift
	complete_words "$@"
	grep -qxF -- "$want" "$T/reply" ||
		fail "completing '$*' does not offer '$want' (got: $(tr '\n' ' ' <"$T/reply"))"
}

# expect_not UNWANTED WORD...
expect_not() {
	local unwanted=$1

	shift
	complete_words "$@"
	grep -qxF -- "$unwanted" "$T/reply" && fail "completing '$*' offers '$unwanted'"
	return 0
}

# Every option --help lists, for the command and each subcommand.
subs=$("$BTFENC" --help | sed -n -E '/^Usage:/,/^$/ s/^(Usage:)? +[^ ]+ ([a-z][a-z0-9_-]*)( .*)?$/\2/p')
[ -n "$subs" ] || die "no subcommand in btfenc --help"
for sub in "" $subs; do
	args=()
	[ -n "$sub" ] && args=("$sub")
	"$BTFENC" "${args[@]}" --help | sed -n -E '/^Options:/,/^$/ s/^  +(-[A-Za-z0-9], )?(--[a-z0-9_-]+)(\[?=)?.*/\1 \2\3/p' |
		sed -e 's/,//' -e 's/\[=$/=/' | tr ' ' '\n' | grep -E '^-' >"$T/opts" || true
	[ -s "$T/opts" ] || fail "no options in 'btfenc $sub --help'"
	complete_words btfenc "${args[@]}" -
	while read -r o; do
		grep -qxF -- "$o" "$T/reply" || fail "completing 'btfenc $sub -' does not offer $o"
	done <"$T/opts"
	[ -n "$sub" ] && expect "$sub" btfenc "${sub:0:1}"
done

expect --btf_features= btfenc --btf_feat
expect --btf_features_strict= btfenc --btf_feat
expect --quiet btfenc --qu
expect_not dump btfenc dump d	# one subcommand only
# Feature names, whether bash split the word on '=' or not, and after commas.
expect default btfenc --btf_features = de
expect default btfenc --btf_features=de
expect default,distilled_base btfenc -J --btf_base vmlinux --btf_features = default,dis
expect default,float btfenc --btf_features=default,fl
expect global_var btfenc --btf_features_strict = glob
expect btf btfenc -F b
expect json btfenc dump --format = j
expect raw btfenc dump --format=r
finish
