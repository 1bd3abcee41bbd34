// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_json: `bpftool -j btf dump file F` and `bpftool -p btf dump file F`.
 *
 * bpftool writes JSON through a small streaming writer (json_writer.c,
 * from iproute2); its output is reproduced here by a writer with the same
 * rules, so that separators, line breaks and indentation come out the
 * same in both layouts:
 *  - a value is preceded by the pending separator (none first, then ',');
 *  - a property name, in pretty mode, starts a new line indented by four
 *    spaces per open object/array and is followed by ": " (":" compact);
 *  - opening '{' or '[' never starts a line; the closing one does (pretty)
 *    unless the object or array is empty;
 *  - the document ends with one '\n'.
 * Strings escape \t \n \r \f \b and " only, and turn a backslash into
 * "\n" as bpftool does (a typo inherited from iproute2, so a name holding
 * a backslash does not survive a JSON round trip); other bytes, control
 * characters and UTF-8 included, go out unchanged. Numbers are decimal, through
 * 64-bit unsigned or signed conversions exactly where bpftool uses them
 * (an unsigned ENUM value is a sign-extended s32 shown as u64).
 */
#include <errno.h>
#include <inttypes.h>

#include "btf_dump.h"

struct jw {
	FILE *out;
	unsigned int depth;	/* open objects and arrays */
	bool pretty;
	char sep;		/* '\0' before the first value of a level, else ',' */
};

static void jw_eor(struct jw *w)
{
	if (w->sep)
		fputc(w->sep, w->out);
	w->sep = ',';
}

static void jw_eol(struct jw *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->out);
	for (unsigned int i = 0; i < w->depth; i++)
		fputs("    ", w->out);
}

static void jw_puts(struct jw *w, const char *s)
{
	fputc('"', w->out);
	for (; *s; s++) {
		switch (*s) {
		case '\t':
			fputs("\\t", w->out);
			break;
		case '\n':
			fputs("\\n", w->out);
			break;
		case '\r':
			fputs("\\r", w->out);
			break;
		case '\f':
			fputs("\\f", w->out);
			break;
		case '\b':
			fputs("\\b", w->out);
			break;
		case '\\':
			/* bpftool's json_writer.c: a backslash comes out as
			 * "\n" (an old iproute2 typo it still carries). */
			fputs("\\n", w->out);
			break;
		case '"':
			fputs("\\\"", w->out);
			break;
		default:
			fputc(*s, w->out);
		}
	}
	fputc('"', w->out);
}

static void jw_begin(struct jw *w, char c)
{
	jw_eor(w);
	fputc(c, w->out);
	w->depth++;
	w->sep = '\0';
}

static void jw_end(struct jw *w, char c)
{
	w->depth--;
	if (w->sep)
		jw_eol(w);
	fputc(c, w->out);
	w->sep = ',';
}

static void jw_name(struct jw *w, const char *name)
{
	jw_eor(w);
	jw_eol(w);
	w->sep = '\0';
	jw_puts(w, name);
	fputc(':', w->out);
	if (w->pretty)
		fputc(' ', w->out);
}

static void jw_uint(struct jw *w, const char *name, uint64_t v)
{
	jw_name(w, name);
	jw_eor(w);
	fprintf(w->out, "%" PRIu64, v);
}

static void jw_int(struct jw *w, const char *name, int64_t v)
{
	jw_name(w, name);
	jw_eor(w);
	fprintf(w->out, "%" PRId64, v);
}

static void jw_str(struct jw *w, const char *name, const char *v)
{
	jw_name(w, name);
	jw_eor(w);
	jw_puts(w, v);
}

/* "size", "vlen" and the name of the array that follows. */
static void json_vlen_head(struct jw *w, const struct bfmt_type *t, const char *array)
{
	jw_uint(w, "size", t->size_type);
	jw_uint(w, "vlen", bfmt_vlen(t));
	jw_name(w, array);
	jw_begin(w, '[');
}

static void json_members(struct jw *w, const struct bfmt_btf *btf, const struct bfmt_type *t)
{
	const struct bfmt_member *m = bfmt_type_extra(t);
	bool kflag = bfmt_kflag(t);

	json_vlen_head(w, t, "members");
	for (uint32_t i = 0; i < bfmt_vlen(t); i++, m++) {
		uint32_t bit_sz = bfmt_member_bitfield_size(m->offset, kflag);

		jw_begin(w, '{');
		jw_str(w, "name", btfp__name(btf, m->name_off));
		jw_uint(w, "type_id", m->type);
		jw_uint(w, "bits_offset", bfmt_member_bit_offset(m->offset, kflag));
		if (bit_sz)
			jw_uint(w, "bitfield_size", bit_sz);
		jw_end(w, '}');
	}
	jw_end(w, ']');
}

