// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suite "btfe_funcs": which functions and variables get BTF (FUNC, VAR,
 * DATASEC) and why the others do not, over hand-built model units and a
 * fake struct btfe_elf; then btfe_elf__load() and the whole pipeline on a
 * real compiled object and program (tests/unit/data/encfuncs_*.c). Every
 * output is also parsed by libbpf (HAVE_LIBBPF) and, where BPF_BTF_LOAD is
 * allowed, checked by the kernel's verifier.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf_encoder/btf_encoder.h"
#include "btf_encoder/btfe_elf.h"
#include "dwarf_loader/dwarf_loader.h"
#include "tests.h"
#include "unit_build.h"
#include "tests/tools/kcheck.h"

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>
#endif

/* ---- Model building ------------------------------------------------------ */

static ir_id mk(struct ir_cu *cu, enum ir_kind k, const char *name, uint64_t size,
		ir_id type)
{
	if (k == IR_KIND_INT)
		return unit_ir_int(cu, name, size, IR_TF_SIGNED);
	return unit_ir_type(cu, k, name, size, type);
}

struct prm {
	const char *name;
	ir_id type;
	uint8_t loc;
	uint16_t reg;
	uint8_t missing;
	const char *tag;
};

static ir_id mk_proto(struct ir_cu *cu, ir_id ret, uint32_t n, const struct prm *p)
{
	ir_id id = mk(cu, IR_KIND_FUNC_PROTO, NULL, 0, ret);
	struct ir_type *t = ir_cu__type(cu, id);
	uint32_t i;

	t->flags = IR_TF_PROTOTYPED;
	t->vlen = n;
	t->params = n ? arena_calloc(&cu->arena, n, sizeof(*t->params)) : NULL;
	for (i = 0; i < n; i++) {
		t->params[i].name = p[i].name ? ir_cu__intern(cu, p[i].name) : NULL;
		t->params[i].type = p[i].type;
		t->params[i].loc = p[i].loc;
		t->params[i].reg = p[i].reg;
		t->params[i].missing = p[i].missing;
		if (p[i].tag)
			CU_ASSERT_EQUAL(ir_cu__annot_add(cu, &t->params[i].annots, p[i].tag), 0);
	}
	return id;
}

static struct ir_func *add_func(struct ir_cu *cu, const char *name, ir_id proto,
				uint32_t flags, uint64_t pc)
{
	struct ir_func *f;

	CU_ASSERT_EQUAL_FATAL(ir_cu__add_func(cu, &f), 0);
	f->name = ir_cu__intern(cu, name);
	f->proto = proto;
	f->flags = flags | (pc ? IR_FF_HAS_ADDR : 0);
	f->low_pc = pc;
	return f;
}

static struct ir_var *add_var(struct ir_cu *cu, const char *name, ir_id type,
			      uint32_t flags, const char *sec, uint64_t off)
{
	struct ir_var *v;

	CU_ASSERT_EQUAL_FATAL(ir_cu__add_var(cu, &v), 0);
	v->name = ir_cu__intern(cu, name);
	v->type = type;
	v->flags = flags | (sec ? IR_VF_HAS_ADDR : 0);
	v->section = sec ? ir_cu__intern(cu, sec) : NULL;
	v->section_offset = off;
	v->addr = off;
	return v;
}

/* A unit with the basic types the tests use; ids in *ty. */
struct tys {
	ir_id i, l, d, cp, ccp, big, packed;
};

static struct ir_cu *new_cu(struct tys *ty)
{
	struct ir_cu *cu = ir_cu__new();
	ir_id c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cu);
	cu->machine = EM_X86_64;
	cu->addr_size = 8;
	cu->lang = IR_LANG_C;
	ty->i = mk(cu, IR_KIND_INT, "int", 4, 0);
	ty->l = mk(cu, IR_KIND_INT, "long", 8, 0);
	ty->d = mk(cu, IR_KIND_FLOAT, "double", 8, 0);
	c = mk(cu, IR_KIND_INT, "char", 1, 0);
	ty->cp = mk(cu, IR_KIND_PTR, NULL, 8, c);
	ty->ccp = mk(cu, IR_KIND_PTR, NULL, 8, mk(cu, IR_KIND_CONST, NULL, 0, c));
	ty->big = mk(cu, IR_KIND_STRUCT, "big", 32, 0);
	ty->packed = mk(cu, IR_KIND_STRUCT, "pk", 5, 0);
	ir_cu__type(cu, ty->packed)->flags |= IR_TF_PACKED;
	return cu;
}

/* ---- A fake ELF ------------------------------------------------------------ */

enum { SEC_TEXT = 1, SEC_PCPU, SEC_DATA, SEC_BSS };

static struct btfe_elf *new_elf(void)
{
	struct btfe_elf_header h = { .machine = EM_X86_64, .type = ET_EXEC, .is_64 = true };
	struct btfe_elf *elf;
	uint32_t idx;

	CU_ASSERT_EQUAL_FATAL(btfe_elf__new_empty(&h, &elf), 0);
	CU_ASSERT_EQUAL(btfe_elf__add_section(elf, ".text", 0x1000, 0x1000, SHT_PROGBITS,
					      SHF_ALLOC | SHF_EXECINSTR, &idx), 0);
	CU_ASSERT_EQUAL(idx, SEC_TEXT);
	CU_ASSERT_EQUAL(btfe_elf__add_section(elf, ".data..percpu", 0, 0x100, SHT_PROGBITS,
					      SHF_ALLOC | SHF_WRITE, NULL), 0);
	CU_ASSERT_EQUAL(btfe_elf__add_section(elf, ".data", 0x3000, 0x100, SHT_PROGBITS,
					      SHF_ALLOC | SHF_WRITE, NULL), 0);
	CU_ASSERT_EQUAL(btfe_elf__add_section(elf, ".bss", 0x4000, 0x100, SHT_NOBITS,
					      SHF_ALLOC | SHF_WRITE, NULL), 0);
	return elf;
}

static void fsym(struct btfe_elf *elf, const char *name, enum btfe_sym_bind b, uint64_t a)
{
	CU_ASSERT_EQUAL(btfe_elf__add_sym(elf, name, BTFE_SYM_FUNC, b, SEC_TEXT, a, 16), 0);
}

/* ---- Running the encoder and looking at its output -------------------------- */

struct capture {
	char buf[8192];
	size_t len;
};

static void capture_sink(void *ctx, enum diag_level level, const char *msg)
{
	struct capture *c = ctx;
	int n = snprintf(c->buf + c->len, sizeof(c->buf) - c->len, "%d:%s\n", (int)level, msg);

	if (n > 0 && c->len + (size_t)n < sizeof(c->buf))
		c->len += (size_t)n;
}

static struct capture cap;
static struct diag cap_diag = { capture_sink, &cap, DIAG_DEBUG };

/* Encode the units (freed here) with elf; finish. */
static struct btfe_encoder *run(uint32_t features, const struct btfe_elf *elf,
				struct ir_cu **cus, size_t n)
{
	struct btfe_opts o = { .features = features, .elf = elf, .diag = &cap_diag };
	struct btfe_encoder *enc;
	size_t i;

	cap.len = 0;
	cap.buf[0] = '\0';
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__new(&o, &enc), 0);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(btfe_encoder__add_cu(enc, cus[i]), 0);
		ir_cu__free(cus[i]);
	}
	CU_ASSERT_EQUAL(btfe_encoder__finish(enc), 0);
	return enc;
}

static const struct bfmt_type *find(const struct bfmt_btf *btf, enum bfmt_kind kind,
				    const char *name, uint32_t *id_ret)
{
	return unit_btf_find(btf, kind, name, id_ret);
}

static unsigned count_kind(const struct bfmt_btf *btf, enum bfmt_kind kind)
{
	unsigned n = 0;
	uint32_t id = 0;

	for (id = 1; id < bfmt_btf__nr_types(btf); id++)
		n += bfmt_kind(bfmt_btf__type(btf, id)) == kind;
	return n;
}

