// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwl_attrs: read the attributes of a DIE that the decoders want in one
 * pass.
 *
 * Each dwarf_attr() call scans the DIE from its start, decoding the form
 * of every attribute before the one asked for; a member asked for its name,
 * type, offset, bit size, alignment and flags is scanned eight times or so.
 * dwl_attrs_read() walks the attributes once and keeps those of enum
 * dwl_at; reading a kept attribute is then as cheap as a form decode. The
 * answers are those of dwarf_attr(): the first attribute of a name wins,
 * and an attribute after one libdw cannot decode is absent (dwarf_attr()
 * finds nothing past it either).
 *
 * The walk itself: for a DIE of the unit being decoded, a per-abbreviation
 * layout (made once per unit and code from libdw's own Dwarf_Abbrev: the
 * attribute names, forms and their sizes) finds each kept attribute by
 * stepping over the values before it, and fills the Dwarf_Attribute exactly
 * as dwarf_getattrs() would (name, form, value address, unit), which the
 * dwarf_form*() readers then decode. An implicit constant (DWARF 5: gcc
 * 12 puts DW_AT_decl_column, enum sizes, member alignments... in the
 * abbreviation) takes no bytes in the DIE; its Dwarf_Attribute points
 * where libdw points for the first DIE of the code. Forms whose size this
 * cannot tell without libdw (DW_FORM_indirect, 2- and 4-byte block
 * lengths, unknown forms), DIEs of other units, and any value that would
 * run past the unit's end go to dwarf_getattrs() instead, so nothing is
 * decided differently from libdw.
 */
#include "dwl_internal.h"

#include <dwarf.h>
#include <errno.h>
#include <string.h>

#include "src/util/vec.h"

static int dwl_at_slot(unsigned int at)
{
	switch (at) {
	case DW_AT_name: return DWL_A_NAME;
	case DW_AT_type: return DWL_A_TYPE;
	case DW_AT_byte_size: return DWL_A_BYTE_SIZE;
	case DW_AT_bit_size: return DWL_A_BIT_SIZE;
	case DW_AT_data_bit_offset: return DWL_A_DATA_BIT_OFFSET;
	case DW_AT_data_member_location: return DWL_A_DATA_MEMBER_LOCATION;
	case DW_AT_bit_offset: return DWL_A_BIT_OFFSET;
	case DW_AT_alignment: return DWL_A_ALIGNMENT;
	case DW_AT_declaration: return DWL_A_DECLARATION;
	case DW_AT_external: return DWL_A_EXTERNAL;
	case DW_AT_encoding: return DWL_A_ENCODING;
	case DW_AT_signature: return DWL_A_SIGNATURE;
	case DW_AT_artificial: return DWL_A_ARTIFICIAL;
	case DW_AT_inline: return DWL_A_INLINE;
	case DW_AT_calling_convention: return DWL_A_CALLING_CONVENTION;
	case DW_AT_linkage_name: return DWL_A_LINKAGE_NAME;
	case DW_AT_MIPS_linkage_name: return DWL_A_MIPS_LINKAGE_NAME;
	case DW_AT_prototyped: return DWL_A_PROTOTYPED;
	case DW_AT_abstract_origin: return DWL_A_ABSTRACT_ORIGIN;
	case DW_AT_specification: return DWL_A_SPECIFICATION;
	case DW_AT_low_pc: return DWL_A_LOW_PC;
	case DW_AT_high_pc: return DWL_A_HIGH_PC;
	case DW_AT_const_value: return DWL_A_CONST_VALUE;
	case DW_AT_location: return DWL_A_LOCATION;
	case DW_AT_count: return DWL_A_COUNT;
	case DW_AT_upper_bound: return DWL_A_UPPER_BOUND;
	case DW_AT_lower_bound: return DWL_A_LOWER_BOUND;
	default: return -1;
	}
}

static int dwl_attrs_cb(Dwarf_Attribute *attr, void *arg)
{
	struct dwl_attrs *a = arg;
	int slot = dwl_at_slot(dwarf_whatattr(attr));

	if (slot >= 0 && !(a->have & (1u << slot))) {
		a->have |= 1u << slot;
		a->v[slot] = *attr;
	}
	return DWARF_CB_OK;
}

