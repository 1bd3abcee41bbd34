// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_canon [--base BASE] FILE [--all]: print a BTF's types in a form that
 * does not depend on type ids or their order, one line per type, sorted: two
 * BTFs describe the same type graph exactly when their outputs are equal.
 * Test-only; it uses libbpf as an independent reader.
 *
 * With --base, FILE is split BTF on top of BASE's (raw BTF or an ELF file
 * with .BTF, e.g. vmlinux): only FILE's own types are printed; the base
 * types they use are spelled as everywhere else (by name, or in full).
 *
 * Named types (structs, unions, enums, typedefs, forward declarations) are
 * referred to by kind and name; anonymous ones are spelled out where they
 * are used. By default only data types are printed (what the kernel-scale
 * comparison calls data types: everything but FUNC, FUNC_PROTO, VAR, DATASEC
 * and DECL_TAG); --all prints those too.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANON_MAX_DEPTH 64

struct buf {
	char *p;
	size_t len, cap;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap * 2 + (size_t)n + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p) {
			perror("btf_canon");
			exit(2);
		}
	}
}

static const char *nm(const struct btf *btf, __u32 off)
{
	const char *s = btf__name_by_offset(btf, off);

	return s && *s ? s : "";
}

static void ref(const struct btf *btf, __u32 id, struct buf *b, int depth);

static void members(const struct btf *btf, const struct btf_type *t, struct buf *b,
		    int depth)
{
	const struct btf_member *m = btf_members(t);
	__u16 i;

	put(b, "{");
	for (i = 0; i < btf_vlen(t); i++) {
		put(b, "%s%s:", i ? "; " : "", nm(btf, m[i].name_off));
		ref(btf, m[i].type, b, depth + 1);
		put(b, "@%u", btf_member_bit_offset(t, i));
		if (btf_member_bitfield_size(t, i))
			put(b, ":%u", btf_member_bitfield_size(t, i));
	}
	put(b, "}");
}

static void enumerators(const struct btf *btf, const struct btf_type *t, struct buf *b)
{
	__u16 i;

	put(b, "{");
	for (i = 0; i < btf_vlen(t); i++) {
		if (btf_is_enum(t))
			put(b, "%s%s=%d", i ? "," : "", nm(btf, btf_enum(t)[i].name_off),
			    btf_enum(t)[i].val);
		else
			put(b, "%s%s=%llu", i ? "," : "", nm(btf, btf_enum64(t)[i].name_off),
			    (unsigned long long)btf_enum64_value(&btf_enum64(t)[i]));
	}
	put(b, "}");
}

