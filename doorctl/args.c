/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exit-codes.h"
#include "log.h"
#include "verbs.h"

static size_t count_options(const struct option *o)
{
	size_t n = 0;

	while (o[n].name)
		n++;
	return n;
}

/* Does any verb have a long option NAME that takes a separate argument? */
static bool option_takes_argument(const char *name)
{
	const struct verb *v;
	const struct option *o;

	for (v = verbs; v->name; v++)
		for (o = v->options; o->name; o++)
			if (o->has_arg == required_argument && !strcmp(o->name, name))
				return true;
	return false;
}

/* The first argument that is neither an option nor an option's
 * argument names the verb. */
static const char *find_verb_name(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (!strcmp(s, "--"))
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (s[0] != '-' || !s[1])
			return s;
		if (s[1] == '-' && !strchr(s, '=') && option_takes_argument(s + 2))
			i++;
	}
	return NULL;
}

static struct option *merge_options(const struct verb *v)
{
	size_t ng = count_options(global_options), nv = count_options(v->options);
	struct option *o = calloc(ng + nv + 1, sizeof(*o));

	if (!o)
		return NULL;
	memcpy(o, global_options, ng * sizeof(*o));
	memcpy(o + ng, v->options, nv * sizeof(*o));
	return o;
}

static int parse_number(const char *s, long min, long max, long *ret)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < min || n > max)
		return -EINVAL;
	*ret = n;
	return 0;
}

static int parse_uid(const char *s, uid_t *ret)
{
	struct passwd pw, *res = NULL;
	char buf[1024];
	long n;

	if (parse_number(s, 0, (long)UINT32_MAX - 1, &n) == 0) {
		*ret = (uid_t)n;
		return 0;
	}
	if (getpwnam_r(s, &pw, buf, sizeof(buf), &res) == 0 && res) {
		*ret = res->pw_uid;
		return 0;
	}
	return -EINVAL;
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_errorv(fmt, ap);
	va_end(ap);
	return DOORCTL_EXIT_USAGE;
}

static int add_fd_file(struct args *a, const char *path)
{
	const char **fds = realloc(a->fds, (a->n_fds + 1) * sizeof(*fds));

	if (!fds) {
		log_error("Out of memory.");
		return DOORCTL_EXIT_FAILURE;
	}
	fds[a->n_fds++] = path;
	a->fds = fds;
	return 0;
}

static int parse_option(struct args *a, int c, const char *arg)
{
	long n;

	switch (c) {
	case 'h':
		a->help = true;
		return 0;
	case ARG_VERSION:
		a->version = true;
		return 0;
	case 'q':
		a->quiet = true;
		return 0;
	case ARG_NO_LEGEND:
		a->legend = false;
		return 0;
	case ARG_NO_PAGER:
		a->pager = false;
		return 0;
	case ARG_JSON:
		if (!arg) {
			a->json = isatty(STDOUT_FILENO) ? JSON_MODE_PRETTY :
							  JSON_MODE_SHORT;
			return 0;
		}
		if (json_mode_from_string(arg, &a->json) < 0)
			return usage_error("Invalid --json mode '%s': use pretty, short or off.", arg);
		return 0;
	case ARG_PID:
		if (parse_number(arg, 1, INT_MAX, &n) < 0)
			return usage_error("Invalid process ID '%s'.", arg);
		a->pid = (pid_t)n;
		return 0;
	case ARG_FD:
		if (!strcmp(a->verb->name, "call"))
			return add_fd_file(a, arg);
		if (parse_number(arg, 0, INT_MAX, &n) < 0)
			return usage_error("Invalid descriptor number '%s'.", arg);
		a->fd = (int)n;
		return 0;
	case ARG_FROM:
		a->from = arg;
		return 0;
	case ARG_DATA:
		a->data = arg;
		return 0;
	case ARG_FILE:
		a->file = arg;
		return 0;
	case ARG_UID:
		if (parse_uid(arg, &a->uid) < 0)
			return usage_error("Invalid user '%s'.", arg);
		a->uid_set = true;
		return 0;
	case ARG_CONFIG:
		a->config = arg;
		return 0;
	case ARG_OP:
		if (!strcmp(arg, "lookup"))
			a->op = EXPLAIN_OP_LOOKUP;
		else if (!strcmp(arg, "attach"))
			a->op = EXPLAIN_OP_ATTACH;
		else
			return usage_error("Invalid operation '%s': use lookup or attach.", arg);
		return 0;
	default:
		return usage_error("Unexpected option '%s'.", arg ? arg : "?");
	}
}

