#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Never lose the user's data: `btfenc -J FILE` rewrites FILE in place, and
# whatever goes wrong FILE stays byte-identical with its mode, and only a
# complete, verified result replaces it:
#
#  - a failure injected at every step of the writer
#    (BTFENC_TEST_WRITER_FAIL_AT, src/cli/writer_hooks.c): exit 1, one line
#    naming the file, no temporary file left;
#  - the process killed (SIGKILL) as it enters every step
#    (BTFENC_TEST_WRITER_KILL_AT): at most a temporary ".FILE.btfw.*" left;
#  - the disk full: a file-size limit (ulimit -f, SIGXFSZ ignored) and,
#    where we may mount, a tmpfs too small for the temporary copy;
#  - a read-only directory (as root: run as nobody), a read-only file
#    (refused even though rename() would allow it), a read-only output of
#    --btf_encode_detached;
#  - an appended module signature (refused) and appended data;
#  - BTF that fails btfenc's own strict loader (an encoder bug, simulated
#    by BTFENC_TEST_CORRUPT_OUT) is never written: -J, detached, split,
#    distilled_base and the dedup command each fail with one line naming
#    the input and the type, the target unchanged or not created;
#  - and a successful write keeps the mode (0751) and leaves nothing behind.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
setup_tmpdir

obj=$(fixture graph-list-gcc-d5-O0.o)
exe=$(fixture graph-gcc-d5-O2)
steps="open temp copy elf-read section-add write verify fsync chmod rename"

# snapshot FILE: remember its bytes and mode.
snapshot() {
	cp -p "$1" "$T/snap.bytes"
	stat -c %a "$1" >"$T/snap.mode"
}

# unchanged FILE WHAT: FILE still has the snapshot's bytes and mode.
unchanged() {
	cmp -s "$T/snap.bytes" "$1" || fail "$2: $1 changed"
	[ "$(stat -c %a "$1")" = "$(cat "$T/snap.mode")" ] ||
		fail "$2: mode of $1 changed to $(stat -c %a "$1")"
}

# leftovers DIR: the files in DIR besides the victim (sorted names).
leftovers() {
	find "$1" -mindepth 1 -maxdepth 1 ! -name victim -printf '%f\n' | sort
}

# fresh SRC MODE: a new directory $T/w holding a copy of SRC as "victim".
fresh() {
	rm -rf "$T/w"
	mkdir "$T/w"
	cp "$1" "$T/w/victim"
	chmod "$2" "$T/w/victim"
	V=$T/w/victim
	snapshot "$V"
}

# --- failure at every step -------------------------------------------------
for f in "$obj" "$exe"; do
	for step in $steps; do
		fresh "$f" 640
		BTFENC_TEST_WRITER_FAIL_AT=$step expect_fail 1 "$V" "$BTFENC" -J "$V"
		unchanged "$V" "failure at $step ($(basename "$f"))"
		[ -z "$(leftovers "$T/w")" ] ||
			fail "failure at $step left files behind: $(leftovers "$T/w")"
	done
done

# --- killed at every step ---------------------------------------------------
for f in "$obj" "$exe"; do
	for step in $steps; do
		fresh "$f" 640
		rc=0
		BTFENC_TEST_WRITER_KILL_AT=$step "$BTFENC" -J "$V" >"$T/out" 2>"$T/err" || rc=$?
		[ "$rc" -eq 137 ] || fail "kill at $step: exit $rc, expected 137 (SIGKILL)"
		unchanged "$V" "killed at $step ($(basename "$f"))"
		if leftovers "$T/w" | grep -q -v '^\.victim\.btfw\.'; then
			fail "killed at $step: unexpected files: $(leftovers "$T/w")"
		fi
	done
done

# --- disk full: a file-size limit ---------------------------------------------
fresh "$exe" 755
limit=$(($(wc -c <"$V") / 1024 / 2))
[ "$limit" -ge 1 ] || die "$exe is too small for a file-size limit test"
rc=0
(trap '' XFSZ; ulimit -f "$limit"; exec "$BTFENC" -J "$V") >"$T/out" 2>"$T/err" || rc=$?
if [ "$rc" -ne 1 ] || [ "$(wc -l <"$T/err")" -ne 1 ] || ! grep -q -F "$V" "$T/err"; then
	fail "file-size limit: exit $rc, expected 1 and one line naming the file:"
	sed 's/^/    /' "$T/err" >&2
fi
unchanged "$V" "file-size limit"
[ -z "$(leftovers "$T/w")" ] || fail "file-size limit left files behind: $(leftovers "$T/w")"

# --- disk full: a tmpfs with room for the file but not for its copy ----------
mkdir "$T/mnt"
# shellcheck disable=SC2064
trap "umount '$T/mnt' 2>/dev/null || true; rm -rf '$T'" EXIT
size=$(wc -c <"$exe")
if [ "$(id -u)" -eq 0 ] &&
   mount -t tmpfs -o "size=$(((size + 4095) / 4096 * 4096 + 4096))" btfenc-t0220 "$T/mnt" 2>/dev/null; then
	cp "$exe" "$T/mnt/victim"
	chmod 755 "$T/mnt/victim"
	snapshot "$T/mnt/victim"
	expect_fail 1 "$T/mnt/victim: .*No space left on device" "$BTFENC" -J "$T/mnt/victim"
	unchanged "$T/mnt/victim" "full tmpfs"
	[ -z "$(leftovers "$T/mnt")" ] || fail "full tmpfs: files left behind: $(leftovers "$T/mnt")"
	umount "$T/mnt" 2>/dev/null || umount -l "$T/mnt" || say "note: cannot unmount $T/mnt"
