#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/install-deps.sh: install what building and testing btfenc needs,
# on Debian 12 (bookworm), as root. Quiet and non-interactive.
#
# Build:  gcc, meson, ninja, pkg-config, libdw/libelf/zlib headers.
# Tests:  CUnit; clang (second compiler, BTF tag fixtures); dwarves (pahole,
#         the layout oracle) and bpftool/libbpf (BTF oracles); binutils
#         (readelf, strip, objcopy); shellcheck; valgrind (optional runs);
#         clang-format-14 (style checks); gzip; libclang-rt-14-dev (clang's
#         libFuzzer and sanitizer runtimes, for scripts/fuzz).
# Install suite: bash-completion (its completionsdir), groff-base (the man
#         page check), bsdutils (script(1), for the progress test).
set -eu

packages="build-essential gcc clang llvm meson ninja-build pkg-config
libdw-dev libelf-dev zlib1g-dev libcunit1-dev libbpf-dev dwarves bpftool
binutils gzip python3 shellcheck valgrind clang-format
bash-completion groff-base bsdutils libclang-rt-14-dev"

if [ "$(id -u)" -ne 0 ]; then
	echo "$0: run as root (apt-get install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $packages >/dev/null
