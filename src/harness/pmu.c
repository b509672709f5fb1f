/* Counters through libpfm4 + perf_event_open: see pmu.h. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <perfmon/pfmlib_perf_event.h>
#include "harness/pmu.h"

struct pmu_event_spec {
	struct perf_event_attr attr;
	char *fstr;		/* libpfm4's fully qualified name */
};

/* ---- init ---- */

static pthread_once_t pfm_once = PTHREAD_ONCE_INIT;
static int pfm_init_rc;

static int pfm_to_errno(int rc)
{
	switch (rc) {
	case PFM_SUCCESS:	return 0;
	case PFM_ERR_NOTSUPP:	return -EOPNOTSUPP;
	case PFM_ERR_NOMEM:	return -ENOMEM;
	case PFM_ERR_NOTFOUND:	return -ENOENT;
	case PFM_ERR_NOINIT:	return -ENODEV;
	default:		return -EINVAL;
	}
}

static void pfm_init_once(void)
{
	pfm_init_rc = pfm_to_errno(pfm_initialize());
	if (pfm_init_rc == -ENOENT || pfm_init_rc == -EINVAL)
		pfm_init_rc = -ENODEV;
}

int pmu_init(void)
{
	pthread_once(&pfm_once, pfm_init_once);
	return pfm_init_rc;
}

/* ---- test hook ---- */

static int deny_mode;	/* enum pmu_deny */

void pmu_set_deny(enum pmu_deny mode)
{
	__atomic_store_n(&deny_mode, (int)mode, __ATOMIC_RELAXED);
}

static enum pmu_deny deny_now(void)
{
	int m = __atomic_load_n(&deny_mode, __ATOMIC_RELAXED);
	const char *e;

	if (m != PMU_DENY_NONE)
		return (enum pmu_deny)m;
	e = getenv("DMABENCH_PMU_DENY");
	if (!e || !*e || !strcmp(e, "0"))
		return PMU_DENY_NONE;
	return !strcmp(e, "kernel") ? PMU_DENY_KERNEL : PMU_DENY_ALL;
}

/* ---- parsing ---- */

/* perf(1)'s names -> libpfm4's perf pseudo-PMU, so "cycles" is never another PMU's event */
static const struct {
	const char *alias, *pfm;
} aliases[] = {
	{ "cycles",			"perf::CYCLES" },
	{ "cpu-cycles",			"perf::CPU-CYCLES" },
	{ "instructions",		"perf::INSTRUCTIONS" },
	{ "cache-references",		"perf::CACHE-REFERENCES" },
	{ "cache-misses",		"perf::CACHE-MISSES" },
	{ "branches",			"perf::BRANCHES" },
	{ "branch-instructions",	"perf::BRANCH-INSTRUCTIONS" },
	{ "branch-misses",		"perf::BRANCH-MISSES" },
	{ "bus-cycles",			"perf::BUS-CYCLES" },
	{ "ref-cycles",			"perf::REF-CYCLES" },
	{ "stalled-cycles-frontend",	"perf::STALLED-CYCLES-FRONTEND" },
	{ "stalled-cycles-backend",	"perf::STALLED-CYCLES-BACKEND" },
	{ "cpu-clock",			"perf::CPU-CLOCK" },
	{ "task-clock",			"perf::TASK-CLOCK" },
	{ "page-faults",		"perf::PAGE-FAULTS" },
	{ "faults",			"perf::FAULTS" },
	{ "minor-faults",		"perf::MINOR-FAULTS" },
	{ "major-faults",		"perf::MAJOR-FAULTS" },
	{ "context-switches",		"perf::CONTEXT-SWITCHES" },
	{ "cs",				"perf::CS" },
	{ "cpu-migrations",		"perf::CPU-MIGRATIONS" },
	{ "migrations",			"perf::MIGRATIONS" },
	{ "alignment-faults",		"perf::ALIGNMENT-FAULTS" },
	{ "emulation-faults",		"perf::EMULATION-FAULTS" },
};

/* name with a friendly stem ("cycles:u") -> "perf::CYCLES:u"; others unchanged */
static void resolve_alias(const char *name, char *out, size_t len)
{
	const char *colon = strchr(name, ':');
	size_t stem = colon && colon[1] != ':' ? (size_t)(colon - name) : strlen(name);

	if (colon && colon[1] == ':') {		/* "pmu::EVENT": already libpfm4's */
		snprintf(out, len, "%s", name);
		return;
	}
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strlen(aliases[i].alias) == stem && !strncasecmp(name, aliases[i].alias, stem)) {
			snprintf(out, len, "%s%s", aliases[i].pfm, name + stem);
			return;
		}
	snprintf(out, len, "%s", name);
}