/* The full description of a type (its definition). */
static void def(const struct btf *btf, __u32 id, struct buf *b, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *n;
	__u16 i;

	if (!id || !t) {
		put(b, "void");
		return;
	}
	if (depth > CANON_MAX_DEPTH) {
		put(b, "<deep>");
		return;
	}
	n = nm(btf, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		put(b, "int '%s' %u bits=%u off=%u enc=%u", n, t->size, btf_int_bits(t),
		    btf_int_offset(t), btf_int_encoding(t));
		return;
	case BTF_KIND_FLOAT:
		put(b, "float '%s' %u", n, t->size);
		return;
	case BTF_KIND_PTR:
		put(b, "ptr(");
		ref(btf, t->type, b, depth + 1);
		put(b, ")");
		return;
	case BTF_KIND_ARRAY:
		put(b, "array[%u](", btf_array(t)->nelems);
		ref(btf, btf_array(t)->type, b, depth + 1);
		put(b, ")");
		return;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		put(b, "%s '%s' %u ", btf_is_struct(t) ? "struct" : "union", n, t->size);
		members(btf, t, b, depth);
		return;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		put(b, "%s '%s' %u %s ", btf_is_enum(t) ? "enum" : "enum64", n, t->size,
		    btf_kflag(t) ? "signed" : "unsigned");
		enumerators(btf, t, b);
		return;
	case BTF_KIND_FWD:
		put(b, "fwd %s '%s'", btf_kflag(t) ? "union" : "struct", n);
		return;
	case BTF_KIND_TYPEDEF:
		put(b, "typedef '%s' = ", n);
		ref(btf, t->type, b, depth + 1);
		return;
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
		put(b, "%s(", btf_is_const(t) ? "const" : btf_is_volatile(t) ? "volatile" : "restrict");
		ref(btf, t->type, b, depth + 1);
		put(b, ")");
		return;
	case BTF_KIND_TYPE_TAG:
		put(b, "type_tag '%s'(", n);
		ref(btf, t->type, b, depth + 1);
		put(b, ")");
		return;
	case BTF_KIND_FUNC_PROTO:
		put(b, "proto(");
		ref(btf, t->type, b, depth + 1);
		for (i = 0; i < btf_vlen(t); i++) {
			put(b, "; %s:", nm(btf, btf_params(t)[i].name_off));
			ref(btf, btf_params(t)[i].type, b, depth + 1);
		}
		put(b, ")");
		return;
	case BTF_KIND_FUNC:
		put(b, "func '%s' linkage=%u ", n, btf_vlen(t));
		ref(btf, t->type, b, depth + 1);
		return;
	case BTF_KIND_VAR:
		put(b, "var '%s' linkage=%u ", n, btf_var(t)->linkage);
		ref(btf, t->type, b, depth + 1);
		return;
	case BTF_KIND_DATASEC:
		put(b, "datasec '%s' %u {", n, t->size);
		for (i = 0; i < btf_vlen(t); i++) {
			put(b, "%s", i ? "; " : "");
			ref(btf, btf_var_secinfos(t)[i].type, b, depth + 1);
			put(b, "@%u+%u", btf_var_secinfos(t)[i].offset, btf_var_secinfos(t)[i].size);
		}
		put(b, "}");
		return;
	case BTF_KIND_DECL_TAG:
		put(b, "decl_tag '%s' idx=%d on ", n, btf_decl_tag(t)->component_idx);
		ref(btf, t->type, b, depth + 1);
		return;
	default:
		put(b, "kind%u", btf_kind(t));
		return;
	}
}

/* How a use of a type is spelled: named types by name, others in full. */
static void ref(const struct btf *btf, __u32 id, struct buf *b, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *n = t ? nm(btf, t->name_off) : "";

	if (t && *n) {
		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_FWD:
		case BTF_KIND_FUNC:
		case BTF_KIND_VAR:
			put(b, "<%s %s>", btf_kind(t) == BTF_KIND_FWD ? "fwd" : "named", n);
			return;
		default:
			break;
		}
	}
	def(btf, id, b, depth);
}

static int is_data(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_VAR:
	case BTF_KIND_DATASEC:
	case BTF_KIND_DECL_TAG:
		return 0;
	default:
		return 1;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	struct btf *btf, *base = NULL;
	const char *file = NULL, *base_file = NULL;
	char **lines;
	__u32 id, n, nr = 0, i, first = 1;
	int all = 0, bad = 0, a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--all"))
			all = 1;
		else if (!strcmp(argv[a], "--base") && a + 1 < argc)
			base_file = argv[++a];
		else if (!file && argv[a][0] != '-')
			file = argv[a];
		else
			bad = 1;
	}
	if (!file || bad) {
		fprintf(stderr, "usage: btf_canon [--base BASE] FILE [--all]\n");
		return 2;
	}
	if (base_file) {
		base = btf__parse(base_file, NULL);
		if (!base) {
			fprintf(stderr, "btf_canon: %s: cannot parse BTF: %s\n", base_file,
				strerror(errno));
			return 1;
		}
		first = btf__type_cnt(base);
		btf = btf__parse_split(file, base);
	} else {
		btf = btf__parse(file, NULL);
	}
	if (!btf) {
		fprintf(stderr, "btf_canon: %s: cannot parse BTF: %s\n", file, strerror(errno));
		btf__free(base);
		return 1;
	}
	n = btf__type_cnt(btf);
	lines = calloc(n, sizeof(*lines));
	if (!lines) {
		perror("btf_canon");
		return 2;
	}
	for (id = first; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		struct buf b = { 0 };

		if (!all && !is_data(t))
			continue;
		def(btf, id, &b, 0);
		lines[nr++] = b.p;
	}
	qsort(lines, nr, sizeof(*lines), cmp_str);
	for (i = 0; i < nr; i++) {
		puts(lines[i]);
		free(lines[i]);
	}
	free(lines);
	btf__free(btf);
	btf__free(base);
	return 0;
}