else
	say "note: cannot mount a tmpfs here, no ENOSPC case"
fi

# --- read-only directory ---------------------------------------------------------
fresh "$obj" 666
chmod 755 "$T"
chmod 555 "$T/w"
if [ "$(id -u)" -eq 0 ]; then
	# As root, permissions do not apply: run as nobody, from a copy of
	# the binary nobody can reach (the build tree may be under /root).
	cp "$BTFENC" "$T/btfenc"
	chmod 755 "$T/btfenc"
	as_nobody() {
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	}
	if command -v setpriv >/dev/null 2>&1 && as_nobody "$T/btfenc" --version >/dev/null 2>&1; then
		expect_fail 1 "$V: cannot create temporary file: Permission denied" \
			as_nobody "$T/btfenc" -J "$V"
	else
		say "note: cannot run btfenc as nobody here, no read-only directory case"
	fi
else
	expect_fail 1 "$V: cannot create temporary file: Permission denied" "$BTFENC" -J "$V"
fi
chmod 755 "$T/w"
unchanged "$V" "read-only directory"

# --- read-only file (rename() would replace it: we do not) -------------------
for mode in 444 400 555; do
	fresh "$exe" "$mode"
	expect_fail 1 "$V: cannot replace a read-only file" "$BTFENC" -J "$V"
	unchanged "$V" "read-only file ($mode)"
done
fresh "$obj" 644
printf 'previous' >"$T/w/out.btf"
chmod 444 "$T/w/out.btf"
expect_fail 1 "$T/w/out.btf: cannot replace a read-only file" \
	"$BTFENC" --btf_encode_detached="$T/w/out.btf" "$V"
[ "$(cat "$T/w/out.btf")" = previous ] || fail "read-only detached output was replaced"

# --- appended data ----------------------------------------------------------------
fresh "$obj" 644
printf 'not really PKCS#7\0\0\0\0~Module signature appended~\n' >>"$V"
snapshot "$V"
expect_fail 1 "$V: has an appended module signature" "$BTFENC" -J "$V"
unchanged "$V" "appended module signature"
fresh "$obj" 644
printf 'some appended bytes' >>"$V"
snapshot "$V"
expect_fail 1 "$V: 19 bytes appended after the ELF image" "$BTFENC" -J "$V"
unchanged "$V" "appended data"

# --- BTF that fails its own check is not written ------------------------------
bug="the encoded BTF fails btfenc's own check \\(a btfenc bug; nothing was written\\): type \\[[0-9]+\\]"
fresh "$exe" 755
BTFENC_TEST_CORRUPT_OUT=1 expect_fail 1 "^btfenc: $V: $bug" "$BTFENC" -J "$V"
unchanged "$V" "-J of BTF that fails the check"
[ -z "$(leftovers "$T/w")" ] || fail "failed check left files behind: $(leftovers "$T/w")"
BTFENC_TEST_CORRUPT_OUT=1 expect_fail 1 "^btfenc: $V: $bug" \
	"$BTFENC" --btf_encode_detached="$T/w/out.btf" "$V"
[ -e "$T/w/out.btf" ] && fail "detached BTF that fails the check was written"
run_btfenc --btf_encode_detached="$T/base.btf" "$obj"
[ "$RC" -eq 0 ] || fail "base for the split check: $(cat "$T/err")"
BTFENC_TEST_CORRUPT_OUT=1 expect_fail 1 "^btfenc: $V: $bug" \
	"$BTFENC" --btf_base="$T/base.btf" --btf_encode_detached="$T/w/out.btf" "$V"
[ -e "$T/w/out.btf" ] && fail "split BTF that fails the check was written"
BTFENC_TEST_CORRUPT_OUT=1 expect_fail 1 "^btfenc: $V: $bug" \
	"$BTFENC" -J --btf_base="$T/base.btf" --btf_features=default,distilled_base "$V"
unchanged "$V" "distilled_base of BTF that fails the check"
BTFENC_TEST_CORRUPT_OUT=1 expect_fail 1 "^btfenc: $T/w/d.btf: $bug" \
	"$BTFENC" dedup -o "$T/w/d.btf" "$T/base.btf"
[ -e "$T/w/d.btf" ] && fail "dedup output that fails the check was written"
# The hook set to anything else is off, and the check passes good BTF.
BTFENC_TEST_CORRUPT_OUT=0 run_btfenc --btf_encode_detached="$T/w/out.btf" "$V"
[ "$RC" -eq 0 ] || fail "BTFENC_TEST_CORRUPT_OUT=0: $(cat "$T/err")"

# --- success: new contents, same mode, nothing left behind --------------------------
fresh "$exe" 751
run_btfenc -J "$V"
[ "$RC" -eq 0 ] || fail "-J on a good executable exited $RC: $(cat "$T/err")"
cmp -s "$T/snap.bytes" "$V" && fail "-J did not change $V"
[ "$(stat -c %a "$V")" = 751 ] || fail "-J changed the mode to $(stat -c %a "$V")"
[ -z "$(leftovers "$T/w")" ] || fail "-J left files behind: $(leftovers "$T/w")"
"$V" >/dev/null 2>&1 || fail "the rewritten executable no longer runs"

finish
