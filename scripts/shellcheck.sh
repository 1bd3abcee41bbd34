#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/shellcheck.sh [SRCROOT]: run ShellCheck on every shell script of the tree
# (scripts/, tests/, .ci/run). Exits 77 (skip) when shellcheck is missing.
set -eu

root=${1:-$(dirname "$0")/..}
cd "$root"

if ! command -v shellcheck >/dev/null 2>&1; then
	echo "shellcheck is not installed" >&2
	exit 77
fi

# Shell scripts are the *.sh files, tests/lib.sh, and files under scripts/
# and .ci/ whose first line names a shell.
list=$(
	{
		find scripts tests -type f -name '*.sh' -print
		for f in scripts/* .ci/*; do
			[ -f "$f" ] || continue
			case $(head -n 1 "$f") in
			'#!'*sh*) printf '%s\n' "$f" ;;
			esac
		done
	} | LC_ALL=C sort -u
)
[ -n "$list" ] || exit 0
# -x: follow `. tests/lib.sh`; the tests say where it is with a directive.
printf '%s\n' "$list" | tr '\n' '\0' | xargs -0 shellcheck -x
