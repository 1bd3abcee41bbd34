/* Fixture for the dwarf_loader suite: types, layouts, enums, arrays. */
typedef unsigned int u32;

struct bits {
	char c;
	unsigned int a : 3, b : 5;
	int s : 7;
	unsigned long long big : 40;
	u32 last;
} __attribute__((aligned(16)));

struct packed_s {
	char c;
	int i;
} __attribute__((packed));

struct aligned_m {
	char c;
	int x __attribute__((aligned(8)));
};

union un {
	int i;
	float f;
	struct {
		short lo, hi;
	};
};

struct node {
	struct node *next;
	const volatile int *restrict p;
	_Atomic int at;
	int grid[3][4];
	int zero[0];
	char flex[];
};

enum neg { NEG_A = -5, NEG_B = 3 };
enum big64 { BIG_HUGE = 0x123456789abcdefLL, BIG_NEG = -0x10000000000LL };
enum __attribute__((packed)) small_e { SMALL_M = -3, SMALL_P = 100 };
enum ubig { UBIG_MAX = 0xffffffffffffffffULL };

typedef int (*fnptr)(int, ...);
struct fwd_only;
enum fwd_enum;

struct bits g_bits;
struct packed_s g_packed;
struct aligned_m g_aligned;
union un g_un;
struct node g_node;
enum neg g_neg;
enum big64 g_big;
enum small_e g_small;
enum ubig g_ubig;
fnptr g_fn;
struct fwd_only *g_fwd;
enum fwd_enum *g_fenum;
_Bool g_flag;
_Complex double g_cplx;
int g_init = 7;
const char *g_strs[] = { "a", "b" };
