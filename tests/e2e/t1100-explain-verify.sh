#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# t1100-explain-verify: --explain=FILE.json, `btfenc explain` and
# `btfenc verify`.
#
#  1. Every fixture, default features and with global_var: the --explain
#     records agree with the BTF encoded in the same run (no explained
#     function is in the BTF; every function the DWARF defines that the BTF
#     lacks is explained; the same for variables by name, except names the
#     DWARF gives several places), and `verify --btf` passes on that BTF.
#  2. The explain file is the same for -j1 and -j3, and -J writes it too
#     (then verify reads FILE's own .BTF).
#  3. `btfenc explain`: encoded, not encoded (with the reason), unknown
#     (exit 1), --json.
#  4. verify catches BTF corrupted on purpose (tests/tools/btf_mutate): a
#     member offset, an enumerator value, a struct size, each reported with
#     its BTF id and DIE offset.
#  5. verify catches lost 64-bit enumerators: btfenc without enum64, gcc
#     -gbtf (gcc 12 drops or truncates them), pahole 1.24 with
#     --skip_encoding_btf_enum64 (skipped when gcc or pahole cannot).
#  6. --lang_exclude with --explain: the same BTF bytes as without, and the
#     excluded unit's functions explained as "language excluded".
#  7. Usage and input errors: exit 2 / exit 1 with one line.
set -eu
# shellcheck source=tests/lib.sh
. "$BTFENC_SRCDIR/tests/lib.sh"
setup_tmpdir
MUTATE=${BTFENC_MUTATE:-}
[ -n "$MUTATE" ] || die "BTFENC_MUTATE is not set"

# names KIND FILE.json: the names of the explained functions or variables.
names() {
	sed -n "s/^{\"kind\":\"$1\",\"name\":\"\([^\"]*\)\".*/\1/p" "$2" | sort -u
}

# btf_names KIND BTF: FUNC or VAR names of a BTF file.
btf_names() {
	"$BTFENC" dump --format=raw "$2" | sed -n "s/^\[[0-9]*\] $1 '\([^']*\)'.*/\1/p" | sort -u
}

# check_explain NAME PATH FEATURES...: section 1 for one fixture.
check_explain() {
	local name=$1 path=$2
	shift 2

	run_btfenc "$@" --btf_encode_detached="$T/x.btf" --explain="$T/x.json" "$path"
	if [ "$RC" -ne 0 ]; then
		fail "$name $*: encoding exited $RC: $(head -n 2 "$T/err")"
		return 0
	fi
	grep -q '^{"file":' "$T/x.json" || { fail "$name: no explain file"; return 0; }
	names function "$T/x.json" >"$T/ef"
	names variable "$T/x.json" >"$T/ev"
	btf_names FUNC "$T/x.btf" >"$T/bf"
	btf_names VAR "$T/x.btf" >"$T/bv"
	"$BTFENC" dump --format=normal -F dwarf "$path" >"$T/norm"
	sed -n 's/^func \([^:]*\): .*/\1/p' "$T/norm" | sort -u >"$T/df"
	sed -n 's/^var \([^@]*\)@.*/\1/p' "$T/norm" | sort >"$T/dv.all"
	uniq -d "$T/dv.all" >"$T/dv.dup"
	sort -u "$T/dv.all" >"$T/dv"
	# Explained, yet in the BTF.
	comm -12 "$T/ef" "$T/bf" >"$T/bad"
	comm -12 "$T/ev" "$T/bv" | comm -23 - "$T/dv.dup" >>"$T/bad"
	if [ -s "$T/bad" ]; then
		fail "$name $*: explained but encoded: $(tr '\n' ' ' <"$T/bad")"
	fi
	# In DWARF, not in the BTF, not explained.
	comm -23 "$T/df" "$T/bf" | comm -23 - "$T/ef" >"$T/bad"
	comm -23 "$T/dv" "$T/bv" | comm -23 - "$T/ev" >>"$T/bad"
	if [ -s "$T/bad" ]; then
		fail "$name $*: not encoded and not explained: $(tr '\n' ' ' <"$T/bad")"
	fi
	run_btfenc verify --btf="$T/x.btf" "$path"
	if [ "$RC" -ne 0 ]; then
		fail "$name $*: verify exited $RC:"
		head -n 5 "$T/out" "$T/err" >&2
	fi
	nr_explained=$((nr_explained + $(wc -l <"$T/ef") + $(wc -l <"$T/ev")))
}