/* The decl tag with this value on target (component c), or NULL. */
static const struct bfmt_type *find_tag(const struct bfmt_btf *btf, const char *value,
					uint32_t target, int32_t comp)
{
	uint32_t id = 0;

	for (id = 1; id < bfmt_btf__nr_types(btf); id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);
		const struct bfmt_decl_tag *dt = bfmt_type_extra(t);

		if (bfmt_kind(t) == BFMT_KIND_DECL_TAG && t->size_type == target &&
		    dt->component_idx == comp && !strcmp(bfmt_btf__str(btf, t->name_off), value))
			return t;
	}
	return NULL;
}

static const struct btfe_skip *skipped(struct btfe_encoder *enc, const char *name)
{
	const struct btfe_skip *s;
	size_t n, i;

	btfe_encoder__skipped(enc, &s, &n);
	for (i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return &s[i];
	return NULL;
}

/* name was skipped for reason r, and the detail mentions what (if any). */
static void expect_skip(struct btfe_encoder *enc, const char *name,
			enum btfe_skip_reason r, const char *what)
{
	const struct btfe_skip *s = skipped(enc, name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	if (s->reason != r)
		fprintf(stderr, "\n%s: got '%s' (%s), want '%s'\n", name,
			btfe_skip_reason_str(s->reason), s->detail, btfe_skip_reason_str(r));
	CU_ASSERT_EQUAL(s->reason, r);
	if (what && !strstr(s->detail, what))
		fprintf(stderr, "\n%s: detail '%s' lacks '%s'\n", name, s->detail, what);
	if (what)
		CU_ASSERT_PTR_NOT_NULL(strstr(s->detail, what));
	CU_ASSERT_PTR_NULL(find(btfe_encoder__btf(enc), BFMT_KIND_FUNC, name, NULL));
}

static void check_valid(const struct bfmt_btf *btf)
{
	char *log = malloc(1 << 20);
	void *raw;
	size_t len;
	int k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	CU_ASSERT_EQUAL_FATAL(bfmt_btf__serialize(btf, false, &raw, &len), 0);
#ifdef HAVE_LIBBPF
	{
		struct btf *lb = btf__new(raw, (__u32)len);

		CU_ASSERT_PTR_NOT_NULL(lb);
		if (lb)
			CU_ASSERT_EQUAL(btf__type_cnt(lb), bfmt_btf__nr_types(btf));
		btf__free(lb);
	}
#endif
	k = kcheck_btf(raw, len, log, 1 << 20);
	if (k == KCHECK_REJECTED)
		fprintf(stderr, "\nkernel verifier log:\n%s\n", log);
	CU_ASSERT_NOT_EQUAL(k, KCHECK_REJECTED);
	free(log);
	free(raw);
}

/* Parameter i of FUNC name: its name and type. */
static const struct bfmt_param *func_param(const struct bfmt_btf *btf, const char *name,
					   uint32_t i, uint32_t *vlen)
{
	const struct bfmt_type *f = find(btf, BFMT_KIND_FUNC, name, NULL), *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	p = bfmt_btf__type(btf, f->size_type);
	CU_ASSERT_EQUAL_FATAL(bfmt_kind(p), BFMT_KIND_FUNC_PROTO);
	*vlen = bfmt_vlen(p);
	return i < *vlen ? &((const struct bfmt_param *)bfmt_type_extra(p))[i] : NULL;
}

#define REG(n) IR_LOC_REG, (n)

/* ---- btfe_elf built in memory ------------------------------------------------ */

static void test_elf_suffixes(void)
{
	size_t base;

	CU_ASSERT_EQUAL(btfe_sym_suffixes("foo", &base), 0);
	CU_ASSERT_EQUAL(base, 3);
	CU_ASSERT_EQUAL(btfe_sym_suffixes("foo.isra.0", &base), BTFE_SFX_ISRA);
	CU_ASSERT_EQUAL(base, 3);
	CU_ASSERT_EQUAL(btfe_sym_suffixes("foo.constprop.0.isra.0", NULL),
			BTFE_SFX_CONSTPROP | BTFE_SFX_ISRA);
	CU_ASSERT_EQUAL(btfe_sym_suffixes("foo.isra.0.cold", NULL), BTFE_SFX_ISRA | BTFE_SFX_COLD);
	CU_ASSERT_EQUAL(btfe_sym_suffixes("foo.part.1", NULL), BTFE_SFX_PART);
	CU_ASSERT_EQUAL(btfe_sym_suffixes("foo.llvm.12345", NULL), BTFE_SFX_LLVM);
	CU_ASSERT_EQUAL(btfe_sym_suffixes("foo.xyz", NULL), BTFE_SFX_OTHER);
	/* ppc64 dot symbols: the leading dot is part of the name */
	CU_ASSERT_EQUAL(btfe_sym_suffixes(".foo", &base), 0);
	CU_ASSERT_EQUAL(base, 4);
}

static void test_elf_groups(void)
{
	struct btfe_elf *elf = new_elf();
	const struct btfe_elf_func *f;

	fsym(elf, "foo.isra.0", BTFE_BIND_LOCAL, 0x1100);
	fsym(elf, "foo.cold", BTFE_BIND_LOCAL, 0x1f00);
	fsym(elf, "foo.part.0", BTFE_BIND_LOCAL, 0x1e00);
	fsym(elf, "dup", BTFE_BIND_LOCAL, 0x1200);
	fsym(elf, "dup", BTFE_BIND_LOCAL, 0x1300);
	fsym(elf, "hook", BTFE_BIND_WEAK, 0x1400);
	fsym(elf, "hook", BTFE_BIND_GLOBAL, 0x1500);
	fsym(elf, "twoweak", BTFE_BIND_WEAK, 0x1600);
	fsym(elf, "twoweak", BTFE_BIND_WEAK, 0x1700);
	fsym(elf, "alias", BTFE_BIND_GLOBAL, 0x1800);
	fsym(elf, "alias.llvm.7", BTFE_BIND_GLOBAL, 0x1800);
	fsym(elf, "onlypart.part.0", BTFE_BIND_LOCAL, 0x1900);
	CU_ASSERT_EQUAL(btfe_elf__add_kfunc(elf, "hook", 1u << 12), 0);
	CU_ASSERT_EQUAL(btfe_elf__add_sym(elf, "obj", BTFE_SYM_OBJECT, BTFE_BIND_GLOBAL,
					  SEC_PCPU, 0, 4), 0);

	f = btfe_elf__func(elf, "foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->nr, 1);
	CU_ASSERT_EQUAL(f->nr_pieces, 2);
	CU_ASSERT_EQUAL(f->suffixes, BTFE_SFX_ISRA);
	CU_ASSERT_STRING_EQUAL(f->syms[0].name, "foo.isra.0");
	CU_ASSERT_FALSE(f->ambiguous);
	f = btfe_elf__func(elf, "dup");
	CU_ASSERT_TRUE(f && f->ambiguous);
	/* strong beats weak; two weak ones stay ambiguous */
	f = btfe_elf__func(elf, "hook");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_FALSE(f->ambiguous);
	CU_ASSERT_EQUAL(f->syms[f->canon].addr, 0x1500);
	CU_ASSERT_TRUE(f->kfunc);
	CU_ASSERT_EQUAL(f->kfunc_flags, 1u << 12);
	CU_ASSERT_TRUE(btfe_elf__func(elf, "twoweak")->ambiguous);
	/* aliases at one place are one function */
	f = btfe_elf__func(elf, "alias");
	CU_ASSERT_TRUE(f && !f->ambiguous && f->nr == 2);
	f = btfe_elf__func(elf, "onlypart");
	CU_ASSERT_TRUE(f && f->nr == 0 && f->nr_pieces == 1);
	CU_ASSERT_PTR_NULL(btfe_elf__func(elf, "nosuch"));
	CU_ASSERT_TRUE(btfe_elf__has_object(elf, "obj", SEC_PCPU));
	CU_ASSERT_FALSE(btfe_elf__has_object(elf, "obj", SEC_DATA));
	CU_ASSERT_STRING_EQUAL(btfe_elf__section_by_name(elf, ".bss")->name, ".bss");
	CU_ASSERT_EQUAL(btfe_elf__section(elf, SEC_DATA)->addr, 0x3000);
	CU_ASSERT_PTR_NULL(btfe_elf__section(elf, 99));
	CU_ASSERT_PTR_NOT_NULL(btfe_elf__kfunc(elf, "hook"));
	btfe_elf__free(elf);
}

/* ---- Function selection ---------------------------------------------------------- */

static void test_func_basic(void)
{
	struct btfe_elf *elf = new_elf();
	struct tys t;
	struct ir_cu *cu = new_cu(&t);
	struct prm ab[] = { { "a", t.i, REG(5), 0, "ptag" }, { "b", t.l, REG(4), 0, NULL } };
	struct prm un[] = { { NULL, t.i, REG(5), 0, NULL } };
	struct prm vo[] = { { "v", 0, REG(5), 0, NULL } };	/* void: hostile */
	struct btfe_encoder *enc;
	const struct bfmt_btf *btf;
	const struct bfmt_type *f;
	const struct bfmt_param *p;
	uint32_t id, vlen;

	fsym(elf, "add", BTFE_BIND_GLOBAL, 0x1000);
	fsym(elf, "unnamed", BTFE_BIND_GLOBAL, 0x1040);
	fsym(elf, "vargs", BTFE_BIND_GLOBAL, 0x1080);
	CU_ASSERT_EQUAL(ir_cu__annot_add(cu, &add_func(cu, "add", mk_proto(cu, t.i, 2, ab),
						       IR_FF_EXTERNAL, 0x1000)->annots, "ftag"), 0);
	add_func(cu, "decl", mk_proto(cu, t.i, 2, ab), IR_FF_DECLARATION | IR_FF_EXTERNAL, 0);
	add_func(cu, "unnamed", mk_proto(cu, t.i, 1, un), 0, 0x1040);
	fsym(elf, "voidp", BTFE_BIND_GLOBAL, 0x10c0);
	add_func(cu, "voidp", mk_proto(cu, t.i, 1, vo), IR_FF_EXTERNAL, 0x10c0);
	add_func(cu, "nosym", mk_proto(cu, t.i, 2, ab), 0, 0x1060);
	add_func(cu, "inl", mk_proto(cu, t.i, 2, ab), IR_FF_INLINE, 0);
	ir_cu__type(cu, mk_proto(cu, t.i, 1, ab))->flags |= IR_TF_VARARGS;
	add_func(cu, "vargs", ir_cu__nr_types(cu) - 1, IR_FF_EXTERNAL, 0x1080);
	enc = run(BTFE_FEATURES_DEFAULT, elf, &cu, 1);
	btf = btfe_encoder__btf(enc);

	f = find(btf, BFMT_KIND_FUNC, "add", &id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(bfmt_vlen(f), BFMT_LINKAGE_STATIC);	/* as pahole */
	p = func_param(btf, "add", 1, &vlen);
	CU_ASSERT_EQUAL(vlen, 2);
	CU_ASSERT_STRING_EQUAL(bfmt_btf__str(btf, p->name_off), "b");
	CU_ASSERT_EQUAL(bfmt_kind(bfmt_btf__type(btf, p->type)), BFMT_KIND_INT);
	CU_ASSERT_PTR_NOT_NULL(find_tag(btf, "ftag", id, -1));
	CU_ASSERT_PTR_NOT_NULL(find_tag(btf, "ptag", id, 0));
	/* varargs: trailing { 0, 0 } */
	p = func_param(btf, "vargs", 1, &vlen);
	CU_ASSERT_EQUAL(vlen, 2);
	CU_ASSERT_TRUE(p && p->type == 0 && p->name_off == 0);

	expect_skip(enc, "decl", BTFE_SKIP_DECLARATION, NULL);
	expect_skip(enc, "unnamed", BTFE_SKIP_UNNAMED_PARAM, "int (int)");
	expect_skip(enc, "voidp", BTFE_SKIP_NO_SIZE, "a parameter of void or sizeless type");
	expect_skip(enc, "nosym", BTFE_SKIP_NO_SYMBOL, NULL);
	expect_skip(enc, "inl", BTFE_SKIP_INLINED, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.buf, "skipping function nosym: no ELF symbol"));
	CU_ASSERT_EQUAL(count_kind(btf, BFMT_KIND_FUNC), 2);
	check_valid(btf);
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

/* Without a listener for the skip reports, the skips are sorted only when
 * asked for, and counted without sorting. */
static void test_skips_sorted_quiet(void)
{
	struct btfe_elf *elf = new_elf();
	struct tys t;
	struct ir_cu *cu = new_cu(&t);
	struct prm ab[] = { { "a", t.i, REG(5), 0, NULL } };
	static const char *const names[] = { "zeta", "alpha", "mid", "beta" };
	const struct btfe_skip *s;
	struct btfe_encoder *enc;
	size_t n, i;

	/* Variables are skipped as their units come, functions at the end:
	 * recorded in the order zv, av, then the functions by name. */
	for (i = 0; i < 4; i++)
		add_func(cu, names[i], mk_proto(cu, t.i, 1, ab), 0, 0x1000 + 0x40 * i);
	add_var(cu, "zv", t.i, 0, ".data", 4);
	add_var(cu, "av", t.i, 0, ".data", 8);
	cap_diag.max_level = DIAG_WARN;
	enc = run(BTFE_FEATURES_DEFAULT, elf, &cu, 1);
	cap_diag.max_level = DIAG_DEBUG;
	CU_ASSERT_PTR_NULL(strstr(cap.buf, "skipping"));
	CU_ASSERT_EQUAL(btfe_encoder__nr_skipped(enc), 6);
	btfe_encoder__skipped(enc, &s, &n);
	CU_ASSERT_EQUAL_FATAL(n, 6);
	for (i = 1; i < n; i++)
		CU_ASSERT_TRUE(s[i - 1].kind < s[i].kind ||
			       (s[i - 1].kind == s[i].kind && strcmp(s[i - 1].name, s[i].name) < 0));
	CU_ASSERT_STRING_EQUAL(s[0].name, "alpha");
	CU_ASSERT_STRING_EQUAL(s[4].name, "av");
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

static void test_func_static_dup(void)
{
	struct btfe_elf *elf = new_elf();
	struct tys t1, t2;
	struct ir_cu *cus[2] = { new_cu(&t1), new_cu(&t2) };
	struct prm p1[] = { { "x", t1.i, REG(5), 0, NULL } };
	struct prm p2[] = { { "x", t2.i, REG(5), 0, NULL } };
	struct btfe_encoder *enc;

	fsym(elf, "dup", BTFE_BIND_LOCAL, 0x1100);
	fsym(elf, "dup", BTFE_BIND_LOCAL, 0x1200);
	add_func(cus[0], "dup", mk_proto(cus[0], t1.i, 1, p1), 0, 0x1100);
	add_func(cus[1], "dup", mk_proto(cus[1], t2.i, 1, p2), 0, 0x1200);
	enc = run(BTFE_FEATURES_DEFAULT, elf, cus, 2);
	expect_skip(enc, "dup", BTFE_SKIP_AMBIGUOUS_ADDR, "dup@0x1100, dup@0x1200");
	check_valid(btfe_encoder__btf(enc));
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

/* A weak definition in one unit, the strong one in another. */
static void weak_strong(bool weak_sym_kept)
{
	struct btfe_elf *elf = new_elf();
	struct tys t1, t2;
	struct ir_cu *cus[2] = { new_cu(&t1), new_cu(&t2) };
	struct prm p1[] = { { "weak_x", t1.i, REG(5), 0, NULL } };
	struct prm p2[] = { { "strong_y", t2.i, REG(5), 0, NULL } };
	const struct bfmt_param *p;
	struct btfe_encoder *enc;
	uint32_t vlen;

	if (weak_sym_kept)
		fsym(elf, "hook", BTFE_BIND_WEAK, 0x1300);
	fsym(elf, "hook", BTFE_BIND_GLOBAL, 0x1400);
	add_func(cus[0], "hook", mk_proto(cus[0], t1.i, 1, p1), IR_FF_EXTERNAL, 0x1300);
	add_func(cus[1], "hook", mk_proto(cus[1], t2.i, 1, p2), IR_FF_EXTERNAL, 0x1400);
	enc = run(BTFE_FEATURES_DEFAULT, elf, cus, 2);
	p = func_param(btfe_encoder__btf(enc), "hook", 0, &vlen);
	CU_ASSERT_STRING_EQUAL(bfmt_btf__str(btfe_encoder__btf(enc), p->name_off), "strong_y");
	CU_ASSERT_PTR_NULL(skipped(enc, "hook"));
	check_valid(btfe_encoder__btf(enc));
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

static void test_func_weak_strong(void)
{
	weak_strong(false);	/* what a linker leaves: only the strong symbol */
	weak_strong(true);	/* both symbols present */
}

/* Clones and calling conventions. */
static struct btfe_encoder *clones(uint32_t features, struct btfe_elf **elfp)
{
	struct btfe_elf *elf = new_elf();
	struct tys t;
	struct ir_cu *cu = new_cu(&t);
	struct prm dropped[] = { { "unused", t.i, IR_LOC_OPTIMIZED_OUT, 0, 1, NULL },
				 { "y", t.i, REG(5), 0, NULL } };
	struct prm kept[] = { { "a", t.i, REG(5), 0, NULL } };
	struct prm two[] = { { "a", t.i, REG(5), 0, NULL },
			     { "b", t.i, IR_LOC_CONST, 0, 0, NULL } };
	struct prm other[] = { { "a", t.i, REG(5), 0, NULL },
			       { "p", t.cp, IR_LOC_OTHER, 0, 0, NULL } };
	struct btfe_encoder *enc;

	fsym(elf, "clone.constprop.0", BTFE_BIND_LOCAL, 0x1500);
	fsym(elf, "clone2.isra.0", BTFE_BIND_LOCAL, 0x1540);
	fsym(elf, "nc", BTFE_BIND_LOCAL, 0x1580);
	fsym(elf, "plain", BTFE_BIND_GLOBAL, 0x15c0);
	fsym(elf, "sra.isra.0", BTFE_BIND_LOCAL, 0x1600);
	/* IPA-SRA passed a member instead of the pointer (parameter_ref) */
	add_func(cu, "sra", mk_proto(cu, t.i, 2, other), 0, 0x1600);
	add_func(cu, "clone", mk_proto(cu, t.i, 2, dropped), 0, 0x1500);
	add_func(cu, "clone2", mk_proto(cu, t.i, 1, kept), 0, 0x1540);
	add_func(cu, "nc", mk_proto(cu, t.i, 2, two), IR_FF_NOCALL, 0x1580);
	/* Optimized out, but the convention is intact: still encoded. */
	add_func(cu, "plain", mk_proto(cu, t.i, 2, two), IR_FF_EXTERNAL, 0x15c0);
	enc = run(features, elf, &cu, 1);
	check_valid(btfe_encoder__btf(enc));
	*elfp = elf;	/* borrowed by the encoder: freed after it */
	return enc;
}

static void test_func_clones(void)
{
	struct btfe_elf *elf;
	struct btfe_encoder *enc = clones(BTFE_FEATURES_DEFAULT, &elf);
	const struct bfmt_btf *btf = btfe_encoder__btf(enc);

	expect_skip(enc, "clone", BTFE_SKIP_OPTIMIZED, "clone.constprop.0");
	CU_ASSERT_PTR_NOT_NULL(strstr(skipped(enc, "clone")->detail, "'unused'"));
	expect_skip(enc, "nc", BTFE_SKIP_OPTIMIZED, "DW_CC_nocall");
	expect_skip(enc, "sra", BTFE_SKIP_OPTIMIZED, "'p' (#2) not passed as declared");
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_FUNC, "clone2", NULL));
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_FUNC, "plain", NULL));
	btfe_encoder__free(enc);
	btfe_elf__free(elf);

	/* Without optimized_func, foo does not match foo.isra.0 (pahole < 1.25). */
	enc = clones(BTFE_FEATURES_DEFAULT & ~BTFE_F_OPTIMIZED_FUNC, &elf);
	expect_skip(enc, "clone2", BTFE_SKIP_NO_SYMBOL, "clone2.isra.0");
	CU_ASSERT_PTR_NOT_NULL(find(btfe_encoder__btf(enc), BFMT_KIND_FUNC, "nc", NULL));
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

static void test_func_registers(void)
{
	struct btfe_elf *elf = new_elf();
	struct tys t;
	struct ir_cu *cu = new_cu(&t);
	/* x86_64: rdi(5) rsi(4) rdx(1) rcx(2) r8(8) r9(9) */
	struct prm bad[] = { { "a", t.i, REG(5), 0, NULL }, { "b", t.l, REG(2), 0, NULL } };
	struct prm fl[] = { { "d", t.d, REG(17), 0, NULL }, { "a", t.i, REG(5), 0, NULL } };
	struct prm agg[] = { { "s", t.big, IR_LOC_STACK, 0, 0, NULL },
			     { "a", t.i, REG(1), 0, NULL } };
	struct prm ok[] = { { "a", t.cp, REG(5), 0, NULL }, { "b", t.i, IR_LOC_STACK, 0, 0, NULL },
			    { "c", t.i, REG(1), 0, NULL } };
	struct btfe_encoder *enc;
	const struct bfmt_btf *btf;

	fsym(elf, "badreg", BTFE_BIND_GLOBAL, 0x1000);
	fsym(elf, "withfloat", BTFE_BIND_GLOBAL, 0x1040);
	fsym(elf, "withagg", BTFE_BIND_GLOBAL, 0x1080);
	fsym(elf, "spilled", BTFE_BIND_GLOBAL, 0x10c0);
	add_func(cu, "badreg", mk_proto(cu, t.i, 2, bad), 0, 0x1000);
	add_func(cu, "withfloat", mk_proto(cu, t.i, 2, fl), 0, 0x1040);
	add_func(cu, "withagg", mk_proto(cu, t.i, 2, agg), 0, 0x1080);
	add_func(cu, "spilled", mk_proto(cu, t.i, 3, ok), 0, 0x10c0);
	enc = run(BTFE_FEATURES_DEFAULT, elf, &cu, 1);
	btf = btfe_encoder__btf(enc);
	expect_skip(enc, "badreg", BTFE_SKIP_UNEXPECTED_REG, "'b' (#2) in DWARF register 2, expected 4");
	/* floats use other registers; after an aggregate positions are unknown */
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_FUNC, "withfloat", NULL));
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_FUNC, "withagg", NULL));
	/* a frame slot at entry (-O0 style) is not a wrong register */
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_FUNC, "spilled", NULL));
	check_valid(btf);
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

