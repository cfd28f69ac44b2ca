/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parsing and evaluation of doord.json(5). Parsing is strict: an
 * unknown key, a wrong type or a malformed path rejects the whole
 * file with its position, because a typo that silently widened or
 * narrowed access is worse than a refused reload (doord then keeps
 * the policy it had). Unknown user and group names are only warnings:
 * a shipped default may name a group that a machine does not have,
 * and such an entry simply matches nobody.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <jansson.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json-locate.h"
#include "policy.h"
#include "util.h"

#define POLICY_FILE_MAX (1024 * 1024)
#define POLICY_FILES_MAX 1024
#define DEFAULT_ATTACHMENTS 1024
#define DEFAULT_LOOKUPS_PER_SECOND 1000

struct id_list {
	uint32_t *ids;
	size_t n;
};

/* Who an entry applies to: everybody when both lists were absent. */
struct subject_match {
	bool everybody;
	struct id_list uids, gids;
};

struct rule {
	unsigned ops;		/* 1 << enum policy_op */
	char **paths;
	size_t n_paths;
	struct subject_match who;
	bool allow;
	size_t file;
	int index, line;
};

struct limit {
	struct subject_match who;
	bool has_attachments, has_lookups;
	uint64_t attachments, lookups;
	size_t file;
	int index;
};

struct policy {
	char **files;
	size_t n_files;
	struct rule *rules;
	size_t n_rules;
	struct limit *limits;
	size_t n_limits;
};

/* Everything the parser of one file needs to report errors. */
struct parse {
	struct policy *p;
	size_t file;
	const char *name;
	const char *text;
	size_t len;
	struct policy_error *err;
	void (*warn)(const char *, int, int, const char *, void *);
	void *userdata;
	struct json_path_elem path[8];
	size_t depth;
};

static const char *const op_names[_POLICY_OP_MAX] = {
	[POLICY_OP_ATTACH] = "attach",
	[POLICY_OP_LOOKUP] = "lookup",
};

const char *policy_op_to_string(enum policy_op op)
{
	return op >= 0 && op < _POLICY_OP_MAX ? op_names[op] : NULL;
}

int policy_op_from_string(const char *s)
{
	int i;

	for (i = 0; i < _POLICY_OP_MAX; i++)
		if (strcmp(op_names[i], s) == 0)
			return i;
	return -EINVAL;
}

static void id_list_free(struct id_list *l)
{
	free(l->ids);
	l->ids = NULL;
	l->n = 0;
}

static bool id_list_has(const struct id_list *l, uint32_t id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->ids[i] == id)
			return true;
	return false;
}

static void rule_free(struct rule *r)
{
	size_t i;

	for (i = 0; i < r->n_paths; i++)
		free(r->paths[i]);
	free(r->paths);
	id_list_free(&r->who.uids);
	id_list_free(&r->who.gids);
}

struct policy *policy_free(struct policy *p)
{
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < p->n_rules; i++)
		rule_free(&p->rules[i]);
	for (i = 0; i < p->n_limits; i++) {
		id_list_free(&p->limits[i].who.uids);
		id_list_free(&p->limits[i].who.gids);
	}
	for (i = 0; i < p->n_files; i++)
		free(p->files[i]);
	free(p->rules);
	free(p->limits);
	free(p->files);
	free(p);
	return NULL;
}

static void pos_of(struct parse *ps, int *line, int *column)
{
	json_locate(ps->text, ps->len, ps->path, ps->depth, line, column);
}

