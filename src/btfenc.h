/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btfenc.h: the public C API of libbtfenc, and its only installed header
 * (#include <btfenc.h>; `pkg-config --cflags --libs btfenc`).
 *
 * What it offers: read DWARF (an ELF file's debug information) or BTF into
 * btfenc's type model, encode the model as BTF, deduplicate BTF, read BTF
 * back, write BTF as a raw file or into an ELF file's .BTF section, and
 * compare two BTF tables: what `btfenc -J` and `btfenc diff` do, as calls.
 *
 * Handles:   three opaque handles, struct btfenc_model (types, functions
 *            and variables by compilation unit), struct btfenc_btf (a BTF
 *            type table, possibly split on a base) and struct
 *            btfenc_changes (what differs between two tables). Each is
 *            created by one function and freed by its _free() function
 *            (which accepts NULL); nothing else frees them.
 * Owns:      a handle owns all its memory. Borrows: a base BTF passed to a
 *            call must outlive every BTF created on top of it; the options
 *            are only read during the call.
 * Errors:    every int-returning function returns 0 (or a value it
 *            documents) or a negative errno (-ENOENT, -EACCES...: from
 *            open(); -ENOEXEC: not an ELF or BTF file; -ENODATA: no DWARF,
 *            or no .BTF; -EIO: corrupt DWARF; -EINVAL: malformed BTF or a
 *            bad argument; -ENOMEM). Output pointers are written only on
 *            success. The library never prints and never exits: each
 *            failure is described once, as one line naming the file and
 *            (for corrupt input) the unit and DIE offset or the BTF type
 *            id, through opts->log at BTFENC_LOG_ERROR.
 * Threads:   no global state. Different handles may be used on different
 *            threads at once; one handle by one thread at a time. With
 *            opts->jobs > 1, DWARF is decoded, and parts of dedup run, on
 *            that many threads, and the log and progress callbacks are
 *            still called only on the calling thread.
 * Output:    deterministic: the same input and options give the same bytes,
 *            whatever opts->jobs, the working directory or the environment.
 * ABI:       the library's symbols are all btfenc_*; struct btfenc_opts
 *            carries its size (BTFENC_OPTS_INIT) so that fields can be added
 *            at its end without breaking programs built against this header.
 */
#ifndef BTFENC_H
#define BTFENC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Message levels of opts->log; a message is passed on when its level is at
 * most opts->log_level. */
enum btfenc_log_level {
	BTFENC_LOG_ERROR,	/* the call failed; this says where and why */
	BTFENC_LOG_WARN,	/* something was dropped or degraded */
	BTFENC_LOG_INFO,	/* what was skipped and why (btfenc -V) */
	BTFENC_LOG_DEBUG,	/* more (btfenc -VV) */
};

/* The phases a progress callback hears about, in the order they happen. */
enum btfenc_phase {
	BTFENC_PHASE_DECODE,	/* units of DWARF decoded and encoded: done/total */
	BTFENC_PHASE_FUNCS,	/* deciding functions and variables: 0/1, 1/1 */
	BTFENC_PHASE_DEDUP,	/* deduplication: 0/1, 1/1 */
	BTFENC_PHASE_WRITE,	/* writing the output: 0/1, 1/1 */
};

typedef void (*btfenc_log_fn)(void *ctx, enum btfenc_log_level level, const char *msg);
typedef void (*btfenc_progress_fn)(void *ctx, enum btfenc_phase phase,
				   uint64_t done, uint64_t total);

/*
 * Options of every call that takes them; NULL means all defaults. Start
 * from BTFENC_OPTS_INIT (or set sz to sizeof(struct btfenc_opts) and zero
 * the rest): a call fails with -EINVAL when sz is 0 or larger than the
 * library knows.
 */
struct btfenc_opts {
	size_t sz;			/* sizeof(struct btfenc_opts) */
	btfenc_log_fn log;		/* NULL: messages are dropped */
	void *log_ctx;
	enum btfenc_log_level log_level;	/* default BTFENC_LOG_ERROR */
	btfenc_progress_fn progress;	/* NULL: none */
	void *progress_ctx;
	unsigned int jobs;		/* DWARF decoding threads, and threads
					 * for dedup's parallel steps; 0 or 1:
					 * the calling thread only */
	const char *features;		/* pahole's --btf_features list, e.g.
					 * "default,global_var"; NULL: pahole's
					 * behaviour without --btf_features
					 * (variables, decl and type tags,
					 * enum64) */
	int features_strict;		/* non-zero: an unknown feature name is
					 * -EINVAL (else it is ignored) */
	const char *lang_exclude;	/* units in these languages are left out
					 * ("rust,c++"; pahole's names); NULL:
					 * none */
	unsigned int diff_only;		/* btfenc_diff() compares only these
					 * categories (BTFENC_DIFF_* bits,
					 * btfenc diff --only); 0: all */
	const char *const *diff_names;	/* btfenc_diff() compares only things
					 * of these names (btfenc diff -C), a
					 * NULL-terminated array; NULL: all */
};

#define BTFENC_OPTS_INIT { .sz = sizeof(struct btfenc_opts) }

struct btfenc_model;
struct btfenc_btf;

/* The library's version, e.g. "0.1.0". */
const char *btfenc_version(void);

/* ---- The model ---------------------------------------------------- */

/*
 * Read the DWARF of the ELF file at path (executables, shared objects,
 * relocatable objects, vmlinux; compressed sections and gzip'd files) into
 * a model: one unit per compilation unit, in file order. The model also
 * keeps the file's symbols and sections, which btfenc_encode() needs to
 * decide which functions and variables get BTF. Progress: PHASE_DECODE.
 * The whole model stays in memory: for large inputs, btfenc_encode_file()
 * does the same work one unit at a time.
 */
int btfenc_model_load_dwarf(const char *path, const struct btfenc_opts *opts,
			    struct btfenc_model **ret);

/* The model of a BTF table: one unit holding every type, function and
 * variable of btf (and its base). btf is only read during the call. */
int btfenc_model_load_btf(const struct btfenc_btf *btf, const struct btfenc_opts *opts,
			  struct btfenc_model **ret);

size_t btfenc_model_nr_units(const struct btfenc_model *model);
/* Types over every unit (types repeated by several units count each time). */
size_t btfenc_model_nr_types(const struct btfenc_model *model);
void btfenc_model_free(struct btfenc_model *model);

/* ---- Encoding and deduplication ----------------------------------- */

/*
 * Encode model as BTF, following pahole's rules and opts->features,
 * split on base when base is not NULL; the result is NOT deduplicated
 * (btfenc_dedup()). Functions and variables are encoded only for a model
 * read from DWARF (they need the ELF symbols). Progress: PHASE_FUNCS.
 */
int btfenc_encode(const struct btfenc_model *model, const struct btfenc_btf *base,
		  const struct btfenc_opts *opts, struct btfenc_btf **ret);

/*
 * btfenc_model_load_dwarf() + btfenc_encode() + btfenc_dedup() in one
 * pass, holding one decoded unit at a time (per thread): what `btfenc -J`
 * does. Progress: PHASE_DECODE, PHASE_FUNCS, PHASE_DEDUP.
 */
int btfenc_encode_file(const char *path, const struct btfenc_btf *base,
		       const struct btfenc_opts *opts, struct btfenc_btf **ret);

/*
 * Deduplicate btf in place: equivalent types become one, forward
 * declarations resolve to their definitions, ids are compacted; with a
 * base, types equal to base types take the base's ids. The result is a
 * fixed point. On error btf is unchanged. Progress: PHASE_DEDUP.
 */
int btfenc_dedup(struct btfenc_btf *btf, const struct btfenc_opts *opts);

/* ---- BTF ---------------------------------------------------------- */

/*
 * Read BTF from path: raw BTF (either byte order), an ELF file's .BTF
 * (with its .BTF.base when present), /sys/kernel/btf/ files; split on base
 * when base is not NULL. Everything is validated as strictly as the
 * kernel does before the call returns.
 */
int btfenc_btf_load(const char *path, const struct btfenc_btf *base,
		    const struct btfenc_opts *opts, struct btfenc_btf **ret);
/* The same for raw BTF bytes in memory (only read during the call). */
int btfenc_btf_load_mem(const void *data, size_t len, const struct btfenc_btf *base,
			const struct btfenc_opts *opts, struct btfenc_btf **ret);
void btfenc_btf_free(struct btfenc_btf *btf);

/* One past the highest type id, base included (ids start at 1; 0 is void). */
uint32_t btfenc_btf_nr_types(const struct btfenc_btf *btf);
/* The lowest id of a type named name (base included): 0 and *id_ret, or
 * -ENOENT. */
int btfenc_btf_find(const struct btfenc_btf *btf, const char *name, uint32_t *id_ret);
/* The name of type id ("" when anonymous), or NULL for void and ids out of
 * range; valid while btf lives and is not deduplicated. */
const char *btfenc_btf_type_name(const struct btfenc_btf *btf, uint32_t id);
/* The kind of type id as BTF spells it ("STRUCT", "INT", ...), or NULL. */
const char *btfenc_btf_type_kind(const struct btfenc_btf *btf, uint32_t id);

/*
 * The bytes of btf as the .BTF of its source's byte order (little endian
 * for a model read from BTF in memory): header, types, strings; for split
 * BTF only the split part. *data_ret is the caller's, to free().
 */
int btfenc_btf_serialize(const struct btfenc_btf *btf, void **data_ret, size_t *len_ret);

/*
 * Write btf as the whole contents of the file at path (write_raw), or as
 * the .BTF section of the existing ELF file at path, replacing or adding
 * it (write_elf). Atomic: a temporary file in the same directory, fsync,
 * rename; on failure the target is unchanged. Progress: PHASE_WRITE.
 */
int btfenc_btf_write_raw(const struct btfenc_btf *btf, const char *path,
			 const struct btfenc_opts *opts);
int btfenc_btf_write_elf(const struct btfenc_btf *btf, const char *path,
			 const struct btfenc_opts *opts);

/* ---- Diff --------------------------------------------------------- */

/* The categories of things compared: the bits of opts->diff_only, and what
 * btfenc_changes_category() says. */
enum btfenc_diff_category {
	BTFENC_DIFF_TYPES = 1u << 0,	/* struct, union, enum, typedef, int, float */
	BTFENC_DIFF_FUNCS = 1u << 1,
	BTFENC_DIFF_VARS = 1u << 2,
};

/* What happened to the thing a change is about. */
enum btfenc_change_op {
	BTFENC_CHANGE_ADDED,
	BTFENC_CHANGE_REMOVED,
	BTFENC_CHANGE_CHANGED,
};

struct btfenc_changes;

/*
 * Compare old_btf and new_btf by meaning, not by type id or order, as
 * `btfenc diff` does: named things are matched by kind and name, a type
 * is described by its C spelling, a change inside struct foo is one change
 * of struct foo (not of every type that reaches it); with split BTF only
 * each table's own types are compared. opts->diff_only and
 * opts->diff_names narrow the comparison; a diff_only bit the library does
 * not know is -EINVAL. *ret lists the changes in a deterministic order
 * (types, funcs, vars; by name; whole-entity changes first, then members
 * by offset, enumerators and parameters in order); equal tables give an
 * empty list. Both tables are only read during the call.
 */
int btfenc_diff(const struct btfenc_btf *old_btf, const struct btfenc_btf *new_btf,
		const struct btfenc_opts *opts, struct btfenc_changes **ret);
/* The number of changes (0 for NULL). */
size_t btfenc_changes_count(const struct btfenc_changes *changes);

/*
 * Change i (0 <= i < count): its op (enum btfenc_change_op) and category
 * (one BTFENC_DIFF_* bit), or -EINVAL when i is out of range; the kind of
 * thing ("struct", "union", "enum", "typedef", "int", "float", "func",
 * "var") and its name ("" for the enumerators of anonymous enums), or NULL
 * when i is out of range. The strings live as long as changes.
 */
int btfenc_changes_op(const struct btfenc_changes *changes, size_t i);
int btfenc_changes_category(const struct btfenc_changes *changes, size_t i);
const char *btfenc_changes_entity(const struct btfenc_changes *changes, size_t i);
const char *btfenc_changes_name(const struct btfenc_changes *changes, size_t i);

/*
 * Change i as the line `btfenc diff` prints for it, without the newline
 * and colours ("+ struct foo: 16", "~ struct foo: size 16 -> 24"); a
 * member or enumerator change is indented by two spaces
 * ("  + member c: int @ offset 8", "  ~ X = 1 -> 2") and names its entity
 * only through btfenc_changes_entity()/_name(). NULL when i is out of
 * range; the string lives as long as changes.
 */
const char *btfenc_changes_line(const struct btfenc_changes *changes, size_t i);

/*
 * The whole report as `btfenc diff` prints it (text: the lines, with a
 * "~ struct foo" heading before indented lines that need one, then
 * "N added, N removed, N changed"), or as `btfenc diff --json` does (json:
 * {"old": old_name, "new": new_name, "changes": [...], "summary": {...}};
 * "old"/"new" left out when NULL; pretty non-zero: indented). Each ends in
 * a newline; *ret is the caller's, to free().
 */
int btfenc_changes_text(const struct btfenc_changes *changes, char **ret);
int btfenc_changes_json(const struct btfenc_changes *changes, const char *old_name,
			const char *new_name, int pretty, char **ret);
void btfenc_changes_free(struct btfenc_changes *changes);

#ifdef __cplusplus
}
#endif

#endif
