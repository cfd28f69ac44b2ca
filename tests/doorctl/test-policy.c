/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * doorctl check-policy and explain: doord's policy code run from the
 * command line on policy files written by the test.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run-doorctl.h"

static char dir[64];
static char main_file[256], dropin[256], bad[256];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	cr_assert_geq(fputs(text, f), 0);
	cr_assert_eq(fclose(f), 0);
}

static void setup(void)
{
	char d[160];

	strcpy(dir, "/tmp/doorctl-policy-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(main_file, sizeof(main_file), "%s/doord.json", dir);
	snprintf(d, sizeof(d), "%s/doord.json.d", dir);
	cr_assert_eq(mkdir(d, 0755), 0);
	snprintf(dropin, sizeof(dropin), "%s/10-secret.json", d);
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	write_file(main_file,
		"{\n"
		"  \"rules\": [\n"
		"    { \"operations\": [\"lookup\"], \"action\": \"allow\" },\n"
		"    { \"operations\": [\"attach\"], \"paths\": [\"/run/doors\"],\n"
		"      \"users\": [0], \"action\": \"allow\" }\n"
		"  ],\n"
		"  \"limits\": [ { \"users\": [65534], \"attachments\": 2 } ]\n"
		"}\n");
	write_file(dropin,
		"{\n"
		"  \"rules\": [\n"
		"    { \"operations\": [\"lookup\"], \"paths\": [\"/run/doors/secret\"],\n"
		"      \"users\": [65534], \"action\": \"deny\" }\n"
		"  ]\n"
		"}\n");
	write_file(bad,
		"{\n"
		"  \"rules\": [\n"
		"    { \"operations\": [\"lookup\"], \"action\": \"maybe\" }\n"
		"  ]\n"
		"}\n");
}

static void teardown(void)
{
	char d[160];

	unlink(main_file);
	unlink(dropin);
	unlink(bad);
	snprintf(d, sizeof(d), "%s/doord.json.d", dir);
	rmdir(d);
	rmdir(dir);
}

TestSuite(policy, .init = setup, .fini = teardown, .timeout = 30);

#define RUN(res, ...) do { \
	const char *const args_[] = { __VA_ARGS__, NULL }; \
	cr_assert_eq(run_doorctl(NULL, NULL, (res), args_), 0); \
} while (0)

static json_t *parse(const char *s)
{
	json_t *v = json_loads(s, 0, NULL);

	cr_assert_not_null(v, "not JSON: %s", s);
	return v;
}

Test(policy, check_accepts_valid_files_and_counts_rules)
{
	struct run_result r;
	json_t *v;

	RUN(&r, "check-policy", main_file, dropin, "--json=short");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "");
	v = parse(r.out);
	cr_assert_eq(json_array_size(v), 2);
	cr_assert(json_is_true(json_object_get(json_array_get(v, 0), "valid")));
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(v, 0), "rules")), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(v, 1), "rules")), 1);
	json_decref(v);
	run_result_free(&r);
}

Test(policy, check_rejects_a_bad_file_with_its_position)
{
	struct run_result r;
	char prefix[512];
	json_t *v, *e;

	RUN(&r, "check-policy", main_file, bad, "--json=short");
	cr_assert_eq(r.status, 1);
	snprintf(prefix, sizeof(prefix), "doorctl: Policy rejected: %s:3:", bad);
	cr_assert_eq(strncmp(r.err, prefix, strlen(prefix)), 0, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "\"action\" must be \"allow\" or \"deny\"\n"), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line");
	v = parse(r.out);
	e = json_array_get(v, 1);
	cr_assert(json_is_false(json_object_get(e, "valid")));
	cr_assert_eq(json_integer_value(json_object_get(e, "line")), 3);
	cr_assert_gt(json_integer_value(json_object_get(e, "column")), 0);
	/* the valid file before it is still reported valid */
	cr_assert(json_is_true(json_object_get(json_array_get(v, 0), "valid")));
	json_decref(v);
	run_result_free(&r);
}

Test(policy, check_of_a_missing_file_exits_3)
{
	struct run_result r;

	RUN(&r, "check-policy", "/nonexistent/doord.json");
	cr_assert_eq(r.status, 3);
	cr_assert_str_eq(r.err, "doorctl: Failed to read policy '/nonexistent/doord.json': "
			 "No such file or directory\n");
	run_result_free(&r);
}

