// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_c_tool FILE [NAME...]: print FILE's BTF as a C header with
 * btfp_c__print() (only the named types and their needs when names are
 * given). Test-only driver until `btfenc dump --format=c` exists.
 *
 * btf_c_tool --shuffle SEED FILE OUT: write FILE's BTF (no base) to OUT as
 * raw BTF with its type ids permuted pseudo-randomly by SEED (the
 * references renumbered), for order-independence tests.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_loader/btf_loader.h"
#include "src/print/btf_c.h"

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct remap {
	const uint32_t *map;
	uint32_t nr;
};

static int remap_id(uint32_t *field, void *p)
{
	const struct remap *r = p;

	if (*field && *field < r->nr)
		*field = r->map[*field];
	return 0;
}

struct restr_ctx {
	const struct bfmt_btf *src;
	struct bfmt_btf *dst;
};

/* A string offset of the source table -> the same string in dst. */
static int restr(uint32_t *field, void *p)
{
	struct restr_ctx *x = p;
	const char *s = bfmt_btf__str(x->src, *field);

	return bfmt_btf__add_str(x->dst, s ? s : "", field);
}

static int shuffle(const char *seed_s, const char *in, const char *outp)
{
	struct bfmt_btf *btf, *dst;
	uint64_t seed = strtoull(seed_s, NULL, 0) | 1;
	uint32_t nr, i, *perm, *map;
	struct remap r;
	struct restr_ctx sc;
	void *buf;
	size_t len;
	FILE *f;
	int err;

	err = btfl_load_file(in, NULL, NULL, &btf);
	if (err)
		return err;
	nr = bfmt_btf__nr_types(btf);
	perm = calloc(nr, sizeof(*perm));	/* new position -> old id */
	map = calloc(nr, sizeof(*map));		/* old id -> new id */
	if (!perm || !map)
		return -ENOMEM;
	for (i = 1; i < nr; i++)
		perm[i] = i;
	for (i = nr - 1; i > 1; i--) {
		uint32_t j = 1 + (uint32_t)(rng(&seed) % i), tmp = perm[i];

		perm[i] = perm[j];
		perm[j] = tmp;
	}
	for (i = 1; i < nr; i++)
		map[perm[i]] = i;
	r.map = map;
	r.nr = nr;
	err = bfmt_btf__new(NULL, &dst);
	for (i = 1; i < nr && !err; i++) {
		const struct bfmt_type *t = bfmt_btf__type(btf, perm[i]);
		long sz = bfmt_type__size(t);
		struct bfmt_type *nt;
		uint32_t id, name;
		void *extra;

		name = t->name_off;	/* old offset, mapped below */
		err = bfmt_btf__add_type(dst, bfmt_kind(t), bfmt_vlen(t), bfmt_kflag(t), name,
					 t->size_type, &id, &extra);
		if (err)
			break;
		memcpy(extra, bfmt_type_extra(t), (size_t)sz - sizeof(*t));
		nt = bfmt_btf__type(dst, id);
		bfmt_type__visit_ids(nt, remap_id, &r);
		sc.src = btf;
		sc.dst = dst;
		err = bfmt_type__visit_strs(nt, restr, &sc);
	}
	free(perm);
	free(map);
	if (err)
		return err;
	err = bfmt_btf__serialize(dst, false, &buf, &len);
	if (err)
		return err;
	f = fopen(outp, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		return -EIO;
	free(buf);
	bfmt_btf__free(dst);
	bfmt_btf__free(btf);
	return 0;
}

int main(int argc, char **argv)
{
	struct btfp_c_opts o = { 0 };
	struct bfmt_btf *btf;
	int err;

	if (argc >= 5 && !strcmp(argv[1], "--shuffle")) {
		err = shuffle(argv[2], argv[3], argv[4]);
		if (err)
			fprintf(stderr, "btf_c_tool: %s: %s\n", argv[3], strerror(-err));
		return err ? 1 : 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: btf_c_tool FILE [NAME...]\n"
				"       btf_c_tool --shuffle SEED FILE OUT\n");
		return 2;
	}
	err = btfl_load_file(argv[1], NULL, NULL, &btf);
	if (err) {
		fprintf(stderr, "btf_c_tool: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	if (argc > 2) {
		o.names = (const char *const *)argv + 2;
		o.nr_names = (size_t)argc - 2;
	}
	err = btfp_c__print(btf, stdout, &o);
	bfmt_btf__free(btf);
	if (err) {
		fprintf(stderr, "btf_c_tool: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	return 0;
}
