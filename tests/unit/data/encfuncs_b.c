/* Second unit of the btfe_funcs input: a static function with the same
 * name as one in encfuncs_a.c, and main. */
extern int enc_gfn(int a, long b);
extern int enc_weak(int q);

__attribute__((noinline)) static int enc_dup(int x)
{
	return x - 1;
}

int main(int argc, char **argv)
{
	(void)argv;
	return enc_gfn(argc, 2) + enc_dup(argc) + enc_weak(argc);
}