static int check_attach(const struct args *a)
{
	bool by_fd = a->pid > 0 || a->fd >= 0;

	if (by_fd && a->from)
		return usage_error("%s: give either --pid and --fd, or --from.", "attach");
	if (by_fd && (a->pid <= 0 || a->fd < 0))
		return usage_error("%s: --pid and --fd go together.", "attach");
	if (!by_fd && !a->from)
		return usage_error("%s: needs --pid and --fd, or --from.", "attach");
	return 0;
}

static int check_call(const struct args *a)
{
	int sources = !!a->data + !!a->file;

	if (a->argc == 2) {
		if (strcmp(a->argv[1], "-"))
			return usage_error("call: unexpected argument '%s'.", a->argv[1]);
		sources++;
	}
	if (sources > 1)
		return usage_error("%s: give at most one of --data, --file and -.", "call");
	return 0;
}

static int check_explain(const struct args *a)
{
	if (!a->uid_set)
		return usage_error("%s: --uid is required.", "explain");
	if (a->op == EXPLAIN_OP_NONE)
		return usage_error("%s: --op is required.", "explain");
	return 0;
}

static int check_verb(const struct args *a)
{
	const struct verb *v = a->verb;

	if (a->argc < v->min_args)
		return usage_error("Too few arguments for '%s'.", v->name);
	if (v->max_args >= 0 && a->argc > v->max_args)
		return usage_error("Too many arguments for '%s'.", v->name);
	if (!strcmp(v->name, "attach"))
		return check_attach(a);
	if (!strcmp(v->name, "call"))
		return check_call(a);
	if (!strcmp(v->name, "explain"))
		return check_explain(a);
	return 0;
}

static int bad_option(const struct args *a, int c, char **argv)
{
	const char *opt = argv[optind - 1];
	char shortopt[3] = { '-', (char)optopt, 0 };

	if (optopt && optopt < 0x100 && opt[1] != '-')
		opt = shortopt;
	if (c == ':')
		return usage_error("Option '%s' needs an argument.", opt);
	log_error("Unknown option '%s' for '%s'.", opt, a->verb->name);
	return DOORCTL_EXIT_USAGE;
}

static int parse_options(int argc, char **argv, struct args *a)
{
	struct option *options = merge_options(a->verb);
	int c, r = 0;

	if (!options) {
		log_error("Out of memory.");
		return DOORCTL_EXIT_FAILURE;
	}
	opterr = 0;
	optind = 0;
	while (r == 0 && (c = getopt_long(argc, argv, ":hq", options, NULL)) >= 0) {
		if (c == '?' || c == ':')
			r = bad_option(a, c, argv);
		else
			r = parse_option(a, c, optarg);
	}
	free(options);
	return r;
}

int args_parse(int argc, char **argv, struct args *a)
{
	const char *name = find_verb_name(argc, argv);
	int r;

	*a = (struct args){ .legend = true, .pager = true, .fd = -1 };
	a->verb_named = name != NULL;
	a->verb = name ? verb_find(name) : verb_default();
	if (!a->verb)
		return usage_error("Unknown command '%s'.", name);

	r = parse_options(argc, argv, a);
	if (r)
		return r;

	a->argv = argv + optind + (name ? 1 : 0);
	a->argc = argc - optind - (name ? 1 : 0);
	if (a->help || a->version)
		return 0;
	return check_verb(a);
}

void args_free(struct args *a)
{
	free(a->fds);
	a->fds = NULL;
	a->n_fds = 0;
}
