// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_parallel: decode the units of a file on N threads (N - 1 when the
 * caller is busy encoding, see dwl_opts.busy_caller), deliver them in file
 * order on the calling thread.
 *
 * Why one libdwfl session per thread. libdw is not safe for concurrent use
 * of one Dwarf handle as Debian builds elfutils 0.188: --enable-thread-safety
 * is EXPERIMENTAL and off (libelf imports no pthread symbol at all; libdw
 * locks only its memory allocator, libdw_alloc.c), while plain reads mutate
 * the handle: abbreviation tables are parsed lazily into a per-CU hash, the
 * CU search tree is grown with tsearch() by __libdw_findcu(), the sig8
 * table, split-unit lookups and dwarf_getlocation*()'s cache likewise. So
 * every worker thread has its OWN struct dwl_file: its own Dwfl, Dwarf,
 * Elf, dwz alt file and COMDAT type-unit image (dwl_tunits.c), opened on
 * the same path. Nothing of libdw is shared between threads; the file's
 * pages are (mmap, shared by the kernel page cache), but an ET_REL file is
 * relocated by libdwfl per session, into private copies of its .debug_*
 * sections, and the type-unit image is built per session: with N threads a
 * relocatable object costs up to N times its debug sections in memory. That
 * is the price of not locking every libdw call. Worker 0 borrows the
 * session the calling thread opened (and used to check the unit headers);
 * workers 1..N-1 open theirs on their own thread, in parallel. With
 * dwl_opts.busy_caller (and a file that is not ET_REL, whose sessions
 * each relocate a copy) the calling thread keeps its session: whenever the
 * unit it must deliver next is not ready, it claims the next unit that has
 * room (never waiting for room: it alone makes room) and decodes it itself,
 * like a worker (dwl_take()); every worker then opens its own session. A worker
 * whose session cannot be opened (ENOMEM, EMFILE) takes no unit: the others
 * do its share, and the result is the same.
 *
 * Work distribution. The calling thread has listed the unit offsets
 * (dwl_units.c, after checking every unit header). Units vary a lot in size,
 * so scheduling is dynamic: a worker claims the next unit index from an
 * atomic counter, decodes it with its private struct dwl_unit into a private
 * struct ir_cu (its own arena), and files the result in slot index % W of a
 * reorder window of W = 2N + 2 slots for N workers (mutex + two condition
 * variables). The
 * calling thread takes slot after slot in index order, waiting for the next
 * one to be filled, and hands each CU to the callback: encoding, dedup and
 * output see exactly the serial sequence, so they are byte-identical for
 * every N. A worker that claimed index i waits until i < consumed + W, so at
 * most W decoded CUs wait for the callback (memory stays bounded) and a slot
 * is never reused before it was taken. No deadlock: the unit the consumer
 * waits for has index consumed < consumed + W, so whoever claimed it never
 * waits for room; and indices are claimed in increasing order, so it has
 * been claimed or will be by the next free worker.
 *
 * Messages and statistics. A worker never calls the caller's diag sink: its
 * session's dwl_opts carry a capturing sink that records the unit's lines
 * (same level filter) in its slot, and the calling thread replays them when
 * it takes the slot. Warnings therefore come out in file order, as in the
 * serial path, and the sink needs no lock. Each slot also carries the
 * unit's counters and skipped-tag counts, added into the caller's struct
 * dwl_stats in index order (dwl_stats_finish() sorts the tag table).
 *
 * Errors: the first one in file order wins. A failing worker files its
 * error (and its message) in the slot and sets the abort flag: no worker
 * claims another unit, and workers still waiting for room give up their
 * unit, which always lies above the failing index (it had room). A claimed
 * unit that has room is always decoded, abort or not: every unit below the
 * failing one was claimed before it and is completed, so the calling thread
 * delivers exactly the CUs the serial path would, then reports the error of
 * the lowest failing unit: the same message for every N and every run. A callback error stops
 * the delivery the same way (it is returned, not reported). In both cases
 * the calling thread sets abort, wakes and joins every worker, and frees the
 * CUs left in the window: nothing leaks.
 *
 * Everything lives in struct dwl_ctx on the caller's stack; no global state.
 */