# 1. Every fixture.
n=0
nr_explained=0
for name in $(fixture_files .); do
	path=$(fixture "$name")
	check_explain "$name" "$path"
	check_explain "$name" "$path" --btf_features=default,global_var
	n=$((n + 1))
done
[ "$nr_explained" -gt 0 ] || fail "no fixture has anything explained"
say "explain and verify agree with the encoder on $n fixture files ($nr_explained names explained)"

# 2. -j, and -J.
path=$(fixture symbols-gcc-d5-O2)
"$BTFENC" -j1 --btf_features=default,global_var --btf_encode_detached="$T/j1.btf" \
	--explain="$T/j1.json" "$path" || die "cannot encode $path"
"$BTFENC" -j3 --btf_features=default,global_var --btf_encode_detached="$T/j3.btf" \
	--explain="$T/j3.json" "$path" || die "cannot encode $path with -j3"
cmp -s "$T/j1.json" "$T/j3.json" || fail "the explain file differs between -j1 and -j3"
cmp -s "$T/j1.btf" "$T/j3.btf" || fail "the BTF differs between -j1 and -j3"
grep -q '"reason":"ambiguous address","detail":"helper@0x[0-9a-f]*, helper@0x' "$T/j1.json" ||
	fail "the ambiguous address of helper is not explained with both addresses"
cp "$path" "$T/inplace"
run_btfenc -J --explain="$T/inplace.json" "$T/inplace"
[ "$RC" -eq 0 ] || fail "-J --explain exited $RC: $(cat "$T/err")"
[ -s "$T/inplace.json" ] || fail "-J --explain wrote no file"
run_btfenc verify "$T/inplace"
[ "$RC" -eq 0 ] || fail "verify of -J output exited $RC: $(head -n 3 "$T/out")"
grep -q ' 0 mismatches, 0 not in DWARF, 0 lost$' "$T/out" || fail "verify summary: $(tail -n 1 "$T/out")"

# 3. btfenc explain.
run_btfenc explain sym_global_fn "$path"
{ [ "$RC" -eq 0 ] && grep -q '^encoded as FUNC sym_global_fn: int sym_global_fn(int x)$' "$T/out"; } ||
	fail "explain sym_global_fn: exit $RC: $(cat "$T/out" "$T/err")"
run_btfenc explain helper "$path"
{ [ "$RC" -eq 0 ] && grep -q '^function helper: not encoded: ambiguous address: helper@0x' "$T/out"; } ||
	fail "explain helper: exit $RC: $(cat "$T/out" "$T/err")"
run_btfenc explain --json helper "$path"
{ [ "$RC" -eq 0 ] && grep -q '"name":"helper","in_dwarf":true,"encoded":null,"records":\[{"kind":"function","name":"helper","reason":"ambiguous address"' "$T/out"; } ||
	fail "explain --json helper: exit $RC: $(cat "$T/out" "$T/err")"
run_btfenc explain --json --pretty sym_global_fn "$path"
grep -q '^    "kind": "FUNC",$' "$T/out" || fail "explain --json --pretty: $(cat "$T/out")"
run_btfenc explain sym_global_var "$path"
grep -q '^variable sym_global_var: not encoded: section not encoded: in \.data (at 0x[0-9a-f]*)$' "$T/out" ||
	fail "explain sym_global_var: $(cat "$T/out" "$T/err")"
run_btfenc explain --btf_features=default,global_var sym_global_var "$path"
grep -q '^encoded as VAR sym_global_var: int sym_global_var (\.data+0x[0-9a-f]*)$' "$T/out" ||
	fail "explain with global_var: $(cat "$T/out" "$T/err")"
run_btfenc explain no_such_name "$path"
{ [ "$RC" -eq 1 ] && grep -q "^no_such_name: not in .*DWARF$" "$T/out"; } ||
	fail "explain of an unknown name: exit $RC, $(cat "$T/out")"

