// SPDX-License-Identifier: GPL-2.0-only
/* btf_writer suite input: an object file with data, relocations, symbols.
 * Includes nothing, so it also compiles for other targets (clang --target). */
struct writer_pair {
	int a;
	long b;
	const char *name;
};

static struct writer_pair pairs[3] = { { 1, 2, "one" }, { 3, 4, "two" } };
int writer_counter;
const char writer_msg[] = "writer object";

int writer_sum(int n);
int writer_sum(int n)
{
	int s = 0;

	for (int i = 0; i < n && i < 3; i++)
		s += pairs[i].a + (int)pairs[i].b + writer_msg[i];
	writer_counter++;
	return s;
}
