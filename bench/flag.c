/* The flag table's parser, usage printer and number parsers: see flag.h. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "flag.h"

/* FLAG_ENUM writes an enum variable through an int */
_Static_assert(sizeof(enum flag_type) == sizeof(int), "an enum is int-sized");

#define USAGE_COL	25	/* help text starts here */
#define USAGE_WIDTH	100	/* a default that would pass it goes on a line of its own */

const char *flag_quote(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	if (!s)
		s = "";
	for (; *s && n + 8 < len; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			n += snprintf(buf + n, len - n, "\\x%02x", ch);
		else
			buf[n++] = (char)ch;
	}
	snprintf(buf + n, len - n, "%s", *s ? "..." : "");
	return buf;
}

int flag_bad(char *err, size_t errlen, const char *prog, const char *flag, const char *val,
	     const char *why)
{
	char v[FLAG_QUOTE_LEN];

	snprintf(err, errlen, "%s: %s: invalid value '%s': %s", prog, flag,
		 flag_quote(val, v, sizeof(v)), why);
	return -EINVAL;
}

int flag_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')	/* strtoull would take spaces, signs */
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int flag_parse_duration_ms(const char *s, uint64_t min, uint64_t max, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t mul; } units[] = {
		{ "", 1000 }, { "s", 1000 }, { "ms", 1 }, { "m", 60000 }, { "h", 3600000 },
	};
	char num[64];
	size_t len = strspn(s, "0123456789");
	uint64_t v;

	if (len == 0 || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len);
	num[len] = '\0';
	if (flag_parse_u64(num, 0, UINT64_C(1) << 40, &v))
		return -EINVAL;
	for (size_t i = 0; i < FLAG_COUNT(units); i++) {
		if (strcmp(s + len, units[i].unit))
			continue;
		if (v > max / units[i].mul || v * units[i].mul < min)
			return -EINVAL;
		*ms = v * units[i].mul;
		return 0;
	}
	return -EINVAL;
}

int flag_parse_double(const char *s, double *out)
{
	char *end;

	if (!*s || *s == '+' || *s == ' ' || *s == '\t')
		return -EINVAL;
	errno = 0;
	*out = strtod(s, &end);
	return (*end || errno || !isfinite(*out)) ? -EINVAL : 0;
}

int flag_why(struct flag_error *e, const char *value, const char *fmt, ...)
{
	va_list ap;

	e->value = NULL;
	if (value) {
		snprintf(e->tok, sizeof(e->tok), "%s", value);
		e->value = e->tok;
	}
	e->why[0] = 0;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(e->why, sizeof(e->why), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* One row's value into its variable. 0 or -EINVAL with e filled. */
static int set_value(void *opts, const struct flag *f, const char *val, struct flag_error *e)
{
	void *var = (char *)opts + f->off;
	uint64_t v;

	e->value = val;
	e->why[0] = 0;
	if (val && has_control(val)) {
		snprintf(e->why, sizeof(e->why), "control characters are not allowed");
		return -EINVAL;
	}
	if (val ? !*val && f->type != FLAG_CALL : f->type != FLAG_SET && f->type != FLAG_CALL) {
		e->value = "";
		return -EINVAL;	/* empty, or an optional value left out where only a setter can take that */
	}
	switch (f->type) {
	case FLAG_SET:
		*(bool *)var = true;
		return 0;
	case FLAG_U64:
	case FLAG_UINT:
	case FLAG_INT:
		if (flag_parse_u64(val, f->min, f->max, &v))
			return -EINVAL;
		if (f->type == FLAG_U64)
			*(uint64_t *)var = v;
		else if (f->type == FLAG_UINT)
			*(unsigned int *)var = (unsigned int)v;
		else
			*(int *)var = (int)v;
		return 0;
	case FLAG_DURATION_MS:
		return flag_parse_duration_ms(val, f->min, f->max, (uint64_t *)var);
	case FLAG_STR:
		*(const char **)var = val;
		return 0;
	case FLAG_BUF:
		if (strlen(val) >= f->max)
			return -EINVAL;
		memcpy(var, val, strlen(val) + 1);
		return 0;
	case FLAG_ENUM:
		for (unsigned int i = 0; i < f->nwords; i++)
			if (f->words[i] && !strcmp(val, f->words[i])) {
				*(int *)var = (int)i;	/* an enum's storage, as GCC lays it out */
				return 0;
			}
		return -EINVAL;
	case FLAG_CALL: {
		int rc;

		e->value = NULL;
		rc = f->set(opts, val, e);
		if (!e->value)
			e->value = val ? val : "";
		return rc;
	}
	}
	return -EINVAL;
}

static int fail(char *err, size_t errlen, const char *prog, const char *what, const char *text)
{
	char v[FLAG_QUOTE_LEN];

	snprintf(err, errlen, "%s: %s: %s", prog, flag_quote(what, v, sizeof(v)), text);
	return -EINVAL;
}

static const struct flag *find(const struct flag_cmd *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->nflags; i++)
		if (c->flags[i].name && strlen(c->flags[i].name) == len &&
		    !strncmp(c->flags[i].name, name, len))
			return &c->flags[i];
	return NULL;
}

static int apply(const struct flag_cmd *c, const struct flag *f, const char *val, char *err,
		 size_t errlen)
{
	struct flag_error e;
	char flag[64];

	if (!set_value(c->opts, f, val, &e))
		return 0;
	snprintf(flag, sizeof(flag), "--%s", f->name);
	return flag_bad(err, errlen, c->prog, flag, e.value, e.why[0] ? e.why : f->why);
}

int flag_parse(struct flag_cmd *c, int argc, char **argv, char *err, size_t errlen)
{
	memset(c->given, 0, sizeof(c->given));
	c->npos = 0;
	if (c->nflags > FLAG_COUNT(c->given))
		return fail(err, errlen, c->prog, "flag table", "more rows than flag_cmd.given holds");
	for (size_t i = 0; i < c->nflags; i++)
		if (c->flags[i].def && apply(c, &c->flags[i], c->flags[i].def, err, errlen))
			return -EINVAL;	/* a wrong table: the tests run every command's defaults */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '='), *val = NULL;
		const struct flag *f;
		char flag[64];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			*c->help = true;
			continue;
		}
		if (!strncmp(a, "--help=", 7))
			return fail(err, errlen, c->prog, "--help", "takes no value (see --help)");
		if (a[0] != '-' || !a[1]) {
			if (!c->pos || c->npos == c->max_pos)
				return fail(err, errlen, c->prog, a, c->pos ?
					    "one argument too many (see --help)" :
					    "unexpected argument (see --help)");
			c->pos[c->npos++] = a;
			continue;
		}
		f = a[1] == '-' ? find(c, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2)) : NULL;
		if (!f)
			return fail(err, errlen, c->prog, a, "unknown flag (see --help)");
		snprintf(flag, sizeof(flag), "--%s", f->name);
		if (!f->arg) {
			if (eq)
				return fail(err, errlen, c->prog, flag, "takes no value (see --help)");
		} else if (eq) {
			val = eq + 1;
		} else if (f->arg[0] != '[') {
			if (i + 1 == argc || !strncmp(argv[i + 1], "--", 2)) {
				snprintf(err, errlen, "%s: %s: missing value (%s=VALUE)", c->prog, flag, flag);
				return -EINVAL;
			}
			val = argv[++i];
		}
		if (apply(c, f, val, err, errlen))
			return -EINVAL;
		c->given[f - c->flags] = true;
	}
	return 0;
}

