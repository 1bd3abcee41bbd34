// SPDX-License-Identifier: GPL-2.0-only
/* The --explain=FILE.json file and the JSON form of one record (explain.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "btf_encoder/btf_encoder.h"
#include "explain.h"

const char *cli_explain_kind_str(uint8_t kind)
{
	return kind == BTFE_SKIP_VAR ? "variable" : "function";
}

void explain_json_record(struct json_out *j, const struct cli_explain_rec *r)
{
	char addr[32];

	snprintf(addr, sizeof(addr), "0x%" PRIx64, r->addr);
	jo_open(j, '{');
	jo_kstr(j, "kind", cli_explain_kind_str(r->kind));
	jo_kstr(j, "name", r->name);
	jo_kstr(j, "reason", btfe_skip_reason_str(r->reason));
	jo_kstr(j, "detail", r->detail);
	jo_kstr(j, "addr", addr);
	jo_close(j, '}');
}

int explain_json_write(const char *path, const char *file, const struct cli_explain *ex)
{
	struct json_out j;
	FILE *f = fopen(path, "w");
	size_t i;
	int err = 0;

	if (!f)
		return -errno;
	jo_init(&j, f, false);
	fputs("{", f);
	j.depth = 1;
	j.has_items[0] = false;
	jo_kstr(&j, "file", file);
	fputs(",\"records\":[", f);
	for (i = 0; i < ex->recs.len; i++) {
		fputs(i ? ",\n" : "\n", f);
		jo_init(&j, f, false);
		explain_json_record(&j, &ex->recs.v[i]);
	}
	fputs("\n]}\n", f);
	if (ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}
