// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_raw: `bpftool btf dump file F` (format raw), and the wording both
 * bpftool printers share. One line per type, "[id] KIND 'name'" and the
 * kind's fields; members, values, parameters and section variables follow
 * on lines of their own, indented by one tab.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "btf_dump.h"

static const char *const kind_strs[BFMT_KIND_NR] = {
	[BFMT_KIND_UNKN] = "UNKNOWN",
	[BFMT_KIND_INT] = "INT",
	[BFMT_KIND_PTR] = "PTR",
	[BFMT_KIND_ARRAY] = "ARRAY",
	[BFMT_KIND_STRUCT] = "STRUCT",
	[BFMT_KIND_UNION] = "UNION",
	[BFMT_KIND_ENUM] = "ENUM",
	[BFMT_KIND_FWD] = "FWD",
	[BFMT_KIND_TYPEDEF] = "TYPEDEF",
	[BFMT_KIND_VOLATILE] = "VOLATILE",
	[BFMT_KIND_CONST] = "CONST",
	[BFMT_KIND_RESTRICT] = "RESTRICT",
	[BFMT_KIND_FUNC] = "FUNC",
	[BFMT_KIND_FUNC_PROTO] = "FUNC_PROTO",
	[BFMT_KIND_VAR] = "VAR",
	[BFMT_KIND_DATASEC] = "DATASEC",
	[BFMT_KIND_FLOAT] = "FLOAT",
	[BFMT_KIND_DECL_TAG] = "DECL_TAG",
	[BFMT_KIND_TYPE_TAG] = "TYPE_TAG",
	[BFMT_KIND_ENUM64] = "ENUM64",
};

const char *btfp__kind_str(uint32_t kind)
{
	return kind < BFMT_KIND_NR ? kind_strs[kind] : kind_strs[BFMT_KIND_UNKN];
}

const char *btfp__name(const struct bfmt_btf *btf, uint32_t name_off)
{
	const char *s;

	if (!name_off)
		return "(anon)";
	s = bfmt_btf__str(btf, name_off);
	return s ? s : "(invalid)";
}

const char *btfp__int_enc_str(uint32_t encoding)
{
	switch (encoding) {
	case 0:
		return "(none)";
	case BFMT_INT_SIGNED:
		return "SIGNED";
	case BFMT_INT_CHAR:
		return "CHAR";
	case BFMT_INT_BOOL:
		return "BOOL";
	default:
		return "UNKN";
	}
}

const char *btfp__linkage_str(uint32_t linkage)
{
	switch (linkage) {
	case BFMT_LINKAGE_STATIC:
		return "static";
	case BFMT_LINKAGE_GLOBAL:
		return "global";
	case BFMT_LINKAGE_EXTERN:
		return "extern";
	default:
		return "(unknown)";
	}
}

bool btfp__selected(const struct bfmt_btf *btf, const struct bfmt_type *t,
		    const struct btfp_opts *o)
{
	const char *name;

	if (!o || !o->names)
		return true;
	if (!t->name_off)
		return false;
	name = bfmt_btf__str(btf, t->name_off);
	if (!name)
		return false;
	for (size_t i = 0; i < o->nr_names; i++)
		if (o->names[i] && !strcmp(o->names[i], name))
			return true;
	return false;
}

static void raw_members(const struct bfmt_btf *btf, const struct bfmt_type *t, FILE *out)
{
	const struct bfmt_member *m = bfmt_type_extra(t);
	uint32_t vlen = bfmt_vlen(t);
	bool kflag = bfmt_kflag(t);

	fprintf(out, " size=%u vlen=%u", t->size_type, vlen);
	for (uint32_t i = 0; i < vlen; i++, m++) {
		uint32_t bit_sz = bfmt_member_bitfield_size(m->offset, kflag);

		fprintf(out, "\n\t'%s' type_id=%u bits_offset=%u", btfp__name(btf, m->name_off),
			m->type, bfmt_member_bit_offset(m->offset, kflag));
		if (bit_sz)
			fprintf(out, " bitfield_size=%u", bit_sz);
	}
}

/* ENUM values are printed as 32-bit numbers, ENUM64 ones with a C suffix. */
static void raw_enum(const struct bfmt_btf *btf, const struct bfmt_type *t, FILE *out)
{
	uint32_t vlen = bfmt_vlen(t);
	bool is_signed = bfmt_kflag(t);

	fprintf(out, " encoding=%s size=%u vlen=%u", is_signed ? "SIGNED" : "UNSIGNED",
		t->size_type, vlen);
	if (bfmt_kind(t) == BFMT_KIND_ENUM) {
		const struct bfmt_enum *v = bfmt_type_extra(t);

		for (uint32_t i = 0; i < vlen; i++, v++) {
			fprintf(out, "\n\t'%s' val=", btfp__name(btf, v->name_off));
			if (is_signed)
				fprintf(out, "%d", v->val);
			else
				fprintf(out, "%u", (uint32_t)v->val);
		}
	} else {
		const struct bfmt_enum64 *v = bfmt_type_extra(t);

		for (uint32_t i = 0; i < vlen; i++, v++) {
			uint64_t val = (uint64_t)v->val_hi32 << 32 | v->val_lo32;

			fprintf(out, "\n\t'%s' val=", btfp__name(btf, v->name_off));
			if (is_signed)
				fprintf(out, "%" PRId64 "LL", (int64_t)val);
			else
				fprintf(out, "%" PRIu64 "ULL", val);
		}
	}
}