/* Fails the parse at the value the current path names. */
__attribute__((format(printf, 2, 3)))
static int fail(struct parse *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->err) {
		snprintf(ps->err->file, sizeof(ps->err->file), "%s", ps->name);
		pos_of(ps, &ps->err->line, &ps->err->column);
		va_start(ap, fmt);
		vsnprintf(ps->err->text, sizeof(ps->err->text), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

__attribute__((format(printf, 2, 3)))
static void warn(struct parse *ps, const char *fmt, ...)
{
	char text[512];
	int line, column;
	va_list ap;

	if (!ps->warn)
		return;
	pos_of(ps, &line, &column);
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ps->warn(ps->name, line, column, text, ps->userdata);
}

static void push_key(struct parse *ps, const char *key)
{
	ps->path[ps->depth++] = (struct json_path_elem){ .key = key };
}

static void push_index(struct parse *ps, size_t i)
{
	ps->path[ps->depth++] = (struct json_path_elem){ .index = i };
}

static void pop(struct parse *ps)
{
	ps->depth--;
}

/* Absolute, normalised: no empty, "." or ".." components, no trailing
 * slash. Prefixes are compared as strings, so "/run/../etc" must not
 * be accepted as if it were under /run. */
static const char *path_problem(const char *s, size_t len)
{
	const char *c;

	if (len != strlen(s))
		return "contains a NUL character";
	if (len == 0 || s[0] != '/')
		return "is not an absolute path";
	if (len >= PATH_MAX)
		return "is too long";
	if (len == 1)
		return NULL;
	if (s[len - 1] == '/')
		return "ends with '/'";
	for (c = s; *c; ) {
		const char *next;
		size_t n;

		c++;
		next = strchrnul(c, '/');
		n = (size_t)(next - c);
		if (n == 0)
			return "contains '//'";
		if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return "contains a '.' or '..' component";
		c = next;
	}
	return NULL;
}

bool policy_path_has_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strcmp(prefix, "/") == 0)
		return path[0] == '/';
	if (strncmp(path, prefix, n) != 0)
		return false;
	return path[n] == '\0' || path[n] == '/';
}

static int parse_ops(struct parse *ps, json_t *v, unsigned *ret)
{
	size_t i;
	json_t *e;
	unsigned ops = 0;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return fail(ps, "\"operations\" must be a non-empty array of \"attach\" and \"lookup\"");
	json_array_foreach(v, i, e) {
		int op;

		push_index(ps, i);
		if (!json_is_string(e) || (op = policy_op_from_string(json_string_value(e))) < 0)
			return fail(ps, "unknown operation, expected \"attach\" or \"lookup\"");
		pop(ps);
		ops |= 1u << op;
	}
	*ret = ops;
	return 0;
}

static int parse_paths(struct parse *ps, json_t *v, struct rule *r)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return fail(ps, "\"paths\" must be a non-empty array of absolute paths");
	r->paths = calloc(json_array_size(v), sizeof(char *));
	if (!r->paths)
		return -ENOMEM;
	json_array_foreach(v, i, e) {
		const char *problem;

		push_index(ps, i);
		if (!json_is_string(e))
			return fail(ps, "a path must be a string");
		problem = path_problem(json_string_value(e), json_string_length(e));
		if (problem)
			return fail(ps, "path '%s' %s", json_string_value(e), problem);
		pop(ps);
		r->paths[r->n_paths] = strdup(json_string_value(e));
		if (!r->paths[r->n_paths])
			return -ENOMEM;
		r->n_paths++;
	}
	return 0;
}

/* Resolves a user or group given by number or name; returns 1 when it
 * was resolved, 0 when the name is unknown (a warning). */
static int resolve_id(struct parse *ps, json_t *e, bool group, uint32_t *ret)
{
	const char *name;

	if (json_is_integer(e)) {
		json_int_t id = json_integer_value(e);

		if (id < 0 || id >= (json_int_t)UINT32_MAX)
			return fail(ps, "%s id %lld is out of range", group ? "group" : "user",
				    (long long)id);
		*ret = (uint32_t)id;
		return 1;
	}
	if (!json_is_string(e) || json_string_length(e) != strlen(json_string_value(e)) ||
	    json_string_length(e) == 0)
		return fail(ps, "a %s must be a name or a number", group ? "group" : "user");
	name = json_string_value(e);
	if (group) {
		struct group *gr = getgrnam(name);

		if (gr) {
			*ret = gr->gr_gid;
			return 1;
		}
	} else {
		struct passwd *pw = getpwnam(name);

		if (pw) {
			*ret = pw->pw_uid;
			return 1;
		}
	}
	warn(ps, "unknown %s '%s', the entry matches nobody through it",
	     group ? "group" : "user", name);
	return 0;
}