static void json_enum(struct jw *w, const struct bfmt_btf *btf, const struct bfmt_type *t)
{
	bool is_signed = bfmt_kflag(t);
	bool is64 = bfmt_kind(t) == BFMT_KIND_ENUM64;

	jw_str(w, "encoding", is_signed ? "SIGNED" : "UNSIGNED");
	json_vlen_head(w, t, "values");
	for (uint32_t i = 0; i < bfmt_vlen(t); i++) {
		uint32_t name_off;
		uint64_t val;

		if (is64) {
			const struct bfmt_enum64 *v = (const struct bfmt_enum64 *)bfmt_type_extra(t) + i;

			name_off = v->name_off;
			val = (uint64_t)v->val_hi32 << 32 | v->val_lo32;
		} else {
			const struct bfmt_enum *v = (const struct bfmt_enum *)bfmt_type_extra(t) + i;

			name_off = v->name_off;
			val = (uint64_t)(int64_t)v->val;	/* sign-extended either way */
		}
		jw_begin(w, '{');
		jw_str(w, "name", btfp__name(btf, name_off));
		if (is_signed)
			jw_int(w, "val", (int64_t)val);
		else
			jw_uint(w, "val", val);
		jw_end(w, '}');
	}
	jw_end(w, ']');
}

static void json_func_proto(struct jw *w, const struct bfmt_btf *btf, const struct bfmt_type *t)
{
	const struct bfmt_param *p = bfmt_type_extra(t);

	jw_uint(w, "ret_type_id", t->size_type);
	jw_uint(w, "vlen", bfmt_vlen(t));
	jw_name(w, "params");
	jw_begin(w, '[');
	for (uint32_t i = 0; i < bfmt_vlen(t); i++, p++) {
		jw_begin(w, '{');
		jw_str(w, "name", btfp__name(btf, p->name_off));
		jw_uint(w, "type_id", p->type);
		jw_end(w, '}');
	}
	jw_end(w, ']');
}

static void json_datasec(struct jw *w, const struct bfmt_type *t)
{
	const struct bfmt_var_secinfo *v = bfmt_type_extra(t);

	json_vlen_head(w, t, "vars");
	for (uint32_t i = 0; i < bfmt_vlen(t); i++, v++) {
		jw_begin(w, '{');
		jw_uint(w, "type_id", v->type);
		jw_uint(w, "offset", v->offset);
		jw_uint(w, "size", v->size);
		jw_end(w, '}');
	}
	jw_end(w, ']');
}

static void json_type(struct jw *w, const struct bfmt_btf *btf, uint32_t id,
		      const struct bfmt_type *t)
{
	uint32_t kind = bfmt_kind(t);
	const uint32_t *extra = bfmt_type_extra(t);

	jw_begin(w, '{');
	jw_uint(w, "id", id);
	jw_str(w, "kind", btfp__kind_str(kind));
	jw_str(w, "name", btfp__name(btf, t->name_off));
	switch (kind) {
	case BFMT_KIND_INT:
		jw_uint(w, "size", t->size_type);
		jw_uint(w, "bits_offset", bfmt_int_offset(*extra));
		jw_uint(w, "nr_bits", bfmt_int_bits(*extra));
		jw_str(w, "encoding", btfp__int_enc_str(bfmt_int_encoding(*extra)));
		break;
	case BFMT_KIND_PTR:
	case BFMT_KIND_CONST:
	case BFMT_KIND_VOLATILE:
	case BFMT_KIND_RESTRICT:
	case BFMT_KIND_TYPEDEF:
	case BFMT_KIND_TYPE_TAG:
		jw_uint(w, "type_id", t->size_type);
		break;
	case BFMT_KIND_ARRAY: {
		const struct bfmt_array *a = bfmt_type_extra(t);

		jw_uint(w, "type_id", a->type);
		jw_uint(w, "index_type_id", a->index_type);
		jw_uint(w, "nr_elems", a->nelems);
		break;
	}
	case BFMT_KIND_STRUCT:
	case BFMT_KIND_UNION:
		json_members(w, btf, t);
		break;
	case BFMT_KIND_ENUM:
	case BFMT_KIND_ENUM64:
		json_enum(w, btf, t);
		break;
	case BFMT_KIND_FWD:
		jw_str(w, "fwd_kind", bfmt_kflag(t) ? "union" : "struct");
		break;
	case BFMT_KIND_FUNC:
		jw_uint(w, "type_id", t->size_type);
		jw_str(w, "linkage", btfp__linkage_str(bfmt_vlen(t)));
		break;
	case BFMT_KIND_FUNC_PROTO:
		json_func_proto(w, btf, t);
		break;
	case BFMT_KIND_VAR:
		jw_uint(w, "type_id", t->size_type);
		jw_str(w, "linkage", btfp__linkage_str(((const struct bfmt_var *)extra)->linkage));
		break;
	case BFMT_KIND_DATASEC:
		json_datasec(w, t);
		break;
	case BFMT_KIND_FLOAT:
		jw_uint(w, "size", t->size_type);
		break;
	case BFMT_KIND_DECL_TAG:
		jw_uint(w, "type_id", t->size_type);
		jw_int(w, "component_idx", ((const struct bfmt_decl_tag *)extra)->component_idx);
		break;
	default:
		break;
	}
	jw_end(w, '}');
}

int btfp_json__print(const struct bfmt_btf *btf, FILE *out, const struct btfp_opts *o)
{
	struct jw w = { .out = out, .pretty = o && o->pretty };
	uint32_t nr = bfmt_btf__nr_types(btf);

	jw_begin(&w, '{');
	jw_name(&w, "types");
	jw_begin(&w, '[');
	for (uint32_t id = btf->start_id; id < nr; id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);

		if (t && btfp__selected(btf, t, o))
			json_type(&w, btf, id, t);
	}
	jw_end(&w, ']');
	jw_end(&w, '}');
	fputc('\n', out);
	return fflush(out) || ferror(out) ? -EIO : 0;
}