/* Kinds of struct dwl_spec.size besides a fixed byte count. */
enum {
	DWL_SZ_LEB = 240,		/* a LEB128 number */
	DWL_SZ_STRING,			/* a NUL-terminated string */
	DWL_SZ_BLOCK,			/* ULEB128 length, then that many bytes */
	DWL_SZ_BLOCK1,			/* 1-byte length, ... */
	DWL_SZ_BLOCK2,
	DWL_SZ_BLOCK4,
	DWL_SZ_BAD,			/* not decoded here */
};

static uint8_t dwl_form_size(struct dwl_unit *u, unsigned int form)
{
	switch (form) {
	case DW_FORM_flag_present:
	case DW_FORM_implicit_const:	/* the value is in the abbreviation */
		return 0;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag:
	case DW_FORM_strx1: case DW_FORM_addrx1:
		return 1;
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2:
	case DW_FORM_addrx2:
		return 2;
	case DW_FORM_strx3: case DW_FORM_addrx3:
		return 3;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_strx4:
	case DW_FORM_addrx4: case DW_FORM_ref_sup4:
		return 4;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8:
		return 8;
	case DW_FORM_data16:
		return 16;
	case DW_FORM_addr:
		return u->addr_size ? u->addr_size : DWL_SZ_BAD;
	case DW_FORM_ref_addr:
		if (u->version < 3)
			return u->addr_size ? u->addr_size : DWL_SZ_BAD;
		return u->offset_size ? u->offset_size : DWL_SZ_BAD;
	case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset:
	case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
		return u->offset_size ? u->offset_size : DWL_SZ_BAD;
	case DW_FORM_udata: case DW_FORM_sdata: case DW_FORM_ref_udata:
	case DW_FORM_strx: case DW_FORM_addrx: case DW_FORM_loclistx:
	case DW_FORM_rnglistx: case DW_FORM_GNU_addr_index:
	case DW_FORM_GNU_str_index:
		return DWL_SZ_LEB;
	case DW_FORM_string:
		return DWL_SZ_STRING;
	case DW_FORM_block: case DW_FORM_exprloc:
		return DWL_SZ_BLOCK;
	case DW_FORM_block1:
		return DWL_SZ_BLOCK1;
	case DW_FORM_block2:
		return DWL_SZ_BLOCK2;
	case DW_FORM_block4:
		return DWL_SZ_BLOCK4;
	default:			/* indirect, unknown */
		return DWL_SZ_BAD;
	}
}

/* Make the layout of abbreviation 'ab' (code 'code'); NULL on ENOMEM. */
static struct dwl_layout *dwl_layout_make(struct dwl_unit *u, unsigned int code,
					  Dwarf_Abbrev *ab)
{
	struct dwl_layout *l;
	size_t cnt = 0, i;

	if (vec_push(&u->layouts))
		return NULL;
	l = vec_last(&u->layouts);
	l->first = (uint32_t)u->specs.len;
	l->usable = dwarf_getattrcnt(ab, &cnt) == 0;
	for (i = 0; l->usable && i < cnt; i++) {
		struct dwl_spec *sp;
		unsigned int name, form;
		Dwarf_Sword data;

		if (dwarf_getabbrevattr_data(ab, i, &name, &form, &data, NULL) != 0 ||
		    vec_push(&u->specs)) {
			l->usable = false;
			break;
		}
		sp = vec_last(&u->specs);
		sp->name = name;
		sp->form = form;
		sp->slot = (int8_t)dwl_at_slot(name);
		sp->size = dwl_form_size(u, form);
		sp->ivalp = NULL;
		if (sp->size == DWL_SZ_BAD)
			l->usable = false;
		if (sp->slot >= 0) {
			l->n = (uint32_t)(u->specs.len - l->first);
			l->listed |= 1u << sp->slot;
		}
	}
	l->nall = (uint32_t)(u->specs.len - l->first);
	l->fixed = 0;
	for (i = 0; l->usable && i < l->nall && l->fixed >= 0; i++) {
		uint8_t size = u->specs.v[l->first + i].size;

		l->fixed = size <= 16 ? l->fixed + size : -1;
	}
	l->children = dwarf_abbrevhaschildren(ab);
	l->sib = -1;
	l->odd_sib = false;
	for (i = 0; l->usable && i < l->nall; i++) {
		const struct dwl_spec *sp = &u->specs.v[l->first + i];

		if (sp->name != DW_AT_sibling)
			continue;
		/* libdw reads the first one only (of another form: its error) */
		if (sp->form == DW_FORM_ref1 || sp->form == DW_FORM_ref2 ||
		    sp->form == DW_FORM_ref4 || sp->form == DW_FORM_ref8)
			l->sib = (int32_t)i;
		else
			l->odd_sib = true;
		break;
	}
	u->layout_of[code] = (uint32_t)u->layouts.len;
	if (code > u->abbrev_max)
		u->abbrev_max = code;
	return l;
}

