// SPDX-License-Identifier: GPL-2.0-only
/* One error line per failed load, and the string/name helpers the
 * messages and the name rules share. */
#include "btfl_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 0)))
static void btfl_vreport(struct btfl_ctx *c, const char *prefix,
			 const char *fmt, va_list ap)
{
	char msg[768];

	if (c->reported)
		return;
	c->reported = true;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	diag_report(c->diag, DIAG_ERROR, "%s: %s%s", c->name, prefix, msg);
}

int btfl_fail(struct btfl_ctx *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	btfl_vreport(c, "", fmt, ap);
	va_end(ap);
	return err;
}

int btfl_fail_type(struct btfl_ctx *c, const struct bfmt_btf *btf, uint32_t id,
		   const char *fmt, ...)
{
	const struct bfmt_type *t = bfmt_btf__type(btf, id);
	char prefix[256];
	va_list ap;

	if (t)
		snprintf(prefix, sizeof(prefix), "type [%u] %s '%.128s': ", id,
			 bfmt_kind_name(bfmt_kind(t)), btfl_str(btf, t->name_off));
	else
		snprintf(prefix, sizeof(prefix), "type [%u]: ", id);
	va_start(ap, fmt);
	btfl_vreport(c, prefix, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

bool btfl_str_off_ok(const struct bfmt_btf *btf, uint32_t off)
{
	return off <= BFMT_MAX_NAME_OFFSET && bfmt_btf__str(btf, off) != NULL;
}

const char *btfl_str(const struct bfmt_btf *btf, uint32_t off)
{
	const char *s;

	if (!off)
		return "(anon)";
	s = bfmt_btf__str(btf, off);
	return s ? s : "(bad name)";
}

/* The kernel allows '.' in identifiers: compilers make names such as
 * "foo.isra.0" and "bar.llvm.123". ASCII only, as the kernel's own
 * isalpha()/isalnum(): no locale can widen it. One table lookup per
 * character: loading a kernel's BTF checks every distinct name, a few MB. */
enum { IDENT_NEXT = 1, IDENT_FIRST = 2 };

static const uint8_t btfl_ident_class[256] = {
	['_'] = IDENT_FIRST | IDENT_NEXT, ['.'] = IDENT_FIRST | IDENT_NEXT,
	['a' ... 'z'] = IDENT_FIRST | IDENT_NEXT, ['A' ... 'Z'] = IDENT_FIRST | IDENT_NEXT,
	['0' ... '9'] = IDENT_NEXT,
};

bool btfl_valid_ident(const struct bfmt_btf *btf, uint32_t off)
{
	const unsigned char *s = (const unsigned char *)bfmt_btf__str(btf, off);
	size_t i;

	if (!s || !(btfl_ident_class[s[0]] & IDENT_FIRST))
		return false;
	for (i = 1; i < BTFL_MAX_NAME_LEN && (btfl_ident_class[s[i]] & IDENT_NEXT); i++)
		;
	return !s[i];
}

bool btfl_valid_section(const struct bfmt_btf *btf, uint32_t off)
{
	const char *s = bfmt_btf__str(btf, off);
	size_t i;

	if (!s || !s[0])
		return false;
	for (i = 0; s[i] && i < BTFL_MAX_NAME_LEN; i++)
		if (!isprint((unsigned char)s[i]))
			return false;
	return !s[i];
}

bool btfl_int_is_regular(const struct bfmt_type *t)
{
	uint32_t v = *(const uint32_t *)bfmt_type_extra(t);
	uint32_t bits = bfmt_int_bits(v);

	if (bits % 8 || bfmt_int_offset(v))
		return false;
	return bits == 8 || bits == 16 || bits == 32 || bits == 64 || bits == 128;
}

uint8_t btfl_guess_ptr_size(const struct bfmt_btf *btf)
{
	static const char *const longs[] = {
		"long", "long int", "unsigned long", "long unsigned int",
	};
	uint32_t id, n = bfmt_btf__nr_types(btf);

	for (id = 1; id < n; id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);
		const char *name;
		size_t i;

		if (bfmt_kind(t) != BFMT_KIND_INT)
			continue;
		name = bfmt_btf__str(btf, t->name_off);
		for (i = 0; name && i < sizeof(longs) / sizeof(longs[0]); i++)
			if (!strcmp(name, longs[i]) &&
			    (t->size_type == 4 || t->size_type == 8))
				return (uint8_t)t->size_type;
	}
	return 0;
}
