// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "verify": the DWARF-vs-BTF checker of src/verify/verify.h, on
 * hand-built units standing for the BTF and for DWARF units: agreement,
 * each kind of finding (mismatch with its detail, BTF id and DIE offset,
 * not in DWARF, lost 64-bit enumerators, a DWARF type BTF lacks), several
 * DWARF definitions of one name, functions and variables.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/ir/ir.h"
#include "src/verify/verify.h"
#include "tests.h"
#include "unit_build.h"

static struct ir_cu *new_cu(void)
{
	struct ir_cu *cu = ir_cu__new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(cu);
	cu->addr_size = 8;
	cu->lang = IR_LANG_C;
	cu->name = ir_cu__intern(cu, "t.c");
	return cu;
}

/* struct pair { int a; int b @off_b; } of size 8, with orig_off = die. */
static ir_id add_pair(struct ir_cu *cu, uint64_t off_b, uint64_t die)
{
	ir_id i = unit_ir_int(cu, "int", 4, IR_TF_SIGNED);
	ir_id s = unit_ir_type(cu, IR_KIND_STRUCT, "pair", 8, 0);
	struct ir_type *t = ir_cu__type(cu, s);

	t->members = arena_calloc(&cu->arena, 2, sizeof(*t->members));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->members);
	t->vlen = 2;
	t->members[0].name = ir_cu__intern(cu, "a");
	t->members[0].type = i;
	t->members[1].name = ir_cu__intern(cu, "b");
	t->members[1].type = i;
	t->members[1].bit_offset = off_b;
	t->orig_off = die;
	return s;
}

/* enum e { LO = 1, HI = hi } of size 8 (unsigned). */
static ir_id add_enum(struct ir_cu *cu, uint32_t vlen, uint64_t hi, uint64_t die)
{
	ir_id e = unit_ir_type(cu, IR_KIND_ENUM, "e", 8, 0);
	struct ir_type *t = ir_cu__type(cu, e);

	t->enumerators = arena_calloc(&cu->arena, 2, sizeof(*t->enumerators));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->enumerators);
	t->vlen = vlen;
	t->enumerators[0].name = ir_cu__intern(cu, "LO");
	t->enumerators[0].value = 1;
	t->enumerators[1].name = ir_cu__intern(cu, "HI");
	t->enumerators[1].value = hi;
	t->orig_off = die;
	return e;
}

/* Verify btf against the DWARF units; findings copied into *f (n). */
static struct vf_verifier *run(struct ir_cu *btf, struct ir_cu **dw, int nr,
			       const struct vf_finding **f, size_t *n)
{
	struct vf_verifier *v = NULL;
	int i;

	CU_ASSERT_EQUAL_FATAL(vf_verifier__new(btf, 0, &v), 0);
	for (i = 0; i < nr; i++)
		CU_ASSERT_EQUAL(vf_verifier__add_cu(v, dw[i]), 0);
	CU_ASSERT_EQUAL(vf_verifier__finish(v), 0);
	vf_verifier__findings(v, f, n);
	return v;
}

static void test_agree(void)
{
	struct ir_cu *btf = new_cu(), *dw = new_cu();
	const struct vf_finding *f;
	struct vf_verifier *v;
	struct vf_stats st;
	size_t n;

	add_pair(btf, 32, 7);
	add_pair(dw, 32, 0x2d);
	v = run(btf, &dw, 1, &f, &n);
	CU_ASSERT_EQUAL(n, 0);
	vf_verifier__stats(v, &st);
	CU_ASSERT_EQUAL(st.nr_btf, 2);	/* base int, struct pair */
	CU_ASSERT_EQUAL(st.nr_matched, 2);
	CU_ASSERT_EQUAL(st.nr_dwarf_units, 1);
	vf_verifier__free(v);
	ir_cu__free(btf);
	ir_cu__free(dw);
}

