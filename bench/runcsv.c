/* The run-directory CSV validator: see runcsv.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "flag.h"
#include "runcsv.h"

enum rule { R_KEY, R_INT, R_POS, R_POS_OPT, R_NUM_OPT };

struct col_rule {
	const char *name;
	enum rule rule;
	long long lo, hi;	/* R_INT */
	bool required;
	bool in_key;
};

/* The schema and the configuration key, the same in both files. */
#define KEY_RULES \
	{ "schema", R_INT, 1, 1, true, false }, \
	{ "scenario", R_KEY, 0, 0, true, true }, \
	{ "strategy", R_KEY, 0, 0, true, true }, \
	{ "mode", R_KEY, 0, 0, true, true }, \
	{ "invalidation", R_KEY, 0, 0, true, true }, \
	{ "sharing", R_KEY, 0, 0, true, true }, \
	{ "placement", R_KEY, 0, 0, true, true }, \
	{ "home_node", R_INT, -1, RUNCSV_MAX_NODE, true, true }, \
	{ "threads", R_INT, 1, RUNCSV_MAX_THREADS, true, true }

static const struct col_rule results_rules[] = {
	KEY_RULES,
	{ "rep", R_INT, 1, RUNCSV_MAX_REP, true, true },
	{ "ns_per_op", R_POS_OPT, 0, 0, true, false },
	{ "mops_per_s", R_NUM_OPT, 0, 0, false, false },
	{ "duration_ns", R_NUM_OPT, 0, 0, false, false },
};

static const struct col_rule summary_rules[] = {
	KEY_RULES,
	{ "ns_per_op_median", R_POS, 0, 0, true, false },
	{ "mops_per_s_median", R_POS, 0, 0, true, false },
	{ "ns_per_op_min", R_NUM_OPT, 0, 0, false, false },
	{ "ns_per_op_max", R_NUM_OPT, 0, 0, false, false },
	{ "mops_per_s_min", R_NUM_OPT, 0, 0, false, false },
	{ "mops_per_s_max", R_NUM_OPT, 0, 0, false, false },
	{ "overhead_ns", R_NUM_OPT, 0, 0, false, false },
	{ "overhead_ci_lo", R_NUM_OPT, 0, 0, false, false },
	{ "overhead_ci_hi", R_NUM_OPT, 0, 0, false, false },
	{ "model_refcount_ns", R_NUM_OPT, 0, 0, false, false },
};

#define MAX_RULES	32

int runcsv_read(const char *path, struct csv_table *t, char *err, size_t errlen)
{
	size_t len = 0, cap;
	struct stat st;
	char *buf = NULL;
	int fd, rc;

	memset(t, 0, sizeof(*t));
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; the checked
	 * descriptor is the one read, so nothing can be swapped in between */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		rc = -EINVAL;
		goto out;
	}
	if ((uintmax_t)st.st_size > CSV_MAX_BYTES_DEFAULT) {
		snprintf(err, errlen, "%s: file is %jd bytes, larger than the %zu-byte limit", path,
			 (intmax_t)st.st_size, CSV_MAX_BYTES_DEFAULT);
		rc = -EFBIG;
		goto out;
	}
	cap = (size_t)st.st_size + 1;	/* it may grow while read: to the limit */
	buf = malloc(cap);
	for (;;) {
		ssize_t n;

		if (!buf) {
			snprintf(err, errlen, "%s: out of memory", path);
			rc = -ENOMEM;
			goto out;
		}
		if (len == cap) {
			char *nb;

			if (cap > CSV_MAX_BYTES_DEFAULT) {
				snprintf(err, errlen, "%s: larger than the %zu-byte limit", path,
					 CSV_MAX_BYTES_DEFAULT);
				rc = -EFBIG;
				goto out;
			}
			nb = realloc(buf, cap * 2);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
			continue;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	rc = csv_parse_buffer(buf, len, path, t, err, errlen);
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* See runcsv.h. */
bool runcsv_key_ok(const char *s)
{
	if (!*s || *s == '.' || *s == ':' || *s == '+')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("_.:+-", *s)))
			return false;
	return true;
}

struct keyed {
	const struct csv_table *t;
	const int *kc;
	int nk;
	size_t row;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	for (int k = 0; k < x->nk; k++) {
		int d = strcmp(csv_cell(x->t, x->row, x->kc[k]), csv_cell(y->t, y->row, y->kc[k]));

		if (d)
			return d;
	}
	return (x->row > y->row) - (x->row < y->row);
}

static int keys_equal(const struct keyed *x, const struct keyed *y)
{
	for (int k = 0; k < x->nk; k++)
		if (strcmp(csv_cell(x->t, x->row, x->kc[k]), csv_cell(y->t, y->row, y->kc[k])))
			return 0;
	return 1;
}

