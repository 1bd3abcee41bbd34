/* Fixture for the dwarf_loader suite: clang's btf_decl_tag/btf_type_tag. */
#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __ttag(x) __attribute__((btf_type_tag(x)))

struct tagged {
	int m __tag("member_tag");
	int __ttag("a") __ttag("b") *tp;
} __tag("struct_tag");

typedef int tagged_int __tag("typedef_tag");

int tagged_var __tag("var_tag");

int __tag("func_tag") tagged_func(int p __tag("param_tag"))
{
	return p;
}

struct tagged g_tagged;
tagged_int g_tagged_int;