static int parse_ids(struct parse *ps, json_t *v, bool group, struct id_list *l)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return fail(ps, "\"%s\" must be an array", group ? "groups" : "users");
	l->ids = calloc(json_array_size(v) + 1, sizeof(uint32_t));
	if (!l->ids)
		return -ENOMEM;
	json_array_foreach(v, i, e) {
		uint32_t id = 0;
		int r;

		push_index(ps, i);
		r = resolve_id(ps, e, group, &id);
		if (r < 0)
			return r;
		pop(ps);
		if (r > 0)
			l->ids[l->n++] = id;
	}
	return 0;
}

static int parse_who(struct parse *ps, json_t *obj, struct subject_match *who)
{
	json_t *users = json_object_get(obj, "users"), *groups = json_object_get(obj, "groups");
	int r;

	who->everybody = !users && !groups;
	if (users) {
		push_key(ps, "users");
		r = parse_ids(ps, users, false, &who->uids);
		if (r < 0)
			return r;
		pop(ps);
	}
	if (groups) {
		push_key(ps, "groups");
		r = parse_ids(ps, groups, true, &who->gids);
		if (r < 0)
			return r;
		pop(ps);
	}
	return 0;
}

/* Rejects keys outside the allowed set: typos must not pass silently. */
static int check_keys(struct parse *ps, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		const char *const *a;
		bool ok = strcmp(key, "comment") == 0;

		for (a = allowed; *a && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok) {
			push_key(ps, key);
			return fail(ps, "unknown key '%s'", key);
		}
	}
	return 0;
}

static int parse_rule(struct parse *ps, json_t *obj, struct rule *r)
{
	static const char *const keys[] = { "operations", "paths", "users", "groups", "action", NULL };
	json_t *v;
	const char *action;
	int c, rc;

	if (!json_is_object(obj))
		return fail(ps, "a rule must be an object");
	rc = check_keys(ps, obj, keys);
	if (rc < 0)
		return rc;
	json_locate(ps->text, ps->len, ps->path, ps->depth, &r->line, &c);

	v = json_object_get(obj, "operations");
	if (!v)
		return fail(ps, "rule has no \"operations\"");
	push_key(ps, "operations");
	rc = parse_ops(ps, v, &r->ops);
	if (rc < 0)
		return rc;
	pop(ps);

	v = json_object_get(obj, "paths");
	if (v) {
		push_key(ps, "paths");
		rc = parse_paths(ps, v, r);
		if (rc < 0)
			return rc;
		pop(ps);
	}

	rc = parse_who(ps, obj, &r->who);
	if (rc < 0)
		return rc;

	v = json_object_get(obj, "action");
	if (!v)
		return fail(ps, "rule has no \"action\"");
	push_key(ps, "action");
	action = json_string_value(v);
	if (!action || (strcmp(action, "allow") != 0 && strcmp(action, "deny") != 0))
		return fail(ps, "\"action\" must be \"allow\" or \"deny\"");
	pop(ps);
	r->allow = strcmp(action, "allow") == 0;
	return 0;
}

static int parse_limit_value(struct parse *ps, json_t *v, uint64_t *ret)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*ret = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && strcmp(json_string_value(v), "infinity") == 0) {
		*ret = POLICY_UNLIMITED;
		return 0;
	}
	return fail(ps, "a limit must be a non-negative integer or \"infinity\"");
}

