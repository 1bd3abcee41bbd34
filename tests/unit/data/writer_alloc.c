// SPDX-License-Identifier: GPL-2.0-only
/* btf_writer suite input: a loadable (SHF_ALLOC) ".BTF" section, as in a
 * final vmlinux; it may be rewritten in place but never grow. */
__attribute__((section(".BTF"), used))
static const unsigned char writer_btf[16] = { 0x9f, 0xeb, 1, 0 };