# 4. Corrupted on purpose.
path=$(fixture graph-gcc-d4-O0)
"$BTFENC" --btf_encode_detached="$T/g.btf" "$path" || die "cannot encode $path"
"$BTFENC" dump --format=raw "$T/g.btf" >"$T/g.raw"
off=$(awk '/STRUCT .edge. size/ { p = 1; next } p && /^\[/ { p = 0 }
	   p && /.weight. type_id/ { sub(/.*bits_offset=/, ""); print; exit }' "$T/g.raw")
[ -n "$off" ] || die "no member weight in struct edge"
"$BTFENC" --btf_encode_detached="$T/s.btf" "$(fixture symbols-gcc-d5-O2)" ||
	die "cannot encode symbols-gcc-d5-O2"
for edit in "member:edge.weight=$((off - 64))" "enum:SV_ZERO=12345" "size:edge=4096"; do
	case $edit in
	enum:*) btf=$T/s.btf dwarf=$(fixture symbols-gcc-d5-O2) ;;
	*) btf=$T/g.btf dwarf=$path ;;
	esac
	"$MUTATE" "$btf" "$T/bad.btf" "$edit" || die "btf_mutate $edit failed"
	run_btfenc verify --btf="$T/bad.btf" "$dwarf"
	if [ "$RC" -ne 1 ] || ! grep -q -E ": mismatch: (struct edge|enum signed_vals) \[BTF id [0-9]+\] \(DIE 0x[0-9a-f]+ in [^)]*\): line [0-9]+: DWARF '.*', BTF '.*'$" "$T/out"; then
		fail "verify did not catch $edit (exit $RC):"
		head -n 5 "$T/out" "$T/err" >&2
	fi
	case $edit in
	member:*) grep -q "DWARF 'weight: [^@]*@$off', BTF 'weight: [^@]*@$((off - 64))'" "$T/out" ;;
	enum:*) grep -q "DWARF 'SV_ZERO = 0', BTF 'SV_ZERO = 12345'" "$T/out" ;;
	size:*) grep -q "BTF 'struct edge size 4096'" "$T/out" ;;
	esac || fail "verify's finding for $edit does not say what differs: $(head -n 3 "$T/out")"
done
"$MUTATE" "$T/g.btf" "$T/bad.btf" "size:edge=4096" || die "btf_mutate failed"
run_btfenc verify --json --btf="$T/bad.btf" "$path"
grep -q '"findings":\[{"class":"mismatch","key":"struct edge","btf_id":[0-9]*,"die":[0-9]*,' "$T/out" ||
	fail "verify --json: $(head -c 400 "$T/out")"

# 5. Lost 64-bit enumerators.
path=$(fixture symbols-gcc-d5-O2)
"$BTFENC" --skip_encoding_btf_enum64 --btf_encode_detached="$T/no64.btf" "$path" ||
	die "cannot encode without enum64"
run_btfenc verify --btf="$T/no64.btf" "$path"
{ [ "$RC" -eq 1 ] && grep -q "lost: enum big_unsigned \[BTF id [0-9]*\] (DIE 0x[0-9a-f]* in .*): BU_33BIT = 4294967296 (does not fit in 32 bits) is 0 in BTF" "$T/out"; } ||
	fail "verify missed btfenc's own 32-bit enums (exit $RC): $(head -n 3 "$T/out")"
# gcc 12's BTF marks char as SIGNED|CHAR, which the kernel (and btfenc's
# loader) rejects, so its test source has the fixture's enums and no char.
cat >"$T/gbtf.c" <<'SRC'
enum big_unsigned { BU_ZERO = 0, BU_33BIT = 0x100000000ULL, BU_MAX = 0xffffffffffffffffULL };
enum big_signed { BS_MIN = -9223372036854775807LL - 1, BS_NEG = -5 };
struct holder { enum big_unsigned bu; enum big_signed bs; int x; };
struct holder holder;
int holder_x(struct holder *h) { return h->x; }
SRC
if gcc -g -gbtf -O2 -c "$T/gbtf.c" -o "$T/gbtf.o" 2>/dev/null &&
   "$BTFENC" dump --format=raw -F btf "$T/gbtf.o" >/dev/null 2>&1; then
	run_btfenc verify "$T/gbtf.o"
	{ [ "$RC" -eq 1 ] && grep -q "lost: enum big_unsigned .*BU_33BIT = 4294967296 does not fit in 32 bits, dropped" "$T/out"; } ||
		fail "verify missed gcc -gbtf's lost enumerators (exit $RC): $(head -n 3 "$T/out")"
	grep -q "lost: enum big_signed .*BS_NEG = -5 (sign lost) is 4294967291 in BTF" "$T/out" ||
		fail "verify missed gcc -gbtf's lost signedness: $(head -n 3 "$T/out")"
	if grep -q ": mismatch: " "$T/out"; then
		fail "gcc -gbtf: mismatches besides the losses: $(grep mismatch "$T/out" | head -n 3)"
	fi
	say "gcc -gbtf: $(grep -c ': lost: ' "$T/out") lost, caught"