static int parse_limit(struct parse *ps, json_t *obj, struct limit *l)
{
	static const char *const keys[] = { "users", "groups", "attachments",
					    "lookups_per_second", NULL };
	json_t *v;
	int r;

	if (!json_is_object(obj))
		return fail(ps, "a limits entry must be an object");
	r = check_keys(ps, obj, keys);
	if (r < 0)
		return r;
	r = parse_who(ps, obj, &l->who);
	if (r < 0)
		return r;
	v = json_object_get(obj, "attachments");
	if (v) {
		push_key(ps, "attachments");
		r = parse_limit_value(ps, v, &l->attachments);
		if (r < 0)
			return r;
		pop(ps);
		l->has_attachments = true;
	}
	v = json_object_get(obj, "lookups_per_second");
	if (v) {
		push_key(ps, "lookups_per_second");
		r = parse_limit_value(ps, v, &l->lookups);
		if (r < 0)
			return r;
		pop(ps);
		l->has_lookups = true;
	}
	if (!l->has_attachments && !l->has_lookups)
		return fail(ps, "limits entry sets neither \"attachments\" nor \"lookups_per_second\"");
	return 0;
}

static int parse_rules(struct parse *ps, json_t *arr)
{
	struct policy *p = ps->p;
	size_t i;
	json_t *e;
	struct rule *n;

	if (!json_is_array(arr))
		return fail(ps, "\"rules\" must be an array");
	n = realloc(p->rules, (p->n_rules + json_array_size(arr)) * sizeof(*n) + 1);
	if (!n)
		return -ENOMEM;
	p->rules = n;
	json_array_foreach(arr, i, e) {
		struct rule *r = &p->rules[p->n_rules];
		int rc;

		memset(r, 0, sizeof(*r));
		r->file = ps->file;
		r->index = (int)i;
		push_index(ps, i);
		rc = parse_rule(ps, e, r);
		if (rc < 0) {
			rule_free(r);
			return rc;
		}
		pop(ps);
		p->n_rules++;
	}
	return 0;
}

static int parse_limits(struct parse *ps, json_t *arr)
{
	struct policy *p = ps->p;
	size_t i;
	json_t *e;
	struct limit *n;

	if (!json_is_array(arr))
		return fail(ps, "\"limits\" must be an array");
	n = realloc(p->limits, (p->n_limits + json_array_size(arr)) * sizeof(*n) + 1);
	if (!n)
		return -ENOMEM;
	p->limits = n;
	json_array_foreach(arr, i, e) {
		struct limit *l = &p->limits[p->n_limits];
		int rc;

		memset(l, 0, sizeof(*l));
		l->file = ps->file;
		l->index = (int)i;
		push_index(ps, i);
		rc = parse_limit(ps, e, l);
		if (rc < 0) {
			id_list_free(&l->who.uids);
			id_list_free(&l->who.gids);
			return rc;
		}
		pop(ps);
		p->n_limits++;
	}
	return 0;
}

static int parse_document(struct parse *ps)
{
	static const char *const keys[] = { "rules", "limits", NULL };
	json_error_t jerr;
	json_t *root, *v;
	int r;

	root = json_loadb(ps->text, ps->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (ps->err) {
			snprintf(ps->err->file, sizeof(ps->err->file), "%s", ps->name);
			ps->err->line = jerr.line > 0 ? jerr.line : 1;
			ps->err->column = jerr.column > 0 ? jerr.column : 1;
			snprintf(ps->err->text, sizeof(ps->err->text), "%s", jerr.text);
		}
		return -EINVAL;
	}
	if (!json_is_object(root)) {
		r = fail(ps, "the top level must be an object");
		goto out;
	}
	r = check_keys(ps, root, keys);
	if (r < 0)
		goto out;
	v = json_object_get(root, "rules");
	if (v) {
		push_key(ps, "rules");
		r = parse_rules(ps, v);
		if (r < 0)
			goto out;
		pop(ps);
	}
	v = json_object_get(root, "limits");
	if (v) {
		push_key(ps, "limits");
		r = parse_limits(ps, v);
		if (r < 0)
			goto out;
		pop(ps);
	}
	r = 0;
out:
	json_decref(root);
	return r;
}

static int add_file_name(struct policy *p, const char *name)
{
	char **n = realloc(p->files, (p->n_files + 1) * sizeof(char *));

	if (!n)
		return -ENOMEM;
	p->files = n;
	p->files[p->n_files] = strdup(name);
	if (!p->files[p->n_files])
		return -ENOMEM;
	p->n_files++;
	return 0;
}

