// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz command-line parsing. Input: NUL-separated words. The first byte's
 * low bit picks the surface:
 *   0: the rest is a --btf_features list for btfe_parse_features(), tried
 *      strict and lenient (lenient never fails; a strict failure points at
 *      a word inside the list);
 *   1: the rest is argv (argv[0] "btfenc", then the words) for the quiet
 *      cli_parse_args(); the result is one of 0, -1 and EXIT_USAGE, and
 *      a successful parse names an input file.
 * Each word is also given to dwl_parse_lang_list().
 */
#include <errno.h>
#include <string.h>

#include "btf_encoder/btf_encoder.h"
#include "cli/cli.h"
#include "dwarf_loader/dwarf_loader.h"
#include "fuzz.h"

#define MAX_WORDS 64

static void features(const char *list)
{
	uint32_t mask = 0, strict_mask = 0;
	const char *bad = NULL;
	size_t bad_len = 0;
	int err;

	err = btfe_parse_features(list, false, &mask, &bad, &bad_len);
	FUZZ_CHECK(err == 0);
	err = btfe_parse_features(list, true, &strict_mask, &bad, &bad_len);
	FUZZ_CHECK(err == 0 || err == -EINVAL);
	if (err) {
		FUZZ_CHECK(bad >= list && bad + bad_len <= list + strlen(list));
	} else {
		FUZZ_CHECK(strict_mask == mask);
	}
}

static void args(char *words, size_t size)
{
	char *argv[MAX_WORDS + 2], *p = words;
	struct cli_opts o;
	int argc = 1, ret;
	uint32_t mask;

	argv[0] = (char *)"btfenc";
	while (p < words + size && argc <= MAX_WORDS) {
		argv[argc++] = p;
		(void)dwl_parse_lang_list(p, &mask);
		p += strlen(p) + 1;
	}
	argv[argc] = NULL;
	ret = cli_parse_args(argc, argv, true, &o);
	FUZZ_CHECK(ret == 0 || ret == -1 || ret == EXIT_USAGE);
	if (ret == 0) {
		FUZZ_CHECK(o.file && o.nr_files >= 1);
		/* dedup links any number of inputs; diff takes OLD NEW and
		 * explain NAME FILE; everything else one file. */
		if (o.cmd == CLI_CMD_DIFF || o.cmd == CLI_CMD_EXPLAIN)
			FUZZ_CHECK(o.nr_files == 2);
		else
			FUZZ_CHECK(o.cmd == CLI_CMD_DEDUP || o.nr_files == 1);
	}
	cli_opts_deinit(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy;

	if (size < 1)
		return 0;
	/* NUL-terminated, so the last word ends too. */
	copy = malloc(size);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	if (data[0] & 1)
		args(copy, size - 1);
	else
		features(copy);
	free(copy);
	return 0;
}
