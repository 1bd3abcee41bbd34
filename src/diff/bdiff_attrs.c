// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a table says about its types outside their records: the DECL_TAGs
 * on a type, member, function or parameter (the kernel's kfunc marks, its
 * __user and __rcu annotations as tags), and where a variable sits (its
 * DATASEC and offset). Each becomes text attached to the definition it is
 * about, so that btfenc diff reports a tag added or dropped, or a variable
 * moved, at that definition ("func bpf_foo: tags: -> bpf_kfunc").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bdiff_int.h"
#include "util/vec.h"

struct tag_ent {
	uint32_t target;
	const char *text;	/* "value", "member m: value", "param p: value" */
};

static int tag_ent_cmp(const void *pa, const void *pb)
{
	const struct tag_ent *a = pa, *b = pb;

	if (a->target != b->target)
		return a->target < b->target ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* The name of component idx of target t: a member's or a parameter's. */
static const char *tag_component(const struct bfmt_btf *btf, const struct bfmt_type *t,
				 int32_t idx, char *buf, size_t len)
{
	enum bfmt_kind k = bfmt_kind(t);
	const char *name = NULL;

	if ((k == BFMT_KIND_STRUCT || k == BFMT_KIND_UNION) && (uint32_t)idx < bfmt_vlen(t)) {
		name = bfmt_btf__str(btf, ((const struct bfmt_member *)bfmt_type_extra(t))[idx].name_off);
		snprintf(buf, len, "member %s", name && *name ? name : "(anon)");
		return buf;
	}
	if (k == BFMT_KIND_FUNC) {
		const struct bfmt_type *p = bfmt_btf__type(btf, t->size_type);

		if (p && bfmt_kind(p) == BFMT_KIND_FUNC_PROTO && (uint32_t)idx < bfmt_vlen(p))
			name = bfmt_btf__str(btf,
					     ((const struct bfmt_param *)bfmt_type_extra(p))[idx].name_off);
		if (name && *name)
			snprintf(buf, len, "param %s", name);
		else
			snprintf(buf, len, "param %" PRIu32, (uint32_t)idx + 1);
		return buf;
	}
	snprintf(buf, len, "component %" PRId32, idx);
	return buf;
}

static int collect_tags(struct bdiff_attrs *at, const struct bfmt_btf *btf, struct arena *a)
{
	struct {
		struct tag_ent *v;
		size_t len, cap;
	} ents = { 0 };
	uint32_t id, nr = bfmt_btf__nr_types(btf);
	struct tn_buf text;
	size_t i, j;
	int err = 0;

	for (id = btf->start_id; id < nr && !err; id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id), *to;
		int32_t idx;
		char comp[256];
		const char *value;
		char *s;
		size_t need;

		if (bfmt_kind(t) != BFMT_KIND_DECL_TAG || t->size_type < btf->start_id ||
		    t->size_type >= nr)
			continue;
		to = bfmt_btf__type(btf, t->size_type);
		idx = ((const struct bfmt_decl_tag *)bfmt_type_extra(t))->component_idx;
		value = bfmt_btf__str(btf, t->name_off);
		if (!value)
			value = "";
		need = strlen(value) + 1 + (idx >= 0 ? sizeof(comp) + 2 : 0);
		s = arena_alloc(a, need);
		if (!s || vec_push(&ents)) {
			err = -ENOMEM;
			break;
		}
		if (idx >= 0)
			snprintf(s, need, "%s: %s", tag_component(btf, to, idx, comp, sizeof(comp)),
				 value);
		else
			snprintf(s, need, "%s", value);
		vec_last(&ents)->target = t->size_type;
		vec_last(&ents)->text = s;
	}
	if (!err && ents.len > 1)
		qsort(ents.v, ents.len, sizeof(*ents.v), tag_ent_cmp);
	tn_buf_init(&text);
	for (i = 0; i < ents.len && !err; i = j) {
		tn_buf_reset(&text);
		for (j = i; j < ents.len && ents.v[j].target == ents.v[i].target; j++)
			tn_printf(&text, "%s%s", j > i ? "; " : "", ents.v[j].text);
		at->tags[ents.v[i].target - at->start] = arena_strdup(a, tn_buf_str(&text));
		if (text.oom || !at->tags[ents.v[i].target - at->start])
			err = -ENOMEM;
	}
	tn_buf_deinit(&text);
	vec_free(&ents);
	return err;
}

static int collect_places(struct bdiff_attrs *at, const struct bfmt_btf *btf, struct arena *a)
{
	uint32_t id, nr = bfmt_btf__nr_types(btf), i;

	for (id = btf->start_id; id < nr; id++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, id);
		const struct bfmt_var_secinfo *vs = bfmt_type_extra(t);
		const char *sec = bfmt_btf__str(btf, t->name_off);

		if (bfmt_kind(t) != BFMT_KIND_DATASEC)
			continue;
		for (i = 0; i < bfmt_vlen(t); i++) {
			char buf[300];

			const char **pl;

			if (vs[i].type < btf->start_id || vs[i].type >= nr)
				continue;
			snprintf(buf, sizeof(buf), "%s+0x%" PRIx32, sec ? sec : "", vs[i].offset);
			/* A VAR placed twice (no producer does that): the
			 * smallest text, whatever the order of the DATASECs. */
			pl = &at->place[vs[i].type - at->start];
			if (*pl && strcmp(*pl, buf) <= 0)
				continue;
			*pl = arena_strdup(a, buf);
			if (!*pl)
				return -ENOMEM;
		}
	}
	return 0;
}

int bdiff_attrs_collect(const struct bfmt_btf *btf, struct arena *a, struct bdiff_attrs *at)
{
	uint32_t n = bfmt_btf__nr_types(btf) - btf->start_id;
	int err;

	at->start = btf->start_id;
	at->n = n;
	at->tags = calloc(n ? n : 1, sizeof(*at->tags));
	at->place = calloc(n ? n : 1, sizeof(*at->place));
	if (!at->tags || !at->place) {
		bdiff_attrs_free(at);
		return -ENOMEM;
	}
	err = collect_tags(at, btf, a);
	if (!err)
		err = collect_places(at, btf, a);
	if (err)
		bdiff_attrs_free(at);
	return err;
}

void bdiff_attrs_free(struct bdiff_attrs *at)
{
	free(at->tags);
	free(at->place);
	at->tags = NULL;
	at->place = NULL;
}