static void make_base(const char *name, char *base, size_t len)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < len; i++) {
		unsigned char c = (unsigned char)tolower((unsigned char)name[i]);

		base[i] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? (char)c : '_';
	}
	base[i] = '\0';
}

static int set_err(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int set_err(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* encode one name into spec; 0 or -EINVAL/-ENOMEM with err set */
static int encode(const char *name, struct pmu_event_spec *spec, char *err, size_t errlen)
{
	char pfm_name[PMU_NAME_MAX + 32];
	pfm_perf_encode_arg_t arg;
	int rc;

	resolve_alias(name, pfm_name, sizeof(pfm_name));
	memset(spec, 0, sizeof(*spec));
	memset(&arg, 0, sizeof(arg));
	arg.attr = &spec->attr;
	arg.fstr = &spec->fstr;
	arg.size = sizeof(arg);
	/* user and kernel by default; a ":u" in the name narrows it */
	rc = pfm_get_os_event_encoding(pfm_name, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
	if (rc != PFM_SUCCESS) {
		free(spec->fstr);
		spec->fstr = NULL;
		if (rc == PFM_ERR_NOMEM)
			return set_err(err, errlen, -ENOMEM, "out of memory encoding event '%s'", name);
		return set_err(err, errlen, -EINVAL, "unknown event '%s' (libpfm4: %s)",
			       name, pfm_strerror(rc));
	}
	spec->attr.size = sizeof(spec->attr);
	return 0;
}

void pmu_events_free(struct pmu_events *ev)
{
	if (!ev)
		return;
	if (ev->spec)
		for (unsigned int i = 0; i < ev->n; i++)
			free(ev->spec[i].fstr);
	free(ev->spec);
	ev->spec = NULL;
	ev->n = 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int pmu_events_parse(const char *list, struct pmu_events *ev, char *err, size_t errlen)
{
	char *copy, *save = NULL, *tok;
	int rc;

	memset(ev, 0, sizeof(*ev));
	if (err && errlen)
		err[0] = '\0';
	rc = pmu_init();
	if (rc)
		return set_err(err, errlen, -ENODEV, "libpfm4 cannot initialise: %s", strerror(-rc));
	if (!list)
		list = PMU_DEFAULT_EVENTS;
	copy = strdup(list);
	ev->spec = calloc(PMU_MAX_EVENTS, sizeof(*ev->spec));
	if (!copy || !ev->spec) {
		rc = set_err(err, errlen, -ENOMEM, "out of memory");
		goto fail;
	}
	if (!strcmp(trim(copy), "none")) {
		free(copy);
		return 0;
	}
	/* strsep, not strtok: an empty item between two commas is an error, not skipped */
	save = copy;
	while ((tok = strsep(&save, ",")) != NULL) {
		unsigned int i = ev->n;

		tok = trim(tok);
		if (!*tok) {
			rc = set_err(err, errlen, -EINVAL, "empty event name in '%s'", list);
			goto fail;
		}
		if (strlen(tok) >= PMU_NAME_MAX) {
			rc = set_err(err, errlen, -EINVAL, "event name '%s' too long (max %d characters)",
				     tok, PMU_NAME_MAX - 1);
			goto fail;
		}
		if (i == PMU_MAX_EVENTS) {
			rc = set_err(err, errlen, -EINVAL, "more than %d events", PMU_MAX_EVENTS);
			goto fail;
		}
		rc = encode(tok, &ev->spec[i], err, errlen);
		if (rc)
			goto fail;
		ev->n++;	/* owns spec[i].fstr from here */
		snprintf(ev->name[i], sizeof(ev->name[i]), "%s", tok);
		make_base(tok, ev->base[i], sizeof(ev->base[i]));
		/* base is < PMU_NAME_MAX, column has room for it and the suffix */
		strcpy(ev->column[i], ev->base[i]);
		strcat(ev->column[i], "_per_op");
		for (unsigned int k = 0; k < i; k++)
			if (!strcmp(ev->base[k], ev->base[i])) {
				rc = set_err(err, errlen, -EINVAL,
					     "events '%s' and '%s' would share the column %s",
					     ev->name[k], tok, ev->column[i]);
				goto fail;
			}
	}
	free(copy);
	return 0;
fail:
	free(copy);
	pmu_events_free(ev);
	return rc;
}

const char *pmu_events_encoding(const struct pmu_events *ev, unsigned int i)
{
	if (!ev || i >= ev->n || !ev->spec || !ev->spec[i].fstr)
		return "";
	return ev->spec[i].fstr;
}

/* ---- per thread ---- */

/* software events that fire in kernel context: user-only counting sees none */
static bool kernel_context_only(const struct perf_event_attr *a)
{
	return a->type == PERF_TYPE_SOFTWARE &&
	       (a->config == PERF_COUNT_SW_CONTEXT_SWITCHES ||
		a->config == PERF_COUNT_SW_CPU_MIGRATIONS ||
		a->config == PERF_COUNT_SW_CGROUP_SWITCHES);
}

static int sys_perf_event_open(struct perf_event_attr *attr)
{
	enum pmu_deny d = deny_now();

	if (d == PMU_DENY_ALL || (d == PMU_DENY_KERNEL && !attr->exclude_kernel)) {
		errno = EACCES;
		return -1;
	}
	return (int)syscall(__NR_perf_event_open, attr, 0 /* this thread */, -1 /* any cpu */,
			    -1 /* no group */, PERF_FLAG_FD_CLOEXEC);
}

/* open one event for the calling thread: fd, or -errno; *user_only says how it counts */
static int open_event(const struct pmu_event_spec *spec, bool *user_only)
{
	struct perf_event_attr a = spec->attr;
	int fd;

	a.disabled = 1;
	a.inherit = 0;
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	*user_only = a.exclude_kernel;
	fd = sys_perf_event_open(&a);
	if (fd >= 0)
		return fd;
	if ((errno == EACCES || errno == EPERM) && !a.exclude_kernel) {
		int first = errno;

		if (kernel_context_only(&a))
			return -first;
		a.exclude_kernel = 1;
		a.exclude_hv = 1;
		*user_only = true;
		fd = sys_perf_event_open(&a);
		if (fd >= 0)
			return fd;
		/* still refused: report the first refusal, not the retry's */
		if (errno == EACCES || errno == EPERM)
			errno = first;
	}
	return -errno;
}

int pmu_thread_open(struct pmu_thread *t, const struct pmu_events *ev)
{
	if (!t || !ev)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->ev = ev;
	for (unsigned int i = 0; i < PMU_MAX_EVENTS; i++)
		t->fd[i] = -1;
	for (unsigned int i = 0; i < ev->n; i++) {
		int fd = open_event(&ev->spec[i], &t->user_only[i]);

		if (fd >= 0)
			t->fd[i] = fd;
		else
			t->err[i] = -fd;
	}
	return 0;
}

unsigned int pmu_thread_nr_open(const struct pmu_thread *t)
{
	unsigned int n = 0;

	for (unsigned int i = 0; t->ev && i < t->ev->n; i++)
		n += t->fd[i] >= 0;
	return n;
}

/* an event that failed mid-use: close it and remember why */
static int drop(struct pmu_thread *t, unsigned int i, int err)
{
	close(t->fd[i]);
	t->fd[i] = -1;
	t->err[i] = err ? err : EIO;
	return -t->err[i];
}

static int read3(int fd, uint64_t v[3])
{
	ssize_t r = read(fd, v, 3 * sizeof(uint64_t));

	if (r == (ssize_t)(3 * sizeof(uint64_t)))
		return 0;
	return r < 0 ? errno : EIO;
}

int pmu_thread_start(struct pmu_thread *t)
{
	int rc = 0, e;

	for (unsigned int i = 0; t->ev && i < t->ev->n; i++) {
		if (t->fd[i] < 0)
			continue;
		/* counts and times accumulate over enables: keep the start, subtract it */
		e = read3(t->fd[i], t->base[i]);
		if (!e && ioctl(t->fd[i], PERF_EVENT_IOC_ENABLE, 0))
			e = errno;
		if (e) {
			int d = drop(t, i, e);

			if (!rc)
				rc = d;
		}
	}
	return rc;
}

/* req (enable or disable) on every open event: 0, or the first -errno (that event becomes unavailable) */
static int ioctl_all(struct pmu_thread *t, unsigned long req)
{
	int rc = 0;

	for (unsigned int i = 0; t->ev && i < t->ev->n; i++) {
		if (t->fd[i] < 0)
			continue;
		if (ioctl(t->fd[i], req, 0)) {
			int e = drop(t, i, errno);

			if (!rc)
				rc = e;
		}
	}
	return rc;
}

int pmu_thread_stop(struct pmu_thread *t)
{
	return ioctl_all(t, PERF_EVENT_IOC_DISABLE);
}

int pmu_thread_resume(struct pmu_thread *t)
{
	/* no new start: the counts go on from where pmu_thread_stop() left them */
	return ioctl_all(t, PERF_EVENT_IOC_ENABLE);
}

int pmu_thread_read(struct pmu_thread *t, struct pmu_totals *out)
{
	pmu_totals_init(out, t->ev);
	for (unsigned int i = 0; t->ev && i < t->ev->n; i++) {
		uint64_t v[3];
		int e;

		if (t->fd[i] < 0) {
			pmu_totals_record_error(out, i, t->err[i]);
			continue;
		}
		e = read3(t->fd[i], v);
		if (e) {
			pmu_totals_record_error(out, i, -drop(t, i, e));
			continue;
		}
		pmu_totals_record(out, i, v[0] - t->base[i][0], v[1] - t->base[i][1],
				  v[2] - t->base[i][2], t->user_only[i]);
	}
	return 0;
}

void pmu_thread_close(struct pmu_thread *t)
{
	if (!t)
		return;
	for (unsigned int i = 0; i < PMU_MAX_EVENTS; i++)
		if (t->fd[i] >= 0) {
			close(t->fd[i]);
			t->fd[i] = -1;
		}
}

int pmu_probe(const char *name)
{
	struct pmu_event_spec spec;
	bool user_only;
	int fd, rc;

	rc = pmu_init();
	if (rc)
		return rc;
	rc = encode(name, &spec, NULL, 0);
	if (rc)
		return rc;
	free(spec.fstr);
	fd = open_event(&spec, &user_only);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* ---- totals ---- */

void pmu_totals_init(struct pmu_totals *t, const struct pmu_events *ev)
{
	memset(t, 0, sizeof(*t));
	t->ev = ev;
	t->n = ev ? ev->n : 0;
}

void pmu_totals_record(struct pmu_totals *t, unsigned int i, uint64_t value,
		       uint64_t enabled, uint64_t running, bool user_only)
{
	struct pmu_count *c;

	if (i >= t->n)
		return;
	c = &t->c[i];
	c->threads++;
	c->user_only |= user_only;
	if (running == 0) {
		c->not_counted = true;
		return;
	}
	c->enabled += enabled;
	c->running += running;
	/* multiplexed: the event ran running/enabled of the time; extrapolate */
	c->value += running < enabled ? (double)value * ((double)enabled / (double)running)
				      : (double)value;
}

void pmu_totals_record_error(struct pmu_totals *t, unsigned int i, int err)
{
	if (i >= t->n)
		return;
	if (!t->c[i].err)
		t->c[i].err = err > 0 ? err : EIO;
}

int pmu_totals_add(struct pmu_totals *dst, const struct pmu_totals *src)
{
	if (dst->n != src->n)
		return -EINVAL;
	if (!dst->ev)
		dst->ev = src->ev;
	for (unsigned int i = 0; i < src->n; i++) {
		struct pmu_count *d = &dst->c[i];
		const struct pmu_count *s = &src->c[i];

		d->value += s->value;
		d->enabled += s->enabled;
		d->running += s->running;
		d->threads += s->threads;
		if (!d->err)
			d->err = s->err;
		d->not_counted |= s->not_counted;
		d->user_only |= s->user_only;
	}
	return 0;
}

int pmu_totals_value(const struct pmu_totals *t, unsigned int i, double *v)
{
	const struct pmu_count *c;

	if (!t || i >= t->n)
		return -EINVAL;
	c = &t->c[i];
	if (c->err)
		return -c->err;
	if (c->not_counted || !c->threads)
		return -ENODATA;
	*v = c->value;
	return 0;
}

static const char *errno_name(int err, char *buf, size_t len)
{
	const char *s = strerrorname_np(err);

	if (s)
		return s;
	snprintf(buf, len, "errno%d", err);
	return buf;
}

int pmu_totals_event_status(const struct pmu_totals *t, unsigned int i, char *buf, size_t len)
{
	const struct pmu_count *c;
	char tmp[24];
	int n;

	if (!t || i >= t->n || !len)
		return -EINVAL;
	c = &t->c[i];
	if (c->err)
		n = snprintf(buf, len, "unavailable(%s)", errno_name(c->err, tmp, sizeof(tmp)));
	else if (c->not_counted)
		n = snprintf(buf, len, "unavailable(not-counted)");
	else if (!c->threads)
		n = snprintf(buf, len, "unavailable(no-data)");
	else if (c->running < c->enabled)
		n = snprintf(buf, len, "scaled(%.0f%%%s)",
			     100.0 * (double)c->running / (double)c->enabled,
			     c->user_only ? "+user-only" : "");
	else
		n = snprintf(buf, len, "ok%s", c->user_only ? "(user-only)" : "");
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int pmu_totals_status(const struct pmu_totals *t, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (unsigned int i = 0; t && i < t->n; i++) {
		char word[64];
		const char *base = t->ev ? t->ev->base[i] : "?";
		int n;

		pmu_totals_event_status(t, i, word, sizeof(word));
		n = snprintf(buf + used, len - used, "%s%s:%s", i ? ";" : "", base, word);
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = '\0';	/* whole entries only */
			return -ENOSPC;
		}
		used += (size_t)n;
	}
	return 0;
}