#include "dwl_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "src/util/vec.h"

/* Diag lines of one unit: records of one level byte, the text and a NUL. */
struct dwl_msgs {
	char *v;
	size_t len, cap;
};

struct dwl_tag_count {
	uint32_t tag;
	uint64_t count;
};

/* One decoded unit waiting for the calling thread. */
struct dwl_slot {
	bool done;			/* filled by a worker, not taken yet */
	bool indexed;			/* takes an ir_cu.index (dwl_unit_decode) */
	bool reported;			/* msgs hold the unit's DIAG_ERROR */
	int err;			/* 0 or the unit's error */
	struct ir_cu *cu;		/* owned; NULL when no CU or on error */
	struct dwl_stats stats;		/* the unit's counters (no tag table) */
	struct { struct dwl_tag_count *v; size_t len, cap; } skipped;
	struct dwl_msgs msgs;
};

struct dwl_ctx;

struct dwl_worker {
	struct dwl_ctx *ctx;
	pthread_t thread;
	bool started;			/* thread created, to be joined */
	bool borrowed;			/* f's session is the caller's */
	struct dwl_file f;		/* this thread's session */
	struct dwl_opts opts;		/* the caller's, with diag = &capture */
	struct diag capture;		/* records into msgs */
	struct dwl_stats stats;		/* f.stats: counters of the current unit */
	struct dwl_msgs msgs;		/* lines of the current unit */
};

struct dwl_ctx {
	struct dwl_file *main;		/* the caller's session and stats */
	const Dwarf_Off *offs;		/* unit offsets, file order */
	size_t nr_units;
	size_t window;			/* W: number of slots */
	struct dwl_slot *slots;		/* unit i lives in slots[i % W] */
	struct dwl_worker *workers;
	unsigned int nr_workers;
	atomic_size_t next;		/* next unit index to claim */
	atomic_bool abort;		/* stop claiming; set under lock */
	pthread_mutex_t lock;		/* guards slots, consumed, waits */
	pthread_cond_t ready;		/* a slot was filled */
	pthread_cond_t room;		/* consumed advanced, or abort */
	size_t consumed;		/* units taken by the calling thread */
	/* With dwl_opts.busy_caller: the calling thread decodes too, through
	 * its own session, whenever the unit it waits for is not ready. */
	struct dwl_worker *self;
	struct dwl_unit *self_unit;
};

/* The capturing sink of a worker session (runs on that worker's thread). */
static void dwl_capture(void *arg, enum diag_level level, const char *msg)
{
	struct dwl_worker *w = arg;
	size_t n = strlen(msg) + 2;

	/* Out of memory loses the line, not the result. */
	if (vec_reserve(&w->msgs, w->msgs.len + n))
		return;
	w->msgs.v[w->msgs.len] = (char)level;
	memcpy(w->msgs.v + w->msgs.len + 1, msg, n - 1);
	w->msgs.len += n;
}

/* Replay a slot's lines to the caller's sink (calling thread). */
static void dwl_replay(struct dwl_file *f, const struct dwl_msgs *m)
{
	size_t at = 0;

	while (at < m->len) {
		enum diag_level level = (enum diag_level)m->v[at];
		const char *text = m->v + at + 1;

		diag_report(f->opts->diag, level, "%s", text);
		if (level == DIAG_ERROR)
			f->reported = true;
		at += strlen(text) + 2;
	}
}

static void dwl_slot_clear(struct dwl_slot *s)
{
	ir_cu__free(s->cu);
	vec_free(&s->skipped);
	vec_free(&s->msgs);
	memset(s, 0, sizeof(*s));
}

/* Move the worker's per-unit counters and skipped tags into s. */
static int dwl_worker_stats(struct dwl_worker *w, struct dwl_slot *s)
{
	const struct hmap *m = &w->f.skipped;
	size_t i;

	s->stats = w->stats;
	for (i = 0; i < m->cap; i++) {
		if (!m->used[i])
			continue;
		if (vec_push(&s->skipped))
			return -ENOMEM;
		vec_last(&s->skipped)->tag = (uint32_t)m->slots[i].key;
		vec_last(&s->skipped)->count = m->slots[i].val;
	}
	return 0;
}

