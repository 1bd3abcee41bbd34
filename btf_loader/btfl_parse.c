// SPDX-License-Identifier: GPL-2.0-only
/*
 * Raw BTF bytes -> struct bfmt_btf: the header, the section layout, the
 * byte order and the record bounds. Everything else is btfl_validate()'s.
 *
 * Header rules (kernel btf_parse_hdr/btf_check_sec_info/btf_parse_str_sec):
 * magic 0xeB9F in either byte order, version 1, flags 0 (no flag is
 * defined; an unknown one may change the meaning of the data), hdr_len at
 * least 24 and inside the data. Fields after str_len (hdr_len > 24: newer
 * writers' extensions) are skipped by their declared length, not rejected
 * (the kernel would want them zero). Sections: inside the data after the
 * header (64-bit arithmetic, no overflow), type section 4-byte aligned,
 * type and string sections not overlapping. With the plain 24-byte header
 * the kernel's layout rules hold too: no gap before, between or after the
 * sections, and the string section last; an extended header may declare
 * sections we do not know, so gaps are allowed there. Base BTF must have
 * types and a string section starting with "" ; every string section
 * (split BTF may have none) ends with a NUL and is at most
 * BFMT_MAX_NAME_OFFSET + 1 bytes.
 */
#include "btfl_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { BTFL_HDR_MIN = 24 };

struct btfl_hdr {
	bool be;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t type_off, type_len;
	uint32_t str_off, str_len;
};

