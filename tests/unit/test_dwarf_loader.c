// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "dwarf_loader": load the objects tests/unit/meson.build compiles
 * from tests/unit/data/dwl_*.c with gcc and clang and check the model:
 * layouts, bitfields (DWARF 2..5, both byte orders), enums, arrays,
 * functions and parameter locations, variables and sections, BTF tags, type
 * units (linked, and one COMDAT section per unit in a .o), compressed input,
 * and the errors of broken files (unit lengths that do not fit included).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dwarf_loader/dwarf_loader.h"
#include "src/util/vec.h"
#include "tests.h"

/* Inputs whose compiler is not installed are "" and their checks skipped. */
#ifndef DWL_FIX_TYPES_GCC2
#define DWL_FIX_TYPES_GCC2 ""
#endif
#ifndef DWL_FIX_TYPES_GCC4
#define DWL_FIX_TYPES_GCC4 ""
#endif
#ifndef DWL_FIX_TYPES_GCC5
#define DWL_FIX_TYPES_GCC5 ""
#endif
#ifndef DWL_FIX_TYPES_GZ
#define DWL_FIX_TYPES_GZ ""
#endif
#ifndef DWL_FIX_TYPES_ZDEBUG
#define DWL_FIX_TYPES_ZDEBUG ""
#endif
#ifndef DWL_FIX_NODEBUG
#define DWL_FIX_NODEBUG ""
#endif
#ifndef DWL_FIX_FUNCS_GCC
#define DWL_FIX_FUNCS_GCC ""
#endif
#ifndef DWL_FIX_PROG_GCC
#define DWL_FIX_PROG_GCC ""
#endif
#ifndef DWL_FIX_TU4
#define DWL_FIX_TU4 ""
#endif
#ifndef DWL_FIX_TU5
#define DWL_FIX_TU5 ""
#endif
#ifndef DWL_FIX_TUO4
#define DWL_FIX_TUO4 ""
#endif
#ifndef DWL_FIX_TUO5
#define DWL_FIX_TUO5 ""
#endif
#ifndef DWL_FIX_TUOZ
#define DWL_FIX_TUOZ ""
#endif
#ifndef DWL_FIX_TUOZG
#define DWL_FIX_TUOZG ""
#endif
#ifndef DWL_FIX_TUO32
#define DWL_FIX_TUO32 ""
#endif
#ifndef DWL_FIX_TYPES_CLANG4
#define DWL_FIX_TYPES_CLANG4 ""
#endif
#ifndef DWL_FIX_TYPES_CLANG5
#define DWL_FIX_TYPES_CLANG5 ""
#endif
#ifndef DWL_FIX_TYPES_BE
#define DWL_FIX_TYPES_BE ""
#endif
#ifndef DWL_FIX_FUNCS_CLANG
#define DWL_FIX_FUNCS_CLANG ""
#endif
#ifndef DWL_FIX_TAGS
#define DWL_FIX_TAGS ""
#endif
#ifndef DWL_FIX_GZIP
#define DWL_FIX_GZIP ""
#endif

#define MAX_CUS 8

struct loaded {
	struct ir_cu *cu[MAX_CUS];
	int n;
	int stop_after;			/* callback fails after this many CUs */
	char diag[1024];		/* the first DIAG_ERROR message */
	int nr_errors, nr_warnings;
	struct dwl_stats stats;
};

static void capture(void *ctx, enum diag_level level, const char *msg)
{
	struct loaded *l = ctx;

	if (level == DIAG_ERROR && l->nr_errors++ == 0)
		snprintf(l->diag, sizeof(l->diag), "%s", msg);
	if (level == DIAG_WARN)
		l->nr_warnings++;
}

static int collect(struct ir_cu *cu, void *arg)
{
	struct loaded *l = arg;

	if (l->n < MAX_CUS)
		l->cu[l->n++] = cu;
	else
		ir_cu__free(cu);
	if (l->stop_after && l->n >= l->stop_after)
		return -ECANCELED;
	return 0;
}

static int load_excl(const char *path, struct loaded *l, uint32_t excl)
{
	struct diag d = { .sink = capture, .ctx = l, .max_level = DIAG_DEBUG };
	struct dwl_opts o = { .diag = &d, .lang_exclude = excl };

	return dwl_load_file(path, &o, collect, l, &l->stats);
}

static int load(const char *path, struct loaded *l)
{
	return load_excl(path, l, 0);
}

static void unload(struct loaded *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		ir_cu__free(l->cu[i]);
	memset(l, 0, sizeof(*l));
}

static const struct ir_type *find_type(const struct ir_cu *cu, enum ir_kind kind,
				       const char *name)
{
	ir_id i;

	for (i = 1; i < ir_cu__nr_types(cu); i++) {
		const struct ir_type *t = ir_cu__type(cu, i);

		if (t->kind == kind && t->name && strcmp(t->name, name) == 0)
			return t;
	}
	return NULL;
}

static const struct ir_member *find_member(const struct ir_type *t, const char *name)
{
	uint32_t i;

	for (i = 0; t && i < t->vlen; i++)
		if (t->members[i].name && strcmp(t->members[i].name, name) == 0)
			return &t->members[i];
	return NULL;
}

static const struct ir_enumerator *find_enumerator(const struct ir_type *t,
						   const char *name)
{
	uint32_t i;

	for (i = 0; t && i < t->vlen; i++)
		if (strcmp(t->enumerators[i].name, name) == 0)
			return &t->enumerators[i];
	return NULL;
}

/* The function named name; with_addr selects the out-of-line copy. */
static const struct ir_func *find_func(const struct ir_cu *cu, const char *name,
				       bool with_addr)
{
	size_t i;

	for (i = 0; i < cu->funcs.len; i++) {
		const struct ir_func *f = &cu->funcs.v[i];

		if (f->name && strcmp(f->name, name) == 0 &&
		    !!(f->flags & IR_FF_HAS_ADDR) == with_addr)
			return f;
	}
	return NULL;
}

static const struct ir_var *find_var(const struct ir_cu *cu, const char *name,
				     uint32_t need_flags)
{
	size_t i;

	for (i = 0; i < cu->vars.len; i++) {
		const struct ir_var *v = &cu->vars.v[i];

		if (v->name && strcmp(v->name, name) == 0 &&
		    (v->flags & need_flags) == need_flags)
			return v;
	}
	return NULL;
}

/* Skip typedefs/modifiers: the kind and name a member really has. */
static const struct ir_type *resolved(const struct ir_cu *cu, ir_id id)
{
	return ir_cu__type(cu, ir_cu__resolve(cu, id));
}

static bool have(const char *path)
{
	return path[0] != '\0';
}

#define CHECK_MEMBER(t, nm, off, bits)                                       \
	do {                                                                 \
		const struct ir_member *m_ = find_member((t), (nm));         \
		CU_ASSERT_PTR_NOT_NULL_FATAL(m_);                           \
		CU_ASSERT_EQUAL(m_->bit_offset, (off));                      \
		CU_ASSERT_EQUAL(m_->bitfield_size, (bits));                  \
	} while (0)

