// SPDX-License-Identifier: GPL-2.0-only
/* The unit-test runner: every module suite, in one CUnit registry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "tests.h"

int unit_add_suite(const char *name, const struct unit_test *tests)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);

	if (!s)
		return -1;
	for (; tests->name; tests++)
		if (!CU_add_test(s, tests->name, tests->fn))
			return -1;
	return 0;
}

const char *unit_fixture_dir(void)
{
	const char *d = getenv("BTFENC_FIXTURE_DIR");

	return d ? d : FIXTURE_DIR;
}

static int (*const suites[])(void) = {
	register_util_suite,
	register_ir_suite,
	register_btf_format_suite,
	register_btf_encoder_suite,
	register_btf_dedup_suite,
	register_btfd_refine_suite,
	register_btf_distill_suite,
	register_btf_writer_suite,
	register_btfe_funcs_suite,
	register_btf_c_suite,
	register_btf_dump_suite,
	register_btf_diff_suite,
	register_api_suite,
#ifdef HAVE_DWARF_LOADER_TESTS
	register_dwarf_loader_suite,
#endif
#ifdef HAVE_PRINT_TESTS
	register_print_suite,
	register_print_normal_suite,
	register_verify_suite,
#endif
#ifdef HAVE_BTF_LOADER_TESTS
	register_btf_loader_suite,
#endif
};

int main(int argc, char **argv)
{
	unsigned int failed;
	size_t i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (suites[i]()) {
			fprintf(stderr, "unit: cannot register suite: %s\n",
				CU_get_error_msg());
			CU_cleanup_registry();
			return 2;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (argc > 1) {
		/* Run one suite by name. */
		CU_pSuite s = CU_get_suite(argv[1]);

		if (!s) {
			fprintf(stderr, "unit: no suite named %s\n", argv[1]);
			CU_cleanup_registry();
			return 2;
		}
		CU_basic_run_suite(s);
	} else {
		CU_basic_run_tests();
	}
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