static uint32_t btfl_get32(const unsigned char *p, bool be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static int btfl_read_header(struct btfl_ctx *c, const unsigned char *d,
			    size_t len, struct btfl_hdr *h)
{
	if (len >= 2 && d[0] == 0x9f && d[1] == 0xeb)
		h->be = false;
	else if (len >= 2 && d[0] == 0xeb && d[1] == 0x9f)
		h->be = true;
	else
		return btfl_fail(c, -ENOEXEC, "not BTF (no 0xeB9F magic)");
	if (len < 8)
		return btfl_fail(c, -EINVAL, "BTF header: truncated at %zu bytes", len);
	h->version = d[2];
	h->flags = d[3];
	h->hdr_len = btfl_get32(d + 4, h->be);
	if (h->version != BFMT_VERSION)
		return btfl_fail(c, -EINVAL, "BTF header: unsupported version %u", h->version);
	if (h->flags)
		return btfl_fail(c, -EINVAL, "BTF header: unsupported flags 0x%x", h->flags);
	if (h->hdr_len < BTFL_HDR_MIN)
		return btfl_fail(c, -EINVAL, "BTF header: hdr_len %u shorter than %d",
				 h->hdr_len, BTFL_HDR_MIN);
	if (h->hdr_len > len)
		return btfl_fail(c, -EINVAL, "BTF header: hdr_len %u beyond the %zu bytes of data",
				 h->hdr_len, len);
	h->type_off = btfl_get32(d + 8, h->be);
	h->type_len = btfl_get32(d + 12, h->be);
	h->str_off = btfl_get32(d + 16, h->be);
	h->str_len = btfl_get32(d + 20, h->be);
	return 0;
}

/* The kernel's layout rule for the plain header: the sections, sorted by
 * offset, tile the data after the header exactly, strings last. */
static int btfl_check_tiling(struct btfl_ctx *c, const struct btfl_hdr *h,
			     uint64_t payload)
{
	bool types_first = h->type_off < h->str_off ||
			   (h->type_off == h->str_off && h->type_len <= h->str_len);
	uint64_t first_off = types_first ? h->type_off : h->str_off;
	uint64_t first_end = first_off + (types_first ? h->type_len : h->str_len);
	uint64_t second_off = types_first ? h->str_off : h->type_off;

	if (first_off != 0 || second_off != first_end)
		return btfl_fail(c, -EINVAL, "BTF header: gap between the header and sections "
				 "(type %u+%u, strings %u+%u)", h->type_off, h->type_len,
				 h->str_off, h->str_len);
	if ((uint64_t)h->str_off + h->str_len != payload)
		return btfl_fail(c, -EINVAL, "BTF header: string section ends at %llu, "
				 "not at the end of the data (%llu)",
				 (unsigned long long)h->str_off + h->str_len,
				 (unsigned long long)payload);
	return 0;
}

static int btfl_check_sections(struct btfl_ctx *c, const struct btfl_hdr *h,
			       size_t len, bool split)
{
	uint64_t payload = len - h->hdr_len;
	uint64_t type_end = (uint64_t)h->type_off + h->type_len;
	uint64_t str_end = (uint64_t)h->str_off + h->str_len;

	if (type_end > payload)
		return btfl_fail(c, -EINVAL, "BTF header: type section %u+%u beyond the %llu "
				 "bytes after the header", h->type_off, h->type_len,
				 (unsigned long long)payload);
	if (str_end > payload)
		return btfl_fail(c, -EINVAL, "BTF header: string section %u+%u beyond the %llu "
				 "bytes after the header", h->str_off, h->str_len,
				 (unsigned long long)payload);
	if (h->type_off % 4)
		return btfl_fail(c, -EINVAL, "BTF header: type section offset %u not 4-byte aligned",
				 h->type_off);
	if (h->type_len && h->str_len && h->type_off < str_end && h->str_off < type_end)
		return btfl_fail(c, -EINVAL, "BTF header: type section %u+%u overlaps string "
				 "section %u+%u", h->type_off, h->type_len, h->str_off,
				 h->str_len);
	if (!split && !h->type_len)
		return btfl_fail(c, -EINVAL, "BTF header: no types");
	if (h->hdr_len == BTFL_HDR_MIN)
		return btfl_check_tiling(c, h, payload);
	return 0;
}

static int btfl_check_strings(struct btfl_ctx *c, const unsigned char *s,
			      uint32_t len, bool split)
{
	if (split && !len)
		return 0;
	if (!len)
		return btfl_fail(c, -EINVAL, "string section: empty");
	if (len - 1 > BFMT_MAX_NAME_OFFSET)
		return btfl_fail(c, -EINVAL, "string section: %u bytes, more than %u",
				 len, BFMT_MAX_NAME_OFFSET + 1);
	if (s[len - 1])
		return btfl_fail(c, -EINVAL, "string section: does not end with a NUL");
	if (!split && s[0])
		return btfl_fail(c, -EINVAL, "string section: does not start with \"\"");
	return 0;
}

/* Walk the records for the messages bfmt_btf__adopt_raw() cannot give:
 * which type has an unknown kind or runs past the section. */
static int btfl_walk_records(struct btfl_ctx *c, const uint32_t *w,
			     uint32_t first_id, size_t byte_len)
{
	uint32_t id = first_id;
	size_t at = 0;

	while (at * 4 < byte_len) {
		const struct bfmt_type *t = (const struct bfmt_type *)&w[at];
		long size;

		if (id > BFMT_MAX_TYPE)
			return btfl_fail(c, -EINVAL, "type section: more than %u types",
					 BFMT_MAX_TYPE);
		if (byte_len - at * 4 < sizeof(*t))
			return btfl_fail(c, -EINVAL, "type [%u]: record truncated, %zu bytes left "
					 "in the type section", id, byte_len - at * 4);
		size = bfmt_type__size(t);
		if (size < 0)
			return btfl_fail(c, -EINVAL, "type [%u]: unknown kind %u", id,
					 (unsigned)bfmt_kind(t));
		if ((size_t)size > byte_len - at * 4)
			return btfl_fail(c, -EINVAL, "type [%u] %s: record of %ld bytes (vlen %u) "
					 "runs past the end of the type section", id,
					 bfmt_kind_name(bfmt_kind(t)), size, bfmt_vlen(t));
		at += (size_t)size / 4;
		id++;
	}
	return 0;
}

/* Copy the type section into host-order words: every field of every
 * record is a 32-bit word, so swapping word by word is exact. */
static uint32_t *btfl_copy_words(const unsigned char *p, uint32_t len, bool be)
{
	size_t n = len / 4, i;
	uint32_t *w = malloc(n ? n * 4 : 4);

	if (!w)
		return NULL;
	for (i = 0; i < n; i++)
		w[i] = btfl_get32(p + 4 * i, be);
	return w;
}

/* Can the sections stay where they are, in c->map? Host order, and the
 * records' words aligned. */
static bool btfl_in_place(const struct btfl_ctx *c, const unsigned char *types,
			  const struct btfl_hdr *h)
{
	bool host_be = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

	return c->map && h->be == host_be && (uintptr_t)types % 4 == 0;
}

static int btfl_build(struct btfl_ctx *c, const unsigned char *d,
		      const struct btfl_hdr *h, const struct bfmt_btf *base,
		      struct bfmt_btf **ret)
{
	const unsigned char *types = d + h->hdr_len + h->type_off;
	bool in_place = btfl_in_place(c, types, h);
	struct bfmt_btf *btf = NULL;
	uint32_t *words;
	char *strs = NULL;
	int err;

	words = in_place ? (uint32_t *)types : btfl_copy_words(types, h->type_len, h->be);
	if (!words)
		return btfl_fail(c, -ENOMEM, "out of memory");
	err = bfmt_btf__new(base, &btf);
	if (err)
		goto fail;
	err = btfl_walk_records(c, words, btf->start_id, h->type_len);
	if (err)
		goto fail;
	if (h->str_len && in_place) {
		strs = (char *)d + h->hdr_len + h->str_off;
	} else if (h->str_len) {
		strs = malloc(h->str_len);
		if (!strs) {
			err = -ENOMEM;
			goto fail;
		}
		memcpy(strs, d + h->hdr_len + h->str_off, h->str_len);
	}
	if (in_place)
		err = bfmt_btf__adopt_mapped(btf, words, h->type_len / 4, strs, h->str_len,
					     c->map, c->map_len);
	else
		err = bfmt_btf__adopt_raw(btf, words, h->type_len / 4, strs, h->str_len);
	if (err)
		goto fail;
	if (in_place)
		c->map = NULL;	/* the table's now */
	*ret = btf;
	return 0;
fail:
	if (!in_place) {
		free(strs);
		free(words);
	}
	bfmt_btf__free(btf);
	return err == -ENOMEM ? btfl_fail(c, err, "out of memory")
			      : btfl_fail(c, err, "type section: cannot index the records");
}

int btfl_parse(struct btfl_ctx *c, const unsigned char *data, size_t len,
	       const struct bfmt_btf *base, struct btfl_info *info,
	       struct bfmt_btf **ret)
{
	struct bfmt_btf *btf = NULL;
	struct btfl_hdr h = { 0 };
	int err;

	if (len > UINT32_MAX)
		return btfl_fail(c, -EINVAL, "BTF data of %zu bytes is larger than 4 GiB", len);
	err = btfl_read_header(c, data, len, &h);
	if (!err)
		err = btfl_check_sections(c, &h, len, base != NULL);
	if (!err)
		err = btfl_check_strings(c, data + h.hdr_len + h.str_off, h.str_len,
					 base != NULL);
	if (!err)
		err = btfl_build(c, data, &h, base, &btf);
	if (err)
		return err;
	if (!c->ptr_size)
		c->ptr_size = btfl_guess_ptr_size(btf);
	if (!c->ptr_size)
		c->ptr_size = 8;
	err = btfl_validate(c, btf);
	if (err) {
		bfmt_btf__free(btf);
		return err;
	}
	if (info) {
		info->big_endian = h.be;
		info->hdr_len = h.hdr_len;
		info->ptr_size = c->ptr_size;
	}
	*ret = btf;
	return 0;
}
