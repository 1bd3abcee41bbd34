// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwarf_load_bench [-c] [-s] [-b] [-l] [-jN] FILE: load every unit of FILE's DWARF into the
 * model through dwarf_loader (dwl_load_file) and free each CU at once;
 * nothing else. Prints the loader's statistics and, with -c, a checksum of
 * the whole model (kinds, names, sizes, members, functions, variables...) so
 * that two builds can be compared for the same model as well as for time
 * and memory (without -c nothing of the model is read). -s reads the DWARF
 * through libdw calls only (struct dwl_opts.libdw_only), to check that the
 * loader's fast paths decide nothing differently (t0460); -b borrows the
 * names (struct dwl_opts.borrow_names, as encoding does), which must not
 * change the model either; -l leaves packed-struct inference to the
 * reader (struct dwl_opts.lazy_packed, as encoding does; -c then settles
 * it first, so the checksum must not change). The loader's
 * messages go to stderr, one a line.
 *
 * This measures "the DWARF side" of btfenc alone (the encoder and the
 * deduplicator are not run); scripts/bench-kernel and manual profiling use
 * it next to tests/tools/dwarf_walk, the floor. Test-only; not installed.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "dwarf_loader/dwarf_loader.h"
#include "src/util/hmap.h"

struct bench {
	bool checksum;
	uint64_t sum;
	uint64_t nr_cus;
};

static uint64_t mix_str(uint64_t h, const char *s)
{
	return hash_combine(h, s ? hash_bytes(s, strlen(s), 1) : 0);
}

static uint64_t mix_annots(uint64_t h, const struct ir_annots *a)
{
	uint32_t i;

	for (i = 0; i < a->len; i++)
		h = mix_str(h, a->v[i]);
	return hash_combine(h, a->len);
}

static uint64_t sum_type(uint64_t h, const struct ir_type *t)
{
	uint32_t i;

	h = hash_combine(h, t->kind | (uint64_t)t->fwd_kind << 8 |
			 (uint64_t)t->unspec << 16 | (uint64_t)t->int_offset << 24 |
			 (uint64_t)t->int_bits << 32 | (uint64_t)t->flags << 48);
	h = hash_combine(h, t->vlen | (uint64_t)t->align << 32);
	h = hash_combine(h, t->type);
	h = hash_combine(h, t->size);
	h = hash_combine(h, t->orig_off);
	h = mix_str(h, t->name);
	h = mix_annots(h, &t->annots);
	for (i = 0; i < t->vlen; i++) {
		switch (t->kind) {
		case IR_KIND_STRUCT:
		case IR_KIND_UNION:
			h = mix_str(h, t->members[i].name);
			h = hash_combine(h, t->members[i].type);
			h = hash_combine(h, t->members[i].bit_offset);
			h = hash_combine(h, t->members[i].bitfield_size |
					 (uint64_t)t->members[i].align << 32);
			h = hash_combine(h, t->members[i].orig_off);
			h = mix_annots(h, &t->members[i].annots);
			break;
		case IR_KIND_ENUM:
			h = mix_str(h, t->enumerators[i].name);
			h = hash_combine(h, t->enumerators[i].value);
			break;
		case IR_KIND_FUNC_PROTO:
			h = mix_str(h, t->params[i].name);
			h = hash_combine(h, t->params[i].type);
			h = hash_combine(h, t->params[i].loc | (uint64_t)t->params[i].missing << 8 |
					 (uint64_t)t->params[i].reg << 16);
			h = mix_annots(h, &t->params[i].annots);
			break;
		case IR_KIND_ARRAY:
			h = hash_combine(h, t->dims[i].count);
			h = hash_combine(h, t->dims[i].flexible);
			break;
		default:
			break;
		}
	}
	return h;
}

static int bench_cu(struct ir_cu *cu, void *arg)
{
	struct bench *b = arg;
	uint64_t h = b->sum;
	size_t i;

	if (!b->checksum) {
		b->nr_cus++;
		ir_cu__free(cu);
		return 0;
	}
	ir_cu__ensure_packed(cu);	/* (-l) */
	h = mix_str(h, cu->name);
	h = mix_str(h, cu->producer);
	h = hash_combine(h, cu->lang | (uint64_t)cu->lang_code << 8 |
			 (uint64_t)cu->addr_size << 24 | (uint64_t)cu->version << 32);
	h = hash_combine(h, cu->index);
	for (i = 1; i < cu->types.len; i++)
		h = sum_type(h, &cu->types.v[i]);
	for (i = 0; i < cu->funcs.len; i++) {
		const struct ir_func *f = &cu->funcs.v[i];

		h = mix_str(h, f->name);
		h = mix_str(h, f->linkage_name);
		h = mix_str(h, f->section);
		h = hash_combine(h, f->proto | (uint64_t)f->flags << 32);
		h = hash_combine(h, f->low_pc);
		h = hash_combine(h, f->high_pc);
		h = hash_combine(h, f->section_offset);
		h = hash_combine(h, f->orig_off);
		h = mix_annots(h, &f->annots);
	}
	for (i = 0; i < cu->vars.len; i++) {
		const struct ir_var *v = &cu->vars.v[i];

		h = mix_str(h, v->name);
		h = mix_str(h, v->linkage_name);
		h = mix_str(h, v->section);
		h = hash_combine(h, v->type | (uint64_t)v->flags << 32);
		h = hash_combine(h, v->addr);
		h = hash_combine(h, v->section_offset);
		h = hash_combine(h, v->orig_off);
		h = mix_annots(h, &v->annots);
	}
	b->sum = h;
	b->nr_cus++;
	ir_cu__free(cu);
	return 0;
}

static void bench_diag(void *ctx, enum diag_level level, const char *msg)
{
	fprintf(stderr, "%s%s\n", level == DIAG_ERROR ? "error: " : "", msg);
}

int main(int argc, char **argv)
{
	struct diag diag = { .sink = bench_diag, .max_level = DIAG_WARN };
	struct dwl_opts opts = { .diag = &diag };
	struct dwl_stats st;
	struct bench b = { 0 };
	const char *file = NULL;
	int i, err;

#ifdef __GLIBC__
	/* As btfenc's main() does, so that the peak RSS compares. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0)
			b.checksum = true;
		else if (strcmp(argv[i], "-s") == 0)
			opts.libdw_only = true;
		else if (strcmp(argv[i], "-b") == 0)
			opts.borrow_names = true;	/* bench_cu() frees each CU */
		else if (strcmp(argv[i], "-l") == 0)
			opts.lazy_packed = true;
		else if (strncmp(argv[i], "-j", 2) == 0)
			opts.jobs = (unsigned int)atoi(argv[i] + 2);
		else if (!file)
			file = argv[i];
		else
			file = NULL, i = argc;
	}
	if (!file) {
		fprintf(stderr, "usage: dwarf_load_bench [-c] [-s] [-b] [-jN] FILE\n");
		return 2;
	}
	err = dwl_load_file(file, &opts, bench_cu, &b, &st);
	if (err) {
		fprintf(stderr, "dwarf_load_bench: %s: %s\n", file, strerror(-err));
		return 1;
	}
	printf("%llu units, %llu DIEs, %llu types, %llu functions, %llu variables, "
	       "%llu skipped",
	       (unsigned long long)b.nr_cus, (unsigned long long)st.nr_dies,
	       (unsigned long long)st.nr_types, (unsigned long long)st.nr_funcs,
	       (unsigned long long)st.nr_vars, (unsigned long long)st.nr_skipped);
	if (b.checksum)
		printf("; model checksum %016llx", (unsigned long long)b.sum);
	printf("\n");
	return 0;
}