static int parse_text(struct policy *p, const char *name, const char *text, size_t len,
		      struct policy_error *err,
		      void (*warnfn)(const char *, int, int, const char *, void *), void *userdata)
{
	struct parse ps = {
		.p = p, .name = name, .text = text, .len = len, .err = err,
		.warn = warnfn, .userdata = userdata,
	};
	int r;

	r = add_file_name(p, name);
	if (r < 0)
		return r;
	ps.file = p->n_files - 1;
	return parse_document(&ps);
}

static void set_error(struct policy_error *err, const char *file, int r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void set_error(struct policy_error *err, const char *file, int r, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file);
	err->line = 0;
	err->column = 0;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	(void)r;
}

/* Reads a whole file; -ENOENT passes through so callers can skip it. */
static int read_file(const char *name, char **ret, size_t *ret_len, struct policy_error *err)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	char *buf;
	size_t got = 0;

	fd = open(name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int r = negative_errno();

		if (r != -ENOENT)
			set_error(err, name, r, "cannot open: %s", strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		set_error(err, name, -errno, "cannot stat: %s", strerror(errno));
		return negative_errno();
	}
	if (!S_ISREG(st.st_mode)) {
		set_error(err, name, -EINVAL, "not a regular file");
		return -EINVAL;
	}
	if (st.st_size > POLICY_FILE_MAX) {
		set_error(err, name, -EFBIG, "larger than %d bytes", POLICY_FILE_MAX);
		return -EFBIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int r = n < 0 ? negative_errno() : -EIO;

			set_error(err, name, r, "cannot read: %s", strerror(-r));
			free(buf);
			return r;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*ret = buf;
	*ret_len = got;
	return 0;
}

static int load_file(struct policy *p, const char *name, bool optional, struct policy_error *err,
		     void (*warnfn)(const char *, int, int, const char *, void *), void *userdata)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	r = read_file(name, &text, &len, err);
	if (r == -ENOENT && optional)
		return 0;
	if (r == -ENOENT)
		set_error(err, name, r, "cannot open: %s", strerror(ENOENT));
	if (r < 0)
		return r;
	return parse_text(p, name, text, len, err, warnfn, userdata);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_dropin_name(const char *n)
{
	size_t len = strlen(n);

	return n[0] != '.' && len > 5 && strcmp(n + len - 5, ".json") == 0;
}

/* Drop-in file names, sorted. A missing directory is no drop-ins. */
static int list_dropins(const char *dir, char ***ret, size_t *ret_n, struct policy_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	int r = 0;

	*ret = NULL;
	*ret_n = 0;
	if (!d) {
		if (errno == ENOENT)
			return 0;
		r = negative_errno();
		set_error(err, dir, r, "cannot open directory: %s", strerror(-r));
		return r;
	}
	while ((de = readdir(d))) {
		char **nn;

		if (!is_dropin_name(de->d_name))
			continue;
		if (n >= POLICY_FILES_MAX) {
			set_error(err, dir, -E2BIG, "more than %d policy files", POLICY_FILES_MAX);
			r = -E2BIG;
			break;
		}
		nn = realloc(names, (n + 1) * sizeof(char *));
		if (!nn) {
			r = -ENOMEM;
			break;
		}
		names = nn;
		if (asprintf(&names[n], "%s/%s", dir, de->d_name) < 0) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (r < 0) {
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return r;
	}
	if (n)
		qsort(names, n, sizeof(char *), cmp_str);
	*ret = names;
	*ret_n = n;
	return 0;
}

int policy_load(const char *config_dir, struct policy **ret, struct policy_error *err,
		void (*warnfn)(const char *, int, int, const char *, void *), void *userdata)
{
	_cleanup_free_ char *main_file = NULL, *dropin_dir = NULL;
	struct policy *p;
	char **dropins = NULL;
	size_t n = 0, i;
	int r;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	if (asprintf(&main_file, "%s/%s", config_dir, POLICY_MAIN_FILE) < 0 ||
	    asprintf(&dropin_dir, "%s/%s", config_dir, POLICY_DROPIN_DIR) < 0) {
		main_file = dropin_dir = NULL;
		r = -ENOMEM;
		goto fail;
	}
	r = load_file(p, main_file, true, err, warnfn, userdata);
	if (r < 0)
		goto fail;
	r = list_dropins(dropin_dir, &dropins, &n, err);
	if (r < 0)
		goto fail;
	for (i = 0; i < n && r >= 0; i++)
		r = load_file(p, dropins[i], true, err, warnfn, userdata);
	for (i = 0; i < n; i++)
		free(dropins[i]);
	free(dropins);
	if (r < 0)
		goto fail;
	*ret = p;
	return 0;
fail:
	policy_free(p);
	return r;
}

int policy_load_string(const char *file, const char *text, struct policy **ret,
		       struct policy_error *err)
{
	struct policy *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return -ENOMEM;
	r = parse_text(p, file, text, strlen(text), err, NULL, NULL);
	if (r < 0) {
		policy_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

static bool subject_matches(const struct subject_match *m, const struct policy_subject *s)
{
	size_t i;

	if (m->everybody)
		return true;
	if (id_list_has(&m->uids, s->uid) || id_list_has(&m->gids, s->gid))
		return true;
	for (i = 0; i < s->n_groups; i++)
		if (id_list_has(&m->gids, s->groups[i]))
			return true;
	return false;
}

static bool rule_matches(const struct rule *r, enum policy_op op,
			 const struct policy_subject *s, const char *path)
{
	size_t i;

	if (!(r->ops & (1u << op)) || !subject_matches(&r->who, s))
		return false;
	if (r->n_paths == 0)
		return true;
	for (i = 0; i < r->n_paths; i++)
		if (policy_path_has_prefix(path, r->paths[i]))
			return true;
	return false;
}

int policy_check(const struct policy *p, enum policy_op op, const struct policy_subject *s,
		 const char *path, struct policy_decision *ret)
{
	size_t i;

	if (op < 0 || op >= _POLICY_OP_MAX || !path)
		return -EINVAL;
	*ret = (struct policy_decision){ .allow = false, .file = NULL, .rule_index = -1 };
	/* Last match wins: scan from the end and stop at the first hit. */
	for (i = p->n_rules; i-- > 0; ) {
		const struct rule *r = &p->rules[i];

		if (rule_matches(r, op, s, path)) {
			ret->allow = r->allow;
			ret->file = p->files[r->file];
			ret->rule_index = r->index;
			ret->line = r->line;
			return 0;
		}
	}
	return 0;
}

void policy_get_limits(const struct policy *p, const struct policy_subject *s,
		       struct policy_limits *ret)
{
	bool att = false, look = false;
	size_t i;

	*ret = (struct policy_limits){
		.attachments = DEFAULT_ATTACHMENTS,
		.lookups_per_second = DEFAULT_LOOKUPS_PER_SECOND,
		.file = NULL, .index = -1,
	};
	for (i = p->n_limits; i-- > 0 && !(att && look); ) {
		const struct limit *l = &p->limits[i];

		if (!subject_matches(&l->who, s))
			continue;
		if (l->has_attachments && !att) {
			ret->attachments = l->attachments;
			att = true;
		}
		if (l->has_lookups && !look) {
			ret->lookups_per_second = l->lookups;
			look = true;
		}
		if (!ret->file) {
			ret->file = p->files[l->file];
			ret->index = l->index;
		}
	}
}

size_t policy_n_files(const struct policy *p)
{
	return p->n_files;
}

const char *policy_file(const struct policy *p, size_t i)
{
	return i < p->n_files ? p->files[i] : NULL;
}

size_t policy_n_rules(const struct policy *p)
{
	return p->n_rules;
}

void policy_error_format(const struct policy_error *e, char *buf, size_t size)
{
	if (e->line > 0)
		snprintf(buf, size, "%s:%d:%d: %s", e->file, e->line, e->column, e->text);
	else
		snprintf(buf, size, "%s: %s", e->file, e->text);
}
