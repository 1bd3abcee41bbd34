// SPDX-License-Identifier: GPL-2.0-only
/* btf_writer suite input: a program that must still run (exit 42) after
 * .BTF was added to or replaced in it. */
#include <stdio.h>
#include <string.h>

struct writer_state {
	int calls;
	char tag[8];
};

static struct writer_state state = { 0, "btfw" };

static int step(struct writer_state *s)
{
	return ++s->calls;
}

int main(void)
{
	int n = step(&state) + step(&state);

	if (n != 3 || strcmp(state.tag, "btfw"))
		return 1;
	printf("writer_prog ok\n");
	return 42;
}
