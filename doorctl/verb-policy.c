/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * doorctl check-policy, doorctl explain: doord's access policy, read
 * and evaluated with doord's own code (libdoord-policy), so that what
 * doorctl says is what doord would do.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doord/policy.h"

#include "common.h"
#include "exit-codes.h"
#include "format.h"
#include "log.h"
#include "verbs.h"

#define POLICY_DIR_DEFAULT SYSCONFDIR "/doord"

static int read_text(const char *path, char **ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f, *out;
	int c;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	out = open_memstream(&buf, &len);
	if (!out) {
		fclose(f);
		return -ENOMEM;
	}
	while ((c = getc(f)) != EOF)
		putc(c, out);
	c = ferror(f) ? -EIO : 0;
	fclose(f);
	if (fclose(out) != 0 || c < 0) {
		free(buf);
		return c < 0 ? c : -ENOMEM;
	}
	*ret = buf;
	return 0;
}

/* A whole configuration directory, as doord loads it, or one file. */
static int load(const char *path, struct policy **ret, struct policy_error *err)
{
	struct stat st;
	char *text = NULL;
	int r;

	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return policy_load(path, ret, err, NULL, NULL);
	r = read_text(path, &text);
	if (r < 0)
		return r;
	r = policy_load_string(path, text, ret, err);
	free(text);
	return r;
}

/* "Policy rejected: FILE:LINE:COLUMN: reason", as doord reports it. */
static char *rejection_text(const char *path, int r, const struct policy_error *err)
{
	char msg[sizeof(err->file) + sizeof(err->text) + 32], *s;

	if (err->file[0])
		policy_error_format(err, msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "%s: %s", path, strerror(-r));
	s = strdup(msg);
	return s;
}

static json_t *check_one(const char *path, int *ret_exit)
{
	struct policy_error err = { 0 };
	struct policy *p = NULL;
	json_t *m = json_object();
	char *why;
	int r, e;

	r = load(path, &p, &err);
	e = json_set(m, "file", json_string(path));
	if (!e)
		e = json_set(m, "valid", json_boolean(r >= 0));
	if (r >= 0) {
		if (!e)
			e = json_set(m, "rules", json_integer((json_int_t)policy_n_rules(p)));
		policy_free(p);
		*ret_exit = DOORCTL_EXIT_OK;
	} else {
		why = rejection_text(path, r, &err);
		if (err.file[0])
			log_error("Policy rejected: %s", why ? why : path);
		else
			log_failed(r, NULL, "read policy", path);
		if (!e)
			e = json_set(m, "error", why ? json_string(why) : json_null());
		if (!e && err.line > 0)
			e = json_set(m, "line", json_integer(err.line));
		if (!e && err.line > 0)
			e = json_set(m, "column", json_integer(err.column));
		free(why);
		/* a file that is not there is "no such file"; any other
		 * problem makes the policy invalid */
		*ret_exit = err.file[0] || r != -ENOENT ? DOORCTL_EXIT_FAILURE :
							   DOORCTL_EXIT_NOT_FOUND;
	}
	if (e) {
		json_decref(m);
		return NULL;
	}
	return m;
}

static const struct column check_columns[] = {
	{ "file", "FILE", NULL, false },
	{ "valid", "VALID", NULL, false },
	{ "rules", "RULES", NULL, true },
};

int verb_check_policy(const struct args *a)
{
	struct output o = output_for(a);
	json_t *rows = json_array(), *row;
	int i, code, exit_code = DOORCTL_EXIT_OK, r;

	if (!rows)
		return exit_code_from_errno(log_failed(-ENOMEM, NULL, "check policies", NULL));
	for (i = 0; i < a->argc; i++) {
		row = check_one(a->argv[i], &code);
		if (!row || json_array_append_new(rows, row) < 0) {
			json_decref(rows);
			return exit_code_from_errno(log_failed(-ENOMEM, NULL, "check", a->argv[i]));
		}
		if (exit_code == DOORCTL_EXIT_OK)
			exit_code = code;
	}
	r = 0;
	if (!a->quiet || a->json != JSON_MODE_OFF)
		r = output_table(&o, rows, check_columns,
				 sizeof(check_columns) / sizeof(check_columns[0]),
				 json_array_size(rows) == 1 ? "policy file" : "policy files");
	json_decref(rows);
	if (r < 0)
		return exit_code_from_errno(log_failed(r, NULL, "write the results", NULL));
	return exit_code;
}

/* The subject as doord would see the user: uid, primary group and
 * supplementary groups from the user database. */
static int subject_for_uid(uid_t uid, struct policy_subject *s, gid_t **ret_groups)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	gid_t *groups = NULL;
	int n = 0;

	*s = (struct policy_subject){ .uid = uid, .gid = (gid_t)-1 };
	*ret_groups = NULL;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || !res)
		return 0;
	s->gid = pw.pw_gid;
	getgrouplist(pw.pw_name, pw.pw_gid, NULL, &n);
	if (n <= 0)
		return 0;
	groups = calloc((size_t)n, sizeof(gid_t));
	if (!groups)
		return -ENOMEM;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0) {
		free(groups);
		return 0;
	}
	s->groups = groups;
	s->n_groups = (size_t)n;
	*ret_groups = groups;
	return 0;
}