/* The same rule on a unit loaded with dwl_opts.lazy_packed: the struct is
 * packed by its layout (an int at byte 1), no flag says so yet. */
static void test_func_uncertain_slot_lazy(void)
{
	struct btfe_elf *elf = new_elf();
	struct tys t;
	struct ir_cu *cu = new_cu(&t);
	struct prm seven[7];
	struct btfe_encoder *enc;
	struct ir_type *pk;
	int i;

	pk = ir_cu__type(cu, t.packed);
	pk->flags &= ~IR_TF_PACKED;
	pk->vlen = 2;
	pk->members = arena_calloc(&cu->arena, 2, sizeof(*pk->members));
	CU_ASSERT_PTR_NOT_NULL_FATAL(pk->members);
	pk->members[0] = (struct ir_member){ .name = "c", .type = t.i, .bit_offset = 0,
					     .bitfield_size = 8 };
	pk->members[1] = (struct ir_member){ .name = "i", .type = t.i, .bit_offset = 8 };
	cu->packed_pending = true;
	for (i = 0; i < 7; i++)
		seven[i] = (struct prm){ "a", t.i, IR_LOC_UNKNOWN, 0, 0, NULL };
	seven[6].name = "pk";
	seven[6].type = t.packed;
	fsym(elf, "manyargs", BTFE_BIND_GLOBAL, 0x1000);
	add_func(cu, "manyargs", mk_proto(cu, t.i, 7, seven), 0, 0x1000);
	enc = run(BTFE_FEATURES_DEFAULT, elf, &cu, 1);
	expect_skip(enc, "manyargs", BTFE_SKIP_UNCERTAIN_SLOT, "'pk' (#7)");
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

static void test_func_uncertain_slot(void)
{
	struct btfe_elf *elf = new_elf();
	struct tys t;
	struct ir_cu *cu = new_cu(&t);
	struct prm seven[7], first[] = { { "p", t.packed, IR_LOC_STACK, 0, 0, NULL } };
	struct btfe_encoder *enc;
	int i;

	for (i = 0; i < 7; i++)
		seven[i] = (struct prm){ "a", t.i, IR_LOC_UNKNOWN, 0, 0, NULL };
	seven[6].name = "pk";
	seven[6].type = mk(cu, IR_KIND_TYPEDEF, "pk_t", 0, t.packed);
	fsym(elf, "manyargs", BTFE_BIND_GLOBAL, 0x1000);
	fsym(elf, "firstpk", BTFE_BIND_GLOBAL, 0x1040);
	add_func(cu, "manyargs", mk_proto(cu, t.i, 7, seven), 0, 0x1000);
	add_func(cu, "firstpk", mk_proto(cu, t.i, 1, first), 0, 0x1040);
	enc = run(BTFE_FEATURES_DEFAULT, elf, &cu, 1);
	expect_skip(enc, "manyargs", BTFE_SKIP_UNCERTAIN_SLOT, "'pk' (#7)");
	CU_ASSERT_PTR_NOT_NULL(find(btfe_encoder__btf(enc), BFMT_KIND_FUNC, "firstpk", NULL));
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

static struct btfe_encoder *mismatch(uint32_t features, bool const_only,
				     struct btfe_elf **elfp)
{
	struct btfe_elf *elf = new_elf();
	struct tys t1, t2;
	struct ir_cu *cus[2] = { new_cu(&t1), new_cu(&t2) };
	struct prm p1[] = { { "x", const_only ? t1.ccp : t1.i, REG(5), 0, NULL } };
	struct prm p2[] = { { "x", const_only ? t2.cp : t2.i, IR_LOC_UNKNOWN, 0, 0, NULL } };

	fsym(elf, "pm", BTFE_BIND_LOCAL, 0x1000);
	add_func(cus[0], "pm", mk_proto(cus[0], t1.i, 1, p1), 0, 0x1000);
	/* The same static name in a header, inlined everywhere in unit 2. */
	add_func(cus[1], "pm", mk_proto(cus[1], const_only ? t2.i : t2.l, 1, p2), IR_FF_INLINE, 0);
	*elfp = elf;	/* borrowed by the encoder: freed after it */
	return run(features, elf, cus, 2);
}

static void test_func_proto_mismatch(void)
{
	struct btfe_elf *elf;
	struct btfe_encoder *enc = mismatch(BTFE_FEATURES_DEFAULT, false, &elf);

	expect_skip(enc, "pm", BTFE_SKIP_PROTO_MISMATCH, "'int (int)' vs 'long (int)'");
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.buf, "skipping function pm: prototypes differ "
					       "between units: 'int (int)' vs 'long (int)'"));
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
	/* without consistent_func the chosen definition is emitted */
	enc = mismatch(BTFE_FEATURES_DEFAULT & ~BTFE_F_CONSISTENT_FUNC, false, &elf);
	CU_ASSERT_PTR_NOT_NULL(find(btfe_encoder__btf(enc), BFMT_KIND_FUNC, "pm", NULL));
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
	/* const char * and char * match, as in pahole's types__match */
	enc = mismatch(BTFE_FEATURES_DEFAULT, true, &elf);
	CU_ASSERT_PTR_NOT_NULL(find(btfe_encoder__btf(enc), BFMT_KIND_FUNC, "pm", NULL));
	check_valid(btfe_encoder__btf(enc));
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

static void kfuncs(uint32_t features, bool want_tags)
{
	struct btfe_elf *elf = new_elf();
	struct tys t;
	struct ir_cu *cu = new_cu(&t);
	struct prm a[] = { { "a", t.i, REG(5), 0, NULL } };
	struct btfe_encoder *enc;
	const struct bfmt_btf *btf;
	uint32_t kf = 0, kff = 0;

	fsym(elf, "bpf_kf", BTFE_BIND_GLOBAL, 0x1000);
	fsym(elf, "bpf_kff", BTFE_BIND_GLOBAL, 0x1040);
	CU_ASSERT_EQUAL(btfe_elf__add_kfunc(elf, "bpf_kf", 0), 0);
	CU_ASSERT_EQUAL(btfe_elf__add_kfunc(elf, "bpf_kff", 1u << 12), 0);
	add_func(cu, "bpf_kf", mk_proto(cu, t.i, 1, a), IR_FF_EXTERNAL, 0x1000);
	add_func(cu, "bpf_kff", mk_proto(cu, t.i, 1, a), IR_FF_EXTERNAL, 0x1040);
	enc = run(features, elf, &cu, 1);
	btf = btfe_encoder__btf(enc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(find(btf, BFMT_KIND_FUNC, "bpf_kf", &kf));
	CU_ASSERT_PTR_NOT_NULL_FATAL(find(btf, BFMT_KIND_FUNC, "bpf_kff", &kff));
	CU_ASSERT_EQUAL(find_tag(btf, "bpf_kfunc", kf, -1) != NULL, want_tags);
	CU_ASSERT_EQUAL(find_tag(btf, "bpf_kfunc", kff, -1) != NULL, want_tags);
	CU_ASSERT_EQUAL(find_tag(btf, "bpf_fastcall", kff, -1) != NULL, want_tags);
	CU_ASSERT_PTR_NULL(find_tag(btf, "bpf_fastcall", kf, -1));
	check_valid(btf);
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

static void test_kfunc_tags(void)
{
	kfuncs(BTFE_FEATURES_DEFAULT, true);
	kfuncs(BTFE_FEATURES_DEFAULT & ~BTFE_F_DECL_TAG_KFUNCS, false);
	kfuncs(BTFE_FEATURES_DEFAULT & ~BTFE_F_DECL_TAG, false);
}

/* ---- Variables ---------------------------------------------------------------- */

static struct btfe_encoder *vars(uint32_t features, struct btfe_elf **elfp)
{
	struct btfe_elf *elf = new_elf();
	struct tys t1, t2;
	struct ir_cu *cus[2] = { new_cu(&t1), new_cu(&t2) };

	CU_ASSERT_EQUAL(btfe_elf__add_sym(elf, "pcpu_a", BTFE_SYM_OBJECT, BTFE_BIND_GLOBAL,
					  SEC_PCPU, 0, 8), 0);
	/* unit 1, in no particular order */
	add_var(cus[0], "pcpu_b", t1.i, 0, ".data..percpu", 0x10);
	add_var(cus[0], "pcpu_a", t1.l, IR_VF_EXTERNAL, ".data..percpu", 0);
	CU_ASSERT_EQUAL(ir_cu__annot_add(cus[0], &cus[0]->vars.v[1].annots, "vtag"), 0);
	add_var(cus[0], "pcpu_over", t1.i, 0, ".data..percpu", 0x12);
	add_var(cus[0], "__UNIQUE_ID_x7", t1.i, 0, ".data..percpu", 0x20);
	add_var(cus[0], "g_data", t1.i, IR_VF_EXTERNAL, ".data", 0x8);
	add_var(cus[0], "g_bss", t1.l, 0, ".bss", 0x10);
	add_var(cus[0], "decl", t1.i, IR_VF_DECLARATION | IR_VF_EXTERNAL, NULL, 0);
	add_var(cus[0], "fnstatic", t1.i, IR_VF_LOCAL, ".data", 0x40);
	add_var(cus[0], "voidvar", 0, 0, ".data..percpu", 0x30);
	/* unit 2: the same per-CPU variable described again, and one at
	 * offset 0 of .data that no symbol confirms */
	add_var(cus[1], "pcpu_b", t2.i, 0, ".data..percpu", 0x10);
	add_var(cus[1], "ghost", t2.i, 0, ".data", 0);
	*elfp = elf;
	return run(features, elf, cus, 2);
}

static void check_datasec(const struct bfmt_btf *btf, const char *sec, uint32_t size,
			  uint32_t n, const char *const *names, const uint32_t *offs)
{
	const struct bfmt_type *ds = find(btf, BFMT_KIND_DATASEC, sec, NULL);
	const struct bfmt_var_secinfo *vs;
	uint32_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_EQUAL(ds->size_type, size);
	CU_ASSERT_EQUAL_FATAL(bfmt_vlen(ds), n);
	vs = bfmt_type_extra(ds);
	for (i = 0; i < n; i++) {
		const struct bfmt_type *v = bfmt_btf__type(btf, vs[i].type);

		CU_ASSERT_EQUAL(bfmt_kind(v), BFMT_KIND_VAR);
		CU_ASSERT_STRING_EQUAL(bfmt_btf__str(btf, v->name_off), names[i]);
		CU_ASSERT_EQUAL(vs[i].offset, offs[i]);
	}
}

static void test_vars_percpu(void)
{
	static const char *const names[] = { "pcpu_a", "pcpu_b" };
	static const uint32_t offs[] = { 0, 0x10 };
	struct btfe_elf *elf;
	struct btfe_encoder *enc = vars(BTFE_FEATURES_DEFAULT, &elf);
	const struct bfmt_btf *btf = btfe_encoder__btf(enc);
	const struct bfmt_type *v;
	uint32_t id = 0;

	check_datasec(btf, ".data..percpu", 0x100, 2, names, offs);
	CU_ASSERT_EQUAL(count_kind(btf, BFMT_KIND_DATASEC), 1);
	CU_ASSERT_EQUAL(count_kind(btf, BFMT_KIND_VAR), 2);
	v = find(btf, BFMT_KIND_VAR, "pcpu_a", &id);
	CU_ASSERT_EQUAL(((const struct bfmt_var *)bfmt_type_extra(v))->linkage, BFMT_LINKAGE_GLOBAL);
	CU_ASSERT_PTR_NOT_NULL(find_tag(btf, "vtag", id, -1));
	v = find(btf, BFMT_KIND_VAR, "pcpu_b", NULL);
	CU_ASSERT_EQUAL(((const struct bfmt_var *)bfmt_type_extra(v))->linkage, BFMT_LINKAGE_STATIC);
	CU_ASSERT_EQUAL(skipped(enc, "pcpu_over")->reason, BTFE_SKIP_OVERLAP);
	CU_ASSERT_PTR_NOT_NULL(strstr(skipped(enc, "pcpu_over")->detail, "'pcpu_b'"));
	CU_ASSERT_EQUAL(skipped(enc, "__UNIQUE_ID_x7")->reason, BTFE_SKIP_EXCLUDED_NAME);
	CU_ASSERT_EQUAL(skipped(enc, "g_data")->reason, BTFE_SKIP_SECTION);
	CU_ASSERT_EQUAL(skipped(enc, "voidvar")->reason, BTFE_SKIP_NO_SIZE);
	CU_ASSERT_PTR_NULL(skipped(enc, "decl"));
	CU_ASSERT_PTR_NULL(skipped(enc, "fnstatic"));
	check_valid(btf);
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

static void test_vars_global(void)
{
	static const char *const pn[] = { "pcpu_a", "pcpu_b" }, *const dn[] = { "g_data" },
				 *const bn[] = { "g_bss" };
	static const uint32_t po[] = { 0, 0x10 }, doff[] = { 0x8 }, bo[] = { 0x10 };
	struct btfe_elf *elf;
	struct btfe_encoder *enc = vars(BTFE_FEATURES_DEFAULT | BTFE_F_GLOBAL_VAR, &elf);
	const struct bfmt_btf *btf = btfe_encoder__btf(enc);

	check_datasec(btf, ".data..percpu", 0x100, 2, pn, po);
	check_datasec(btf, ".data", 0x100, 1, dn, doff);
	check_datasec(btf, ".bss", 0x100, 1, bn, bo);
	CU_ASSERT_EQUAL(skipped(enc, "ghost")->reason, BTFE_SKIP_NO_SYMBOL);
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_VAR, "fnstatic", NULL));
	check_valid(btf);
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
	/* neither var nor global_var: no VAR at all */
	enc = vars(BTFE_FEATURES_DEFAULT & ~BTFE_F_VAR, &elf);
	CU_ASSERT_EQUAL(count_kind(btfe_encoder__btf(enc), BFMT_KIND_VAR), 0);
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

/* A section name BTF cannot carry (a hostile file): its variables are left
 * out, not put into a DATASEC the kernel rejects. */
static void test_vars_bad_section_name(void)
{
	struct btfe_elf *elf = new_elf();
	struct tys t;
	struct ir_cu *cu = new_cu(&t);
	struct btfe_encoder *enc;
	const struct bfmt_btf *btf;

	CU_ASSERT_EQUAL(btfe_elf__add_section(elf, ".da\x01ta", 0x5000, 0x100, SHT_PROGBITS,
					      SHF_ALLOC | SHF_WRITE, NULL), 0);
	add_var(cu, "odd", t.i, IR_VF_EXTERNAL, ".da\x01ta", 0x8);
	add_var(cu, "fine", t.i, IR_VF_EXTERNAL, ".data", 0x8);
	enc = run(BTFE_FEATURES_DEFAULT | BTFE_F_GLOBAL_VAR, elf, &cu, 1);
	btf = btfe_encoder__btf(enc);
	CU_ASSERT_EQUAL(skipped(enc, "odd")->reason, BTFE_SKIP_SECTION);
	CU_ASSERT_PTR_NULL(find(btf, BFMT_KIND_VAR, "odd", NULL));
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_VAR, "fine", NULL));
	CU_ASSERT_EQUAL(count_kind(btf, BFMT_KIND_DATASEC), 1);
	check_valid(btf);
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
}

/* ---- Life cycle ------------------------------------------------------------------ */

static void test_no_elf(void)
{
	struct tys t;
	struct ir_cu *cu = new_cu(&t);
	struct prm a[] = { { "a", t.i, REG(5), 0, NULL } };
	struct btfe_encoder *enc;
	size_t n;
	const struct btfe_skip *s;

	add_func(cu, "f", mk_proto(cu, t.i, 1, a), IR_FF_EXTERNAL, 0x1000);
	add_var(cu, "v", t.i, 0, ".data..percpu", 4);
	enc = run(BTFE_FEATURES_DEFAULT, NULL, &cu, 1);
	CU_ASSERT_EQUAL(count_kind(btfe_encoder__btf(enc), BFMT_KIND_FUNC), 0);
	CU_ASSERT_EQUAL(count_kind(btfe_encoder__btf(enc), BFMT_KIND_VAR), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.buf, "no ELF symbol table"));
	btfe_encoder__skipped(enc, &s, &n);
	CU_ASSERT_EQUAL(n, 0);
	/* finish once; nothing may be added after it */
	CU_ASSERT_EQUAL(btfe_encoder__finish(enc), -EINVAL);
	cu = new_cu(&t);
	CU_ASSERT_EQUAL(btfe_encoder__add_cu(enc, cu), -EINVAL);
	ir_cu__free(cu);
	btfe_encoder__free(enc);
}