/* Skip one value of a variable-size kind at p; NULL when it runs past end. */
static const unsigned char *dwl_skip(const unsigned char *p, const unsigned char *end,
				     uint8_t kind)
{
	uint64_t len = 0;
	unsigned int shift = 0;
	const unsigned char *q;

	switch (kind) {
	case DWL_SZ_LEB:
		while (p < end && (*p & 0x80))
			p++;
		return p < end ? p + 1 : NULL;
	case DWL_SZ_STRING:
		q = memchr(p, 0, (size_t)(end - p));
		return q ? q + 1 : NULL;
	case DWL_SZ_BLOCK:
		for (;;) {
			if (p >= end || shift > 56)
				return NULL;
			len |= (uint64_t)(*p & 0x7f) << shift;
			shift += 7;
			if (!(*p++ & 0x80))
				break;
		}
		break;
	case DWL_SZ_BLOCK1:
		if (end - p < 1)
			return NULL;
		len = p[0];
		p += 1;
		break;
	case DWL_SZ_BLOCK2:
	case DWL_SZ_BLOCK4:
		/* Lengths in the file's byte order: leave those to libdw. */
		return NULL;
	default:
		return NULL;
	}
	return len <= (uint64_t)(end - p) ? p + len : NULL;
}

/*
 * A layout is checked once, on the first DIE that uses it, against
 * dwarf_getattrs(): the same attributes, in the same order, with the same
 * forms, each value where the layout says. Only then is it used, for that
 * DIE and every later one of its code in the unit. (A corrupt abbreviation
 * can be read differently by libdw's abbreviation parser and by its DIE
 * scanner; such a layout is never used.)
 */
struct dwl_check {
	struct dwl_unit *u;
	struct dwl_spec *sp;		/* the layout's specs */
	uint32_t n, i;			/* nall, attributes seen */
	const unsigned char *p;		/* where attribute i's value must be */
	bool ok;
};

static const unsigned char *dwl_step(const struct dwl_spec *sp, uint32_t n,
				     const unsigned char *p, const unsigned char *end);

/* The specs of layout l; NULL when the unit has none at all (abbreviations
 * without attributes): no arithmetic on a NULL pointer. */
static const struct dwl_spec *dwl_specs_at(const struct dwl_unit *u,
					   const struct dwl_layout *l)
{
	return u->specs.v ? u->specs.v + l->first : NULL;
}

static int dwl_check_cb(Dwarf_Attribute *attr, void *arg)
{
	struct dwl_check *c = arg;
	struct dwl_spec *sp;

	if (c->i >= c->n || !c->p || attr->code != c->sp[c->i].name ||
	    attr->form != c->sp[c->i].form) {
		c->ok = false;
		return DWARF_CB_ABORT;
	}
	sp = &c->sp[c->i];
	/* An implicit constant's value is not in the DIE: libdw points at
	 * it elsewhere, and the layout keeps that place (only if it lies
	 * outside the unit, i.e. does not depend on the DIE). */
	if (sp->form == DW_FORM_implicit_const) {
		const unsigned char *v = attr->valp;

		if (!v || (v >= c->u->unit_startp && v < c->u->unit_endp) ||
		    (sp->ivalp && sp->ivalp != v)) {
			c->ok = false;
			return DWARF_CB_ABORT;
		}
		sp->ivalp = v;
	} else if (attr->valp != c->p) {
		c->ok = false;
		return DWARF_CB_ABORT;
	}
	c->p = dwl_step(&c->sp[c->i], 1, c->p, c->u->unit_endp);
	c->i++;
	return DWARF_CB_OK;
}