int runcsv_check(const struct csv_table *t, enum runcsv_kind kind, const char *path,
		 char *err, size_t errlen)
{
	const struct col_rule *rules = kind == RUNCSV_RESULTS ? results_rules : summary_rules;
	size_t nrules = kind == RUNCSV_RESULTS ? sizeof(results_rules) / sizeof(results_rules[0])
					       : sizeof(summary_rules) / sizeof(summary_rules[0]);
	int col[MAX_RULES], kc[MAX_RULES], nk = 0;
	size_t n = csv_rows(t);
	struct keyed *ks;

	for (size_t r = 0; r < nrules; r++) {
		col[r] = csv_col(t, rules[r].name);
		if (col[r] < 0 && rules[r].required) {
			snprintf(err, errlen, "%s: missing column %s", path, rules[r].name);
			return -EINVAL;
		}
		if (rules[r].in_key)
			kc[nk++] = col[r];
	}
	if (!n) {
		snprintf(err, errlen, "%s: no data rows", path);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t r = 0; r < nrules; r++) {
			const char *v;
			long long x;
			double d;
			int rc;

			if (col[r] < 0)
				continue;
			v = csv_cell(t, i, col[r]);
			switch (rules[r].rule) {
			case R_KEY:
				if (runcsv_key_ok(v))
					continue;
				snprintf(err, errlen, "%s: line %zu: column %s: bad value '%.60s'", path,
					 t->row_line[i], rules[r].name, v);
				return -EINVAL;
			case R_INT:
				if (!csv_cell_ll(t, i, col[r], &x) && x >= rules[r].lo && x <= rules[r].hi &&
				    v[0] != '+')
					continue;
				if (!strcmp(rules[r].name, "schema"))
					snprintf(err, errlen, "%s: line %zu: schema is '%.60s', this dmabench reads schema 1",
						 path, t->row_line[i], v);
				else
					snprintf(err, errlen, "%s: line %zu: column %s: not an integer from %lld to %lld: '%.60s'",
						 path, t->row_line[i], rules[r].name, rules[r].lo, rules[r].hi, v);
				return -EINVAL;
			default:
				rc = csv_cell_double(t, i, col[r], &d);
				if (rc == -ENODATA && rules[r].rule != R_POS)
					continue;
				if (!rc && isfinite(d) && fabs(d) < RUNCSV_MAX_ABS &&
				    ((rules[r].rule != R_POS && rules[r].rule != R_POS_OPT) || d > 0))
					continue;
				snprintf(err, errlen, "%s: line %zu: column %s: not a %snumber: '%.60s'",
					 path, t->row_line[i], rules[r].name,
					 rules[r].rule == R_POS || rules[r].rule == R_POS_OPT ? "positive " : "", v);
				return -EINVAL;
			}
		}
	}
	/* a configuration (and repetition) twice: sorted, neighbours compared */
	ks = malloc(n * sizeof(*ks));
	if (!ks) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		ks[i] = (struct keyed){ .t = t, .kc = kc, .nk = nk, .row = i };
	qsort(ks, n, sizeof(*ks), keyed_cmp);
	for (size_t i = 1; i < n; i++) {
		if (!keys_equal(&ks[i - 1], &ks[i]))
			continue;
		snprintf(err, errlen, "%s: line %zu: %s repeated (first on line %zu)", path,
			 t->row_line[ks[i].row],
			 kind == RUNCSV_RESULTS ? "configuration and rep" : "configuration",
			 t->row_line[ks[i - 1].row]);
		free(ks);
		return -EINVAL;
	}
	free(ks);
	return 0;
}

int runcsv_main(int argc, char **argv)
{
	char err[1024];

	if (argc < 2) {
		fprintf(stderr, "dmabench check-csv: usage: dmabench check-csv FILE... (results.csv or summary.csv)\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		enum runcsv_kind kind;
		struct csv_table t;
		int rc;

		base = base ? base + 1 : argv[i];
		if (!strcmp(base, "results.csv")) {
			kind = RUNCSV_RESULTS;
		} else if (!strcmp(base, "summary.csv")) {
			kind = RUNCSV_SUMMARY;
		} else {
			char esc[2048];

			fprintf(stderr, "dmabench check-csv: %s: expected a results.csv or summary.csv\n",
				flag_quote(argv[i], esc, sizeof(esc)));
			return 2;
		}
		rc = runcsv_read(argv[i], &t, err, sizeof(err));
		if (!rc)
			rc = runcsv_check(&t, kind, argv[i], err, sizeof(err));
		csv_free(&t);
		if (rc) {
			char esc[2048];

			fprintf(stderr, "dmabench check-csv: %s\n", flag_quote(err, esc, sizeof(esc)));
			return rc == -ENOMEM ? 1 : 2;
		}
	}
	return 0;
}
