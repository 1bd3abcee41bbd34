/* Fixture for the dwarf_loader suite: functions, parameters, variables. */
#include <stdarg.h>

struct pair {
	long a, b;
};

int dwl_counter_init = 3;
static int dwl_static_var;
extern int dwl_ext;
int dwl_ext = 5;

static inline int dwl_inl(int x)
{
	return x * 3;
}

__attribute__((noinline)) static int dwl_dropped(int keep, int unused, int also)
{
	return keep + also;
}

int dwl_varargs(int n, ...)
{
	va_list ap;
	int r;

	va_start(ap, n);
	r = va_arg(ap, int);
	va_end(ap);
	return r;
}

int dwl_kr()
{
	return 1;
}

__attribute__((noinline)) long dwl_regs(long x, struct pair *p, int y)
{
	static int calls;

	calls++;
	dwl_static_var += y;
	return x + p->a + calls;
}

int dwl_user(int x)
{
	struct pair p = { x, x };

	return dwl_inl(x) + dwl_dropped(x, x * 7, x) + (int)dwl_regs(x, &p, x);
}
