// SPDX-License-Identifier: GPL-2.0-only
/*
 * Validation: the kernel verifier's rules (kernel/bpf/btf.c), applied to
 * every table before the loader returns it. Where the rules live:
 *
 *   btfl_parse.c    header, sections, strings, record bounds, type count
 *   btfl_meta.c     one record at a time: kinds, vlen, kind_flag, names,
 *                   string offsets, id ranges, INT encoding, member order,
 *                   enum sizes, linkage, DATASEC layout, DECL_TAG index
 *   btfl_resolve.c  cycles not through a pointer, pointer/modifier loops,
 *                   resolved sizes
 *   btfl_refs.c     rules on referenced types: member placement and
 *                   bitfields, array element/index/size, FUNC -> FUNC_PROTO,
 *                   sized parameters and VARs, DATASEC entries, DECL_TAG
 *                   targets and component_idx
 *
 * Deliberate differences from the kernel (documented at each place):
 * extension header bytes are skipped, not required to be zero; chains of
 * types deeper than 32 are accepted; relocatable objects may carry extern
 * linkage and unplaced DATASECs; the kernel's BPF-program-only checks
 * (type tags before modifiers, kptr/graph fields, BTF_MAX_SIZE for user
 * BTF) are not applied, as they concern loading programs, not the format.
 */
#include "btfl_internal.h"

#include <errno.h>
#include <stdlib.h>

int btfl_validate(struct btfl_ctx *c, const struct bfmt_btf *btf)
{
	struct btfl_res *res;
	int err = btfl_check_meta(c, btf);

	if (err)
		return err;
	res = calloc(bfmt_btf__nr_types(btf), sizeof(*res));
	if (!res)
		return btfl_fail(c, -ENOMEM, "out of memory");
	err = btfl_resolve(c, btf, res);
	if (!err)
		err = btfl_check_refs(c, btf, res);
	free(res);
	return err;
}
