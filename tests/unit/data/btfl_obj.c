// SPDX-License-Identifier: GPL-2.0-only
/* btf_loader suite: compiled with clang -target bpf -g, whose object
 * carries a .BTF section (relocatable: DATASEC sizes left 0 for the BPF
 * loader); compiled natively without -g it is an ELF without .BTF. */
#if defined(__has_attribute) && __has_attribute(btf_decl_tag)
#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __user __attribute__((btf_type_tag("user")))
#else
#define __tag(x)
#define __user
#endif

struct btfl_pair {
	int a;
	long b;
	unsigned int c : 3, d : 5;
	int __user *up;
	char name[2][3];
} __tag("pair_tag");

enum btfl_color { BTFL_RED, BTFL_GREEN = -2 };

int btfl_counter = 3;
static volatile int btfl_hidden;
const char btfl_ro[4] = "abc";
struct btfl_pair btfl_gp;
enum btfl_color btfl_col;

int __tag("fn_tag") btfl_fn(struct btfl_pair *p __tag("arg_tag"), int x)
{
	btfl_hidden = x;
	return p->a + x + btfl_counter + btfl_col;
}