static void test_reason_strings(void)
{
	int r;

	for (r = 0; r < BTFE_SKIP_NR; r++)
		CU_ASSERT_PTR_NOT_NULL(btfe_skip_reason_str(r));
	CU_ASSERT_STRING_EQUAL(btfe_skip_reason_str(BTFE_SKIP_PROTO_MISMATCH),
			       "prototypes differ between units");
	CU_ASSERT_STRING_EQUAL(btfe_skip_reason_str(BTFE_SKIP_NR), "?");
}

/* Same input, same bytes. */
static void test_deterministic(void)
{
	void *raw[2];
	size_t len[2];
	int k;

	for (k = 0; k < 2; k++) {
		struct btfe_elf *elf;
		struct btfe_encoder *enc = vars(BTFE_FEATURES_DEFAULT | BTFE_F_GLOBAL_VAR, &elf);

		CU_ASSERT_EQUAL(bfmt_btf__serialize(btfe_encoder__btf(enc), false, &raw[k],
						    &len[k]), 0);
		btfe_encoder__free(enc);
		btfe_elf__free(elf);
	}
	CU_ASSERT_EQUAL_FATAL(len[0], len[1]);
	CU_ASSERT_EQUAL(memcmp(raw[0], raw[1], len[0]), 0);
	free(raw[0]);
	free(raw[1]);
}