/* Add a slot's counters to the caller's (calling thread, index order). */
static void dwl_merge_stats(struct dwl_file *f, const struct dwl_slot *s)
{
	struct dwl_stats *st = f->stats;
	size_t i;

	st->nr_units += s->stats.nr_units;
	st->nr_units_excluded += s->stats.nr_units_excluded;
	st->nr_dies += s->stats.nr_dies;
	st->nr_types += s->stats.nr_types;
	st->nr_funcs += s->stats.nr_funcs;
	st->nr_vars += s->stats.nr_vars;
	st->nr_skipped += s->stats.nr_skipped;
	for (i = 0; i < s->skipped.len; i++) {
		uint64_t n = 0;

		hmap_get(&f->skipped, s->skipped.v[i].tag, &n);
		/* Out of memory only loses a statistic. */
		(void)hmap_set(&f->skipped, s->skipped.v[i].tag, n + s->skipped.v[i].count);
	}
}

/* Decode unit i into *s with the worker's session (outside the lock). */
static void dwl_worker_unit(struct dwl_worker *w, struct dwl_unit *u, size_t i,
			    struct dwl_slot *s)
{
	memset(&w->stats, 0, sizeof(w->stats));
	hmap_clear(&w->f.skipped);
	w->f.reported = false;
	w->msgs.len = 0;
	s->err = dwl_unit_decode(u, w->ctx->offs[i], &s->cu, &s->indexed);
	if (!s->err)
		s->err = dwl_worker_stats(w, s);
	else
		(void)dwl_worker_stats(w, s);	/* counters up to the error */
	if (s->err) {
		ir_cu__free(s->cu);
		s->cu = NULL;
	}
	s->reported = w->f.reported;
	s->msgs = w->msgs;		/* the slot takes the buffer */
	memset(&w->msgs, 0, sizeof(w->msgs));
}

/*
 * Claim the next unit and wait for room for it; false: stop. A claimed unit
 * that has room is decoded even after an abort: it may lie below the failing
 * unit, and the calling thread will wait for it. Only a unit still without
 * room is given up; it lies above every unit that failed, since those had
 * room and consumed never goes back.
 */
static bool dwl_claim(struct dwl_ctx *c, size_t *ret)
{
	size_t i;
	bool go;

	if (atomic_load(&c->abort))
		return false;
	i = atomic_fetch_add(&c->next, 1);
	if (i >= c->nr_units)
		return false;
	pthread_mutex_lock(&c->lock);
	while (!atomic_load(&c->abort) && i >= c->consumed + c->window)
		pthread_cond_wait(&c->room, &c->lock);
	go = i < c->consumed + c->window;
	pthread_mutex_unlock(&c->lock);
	*ret = i;
	return go;
}

static void dwl_file_slot(struct dwl_ctx *c, size_t i, struct dwl_slot *s)
{
	pthread_mutex_lock(&c->lock);
	c->slots[i % c->window] = *s;
	c->slots[i % c->window].done = true;
	if (s->err) {
		atomic_store(&c->abort, true);
		pthread_cond_broadcast(&c->room);
	}
	pthread_cond_signal(&c->ready);
	pthread_mutex_unlock(&c->lock);
}

/* A worker session of its own (workers 1..N-1, on their thread). */
static int dwl_worker_open(struct dwl_worker *w)
{
	struct dwl_file *f = &w->f;

	/* Silent: the caller's session opened fine, this one only speeds up. */
	w->opts.diag = NULL;
	f->opts = &w->opts;
	f->stats = &w->stats;
	return dwl_file_open(f, w->ctx->main->path);
}

static void *dwl_worker_main(void *arg)
{
	struct dwl_worker *w = arg;
	struct dwl_ctx *c = w->ctx;
	struct dwl_unit *u = NULL;
	size_t i;

	if (!w->borrowed && dwl_worker_open(w))
		return NULL;
	w->opts.diag = c->main->opts->diag ? &w->capture : NULL;
	u = dwl_unit_new(&w->f);
	while (u && dwl_claim(c, &i)) {
		struct dwl_slot s = { 0 };

		dwl_worker_unit(w, u, i, &s);
		dwl_file_slot(c, i, &s);
	}
	dwl_unit_free(u);
	return NULL;
}