/* The path as doord sees it: the file's canonical name when it exists
 * (doord reads it back from the descriptor), else the absolute name. */
static char *doord_path(const char *path)
{
	char *p = realpath(path, NULL), cwd[PATH_MAX];

	if (p || path[0] == '/')
		return p ? p : strdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	if (asprintf(&p, "%s/%s", cwd, path) < 0)
		return NULL;
	return p;
}

static json_t *explain_model(const char *path, uid_t uid, enum policy_op op,
			     const struct policy_decision *d, const struct policy_limits *l)
{
	json_t *m = json_object();
	char *rule = NULL;
	int r;

	if (!m)
		return NULL;
	if (d->file)
		r = asprintf(&rule, "rule %s#%d (line %d)", d->file, d->rule_index, d->line);
	else
		r = asprintf(&rule, "no rule matched, default deny");
	r = r < 0 ? -ENOMEM : json_set(m, "path", json_string(path));
	if (!r)
		r = json_set(m, "uid", json_integer(uid));
	if (!r)
		r = json_set(m, "operation", json_string(policy_op_to_string(op)));
	if (!r)
		r = json_set(m, "allowed", json_boolean(d->allow));
	if (!r)
		r = json_set(m, "decided_by", json_string(rule));
	if (!r)
		r = json_set(m, "rule_file", d->file ? json_string(d->file) : json_null());
	if (!r)
		r = json_set(m, "rule_index", json_integer(d->rule_index));
	if (!r)
		r = json_set(m, "rule_line", d->file ? json_integer(d->line) : json_null());
	if (!r)
		r = json_set(m, "max_attachments", l->attachments == POLICY_UNLIMITED ?
			     json_null() : json_integer((json_int_t)l->attachments));
	if (!r)
		r = json_set(m, "max_lookups_per_second", l->lookups_per_second == POLICY_UNLIMITED ?
			     json_null() : json_integer((json_int_t)l->lookups_per_second));
	free(rule);
	if (r) {
		json_decref(m);
		return NULL;
	}
	return m;
}

static char *format_allowed(const json_t *v)
{
	return strdup(json_is_true(v) ? "allowed" : "denied");
}

static const struct field explain_fields[] = {
	{ "path", "Path", NULL },
	{ "uid", "User", format_uid },
	{ "operation", "Operation", NULL },
	{ "allowed", "Decision", format_allowed },
	{ "decided_by", "Decided by", NULL },
	{ "max_attachments", "Max attachments", NULL },
	{ "max_lookups_per_second", "Max lookups/s", NULL },
	/* in the table, "Decided by" says it all */
	{ "rule_file", NULL, NULL },
	{ "rule_index", NULL, NULL },
	{ "rule_line", NULL, NULL },
	{ 0 },
};

static int explain(const struct args *a, const struct policy *p, const char *path)
{
	enum policy_op op = a->op == EXPLAIN_OP_ATTACH ? POLICY_OP_ATTACH : POLICY_OP_LOOKUP;
	struct output o = output_for(a);
	struct policy_subject s;
	struct policy_decision d;
	struct policy_limits l;
	gid_t *groups;
	json_t *m;
	int r;

	r = subject_for_uid(a->uid, &s, &groups);
	if (r >= 0)
		r = policy_check(p, op, &s, path, &d);
	if (r < 0) {
		free(groups);
		return log_failed(r, NULL, "evaluate the policy for", path);
	}
	policy_get_limits(p, &s, &l);
	free(groups);
	m = explain_model(path, a->uid, op, &d, &l);
	if (!m)
		return log_failed(-ENOMEM, NULL, "explain", path);
	r = output_fields(&o, m, explain_fields);
	json_decref(m);
	if (r < 0)
		return log_failed(r, NULL, "write the explanation", NULL);
	return d.allow ? 0 : -EACCES;
}

int verb_explain(const struct args *a)
{
	const char *dir = a->config ? a->config : POLICY_DIR_DEFAULT;
	struct policy_error err = { 0 };
	struct policy *p = NULL;
	char *path, *why;
	int r;

	r = policy_load(dir, &p, &err, NULL, NULL);
	if (r < 0) {
		why = rejection_text(dir, r, &err);
		if (err.file[0])
			log_error("Policy rejected: %s", why ? why : dir);
		else
			log_failed(r, NULL, "read policy", dir);
		free(why);
		return r == -ENOENT && !err.file[0] ? DOORCTL_EXIT_NOT_FOUND : DOORCTL_EXIT_FAILURE;
	}
	path = doord_path(a->argv[0]);
	if (!path) {
		policy_free(p);
		return exit_code_from_errno(log_failed(-ENOMEM, NULL, "resolve", a->argv[0]));
	}
	r = explain(a, p, path);
	free(path);
	policy_free(p);
	/* A denial was explained, not failed: exit 4 lets scripts ask. */
	return r == -EACCES ? DOORCTL_EXIT_DENIED : exit_code_from_errno(r);
}