/* ---- Real ELF files ---------------------------------------------------------------- */

static void test_load_object(void)
{
#ifdef ENCFUNCS_OBJ
	struct btfe_elf *elf;
	const struct btfe_elf_func *f;
	const struct btfe_elf_section *pcpu;

	CU_ASSERT_EQUAL_FATAL(btfe_elf__load(ENCFUNCS_OBJ, &cap_diag, &elf), 0);
	CU_ASSERT_EQUAL(btfe_elf__header(elf)->type, ET_REL);
	CU_ASSERT_EQUAL(btfe_elf__header(elf)->is_64, sizeof(void *) == 8);
	pcpu = btfe_elf__section_by_name(elf, ".data..percpu");
	CU_ASSERT_PTR_NOT_NULL_FATAL(pcpu);
	CU_ASSERT_EQUAL(pcpu->type, SHT_PROGBITS);
	CU_ASSERT_TRUE(btfe_elf__has_object(elf, "enc_counter", pcpu->index));
	CU_ASSERT_TRUE(btfe_elf__has_object(elf, "enc_local_pcpu", pcpu->index));
	f = btfe_elf__func(elf, "enc_gfn");
	CU_ASSERT_TRUE(f && f->nr == 1 && f->syms[0].bind == BTFE_BIND_GLOBAL);
	f = btfe_elf__func(elf, "enc_weak");
	CU_ASSERT_TRUE(f && f->syms[0].bind == BTFE_BIND_WEAK);
	f = btfe_elf__func(elf, "enc_dup");
	CU_ASSERT_TRUE(f && f->syms[0].bind == BTFE_BIND_LOCAL && !f->ambiguous);
	/* kfunc set: two entries; enc_gfn's BTF_ID lies outside the set */
	CU_ASSERT_EQUAL(btfe_elf__nr_kfuncs(elf), 2);
	CU_ASSERT_TRUE(btfe_elf__kfunc(elf, "enc_kf_one") &&
		       btfe_elf__kfunc(elf, "enc_kf_one")->flags == 0);
	CU_ASSERT_TRUE(btfe_elf__kfunc(elf, "enc_kf_fast") &&
		       btfe_elf__kfunc(elf, "enc_kf_fast")->flags == 1u << 12);
	CU_ASSERT_TRUE(btfe_elf__func(elf, "enc_kf_fast")->kfunc);
	CU_ASSERT_FALSE(btfe_elf__func(elf, "enc_gfn")->kfunc);
	btfe_elf__free(elf);
#endif
}

