/* Fixture for the dwarf_loader suite: a type shared through a type unit. */
struct dwl_shared {
	int a;
	long b;
	struct dwl_shared *self;
};

int dwl_tu_use(struct dwl_shared *s);
struct dwl_shared dwl_tu_var;

int main(void)
{
	return dwl_tu_use(&dwl_tu_var);
}
