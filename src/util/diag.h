/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diag: how library code reports context to whoever runs it.
 *
 * The library never writes to stdout or stderr. Every module that can say
 * something (why a file failed, what was skipped) calls diag_report() with a
 * struct diag that its caller supplied; the CLI installs a sink that prints,
 * tests install one that captures. A NULL struct diag or a NULL sink drops
 * the message.
 *
 * Owns:    nothing. Borrows: the sink and its context.
 * Threads: the sink is called from the thread that reports; a sink shared by
 *          threads must lock itself.
 */
#ifndef BTFENC_UTIL_DIAG_H
#define BTFENC_UTIL_DIAG_H

enum diag_level {
	DIAG_ERROR,	/* the operation failed; this says where and why */
	DIAG_WARN,	/* something was dropped or degraded */
	DIAG_INFO,	/* verbose (-V): what was skipped and why */
	DIAG_DEBUG,
};

typedef void (*diag_sink_fn)(void *ctx, enum diag_level level, const char *msg);

struct diag {
	diag_sink_fn sink;
	void *ctx;
	enum diag_level max_level;	/* messages above this are dropped */
};

__attribute__((format(printf, 3, 4)))
void diag_report(const struct diag *d, enum diag_level level, const char *fmt, ...);

#endif