static void test_load_program(void)
{
#ifdef ENCFUNCS_PROG
	struct btfe_elf *elf;
	const struct btfe_elf_func *f;

	CU_ASSERT_EQUAL_FATAL(btfe_elf__load(ENCFUNCS_PROG, &cap_diag, &elf), 0);
	CU_ASSERT_NOT_EQUAL(btfe_elf__header(elf)->type, ET_REL);
	/* two static enc_dup, one per file */
	f = btfe_elf__func(elf, "enc_dup");
	CU_ASSERT_TRUE(f && f->nr == 2 && f->ambiguous);
	CU_ASSERT_EQUAL(btfe_elf__nr_kfuncs(elf), 2);
	CU_ASSERT_PTR_NOT_NULL(btfe_elf__section_by_name(elf, ".text"));
	btfe_elf__free(elf);
#endif
}

static void test_load_errors(void)
{
	struct btfe_elf *elf = NULL;

	cap.len = 0;
	CU_ASSERT_EQUAL(btfe_elf__load("/nonexistent/encfuncs", &cap_diag, &elf), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.buf, "/nonexistent/encfuncs: cannot open"));
	CU_ASSERT_EQUAL(btfe_elf__load("/proc/self/status", &cap_diag, &elf), -ENOEXEC);
	CU_ASSERT_PTR_NULL(elf);
}