static void check_bits(const struct ir_cu *cu)
{
	const struct ir_type *t = find_type(cu, IR_KIND_STRUCT, "bits");

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size, 16);
	CU_ASSERT_EQUAL(t->vlen, 6);
	CHECK_MEMBER(t, "c", 0, 0);
	CHECK_MEMBER(t, "a", 8, 3);
	CHECK_MEMBER(t, "b", 11, 5);
	CHECK_MEMBER(t, "s", 16, 7);
	CHECK_MEMBER(t, "big", 23, 40);
	CHECK_MEMBER(t, "last", 64, 0);
	/* u32 last: the member keeps the typedef. */
	CU_ASSERT_EQUAL(ir_cu__type(cu, find_member(t, "last")->type)->kind, IR_KIND_TYPEDEF);
	CU_ASSERT_EQUAL(resolved(cu, find_member(t, "s")->type)->flags & IR_TF_SIGNED, IR_TF_SIGNED);
}

static void check_layouts(const struct ir_cu *cu)
{
	const struct ir_type *t, *anon;
	const struct ir_member *m;

	t = find_type(cu, IR_KIND_STRUCT, "packed_s");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size, 5);
	CHECK_MEMBER(t, "i", 8, 0);
	CU_ASSERT(t->flags & IR_TF_PACKED);
	t = find_type(cu, IR_KIND_STRUCT, "aligned_m");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size, 16);
	CHECK_MEMBER(t, "x", 64, 0);
	CU_ASSERT_FALSE(t->flags & IR_TF_PACKED);
	t = find_type(cu, IR_KIND_UNION, "un");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size, 4);
	CU_ASSERT_EQUAL_FATAL(t->vlen, 3);
	m = &t->members[2];
	CU_ASSERT_PTR_NULL(m->name);
	anon = ir_cu__type(cu, m->type);
	CU_ASSERT_PTR_NOT_NULL_FATAL(anon);
	CU_ASSERT_EQUAL(anon->kind, IR_KIND_STRUCT);
	CU_ASSERT_PTR_NULL(anon->name);
	CHECK_MEMBER(anon, "hi", 16, 0);
}

static void check_node(const struct ir_cu *cu)
{
	const struct ir_type *t = find_type(cu, IR_KIND_STRUCT, "node"), *a, *p;
	const struct ir_member *m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size, 72);
	p = ir_cu__type(cu, find_member(t, "next")->type);
	CU_ASSERT_EQUAL_FATAL(p->kind, IR_KIND_PTR);
	CU_ASSERT_EQUAL(p->size, cu->addr_size);
	CU_ASSERT_PTR_EQUAL(ir_cu__type(cu, p->type), t);	/* the cycle */
	p = ir_cu__type(cu, find_member(t, "p")->type);
	if (cu->version > 2) {		/* DWARF 2 has no restrict */
		CU_ASSERT_EQUAL_FATAL(p->kind, IR_KIND_RESTRICT);
		p = ir_cu__type(cu, p->type);
	}
	CU_ASSERT_EQUAL_FATAL(p->kind, IR_KIND_PTR);
	p = resolved(cu, p->type);	/* const volatile int */
	CU_ASSERT_STRING_EQUAL(p->name, "int");
	m = find_member(t, "grid");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->bit_offset, 160);
	a = ir_cu__type(cu, m->type);
	CU_ASSERT_EQUAL_FATAL(a->kind, IR_KIND_ARRAY);
	CU_ASSERT_EQUAL_FATAL(a->vlen, 2);
	CU_ASSERT_EQUAL(a->dims[0].count, 3);
	CU_ASSERT_EQUAL(a->dims[1].count, 4);
	CU_ASSERT_FALSE(a->dims[0].flexible);
	a = ir_cu__type(cu, find_member(t, "zero")->type);
	CU_ASSERT_EQUAL_FATAL(a->vlen, 1);
	CU_ASSERT_EQUAL(a->dims[0].count, 0);
	CU_ASSERT_FALSE(a->dims[0].flexible);
	m = find_member(t, "flex");
	CU_ASSERT_EQUAL(m->bit_offset, 544);
	a = ir_cu__type(cu, m->type);
	CU_ASSERT_EQUAL_FATAL(a->vlen, 1);
	CU_ASSERT_EQUAL(a->dims[0].count, 0);
	CU_ASSERT_TRUE(a->dims[0].flexible);
}

static void check_enums(const struct ir_cu *cu)
{
	const struct ir_type *t;

	t = find_type(cu, IR_KIND_ENUM, "neg");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT(t->flags & IR_TF_SIGNED);
	CU_ASSERT_EQUAL(t->size, 4);
	CU_ASSERT_EQUAL(find_enumerator(t, "NEG_A")->value, (uint64_t)-5);
	CU_ASSERT_EQUAL(find_enumerator(t, "NEG_B")->value, 3);
	t = find_type(cu, IR_KIND_ENUM, "big64");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size, 8);
	CU_ASSERT_EQUAL(find_enumerator(t, "BIG_HUGE")->value, 0x123456789abcdefULL);
	CU_ASSERT_EQUAL(find_enumerator(t, "BIG_NEG")->value, (uint64_t)-0x10000000000LL);
	t = find_type(cu, IR_KIND_ENUM, "small_e");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->size, 1);
	CU_ASSERT_EQUAL(find_enumerator(t, "SMALL_M")->value, (uint64_t)-3);
	CU_ASSERT_EQUAL(find_enumerator(t, "SMALL_P")->value, 100);
	t = find_type(cu, IR_KIND_ENUM, "ubig");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_FALSE(t->flags & IR_TF_SIGNED);
	CU_ASSERT_EQUAL(find_enumerator(t, "UBIG_MAX")->value, UINT64_MAX);
}

static void check_misc_types(const struct ir_cu *cu)
{
	const struct ir_type *t, *p;

	t = find_type(cu, IR_KIND_FWD, "fwd_only");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->fwd_kind, IR_FWD_STRUCT);
	t = find_type(cu, IR_KIND_FWD, "fwd_enum");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->fwd_kind, IR_FWD_ENUM);
	t = find_type(cu, IR_KIND_TYPEDEF, "fnptr");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	p = ir_cu__type(cu, ir_cu__type(cu, t->type)->type);
	CU_ASSERT_EQUAL_FATAL(p->kind, IR_KIND_FUNC_PROTO);
	CU_ASSERT_EQUAL(p->vlen, 1);
	CU_ASSERT(p->flags & IR_TF_VARARGS);
	CU_ASSERT(p->flags & IR_TF_PROTOTYPED);
	CU_ASSERT_STRING_EQUAL(ir_cu__type(cu, p->type)->name, "int");
	t = find_type(cu, IR_KIND_INT, "_Bool");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT(t->flags & IR_TF_BOOL);
	CU_ASSERT_PTR_NOT_NULL(find_type(cu, IR_KIND_INT, "char"));
	CU_ASSERT(find_type(cu, IR_KIND_INT, "char")->flags & IR_TF_CHAR);
}

