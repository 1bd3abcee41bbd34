/* Fixture for the dwarf_loader suite: makes dwl_funcs.c a program. */
int dwl_user(int x);

int main(int argc, char **argv)
{
	(void)argv;
	return dwl_user(argc);
}
