#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/ci.sh [--install] [--only NAME]...: build btfenc four ways and run
# every meson test suite (unit, e2e, lint) in each build:
#
#   gcc    gcc, release
#   clang  clang, release
#   asan   gcc, debug, -Db_sanitize=address,undefined -Db_lundef=false,
#          LeakSanitizer on (ASAN_OPTIONS detect_leaks=1)
#   tsan   clang, debug, -Db_sanitize=thread: only the unit suite and
#          t0650-reproducible, the tests that run -jN (about 2 minutes)
#   fuzz   scripts/fuzz: the libFuzzer harnesses (tests/fuzz) under ASan
#          and UBSan for $BTFENC_CI_FUZZ_SECONDS each (default 20, seed 1),
#          when clang can link -fsanitize=fuzzer; any finding fails
#   kernel in the gcc build, suite kernel (t0900): Debian 12's 6.1 kernel,
#          fetched once and cached (about 3 minutes); skipped if it cannot
#          be fetched, left out with BTFENC_CI_KERNEL=0
#
# each in its own build directory, wiped first: $BTFENC_CI_BUILD_PREFIX for
# gcc, and $BTFENC_CI_BUILD_PREFIX-clang, -asan, -tsan (default prefix: build-ci,
# in the source tree). ShellCheck runs over
# scripts/ and tests/ when it is installed. All builds run even when one
# fails; the exit status is 1 if anything failed.
#
#   --install    first install the dependencies (Debian 12, as root)
#   --only NAME  run only the named build(s) (gcc clang asan tsan fuzz kernel)
set -eu -o pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${BTFENC_CI_BUILD_PREFIX:-build-ci}
install=false
only=()

while [ "$#" -gt 0 ]; do
	case $1 in
	--install) install=true ;;
	--only)
		[ "$#" -ge 2 ] || { echo "$0: --only needs a name" >&2; exit 2; }
		only+=("$2")
		shift
		;;
	-h | --help)
		sed -n '3,28s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "$0: unknown argument '$1' (try --help)" >&2
		exit 2
		;;
	esac
	shift
done

cd "$root"
if "$install"; then
	scripts/install-deps.sh
fi

failed=()
# What the final summary repeats about each failure: CI logs are often cut
# to their last lines.
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

step() {
	printf '\n=== %s\n' "$*"
}

wanted() {
	[ "${#only[@]}" -eq 0 ] && return 0
	local n
	for n in "${only[@]}"; do
		[ "$n" = "$1" ] && return 0
	done
	return 1
}

# build NAME CC MESON_ARGS... [-- TESTS...]: configure, build and test one
# variant (only the named meson tests or suites when TESTS are given).
build() {
	local name=$1 cc=$2 dir="$prefix-$1" args=() tests=()

	if [ "$name" = gcc ]; then
		dir=$prefix
	fi
	shift 2
	while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	[ "$#" -gt 0 ] && shift
	tests=("$@")
	set -- "${args[@]}"
	wanted "$name" || return 0
	if ! command -v "$cc" >/dev/null 2>&1; then
		step "$name: $cc is not installed, skipped"
		return 0
	fi
	step "$name: configure ($cc $*) in $dir"
	rm -rf "$dir"
	if ! CC=$cc meson setup "$dir" "$@"; then
		failed+=("$name: configure")
		return 0
	fi
	step "$name: build"
	if ! ninja -C "$dir"; then
		failed+=("$name: build")
		return 0
	fi
	step "$name: test"
	mtest "$name: test" "$dir" ${tests[@]+"${tests[@]}"}
}

# mtest LABEL DIR [MESON_TEST_ARGS...]: meson test in DIR; on failure, LABEL
# goes to the failed list and the failing tests' result lines to the summary.
mtest() {
	local label=$1 dir=$2

	shift 2
	if ! meson test -C "$dir" --print-errorlogs "$@" | tee "$dir/ci-test.out"; then
		failed+=("$label")
		grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|ERROR|TIMEOUT) ' "$dir/ci-test.out" |
			sed "s|^|  $label: |" >>"$summary" || true
	fi
}

if command -v shellcheck >/dev/null 2>&1; then
	step "shellcheck"
	scripts/shellcheck.sh "$root" || failed+=("shellcheck")
else
	step "shellcheck is not installed, skipped"
fi

build gcc gcc --buildtype=release
# The real kernel (t0900): Debian 12's 6.1 vmlinux and modules, downloaded
# once by scripts/fetch-kernel and cached; skipped when they cannot be had.
# BTFENC_CI_KERNEL=0 leaves it out. Fetched before the suite starts: its
# other tests (t1010, t1150) only use the cache and would otherwise skip on
# a fresh machine, running beside t0900 while it downloads.
if wanted kernel && [ "${BTFENC_CI_KERNEL:-1}" = 1 ] && [ -f "$prefix/build.ninja" ]; then
	step "kernel: the kernel suite on Debian's 6.1 kernel, in $prefix"
	scripts/fetch-kernel >/dev/null ||
		echo "scripts/fetch-kernel failed: the kernel tests will say why they skip"
	BTFENC_FETCH_KERNEL=1 mtest kernel "$prefix" --setup kernel --suite kernel
fi
build clang clang --buildtype=release
# LeakSanitizer on (every e2e run of btfenc, and the unit tests): a leak,
# like any other report, aborts the process and fails its test.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1} \
	build asan gcc --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
# Fuzzing smoke test: about 20 s per harness, in its own clang build.
if wanted fuzz && command -v clang >/dev/null 2>&1; then
	fuzz_probe=$(mktemp -d)
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }\n' \
		>"$fuzz_probe/probe.c"
	if clang -fsanitize=fuzzer,address,undefined "$fuzz_probe/probe.c" \
		-o "$fuzz_probe/probe" >/dev/null 2>&1; then
		step "fuzz: scripts/fuzz ${BTFENC_CI_FUZZ_SECONDS:-20} (each harness) in $prefix-fuzz"
		rm -rf "$prefix-fuzz"
		# A fixed seed, so that CI runs explore the same mutations and a
		# red step is a regression (long runs with random seeds are
		# scripts/fuzz's job, README "Fuzzing").
		if ! BTFENC_FUZZ_BUILD="$prefix-fuzz" \
			BTFENC_FUZZ_ARGS=${BTFENC_FUZZ_ARGS:--seed=1} \
			scripts/fuzz "${BTFENC_CI_FUZZ_SECONDS:-20}" btf_loader elf_dwarf cli dedup \
			2>&1 | tee "$summary.fuzz"; then
			failed+=("fuzz")
			grep -v '^fuzz-[a-z_]*: [0-9]*s (' "$summary.fuzz" |
				grep -v '^  stat::' | sed 's/^/  fuzz: /' >>"$summary" || true
		fi
		rm -f "$summary.fuzz"
	else
		step "fuzz: clang cannot link -fsanitize=fuzzer, skipped"
	fi
	rm -rf "$fuzz_probe"
fi
# A data race is a failure: the first report stops the process (exit 66).
TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1} \
	build tsan clang --buildtype=debug -Db_sanitize=thread -Db_lundef=false \
	-- unit t0650-reproducible

if [ "${#failed[@]}" -ne 0 ]; then
	step "FAILED:"
	printf '  %s\n' "${failed[@]}"
	if [ -s "$summary" ]; then
		step "what failed, repeated from above:"
		cat "$summary"
	fi
	exit 1
fi
step "all builds and tests passed"
