// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verifier (verify.h): an index of the BTF's normal-form entries by key,
 * matched against every DWARF unit as it streams by.
 *
 * Index: keys live in a string set (the offset is the key's id); a hash map
 * takes a key id to the first of its BTF entries, which are chained. A key
 * whose entries have all matched is done: its DWARF objects are not even
 * spelled, which is what keeps a kernel (the same types in thousands of
 * units) fast.
 */
#include "verify.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../print/normal.h"
#include "../print/type_name.h"
#include "../util/arena.h"
#include "../util/hmap.h"
#include "../util/strset.h"
#include "../util/vec.h"
#include "verify_int.h"

struct vf_entry {
	uint32_t key;			/* offset of the key in v->keys */
	uint32_t next;			/* next entry of the key + 1; 0: none */
	uint8_t what;			/* enum normal_what */
	bool matched;			/* some DWARF object has this entry */
	bool compared;			/* detail/die/cu are set */
	uint8_t cls;			/* when compared: the finding's class */
	size_t index;			/* in the BTF unit */
	uint64_t btf_id;
	const char *text;		/* the BTF entry (arena) */
	const char *detail;		/* against the first DWARF object */
	uint64_t die;
	const char *cu;
};

/* A DWARF definition no BTF entry equals (decided at finish). */
struct vf_variant {
	uint32_t key;			/* offset in v->keys */
	uint32_t text;			/* offset in v->variants */
	uint64_t die;
	const char *cu;			/* arena */
};

struct vf_verifier {
	const struct ir_cu *btf;
	struct normal_printer *np;
	struct arena arena;
	struct strset keys;
	struct hmap heads;		/* key offset -> first entry + 1 */
	struct strset lost;		/* keys of DWARF types reported lost */
	struct strset texts;		/* every BTF type entry */
	struct strset variants;		/* DWARF type entries no BTF entry equals */
	struct {
		struct vf_variant *v;
		size_t len, cap;
	} var;
	struct tn_buf key;
	struct {
		struct vf_entry *v;
		size_t len, cap;
	} e;
	struct {
		struct vf_finding *v;
		size_t len, cap;
	} f;
	struct vf_stats st;
	uint64_t first_id;		/* lower BTF ids: a base, not checked */
	bool finished;
};

const char *vf_class_str(enum vf_class c)
{
	switch (c) {
	case VF_MISMATCH: return "mismatch";
	case VF_NO_DWARF: return "not in DWARF";
	case VF_LOST: return "lost";
	}
	return "?";
}

/* The key of an object into b; false when it has none. */
static bool vf_key(struct tn_buf *b, const struct ir_cu *cu, enum normal_what what,
		   size_t index)
{
	tn_buf_reset(b);
	if (what == NORMAL_FUNC) {
		const struct ir_func *f = &cu->funcs.v[index];

		if (!f->name || (f->flags & IR_FF_DECLARATION))
			return false;
		tn_printf(b, "func %s", f->name);
		return true;
	}
	if (what == NORMAL_VAR) {
		const struct ir_var *v = &cu->vars.v[index];

		if (!v->name || !v->section || (v->flags & (IR_VF_DECLARATION | IR_VF_LOCAL)))
			return false;
		tn_printf(b, "var %s@%s+0x%" PRIx64, v->name, v->section, v->section_offset);
		return true;
	}
	{
		const struct ir_type *t = &cu->types.v[index];

		switch (t->kind) {
		case IR_KIND_INT:
		case IR_KIND_FLOAT:
			if (!t->name)
				return false;
			tn_printf(b, "base %s", t->name);
			return true;
		case IR_KIND_STRUCT:
		case IR_KIND_UNION:
		case IR_KIND_TYPEDEF:
			if (!t->name)
				return false;
			tn_printf(b, "%s %s", t->kind == IR_KIND_STRUCT ? "struct" :
				  t->kind == IR_KIND_UNION ? "union" : "typedef", t->name);
			return true;
		case IR_KIND_ENUM:
			if (t->name)
				tn_printf(b, "enum %s", t->name);
			else if (t->vlen && t->enumerators[0].name)
				tn_printf(b, "enum (anon) %s", t->enumerators[0].name);
			else
				return false;
			return true;
		default:
			return false;
		}
	}
}

static size_t vf_count(const struct ir_cu *cu, enum normal_what what)
{
	return what == NORMAL_TYPE ? cu->types.len : what == NORMAL_FUNC ? cu->funcs.len
									   : cu->vars.len;
}

static uint64_t vf_btf_id(const struct ir_cu *cu, enum normal_what what, size_t i)
{
	return what == NORMAL_TYPE ? cu->types.v[i].orig_off :
	       what == NORMAL_FUNC ? cu->funcs.v[i].orig_off : cu->vars.v[i].orig_off;
}

static int vf_index_one(struct vf_verifier *v, enum normal_what what, size_t i)
{
	struct vf_entry *e;
	const char *text;
	uint32_t off;
	uint64_t head = 0;
	int err;

	if (!vf_key(&v->key, v->btf, what, i))
		return 0;
	err = normal_printer__entry(v->np, v->btf, what, i, &text);
	if (err <= 0)
		return err;
	if (v->key.oom || strset_add(&v->keys, tn_buf_str(&v->key), &off) ||
	    vec_push(&v->e))
		return -ENOMEM;
	e = vec_last(&v->e);
	e->key = off;
	e->what = (uint8_t)what;
	e->index = i;
	e->btf_id = vf_btf_id(v->btf, what, i);
	e->text = arena_strdup(&v->arena, text);
	if (!e->text)
		return -ENOMEM;
	if (what == NORMAL_TYPE && strset_add(&v->texts, text, &off))
		return -ENOMEM;
	if (hmap_get(&v->heads, e->key, &head))
		e->next = (uint32_t)head;
	e->matched = e->btf_id < v->first_id;	/* a base's: not checked */
	if (!e->matched)
		v->st.nr_btf++;
	return hmap_set(&v->heads, e->key, v->e.len);
}

int vf_verifier__new(const struct ir_cu *btf, uint64_t first_id, struct vf_verifier **ret)
{
	struct normal_opts no = { .flat_arrays = true, .drop_atomic = true,
				  .drop_align = true, .btf_fallbacks = true };
	struct vf_verifier *v;
	int what, err = 0;
	size_t i;

	if (!btf || !ret)
		return -EINVAL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->btf = btf;
	v->first_id = first_id;
	arena_init(&v->arena);
	hmap_init(&v->heads);
	tn_buf_init(&v->key);
	if (strset_init(&v->keys) || strset_init(&v->lost) || strset_init(&v->texts) ||
	    strset_init(&v->variants))
		err = -ENOMEM;
	if (!err)
		err = normal_printer__new(&no, &v->np);
	for (what = NORMAL_TYPE; what <= NORMAL_VAR && !err; what++)
		for (i = what == NORMAL_TYPE ? 1 : 0; i < vf_count(btf, what) && !err; i++)
			err = vf_index_one(v, what, i);
	if (err) {
		vf_verifier__free(v);
		return err;
	}
	*ret = v;
	return 0;
}

void vf_verifier__free(struct vf_verifier *v)
{
	if (!v)
		return;
	normal_printer__free(v->np);
	strset_deinit(&v->keys);
	strset_deinit(&v->lost);
	strset_deinit(&v->texts);
	strset_deinit(&v->variants);
	vec_free(&v->var);
	hmap_deinit(&v->heads);
	tn_buf_deinit(&v->key);
	vec_free(&v->e);
	vec_free(&v->f);
	arena_deinit(&v->arena);
	free(v);
}

static int vf_add_finding(struct vf_verifier *v, enum vf_class cls, const char *key,
			  uint64_t btf_id, uint64_t die, const char *cu, const char *detail)
{
	struct vf_finding *f;

	if (vec_push(&v->f))
		return -ENOMEM;
	f = vec_last(&v->f);
	f->cls = (uint8_t)cls;
	f->key = arena_strdup(&v->arena, key);
	f->btf_id = btf_id;
	f->die = die;
	f->cu = arena_strdup(&v->arena, cu ? cu : "");
	f->detail = arena_strdup(&v->arena, detail ? detail : "");
	return f->key && f->cu && f->detail ? 0 : -ENOMEM;
}

/* A named DWARF type whose key the BTF does not have at all. */
static int vf_lost_type(struct vf_verifier *v, const struct ir_cu *cu, size_t i)
{
	const struct ir_type *t = &cu->types.v[i];
	size_t before = v->lost.nr_strs;
	const char *text;
	uint32_t off;
	int err;

	if (t->kind == IR_KIND_INT || t->kind == IR_KIND_FLOAT)
		return 0;	/* base types BTF does not need are not lost */
	err = normal_printer__entry(v->np, cu, NORMAL_TYPE, i, &text);
	if (err <= 0)
		return err;
	if (strset_add(&v->lost, tn_buf_str(&v->key), &off))
		return -ENOMEM;
	if (v->lost.nr_strs == before)
		return 0;
	return vf_add_finding(v, VF_LOST, tn_buf_str(&v->key), 0, t->orig_off, cu->name,
			      "DWARF defines it, the BTF has no such type");
}

static uint64_t vf_die(const struct ir_cu *cu, enum normal_what what, size_t i)
{
	return vf_btf_id(cu, what, i);	/* orig_off: the DIE offset for DWARF */
}

/*
 * A DWARF type entry no BTF entry equals: remembered once per text, and
 * reported at finish if every BTF object of its key matched some other
 * DWARF definition (else that BTF object's finding says it already).
 */
static int vf_note_variant(struct vf_verifier *v, const struct ir_cu *cu, size_t i,
			   uint32_t key, const char *text)
{
	size_t before = v->variants.nr_strs;
	struct vf_variant *x;
	uint32_t off;

	if (strset_find(&v->texts, text, &off) == 0)
		return 0;
	if (strset_add(&v->variants, text, &off))
		return -ENOMEM;
	if (v->variants.nr_strs == before || vec_push(&v->var))
		return v->variants.nr_strs == before ? 0 : -ENOMEM;
	x = vec_last(&v->var);
	x->key = key;
	x->text = off;
	x->die = cu->types.v[i].orig_off;
	x->cu = arena_strdup(&v->arena, cu->name ? cu->name : "");
	return x->cu ? 0 : -ENOMEM;
}

/* Types are always spelled (a DWARF definition the BTF lacks is a loss);
 * functions and variables only while some BTF object of the key is open. */
static int vf_compare(struct vf_verifier *v, const struct ir_cu *cu,
		      enum normal_what what, size_t i, uint32_t key, uint64_t head)
{
	const char *text = NULL;
	struct vf_entry *e;
	uint32_t n;
	bool open = false;
	int err;

	for (n = (uint32_t)head; n; n = e->next) {
		e = &v->e.v[n - 1];
		open |= !e->matched;
	}
	if (!open && what != NORMAL_TYPE)
		return 0;
	err = normal_printer__entry(v->np, cu, what, i, &text);
	if (err <= 0)
		return err;
	if (what == NORMAL_TYPE && (err = vf_note_variant(v, cu, i, key, text)))
		return err;
	if (!open)
		return 0;
	for (n = (uint32_t)head; n; n = e->next) {
		e = &v->e.v[n - 1];
		if (e->matched)
			continue;
		if (!strcmp(e->text, text)) {
			e->matched = true;
			continue;
		}
		if (e->compared)
			continue;
		e->compared = true;
		e->die = vf_die(cu, what, i);
		e->cu = arena_strdup(&v->arena, cu->name ? cu->name : "");
		err = vf_describe(&v->arena, v->btf, e->what == NORMAL_TYPE ? e->index : 0,
				  cu, what == NORMAL_TYPE ? i : 0, e->text, text,
				  &e->detail, &e->cls);
		if (err)
			return err;
		if (!e->cu)
			return -ENOMEM;
	}
	return 0;
}

int vf_verifier__add_cu(struct vf_verifier *v, const struct ir_cu *cu)
{
	int what, err = 0;
	uint32_t off;
	uint64_t head;
	size_t i;

	if (!v || !cu || v->finished)
		return -EINVAL;
	v->st.nr_dwarf_units++;
	for (what = NORMAL_TYPE; what <= NORMAL_VAR && !err; what++) {
		for (i = what == NORMAL_TYPE ? 1 : 0; i < vf_count(cu, what) && !err; i++) {
			if (!vf_key(&v->key, cu, what, i))
				continue;
			if (v->key.oom)
				return -ENOMEM;
			if (strset_find(&v->keys, tn_buf_str(&v->key), &off) ||
			    !hmap_get(&v->heads, off, &head)) {
				if (what == NORMAL_TYPE)
					err = vf_lost_type(v, cu, i);
				continue;
			}
			err = vf_compare(v, cu, what, i, off, head);
		}
	}
	return err;
}

static int vf_finding_cmp(const void *pa, const void *pb)
{
	const struct vf_finding *a = pa, *b = pb;
	int c = (int)a->cls - (int)b->cls;

	if (!c)
		c = strcmp(a->key, b->key);
	if (!c)
		c = a->btf_id < b->btf_id ? -1 : a->btf_id > b->btf_id;
	if (!c)
		c = a->die < b->die ? -1 : a->die > b->die;
	return c;
}

static int vf_variant_finding(struct vf_verifier *v, const struct vf_variant *x)
{
	const struct vf_entry *e = NULL, *first = NULL;
	const char *detail;
	uint64_t head = 0;
	uint8_t cls;
	uint32_t n;
	int err;
	char *msg;

	if (!hmap_get(&v->heads, x->key, &head))
		return 0;
	for (n = (uint32_t)head; n; n = e->next) {
		e = &v->e.v[n - 1];
		if (!e->matched)
			return 0;	/* that object's finding covers the key */
		first = e;
	}
	err = vf_describe(&v->arena, v->btf, 0, v->btf, 0, first->text,
			  strset_str(&v->variants, x->text), &detail, &cls);
	if (err)
		return err;
	msg = arena_alloc(&v->arena, strlen(detail) + 80);
	if (!msg)
		return -ENOMEM;
	sprintf(msg, "DWARF also defines it otherwise, and no BTF object is like that: %s",
		detail);
	return vf_add_finding(v, VF_LOST, strset_str(&v->keys, x->key), 0, x->die, x->cu, msg);
}

int vf_verifier__finish(struct vf_verifier *v)
{
	size_t i;
	int err = 0;

	if (!v || v->finished)
		return -EINVAL;
	v->finished = true;
	for (i = 0; i < v->e.len && !err; i++) {
		const struct vf_entry *e = &v->e.v[i];
		const char *key = strset_str(&v->keys, e->key);

		if (e->btf_id < v->first_id)
			continue;
		if (e->matched) {
			v->st.nr_matched++;
			continue;
		}
		if (e->compared)
			err = vf_add_finding(v, (enum vf_class)e->cls, key, e->btf_id, e->die,
					     e->cu, e->detail);
		else
			err = vf_add_finding(v, VF_NO_DWARF, key, e->btf_id, 0, NULL,
					     "no DWARF object has this name");
	}
	for (i = 0; i < v->var.len && !err; i++)
		err = vf_variant_finding(v, &v->var.v[i]);
	if (v->f.len)
		qsort(v->f.v, v->f.len, sizeof(*v->f.v), vf_finding_cmp);
	return err;
}

void vf_verifier__findings(const struct vf_verifier *v, const struct vf_finding **ret,
			   size_t *n_ret)
{
	*ret = v->f.v;
	*n_ret = v->f.len;
}

void vf_verifier__stats(const struct vf_verifier *v, struct vf_stats *ret)
{
	*ret = v->st;
}