static void dwl_layout_check(struct dwl_unit *u, Dwarf_Die *die, unsigned int len,
			     struct dwl_layout *l)
{
	struct dwl_check c = {
		.u = u, .sp = u->specs.v ? u->specs.v + l->first : NULL, .n = l->nall,
		.p = (const unsigned char *)die->addr + len, .ok = true,
	};

	if (dwarf_getattrs(die, dwl_check_cb, &c, 0) != 1 || !c.ok ||
	    c.i != l->nall || !c.p)
		l->usable = false;
}

/* The layout of die (*len: bytes of its code), or NULL: ask libdw. */
static const struct dwl_layout *dwl_layout_get(struct dwl_unit *u, Dwarf_Die *die,
					       unsigned int *len)
{
	const struct dwl_layout *l;
	unsigned int code;

	code = dwl_abbrev_code(u, die, len);
	if (code == 0)
		return NULL;
	if (u->layout_of[code]) {
		l = &u->layouts.v[u->layout_of[code] - 1];
	} else {
		if (!die->abbrev)
			dwl_abbrev_fill(u, die);
		if (!die->abbrev || die->abbrev == (Dwarf_Abbrev *)-1l ||
		    u->abbrevs[code] != die->abbrev)
			return NULL;
		struct dwl_layout *nl = dwl_layout_make(u, code, die->abbrev);

		if (nl && nl->usable)
			dwl_layout_check(u, die, *len, nl);
		l = nl;
	}
	return l && l->usable ? l : NULL;
}

bool dwl_may_have(struct dwl_unit *u, Dwarf_Die *die, int slot)
{
	unsigned int len;
	const struct dwl_layout *l = dwl_layout_get(u, die, &len);

	return !l || (l->listed & (1u << slot));
}

/* Step over n values from p; NULL when one runs past end. */
static const unsigned char *dwl_step(const struct dwl_spec *sp, uint32_t n,
				     const unsigned char *p, const unsigned char *end)
{
	uint32_t i;

	for (i = 0; i < n && p; i++, sp++) {
		if (sp->size <= 16)
			p = (size_t)(end - p) < sp->size ? NULL : p + sp->size;
		else
			p = dwl_skip(p, end, sp->size);
	}
	return p;
}

/* Past all values of a DIE of layout l that start at p (NULL when one runs
 * past the unit): one addition when they all have a fixed size. */
static const unsigned char *dwl_step_all(const struct dwl_unit *u, const struct dwl_layout *l,
					 const unsigned char *p)
{
	if (l->fixed >= 0)
		return (size_t)(u->unit_endp - p) < (size_t)l->fixed ? NULL : p + l->fixed;
	return dwl_step(dwl_specs_at(u, l), l->nall, p, u->unit_endp);
}

/*
 * Where the DW_AT_sibling of a DIE of layout l (len: bytes of its code)
 * points, or NULL when libdw should look: the reference (ref1-ref8, from
 * the unit's header) must lie after the DIE and inside the unit.
 */
static const unsigned char *dwl_sibling_attr(struct dwl_unit *u, const unsigned char *die,
					     const struct dwl_layout *l, unsigned int len)
{
	const struct dwl_spec *sp = dwl_specs_at(u, l);
	const unsigned char *p, *q;
	unsigned int size = sp[l->sib].size;
	uint64_t off;

	p = dwl_step(sp, (uint32_t)l->sib, die + len, u->unit_endp);
	if (!p || (size_t)(u->unit_endp - p) < size || !u->unit_startp)
		return NULL;
	off = dwl_read_uint(p, size, u->f->big_endian);
	if (off >= (uint64_t)(u->unit_endp - u->unit_startp))
		return NULL;
	q = u->unit_startp + off;
	return q > die ? q : NULL;
}

/*
 * dwarf_siblingof() as elfutils 0.188 does it, each DIE stepped over by its
 * layout: a DIE's DW_AT_sibling, if it has one, says where the next one is
 * (gcc gives one to every DIE with children but a parent's last); without,
 * the next DIE follows its last value, one level down if it has children,
 * and NULs close levels, until a DIE on the first level (0), a NUL closing
 * it (1, next->addr there) or the unit's end (1, NULL). Anything libdw
 * might read otherwise (no usable layout, a sibling of another form or
 * pointing backwards, a value past the unit): 2, ask libdw.
 */
