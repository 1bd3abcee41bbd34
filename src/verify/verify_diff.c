// SPDX-License-Identifier: GPL-2.0-only
/*
 * What differs between a BTF object and its DWARF source (verify_int.h):
 * the first differing line of their normal-form entries, and whether the
 * difference is a known loss (64-bit enumerators in 32-bit BTF).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../print/type_name.h"
#include "verify.h"
#include "verify_int.h"

static bool vf_fits32(uint64_t v, bool is_signed)
{
	return is_signed ? (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX : v <= UINT32_MAX;
}

static void vf_value(struct tn_buf *b, uint64_t v, bool is_signed)
{
	if (is_signed)
		tn_printf(b, "%" PRId64, (int64_t)v);
	else
		tn_printf(b, "%" PRIu64, v);
}

/* Append to b what the BTF enum lost of the DWARF enum; false when some
 * difference is not such a loss. */
static bool vf_enum_lost(const struct ir_type *bt, const struct ir_type *dt, struct tn_buf *b)
{
	bool dsigned = dt->flags & IR_TF_SIGNED, bsigned = bt->flags & IR_TF_SIGNED;
	uint32_t i, j = 0, n = 0;

	if (bt->size != dt->size && !(bt->size == 4 && dt->size == 8))
		return false;
	for (i = 0; i < dt->vlen; i++) {
		const struct ir_enumerator *d = &dt->enumerators[i];
		const struct ir_enumerator *e = j < bt->vlen ? &bt->enumerators[j] : NULL;
		bool fits = vf_fits32(d->value, dsigned);

		if (e && d->name && e->name && !strcmp(d->name, e->name)) {
			j++;
			if (e->value == d->value)
				continue;
			if ((uint32_t)e->value != (uint32_t)d->value)
				return false;
			tn_printf(b, "%s%s = ", n++ ? "; " : "", d->name);
			vf_value(b, d->value, dsigned);
			tn_printf(b, " (%s) is ", fits ? "sign lost" : "does not fit in 32 bits");
			vf_value(b, e->value, bsigned);
			tn_printf(b, " in BTF");
			continue;
		}
		if (fits)
			return false;	/* a 32-bit enumerator went missing */
		tn_printf(b, "%s%s = ", n++ ? "; " : "", d->name ? d->name : "-");
		vf_value(b, d->value, dsigned);
		tn_printf(b, " does not fit in 32 bits, dropped");
	}
	if (j != bt->vlen)
		return false;	/* BTF has enumerators DWARF does not */
	if (dsigned != bsigned && !n)
		return false;
	if (dsigned != bsigned)
		tn_printf(b, "; %s in DWARF, %s in BTF", dsigned ? "signed" : "unsigned",
			  bsigned ? "signed" : "unsigned");
	if (bt->size != dt->size)
		tn_printf(b, "; size %" PRIu64 " in DWARF, %" PRIu64 " in BTF", dt->size, bt->size);
	return n > 0;
}

/* The length of the line at s (without its newline). */
static size_t vf_line_len(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? (size_t)(nl - s) : strlen(s);
}

static void vf_first_diff(struct tn_buf *b, const char *bt, const char *dt)
{
	unsigned line = 1;

	for (;;) {
		size_t bl = vf_line_len(bt), dl = vf_line_len(dt);

		if (!*bt && !*dt)
			return;
		if (bl != dl || memcmp(bt, dt, bl))
			break;
		bt += bl + (bt[bl] == '\n');
		dt += dl + (dt[dl] == '\n');
		line++;
	}
	while (*bt == '\t')
		bt++;
	while (*dt == '\t')
		dt++;
	if (!*dt)
		tn_printf(b, "line %u: only in BTF: '%.*s'", line, (int)vf_line_len(bt), bt);
	else if (!*bt)
		tn_printf(b, "line %u: only in DWARF: '%.*s'", line, (int)vf_line_len(dt), dt);
	else
		tn_printf(b, "line %u: DWARF '%.*s', BTF '%.*s'", line, (int)vf_line_len(dt), dt,
			  (int)vf_line_len(bt), bt);
}

int vf_describe(struct arena *arena, const struct ir_cu *btf, ir_id btf_id,
		const struct ir_cu *dwarf, ir_id dwarf_id, const char *btf_text,
		const char *dwarf_text, const char **detail_ret, uint8_t *cls_ret)
{
	const struct ir_type *bt = ir_cu__type(btf, btf_id), *dt = ir_cu__type(dwarf, dwarf_id);
	struct tn_buf b;
	int err = 0;

	tn_buf_init(&b);
	*cls_ret = VF_MISMATCH;
	if (bt && dt && bt->kind == IR_KIND_ENUM && dt->kind == IR_KIND_ENUM &&
	    vf_enum_lost(bt, dt, &b)) {
		*cls_ret = VF_LOST;
	} else {
		tn_buf_reset(&b);
		vf_first_diff(&b, btf_text, dwarf_text);
	}
	*detail_ret = arena_strdup(arena, tn_buf_str(&b));
	if (b.oom || !*detail_ret)
		err = -ENOMEM;
	tn_buf_deinit(&b);
	return err;
}
