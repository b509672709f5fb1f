/*
 * bench/flag.h — the one flag table every command parses with (the sweep,
 * c2c, compare, predict), after perf bench's futex-hash: each row holds a
 * flag's name, the variable it sets (or the setter that sets it), its
 * default and its help text; --help is printed from the rows, so the usage,
 * the defaults and the parser cannot drift apart.
 *
 * Flags are --name=VALUE or --name VALUE (a next word starting with "--" is
 * not taken as the value); names match exactly; -h is --help. A row's
 * default (def) goes through the row's own parser before argv is read; its
 * quick value through the same parser after argv, when the command asks
 * for it (flag_apply_quick) and the flag was not given.
 *
 * Bad input: flag_parse() writes ONE line into err — "PROG: --flag: invalid
 * value 'V': WHY", "PROG: --flag: missing value (--flag=VALUE)",
 * "PROG: --flag: takes no value (see --help)", "PROG: X: unknown flag (see
 * --help)", "PROG: X: unexpected argument (see --help)" — values quoted with
 * flag_quote (no control characters), and returns -EINVAL: the command
 * prints it and exits 2.
 */
#ifndef DMABENCH_FLAG_H
#define DMABENCH_FLAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum flag_type {
	FLAG_SET,		/* no value: *(bool *)var = true */
	FLAG_U64,		/* decimal digits in [min, max] into uint64_t */
	FLAG_UINT,		/* ... into unsigned int */
	FLAG_INT,		/* ... into int */
	FLAG_DURATION_MS,	/* N (seconds), Ns, Nms, Nm, Nh, in [min, max] ms, into uint64_t */
	FLAG_STR,		/* a non-empty string: *(const char **)var = value */
	FLAG_BUF,		/* a non-empty string shorter than max, copied into char var[max] */
	FLAG_ENUM,		/* one of words[]: its index into an enum variable */
	FLAG_CALL,		/* the row's setter */
};

struct flag_error {
	const char *value;	/* the part of the value that was wrong (default: all of it) */
	char why[256];		/* what a good value is; default the row's why */
	char tok[256];		/* room for value when it is a copy */
};

/* A setter's failure: value (NULL: all of it; copied) was wrong, because of
 * fmt (NULL: the row's why). Returns -EINVAL. */
int flag_why(struct flag_error *e, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct flag {
	const char *name;	/* without "--"; NULL: a heading in --help, the help text alone */
	const char *arg;	/* the value's name in --help ("N", "LIST"); NULL: takes no value;
				 * starting with '[': the value is optional (--name or --name=V) */
	enum flag_type type;
	size_t off;		/* the variable: offsetof() in the command's options struct */
	uint64_t min, max;	/* bounds of the integer types; FLAG_BUF: the buffer's size */
	/* FLAG_CALL: sets what it needs in opts; 0, or -EINVAL after filling e
	 * (e->value NULL: the whole value); val is NULL for an optional value
	 * not given */
	int (*set)(void *opts, const char *val, struct flag_error *e);
	/* FLAG_ENUM: the words by their enum value, nwords of them; a NULL
	 * entry is a value no word selects */
	const char *const *words;
	unsigned int nwords;
	const char *def;	/* the default, as a value of this flag (NULL: none applied) */
	const char *show;	/* what --help says the default is, when not def itself */
	const char *quick;	/* the default under --quick, when it differs */
	const char *help;	/* a '\n' continues it on the next line of --help */
	const char *why;	/* the error's last words: what a good value is */
};

struct flag_cmd {
	const char *prog;		/* "dmabench", "dmabench c2c": starts each error line */
	void *opts;			/* the command's options struct the rows' off point into */
	const struct flag *flags;
	size_t nflags;
	bool *help;			/* set by --help and -h */
	/* positional arguments: up to max_pos into pos (NULL: none accepted) */
	const char **pos;
	int max_pos, npos;
	bool given[64];			/* by row, after flag_parse */
};

#define FLAG_VAR(type, field)	.off = offsetof(type, field)
#define FLAG_BUF_VAR(type, field) \
	.off = offsetof(type, field), .max = sizeof(((type *)0)->field)
#define FLAG_WORDS(...) \
	.words = (const char *const[]){ __VA_ARGS__ }, \
	.nwords = sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)
#define FLAG_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Apply every row's def, then argv[1..]. 0 or -EINVAL with the line in err. */
int flag_parse(struct flag_cmd *c, int argc, char **argv, char *err, size_t errlen);
/* Every row with a quick value that was not given takes it. */
void flag_apply_quick(struct flag_cmd *c);
/* Whether the row named name was given on the command line. */
bool flag_given(const struct flag_cmd *c, const char *name);
/* The rows as --help lines: "  --name=ARG   help (default D; --quick Q)";
 * a numeric row without def or show says the value its variable holds in
 * c->opts (set it to the command's defaults first; c->opts NULL: nothing). */
void flag_usage(const struct flag_cmd *c, FILE *f);

/* The one number parsers: whole-string unsigned decimal in [min, max]; a
 * duration (N seconds, Ns, Nms, Nm, Nh) in ms within [min, max]; a finite
 * double (no sign '+', no spaces). 0 or -EINVAL. */
int flag_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int flag_parse_duration_ms(const char *s, uint64_t min, uint64_t max, uint64_t *ms);
int flag_parse_double(const char *s, double *out);

/*
 * The one quoting helper: s as it may appear in a one-line message or on a
 * terminal, in buf: every control byte (below 0x20, and 0x7f) as \xNN, so
 * a value, a cell or a path cannot break the line, move the cursor or start
 * an escape sequence; NULL as "". Cut with "..." where buf would overflow
 * (len - 8 bytes shown at most). A flag's value in an error line takes a
 * buffer of FLAG_QUOTE_LEN: 200 bytes, then "..."; a path or message that
 * must stand whole, one of 4 x its size + 8. Returns buf.
 */
#define FLAG_QUOTE_LEN	208
const char *flag_quote(const char *s, char *buf, size_t len);

/* The one error formatter: "PROG: FLAG: invalid value 'V': WHY" into err
 * (V quoted). Returns -EINVAL. */
int flag_bad(char *err, size_t errlen, const char *prog, const char *flag, const char *val,
	     const char *why);

#endif
