/* Fixture for the dwarf_loader suite: the second unit using the type unit. */
struct dwl_shared {
	int a;
	long b;
	struct dwl_shared *self;
};

int dwl_tu_use(struct dwl_shared *s)
{
	return s->a + (int)s->b;
}
