// SPDX-License-Identifier: GPL-2.0-only
/*
 * Functions: which ir_funcs become BTF FUNCs, decided the way pahole
 * (1.25 and later, with optimized_func, consistent_func and
 * decl_tag_kfuncs) decides them, then emitted as FUNC_PROTO + FUNC.
 *
 * Each unit's functions are recorded by btfe_funcs_collect() right after
 * the unit's types got their BTF ids: the record holds what the decision
 * needs (name, address, a unit-independent prototype string, where the
 * parameters are) and what the emission needs (BTF ids of return and
 * parameter types, parameter names, decl tags), copied, so that the unit can
 * be freed. btfe_funcs_decide() sorts the records by name and address and
 * decides one name at a time (touching neither the table nor the name
 * cache, so it may run while the table is deduplicated), and
 * btfe_funcs_emit() adds what was kept, in that order, through a dedup's
 * id map when the types were deduplicated in between:
 *
 *   1. only declarations                      -> "declaration only"
 *   2. every definition has an unnamed param  -> "unnamed parameter"
 *      (pahole: ftype__has_arg_names), or one whose type BTF cannot
 *      have (void, sizeless: hostile DWARF)   -> "no usable size or offset"
 *   3. no STT_FUNC symbol with this base name ("foo" matches foo,
 *      foo.isra.0, foo.constprop.1, foo.llvm.7; .part/.cold pieces never
 *      count: pahole's elf_functions__collect); without optimized_func
 *      only an exact "foo" counts, as before pahole 1.25
 *                                             -> "no ELF symbol", or
 *      "inlined everywhere" when no definition has code of its own
 *   4. the symbols sit at several places      -> "ambiguous address"
 *      (pahole: elf_function__has_ambiguous_address), unless exactly one
 *      place holds a strong definition and the others only weak ones
 *   5. combined over every definition of the name (pahole:
 *      saved_functions_combine), later rules winning as in pahole's
 *      btf_encoder__add_saved_funcs():
 *      a parameter in an unexpected register    -> "unexpected register"
 *      prototypes differ (consistent_func, only checked when no register
 *      was unexpected, as pahole)               -> "prototypes differ ..."
 *      a packed struct beyond the register args -> "uncertain stack slot"
 *      the chosen definition dropped parameters and its calling convention
 *      changed: DW_CC_nocall, or its symbol is a .isra/.constprop clone
 *      (optimized_func)                         -> "optimized-out parameter
 *                                                   with changed calling
 *                                                   convention"
 *   6. otherwise the definition whose address is the winning symbol's
 *      (pahole: btf_encoder__select_canonical_state) is emitted, with
 *      BTF_FUNC_STATIC linkage like every pahole (checked against pahole
 *      1.24 with bpftool), its decl tags, and bpf_kfunc / bpf_fastcall
 *      decl tags when .BTF_ids lists it as a kfunc.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btfe_elf.h"
#include "btfe_internal.h"
#include "src/util/vec.h"

#define BTFE_KF_FASTCALL (1u << 12)	/* include/linux/btf.h */

static uint32_t btfe_map_id(const struct btfe_encoder *enc, ir_id id)
{
	return id < enc->map.len ? enc->map.v[id] : 0;
}

static const char *btfe_copy(struct btfe_encoder *enc, const char *s)
{
	return s ? arena_strdup(&enc->rec_arena, s) : NULL;
}

/* ---- Skip records ---------------------------------------------------------- */

static const char *const btfe_reason_strs[BTFE_SKIP_NR] = {
	[BTFE_SKIP_NO_SYMBOL] = "no ELF symbol",
	[BTFE_SKIP_INLINED] = "inlined everywhere",
	[BTFE_SKIP_DECLARATION] = "declaration only",
	[BTFE_SKIP_UNNAMED_PARAM] = "unnamed parameter",
	[BTFE_SKIP_PROTO_MISMATCH] = "prototypes differ between units",
	[BTFE_SKIP_OPTIMIZED] = "optimized-out parameter with changed calling convention",
	[BTFE_SKIP_UNEXPECTED_REG] = "unexpected register",
	[BTFE_SKIP_UNCERTAIN_SLOT] = "uncertain stack slot",
	[BTFE_SKIP_AMBIGUOUS_ADDR] = "ambiguous address",
	[BTFE_SKIP_EXCLUDED_NAME] = "excluded name pattern",
	[BTFE_SKIP_SECTION] = "section not encoded",
	[BTFE_SKIP_LANGUAGE] = "language excluded",
	[BTFE_SKIP_OVERLAP] = "overlaps another variable",
	[BTFE_SKIP_NO_SIZE] = "no usable size or offset",
};