static void test_member_offset(void)
{
	struct ir_cu *btf = new_cu(), *dw = new_cu();
	const struct vf_finding *f;
	struct vf_verifier *v;
	size_t n;

	add_pair(btf, 16, 7);
	add_pair(dw, 32, 0x2d);
	v = run(btf, &dw, 1, &f, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(f[0].cls, VF_MISMATCH);
	CU_ASSERT_STRING_EQUAL(f[0].key, "struct pair");
	CU_ASSERT_EQUAL(f[0].btf_id, 7);
	CU_ASSERT_EQUAL(f[0].die, 0x2d);
	CU_ASSERT_STRING_EQUAL(f[0].cu, "t.c");
	CU_ASSERT_PTR_NOT_NULL(strstr(f[0].detail, "DWARF 'b: int @32', BTF 'b: int @16'"));
	vf_verifier__free(v);
	ir_cu__free(btf);
	ir_cu__free(dw);
}

/* Two DWARF definitions of one name: each BTF object may match either;
 * a definition no BTF object equals is lost. */
static void test_several_definitions(void)
{
	struct ir_cu *btf = new_cu(), *both = new_cu(), *dw[2] = { new_cu(), new_cu() };
	const struct vf_finding *f;
	struct vf_verifier *v;
	size_t n;

	add_pair(dw[0], 32, 0x2d);
	add_pair(dw[1], 48, 0x40);
	add_pair(both, 48, 7);
	add_pair(both, 32, 9);
	v = run(both, dw, 2, &f, &n);
	CU_ASSERT_EQUAL(n, 0);
	vf_verifier__free(v);
	/* Only the second layout in the BTF: the first is lost. */
	add_pair(btf, 48, 7);
	v = run(btf, dw, 2, &f, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(f[0].cls, VF_LOST);
	CU_ASSERT_STRING_EQUAL(f[0].key, "struct pair");
	CU_ASSERT_EQUAL(f[0].btf_id, 0);
	CU_ASSERT_EQUAL(f[0].die, 0x2d);
	CU_ASSERT_PTR_NOT_NULL(strstr(f[0].detail, "DWARF 'b: int @32', BTF 'b: int @48'"));
	vf_verifier__free(v);
	ir_cu__free(btf);
	ir_cu__free(both);
	ir_cu__free(dw[0]);
	ir_cu__free(dw[1]);
}

static void test_enum64_lost(void)
{
	struct ir_cu *btf = new_cu(), *dw = new_cu(), *btf2 = new_cu();
	const struct vf_finding *f;
	struct vf_verifier *v;
	size_t n;

	add_enum(dw, 2, 0x100000005ULL, 0x30);
	/* Truncated to 32 bits: lost. */
	add_enum(btf, 2, 5, 3);
	v = run(btf, &dw, 1, &f, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(f[0].cls, VF_LOST);
	CU_ASSERT_EQUAL(f[0].die, 0x30);
	CU_ASSERT_PTR_NOT_NULL(strstr(f[0].detail, "HI = 4294967301 (does not fit in 32 bits) is 5"));
	vf_verifier__free(v);
	/* Dropped: lost too. */
	add_enum(btf2, 1, 0, 3);
	v = run(btf2, &dw, 1, &f, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(f[0].cls, VF_LOST);
	CU_ASSERT_PTR_NOT_NULL(strstr(f[0].detail, "HI = 4294967301 does not fit in 32 bits, dropped"));
	vf_verifier__free(v);
	ir_cu__free(btf);
	ir_cu__free(btf2);
	ir_cu__free(dw);
}

/* A 32-bit value that differs is a mismatch, not a loss. */
static void test_enum_value_mismatch(void)
{
	struct ir_cu *btf = new_cu(), *dw = new_cu();
	const struct vf_finding *f;
	struct vf_verifier *v;
	size_t n;

	add_enum(dw, 2, 7, 0x30);
	add_enum(btf, 2, 8, 3);
	v = run(btf, &dw, 1, &f, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(f[0].cls, VF_MISMATCH);
	CU_ASSERT_PTR_NOT_NULL(strstr(f[0].detail, "DWARF 'HI = 7', BTF 'HI = 8'"));
	vf_verifier__free(v);
	ir_cu__free(btf);
	ir_cu__free(dw);
}

/* A BTF type DWARF does not have, and a DWARF type BTF does not have. */
static void test_missing_either_side(void)
{
	struct ir_cu *btf = new_cu(), *dw = new_cu();
	const struct vf_finding *f;
	struct vf_verifier *v;
	size_t n;

	add_pair(btf, 32, 7);
	unit_ir_type(btf, IR_KIND_TYPEDEF, "only_btf", 0, 1);
	add_pair(dw, 32, 0x2d);
	ir_cu__type(dw, unit_ir_type(dw, IR_KIND_TYPEDEF, "only_dwarf", 0, 1))->orig_off = 0x99;
	v = run(btf, &dw, 1, &f, &n);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	/* Sorted by class: not in DWARF, then lost. */
	CU_ASSERT_EQUAL(f[0].cls, VF_NO_DWARF);
	CU_ASSERT_STRING_EQUAL(f[0].key, "typedef only_btf");
	CU_ASSERT_EQUAL(f[1].cls, VF_LOST);
	CU_ASSERT_STRING_EQUAL(f[1].key, "typedef only_dwarf");
	CU_ASSERT_EQUAL(f[1].btf_id, 0);
	CU_ASSERT_EQUAL(f[1].die, 0x99);
	vf_verifier__free(v);
	ir_cu__free(btf);
	ir_cu__free(dw);
}

/* Below first_id (a base): not checked, but its keys count as present. */
static void test_base_not_checked(void)
{
	struct ir_cu *btf = new_cu(), *dw = new_cu();
	const struct vf_finding *f;
	struct vf_verifier *v = NULL;
	struct vf_stats st;
	size_t n;

	ir_cu__type(btf, unit_ir_type(btf, IR_KIND_TYPEDEF, "in_base", 0, 0))->orig_off = 1;
	ir_cu__type(btf, unit_ir_type(btf, IR_KIND_TYPEDEF, "in_split", 0, 0))->orig_off = 2;
	unit_ir_type(dw, IR_KIND_TYPEDEF, "in_split", 0, 0);
	unit_ir_type(dw, IR_KIND_TYPEDEF, "in_base", 0, 0);
	CU_ASSERT_EQUAL_FATAL(vf_verifier__new(btf, 2, &v), 0);
	CU_ASSERT_EQUAL(vf_verifier__add_cu(v, dw), 0);
	CU_ASSERT_EQUAL(vf_verifier__finish(v), 0);
	vf_verifier__findings(v, &f, &n);
	CU_ASSERT_EQUAL(n, 0);
	vf_verifier__stats(v, &st);
	CU_ASSERT_EQUAL(st.nr_btf, 1);
	vf_verifier__free(v);
	ir_cu__free(btf);
	ir_cu__free(dw);
}

static void add_func(struct ir_cu *cu, const char *pname, uint64_t die)
{
	ir_id i = unit_ir_int(cu, "int", 4, IR_TF_SIGNED);
	ir_id p = unit_ir_type(cu, IR_KIND_FUNC_PROTO, NULL, 0, i);
	struct ir_type *t = ir_cu__type(cu, p);
	struct ir_func *f;

	t->params = arena_calloc(&cu->arena, 1, sizeof(*t->params));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->params);
	t->vlen = 1;
	t->flags = IR_TF_PROTOTYPED;
	t->params[0].name = ir_cu__intern(cu, pname);
	t->params[0].type = i;
	CU_ASSERT_EQUAL_FATAL(ir_cu__add_func(cu, &f), 0);
	f->name = ir_cu__intern(cu, "fn");
	f->proto = p;
	f->orig_off = die;
}

static void add_var(struct ir_cu *cu, uint64_t off, uint64_t die)
{
	struct ir_var *v;

	CU_ASSERT_EQUAL_FATAL(ir_cu__add_var(cu, &v), 0);
	v->name = ir_cu__intern(cu, "gv");
	v->type = 1;	/* the int add_func made first */
	v->flags = IR_VF_HAS_ADDR | IR_VF_EXTERNAL;
	v->section = ir_cu__intern(cu, ".data");
	v->section_offset = off;
	v->orig_off = die;
}

static void test_funcs_and_vars(void)
{
	struct ir_cu *btf = new_cu(), *dw = new_cu();
	const struct vf_finding *f;
	struct vf_verifier *v;
	size_t n;

	add_func(btf, "y", 20);
	add_var(btf, 8, 21);
	add_func(dw, "x", 0x50);
	add_var(dw, 16, 0x60);
	v = run(btf, &dw, 1, &f, &n);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(f[0].cls, VF_MISMATCH);
	CU_ASSERT_STRING_EQUAL(f[0].key, "func fn");
	CU_ASSERT_EQUAL(f[0].btf_id, 20);
	CU_ASSERT_EQUAL(f[0].die, 0x50);
	CU_ASSERT_PTR_NOT_NULL(strstr(f[0].detail, "int (int x)"));
	/* The variable's place is its key: at another offset it is not found. */
	CU_ASSERT_EQUAL(f[1].cls, VF_NO_DWARF);
	CU_ASSERT_STRING_EQUAL(f[1].key, "var gv@.data+0x8");
	vf_verifier__free(v);
	ir_cu__free(btf);
	ir_cu__free(dw);
}

static void test_bad_args(void)
{
	struct vf_verifier *v = NULL;
	struct ir_cu *btf = new_cu();

	CU_ASSERT_EQUAL(vf_verifier__new(NULL, 0, &v), -EINVAL);
	CU_ASSERT_EQUAL_FATAL(vf_verifier__new(btf, 0, &v), 0);
	CU_ASSERT_EQUAL(vf_verifier__add_cu(v, NULL), -EINVAL);
	CU_ASSERT_EQUAL(vf_verifier__finish(v), 0);
	CU_ASSERT_EQUAL(vf_verifier__finish(v), -EINVAL);
	CU_ASSERT_EQUAL(vf_verifier__add_cu(v, btf), -EINVAL);
	vf_verifier__free(v);
	vf_verifier__free(NULL);
	ir_cu__free(btf);
}

int register_verify_suite(void)
{
	static const struct unit_test tests[] = {
		{ "agree", test_agree },
		{ "member offset", test_member_offset },
		{ "several definitions", test_several_definitions },
		{ "enum64 lost", test_enum64_lost },
		{ "enum value mismatch", test_enum_value_mismatch },
		{ "missing either side", test_missing_either_side },
		{ "functions and variables", test_funcs_and_vars },
		{ "base not checked", test_base_not_checked },
		{ "bad arguments", test_bad_args },
		{ NULL, NULL },
	};

	return unit_add_suite("verify", tests);
}
