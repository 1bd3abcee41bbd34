#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write a small raw BTF (little endian) whose types, spelled as trees,
spell exponentially. Usage: gen-exp-btf.py SHAPE OUT

  protos   40 levels of FUNC_PROTOs whose three parameters point to the
           FUNC_PROTO one level down (3^40 paths), typedef cb_t and a
           struct holder with a member of that pointer type;
  cycle    a PTR to a FUNC_PROTO that returns and takes three of that
           PTR (a cycle through a pointer, three branches per turn),
           typedef cyc_t;
  unions   30 levels of anonymous unions whose three members are the
           union one level down (3^30 members when flattened), struct top
           with one member of the outermost union.

Valid BTF for the kernel and for btfenc's loader; what reads it must bound
its work (tests/e2e/t0200-bad-input.sh, t0210-hostile-input.sh)."""
import struct
import sys

INT, PTR, STRUCT, UNION, TYPEDEF, FUNC_PROTO = 1, 2, 4, 5, 8, 13


def build(shape):
    types, strs = [], [b"\0"]

    def name(n):
        off = sum(len(s) for s in strs)
        strs.append(n.encode() + b"\0")
        return off

    def add(rec):
        types.append(rec)
        return len(types)

    def head(name_off, kind, vlen, size_type):
        return struct.pack("<III", name_off, kind << 24 | vlen, size_type)

    i32 = add(head(name("int"), INT, 0, 4) + struct.pack("<I", 1 << 24 | 32))
    if shape == "protos":
        ptr = add(head(0, PTR, 0, add(head(0, FUNC_PROTO, 0, i32))))
        for _ in range(40):
            proto = add(head(0, FUNC_PROTO, 3, i32) + struct.pack("<II", 0, ptr) * 3)
            ptr = add(head(0, PTR, 0, proto))
        add(head(name("cb_t"), TYPEDEF, 0, ptr))
        add(head(name("holder"), STRUCT, 1, 8) + struct.pack("<III", name("cb"), ptr, 0))
    elif shape == "cycle":
        ptr = len(types) + 1
        proto = ptr + 1
        add(head(0, PTR, 0, proto))
        add(head(0, FUNC_PROTO, 3, ptr) + struct.pack("<II", 0, ptr) * 3)
        add(head(name("cyc_t"), TYPEDEF, 0, ptr))
    elif shape == "unions":
        u = i32
        for k in range(30):
            members = b"".join(struct.pack("<III", name("m%d_%d" % (k, j)), u, 0)
                               for j in range(3))
            u = add(head(0, UNION, 3, 4) + members)
        add(head(name("top"), STRUCT, 1, 4) + struct.pack("<III", name("u"), u, 0))
    else:
        sys.exit("gen-exp-btf.py: unknown shape " + shape)
    t, s = b"".join(types), b"".join(strs)
    hdr = struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(t), len(t), len(s))
    return hdr + t + s


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[2], "wb") as f:
        f.write(build(sys.argv[1]))
