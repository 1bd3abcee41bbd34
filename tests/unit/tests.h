/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests: one CUnit suite per module. Each test_<module>.c defines
 * register_<module>_suite(), listed in main.c and tests/unit/meson.build.
 */
#ifndef BTFENC_TESTS_UNIT_H
#define BTFENC_TESTS_UNIT_H

#include <CUnit/CUnit.h>

int register_util_suite(void);
int register_ir_suite(void);
int register_btf_format_suite(void);
int register_btf_encoder_suite(void);
int register_btf_dedup_suite(void);
int register_btfd_refine_suite(void);
int register_btf_distill_suite(void);
int register_btf_writer_suite(void);
int register_dwarf_loader_suite(void);
int register_print_suite(void);
int register_print_normal_suite(void);
int register_btf_loader_suite(void);
int register_btfe_funcs_suite(void);
int register_btf_c_suite(void);
int register_btf_dump_suite(void);
int register_btf_diff_suite(void);
int register_api_suite(void);
int register_verify_suite(void);

/* Add a suite with its tests; returns 0 or -1 (CUnit's error is set). */
struct unit_test {
	const char *name;
	CU_TestFunc fn;
};

int unit_add_suite(const char *name, const struct unit_test *tests);

/* Directory with the compiled fixtures (the build tree). */
const char *unit_fixture_dir(void);

#endif
