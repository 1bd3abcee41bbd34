/*
 * Fixture for the dwarf_loader suite: several types that gcc
 * -fdebug-types-section -c puts in type units of their own, each in its
 * own COMDAT section, referring to each other.
 */
enum dwl_tu_color { DWL_TU_RED = 1, DWL_TU_GREEN = 7 };

typedef unsigned int dwl_tu_u32;

struct dwl_tu_inner {
	dwl_tu_u32 id;
	enum dwl_tu_color color;
	unsigned int flag : 3;
	unsigned int mode : 5;
};

union dwl_tu_val {
	long l;
	struct dwl_tu_inner *ip;
};

struct dwl_tu_outer {
	char tag;
	struct dwl_tu_inner in;
	union dwl_tu_val v;
	struct dwl_tu_outer *next;
	const struct dwl_tu_inner *arr[3];
};

struct dwl_tu_outer dwl_tu_obj_var;

int dwl_tu_obj_use(struct dwl_tu_outer *o)
{
	return o->tag + (int)o->in.id + o->in.mode;
}