static void raw_func_proto(const struct bfmt_btf *btf, const struct bfmt_type *t, FILE *out)
{
	const struct bfmt_param *p = bfmt_type_extra(t);
	uint32_t vlen = bfmt_vlen(t);

	fprintf(out, " ret_type_id=%u vlen=%u", t->size_type, vlen);
	for (uint32_t i = 0; i < vlen; i++, p++)
		fprintf(out, "\n\t'%s' type_id=%u", btfp__name(btf, p->name_off), p->type);
}

/* Each variable line names the variable's kind and name when its id is in
 * range (bpftool: id < type count; id 0 is void, kind UNKNOWN). */
static void raw_datasec(const struct bfmt_btf *btf, const struct bfmt_type *t, FILE *out)
{
	const struct bfmt_var_secinfo *v = bfmt_type_extra(t);
	uint32_t vlen = bfmt_vlen(t);

	fprintf(out, " size=%u vlen=%u", t->size_type, vlen);
	for (uint32_t i = 0; i < vlen; i++, v++) {
		const struct bfmt_type *vt;

		fprintf(out, "\n\ttype_id=%u offset=%u size=%u", v->type, v->offset, v->size);
		if (v->type >= bfmt_btf__nr_types(btf))
			continue;
		vt = bfmt_btf__type(btf, v->type);
		if (vt)
			fprintf(out, " (%s '%s')", btfp__kind_str(bfmt_kind(vt)),
				btfp__name(btf, vt->name_off));
		else
			fprintf(out, " (%s '%s')", btfp__kind_str(BFMT_KIND_UNKN), "(anon)");
	}
}

static void raw_type(const struct bfmt_btf *btf, uint32_t id, const struct bfmt_type *t,
		     FILE *out)
{
	uint32_t kind = bfmt_kind(t);
	const uint32_t *extra = bfmt_type_extra(t);

	fprintf(out, "[%u] %s '%s'", id, btfp__kind_str(kind), btfp__name(btf, t->name_off));
	switch (kind) {
	case BFMT_KIND_INT:
		fprintf(out, " size=%u bits_offset=%u nr_bits=%u encoding=%s", t->size_type,
			bfmt_int_offset(*extra), bfmt_int_bits(*extra),
			btfp__int_enc_str(bfmt_int_encoding(*extra)));
		break;
	case BFMT_KIND_PTR:
	case BFMT_KIND_CONST:
	case BFMT_KIND_VOLATILE:
	case BFMT_KIND_RESTRICT:
	case BFMT_KIND_TYPEDEF:
	case BFMT_KIND_TYPE_TAG:
		fprintf(out, " type_id=%u", t->size_type);
		break;
	case BFMT_KIND_ARRAY: {
		const struct bfmt_array *a = bfmt_type_extra(t);

		fprintf(out, " type_id=%u index_type_id=%u nr_elems=%u", a->type, a->index_type,
			a->nelems);
		break;
	}
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		raw_members(btf, t, out);
		break;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		raw_enum(btf, t, out);
		break;
	case BFMT_KIND_FWD:
		fprintf(out, " fwd_kind=%s", bfmt_kflag(t) ? "union" : "struct");
		break;
	case BFMT_KIND_FUNC:
		fprintf(out, " type_id=%u linkage=%s", t->size_type,
			btfp__linkage_str(bfmt_vlen(t)));
		break;
	case BFMT_KIND_FUNC_PROTO:
		raw_func_proto(btf, t, out);
		break;
	case BFMT_KIND_VAR:
		fprintf(out, " type_id=%u, linkage=%s", t->size_type,
			btfp__linkage_str(((const struct bfmt_var *)extra)->linkage));
		break;
	case BFMT_KIND_DATASEC:
		raw_datasec(btf, t, out);
		break;
	case BFMT_KIND_FLOAT:
		fprintf(out, " size=%u", t->size_type);
		break;
	case BFMT_KIND_DECL_TAG:
		fprintf(out, " type_id=%u component_idx=%d", t->size_type,
			((const struct bfmt_decl_tag *)extra)->component_idx);
		break;
	default:
		break;
	}
	fputc('\n', out);
}

int btfp_raw__print(const struct bfmt_btf *btf, FILE *out, const struct btfp_opts *o)
{
	uint32_t nr = bfmt_btf__nr_types(btf);

	for (uint32_t id = btf->start_id; id < nr; id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);

		if (t && btfp__selected(btf, t, o))
			raw_type(btf, id, t, out);
	}
	return fflush(out) || ferror(out) ? -EIO : 0;
}