int dwl_sibling_fast(struct dwl_unit *u, Dwarf_Die *die, Dwarf_Die *next)
{
	const unsigned char *addr = die->addr;
	unsigned int level = 0, len;

	do {
		Dwarf_Die cur = { .addr = (void *)addr, .cu = die->cu };
		const struct dwl_layout *l = dwl_layout_get(u, &cur, &len);

		if (!l || l->odd_sib)
			return 2;
		if (l->sib >= 0) {
			addr = dwl_sibling_attr(u, addr, l, len);
		} else {
			addr = dwl_step_all(u, l, addr + len);
			level += l->children;
		}
		if (!addr)
			return 2;
		for (;;) {
			if (addr >= u->unit_endp) {
				if (next != die)
					next->addr = NULL;
				return 1;
			}
			if (*addr)
				break;
			if (level-- == 0) {
				if (next != die)
					next->addr = (void *)addr;
				return 1;
			}
			addr++;
		}
	} while (level > 0);
	*next = (Dwarf_Die){ .addr = (void *)addr, .cu = die->cu };
	return 0;
}

/*
 * As dwarf_child() (elfutils 0.188) does: none (1) unless the abbreviation
 * has children; else the first child starts after the last value, and a
 * NUL there, or the unit's end, means none. A code padded with 0x80 bytes
 * (a zero in a long encoding) and values running past the unit are left to
 * libdw (2).
 */
int dwl_child_fast(struct dwl_unit *u, Dwarf_Die *die, Dwarf_Die *child)
{
	const struct dwl_layout *l;
	const unsigned char *p;
	unsigned int len;

	l = dwl_layout_get(u, die, &len);
	if (!l)
		return 2;
	if (!l->children)
		return 1;
	p = dwl_step_all(u, l, (const unsigned char *)die->addr + len);
	if (!p)
		return 2;
	if (p >= u->unit_endp || *p == 0)
		return 1;
	if (*p == 0x80)
		return 2;
	*child = (Dwarf_Die){ .addr = (void *)p, .cu = die->cu };
	return 0;
}

/* The fast path: 0 done, 1 leave it to dwarf_getattrs(). */
static int dwl_attrs_fast(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a)
{
	const unsigned char *p = die->addr, *end = u->unit_endp;
	const struct dwl_layout *l;
	const struct dwl_spec *sp;
	unsigned int len;
	uint32_t i;

	l = dwl_layout_get(u, die, &len);
	if (!l)
		return 1;
	a->listed = l->listed;
	a->from_layout = true;
	p += len;
	sp = dwl_specs_at(u, l);
	for (i = 0; i < l->n; i++, sp++) {
		if (sp->slot >= 0 && !(a->have & (1u << sp->slot))) {
			a->have |= 1u << sp->slot;
			a->v[sp->slot] = (Dwarf_Attribute){
				.code = sp->name, .form = sp->form,
				.valp = (unsigned char *)(sp->ivalp ? sp->ivalp : p),
				.cu = die->cu,
			};
		}
		if (sp->size <= 16) {
			if ((size_t)(end - p) < sp->size)
				return a->have = 0, 1;
			p += sp->size;
		} else if (!(p = dwl_skip(p, end, sp->size))) {
			return a->have = 0, 1;
		}
	}
	return 0;
}

void dwl_attrs_read(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a)
{
	a->have = 0;
	a->from_layout = false;
	if (dwl_attrs_fast(u, die, a) == 0)
		return;
	a->have = 0;
	a->from_layout = false;
	/* An error ends the pass: what follows stays absent, as it would be
	 * for dwarf_attr(). */
	(void)dwarf_getattrs(die, dwl_attrs_cb, a, 0);
}

bool dwl_a_attr(Dwarf_Die *die, const struct dwl_attrs *a, int slot, unsigned int at,
		Dwarf_Attribute *ret)
{
	if (!a->from_layout)
		return dwarf_attr(die, at, ret) != NULL;
	if (!(a->have & (1u << slot)))
		return false;
	*ret = a->v[slot];
	return true;
}

bool dwl_a_listed(Dwarf_Die *die, struct dwl_attrs *a, int slot, unsigned int at)
{
	if (a->from_layout)
		return a->listed & (1u << slot);
	return dwarf_hasattr(die, at);
}