void flag_apply_quick(struct flag_cmd *c)
{
	char err[512];

	for (size_t i = 0; i < c->nflags; i++)
		if (c->flags[i].quick && !c->given[i])
			apply(c, &c->flags[i], c->flags[i].quick, err, sizeof(err));
}

bool flag_given(const struct flag_cmd *c, const char *name)
{
	const struct flag *f = find(c, name, strlen(name));

	return f && c->given[f - c->flags];
}

void flag_usage(const struct flag_cmd *c, FILE *out)
{
	for (size_t i = 0; i < c->nflags; i++) {
		const struct flag *f = &c->flags[i];
		const char *h = f->help, *nl;
		const char *def = f->show ? f->show : f->def;
		char now[32];
		char tail[512] = "";
		int n, col = 0;

		if (!f->name) {		/* a heading */
			fprintf(out, "%s\n", f->help);
			continue;
		}
		n = fprintf(out, "  --%s%s%s", f->name,
			    f->arg && f->arg[0] != '[' ? "=" : "", f->arg ? f->arg : "");
		for (;;) {
			nl = strchr(h, '\n');
			col = fprintf(out, "%*s%.*s", n < USAGE_COL ? USAGE_COL - n : 1, "",
				      nl ? (int)(nl - h) : (int)strlen(h), h) + (n < 0 ? 0 : n);
			if (!nl)
				break;
			fputc('\n', out);
			h = nl + 1;
			n = 0;
		}
		if (!def && c->opts && (f->type == FLAG_U64 || f->type == FLAG_UINT || f->type == FLAG_INT)) {
			const void *var = (const char *)c->opts + f->off;	/* the value before parsing */

			if (f->type == FLAG_U64)
				snprintf(now, sizeof(now), "%llu", (unsigned long long)*(const uint64_t *)var);
			else if (f->type == FLAG_UINT)
				snprintf(now, sizeof(now), "%u", *(const unsigned int *)var);
			else
				snprintf(now, sizeof(now), "%d", *(const int *)var);
			def = now;
		}
		if (def && f->quick)
			snprintf(tail, sizeof(tail), "(default %s; --quick %s)", def, f->quick);
		else if (def)
			snprintf(tail, sizeof(tail), "(default %s)", def);
		if (*tail && col + 1 + (int)strlen(tail) > USAGE_WIDTH)
			fprintf(out, "\n%*s%s", USAGE_COL, "", tail);
		else if (*tail)
			fprintf(out, " %s", tail);
		fputc('\n', out);
	}
	fprintf(out, "  -h, --help%*sthis text\n", USAGE_COL - 12, "");
}