const char *btfe_skip_reason_str(enum btfe_skip_reason r)
{
	return (unsigned)r < BTFE_SKIP_NR ? btfe_reason_strs[r] : "?";
}

int btfe_skip_add(struct btfe_encoder *enc, enum btfe_skip_kind kind,
		  enum btfe_skip_reason reason, const char *name, uint64_t addr,
		  const char *fmt, ...)
{
	struct btfe_skip *s;
	char *detail = NULL;
	va_list ap;
	int n = 0;

	if (fmt) {
		va_start(ap, fmt);
		n = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
	}
	detail = arena_alloc(&enc->skip_arena, (size_t)(n > 0 ? n : 0) + 1);
	if (!detail || vec_push(&enc->skips))
		return -ENOMEM;
	detail[0] = '\0';
	if (fmt && n > 0) {
		va_start(ap, fmt);
		vsnprintf(detail, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	enc->skips.sorted = false;
	s = vec_last(&enc->skips);
	s->kind = (uint8_t)kind;
	s->reason = (uint8_t)reason;
	s->name = arena_strdup(&enc->skip_arena, name ? name : "");
	s->detail = detail;
	s->addr = addr;
	return s->name ? 0 : -ENOMEM;
}

static int btfe_skip_cmp(const void *pa, const void *pb)
{
	const struct btfe_skip *a = pa, *b = pb;
	int c = (int)a->kind - (int)b->kind;

	if (!c)
		c = strcmp(a->name, b->name);
	if (!c)
		c = a->addr < b->addr ? -1 : a->addr > b->addr;
	if (!c)
		c = (int)a->reason - (int)b->reason;
	return c ? c : strcmp(a->detail, b->detail);
}

static void btfe_skips_sort(struct btfe_encoder *enc)
{
	if (!enc->skips.sorted && enc->skips.len)
		qsort(enc->skips.v, enc->skips.len, sizeof(*enc->skips.v), btfe_skip_cmp);
	enc->skips.sorted = true;
}

/* Without a listener for DIAG_INFO the sort waits until someone asks
 * (Debian's 6.1 vmlinux: 76 thousand skips, 12 ms of sorting). */
void btfe_skips_finish(struct btfe_encoder *enc)
{
	const struct diag *d = enc->opts.diag;
	size_t i;

	if (!d || !d->sink || d->max_level < DIAG_INFO)
		return;
	btfe_skips_sort(enc);
	for (i = 0; i < enc->skips.len; i++) {
		const struct btfe_skip *s = &enc->skips.v[i];

		diag_report(enc->opts.diag,
			    s->reason == BTFE_SKIP_SECTION ? DIAG_DEBUG : DIAG_INFO,
			    "skipping %s %s: %s%s%s",
			    s->kind == BTFE_SKIP_FUNC ? "function" : "variable", s->name,
			    btfe_skip_reason_str(s->reason), *s->detail ? ": " : "", s->detail);
	}
}

void btfe_encoder__skipped(struct btfe_encoder *enc,
			   const struct btfe_skip **ret, size_t *n_ret)
{
	btfe_skips_sort(enc);
	*ret = enc->skips.v;
	*n_ret = enc->skips.len;
}

size_t btfe_encoder__nr_skipped(const struct btfe_encoder *enc)
{
	return enc->skips.len;
}

/* ---- Recording a unit's functions ----------------------------------------- */

static int btfe_cand_params(struct btfe_encoder *enc, const struct ir_cu *cu,
			    const struct ir_type *proto, struct btfe_fcand *c)
{
	uint32_t i;

	c->nr_params = proto->vlen;
	c->varargs = proto->flags & IR_TF_VARARGS;
	/* A return type BTF cannot have (hostile DWARF: a typedef of void,
	 * a function) becomes void, as in the unit's type prototypes. */
	c->ret_type = btfe_value_type_ok(enc, cu, proto->type) ? btfe_map_id(enc, proto->type) : 0;
	if (!proto->vlen)
		return 0;
	c->params = arena_calloc(&enc->rec_arena, proto->vlen, sizeof(*c->params));
	if (!c->params)
		return -ENOMEM;
	for (i = 0; i < proto->vlen; i++) {
		const struct ir_param *p = &proto->params[i];

		if (!p->name || !*p->name)
			c->unnamed = true;
		c->params[i].name = btfe_copy(enc, p->name);
		if (p->name && !c->params[i].name)
			return -ENOMEM;
		c->params[i].type = btfe_map_id(enc, p->type);
		/* A void or sizeless parameter (hostile DWARF) cannot be
		 * encoded: the definition is out, as with an unnamed
		 * parameter. */
		if (!c->params[i].type || !btfe_value_type_ok(enc, cu, p->type))
			c->bad_param = true;
	}
	return 0;
}

static int btfe_annot_push(struct btfe_encoder *enc, struct btfe_fcand *c,
			   const struct ir_annots *a, int32_t component)
{
	uint32_t k;

	for (k = 0; k < a->len; k++) {
		struct btfe_fannot *x = &c->annots[c->nr_annots++];

		x->value = btfe_copy(enc, a->v[k]);
		x->component = component;
		if (!x->value)
			return -ENOMEM;
	}
	return 0;
}

/* Decl tags of the function (component -1) and of its parameters. */
static int btfe_cand_annots(struct btfe_encoder *enc, const struct ir_func *fn,
			    const struct ir_type *proto, struct btfe_fcand *c)
{
	uint32_t n = fn->annots.len, i;
	int err;

	for (i = 0; proto && i < proto->vlen; i++)
		n += proto->params[i].annots.len;
	if (!n)
		return 0;
	c->annots = arena_calloc(&enc->rec_arena, n, sizeof(*c->annots));
	if (!c->annots)
		return -ENOMEM;
	err = btfe_annot_push(enc, c, &fn->annots, -1);
	for (i = 0; !err && proto && i < proto->vlen; i++)
		err = btfe_annot_push(enc, c, &proto->params[i].annots, (int32_t)i);
	return err;
}

static int btfe_cand_fill(struct btfe_encoder *enc, const struct ir_cu *cu,
			  const struct ir_func *fn, struct btfe_fcand *c)
{
	const struct btfe_elf_header *h = btfe_elf__header(enc->opts.elf);
	const struct ir_type *proto = ir_cu__type(cu, fn->proto);
	const struct btfe_abi *abi = btfe_abi_of(h->machine ? h->machine : cu->machine);
	uint32_t word = h->is_64 ? 8 : 4;
	int err;

	if (!proto || proto->kind != IR_KIND_FUNC_PROTO) {
		c->sig = "?";
		return 0;
	}
	err = btfe_cand_params(enc, cu, proto, c);
	if (!err)
		err = btfe_cand_annots(enc, fn, proto, c);
	if (!err)
		err = btfe_sig_proto(cu, fn->proto, &enc->rec_arena, &c->sig);
	if (!err)
		err = btfe_check_params(cu, proto, abi, word, &enc->rec_arena, c);
	return err;
}

int btfe_funcs_collect(struct btfe_encoder *enc, const struct ir_cu *cu)
{
	size_t i;
	int err = 0;

	if (!enc->opts.elf)
		return 0;
	for (i = 0; i < cu->funcs.len && !err; i++) {
		const struct ir_func *fn = &cu->funcs.v[i];
		struct btfe_fcand *c;

		if (!fn->name || !*fn->name)
			continue;
		/* Of a name's declarations, the decision reads only that there
		 * is one (a name with nothing else is "declaration only"):
		 * every unit that calls kmalloc() declares it (Debian's 6.1
		 * vmlinux: 246 thousand records, 72 thousand of them repeated
		 * declarations). */
		if (fn->flags & IR_FF_DECLARATION) {
			size_t before = enc->decls.nr_strs;
			uint32_t off;

			if (strset_add(&enc->decls, fn->name, &off))
				return -ENOMEM;
			if (enc->decls.nr_strs == before)
				continue;
		}
		if (vec_push(&enc->fcands))
			return -ENOMEM;
		c = vec_last(&enc->fcands);
		c->name = btfe_copy(enc, fn->name);
		c->section = btfe_copy(enc, fn->section);
		c->section_offset = fn->section_offset;
		c->flags = fn->flags;
		c->addr = fn->flags & IR_FF_HAS_ADDR ? fn->low_pc : 0;
		c->unit = enc->nr_units;
		c->seq = (uint32_t)i;
		c->sig = "";
		if (!c->name || (fn->section && !c->section))
			return -ENOMEM;
		/* A declaration only says that the name exists elsewhere. */
		if (!(fn->flags & IR_FF_DECLARATION))
			err = btfe_cand_fill(enc, cu, fn, c);
	}
	return err;
}

/* ---- Deciding ---------------------------------------------------------------- */

static bool btfe_has_addr(const struct btfe_fcand *c)
{
	return c->flags & IR_FF_HAS_ADDR;
}

/* Definitions with code first, by address, then unit order. */
static int btfe_fcand_cmp(const void *pa, const void *pb)
{
	const struct btfe_fcand *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (!c)
		c = (int)btfe_has_addr(b) - (int)btfe_has_addr(a);
	if (!c)
		c = a->addr < b->addr ? -1 : a->addr > b->addr;
	if (!c)
		c = a->unit < b->unit ? -1 : a->unit > b->unit;
	if (!c)
		c = a->seq < b->seq ? -1 : a->seq > b->seq;
	return c;
}

/* A name's records, and the definitions among them that can be encoded
 * (not declarations, every parameter named): def[0..nr_def). */
struct btfe_group {
	const char *name;
	struct btfe_fcand *v;
	size_t n;
	struct btfe_fcand **def;
	size_t nr_def;
	const struct btfe_elf_func *ef;
};

/* Is c's entry the place of symbol s? *known = false when the file gives
 * no way to tell (ET_REL and the loader did not say which section). */
static bool btfe_cand_at(const struct btfe_elf *elf, const struct btfe_fcand *c,
			 const struct btfe_elf_sym *s, bool *known)
{
	const struct btfe_elf_section *sec;

	*known = true;
	if (!btfe_has_addr(c))
		return false;
	if (c->section) {
		sec = btfe_elf__section(elf, s->shndx);
		return sec && !strcmp(sec->name, c->section) && s->addr >= sec->addr &&
		       s->addr - sec->addr == c->section_offset;
	}
	if (btfe_elf__header(elf)->type != ET_REL)
		return s->addr == c->addr;
	*known = false;
	return false;
}

/* Suffixes of every real symbol at the place of syms[at]. */
static uint16_t btfe_place_suffixes(const struct btfe_elf_func *ef, uint32_t at)
{
	const struct btfe_elf_sym *p = &ef->syms[at];
	uint16_t sfx = 0;
	uint32_t i;

	for (i = 0; i < ef->nr; i++)
		if (ef->syms[i].shndx == p->shndx && ef->syms[i].addr == p->addr)
			sfx |= ef->syms[i].suffixes;
	return sfx;
}

/* pahole's skip_optimized_parms: dropped parameters only matter when the
 * calling convention changed with them. */
static bool btfe_cc_changed(const struct btfe_encoder *enc, const struct btfe_group *g,
			    const struct btfe_fcand *c)
{
	if (!(enc->opts.features & BTFE_F_OPTIMIZED_FUNC) || !c->optimized)
		return false;
	return (c->flags & IR_FF_NOCALL) ||
	       (btfe_place_suffixes(g->ef, g->ef->canon) & BTFE_SFX_CLONE);
}

/* The definition to emit: the one at the winning symbol, preferring one
 * whose calling convention is intact (pahole's select_canonical_state). */
static struct btfe_fcand *btfe_canonical(const struct btfe_encoder *enc,
					 const struct btfe_group *g)
{
	const struct btfe_elf_sym *s = &g->ef->syms[g->ef->canon];
	struct btfe_fcand *first = NULL, *any = NULL;
	size_t i;

	for (i = 0; i < g->nr_def; i++) {
		struct btfe_fcand *c = g->def[i];
		bool known;

		if (!btfe_has_addr(c))
			continue;
		if (!any)
			any = c;
		if (!btfe_cand_at(enc->opts.elf, c, s, &known))
			continue;
		if (!first)
			first = c;
		if (!btfe_cc_changed(enc, g, c))
			return c;
	}
	return first ? first : any;
}

static int btfe_skip_func(struct btfe_encoder *enc, const struct btfe_group *g,
			  enum btfe_skip_reason r, uint64_t addr, const char *detail)
{
	return btfe_skip_add(enc, BTFE_SKIP_FUNC, r, g->name, addr, "%s", detail ? detail : "");
}

/* "foo.isra.0@0x10, foo@0x40" into buf: the symbols of a name. */
static void btfe_syms_str(const struct btfe_elf_func *ef, bool pieces, char *buf, size_t len)
{
	uint32_t i, from = pieces ? ef->nr : 0, to = pieces ? ef->nr + ef->nr_pieces : ef->nr;
	size_t off = 0;

	buf[0] = '\0';
	for (i = from; i < to && off + 1 < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s@0x%llx", i > from ? ", " : "",
				 ef->syms[i].name, (unsigned long long)ef->syms[i].addr);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

/* Step 3: the symbol, and whether some definition has code. */
static int btfe_check_symbol(struct btfe_encoder *enc, struct btfe_group *g, bool *skip)
{
	bool exact_only = !(enc->opts.features & BTFE_F_OPTIMIZED_FUNC);
	bool any_addr = false, all_inline = true;
	char buf[512];
	uint32_t i;

	for (i = 0; i < g->nr_def; i++) {
		any_addr |= btfe_has_addr(g->def[i]);
		all_inline &= !!(g->def[i]->flags & IR_FF_INLINE);
	}
	*skip = true;
	g->ef = btfe_elf__func(enc->opts.elf, g->name);
	if (g->ef && g->ef->nr && exact_only) {
		for (i = 0; i < g->ef->nr && strcmp(g->ef->syms[i].name, g->name); i++)
			;
		if (i == g->ef->nr) {
			btfe_syms_str(g->ef, false, buf, sizeof(buf));
			return btfe_skip_add(enc, BTFE_SKIP_FUNC, BTFE_SKIP_NO_SYMBOL, g->name, 0,
					     "only clones %s (optimized_func is off)", buf);
		}
	}
	if (!g->ef || !g->ef->nr) {
		if (!any_addr && all_inline)
			return btfe_skip_func(enc, g, BTFE_SKIP_INLINED, 0, "no out-of-line copy");
		if (!g->ef)
			return btfe_skip_func(enc, g, BTFE_SKIP_NO_SYMBOL, 0, NULL);
		btfe_syms_str(g->ef, true, buf, sizeof(buf));
		return btfe_skip_add(enc, BTFE_SKIP_FUNC, BTFE_SKIP_NO_SYMBOL, g->name, 0,
				     "only pieces %s", buf);
	}
	if (!any_addr)
		return btfe_skip_func(enc, g, BTFE_SKIP_INLINED, 0,
				      "a symbol exists, but no unit has this function's code");
	if (g->ef->ambiguous) {
		btfe_syms_str(g->ef, false, buf, sizeof(buf));
		return btfe_skip_func(enc, g, BTFE_SKIP_AMBIGUOUS_ADDR, 0, buf);
	}
	*skip = false;
	return 0;
}

/* Step 5 minus the optimized rule: the combined flags, in pahole's order
 * (later wins). Returns the reason or BTFE_SKIP_NR, detail in *why. */
static enum btfe_skip_reason btfe_combined(const struct btfe_encoder *enc,
					   const struct btfe_group *g, char *why, size_t len)
{
	enum btfe_skip_reason r = BTFE_SKIP_NR;
	const struct btfe_fcand *reg = NULL, *slot = NULL, *other = NULL;
	size_t i;

	for (i = 0; i < g->nr_def; i++) {
		const struct btfe_fcand *c = g->def[i];

		if (c->unexpected_reg && !reg)
			reg = c;
		if (c->uncertain && !slot)
			slot = c;
		if (!other && strcmp(c->sig, g->def[0]->sig))
			other = c;
	}
	if (reg) {
		r = BTFE_SKIP_UNEXPECTED_REG;
		snprintf(why, len, "%s", reg->why_reg);
	}
	if (!reg && other && (enc->opts.features & BTFE_F_CONSISTENT_FUNC)) {
		r = BTFE_SKIP_PROTO_MISMATCH;
		snprintf(why, len, "'%s' vs '%s'", g->def[0]->sig, other->sig);
	}
	if (slot) {
		r = BTFE_SKIP_UNCERTAIN_SLOT;
		snprintf(why, len, "%s", slot->why_slot);
	}
	return r;
}

/* ---- Emitting ------------------------------------------------------------------ */

/* A recorded type id in the table being emitted into: through map (a
 * dedup's, btfe_funcs_emit()) or as recorded. */
static uint32_t btfe_mapped(const uint32_t *map, uint32_t id)
{
	return map ? map[id] : id;
}

static int btfe_emit_proto(struct btfe_encoder *enc, const struct btfe_fcand *c,
			   const uint32_t *map, uint32_t *id_ret)
{
	uint32_t vlen = c->nr_params + (c->varargs ? 1 : 0), *offs = NULL, i;
	struct bfmt_param *p;
	int err = 0;

	if (vlen > BFMT_MAX_VLEN)
		return -E2BIG;
	if (c->nr_params) {
		offs = calloc(c->nr_params, sizeof(*offs));
		if (!offs)
			return -ENOMEM;
	}
	/* Strings first: adding them never moves type records, but keep the
	 * record pointer's lifetime obvious. */
	for (i = 0; i < c->nr_params && !err; i++)
		err = btfe_ident_off(enc, c->params[i].name, &offs[i]);
	if (!err)
		err = bfmt_btf__add_type(enc->btf, BFMT_KIND_FUNC_PROTO, vlen, false, 0,
					 btfe_mapped(map, c->ret_type), id_ret, (void **)&p);
	for (i = 0; !err && i < c->nr_params; i++) {
		p[i].name_off = offs[i];
		p[i].type = btfe_mapped(map, c->params[i].type);
	}
	free(offs);
	return err;	/* a varargs marker { 0, 0 } is already zeroed */
}

static int btfe_emit_kfunc_tags(struct btfe_encoder *enc, const struct btfe_elf_func *ef,
				uint32_t id)
{
	uint32_t need = BTFE_F_DECL_TAG_KFUNCS | BTFE_F_DECL_TAG;
	int err;

	if ((enc->opts.features & need) != need || !ef->kfunc)
		return 0;
	err = btfe_add_decl_tag(enc, "bpf_kfunc", id, -1);
	if (!err && (ef->kfunc_flags & BTFE_KF_FASTCALL))
		err = btfe_add_decl_tag(enc, "bpf_fastcall", id, -1);
	return err;
}

static int btfe_emit_func(struct btfe_encoder *enc, const struct btfe_femit *f,
			  const uint32_t *map)
{
	const struct btfe_fcand *c = f->c;
	uint32_t proto, id, off, i;
	int err = btfe_emit_proto(enc, c, map, &proto);

	if (!err)
		err = btfe_name_off(enc, c->name, &off);
	/* pahole adds every function with BTF_FUNC_STATIC linkage. */
	if (!err)
		err = bfmt_btf__add_type(enc->btf, BFMT_KIND_FUNC, BFMT_LINKAGE_STATIC, false,
					 off, proto, &id, NULL);
	for (i = 0; !err && (enc->opts.features & BTFE_F_DECL_TAG) && i < c->nr_annots; i++)
		err = btfe_add_decl_tag(enc, c->annots[i].value, id, c->annots[i].component);
	if (!err)
		err = btfe_emit_kfunc_tags(enc, f->ef, id);
	return err;
}

/* Decided: c is the definition of its name that gets a FUNC. */
static int btfe_keep_func(struct btfe_encoder *enc, const struct btfe_group *g,
			  const struct btfe_fcand *c)
{
	if (vec_push(&enc->femits))
		return -ENOMEM;
	*vec_last(&enc->femits) = (struct btfe_femit){ .c = c, .ef = g->ef };
	return 0;
}

static int btfe_decide(struct btfe_encoder *enc, struct btfe_group *g)
{
	enum btfe_skip_reason r;
	struct btfe_fcand *c;
	char why[512] = "";
	bool skip;
	int err;

	if (!g->nr_def) {
		bool decl_only = true;
		size_t i;

		for (i = 0; i < g->n; i++)
			decl_only &= !!(g->v[i].flags & IR_FF_DECLARATION);
		if (decl_only)
			return btfe_skip_func(enc, g, BTFE_SKIP_DECLARATION, 0, NULL);
		for (i = 0; i < g->n && (g->v[i].flags & IR_FF_DECLARATION); i++)
			;
		if (g->v[i].unnamed)
			return btfe_skip_add(enc, BTFE_SKIP_FUNC, BTFE_SKIP_UNNAMED_PARAM, g->name,
					     g->v[i].addr, "'%s'", g->v[i].sig);
		return btfe_skip_add(enc, BTFE_SKIP_FUNC, BTFE_SKIP_NO_SIZE, g->name, g->v[i].addr,
				     "a parameter of void or sizeless type: '%s'", g->v[i].sig);
	}
	if (!btfe_name_valid(g->name))
		return btfe_skip_func(enc, g, BTFE_SKIP_EXCLUDED_NAME, 0,
				      "not a valid BTF name");
	err = btfe_check_symbol(enc, g, &skip);
	if (err || skip)
		return err;
	c = btfe_canonical(enc, g);
	r = btfe_combined(enc, g, why, sizeof(why));
	if (btfe_cc_changed(enc, g, c)) {
		r = BTFE_SKIP_OPTIMIZED;
		snprintf(why, sizeof(why), "%s; %s", c->why_opt,
			 (c->flags & IR_FF_NOCALL) ? "DW_CC_nocall"
						   : g->ef->syms[g->ef->canon].name);
	}
	if (r != BTFE_SKIP_NR)
		return btfe_skip_func(enc, g, r, c->addr, why);
	return btfe_keep_func(enc, g, c);
}

/* Group the sorted records by name and decide each name. */
static int btfe_decide_all(struct btfe_encoder *enc, struct btfe_fcand **defs)
{
	size_t i = 0, j;
	int err = 0;

	while (i < enc->fcands.len && !err) {
		struct btfe_group g = { .name = enc->fcands.v[i].name, .v = &enc->fcands.v[i],
					.def = defs };

		for (j = i; j < enc->fcands.len && !strcmp(enc->fcands.v[j].name, g.name); j++) {
			struct btfe_fcand *c = &enc->fcands.v[j];

			if (!(c->flags & IR_FF_DECLARATION) && !c->unnamed && !c->bad_param)
				defs[g.nr_def++] = c;
		}
		g.n = j - i;
		err = btfe_decide(enc, &g);
		i = j;
	}
	return err;
}

int btfe_funcs_decide(struct btfe_encoder *enc)
{
	struct btfe_fcand **defs;
	int err;

	if (!enc->fcands.len)
		return 0;
	qsort(enc->fcands.v, enc->fcands.len, sizeof(*enc->fcands.v), btfe_fcand_cmp);
	defs = calloc(enc->fcands.len, sizeof(*defs));
	if (!defs)
		return -ENOMEM;
	err = btfe_decide_all(enc, defs);
	free(defs);
	return err;
}

int btfe_funcs_emit(struct btfe_encoder *enc, const uint32_t *map)
{
	size_t i;
	int err = 0;

	for (i = 0; i < enc->femits.len && !err; i++)
		err = btfe_emit_func(enc, &enc->femits.v[i], map);
	return err;
}

/* A kept record's copy in keep, with only what emitting reads. */
static struct btfe_fcand *btfe_fcand_keep(struct arena *keep, const struct btfe_fcand *c)
{
	struct btfe_fcand *k = arena_calloc(keep, 1, sizeof(*k));
	uint32_t i;

	if (!k)
		return NULL;
	k->name = arena_strdup(keep, c->name);
	k->ret_type = c->ret_type;
	k->varargs = c->varargs;
	k->nr_params = c->nr_params;
	k->nr_annots = c->nr_annots;
	if (c->nr_params)
		k->params = arena_calloc(keep, c->nr_params, sizeof(*k->params));
	if (c->nr_annots)
		k->annots = arena_calloc(keep, c->nr_annots, sizeof(*k->annots));
	if (!k->name || (c->nr_params && !k->params) || (c->nr_annots && !k->annots))
		return NULL;
	for (i = 0; i < c->nr_params; i++) {
		k->params[i].type = c->params[i].type;
		if (c->params[i].name && !(k->params[i].name = arena_strdup(keep, c->params[i].name)))
			return NULL;
	}
	for (i = 0; i < c->nr_annots; i++) {
		k->annots[i].component = c->annots[i].component;
		if (!(k->annots[i].value = arena_strdup(keep, c->annots[i].value)))
			return NULL;
	}
	return k;
}

int btfe_funcs_keep(struct btfe_encoder *enc, struct arena *keep)
{
	size_t i;

	for (i = 0; i < enc->femits.len; i++) {
		enc->femits.v[i].c = btfe_fcand_keep(keep, enc->femits.v[i].c);
		if (!enc->femits.v[i].c)
			return -ENOMEM;
	}
	return 0;
}
