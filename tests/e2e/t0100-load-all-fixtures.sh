#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `btfenc FILE` succeeds (exit 0, something on stdout, nothing crashes) on
# every fixture variant: objects and executables, gcc and clang, DWARF 2, 4
# and 5, -O0 and -O2, compressed debug sections (-gz), a gzip-compressed
# object and .debug_types units.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
setup_tmpdir

n=0
for f in $(fixture_files); do
	expect_ok "$(fixture "$f")"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || die "no fixtures"

# Each kind of input must really have been among them.
for kind in '\.o$' '-gcc-' '-clang-' '-d2-' '-d4-' '-d5-' '-O0' '-O2' '-gz' \
	    '\.o\.gz$' '-types' '^[^.]*$'; do
	[ -n "$(fixture_files "$kind")" ] ||
		say "note: no fixture matches $kind (compiler not installed?)"
done
say "loaded $n fixture files"
finish