else
	say "gcc cannot write .BTF (-gbtf): that part skipped"
fi
if command -v pahole >/dev/null 2>&1 &&
   pahole -J --skip_encoding_btf_enum64 --btf_encode_detached="$T/p.btf" "$path" 2>/dev/null; then
	run_btfenc verify --btf="$T/p.btf" "$path"
	{ [ "$RC" -eq 1 ] && grep -q "lost: enum big_unsigned .*BU_33BIT = 4294967296 (does not fit in 32 bits) is 0 in BTF" "$T/out"; } ||
		fail "verify missed pahole's truncated enumerators (exit $RC): $(head -n 3 "$T/out")"
	say "pahole $(pahole --version) --skip_encoding_btf_enum64: caught"
else
	say "no pahole: that part skipped"
fi

# 6. --lang_exclude with --explain.
if command -v g++ >/dev/null 2>&1 &&
   g++ -g -O1 -c "$BTFENC_SRCDIR/tests/fixtures/lang/classes.cc" -o "$T/cxx.o" &&
   ld -r "$T/cxx.o" "$(fixture symbols-a-gcc-d4-O2.o)" -o "$T/mixed.o"; then
	"$BTFENC" --lang_exclude=c++ --btf_encode_detached="$T/m1.btf" "$T/mixed.o" ||
		die "cannot encode the mixed object"
	"$BTFENC" --lang_exclude=c++ --btf_encode_detached="$T/m2.btf" \
		--explain="$T/m.json" "$T/mixed.o" || die "cannot encode the mixed object with --explain"
	cmp -s "$T/m1.btf" "$T/m2.btf" || fail "--explain changed the BTF of --lang_exclude"
	grep -q '"reason":"language excluded","detail":"C++"' "$T/m.json" ||
		fail "no language excluded record"
	run_btfenc verify --lang_exclude=c++ --btf="$T/m1.btf" "$T/mixed.o"
	[ "$RC" -eq 0 ] || fail "verify --lang_exclude=c++ exited $RC: $(head -n 3 "$T/out")"
else
	say "no g++: --lang_exclude part skipped"
fi

# 7. Errors.
path=$(fixture graph-gcc-d4-O0)
expect_fail 2 'no input file' "$BTFENC" verify
expect_fail 2 'explain needs NAME FILE' "$BTFENC" explain "$path"
expect_fail 2 'explain does not write files' "$BTFENC" explain -J x "$path"
expect_fail 2 'verify does not encode' "$BTFENC" verify -J "$path"
expect_fail 2 '--explain goes with' "$BTFENC" --explain="$T/e.json" "$path"
expect_fail 2 '--json and --btf go with' "$BTFENC" --json "$path"
expect_fail 1 'none\.btf' "$BTFENC" verify --btf="$T/none.btf" "$path"
expect_fail 1 'no \.BTF|BTF' "$BTFENC" verify "$path"
expect_fail 1 'e\.json' "$BTFENC" --btf_encode_detached="$T/e.btf" --explain="$T/no/dir/e.json" "$path"
"$MUTATE" "$T/g.btf" "$T/x.btf" "size:no_such_type=1" 2>/dev/null &&
	fail "btf_mutate edits a type that does not exist"
printf 'not btf' >"$T/junk"
expect_fail 1 'junk' "$BTFENC" verify --btf="$T/junk" "$path"
expect_fail 1 'g\.btf' "$BTFENC" verify --btf="$T/g.btf" "$T/g.btf"
expect_fail 1 'junk' "$BTFENC" explain main "$T/junk"
finish
