/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_encoder: turn model units (struct ir_cu) into BTF.
 *
 * A struct btfe_encoder collects the BTF of every unit added to it into one
 * struct bfmt_btf, in unit order. Types are converted unit by unit through an
 * explicit ir_id -> BTF id map (no id arithmetic); functions and variables
 * are gathered across units and decided at btfe_encoder__finish(), because
 * pahole's rules (consistent prototypes, one address per name, strong over
 * weak) need to see every unit first.
 *
 * Owns:       the BTF being built and the per-function/variable records;
 *             nothing of the units added (they may be freed right after
 *             btfe_encoder__add_cu() returns).
 * Borrows:    the options, their diag sink and the optional base BTF, for
 *             the encoder's lifetime.
 * Threads:    one encoder is used by one thread.
 * Errors:     0 or negative errno; a failure leaves the encoder unusable
 *             except for btfe_encoder__free(). Types BTF cannot express get
 *             the fallbacks documented at btfe_types.c, never an error.
 * Output:     deterministic: the same units in the same order give the same
 *             bytes.
 */
#ifndef BTFENC_BTF_ENCODER_H
#define BTFENC_BTF_ENCODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/btf_format/btf_types.h"
#include "src/ir/ir.h"
#include "src/util/diag.h"

/* --btf_features names, as pahole spells them. */
enum btfe_feature {
	BTFE_F_ENCODE_FORCE = 1u << 0,	/* skip bad symbols instead of failing */
	BTFE_F_VAR = 1u << 1,		/* per-CPU variables (VAR + DATASEC) */
	BTFE_F_FLOAT = 1u << 2,		/* FLOAT kind; else floats become INT */
	BTFE_F_DECL_TAG = 1u << 3,	/* DECL_TAG kind */
	BTFE_F_TYPE_TAG = 1u << 4,	/* TYPE_TAG kind */
	BTFE_F_ENUM64 = 1u << 5,	/* ENUM64 kind; else 32-bit ENUM */
	BTFE_F_OPTIMIZED_FUNC = 1u << 6,	/* leave out optimized-ABI functions */
	BTFE_F_CONSISTENT_FUNC = 1u << 7,	/* leave out functions whose prototypes differ */
	BTFE_F_DECL_TAG_KFUNCS = 1u << 8,	/* bpf_kfunc decl tags from .BTF_ids */
	BTFE_F_REPRODUCIBLE_BUILD = 1u << 9,	/* accepted; output is always reproducible */
	BTFE_F_DISTILLED_BASE = 1u << 10,	/* .BTF.base for split BTF */
	BTFE_F_GLOBAL_VAR = 1u << 11,	/* variables of every data section */
	BTFE_F_ATTRIBUTES = 1u << 12,	/* attribute-style tags (kind_flag decl/type tags) */
	BTFE_F_LAYOUT = 1u << 13,	/* kind layout header section */
};

#define BTFE_FEATURES_DEFAULT                                                 \
	(BTFE_F_ENCODE_FORCE | BTFE_F_VAR | BTFE_F_FLOAT | BTFE_F_DECL_TAG |   \
	 BTFE_F_TYPE_TAG | BTFE_F_ENUM64 | BTFE_F_OPTIMIZED_FUNC |             \
	 BTFE_F_CONSISTENT_FUNC | BTFE_F_DECL_TAG_KFUNCS)

struct btfe_feature_name {
	const char *name;
	uint32_t bit;
	bool in_default;
};

/* Every feature pahole knows, in pahole's order; NULL-terminated. */
extern const struct btfe_feature_name btfe_feature_names[];

/*
 * Parse a --btf_features list into *mask_ret ("default" names the default
 * set). Unknown names are ignored unless strict, then -EINVAL and
 * *bad_ret (if non-NULL) points at the offending word inside list.
 */
int btfe_parse_features(const char *list, bool strict, uint32_t *mask_ret,
			const char **bad_ret, size_t *bad_len_ret);

struct btfe_elf;

struct btfe_opts {
	const struct diag *diag;	/* may be NULL */
	uint32_t features;		/* enum btfe_feature bits */
	const struct bfmt_btf *base;	/* split BTF against this base, or NULL */
	/* The input file's symbols and sections (btf_encoder/btfe_elf.h),
	 * borrowed for the encoder's lifetime. NULL: which functions and
	 * variables exist cannot be decided, so none are encoded (and
	 * btfe_encoder__finish() says so at DIAG_WARN). */
	const struct btfe_elf *elf;
	/* Drop each unit's types that equal earlier units' as the unit is
	 * added (btfe_merge.c), instead of keeping every copy until
	 * btfe_encoder__dedup(): the same result after dedup, in a fraction
	 * of the memory and time. Without dedup, ids differ. */
	bool merge_units;
	/* Threads btfe_encoder__dedup() may use (0, 1: the caller only; the
	 * bytes are the same for any number). */
	unsigned jobs;
};

/*
 * Why a function or variable got no BTF. The vocabulary is fixed: the CLI
 * prints btfe_skip_reason_str() and --explain files use it as a key.
 */
