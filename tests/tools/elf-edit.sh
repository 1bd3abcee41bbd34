# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/tools/elf-edit.sh: shell helpers (source it) that damage ELF files
# on purpose, for the hostile-input tests. 64-bit little-endian ELF only
# (the fixtures on x86-64); readelf finds the fields.

# put_le FILE OFFSET SIZE VALUE: write VALUE as a SIZE-byte little-endian
# number at OFFSET (VALUE may use the whole 64 bits, e.g. -256).
put_le() {
	local f=$1 off=$2 size=$3 v=$4 i bytes=''

	for ((i = 0; i < size; i++)); do
		bytes+=$(printf '\\%03o' $(((v >> (8 * i)) & 255)))
	done
	# shellcheck disable=SC2059
	printf "$bytes" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}

# shdr_index FILE NAME: the index of section NAME (decimal).
shdr_index() {
	readelf -W -S "$1" | sed -n 's/^ *\[ *\([0-9]*\)\] *\([^ ]*\) .*/\1 \2/p' |
		awk -v s="$2" '$2 == s { print $1; exit }'
}

# ehdr_field FILE NAME: a decimal number from readelf -h ("Start of section headers").
ehdr_field() {
	readelf -W -h "$1" | awk -F: -v k="$2" '$1 ~ k { sub(/^ */, "", $2); split($2, a, " "); print a[1]; exit }'
}

# shdr_field_off FILE NAME FIELD: the file offset of FIELD (offset, size,
# name) in the section header of section NAME.
shdr_field_off() {
	local shoff idx rel

	shoff=$(ehdr_field "$1" "Start of section headers")
	idx=$(shdr_index "$1" "$2")
	case $3 in
	name) rel=0 ;;
	offset) rel=24 ;;
	size) rel=32 ;;
	*) return 1 ;;
	esac
	[ -n "$idx" ] && echo $((shoff + idx * 64 + rel))
}
