// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit-independent facts about a function: its prototype as a string that
 * compares the way pahole's funcs__match()/types__match() compare BTF, and
 * where its parameters sit against the machine's calling convention
 * (pahole's unexpected_reg, uncertain_parm_loc and optimized_parms).
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_internal.h"
#include "src/util/vec.h"

/* ---- Calling conventions ------------------------------------------------ */

/*
 * Integer argument registers, as DWARF numbers them (DW_OP_regN). x86_64
 * SysV: rdi rsi rdx rcx r8 r9; AAPCS64: x0-x7; AAPCS32: r0-r3 (pahole
 * lists eight for arm, but AAPCS32 passes only four in registers);
 * s390x: r2-r6; ppc/ppc64: r3-r10; riscv: a0-a7 = x10-x17.
 */
static const struct btfe_abi btfe_abis[] = {
	{ EM_X86_64, 6, { 5, 4, 1, 2, 8, 9 } },
	{ EM_AARCH64, 8, { 0, 1, 2, 3, 4, 5, 6, 7 } },
	{ EM_ARM, 4, { 0, 1, 2, 3 } },
	{ EM_S390, 5, { 2, 3, 4, 5, 6 } },
	{ EM_PPC64, 8, { 3, 4, 5, 6, 7, 8, 9, 10 } },
	{ EM_PPC, 8, { 3, 4, 5, 6, 7, 8, 9, 10 } },
	{ EM_RISCV, 8, { 10, 11, 12, 13, 14, 15, 16, 17 } },
};

const struct btfe_abi *btfe_abi_of(uint16_t machine)
{
	size_t i;

	for (i = 0; i < sizeof(btfe_abis) / sizeof(btfe_abis[0]); i++)
		if (btfe_abis[i].machine == machine)
			return &btfe_abis[i];
	return NULL;
}

/* ---- A small string builder ---------------------------------------------- */

struct btfe_sb {
	char *v;
	size_t len, cap;
	bool oom;
};

static void btfe_sb_put(struct btfe_sb *b, const char *s)
{
	size_t n = strlen(s);

	if (b->oom || vec_reserve(b, b->len + n + 1)) {
		b->oom = true;
		return;
	}
	memcpy(b->v + b->len, s, n + 1);
	b->len += n;
}

__attribute__((format(printf, 2, 3)))
static void btfe_sb_printf(struct btfe_sb *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	btfe_sb_put(b, tmp);
}

static int btfe_sb_done(struct btfe_sb *b, struct arena *a, const char **ret)
{
	char *s = b->oom ? NULL : arena_strdup(a, b->v ? b->v : "");

	free(b->v);
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

/* ---- Prototype strings --------------------------------------------------- */

#define BTFE_SIG_DEPTH 32	/* malformed chains end in "..." */

static void btfe_sig_type(struct btfe_sb *b, const struct ir_cu *cu, ir_id id, int depth);

static void btfe_sig_params(struct btfe_sb *b, const struct ir_cu *cu,
			    const struct ir_type *t, int depth)
{
	uint32_t i;

	btfe_sb_put(b, "(");
	for (i = 0; i < t->vlen; i++) {
		if (i)
			btfe_sb_put(b, ", ");
		btfe_sig_type(b, cu, t->params[i].type, depth + 1);
	}
	if (t->flags & IR_TF_VARARGS)
		btfe_sb_put(b, t->vlen ? ", ..." : "...");
	else if (!t->vlen)
		/* f() and f(void) both have no BTF parameters. */
		btfe_sb_put(b, "void");
	btfe_sb_put(b, ")");
}

static void btfe_sig_named(struct btfe_sb *b, const char *kw, const char *name)
{
	if (kw) {
		btfe_sb_put(b, kw);
		btfe_sb_put(b, " ");
	}
	btfe_sb_put(b, name ? name : "{anon}");
}

/* Skip what pahole's comparison skips (const) and what BTF drops (_Atomic). */
static ir_id btfe_sig_skip(const struct ir_cu *cu, ir_id id, int *depth)
{
	const struct ir_type *t = ir_cu__type(cu, id);

	while (t && (t->kind == IR_KIND_CONST || t->kind == IR_KIND_ATOMIC ||
		     t->kind == IR_KIND_TYPE_TAG) && *depth < BTFE_SIG_DEPTH) {
		id = t->type;
		t = ir_cu__type(cu, id);
		(*depth)++;
	}
	return id;
}

static void btfe_sig_ptr(struct btfe_sb *b, const struct ir_cu *cu,
			 const struct ir_type *t, int depth)
{
	ir_id to = btfe_sig_skip(cu, t->type, &depth);
	const struct ir_type *p = ir_cu__type(cu, to);

	if (p && p->kind == IR_KIND_FUNC_PROTO) {
		btfe_sig_type(b, cu, p->type, depth + 1);
		btfe_sb_put(b, " (*)");
		btfe_sig_params(b, cu, p, depth);
		return;
	}
	btfe_sig_type(b, cu, to, depth + 1);
	btfe_sb_put(b, b->len && b->v[b->len - 1] == '*' ? "*" : " *");
}

static const char *btfe_fwd_kw(const struct ir_type *t)
{
	if (t->fwd_kind == IR_FWD_UNION)
		return "union";
	return t->fwd_kind == IR_FWD_ENUM ? "enum" : "struct";
}

static void btfe_sig_array(struct btfe_sb *b, const struct ir_cu *cu,
			   const struct ir_type *t, int depth)
{
	uint32_t d;

	btfe_sig_type(b, cu, t->type, depth + 1);
	for (d = 0; d < t->vlen; d++) {
		if (t->dims[d].flexible)
			btfe_sb_put(b, "[]");
		else
			btfe_sb_printf(b, "[%llu]", (unsigned long long)t->dims[d].count);
	}
}

static void btfe_sig_base(struct btfe_sb *b, const struct ir_type *t)
{
	if (t->name)
		btfe_sb_put(b, t->name);
	else
		btfe_sb_printf(b, "{anon %s %llu}", t->kind == IR_KIND_INT ? "int" : "float",
			       (unsigned long long)t->size);
}

static void btfe_sig_type(struct btfe_sb *b, const struct ir_cu *cu, ir_id id, int depth)
{
	const struct ir_type *t;

	id = btfe_sig_skip(cu, id, &depth);
	t = ir_cu__type(cu, id);
	if (depth > BTFE_SIG_DEPTH) {
		btfe_sb_put(b, "...");
		return;
	}
	if (!t) {
		btfe_sb_put(b, id == IR_VOID ? "void" : "?");
		return;
	}
	switch (t->kind) {
	case IR_KIND_INT:
	case IR_KIND_FLOAT:
		btfe_sig_base(b, t);
		break;
	case IR_KIND_PTR:
		btfe_sig_ptr(b, cu, t, depth);
		break;
	case IR_KIND_VOLATILE:
		btfe_sb_put(b, "volatile ");
		btfe_sig_type(b, cu, t->type, depth + 1);
		break;
	case IR_KIND_RESTRICT:
		btfe_sig_type(b, cu, t->type, depth + 1);
		btfe_sb_put(b, " restrict");
		break;
	case IR_KIND_TYPEDEF:
		btfe_sig_named(b, NULL, t->name);
		break;
	case IR_KIND_STRUCT:
		btfe_sig_named(b, "struct", t->name);
		break;
	case IR_KIND_UNION:
		btfe_sig_named(b, "union", t->name);
		break;
	case IR_KIND_ENUM:
		btfe_sig_named(b, "enum", t->name);
		break;
	case IR_KIND_FWD:
		btfe_sig_named(b, btfe_fwd_kw(t), t->name);
		break;
	case IR_KIND_ARRAY:
		btfe_sig_array(b, cu, t, depth);
		break;
	case IR_KIND_FUNC_PROTO:
		btfe_sig_type(b, cu, t->type, depth + 1);
		btfe_sb_put(b, " ");
		btfe_sig_params(b, cu, t, depth);
		break;
	case IR_KIND_UNSPEC:
		if (t->unspec == IR_UNSPEC_REFERENCE || t->unspec == IR_UNSPEC_RVALUE_REFERENCE) {
			btfe_sig_type(b, cu, t->type, depth + 1);
			btfe_sb_put(b, t->unspec == IR_UNSPEC_REFERENCE ? " &" : " &&");
		} else {
			btfe_sig_named(b, NULL, t->name ? t->name : "{unspecified}");
		}
		break;
	default:
		btfe_sb_put(b, "?");
		break;
	}
}

int btfe_sig_proto(const struct ir_cu *cu, ir_id proto, struct arena *a, const char **ret)
{
	struct btfe_sb b = { 0 };
	const struct ir_type *t = ir_cu__type(cu, proto);

	if (!t || t->kind != IR_KIND_FUNC_PROTO) {
		btfe_sb_put(&b, "?");
	} else {
		btfe_sig_type(&b, cu, t->type, 0);
		btfe_sb_put(&b, " ");
		btfe_sig_params(&b, cu, t, 0);
	}
	return btfe_sb_done(&b, a, ret);
}

/* ---- Parameter locations -------------------------------------------------- */

enum btfe_pclass {
	BTFE_PC_INT,	/* one integer register */
	BTFE_PC_FLOAT,	/* a floating-point register: not counted */
	BTFE_PC_OTHER,	/* aggregate or wider than a register: positions
			 * after it are not known without the full ABI */
};

static enum btfe_pclass btfe_param_class(const struct ir_cu *cu, ir_id type, uint32_t word)
{
	const struct ir_type *t = ir_cu__type(cu, ir_cu__resolve(cu, type));
	uint64_t size;

	if (!t)
		return BTFE_PC_OTHER;
	size = t->kind == IR_KIND_PTR && !t->size ? word : t->size;
	switch (t->kind) {
	case IR_KIND_INT:
	case IR_KIND_ENUM:
	case IR_KIND_PTR:
	case IR_KIND_UNSPEC:
		return size && size <= word ? BTFE_PC_INT : BTFE_PC_OTHER;
	case IR_KIND_FLOAT:
		return t->flags & IR_TF_COMPLEX ? BTFE_PC_OTHER : BTFE_PC_FLOAT;
	default:
		return BTFE_PC_OTHER;
	}
}

static const char *btfe_pname(const struct ir_param *p)
{
	return p->name ? p->name : "(unnamed)";
}

/* pahole's uncertain_parm_loc: a packed struct passed by value beyond the
 * register parameters may sit in a stack slot the compiler chose. */
static bool btfe_uncertain_slot(const struct ir_cu *cu, const struct ir_param *p)
{
	const struct ir_type *t = ir_cu__type(cu, ir_cu__resolve(cu, p->type));

	if (!t || t->kind != IR_KIND_STRUCT)
		return false;
	ir_cu__ensure_packed(cu);	/* (units loaded with lazy_packed) */
	return t->flags & IR_TF_PACKED;
}

static int btfe_why(struct arena *a, const char **dst, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int btfe_why(struct arena *a, const char **dst, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;

	if (*dst)
		return 0;	/* the first finding explains it */
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	*dst = arena_strdup(a, tmp);
	return *dst ? 0 : -ENOMEM;
}

/* Register check for one parameter in integer position *k (advanced). */
static int btfe_check_reg(const struct ir_cu *cu, const struct ir_param *p, uint32_t i,
			  const struct btfe_abi *abi, uint32_t word, uint32_t *k,
			  bool *stop, struct arena *a, struct btfe_fcand *c)
{
	enum btfe_pclass pc = btfe_param_class(cu, p->type, word);
	uint32_t expect;

	if (pc == BTFE_PC_FLOAT)
		return 0;
	if (pc == BTFE_PC_OTHER) {
		*stop = true;
		return 0;
	}
	if (*k >= abi->nr_regs)
		return 0;
	expect = abi->regs[(*k)++];
	if (p->loc != IR_LOC_REG || p->reg == expect)
		return 0;
	c->unexpected_reg = true;
	return btfe_why(a, &c->why_reg, "parameter '%s' (#%u) in DWARF register %u, expected %u",
			btfe_pname(p), i + 1, p->reg, expect);
}

int btfe_check_params(const struct ir_cu *cu, const struct ir_type *proto,
		      const struct btfe_abi *abi, uint32_t word, struct arena *a,
		      struct btfe_fcand *c)
{
	uint32_t i, k = 0, nr_regs = abi ? abi->nr_regs : 0;
	bool stop = !abi;
	int err = 0;

	for (i = 0; i < proto->vlen && !err; i++) {
		const struct ir_param *p = &proto->params[i];

		if (p->missing || p->loc == IR_LOC_OPTIMIZED_OUT || p->loc == IR_LOC_CONST) {
			c->optimized = true;
			err = btfe_why(a, &c->why_opt, "parameter '%s' (#%u) optimized out",
				       btfe_pname(p), i + 1);
		} else if (p->loc == IR_LOC_OTHER) {
			/* Neither a register nor a frame slot at entry: gcc's
			 * IPA-SRA replaced it (DW_OP_GNU_parameter_ref) or only
			 * a computed value is left. pahole's parameter__new
			 * counts any non-register location as optimized. */
			c->optimized = true;
			err = btfe_why(a, &c->why_opt,
				       "parameter '%s' (#%u) not passed as declared",
				       btfe_pname(p), i + 1);
		}
		if (!err && !stop)
			err = btfe_check_reg(cu, p, i, abi, word, &k, &stop, a, c);
		if (!err && i >= nr_regs && btfe_uncertain_slot(cu, p)) {
			c->uncertain = true;
			err = btfe_why(a, &c->why_slot,
				       "parameter '%s' (#%u) is a packed struct passed on the stack",
				       btfe_pname(p), i + 1);
		}
	}
	return err;
}