struct pipe_ctx {
	struct btfe_encoder *enc;
	int err;
};

static int pipe_cu(struct ir_cu *cu, void *arg)
{
	struct pipe_ctx *p = arg;

	if (!p->err)
		p->err = btfe_encoder__add_cu(p->enc, cu);
	ir_cu__free(cu);
	return 0;
}

/* The dwarf loader, btfe_elf__load and the encoder on one file. */
static struct btfe_encoder *pipeline(const char *path, uint32_t features,
				     struct btfe_elf **elfp)
{
	struct btfe_opts o = { .features = features, .diag = &cap_diag };
	struct dwl_opts dopts = { .diag = &cap_diag };
	struct pipe_ctx p = { 0 };
	struct dwl_stats st = { 0 };

	cap.len = 0;
	CU_ASSERT_EQUAL_FATAL(btfe_elf__load(path, &cap_diag, elfp), 0);
	o.elf = *elfp;
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__new(&o, &p.enc), 0);
	CU_ASSERT_EQUAL(dwl_load_file(path, &dopts, pipe_cu, &p, &st), 0);
	CU_ASSERT_EQUAL(p.err, 0);
	CU_ASSERT_EQUAL(btfe_encoder__finish(p.enc), 0);
	return p.enc;
}

static void test_pipeline_program(void)
{
#ifdef ENCFUNCS_PROG
	struct btfe_elf *elf;
	struct btfe_encoder *enc = pipeline(ENCFUNCS_PROG, BTFE_FEATURES_DEFAULT, &elf);
	const struct bfmt_btf *btf = btfe_encoder__btf(enc);
	uint32_t id = 0;

	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_FUNC, "enc_gfn", NULL));
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_FUNC, "main", NULL));
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_FUNC, "enc_weak", NULL));
	expect_skip(enc, "enc_dup", BTFE_SKIP_AMBIGUOUS_ADDR, "enc_dup@");
	CU_ASSERT_PTR_NOT_NULL_FATAL(find(btf, BFMT_KIND_FUNC, "enc_kf_fast", &id));
	CU_ASSERT_PTR_NOT_NULL(find_tag(btf, "bpf_kfunc", id, -1));
	CU_ASSERT_PTR_NOT_NULL(find_tag(btf, "bpf_fastcall", id, -1));
	CU_ASSERT_PTR_NOT_NULL_FATAL(find(btf, BFMT_KIND_FUNC, "enc_kf_one", &id));
	CU_ASSERT_PTR_NOT_NULL(find_tag(btf, "bpf_kfunc", id, -1));
	CU_ASSERT_PTR_NULL(find_tag(btf, "bpf_fastcall", id, -1));
	/* enc_clone became enc_clone.constprop.0: encoded only if gcc kept
	 * its calling convention; either way it is decided, not lost. */
	CU_ASSERT_TRUE(find(btf, BFMT_KIND_FUNC, "enc_clone", NULL) != NULL ||
		       skipped(enc, "enc_clone") != NULL);
	check_valid(btf);
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
#endif
}

/* The file through the dwarf loader into a merging encoder with jobs
 * threads, then finish + dedup or decide + dedup (the command's way);
 * the serialised BTF and the skip count. */
