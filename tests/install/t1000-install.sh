#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t1000-install: what `meson install` puts on a system works.
#
# Installs the build into a scratch DESTDIR, then checks: the btfenc
# command, the man page, the bash completion, the one public header, the
# shared library (SONAME libbtfenc.so.0, only btfenc_* symbols exported)
# and the static one, and btfenc.pc. Then a tiny program
# (btfenc_example.c) is compiled and linked against the installed library
# through `pkg-config --cflags --libs btfenc`, with the shared library and
# with the static one, and run on a fixture: its raw BTF must equal what
# `btfenc --btf_encode_detached` writes. With -Dpahole_link=true the
# pahole name must answer --version as pahole does.
#
# Environment (tests/install/meson.build): BTFENC_BUILD_ROOT, BTFENC_CC
# (the compiler, as a shell word list), BTFENC_SANITIZE (b_sanitize),
# BTFENC_PREFIX, BTFENC_LIBDIR, BTFENC_BINDIR, BTFENC_INCLUDEDIR,
# BTFENC_MANDIR, BTFENC_COMPLETIONSDIR, BTFENC_PAHOLE_LINK.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"

require_tool pkg-config
require_tool nm
require_tool readelf
setup_tmpdir
D=$T/dest

meson install -C "$BTFENC_BUILD_ROOT" --no-rebuild --quiet --destdir "$D" >"$T/install.log" 2>&1 ||
	die "meson install failed: $(cat "$T/install.log")"

abs() {	# abs DIR: an install directory under the prefix, as meson says it
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$BTFENC_PREFIX" "$1" ;;
	esac
}
libdir=$D$(abs "$BTFENC_LIBDIR")
bindir=$D$(abs "$BTFENC_BINDIR")

for f in "$bindir/btfenc" "$D$(abs "$BTFENC_INCLUDEDIR")/btfenc.h" \
	"$D$(abs "$BTFENC_MANDIR")/man1/btfenc.1" "$D$BTFENC_COMPLETIONSDIR/btfenc" \
	"$libdir/libbtfenc.a" "$libdir/libbtfenc.so.0" "$libdir/pkgconfig/btfenc.pc"; do
	[ -e "$f" ] || fail "not installed: ${f#"$D"}"
done
[ -x "$bindir/btfenc" ] || die "no btfenc command in ${bindir#"$D"}"
"$bindir/btfenc" --version >/dev/null || fail "the installed btfenc does not run"
if [ "$BTFENC_PAHOLE_LINK" = true ]; then
	v=$("$bindir/pahole" --version) || v=
	[ "$v" = v1.30 ] || fail "bin/pahole --version says '$v', expected v1.30"
elif [ -e "$bindir/pahole" ]; then
	fail "bin/pahole installed without -Dpahole_link=true"
fi

# The shared library: its SONAME, and only the public API exported.
so=$libdir/libbtfenc.so.0
readelf -d "$so" | grep -q 'SONAME.*\[libbtfenc\.so\.0\]' || fail "SONAME of $so is not libbtfenc.so.0"
nm -D --defined-only "$so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' >"$T/exports"
[ -s "$T/exports" ] || fail "libbtfenc.so.0 exports nothing"
if grep -v '^btfenc_' "$T/exports" >"$T/extra"; then
	fail "libbtfenc.so.0 exports symbols outside btfenc_*: $(head -5 "$T/extra" | tr '\n' ' ')"
fi
# Every function of the public header is exported.
grep -o '^[a-z].*[ *]\(btfenc_[a-z_]*\)(' "$BTFENC_SRCDIR/src/btfenc.h" |
	sed 's/.*\(btfenc_[a-z_]*\)(/\1/' | sort -u >"$T/declared"
comm -23 "$T/declared" <(sort -u "$T/exports") >"$T/missing"
[ -s "$T/missing" ] && fail "declared in btfenc.h but not exported: $(tr '\n' ' ' <"$T/missing")"
[ -s "$T/declared" ] || fail "found no function in btfenc.h"

# A program built against the installed library through pkg-config.
export PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D
cflags=$(pkg-config --cflags btfenc) || die "pkg-config --cflags btfenc failed"
libs=$(pkg-config --libs btfenc) || die "pkg-config --libs btfenc failed"
static_libs=$(pkg-config --static --libs btfenc) || die "pkg-config --static --libs btfenc failed"
static_libs=${static_libs//-lbtfenc/$libdir/libbtfenc.a}
san=()
if [ -n "$BTFENC_SANITIZE" ] && [ "$BTFENC_SANITIZE" != none ]; then
	san=("-fsanitize=$BTFENC_SANITIZE")
fi
read -r -a cc <<<"$BTFENC_CC"
src=$BTFENC_SRCDIR/tests/install/btfenc_example.c
# shellcheck disable=SC2086
"${cc[@]}" -std=gnu11 -Wall -Wextra -Werror "${san[@]}" $cflags "$src" -o "$T/example" \
	$libs -Wl,-rpath,"$libdir" 2>"$T/cc.err" ||
	die "cannot build against the installed shared library: $(cat "$T/cc.err")"
# shellcheck disable=SC2086
"${cc[@]}" -std=gnu11 -Wall -Wextra -Werror "${san[@]}" $cflags "$src" -o "$T/example-static" \
	$static_libs 2>"$T/cc-static.err" ||
	die "cannot build against the installed static library: $(cat "$T/cc-static.err")"
readelf -d "$T/example" | grep -q 'NEEDED.*\[libbtfenc\.so\.0\]' ||
	fail "the example does not link libbtfenc.so.0"
# The installed library, not the build tree's (meson test sets
# LD_LIBRARY_PATH for the libraries a test depends on).
unset LD_LIBRARY_PATH
if command -v ldd >/dev/null 2>&1; then
	ldd "$T/example" | grep -qF "$libdir/libbtfenc.so.0" ||
		fail "the example does not load the installed libbtfenc.so.0: $(ldd "$T/example" | grep btfenc)"
fi

fix=$(fixture graph-gcc-d5-O2 2>/dev/null || fixture "$(fixture_files '^graph-[a-z]+-d5-O2$' | head -1)")
run_btfenc --btf_encode_detached="$T/cli.btf" "$fix"
[ "$RC" -eq 0 ] || die "btfenc --btf_encode_detached failed: $(cat "$T/err")"
for ex in example example-static; do
	out=$("$T/$ex" "$fix" "$T/$ex.btf" vertex 2>"$T/$ex.err") || out="exit $?"
	if [ "$out" != ok ]; then
		fail "$ex: $out: $(cat "$T/$ex.err")"
		continue
	fi
	[ -s "$T/$ex.err" ] && fail "$ex printed on stderr: $(cat "$T/$ex.err")"
	cmp -s "$T/cli.btf" "$T/$ex.btf" || fail "$ex: the library's BTF differs from btfenc's"
done
finish
