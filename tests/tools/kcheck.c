// SPDX-License-Identifier: GPL-2.0-only
#include "kcheck.h"

#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int kcheck_load(const void *data, size_t len, char *log, size_t log_len)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (unsigned long)data;
	attr.btf_size = (unsigned)len;
	if (log && log_len) {
		log[0] = '\0';
		attr.btf_log_buf = (unsigned long)log;
		attr.btf_log_size = (unsigned)log_len;
		attr.btf_log_level = 1;
	}
	return (int)syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
}

int kcheck_btf(const void *data, size_t len, char *log, size_t log_len)
{
	/* First without a log (a big BTF could overflow any log buffer),
	 * then once more with one, to say why it was rejected. */
	int fd = kcheck_load(data, len, NULL, 0);

	if (fd < 0 && errno == EINVAL && log)
		fd = kcheck_load(data, len, log, log_len);
	if (fd >= 0) {
		close(fd);
		return KCHECK_ACCEPTED;
	}
	if (errno == EPERM || errno == ENOSYS || errno == EACCES)
		return KCHECK_UNAVAILABLE;
	return KCHECK_REJECTED;
}