enum btfe_skip_reason {
	BTFE_SKIP_NO_SYMBOL,		/* no ELF symbol (or no section symbol) */
	BTFE_SKIP_INLINED,		/* inlined everywhere: no out-of-line copy */
	BTFE_SKIP_DECLARATION,		/* declaration only, defined elsewhere */
	BTFE_SKIP_UNNAMED_PARAM,	/* a parameter has no name */
	BTFE_SKIP_PROTO_MISMATCH,	/* prototypes differ between units */
	BTFE_SKIP_OPTIMIZED,		/* optimized-out parameter with changed
					 * calling convention */
	BTFE_SKIP_UNEXPECTED_REG,	/* a parameter in an unexpected register */
	BTFE_SKIP_UNCERTAIN_SLOT,	/* a parameter in an uncertain stack slot */
	BTFE_SKIP_AMBIGUOUS_ADDR,	/* one name, several addresses */
	BTFE_SKIP_EXCLUDED_NAME,	/* name matches an excluded pattern (or is
					 * not a valid BTF name) */
	BTFE_SKIP_SECTION,		/* its section is not encoded */
	BTFE_SKIP_LANGUAGE,		/* its unit's language is excluded (the
					 * CLI records these; the encoder never
					 * sees such units) */
	BTFE_SKIP_OVERLAP,		/* variable overlaps an earlier one */
	BTFE_SKIP_NO_SIZE,		/* variable: void, zero-sized, too large
					 * or beyond 4 GiB into its section;
					 * function: a parameter of void or
					 * sizeless type */
	BTFE_SKIP_NR,
};

enum btfe_skip_kind {
	BTFE_SKIP_FUNC,
	BTFE_SKIP_VAR,
};

struct btfe_skip {
	uint8_t kind;		/* enum btfe_skip_kind */
	uint8_t reason;		/* enum btfe_skip_reason */
	const char *name;	/* function or variable name */
	const char *detail;	/* e.g. "'int (int)' vs 'long (int)'", or "" */
	uint64_t addr;		/* address (or section offset) if known, else 0 */
};

/* "prototypes differ between units", ...; "?" for unknown values. */
const char *btfe_skip_reason_str(enum btfe_skip_reason r);

struct btfe_encoder;

int btfe_encoder__new(const struct btfe_opts *opts, struct btfe_encoder **ret);
void btfe_encoder__free(struct btfe_encoder *enc);	/* accepts NULL */

/* Convert one unit's types (and record its functions and variables). The
 * names of units that borrow them (ir_cu.names_borrowed) must stay valid
 * and unchanged as long as units are added to this encoder (one producer
 * session, such as one dwl_load_file() call, for all of them): the encoder
 * keys a cache by their addresses and trusts it when adding such units;
 * btfe_encoder__finish() and later do not. */
int btfe_encoder__add_cu(struct btfe_encoder *enc, const struct ir_cu *cu);

/*
 * Decide the functions and variables recorded by every btfe_encoder__add_cu()
 * and append their BTF: FUNC_PROTO + FUNC (+ DECL_TAGs) sorted by name then
 * address, then VARs and one DATASEC per section with variables. Call once,
 * after the last unit; afterwards only btfe_encoder__btf() and
 * btfe_encoder__skipped() are allowed (-EINVAL otherwise). Each skipped
 * function or variable is also reported at DIAG_INFO ("skipping function
 * foo: <reason>: <detail>"), except variables of sections not encoded
 * (DIAG_DEBUG: there are many).
 */
int btfe_encoder__finish(struct btfe_encoder *enc);

/*
 * btfe_encoder__finish() for a caller that deduplicates next: the same
 * decisions, and after btfe_encoder__dedup() the same bytes as finish then
 * dedup, but the functions' and variables' types are added after the data
 * types are deduplicated (fewer types to refine, a smaller table to fold
 * them against) and, with opts.jobs > 1, the deciding runs on a thread of
 * its own while dedup runs. Only btfe_encoder__dedup() or
 * btfe_encoder__free() may follow. With a base or without merge_units it
 * is btfe_encoder__finish(). Skips are reported when dedup ends.
 */
int btfe_encoder__decide(struct btfe_encoder *enc);

/*
 * What btfe_encoder__finish() left out and why, sorted by kind, name and
 * address; owned by the encoder (valid until btfe_encoder__free()).
 */
void btfe_encoder__skipped(struct btfe_encoder *enc,
			   const struct btfe_skip **ret, size_t *n_ret);
/* How many: btfe_encoder__skipped()'s count, without sorting. */
size_t btfe_encoder__nr_skipped(const struct btfe_encoder *enc);

/*
 * Deduplicate the BTF built so far (btf_dedup.h): call after
 * btfe_encoder__finish() or btfe_encoder__decide() (then the decided
 * functions and variables are added here). With a base, types equal to
 * base types take the base ids.
 */
int btfe_encoder__dedup(struct btfe_encoder *enc);

/*
 * Hand the BTF built so far to the caller (who frees it with
 * bfmt_btf__free()); the encoder is left with nothing to encode into and
 * only btfe_encoder__skipped() and btfe_encoder__free() remain valid.
 */
struct bfmt_btf *btfe_encoder__take_btf(struct btfe_encoder *enc);

/*
 * The BTF built so far; owned by the encoder. Valid until the next call
 * on the encoder.
 */
const struct bfmt_btf *btfe_encoder__btf(const struct btfe_encoder *enc);

#endif
