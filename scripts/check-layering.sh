#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check-layering.sh [SRCROOT]: fail if a module includes a header it must
# not see (style.md section 3, habit 5):
#
#   src/ir/          the format-neutral model: no libdw, libelf, gelf or BTF
#                    headers (<linux/btf.h>, <bpf/...>, btf_format/), and no
#                    loader or encoder headers
#   dwarf_loader/    never includes btf_loader/ headers
#   btf_loader/      never includes dwarf_loader/ headers
#
# Prints one line per offending #include (file:line: text) and exits 1 if
# there is any, 0 otherwise.
set -eu

root=${1:-$(dirname "$0")/..}
cd "$root"

status=0

# check DIR ERE WHY: every #include line in DIR's .c/.h files matching ERE
# is a violation.
check() {
	dir=$1
	pattern=$2
	why=$3

	[ -d "$dir" ] || return 0
	hits=$(find "$dir" -type f \( -name '*.c' -o -name '*.h' \) -print |
		LC_ALL=C sort |
		while IFS= read -r f; do
			grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$f" |
				grep -E "$pattern" | sed "s|^|$f:|" || true
		done)
	if [ -n "$hits" ]; then
		printf '%s\n' "$hits" | sed "s|\$|   <- $why|"
		status=1
	fi
}

ir_forbidden='[<"/](libdw|libdwfl|libelf|gelf|dwarf|elfutils/[^">]*|linux/btf|bpf/[^">]*|btf)\.h[">]'
ir_forbidden="$ir_forbidden"'|[<"](\.\./)*(src/)?(btf_format|dwarf_loader|btf_loader|btf_encoder)/'
ir_forbidden="$ir_forbidden"'|[<"/](dwl_|btfl_|btfe_|bfmt_|btf_format)[^">]*\.h[">]'
ir_forbidden="$ir_forbidden"'|[<"]elfutils/'

check src/ir "$ir_forbidden" 'the IR must stay format-neutral'
check dwarf_loader '[<"/]btf_loader/|[<"/]btfl_[^">]*\.h[">]' \
	'dwarf_loader must not include btf_loader'
check btf_loader '[<"/]dwarf_loader/|[<"/]dwl_[^">]*\.h[">]' \
	'btf_loader must not include dwarf_loader'

if [ "$status" -ne 0 ]; then
	echo "check-layering: layering violations found" >&2
fi
exit "$status"
