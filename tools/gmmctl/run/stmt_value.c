// SPDX-License-Identifier: GPL-2.0
/*
 * stmt_value.c - the statements of `gmmctl run` on the bytes of objects
 * (LOC is NAME or NAME.OFFSET):
 *
 *   write LOC TYPE VALUE | write LOC "text"
 *   read LOC TYPE | read LOC str N | read LOC bytes N
 *   expect value LOC TYPE VALUE | expect value LOC "text"
 *
 * TYPE is u8 u16 u32 u64 i8 i16 i32 i64; integers are little endian.
 * Each one a parse/exec pair of the table in statements.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* The bytes of an integer value of kind @vk. */
static void ival_bytes(enum vkind vk, int64_t v, unsigned char *buf)
{
	uint64_t u = (uint64_t)v;

	switch (vkinds[vk].size) {
	case 1: { uint8_t x = (uint8_t)u; memcpy(buf, &x, 1); break; }
	case 2: { uint16_t x = (uint16_t)u; memcpy(buf, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)u; memcpy(buf, &x, 4); break; }
	default: memcpy(buf, &u, 8); break;
	}
}

static const char *rw_hint(int err)
{
	if (err == -EINVAL)
		return "the range is not inside the object (see 'info NAME' for its size)";
	if (err == -ENOENT)
		return "the handle is not one of this heap's";
	return NULL;
}

/* LOC then a value: write and expect value (@k words before LOC). */
static int parse_loc_value(struct parser *p, struct stmt *st,
			   struct token *t, int n, int k)
{
	int used;

	if (parse_loc(p, &t[k], &st->var, &st->off))
		return -1;
	used = parse_value(p, st, t + k + 1, n - k - 1, false);
	if (used < 0)
		return -1;
	if (k + 1 + used != n)
		return perr(p, t[k + 1 + used].col, "too many words after the value"), -1;
	return 0;
}

int parse_write(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (n < 3)
		return perr(p, 0, "write NAME[.OFFSET] TYPE VALUE | write NAME[.OFFSET] \"string\""), -1;
	return parse_loc_value(p, st, t, n, 1);
}

int exec_write(struct script *sc, const struct stmt *st, struct fail *f)
{
	unsigned char buf[8];
	uint32_t h = 0;
	int err;

	if (handle_of(sc, st->var, f, &h))
		return -1;
	if (st->vk == V_STR) {
		err = gmm_write(sc->g, h, st->off, st->sval, st->slen);
	} else {
		ival_bytes(st->vk, st->ival, buf);
		err = gmm_write(sc->g, h, st->off, buf, vkinds[st->vk].size);
	}
	if (err)
		return kfail(f, err, "write (GMM_OP_WRITE)", rw_hint(err));
	return 0;
}

int parse_read(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (n < 3)
		return perr(p, 0, "read NAME[.OFFSET] TYPE | read NAME[.OFFSET] str N | bytes N"), -1;
	if (parse_loc(p, &t[1], &st->var, &st->off))
		return -1;
	if (parse_vkind(p, &t[2], true, &st->vk))
		return -1;
	if (st->vk == V_STR || st->vk == V_BYTES) {
		if (expect_words(p, t, n, 4, 4, "read NAME[.OFFSET] str|bytes LENGTH"))
			return -1;
		return num_arg(p, &t[3], "length", 1, 65536, &st->n);
	}
	return expect_words(p, t, n, 3, 3, "read NAME[.OFFSET] TYPE");
}

/* @len bytes at the location of @st into @buf. */
static int read_loc(struct script *sc, const struct stmt *st, void *buf,
		    size_t len, struct fail *f)
{
	uint32_t h = 0;
	int err;

	if (handle_of(sc, st->var, f, &h))
		return -1;
	err = gmm_read(sc->g, h, st->off, buf, len);
	if (err)
		return kfail(f, err, "read (GMM_OP_READ)", rw_hint(err));
	return 0;
}

/* An integer of kind @vk from @buf: as unsigned in *@uv, signed in *@sv. */
static void ival_of(enum vkind vk, const unsigned char *buf, uint64_t *uv,
		    int64_t *sv)
{
	switch (vk) {
	case V_U8: *uv = buf[0]; break;
	case V_U16: { uint16_t x; memcpy(&x, buf, 2); *uv = x; break; }
	case V_U32: { uint32_t x; memcpy(&x, buf, 4); *uv = x; break; }
	case V_U64: memcpy(uv, buf, 8); break;
	case V_I8: *sv = (int8_t)buf[0]; break;
	case V_I16: { int16_t x; memcpy(&x, buf, 2); *sv = x; break; }
	case V_I32: { int32_t x; memcpy(&x, buf, 4); *sv = x; break; }
	case V_I64: memcpy(sv, buf, 8); break;
	default: break;
	}
}