static bool dwl_is_rel(struct dwl_file *f)
{
	GElf_Ehdr eh;

	return f->elf && gelf_getehdr(f->elf, &eh) && eh.e_type == ET_REL;
}

/* Is there an unclaimed unit with room (calling thread, under lock)? */
static bool dwl_claim_possible(struct dwl_ctx *c)
{
	size_t i = atomic_load(&c->next);

	return !atomic_load(&c->abort) && i < c->nr_units && i < c->consumed + c->window;
}

/* The next unit, if it has room now (calling thread: it alone moves
 * consumed, so it must never wait for room). */
static bool dwl_claim_now(struct dwl_ctx *c, size_t *ret)
{
	size_t i = atomic_load(&c->next);

	while (!atomic_load(&c->abort) && i < c->nr_units && i < c->consumed + c->window)
		if (atomic_compare_exchange_weak(&c->next, &i, i + 1)) {
			*ret = i;
			return true;
		}
	return false;
}

/* Take unit i's slot (waiting for it) into *s; calling thread. While it
 * is not ready, the calling thread decodes the next unclaimed one itself
 * (c->self), if any has room. */
static void dwl_take(struct dwl_ctx *c, size_t i, struct dwl_slot *s)
{
	struct dwl_slot *slot = &c->slots[i % c->window];

	pthread_mutex_lock(&c->lock);
	while (!slot->done) {
		size_t j;

		if (c->self_unit) {
			pthread_mutex_unlock(&c->lock);
			if (dwl_claim_now(c, &j)) {
				struct dwl_slot mine = { 0 };

				dwl_worker_unit(c->self, c->self_unit, j, &mine);
				dwl_file_slot(c, j, &mine);
			}
			pthread_mutex_lock(&c->lock);
			if (slot->done || dwl_claim_possible(c))
				continue;
		}
		pthread_cond_wait(&c->ready, &c->lock);
	}
	*s = *slot;
	memset(slot, 0, sizeof(*slot));
	c->consumed = i + 1;
	pthread_cond_broadcast(&c->room);
	pthread_mutex_unlock(&c->lock);
}

/* Deliver every unit in order; returns the first error. */
static int dwl_deliver(struct dwl_ctx *c, dwl_cu_fn fn, void *arg, bool *cb_failed)
{
	uint32_t index = 0;
	size_t i;
	int err = 0;

	for (i = 0; !err && i < c->nr_units; i++) {
		struct dwl_slot s;

		dwl_take(c, i, &s);
		dwl_replay(c->main, &s.msgs);
		dwl_merge_stats(c->main, &s);
		err = s.err;
		if (!err && s.indexed && s.cu)
			s.cu->index = index;
		if (!err && s.indexed)
			index++;
		if (!err && s.cu) {
			struct ir_cu *cu = s.cu;

			s.cu = NULL;
			err = fn(cu, arg);
			*cb_failed = err != 0;
		}
		if (!err && c->main->opts->progress)
			c->main->opts->progress(c->main->opts->progress_ctx, i + 1,
						c->nr_units);
		dwl_slot_clear(&s);
	}
	return err;
}

static void dwl_stop_workers(struct dwl_ctx *c)
{
	unsigned int k;

	pthread_mutex_lock(&c->lock);
	atomic_store(&c->abort, true);
	pthread_cond_broadcast(&c->room);
	pthread_mutex_unlock(&c->lock);
	for (k = 0; k < c->nr_workers; k++)
		if (c->workers[k].started)
			pthread_join(c->workers[k].thread, NULL);
}

static void dwl_worker_init(struct dwl_ctx *c, struct dwl_worker *w, bool borrow)
{
	w->ctx = c;
	w->opts = *c->main->opts;
	w->capture = (struct diag){ .sink = dwl_capture, .ctx = w };
	if (c->main->opts->diag)
		w->capture.max_level = c->main->opts->diag->max_level;
	if (!borrow)
		return;
	/* Worker 0 reads through the caller's handles; the caller does not
	 * touch them until the worker is joined. */
	w->borrowed = true;
	w->f = *c->main;
	w->f.opts = &w->opts;
	w->f.stats = &w->stats;
	w->f.reported = false;
	hmap_init(&w->f.skipped);
}

