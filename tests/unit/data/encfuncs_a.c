/* Input for the btfe_funcs suite (btfe_elf__load and the whole encoder):
 * global, static, weak and cloned functions, a per-CPU variable and a
 * kfunc set in .BTF_ids laid out as the kernel's BTF_SET8 macros do. */
#define __percpu_sec __attribute__((section(".data..percpu")))

int enc_counter __percpu_sec = 1;
static long enc_local_pcpu __percpu_sec = 2;
int enc_global = 3;
int __UNIQUE_ID_enc4 __percpu_sec = 4;

/* Same name as in encfuncs_b.c: two addresses once linked. */
__attribute__((noinline)) static int enc_dup(int x)
{
	return x * 3 + enc_global;
}

/* Called only with a constant: gcc -O2 clones it (.constprop/.isra). */
__attribute__((noinline)) static int enc_clone(int unused, int y)
{
	return y * enc_global;
}

__attribute__((weak)) int enc_weak(int q)
{
	return q + 1;
}

int enc_kf_one(int a)
{
	return a + enc_dup(a) + (int)enc_local_pcpu;
}

int enc_kf_fast(long b)
{
	return (int)b * 2;
}

int enc_gfn(int a, long b)
{
	return enc_dup(a) + enc_clone(7, (int)b) + enc_clone(7, a) + enc_counter;
}

/* BTF_SET8_START(enc_kfuncs) with BTF_SET8_KFUNCS, then two
 * BTF_ID_FLAGS(func, ...) entries, the second with KF_FASTCALL. */
__asm__(".pushsection .BTF_ids,\"a\"\n"
	"__BTF_ID__set8__enc_kfuncs:\n"
	"\t.long 2\n\t.long 1\n"
	"__BTF_ID__func__enc_kf_one__1:\n"
	"\t.long 0\n\t.long 0\n"
	"__BTF_ID__func__enc_kf_fast__2:\n"
	"\t.long 0\n\t.long 0x1000\n"
	".size __BTF_ID__set8__enc_kfuncs, 24\n"
	"__BTF_ID__func__enc_gfn__3:\n"
	"\t.long 0\n"
	".popsection\n");