static void print_json_value(struct script *sc, const struct stmt *st,
			     const unsigned char *buf, size_t len)
{
	const char *s = (const char *)buf;
	int64_t sv = 0;
	uint64_t uv = 0;

	ival_of(st->vk, buf, &uv, &sv);
	out_line(sc, st);
	json_str(&sc->j, "name", sc->vars[st->var].name);
	json_u64(&sc->j, "offset", st->off);
	json_str(&sc->j, "type", vkinds[st->vk].name);
	if (st->vk <= V_U64)
		json_u64(&sc->j, "value", uv);
	else if (st->vk <= V_I64)
		json_i64(&sc->j, "value", sv);
	else if (st->vk == V_STR)
		json_strn(&sc->j, "value", s, strnlen(s, len));
	else
		json_strn(&sc->j, "value", s, len);
	json_obj_end(&sc->j);
}

/* "text" with escapes, up to the first NUL. */
static void print_str(const unsigned char *buf, size_t len)
{
	size_t i;

	len = strnlen((const char *)buf, len);
	putchar('"');
	for (i = 0; i < len; i++) {
		if (buf[i] == '"' || buf[i] == '\\')
			printf("\\%c", buf[i]);
		else if (buf[i] >= 0x20 && buf[i] < 0x7f)
			putchar(buf[i]);
		else if (buf[i] == '\n')
			fputs("\\n", stdout);
		else
			printf("\\x%02x", buf[i]);
	}
	printf("\"\n");
}

static void print_value(struct script *sc, const struct stmt *st,
			const unsigned char *buf, size_t len)
{
	int64_t sv = 0;
	uint64_t uv = 0;
	size_t i;

	if (opts.json) {
		print_json_value(sc, st, buf, len);
		return;
	}
	ival_of(st->vk, buf, &uv, &sv);
	printf("%s.%llu = ", sc->vars[st->var].name, ULL(st->off));
	if (st->vk <= V_U64) {
		printf("%llu (%s, %#llx)\n", ULL(uv), vkinds[st->vk].name, ULL(uv));
	} else if (st->vk <= V_I64) {
		printf("%lld (%s)\n", (long long)sv, vkinds[st->vk].name);
	} else if (st->vk == V_STR) {
		print_str(buf, len);
	} else {
		for (i = 0; i < len; i++)
			printf("%s%02x", i && !(i % 16) ? "\n    " : i ? " " : "", buf[i]);
		putchar('\n');
	}
}

int exec_read(struct script *sc, const struct stmt *st, struct fail *f)
{
	size_t len = st->vk >= V_STR ? st->n : vkinds[st->vk].size;
	unsigned char small[8], *buf = len > 8 ? malloc(len) : small;
	int ret;

	if (!buf)
		return fail(f, 0, "out of memory");
	ret = read_loc(sc, st, buf, len, f);
	if (!ret)
		print_value(sc, st, buf, len);
	if (buf != small)
		free(buf);
	return ret;
}

int parse_expect_value(struct parser *p, struct stmt *st, struct token *t,
		       int n)
{
	if (n < 4)
		return perr(p, 0, "expect value NAME[.OFFSET] TYPE VALUE | expect value NAME[.OFFSET] \"string\""), -1;
	return parse_loc_value(p, st, t, n, 2);
}

static int expect_text(struct script *sc, const struct stmt *st,
		       const unsigned char *buf, size_t len, struct fail *f)
{
	char got[96];
	size_t i, o = 0;

	if (!memcmp(buf, st->sval, len))
		return 0;
	for (i = 0; i < len && o + 5 < sizeof(got); i++)
		o += (size_t)snprintf(got + o, sizeof(got) - o,
			buf[i] >= 0x20 && buf[i] < 0x7f && buf[i] != '"' &&
			buf[i] != '\\' ? "%c" : "\\x%02x", buf[i]);
	return fail(f, 0, "expect value: %s.%llu holds \"%s\"%s",
		    sc->vars[st->var].name, ULL(st->off), got,
		    i < len ? "..." : "");
}

static int expect_int(struct script *sc, const struct stmt *st,
		      const unsigned char *buf, size_t len, struct fail *f)
{
	const char *name = sc->vars[st->var].name;
	unsigned char want[8];
	uint64_t ug = 0;
	int64_t got;

	ival_bytes(st->vk, st->ival, want);
	if (!memcmp(buf, want, len))
		return 0;
	memcpy(&ug, buf, len);	/* little endian */
	if (st->vk <= V_U64)
		return fail(f, 0, "expect value: %s.%llu is %llu (%s), not %llu",
			    name, ULL(st->off), ULL(ug), vkinds[st->vk].name,
			    ULL(st->ival));
	got = (int64_t)(ug << (64 - 8 * len)) >> (64 - 8 * len);
	return fail(f, 0, "expect value: %s.%llu is %lld (%s), not %lld", name,
		    ULL(st->off), (long long)got, vkinds[st->vk].name,
		    (long long)st->ival);
}

int exec_expect_value(struct script *sc, const struct stmt *st,
		      struct fail *f)
{
	size_t len = st->vk == V_STR ? st->slen : vkinds[st->vk].size;
	unsigned char small[8], *buf = len > 8 ? malloc(len) : small;
	int ret;

	if (!buf)
		return fail(f, 0, "out of memory");
	ret = read_loc(sc, st, buf, len, f);
	if (!ret && st->vk == V_STR)
		ret = expect_text(sc, st, buf, len, f);
	else if (!ret)
		ret = expect_int(sc, st, buf, len, f);
	if (buf != small)
		free(buf);
	return ret;
}