int dwl_a_udata(struct dwl_attrs *a, int slot, uint64_t *ret)
{
	Dwarf_Word w;

	if (!(a->have & (1u << slot)))
		return 1;
	if (dwarf_formudata(&a->v[slot], &w) != 0)
		return -EIO;
	*ret = w;
	return 0;
}

int dwl_a_sdata(struct dwl_attrs *a, int slot, int64_t *ret)
{
	Dwarf_Sword w;

	if (!(a->have & (1u << slot)))
		return 1;
	if (dwarf_formsdata(&a->v[slot], &w) != 0)
		return -EIO;
	*ret = w;
	return 0;
}

bool dwl_a_flag(struct dwl_attrs *a, int slot)
{
	bool v = false;

	if (!(a->have & (1u << slot)))
		return false;
	if (dwarf_formflag(&a->v[slot], &v) != 0)
		return false;
	return v;
}

/*
 * As dwarf_attr_integrate() (elfutils 0.188): the DIE's own attribute, else
 * the one of the DIE its DW_AT_abstract_origin (else DW_AT_specification)
 * names, and so on, eight DIEs at most; each DIE read in one pass. (libdw's
 * last resort, a split unit's skeleton when the chain ends at a unit DIE,
 * concerns no DIE the decoders ask about: subprograms and their types.)
 */
bool dwl_a_integrate(struct dwl_unit *u, Dwarf_Die *die, const struct dwl_attrs *a,
		     int slot, unsigned int at, Dwarf_Attribute *ret)
{
	struct dwl_attrs oa;
	const struct dwl_attrs *ca = a;
	Dwarf_Die next;
	int n;

	/* No layout for die (another unit's DIE, dwl_opts.libdw_only for
	 * t0460, an odd abbreviation): libdw's own. */
	if (!a->from_layout)
		return dwarf_attr_integrate(die, at, ret) != NULL;
	for (n = 0; n < 8; n++) {
		Dwarf_Attribute o;

		if (ca->have & (1u << slot)) {
			*ret = ca->v[slot];
			return true;
		}
		if (ca->have & (1u << DWL_A_ABSTRACT_ORIGIN))
			o = ca->v[DWL_A_ABSTRACT_ORIGIN];
		else if (ca->have & (1u << DWL_A_SPECIFICATION))
			o = ca->v[DWL_A_SPECIFICATION];
		else
			return false;
		if (!dwarf_formref_die(&o, &next))
			return false;
		dwl_attrs_read(u, &next, &oa);
		ca = &oa;
	}
	return false;
}

int dwl_a_string_integrate(struct dwl_unit *u, Dwarf_Die *die, const struct dwl_attrs *a,
			   int slot, unsigned int at, bool empty_is_none, const char **ret)
{
	Dwarf_Attribute attr;
	const char *s;

	*ret = NULL;
	if (!dwl_a_integrate(u, die, a, slot, at, &attr))
		return 0;
	s = dwl_formstring(u, &attr);
	if (!s)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad string attribute");
	if (empty_is_none && !*s)
		return 0;
	*ret = dwl_intern(u->f->strs, u->cu, s);
	return *ret ? 0 : -ENOMEM;
}

int dwl_a_name_unsettled(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
			 const char **ret)
{
	const char *s;

	if (!dwl_strs_borrows(u->f->strs))
		return dwl_a_name(u, die, a, ret);
	*ret = NULL;
	if (!(a->have & (1u << DWL_A_NAME)))
		return 0;
	s = dwl_formstring(u, &a->v[DWL_A_NAME]);
	if (!s)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad string attribute");
	__builtin_prefetch(s);
	*ret = s;
	return 0;
}

int dwl_a_name(struct dwl_unit *u, Dwarf_Die *die, struct dwl_attrs *a,
	       const char **ret)
{
	const char *s;

	*ret = NULL;
	if (!(a->have & (1u << DWL_A_NAME)))
		return 0;
	s = dwl_formstring(u, &a->v[DWL_A_NAME]);
	if (!s)
		return dwl_err_libdw(u, dwarf_dieoffset(die), "bad string attribute");
	if (!*s)
		return 0;	/* an empty name is no name, as dwl_name() says */
	*ret = dwl_intern(u->f->strs, u->cu, s);
	return *ret ? 0 : -ENOMEM;
}