static void dwl_worker_deinit(struct dwl_worker *w)
{
	if (w->borrowed)
		hmap_deinit(&w->f.skipped);
	else
		dwl_file_close(&w->f);
	vec_free(&w->msgs);
}

/* Start the workers; at least worker 0 must run, or nothing does (unless
 * the calling thread decodes too: then it borrows its session itself). */
static int dwl_start_workers(struct dwl_ctx *c)
{
	unsigned int k;
	int err;

	for (k = 0; k < c->nr_workers; k++)
		dwl_worker_init(c, &c->workers[k], k == 0 && !c->self);
	if (c->self) {
		dwl_worker_init(c, c->self, true);
		c->self->opts.diag = c->main->opts->diag ? &c->self->capture : NULL;
		c->self_unit = dwl_unit_new(&c->self->f);
		if (!c->self_unit)
			return -ENOMEM;
	}
	for (k = 0; k < c->nr_workers; k++) {
		err = pthread_create(&c->workers[k].thread, NULL, dwl_worker_main,
				     &c->workers[k]);
		if (err && k == 0 && !c->self)
			return -err;
		c->workers[k].started = err == 0;	/* fewer workers is fine */
	}
	return 0;
}

int dwl_units_parallel(struct dwl_file *f, const Dwarf_Off *offs, size_t n,
		       dwl_cu_fn fn, void *arg, bool *cb_failed)
{
	struct dwl_ctx c = { .main = f, .offs = offs, .nr_units = n };
	unsigned int k;
	size_t i;
	int err;

	/* A caller that encodes as the units come needs a CPU of its own:
	 * with one more decoding thread than CPUs, the threads took turns
	 * (vmlinux at -j2 on 2 CPUs: 4.1 s with two workers, 3.8 s with one,
	 * and 40 MB less of a second libdw session). */
	c.nr_workers = f->opts->jobs;
	if (f->opts->busy_caller && c.nr_workers > 1)
		c.nr_workers--;
	/* ... and between callbacks, it decodes the units that are late,
	 * through its own session (vmlinux at -j2: the encoding thread
	 * waited 0.5 s of its 2 s for the one decoding worker). Not for a
	 * relocatable object: the worker's session of its own would be one
	 * more relocated copy of the debug sections (xfs.ko at -j2: 58 ->
	 * 97 MB, no faster). */
	if (f->opts->busy_caller && !dwl_is_rel(f))
		c.self = calloc(1, sizeof(*c.self));
	if (c.nr_workers > n)
		c.nr_workers = (unsigned int)n;
	c.window = 2 * (size_t)c.nr_workers + 2;
	c.slots = calloc(c.window, sizeof(*c.slots));
	c.workers = calloc(c.nr_workers, sizeof(*c.workers));
	atomic_init(&c.next, 0);
	atomic_init(&c.abort, false);
	if (!c.slots || !c.workers) {
		free(c.slots);
		free(c.workers);
		free(c.self);
		return -ENOMEM;
	}
	pthread_mutex_init(&c.lock, NULL);
	pthread_cond_init(&c.ready, NULL);
	pthread_cond_init(&c.room, NULL);
	err = dwl_start_workers(&c);
	if (!err)
		err = dwl_deliver(&c, fn, arg, cb_failed);
	dwl_stop_workers(&c);
	for (i = 0; i < c.window; i++)
		dwl_slot_clear(&c.slots[i]);
	for (k = 0; k < c.nr_workers; k++)
		dwl_worker_deinit(&c.workers[k]);
	if (c.self) {
		dwl_unit_free(c.self_unit);
		if (c.self->ctx)
			dwl_worker_deinit(c.self);
		free(c.self);
	}
	pthread_cond_destroy(&c.room);
	pthread_cond_destroy(&c.ready);
	pthread_mutex_destroy(&c.lock);
	free(c.slots);
	free(c.workers);
	return err;
}
