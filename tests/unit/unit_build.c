// SPDX-License-Identifier: GPL-2.0-only
#include "unit_build.h"

#include <string.h>

#include "tests.h"

ir_id unit_ir_type(struct ir_cu *cu, enum ir_kind k, const char *name,
		   uint64_t size, ir_id type)
{
	struct ir_type *t;
	ir_id id;

	CU_ASSERT_EQUAL_FATAL(ir_cu__add_type(cu, k, &id), 0);
	t = ir_cu__type(cu, id);
	t->name = name ? ir_cu__intern(cu, name) : NULL;
	CU_ASSERT_FATAL(!name || t->name);
	t->size = size;
	t->type = type;
	t->orig_off = id;
	return id;
}

ir_id unit_ir_int(struct ir_cu *cu, const char *name, uint64_t size, uint16_t flags)
{
	ir_id id = unit_ir_type(cu, IR_KIND_INT, name, size, 0);

	ir_cu__type(cu, id)->flags = flags;
	ir_cu__type(cu, id)->int_bits = (uint16_t)(size * 8);
	return id;
}

const struct bfmt_type *unit_btf_find(const struct bfmt_btf *btf, enum bfmt_kind kind,
				      const char *name, uint32_t *id_ret)
{
	uint32_t id;

	for (id = 1; id < bfmt_btf__nr_types(btf); id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);
		const char *n = bfmt_btf__str(btf, t->name_off);

		if (bfmt_kind(t) != kind || !n)
			continue;
		if ((!name && !*n) || (name && !strcmp(n, name))) {
			if (id_ret)
				*id_ret = id;
			return t;
		}
	}
	return NULL;
}

struct bfmt_btf *unit_btf_new(const struct bfmt_btf *base)
{
	struct bfmt_btf *b = NULL;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__new(base, &b), 0);
	return b;
}

uint32_t unit_btf_str(struct bfmt_btf *b, const char *s)
{
	uint32_t off = 0;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_str(b, s, &off), 0);
	return off;
}

uint32_t unit_btf_add(struct bfmt_btf *b, enum bfmt_kind k, uint32_t vlen, bool kflag,
		      const char *name, uint32_t size_type, void **extra)
{
	uint32_t id = 0;

	CU_ASSERT_EQUAL_FATAL(bfmt_btf__add_type(b, k, vlen, kflag, unit_btf_str(b, name),
						 size_type, &id, extra), 0);
	return id;
}
