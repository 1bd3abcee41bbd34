// SPDX-License-Identifier: GPL-2.0-only
/* btfw_write_raw(): a blob as a whole file, via temporary file + rename. */
#include <errno.h>

#include "btf_writer.h"
#include "btfw_file.h"

int btfw_write_raw(const char *path, const void *data, size_t len,
		   const struct btfw_opts *opts)
{
	static const struct btfw_opts no_opts;
	struct btfw_file f;
	int err;

	if (!opts)
		opts = &no_opts;
	err = btfw_file__open(&f, path, false, opts);
	if (err)
		goto out;
	/* New files: 0644 minus the umask, applied by open() itself. */
	err = btfw_file__create_temp(&f, f.exists ? 0600 : 0644);
	if (err)
		goto out;
	err = btfw_file__step(&f, BTFW_STEP_WRITE);
	if (!err && len)
		err = data ? btfw_file__pwrite(&f, data, len, 0) : -EINVAL;
	if (err) {
		btfw_file__fail(&f, err, "cannot write temporary file");
		goto out;
	}
	err = btfw_verify_raw(&f, data, len);
	if (!err)
		err = btfw_file__commit(&f);
out:
	btfw_file__close(&f);
	return err;
}