static void check_type_vars(const struct ir_cu *cu)
{
	const struct ir_var *v;

	v = find_var(cu, "g_init", IR_VF_HAS_ADDR | IR_VF_EXTERNAL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_STRING_EQUAL(v->section, ".data");
	CU_ASSERT_STRING_EQUAL(resolved(cu, v->type)->name, "int");
	v = find_var(cu, "g_bits", IR_VF_HAS_ADDR);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NOT_NULL(v->section);
	CU_ASSERT_PTR_EQUAL(ir_cu__type(cu, v->type), find_type(cu, IR_KIND_STRUCT, "bits"));
	CU_ASSERT_EQUAL(cu->vars.len, 16);
}

/* Everything dwl_types.c describes, whatever the producer and format. */
static void check_types_file(const char *path, uint16_t version)
{
	struct loaded l = { 0 };
	const struct ir_cu *cu;

	if (!have(path))
		return;
	CU_ASSERT_EQUAL_FATAL(load(path, &l), 0);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	cu = l.cu[0];
	CU_ASSERT_EQUAL(cu->lang, IR_LANG_C);
	CU_ASSERT_EQUAL(cu->addr_size, 8);
	if (version)
		CU_ASSERT_EQUAL(cu->version, version);
	CU_ASSERT_PTR_NOT_NULL(cu->producer);
	CU_ASSERT_PTR_NOT_NULL(strstr(cu->name, "dwl_types.c"));
	check_bits(cu);
	check_layouts(cu);
	check_node(cu);
	check_enums(cu);
	check_misc_types(cu);
	check_type_vars(cu);
	CU_ASSERT_EQUAL(l.stats.nr_units, 1);
	CU_ASSERT_EQUAL(l.stats.nr_types, ir_cu__nr_types(cu) - 1);
	CU_ASSERT_EQUAL(l.nr_errors, 0);
	unload(&l);
}

static void test_types_gcc(void)
{
	check_types_file(DWL_FIX_TYPES_GCC2, 2);
	check_types_file(DWL_FIX_TYPES_GCC4, 4);
	check_types_file(DWL_FIX_TYPES_GCC5, 5);
}

/* dwl_opts.lazy_packed: no struct is packed until someone asks; then the
 * flags are those of an eager load, type for type. */
static void test_lazy_packed(void)
{
	struct loaded eager = { 0 }, lazy = { 0 };
	struct diag d = { .sink = capture, .ctx = &lazy, .max_level = DIAG_DEBUG };
	struct dwl_opts o = { .diag = &d, .lazy_packed = true };
	const struct ir_type *t;
	struct ir_cu *cu;
	ir_id id;

	if (!have(DWL_FIX_TYPES_GCC5))
		return;
	CU_ASSERT_EQUAL_FATAL(load(DWL_FIX_TYPES_GCC5, &eager), 0);
	CU_ASSERT_EQUAL_FATAL(dwl_load_file(DWL_FIX_TYPES_GCC5, &o, collect, &lazy, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(lazy.n, 1);
	cu = lazy.cu[0];
	CU_ASSERT_FALSE(eager.cu[0]->packed_pending);
	CU_ASSERT_TRUE(cu->packed_pending);
	t = find_type(cu, IR_KIND_STRUCT, "packed_s");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_FALSE(t->flags & IR_TF_PACKED);
	ir_cu__ensure_packed(cu);
	CU_ASSERT_FALSE(cu->packed_pending);
	CU_ASSERT_TRUE(t->flags & IR_TF_PACKED);
	CU_ASSERT_EQUAL_FATAL(ir_cu__nr_types(cu), ir_cu__nr_types(eager.cu[0]));
	for (id = 1; id < ir_cu__nr_types(cu); id++)
		CU_ASSERT_EQUAL(ir_cu__type(cu, id)->flags, ir_cu__type(eager.cu[0], id)->flags);
	check_layouts(cu);
	unload(&eager);
	unload(&lazy);
}

static void test_types_clang(void)
{
	check_types_file(DWL_FIX_TYPES_CLANG4, 4);
	check_types_file(DWL_FIX_TYPES_CLANG5, 5);
}

/* Compressed sections (SHF_COMPRESSED, .zdebug) and a gzip'd file. */
static void test_compressed(void)
{
	check_types_file(DWL_FIX_TYPES_GZ, 0);
	check_types_file(DWL_FIX_TYPES_ZDEBUG, 4);
	check_types_file(DWL_FIX_GZIP, 5);
}

/* s390x, DWARF 3: DW_AT_bit_offset counts from the MSB on big-endian. */
static void test_big_endian(void)
{
	struct loaded l = { 0 };

	if (!have(DWL_FIX_TYPES_BE))
		return;
	CU_ASSERT_EQUAL_FATAL(load(DWL_FIX_TYPES_BE, &l), 0);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	CU_ASSERT_TRUE(l.cu[0]->big_endian);
	CU_ASSERT_EQUAL(l.cu[0]->machine, EM_S390);
	CU_ASSERT_EQUAL(l.cu[0]->version, 3);
	check_bits(l.cu[0]);
	check_enums(l.cu[0]);
	unload(&l);
}

static const struct ir_param *param(const struct ir_cu *cu, const struct ir_func *f,
				    uint32_t i)
{
	const struct ir_type *p = ir_cu__type(cu, f->proto);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(p->kind, IR_KIND_FUNC_PROTO);
	CU_ASSERT_FATAL(i < p->vlen);
	return &p->params[i];
}

/* Common to gcc and clang at -O2 on x86-64 (DWARF regs: 5 rdi, 4 rsi, 1 rdx). */
static void check_funcs(const struct ir_cu *cu)
{
	const struct ir_func *f;
	const struct ir_type *proto;
	const struct ir_var *v;

	f = find_func(cu, "dwl_regs", true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(f->flags & IR_FF_EXTERNAL);
	CU_ASSERT(f->high_pc > f->low_pc);
	proto = ir_cu__type(cu, f->proto);
	CU_ASSERT_EQUAL_FATAL(proto->vlen, 3);
	CU_ASSERT(proto->flags & IR_TF_PROTOTYPED);
	CU_ASSERT(strcmp(ir_cu__type(cu, proto->type)->name, "long int") == 0 ||
		  strcmp(ir_cu__type(cu, proto->type)->name, "long") == 0);
	CU_ASSERT_STRING_EQUAL(param(cu, f, 0)->name, "x");
	CU_ASSERT_EQUAL(param(cu, f, 0)->loc, IR_LOC_REG);
	CU_ASSERT_EQUAL(param(cu, f, 0)->reg, 5);
	CU_ASSERT_EQUAL(param(cu, f, 1)->loc, IR_LOC_REG);
	CU_ASSERT_EQUAL(param(cu, f, 1)->reg, 4);
	CU_ASSERT_EQUAL(param(cu, f, 2)->reg, 1);
	CU_ASSERT_EQUAL(ir_cu__type(cu, param(cu, f, 1)->type)->kind, IR_KIND_PTR);
	f = find_func(cu, "dwl_varargs", true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(ir_cu__type(cu, f->proto)->flags & IR_TF_VARARGS);
	f = find_func(cu, "dwl_kr", true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_FALSE(ir_cu__type(cu, f->proto)->flags & IR_TF_PROTOTYPED);
	f = find_func(cu, "dwl_inl", false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(f->flags & IR_FF_INLINE);
	CU_ASSERT_EQUAL(param(cu, f, 0)->loc, IR_LOC_UNKNOWN);
	CU_ASSERT_PTR_NULL(find_func(cu, "dwl_inl", true));
	/* Static locals are kept, automatic ones are not. */
	v = find_var(cu, "calls", IR_VF_HAS_ADDR);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_STRING_EQUAL(v->section, ".bss");
	CU_ASSERT_PTR_NULL(find_var(cu, "p", 0));
	v = find_var(cu, "dwl_counter_init", IR_VF_HAS_ADDR | IR_VF_EXTERNAL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_STRING_EQUAL(v->section, ".data");
	v = find_var(cu, "dwl_static_var", IR_VF_HAS_ADDR);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_FALSE(v->flags & IR_VF_EXTERNAL);
}

static void test_funcs_gcc(void)
{
	struct loaded l = { 0 };
	const struct ir_func *f;
	const struct ir_cu *cu;

	if (!have(DWL_FIX_FUNCS_GCC))
		return;
	CU_ASSERT_EQUAL_FATAL(load(DWL_FIX_FUNCS_GCC, &l), 0);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	cu = l.cu[0];
	check_funcs(cu);
	/* The out-of-line copy of a partly inlined static function: named
	 * through its abstract origin, and "also" (3rd) arrives in rsi. */
	f = find_func(cu, "dwl_dropped", true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(f->flags & IR_FF_FROM_ORIGIN);
	CU_ASSERT_FALSE(f->flags & IR_FF_EXTERNAL);
	CU_ASSERT_STRING_EQUAL(param(cu, f, 0)->name, "keep");
	CU_ASSERT_EQUAL(param(cu, f, 0)->reg, 5);
	CU_ASSERT_STRING_EQUAL(param(cu, f, 1)->name, "unused");
	CU_ASSERT_NOT_EQUAL(param(cu, f, 1)->loc, IR_LOC_REG);
	CU_ASSERT_STRING_EQUAL(param(cu, f, 2)->name, "also");
	CU_ASSERT_EQUAL(param(cu, f, 2)->loc, IR_LOC_REG);
	CU_ASSERT_EQUAL(param(cu, f, 2)->reg, 4);
	CU_ASSERT_PTR_NOT_NULL(find_func(cu, "dwl_dropped", false));
	/* extern declaration, then the definition completing it. */
	CU_ASSERT_PTR_NOT_NULL(find_var(cu, "dwl_ext", IR_VF_DECLARATION));
	CU_ASSERT_PTR_NOT_NULL(find_var(cu, "dwl_ext", IR_VF_SPECIFICATION | IR_VF_HAS_ADDR));
	unload(&l);
}

static void test_funcs_clang(void)
{
	struct loaded l = { 0 };
	const struct ir_func *f;

	if (!have(DWL_FIX_FUNCS_CLANG))
		return;
	CU_ASSERT_EQUAL_FATAL(load(DWL_FIX_FUNCS_CLANG, &l), 0);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	check_funcs(l.cu[0]);
	/* clang drops the location of the unused parameter. */
	f = find_func(l.cu[0], "dwl_dropped", true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(param(l.cu[0], f, 1)->loc, IR_LOC_OPTIMIZED_OUT);
	unload(&l);
}

/* A linked program: two CUs, real addresses, sections of the executable. */
static void test_program(void)
{
	struct loaded l = { 0 };
	const struct ir_func *f;
	const struct ir_var *v;

	if (!have(DWL_FIX_PROG_GCC))
		return;
	CU_ASSERT_EQUAL_FATAL(load(DWL_FIX_PROG_GCC, &l), 0);
	CU_ASSERT_EQUAL_FATAL(l.n, 2);
	CU_ASSERT_EQUAL(l.cu[0]->index, 0);
	CU_ASSERT_EQUAL(l.cu[1]->index, 1);
	CU_ASSERT(l.cu[1]->orig_off > l.cu[0]->orig_off);
	check_funcs(l.cu[0]);
	f = find_func(l.cu[1], "main", true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(f->low_pc != 0);
	v = find_var(l.cu[0], "dwl_counter_init", IR_VF_HAS_ADDR);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT(v->addr != 0);
	CU_ASSERT(v->section_offset < v->addr);
	CU_ASSERT_EQUAL(l.stats.nr_units, 2);
	unload(&l);
}

static bool has_annot(const struct ir_annots *a, const char *v)
{
	uint32_t i;

	for (i = 0; i < a->len; i++)
		if (strcmp(a->v[i], v) == 0)
			return true;
	return false;
}

/* clang: btf_decl_tag on everything, btf_type_tag in clang's BTF order. */
static void test_btf_tags(void)
{
	struct loaded l = { 0 };
	const struct ir_type *t, *p, *tag;
	const struct ir_func *f;
	const struct ir_cu *cu;

	if (!have(DWL_FIX_TAGS))
		return;
	CU_ASSERT_EQUAL_FATAL(load(DWL_FIX_TAGS, &l), 0);
	cu = l.cu[0];
	t = find_type(cu, IR_KIND_STRUCT, "tagged");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT(has_annot(&t->annots, "struct_tag"));
	CU_ASSERT(has_annot(&find_member(t, "m")->annots, "member_tag"));
	p = ir_cu__type(cu, find_member(t, "tp")->type);
	CU_ASSERT_EQUAL_FATAL(p->kind, IR_KIND_PTR);
	tag = ir_cu__type(cu, p->type);		/* PTR -> b -> a -> int */
	CU_ASSERT_EQUAL_FATAL(tag->kind, IR_KIND_TYPE_TAG);
	CU_ASSERT_STRING_EQUAL(tag->name, "b");
	tag = ir_cu__type(cu, tag->type);
	CU_ASSERT_EQUAL_FATAL(tag->kind, IR_KIND_TYPE_TAG);
	CU_ASSERT_STRING_EQUAL(tag->name, "a");
	CU_ASSERT_STRING_EQUAL(ir_cu__type(cu, tag->type)->name, "int");
	t = find_type(cu, IR_KIND_TYPEDEF, "tagged_int");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT(has_annot(&t->annots, "typedef_tag"));
	CU_ASSERT(has_annot(&find_var(cu, "tagged_var", 0)->annots, "var_tag"));
	f = find_func(cu, "tagged_func", true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(has_annot(&f->annots, "func_tag"));
	CU_ASSERT(has_annot(&param(cu, f, 0)->annots, "param_tag"));
	unload(&l);
}

/* -fdebug-types-section: the struct lives in a type unit and is copied
 * into both CUs; type units are not CUs themselves. */
static void check_type_units(const char *path)
{
	struct loaded l = { 0 };
	int i;

	if (!have(path))
		return;
	CU_ASSERT_EQUAL_FATAL(load(path, &l), 0);
	CU_ASSERT_EQUAL_FATAL(l.n, 2);
	for (i = 0; i < 2; i++) {
		const struct ir_type *t = find_type(l.cu[i], IR_KIND_STRUCT, "dwl_shared");
		const struct ir_type *self;

		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		CU_ASSERT_EQUAL(t->size, 24);
		CHECK_MEMBER(t, "b", 64, 0);
		self = ir_cu__type(l.cu[i], find_member(t, "self")->type);
		CU_ASSERT_EQUAL_FATAL(self->kind, IR_KIND_PTR);
		CU_ASSERT_PTR_EQUAL(ir_cu__type(l.cu[i], self->type), t);
		CU_ASSERT_PTR_NULL(find_type(l.cu[i], IR_KIND_FWD, "dwl_shared"));
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(find_var(l.cu[0], "dwl_tu_var", IR_VF_HAS_ADDR));
	CU_ASSERT_PTR_EQUAL(ir_cu__type(l.cu[0], find_var(l.cu[0], "dwl_tu_var", 0)->type),
			    find_type(l.cu[0], IR_KIND_STRUCT, "dwl_shared"));
	CU_ASSERT_EQUAL(l.stats.nr_units, 2);
	unload(&l);
}

static void test_type_units(void)
{
	check_type_units(DWL_FIX_TU4);
	check_type_units(DWL_FIX_TU5);
}

/* The type of member 'name' of t, following nothing. */
static const struct ir_type *member_type(const struct ir_cu *cu, const struct ir_type *t,
					 const char *name)
{
	const struct ir_member *m = find_member(t, name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	return ir_cu__type(cu, m->type);
}

static void check_tu_inner(const struct ir_cu *cu, const struct ir_type *inner)
{
	const struct ir_type *t;

	CU_ASSERT_EQUAL(inner->size, 12);
	CU_ASSERT_EQUAL(inner->vlen, 4);
	CHECK_MEMBER(inner, "id", 0, 0);
	CHECK_MEMBER(inner, "color", 32, 0);
	CHECK_MEMBER(inner, "flag", 64, 3);
	CHECK_MEMBER(inner, "mode", 67, 5);
	t = member_type(cu, inner, "id");
	CU_ASSERT_EQUAL_FATAL(t->kind, IR_KIND_TYPEDEF);
	CU_ASSERT_STRING_EQUAL(t->name, "dwl_tu_u32");
	CU_ASSERT_STRING_EQUAL(resolved(cu, t->type)->name, "unsigned int");
	t = member_type(cu, inner, "color");
	CU_ASSERT_EQUAL_FATAL(t->kind, IR_KIND_ENUM);
	CU_ASSERT_STRING_EQUAL(t->name, "dwl_tu_color");
	CU_ASSERT_EQUAL_FATAL(t->vlen, 2);
	CU_ASSERT_EQUAL(find_enumerator(t, "DWL_TU_GREEN")->value, 7);
}

/*
 * gcc -fdebug-types-section -c: each type unit in a COMDAT section of its
 * own, which libdw does not read (dwl_tunits.c). Every type loads with its
 * members, once, and not as a FWD; the names prove the relocations of those
 * sections were applied (their .debug_str offsets are relocation targets).
 */
static void check_tu_object(const char *path)
{
	const struct ir_type *outer, *inner, *t;
	struct loaded l = { 0 };
	const struct ir_cu *cu;
	uint64_t ptr;

	if (!have(path))
		return;
	CU_ASSERT_EQUAL_FATAL(load(path, &l), 0);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	CU_ASSERT_EQUAL(l.nr_warnings, 0);	/* no "names no type unit" */
	cu = l.cu[0];
	outer = find_type(cu, IR_KIND_STRUCT, "dwl_tu_outer");
	inner = find_type(cu, IR_KIND_STRUCT, "dwl_tu_inner");
	CU_ASSERT_PTR_NOT_NULL_FATAL(outer);
	CU_ASSERT_PTR_NOT_NULL_FATAL(inner);
	/* i386 aligns long and pointers to 4 like x86-64 does to 8 here. */
	ptr = cu->addr_size;
	CU_ASSERT_EQUAL(outer->size, 16 + 5 * ptr);
	CU_ASSERT_EQUAL(outer->vlen, 5);
	CHECK_MEMBER(outer, "tag", 0, 0);
	CHECK_MEMBER(outer, "in", 32, 0);
	CHECK_MEMBER(outer, "v", 128, 0);
	CHECK_MEMBER(outer, "next", (16 + ptr) * 8, 0);
	CHECK_MEMBER(outer, "arr", (16 + 2 * ptr) * 8, 0);
	check_tu_inner(cu, inner);
	CU_ASSERT_PTR_EQUAL(member_type(cu, outer, "in"), inner);
	t = member_type(cu, outer, "next");		/* the cycle */
	CU_ASSERT_EQUAL_FATAL(t->kind, IR_KIND_PTR);
	CU_ASSERT_PTR_EQUAL(ir_cu__type(cu, t->type), outer);
	t = member_type(cu, outer, "v");
	CU_ASSERT_EQUAL_FATAL(t->kind, IR_KIND_UNION);
	CU_ASSERT_STRING_EQUAL(t->name, "dwl_tu_val");
	CU_ASSERT_EQUAL(t->size, ptr);
	t = member_type(cu, t, "ip");
	CU_ASSERT_EQUAL_FATAL(t->kind, IR_KIND_PTR);
	CU_ASSERT_PTR_EQUAL(ir_cu__type(cu, t->type), inner);
	t = member_type(cu, outer, "arr");		/* const struct dwl_tu_inner *[3] */
	CU_ASSERT_EQUAL_FATAL(t->kind, IR_KIND_ARRAY);
	CU_ASSERT_EQUAL(t->dims[0].count, 3);
	t = ir_cu__type(cu, t->type);
	CU_ASSERT_EQUAL_FATAL(t->kind, IR_KIND_PTR);
	t = ir_cu__type(cu, t->type);
	CU_ASSERT_EQUAL_FATAL(t->kind, IR_KIND_CONST);
	CU_ASSERT_PTR_EQUAL(ir_cu__type(cu, t->type), inner);
	CU_ASSERT_PTR_NULL(find_type(cu, IR_KIND_FWD, "dwl_tu_outer"));
	CU_ASSERT_PTR_NULL(find_type(cu, IR_KIND_FWD, "dwl_tu_inner"));
	CU_ASSERT_PTR_NULL(find_type(cu, IR_KIND_FWD, "dwl_tu_val"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(find_var(cu, "dwl_tu_obj_var", IR_VF_HAS_ADDR));
	CU_ASSERT_PTR_EQUAL(ir_cu__type(cu, find_var(cu, "dwl_tu_obj_var", 0)->type), outer);
	t = ir_cu__type(cu, param(cu, find_func(cu, "dwl_tu_obj_use", true), 0)->type);
	CU_ASSERT_EQUAL_FATAL(t->kind, IR_KIND_PTR);
	CU_ASSERT_PTR_EQUAL(ir_cu__type(cu, t->type), outer);
	unload(&l);
}

static void test_type_unit_objects(void)
{
	check_tu_object(DWL_FIX_TUO4);
	check_tu_object(DWL_FIX_TUO5);	/* DWARF 5: COMDAT .debug_info sections */
	check_tu_object(DWL_FIX_TUOZ);	/* compressed (-gz) COMDAT sections */
	check_tu_object(DWL_FIX_TUOZG);	/* .zdebug_types (-gz=zlib-gnu) */
	check_tu_object(DWL_FIX_TUO32);	/* ELF32 */
}

/* Copy 'src' to a temporary file, patch 'len' bytes at 'off' (or cut the
 * file to 'off' bytes when patch is NULL). Returns the path (static). */
static const char *mutate(const char *src, long off, const void *patch, size_t len)
{
	static char path[64];
	FILE *in = fopen(src, "rb"), *out;
	char buf[4096];
	size_t n;
	long total = 0;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	snprintf(path, sizeof(path), "/tmp/btfenc-dwl-XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	out = fdopen(fd, "wb");
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (!patch && total + (long)n > off)
			n = (size_t)(off - total);
		fwrite(buf, 1, n, out);
		total += (long)n;
		if (!patch && total >= off)
			break;
	}
	if (patch) {
		fseek(out, off, SEEK_SET);
		fwrite(patch, 1, len, out);
	}
	fclose(out);
	fclose(in);
	return path;
}

/* File offset of a section, via libelf. */
static long section_offset(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);
	Elf *e;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	long off = -1;

	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (e && elf_getshdrstrndx(e, &shstrndx) == 0) {
		while ((scn = elf_nextscn(e, scn))) {
			GElf_Shdr sh;
			const char *n;

			if (!gelf_getshdr(scn, &sh))
				continue;
			n = elf_strptr(e, shstrndx, sh.sh_name);
			if (n && strcmp(n, name) == 0)
				off = (long)sh.sh_offset;
		}
	}
	elf_end(e);
	close(fd);
	return off;
}

static void expect_error(const char *path, int err, const char *needle)
{
	struct loaded l = { 0 };

	CU_ASSERT_EQUAL(load(path, &l), err);
	CU_ASSERT_EQUAL(l.n, 0);
	CU_ASSERT_EQUAL(l.nr_errors, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(l.diag, path));
	if (!strstr(l.diag, needle))
		fprintf(stderr, "\n  diag \"%s\" lacks \"%s\"\n", l.diag, needle);
	CU_ASSERT_PTR_NOT_NULL(strstr(l.diag, needle));
	unload(&l);
}

static void test_errors(void)
{
	const char *src = DWL_FIX_TYPES_GCC5, *p;
	static const unsigned char bad_len[4] = { 0xf0, 0xff, 0xff, 0xff };
	static const unsigned char bad_abbrev[1] = { 0x7f };
	long info;

	expect_error("/nonexistent/btfenc/file.o", -ENOENT, "cannot open");
	if (have(DWL_FIX_NODEBUG))
		expect_error(DWL_FIX_NODEBUG, -ENODATA, "no DWARF");
	if (!have(src))
		return;
	p = mutate(src, 0, "#!/bin/sh\n", 10);
	expect_error(p, -ENOEXEC, "not an ELF");
	unlink(p);
	p = mutate(src, 200, NULL, 0);
	expect_error(p, -EIO, "truncated");
	unlink(p);
	info = section_offset(src, ".debug_info");
	CU_ASSERT_FATAL(info > 0);
	p = mutate(src, info, bad_len, sizeof(bad_len));	/* unit length */
	expect_error(p, -EIO, "CU 0x0");
	unlink(p);
	p = mutate(src, info + 12, bad_abbrev, 1);	/* DWARF5 CU DIE abbrev code */
	expect_error(p, -EIO, "CU 0x0 DIE 0xc");
	unlink(p);
}

struct sec_info {
	long off, size;
	size_t ndx;
};

/* The first section called name, via libelf; false if there is none. */
static bool find_section(const char *path, const char *name, struct sec_info *ret)
{
	int fd = open(path, O_RDONLY);
	Elf *e;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	bool found = false;

	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (e && elf_getshdrstrndx(e, &shstrndx) == 0) {
		while (!found && (scn = elf_nextscn(e, scn))) {
			GElf_Shdr sh;
			const char *n;

			if (!gelf_getshdr(scn, &sh))
				continue;
			n = elf_strptr(e, shstrndx, sh.sh_name);
			if (!n || strcmp(n, name) != 0)
				continue;
			ret->off = (long)sh.sh_offset;
			ret->size = (long)sh.sh_size;
			ret->ndx = elf_ndxscn(scn);
			found = true;
		}
	}
	elf_end(e);
	close(fd);
	return found;
}

static uint32_t read_u32(const char *path, long off)
{
	FILE *in = fopen(path, "rb");
	uint32_t v = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	fseek(in, off, SEEK_SET);
	CU_ASSERT_EQUAL(fread(&v, 1, 4, in), 4);	/* fixtures are native */
	fclose(in);
	return v;
}

/* Write unit length 'len' at 'off' of a copy of src; expect -EIO and a
 * message containing needle. */
static void expect_bad_length(const char *src, long off, uint32_t len, const char *needle)
{
	const char *p = mutate(src, off, &len, sizeof(len));

	expect_error(p, -EIO, needle);
	unlink(p);
}

/*
 * libdw takes a unit length running past the end of the section, or a tail
 * that is no unit, for the end of the units: the first would hide all later
 * units. Each must fail the file before any CU is delivered.
 */
static void test_unit_bounds(void)
{
	struct sec_info si;
	struct loaded l = { 0 };
	char needle[160];
	uint64_t last;
	uint32_t len;

	if (have(DWL_FIX_TYPES_GCC5) && find_section(DWL_FIX_TYPES_GCC5, ".debug_info", &si)) {
		snprintf(needle, sizeof(needle),
			 "CU 0x0: unit length 0x7e7e7e7e runs past the end of .debug_info (size 0x%lx)",
			 si.size);
		expect_bad_length(DWL_FIX_TYPES_GCC5, si.off, 0x7e7e7e7e, needle);
	}
	if (!have(DWL_FIX_PROG_GCC))
		return;
	CU_ASSERT_FATAL(find_section(DWL_FIX_PROG_GCC, ".debug_info", &si));
	/* A program: the first of two units, so the second is not lost. */
	snprintf(needle, sizeof(needle),
		 "CU 0x0: unit length 0x7e7e7e7e runs past the end of .debug_info (size 0x%lx)",
		 si.size);
	expect_bad_length(DWL_FIX_PROG_GCC, si.off, 0x7e7e7e7e, needle);
	CU_ASSERT_EQUAL_FATAL(load(DWL_FIX_PROG_GCC, &l), 0);
	CU_ASSERT_EQUAL_FATAL(l.n, 2);
	last = l.cu[1]->orig_off;
	unload(&l);
	len = read_u32(DWL_FIX_PROG_GCC, si.off + (long)last);
	CU_ASSERT_EQUAL_FATAL(last + 4 + len, (uint64_t)si.size);
	/* The last unit one byte too long: truncated. */
	snprintf(needle, sizeof(needle),
		 "CU 0x%llx: unit length 0x%x runs past the end of .debug_info",
		 (unsigned long long)last, len + 1);
	expect_bad_length(DWL_FIX_PROG_GCC, si.off + (long)last, len + 1, needle);
	/* Two bytes short: a tail too small for a unit header. */
	snprintf(needle, sizeof(needle),
		 "2 bytes at 0x%llx after the last unit of .debug_info (size 0x%lx) are not a unit",
		 (unsigned long long)(last + 4 + len - 2), si.size);
	expect_bad_length(DWL_FIX_PROG_GCC, si.off + (long)last, len - 2, needle);
}

/* The same for .debug_types: linked, and a COMDAT section of a .o. */
static void test_type_unit_bounds(void)
{
	struct sec_info si;
	char needle[160];

	if (have(DWL_FIX_TU4) && find_section(DWL_FIX_TU4, ".debug_types", &si)) {
		snprintf(needle, sizeof(needle),
			 "TU 0x0: unit length 0x7e7e7e7e runs past the end of .debug_types (size 0x%lx)",
			 si.size);
		expect_bad_length(DWL_FIX_TU4, si.off, 0x7e7e7e7e, needle);
	}
	if (have(DWL_FIX_TUO4) && find_section(DWL_FIX_TUO4, ".debug_types", &si)) {
		snprintf(needle, sizeof(needle),
			 "TU 0x0: unit length 0x7e7e7e7e runs past the end of .debug_types [%zu] (size 0x%lx)",
			 si.ndx, si.size);
		expect_bad_length(DWL_FIX_TUO4, si.off, 0x7e7e7e7e, needle);
	}
}

static void test_callback_and_exclude(void)
{
	struct loaded l = { 0 };
	uint32_t mask = 0;

	if (!have(DWL_FIX_PROG_GCC))
		return;
	/* The callback's error stops the walk and is returned unreported. */
	l.stop_after = 1;
	CU_ASSERT_EQUAL(load(DWL_FIX_PROG_GCC, &l), -ECANCELED);
	CU_ASSERT_EQUAL(l.n, 1);
	CU_ASSERT_EQUAL(l.nr_errors, 0);
	unload(&l);
	CU_ASSERT_EQUAL_FATAL(dwl_parse_lang_list("c", &mask), 0);
	CU_ASSERT_EQUAL(load_excl(DWL_FIX_PROG_GCC, &l, mask), 0);
	CU_ASSERT_EQUAL(l.n, 0);
	CU_ASSERT_EQUAL(l.stats.nr_units, 2);
	CU_ASSERT_EQUAL(l.stats.nr_units_excluded, 2);
	unload(&l);
	CU_ASSERT_EQUAL_FATAL(dwl_parse_lang_list("rust,c++", &mask), 0);
	CU_ASSERT_EQUAL(load_excl(DWL_FIX_PROG_GCC, &l, mask), 0);
	CU_ASSERT_EQUAL(l.n, 2);
	CU_ASSERT_EQUAL(l.stats.nr_units_excluded, 0);
	unload(&l);
}

static void test_lang_list(void)
{
	uint32_t mask = 0;

	CU_ASSERT_EQUAL(dwl_parse_lang_list("c89,c11 c99", &mask), 0);
	CU_ASSERT_EQUAL(mask, 1u << IR_LANG_C);
	CU_ASSERT_EQUAL(dwl_parse_lang_list("rust,c++11,c_plus_plus_14", &mask), 0);
	CU_ASSERT_EQUAL(mask, (1u << IR_LANG_RUST) | (1u << IR_LANG_CXX));
	CU_ASSERT_EQUAL(dwl_parse_lang_list("mips_assembler,ada95,fortran", &mask), 0);
	CU_ASSERT_EQUAL(mask, (1u << IR_LANG_ASM) | (1u << IR_LANG_OTHER));
	mask = 77;
	CU_ASSERT_EQUAL(dwl_parse_lang_list("c,klingon", &mask), -EINVAL);
	CU_ASSERT_EQUAL(mask, 77);	/* untouched on failure */
	CU_ASSERT_EQUAL(dwl_parse_lang_list("c+", &mask), -EINVAL);
}

static void test_tag_name(void)
{
	char buf[32];

	CU_ASSERT_STRING_EQUAL(dwl_tag_name(0x13, buf, sizeof(buf)), "DW_TAG_structure_type");
	CU_ASSERT_STRING_EQUAL(dwl_tag_name(0x6000, buf, sizeof(buf)), "DW_TAG_LLVM_annotation");
	CU_ASSERT_STRING_EQUAL(dwl_tag_name(0x4109, buf, sizeof(buf)), "DW_TAG_GNU_call_site");
	CU_ASSERT_STRING_EQUAL(dwl_tag_name(0x5555, buf, sizeof(buf)), "DW_TAG_0x5555");
}

/*
 * Parallel decoding (dwl_opts.jobs, dwl_parallel.c): the callback must see
 * the same CUs, in the same order, with the same content, the same messages
 * and statistics, for every number of threads; errors and a failing callback
 * must stop it the same way. Besides the small fixtures, the unit-test
 * executable itself is a many-CU input when it is built with -g.
 */

/* What the callback saw of one CU. */
struct seen_cu {
	char name[96];
	uint32_t index;
	uint64_t orig_off;
	uint32_t nr_types, nr_funcs, nr_vars;
	uint64_t hash;			/* of every type, function and variable */
};

struct seen {
	struct { struct seen_cu *v; size_t len, cap; } cus;
	size_t stop_at;			/* the callback fails on this CU (1-based) */
	uint64_t msg_hash;		/* every diag line, in order */
	int nr_errors;
	char diag[1024];		/* the DIAG_ERROR line */
	struct dwl_stats stats;
};

static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return s ? fnv(h, s, strlen(s) + 1) : fnv(h, "", 1);
}

static int hash_ref(ir_id id, void *ctx)
{
	*(uint64_t *)ctx = fnv(*(uint64_t *)ctx, &id, sizeof(id));
	return 0;
}

static uint64_t cu_hash(const struct ir_cu *cu)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 1; i < cu->types.len; i++) {
		const struct ir_type *t = &cu->types.v[i];
		uint64_t f[6] = { t->kind, t->flags, t->vlen, t->size, t->type, t->orig_off };

		h = fnv(h, f, sizeof(f));
		h = fnv_str(h, t->name);
		ir_type__visit_refs(t, hash_ref, &h);
	}
	for (i = 0; i < cu->funcs.len; i++) {
		const struct ir_func *fn = &cu->funcs.v[i];
		uint64_t f[4] = { fn->proto, fn->flags, fn->low_pc, fn->high_pc };

		h = fnv(fnv_str(fnv_str(h, fn->name), fn->section), f, sizeof(f));
	}
	for (i = 0; i < cu->vars.len; i++) {
		const struct ir_var *v = &cu->vars.v[i];
		uint64_t f[3] = { v->type, v->flags, v->addr };

		h = fnv(fnv_str(fnv_str(h, v->name), v->section), f, sizeof(f));
	}
	return h;
}

static void seen_sink(void *ctx, enum diag_level level, const char *msg)
{
	struct seen *s = ctx;

	s->msg_hash = fnv(fnv_str(s->msg_hash, msg), &level, sizeof(level));
	if (level == DIAG_ERROR && s->nr_errors++ == 0)
		snprintf(s->diag, sizeof(s->diag), "%s", msg);
}

static int seen_cu(struct ir_cu *cu, void *arg)
{
	struct seen *s = arg;
	struct seen_cu *c;

	if (vec_push(&s->cus)) {
		ir_cu__free(cu);
		return -ENOMEM;
	}
	c = vec_last(&s->cus);
	snprintf(c->name, sizeof(c->name), "%s", cu->name);
	c->index = cu->index;
	c->orig_off = cu->orig_off;
	c->nr_types = ir_cu__nr_types(cu);
	c->nr_funcs = (uint32_t)cu->funcs.len;
	c->nr_vars = (uint32_t)cu->vars.len;
	c->hash = cu_hash(cu);
	ir_cu__free(cu);
	return s->stop_at && s->cus.len >= s->stop_at ? -ECANCELED : 0;
}

/* In a jobs value: with dwl_opts.busy_caller (the calling thread decodes
 * the units that are late itself, through its own session). */
#define BUSY 0x10000u

static int load_seen(const char *path, unsigned int jobs, size_t stop_at,
		     struct seen *s)
{
	struct diag d = { .sink = seen_sink, .ctx = s, .max_level = DIAG_DEBUG };
	struct dwl_opts o = { .diag = &d, .jobs = jobs & ~BUSY, .busy_caller = jobs & BUSY };

	memset(s, 0, sizeof(*s));
	s->stop_at = stop_at;
	return dwl_load_file(path, &o, seen_cu, s, &s->stats);
}

static void seen_free(struct seen *s)
{
	vec_free(&s->cus);
}

static bool stats_equal(const struct dwl_stats *a, const struct dwl_stats *b)
{
	uint32_t i;

	if (a->nr_units != b->nr_units || a->nr_units_excluded != b->nr_units_excluded ||
	    a->nr_dies != b->nr_dies || a->nr_types != b->nr_types ||
	    a->nr_funcs != b->nr_funcs || a->nr_vars != b->nr_vars ||
	    a->nr_skipped != b->nr_skipped || a->nr_skipped_tags != b->nr_skipped_tags)
		return false;
	for (i = 0; i < a->nr_skipped_tags; i++)
		if (a->skipped[i].tag != b->skipped[i].tag ||
		    a->skipped[i].count != b->skipped[i].count)
			return false;
	return true;
}

/* Everything the callback and the sink saw is the same. */
static void expect_same_seen(const struct seen *a, const struct seen *b, const char *what)
{
	size_t i;
	bool same = a->cus.len == b->cus.len && a->msg_hash == b->msg_hash &&
		    a->nr_errors == b->nr_errors && strcmp(a->diag, b->diag) == 0 &&
		    stats_equal(&a->stats, &b->stats);

	for (i = 0; same && i < a->cus.len; i++)
		same = memcmp(&a->cus.v[i], &b->cus.v[i], sizeof(a->cus.v[i])) == 0;
	if (!same)
		fprintf(stderr, "\n  %s: differs from -j1 (%zu vs %zu CUs)\n", what,
			a->cus.len, b->cus.len);
	CU_ASSERT(same);
}

/* The unit-test executable, when it has DWARF (not in release builds). */
static const char *self_exe(void)
{
	static char path[4096];
	struct seen s;
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n <= 0)
		return "";
	path[n] = '\0';
	if (load_seen(path, 1, 1, &s) != -ECANCELED)
		path[0] = '\0';
	seen_free(&s);
	return path;
}

static void test_parallel_same(void)
{
	const char *inputs[] = {
		DWL_FIX_PROG_GCC, DWL_FIX_TU4, DWL_FIX_TU5, DWL_FIX_TUO4,
		DWL_FIX_TUO5, DWL_FIX_TYPES_CLANG5, DWL_FIX_FUNCS_CLANG, self_exe(),
	};
	static const unsigned int jobs[] = { 2, 3, 4, 2 | BUSY, 3 | BUSY };
	size_t i, j;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct seen ref, s;

		if (!have(inputs[i]))
			continue;
		CU_ASSERT_EQUAL(load_seen(inputs[i], 1, 0, &ref), 0);
		CU_ASSERT(ref.cus.len > 0);
		for (j = 0; j < ref.cus.len; j++)
			CU_ASSERT_EQUAL(ref.cus.v[j].index, j);
		for (j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
			CU_ASSERT_EQUAL(load_seen(inputs[i], jobs[j], 0, &s), 0);
			expect_same_seen(&ref, &s, inputs[i]);
			seen_free(&s);
		}
		seen_free(&ref);
	}
}

/* The callback fails on the 2nd CU: the walk stops there, the error is
 * returned unreported, and the CUs decoded ahead are freed (ASan checks). */
static void test_parallel_callback_stops(void)
{
	const char *inputs[] = { DWL_FIX_PROG_GCC, DWL_FIX_TU5, self_exe() };
	static const unsigned int jobs[] = { 1, 2, 4, 2 | BUSY, 4 | BUSY };
	size_t i, j;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct seen ref, s;

		if (!have(inputs[i]))
			continue;
		CU_ASSERT_EQUAL(load_seen(inputs[i], 1, 2, &ref), -ECANCELED);
		CU_ASSERT_EQUAL(ref.cus.len, 2);
		CU_ASSERT_EQUAL(ref.nr_errors, 0);
		for (j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
			CU_ASSERT_EQUAL(load_seen(inputs[i], jobs[j], 2, &s), -ECANCELED);
			CU_ASSERT_EQUAL(s.cus.len, 2);
			CU_ASSERT_EQUAL(s.nr_errors, 0);
			if (s.cus.len == 2 && ref.cus.len == 2)
				CU_ASSERT(memcmp(s.cus.v, ref.cus.v, 2 * sizeof(s.cus.v[0])) == 0);
			seen_free(&s);
		}
		seen_free(&ref);
	}
}

/* Patch one byte of path in place. */
static void poke(const char *path, long off, unsigned char byte)
{
	int fd = open(path, O_WRONLY);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(pwrite(fd, &byte, 1, off), 1);
	close(fd);
}

/* The offset of a unit's first DIE: after its DWARF 4 or 5 header. */
static long unit_die(long info, const struct seen_cu *c, uint16_t version)
{
	return info + (long)c->orig_off + (version >= 5 ? 12 : 11);
}

/*
 * Corrupt the unit DIE of the 4th and the 6th CU: with any number of
 * threads the first three CUs are delivered, then the 4th one's error is
 * the one reported, every time. Repeated: a worker that gave up a claimed
 * unit below the failing one once left the consumer waiting for it forever
 * when the 6th unit failed first (a hang, caught by the suite's timeout).
 */
static void test_parallel_first_error(void)
{
	const char *src = self_exe(), *p;
	static const unsigned int jobs[] = {
		1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 8, 8, 8,
		2 | BUSY, 2 | BUSY, 2 | BUSY, 2 | BUSY, 3 | BUSY, 3 | BUSY, 8 | BUSY,
	};
	char needle[64];
	struct seen ref, s;
	uint16_t version = 5;
	long info;
	size_t j;

	if (!have(src))
		return;
	CU_ASSERT_EQUAL_FATAL(load_seen(src, 1, 0, &ref), 0);
	CU_ASSERT_FATAL(ref.cus.len >= 6);
	info = section_offset(src, ".debug_info");
	CU_ASSERT_FATAL(info > 0);
	{
		FILE *in = fopen(src, "rb");

		CU_ASSERT_PTR_NOT_NULL_FATAL(in);
		fseek(in, info + (long)ref.cus.v[3].orig_off + 4, SEEK_SET);
		CU_ASSERT_EQUAL(fread(&version, 1, 2, in), 2);	/* native order */
		fclose(in);
	}
	p = mutate(src, 0, "", 0);
	poke(p, unit_die(info, &ref.cus.v[3], version), 0x7f);	/* no such abbrev */
	poke(p, unit_die(info, &ref.cus.v[5], version), 0x7f);
	snprintf(needle, sizeof(needle), "CU 0x%llx ",
		 (unsigned long long)ref.cus.v[3].orig_off);
	for (j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
		CU_ASSERT_EQUAL(load_seen(p, jobs[j], 0, &s), -EIO);
		CU_ASSERT_EQUAL(s.cus.len, 3);
		CU_ASSERT_EQUAL(s.nr_errors, 1);
		if (!strstr(s.diag, needle))
			fprintf(stderr, "\n  -j%u: \"%s\" lacks \"%s\"\n", jobs[j], s.diag, needle);
		CU_ASSERT_PTR_NOT_NULL(strstr(s.diag, needle));
		if (s.cus.len == 3)
			CU_ASSERT(memcmp(s.cus.v, ref.cus.v, 3 * sizeof(s.cus.v[0])) == 0);
		seen_free(&s);
	}
	unlink(p);
	seen_free(&ref);
}

static const struct unit_test dwarf_loader_tests[] = {
	{ "types_gcc", test_types_gcc },
	{ "lazy_packed", test_lazy_packed },
	{ "types_clang", test_types_clang },
	{ "compressed", test_compressed },
	{ "big_endian", test_big_endian },
	{ "funcs_gcc", test_funcs_gcc },
	{ "funcs_clang", test_funcs_clang },
	{ "program", test_program },
	{ "btf_tags", test_btf_tags },
	{ "type_units", test_type_units },
	{ "type_unit_objects", test_type_unit_objects },
	{ "unit_bounds", test_unit_bounds },
	{ "type_unit_bounds", test_type_unit_bounds },
	{ "errors", test_errors },
	{ "callback_and_exclude", test_callback_and_exclude },
	{ "lang_list", test_lang_list },
	{ "tag_name", test_tag_name },
	{ "parallel_same", test_parallel_same },
	{ "parallel_callback_stops", test_parallel_callback_stops },
	{ "parallel_first_error", test_parallel_first_error },
	{ NULL, NULL },
};

int register_dwarf_loader_suite(void)
{
	return unit_add_suite("dwarf_loader", dwarf_loader_tests);
}
