// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_mutate IN OUT EDIT...: corrupt BTF on purpose, for the tests of
 * `btfenc verify` (tests/e2e/t1100-explain-verify.sh). Reads IN (raw BTF or
 * an ELF file's .BTF) with btfenc's loader, applies each EDIT to the first
 * type that has the name, and writes raw BTF to OUT (little endian).
 *
 *   member:STRUCT.MEMBER=BITS   move a member to bit offset BITS
 *   enum:ENUMERATOR=VALUE       change an enumerator's value (ENUM, ENUM64)
 *   size:NAME=BYTES             change a struct's, union's or enum's size
 *
 * Exit 0 done, 1 an edit found nothing or I/O failed, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_loader/btf_loader.h"
#include "src/btf_format/btf_format.h"
#include "src/btf_format/btf_types.h"

static bool name_is(const struct bfmt_btf *btf, uint32_t off, const char *name, size_t len)
{
	const char *s = bfmt_btf__str(btf, off);

	return s && strlen(s) == len && !strncmp(s, name, len);
}

static int edit(struct bfmt_btf *btf, const char *e)
{
	const char *colon = strchr(e, ':'), *eq = strrchr(e, '='), *dot;
	unsigned long long val;
	uint32_t id;

	if (!colon || !eq || eq < colon)
		return -EINVAL;
	val = strtoull(eq + 1, NULL, 0);
	for (id = btf->start_id; id < bfmt_btf__nr_types(btf); id++) {
		struct bfmt_type *t = bfmt_btf__type(btf, id);
		enum bfmt_kind k = bfmt_kind(t);
		uint32_t i, n = bfmt_vlen(t);

		if (!strncmp(e, "member:", 7) && (k == BFMT_KIND_STRUCT || k == BFMT_KIND_UNION)) {
			struct bfmt_member *m = bfmt_type_extra(t);

			dot = strchr(colon, '.');
			if (!dot || dot > eq || !name_is(btf, t->name_off, colon + 1,
							 (size_t)(dot - colon - 1)))
				continue;
			for (i = 0; i < n; i++) {
				if (!name_is(btf, m[i].name_off, dot + 1, (size_t)(eq - dot - 1)))
					continue;
				if (bfmt_kflag(t))
					m[i].offset = (m[i].offset & 0xff000000u) | ((uint32_t)val & 0xffffff);
				else
					m[i].offset = (uint32_t)val;
				return 0;
			}
		} else if (!strncmp(e, "enum:", 5) && k == BFMT_KIND_ENUM) {
			struct bfmt_enum *v = bfmt_type_extra(t);

			for (i = 0; i < n; i++)
				if (name_is(btf, v[i].name_off, colon + 1, (size_t)(eq - colon - 1))) {
					v[i].val = (int32_t)(uint32_t)val;
					return 0;
				}
		} else if (!strncmp(e, "enum:", 5) && k == BFMT_KIND_ENUM64) {
			struct bfmt_enum64 *v = bfmt_type_extra(t);

			for (i = 0; i < n; i++)
				if (name_is(btf, v[i].name_off, colon + 1, (size_t)(eq - colon - 1))) {
					v[i].val_lo32 = (uint32_t)val;
					v[i].val_hi32 = (uint32_t)(val >> 32);
					return 0;
				}
		} else if (!strncmp(e, "size:", 5) &&
			   (k == BFMT_KIND_STRUCT || k == BFMT_KIND_UNION || k == BFMT_KIND_ENUM) &&
			   name_is(btf, t->name_off, colon + 1, (size_t)(eq - colon - 1))) {
			t->size_type = (uint32_t)val;
			return 0;
		}
	}
	return -ENOENT;
}

int main(int argc, char **argv)
{
	struct bfmt_btf *btf = NULL;
	void *raw = NULL;
	size_t len = 0;
	FILE *f;
	int i, err;

	if (argc < 4) {
		fprintf(stderr, "usage: btf_mutate IN OUT EDIT...\n");
		return 2;
	}
	err = btfl_load_file(argv[1], NULL, NULL, &btf);
	if (err) {
		fprintf(stderr, "btf_mutate: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	for (i = 3; i < argc; i++) {
		err = edit(btf, argv[i]);
		if (err) {
			fprintf(stderr, "btf_mutate: %s: %s\n", argv[i],
				err == -EINVAL ? "bad edit" : "nothing to edit");
			bfmt_btf__free(btf);
			return err == -EINVAL ? 2 : 1;
		}
	}
	err = bfmt_btf__serialize(btf, false, &raw, &len);
	bfmt_btf__free(btf);
	if (err || !(f = fopen(argv[2], "wb"))) {
		fprintf(stderr, "btf_mutate: %s: cannot write\n", argv[2]);
		free(raw);
		return 1;
	}
	err = fwrite(raw, 1, len, f) != len;
	err |= fclose(f) != 0;
	free(raw);
	return err ? 1 : 0;
}