Test(policy, check_of_a_directory_loads_it_like_doord)
{
	struct run_result r;

	RUN(&r, "check-policy", dir, "--no-legend");
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* main file and drop-in: 3 rules */
	cr_assert_not_null(strstr(r.out, " yes "), "%s", r.out);
	cr_assert_not_null(strstr(r.out, " 3\n"), "%s", r.out);
	run_result_free(&r);
}

Test(policy, explain_allowed_names_the_rule_and_exits_0)
{
	struct run_result r;
	json_t *v;

	RUN(&r, "explain", "/run/doors/clock", "--uid", "0", "--op", "attach",
	    "--config", dir, "--json=short");
	cr_assert_eq(r.status, 0, "%s", r.err);
	v = parse(r.out);
	cr_assert(json_is_true(json_object_get(v, "allowed")));
	cr_assert_str_eq(json_string_value(json_object_get(v, "operation")), "attach");
	cr_assert_str_eq(json_string_value(json_object_get(v, "rule_file")), main_file);
	cr_assert_eq(json_integer_value(json_object_get(v, "rule_index")), 1);
	cr_assert_eq(json_integer_value(json_object_get(v, "rule_line")), 4);
	json_decref(v);
	run_result_free(&r);
}

Test(policy, explain_denied_by_a_later_drop_in_exits_4)
{
	struct run_result r;

	RUN(&r, "explain", "/run/doors/secret", "--uid", "65534", "--op", "lookup",
	    "--config", dir);
	cr_assert_eq(r.status, 4, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "Decision: denied\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, dropin), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "Max attachments: 2\n"), "%s", r.out);
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
}

Test(policy, explain_without_a_matching_rule_reports_default_deny)
{
	struct run_result r;
	json_t *v;

	RUN(&r, "explain", "/run/elsewhere", "--uid", "65534", "--op", "attach",
	    "--config", dir, "--json=short");
	cr_assert_eq(r.status, 4);
	v = parse(r.out);
	cr_assert(json_is_false(json_object_get(v, "allowed")));
	cr_assert(json_is_null(json_object_get(v, "rule_file")));
	cr_assert_str_eq(json_string_value(json_object_get(v, "decided_by")),
			 "no rule matched, default deny");
	json_decref(v);
	run_result_free(&r);
}

Test(policy, explain_takes_user_names)
{
	struct run_result r1, r2;

	RUN(&r1, "explain", "/run/doors/secret", "--uid", "nobody", "--op", "lookup",
	    "--config", dir, "--json=short");
	RUN(&r2, "explain", "/run/doors/secret", "--uid", "65534", "--op", "lookup",
	    "--config", dir, "--json=short");
	cr_assert_eq(r1.status, 4);
	cr_assert_str_eq(r1.out, r2.out);
	run_result_free(&r1);
	run_result_free(&r2);
}

Test(policy, explain_with_a_rejected_policy_exits_1)
{
	struct run_result r;
	char sub[160], file[200], prefix[300];

	snprintf(sub, sizeof(sub), "%s/doord.json.d", dir);
	snprintf(file, sizeof(file), "%s/20-bad.json", sub);
	write_file(file, "{ \"rules\": 5 }\n");
	RUN(&r, "explain", "/run/doors/x", "--uid", "0", "--op", "lookup", "--config", dir);
	unlink(file);
	cr_assert_eq(r.status, 1);
	snprintf(prefix, sizeof(prefix), "doorctl: Policy rejected: %s:", file);
	cr_assert_eq(strncmp(r.err, prefix, strlen(prefix)), 0, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	run_result_free(&r);
}

Test(policy, explain_requires_uid_and_op)
{
	struct run_result r;

	RUN(&r, "explain", "/run/doors/x", "--op", "lookup");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "doorctl: explain: --uid is required.\n");
	run_result_free(&r);
	RUN(&r, "explain", "/run/doors/x", "--uid", "0", "--op", "call");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "doorctl: Invalid operation 'call': use lookup or attach.\n");
	run_result_free(&r);
}