static void *pipeline_dedup(const char *path, unsigned jobs, bool decide, size_t *len_ret,
			    size_t *nr_skipped)
{
	struct btfe_opts o = { .features = BTFE_FEATURES_DEFAULT, .diag = &cap_diag,
			       .merge_units = true, .jobs = jobs };
	struct dwl_opts dopts = { .diag = &cap_diag };
	struct pipe_ctx p = { 0 };
	struct dwl_stats st = { 0 };
	struct btfe_elf *elf;
	void *raw = NULL;

	cap.len = 0;
	CU_ASSERT_EQUAL_FATAL(btfe_elf__load(path, &cap_diag, &elf), 0);
	o.elf = elf;
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__new(&o, &p.enc), 0);
	CU_ASSERT_EQUAL(dwl_load_file(path, &dopts, pipe_cu, &p, &st), 0);
	CU_ASSERT_EQUAL(p.err, 0);
	CU_ASSERT_EQUAL(decide ? btfe_encoder__decide(p.enc) : btfe_encoder__finish(p.enc), 0);
	/* Finishing twice, either way, is refused. */
	CU_ASSERT_EQUAL(btfe_encoder__decide(p.enc), -EINVAL);
	CU_ASSERT_EQUAL(btfe_encoder__finish(p.enc), -EINVAL);
	CU_ASSERT_EQUAL(btfe_encoder__dedup(p.enc), 0);
	*nr_skipped = btfe_encoder__nr_skipped(p.enc);
	CU_ASSERT_EQUAL(bfmt_btf__serialize(btfe_encoder__btf(p.enc), false, &raw, len_ret), 0);
	check_valid(btfe_encoder__btf(p.enc));
	btfe_encoder__free(p.enc);
	btfe_elf__free(elf);
	return raw;
}

/* Deciding first and adding the functions' and variables' types after the
 * data types' dedup (on another thread with jobs > 1) gives the bytes of
 * finish then dedup: functions whose prototypes are equal, prototypes
 * equal to a function pointer's, variables, tags, kfuncs. */
static void test_decide_then_dedup(void)
{
	static const char *const files[] = {
#ifdef ENCFUNCS_PROG
		ENCFUNCS_PROG,
#endif
#ifdef ENCFUNCS_OBJ
		ENCFUNCS_OBJ,
#endif
#ifdef DWL_FIX_PROG_GCC
		DWL_FIX_PROG_GCC,
#endif
#ifdef DWL_FIX_FUNCS_CLANG
		DWL_FIX_FUNCS_CLANG,
#endif
		NULL,
	};
	/* Fixtures whose dedup merges forward declarations and copies before
	 * the functions' prototypes are added (each of the remapping, the
	 * fold of prototypes and the strings of dropped ones fails here). */
	static const char *const built[] = {
		"graph-gcc-d5-O2", "graph-gcc-d4-O0", "graph-list-gcc-d4-O0.o",
		"btftags-clang-d5-O2",
	};
	static const unsigned jobs[] = { 1, 2, 4 };
	char paths[sizeof(built) / sizeof(built[0])][4096];
	const char *all[sizeof(files) / sizeof(files[0]) + sizeof(built) / sizeof(built[0])];
	size_t nr = 0;

	for (size_t f = 0; files[f]; f++)
		all[nr++] = files[f];
	for (size_t f = 0; f < sizeof(built) / sizeof(built[0]); f++) {
		snprintf(paths[f], sizeof(paths[f]), "%s/%s", unit_fixture_dir(), built[f]);
		if (!access(paths[f], R_OK))
			all[nr++] = paths[f];
	}
	CU_ASSERT_TRUE(nr >= sizeof(built) / sizeof(built[0]));
	for (size_t f = 0; f < nr; f++) {
		size_t len, nr_skipped;
		void *ref = pipeline_dedup(all[f], 1, false, &len, &nr_skipped);

		for (size_t j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
			size_t len2 = 0, nr2 = 0;
			void *raw = pipeline_dedup(all[f], jobs[j], true, &len2, &nr2);

			CU_ASSERT_EQUAL(nr2, nr_skipped);
			CU_ASSERT_TRUE(raw && ref && len2 == len && !memcmp(raw, ref, len));
			if (!raw || !ref || len2 != len || memcmp(raw, ref, len))
				fprintf(stderr, "%s -j%u: decide + dedup differs\n", all[f],
					jobs[j]);
			free(raw);
		}
		free(ref);
	}
}

/* Decided on a thread, then freed without dedup: joined, nothing leaks. */
static void test_decide_then_free(void)
{
#ifdef ENCFUNCS_PROG
	struct btfe_opts o = { .features = BTFE_FEATURES_DEFAULT, .diag = &cap_diag,
			       .merge_units = true, .jobs = 2 };
	struct dwl_opts dopts = { .diag = &cap_diag };
	struct pipe_ctx p = { 0 };
	struct dwl_stats st = { 0 };
	struct btfe_elf *elf;

	CU_ASSERT_EQUAL_FATAL(btfe_elf__load(ENCFUNCS_PROG, &cap_diag, &elf), 0);
	o.elf = elf;
	CU_ASSERT_EQUAL_FATAL(btfe_encoder__new(&o, &p.enc), 0);
	CU_ASSERT_EQUAL(dwl_load_file(ENCFUNCS_PROG, &dopts, pipe_cu, &p, &st), 0);
	CU_ASSERT_EQUAL(btfe_encoder__decide(p.enc), 0);
	btfe_encoder__free(p.enc);
	btfe_elf__free(elf);
#endif
}

static void test_pipeline_object_vars(void)
{
#ifdef ENCFUNCS_OBJ
	struct btfe_elf *elf;
	struct btfe_encoder *enc = pipeline(ENCFUNCS_OBJ, BTFE_FEATURES_DEFAULT, &elf);
	const struct bfmt_btf *btf = btfe_encoder__btf(enc);
	const struct bfmt_type *ds, *v;

	ds = find(btf, BFMT_KIND_DATASEC, ".data..percpu", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_EQUAL(bfmt_vlen(ds), 2);
	v = find(btf, BFMT_KIND_VAR, "enc_counter", NULL);
	CU_ASSERT_TRUE(v && ((const struct bfmt_var *)bfmt_type_extra(v))->linkage ==
				    BFMT_LINKAGE_GLOBAL);
	v = find(btf, BFMT_KIND_VAR, "enc_local_pcpu", NULL);
	CU_ASSERT_TRUE(v && ((const struct bfmt_var *)bfmt_type_extra(v))->linkage ==
				    BFMT_LINKAGE_STATIC);
	CU_ASSERT_EQUAL(skipped(enc, "__UNIQUE_ID_enc4")->reason, BTFE_SKIP_EXCLUDED_NAME);
	CU_ASSERT_EQUAL(skipped(enc, "enc_global")->reason, BTFE_SKIP_SECTION);
	/* in a .o, functions match by name */
	CU_ASSERT_PTR_NOT_NULL(find(btf, BFMT_KIND_FUNC, "enc_gfn", NULL));
	check_valid(btf);
	btfe_encoder__free(enc);
	btfe_elf__free(elf);
#endif
}

static const struct unit_test btfe_funcs_tests[] = {
	{ "elf_suffixes", test_elf_suffixes },
	{ "elf_groups", test_elf_groups },
	{ "func_basic", test_func_basic },
	{ "decide_then_dedup", test_decide_then_dedup },
	{ "decide_then_free", test_decide_then_free },
	{ "skips_sorted_quiet", test_skips_sorted_quiet },
	{ "func_static_dup", test_func_static_dup },
	{ "func_weak_strong", test_func_weak_strong },
	{ "func_clones", test_func_clones },
	{ "func_registers", test_func_registers },
	{ "func_uncertain_slot", test_func_uncertain_slot },
	{ "func_uncertain_slot_lazy", test_func_uncertain_slot_lazy },
	{ "func_proto_mismatch", test_func_proto_mismatch },
	{ "kfunc_tags", test_kfunc_tags },
	{ "vars_percpu", test_vars_percpu },
	{ "vars_global", test_vars_global },
	{ "vars_bad_section_name", test_vars_bad_section_name },
	{ "no_elf", test_no_elf },
	{ "reason_strings", test_reason_strings },
	{ "deterministic", test_deterministic },
	{ "load_object", test_load_object },
	{ "load_program", test_load_program },
	{ "load_errors", test_load_errors },
	{ "pipeline_program", test_pipeline_program },
	{ "pipeline_object_vars", test_pipeline_object_vars },
	{ NULL, NULL },
};

int register_btfe_funcs_suite(void)
{
	return unit_add_suite("btfe_funcs", btfe_funcs_tests);
}
