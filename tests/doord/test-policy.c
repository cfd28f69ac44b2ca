/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * doord.json(5): parsing (every rejection names file, line, column and
 * reason), decisions (last matching rule wins, default deny), limits,
 * and loading a directory with drop-ins.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"

static struct policy *p;

static void teardown(void)
{
	p = policy_free(p);
}

TestSuite(policy, .fini = teardown);

static struct policy *load(const char *text)
{
	struct policy_error err = { 0 };
	struct policy *r = NULL;
	char msg[5000];

	if (policy_load_string("test.json", text, &r, &err) < 0) {
		policy_error_format(&err, msg, sizeof(msg));
		cr_assert_fail("policy rejected: %s", msg);
	}
	return r;
}

/* Expects text to be rejected with exactly this "file:line:col: text". */
static void expect_rejected(const char *text, const char *expected)
{
	struct policy_error err = { 0 };
	struct policy *r = NULL;
	char msg[5000];

	cr_assert_eq(policy_load_string("test.json", text, &r, &err), -EINVAL, "accepted: %s", text);
	cr_assert_null(r);
	policy_error_format(&err, msg, sizeof(msg));
	cr_expect_str_eq(msg, expected);
}

static bool allowed(enum policy_op op, uid_t uid, gid_t gid, const char *path)
{
	struct policy_subject s = { .uid = uid, .gid = gid };
	struct policy_decision d;

	cr_assert_eq(policy_check(p, op, &s, path, &d), 0);
	return d.allow;
}

Test(policy, empty_policy_denies_everything)
{
	p = load("{}");
	cr_expect_not(allowed(POLICY_OP_ATTACH, 0, 0, "/run/x"));
	cr_expect_not(allowed(POLICY_OP_LOOKUP, 1000, 1000, "/run/x"));
}

Test(policy, rule_without_subjects_matches_everybody)
{
	p = load("{ \"rules\": [ { \"operations\": [\"lookup\"], \"action\": \"allow\" } ] }");
	cr_expect(allowed(POLICY_OP_LOOKUP, 1000, 1000, "/anything"));
	cr_expect(allowed(POLICY_OP_LOOKUP, 0, 0, "/"));
	cr_expect_not(allowed(POLICY_OP_ATTACH, 1000, 1000, "/anything"));
}

Test(policy, path_prefixes_match_whole_components)
{
	p = load("{ \"rules\": [ { \"operations\": [\"attach\"], \"paths\": [\"/run/door\"], \"action\": \"allow\" } ] }");
	cr_expect(allowed(POLICY_OP_ATTACH, 5, 5, "/run/door"));
	cr_expect(allowed(POLICY_OP_ATTACH, 5, 5, "/run/door/a/b"));
	cr_expect_not(allowed(POLICY_OP_ATTACH, 5, 5, "/run/doorway"));
	cr_expect_not(allowed(POLICY_OP_ATTACH, 5, 5, "/run"));
}

Test(policy, last_matching_rule_wins_and_is_reported)
{
	struct policy_subject s = { .uid = 1000, .gid = 1000 };
	struct policy_decision d;

	p = load("{ \"rules\": [\n"
		 "  { \"operations\": [\"attach\", \"lookup\"], \"action\": \"allow\" },\n"
		 "  { \"operations\": [\"attach\"], \"paths\": [\"/etc\"], \"action\": \"deny\" }\n"
		 "] }");
	cr_assert_eq(policy_check(p, POLICY_OP_ATTACH, &s, "/etc/x", &d), 0);
	cr_expect_not(d.allow);
	cr_expect_str_eq(d.file, "test.json");
	cr_expect_eq(d.rule_index, 1);
	cr_expect_eq(d.line, 3);
	cr_assert_eq(policy_check(p, POLICY_OP_ATTACH, &s, "/srv/x", &d), 0);
	cr_expect(d.allow);
	cr_expect_eq(d.rule_index, 0);
}

Test(policy, default_deny_names_no_rule)
{
	struct policy_subject s = { .uid = 1 };
	struct policy_decision d;

	p = load("{ \"rules\": [] }");
	cr_assert_eq(policy_check(p, POLICY_OP_LOOKUP, &s, "/x", &d), 0);
	cr_expect_not(d.allow);
	cr_expect_null(d.file);
	cr_expect_eq(d.rule_index, -1);
}

Test(policy, users_and_groups_by_number_and_name)
{
	gid_t groups[] = { 4242 };
	struct policy_subject s = { .uid = 7, .gid = 7, .groups = groups, .n_groups = 1 };
	struct policy_decision d;

	p = load("{ \"rules\": [\n"
		 "  { \"operations\": [\"attach\"], \"users\": [\"root\", 1000], \"action\": \"allow\" },\n"
		 "  { \"operations\": [\"lookup\"], \"groups\": [4242], \"action\": \"allow\" }\n"
		 "] }");
	cr_expect(allowed(POLICY_OP_ATTACH, 0, 0, "/x"));
	cr_expect(allowed(POLICY_OP_ATTACH, 1000, 100, "/x"));
	cr_expect_not(allowed(POLICY_OP_ATTACH, 1001, 100, "/x"));
	/* Supplementary groups count, as does the primary group. */
	cr_assert_eq(policy_check(p, POLICY_OP_LOOKUP, &s, "/x", &d), 0);
	cr_expect(d.allow);
	cr_expect(allowed(POLICY_OP_LOOKUP, 9, 4242, "/x"));
	cr_expect_not(allowed(POLICY_OP_LOOKUP, 9, 9, "/x"));
}

static char warned[512];

static void on_warn(const char *file, int line, int column, const char *text, void *u)
{
	snprintf(warned, sizeof(warned), "%s:%d:%d: %s", file, line, column, text);
}

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_dir(void)
{
	char d[256];

	snprintf(dir, sizeof(dir), "/tmp/doord-policy-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(d, sizeof(d), "%s/doord.json.d", dir);
	cr_assert_eq(mkdir(d, 0755), 0);
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)system(cmd);
}

Test(policy, unknown_group_name_warns_and_matches_nobody)
{
	struct policy_error err;

	make_dir();
	write_file("doord.json", "{ \"rules\": [ { \"operations\": [\"attach\"],\n"
		   "  \"groups\": [\"no-such-group-xyz\"], \"action\": \"allow\" } ] }");
	warned[0] = 0;
	cr_assert_eq(policy_load(dir, &p, &err, on_warn, NULL), 0);
	cr_expect(strstr(warned, "doord.json:2:14: unknown group 'no-such-group-xyz'") != NULL,
		  "warning: %s", warned);
	cr_expect_not(allowed(POLICY_OP_ATTACH, 1000, 1000, "/x"));
	remove_dir();
}

Test(policy, dropins_load_in_lexical_order_after_the_main_file)
{
	struct policy_error err;

	make_dir();
	write_file("doord.json", "{ \"rules\": [ { \"operations\": [\"lookup\"], \"action\": \"allow\" } ] }");
	write_file("doord.json.d/20-deny.json", "{ \"rules\": [ { \"operations\": [\"lookup\"], \"paths\": [\"/secret\"], \"action\": \"deny\" } ] }");
	write_file("doord.json.d/10-allow.json", "{ \"rules\": [ { \"operations\": [\"lookup\"], \"paths\": [\"/secret/open\"], \"action\": \"allow\" } ] }");
	write_file("doord.json.d/README", "not json, not loaded");
	write_file("doord.json.d/.hidden.json", "not loaded either");
	cr_assert_eq(policy_load(dir, &p, &err, NULL, NULL), 0, "%s: %s", err.file, err.text);
	cr_assert_eq(policy_n_files(p), 3);
	cr_expect(strstr(policy_file(p, 1), "10-allow.json") != NULL);
	cr_expect(strstr(policy_file(p, 2), "20-deny.json") != NULL);
	/* 20-deny comes last, so it overrides 10-allow. */
	cr_expect_not(allowed(POLICY_OP_LOOKUP, 1, 1, "/secret/open"));
	cr_expect(allowed(POLICY_OP_LOOKUP, 1, 1, "/public"));
	remove_dir();
}

Test(policy, missing_directory_is_an_empty_policy)
{
	struct policy_error err;

	cr_assert_eq(policy_load("/nonexistent/doord-test", &p, &err, NULL, NULL), 0);
	cr_expect_eq(policy_n_files(p), 0);
	cr_expect_not(allowed(POLICY_OP_LOOKUP, 0, 0, "/x"));
}

Test(policy, bad_dropin_rejects_the_whole_load_naming_it)
{
	struct policy_error err;
	char msg[5000];

	make_dir();
	write_file("doord.json", "{}");
	write_file("doord.json.d/50-broken.json", "{\n  \"rules\": [\n    { \"operations\": [\"attach\"], \"action\": \"allow\", }\n  ]\n}\n");
	cr_assert_eq(policy_load(dir, &p, &err, NULL, NULL), -EINVAL);
	cr_assert_null(p);
	policy_error_format(&err, msg, sizeof(msg));
	cr_expect(strstr(msg, "doord.json.d/50-broken.json:3:") != NULL, "%s", msg);
	cr_expect(strstr(msg, "string or '}' expected") != NULL, "%s", msg);
	remove_dir();
}

Test(policy, syntax_error_has_jansson_position)
{
	expect_rejected("{ \"rules\": [ }", "test.json:1:14: unexpected token near '}'");
}

Test(policy, duplicate_keys_are_rejected)
{
	expect_rejected("{ \"rules\": [],\n \"rules\": [] }",
			"test.json:2:8: duplicate object key near '\"rules\"'");
}

Test(policy, unknown_top_level_key_is_rejected_at_its_value)
{
	expect_rejected("{\n  \"rulez\": []\n}", "test.json:2:12: unknown key 'rulez'");
}

Test(policy, top_level_must_be_an_object)
{
	expect_rejected("[1]", "test.json:1:1: the top level must be an object");
}

Test(policy, bad_action_is_rejected_at_the_action)
{
	expect_rejected("{ \"rules\": [\n  { \"operations\": [\"lookup\"],\n    \"action\": \"permit\" } ] }",
			"test.json:3:15: \"action\" must be \"allow\" or \"deny\"");
}

Test(policy, missing_action_is_rejected_at_the_rule)
{
	expect_rejected("{ \"rules\": [\n  { \"operations\": [\"lookup\"] } ] }",
			"test.json:2:3: rule has no \"action\"");
}

Test(policy, unknown_operation_is_rejected_at_the_element)
{
	expect_rejected("{ \"rules\": [ { \"operations\": [\"lookup\", \"call\"], \"action\": \"allow\" } ] }",
			"test.json:1:41: unknown operation, expected \"attach\" or \"lookup\"");
}

Test(policy, relative_and_dotdot_paths_are_rejected)
{
	expect_rejected("{ \"rules\": [ { \"operations\": [\"attach\"], \"paths\": [\"run/x\"], \"action\": \"allow\" } ] }",
			"test.json:1:52: path 'run/x' is not an absolute path");
	expect_rejected("{ \"rules\": [ { \"operations\": [\"attach\"], \"paths\": [\"/run/../etc\"], \"action\": \"allow\" } ] }",
			"test.json:1:52: path '/run/../etc' contains a '.' or '..' component");
	expect_rejected("{ \"rules\": [ { \"operations\": [\"attach\"], \"paths\": [\"/run//x\"], \"action\": \"allow\" } ] }",
			"test.json:1:52: path '/run//x' contains '//'");
	expect_rejected("{ \"rules\": [ { \"operations\": [\"attach\"], \"paths\": [\"/run/\"], \"action\": \"allow\" } ] }",
			"test.json:1:52: path '/run/' ends with '/'");
}

Test(policy, path_with_nul_is_rejected)
{
	expect_rejected("{ \"rules\": [ { \"operations\": [\"attach\"], \"paths\": [\"/run\\u0000/x\"], \"action\": \"allow\" } ] }",
			"test.json:1:65: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"/run\\u0000/x\"'");
}

Test(policy, negative_uid_is_rejected)
{
	expect_rejected("{ \"rules\": [ { \"operations\": [\"attach\"], \"users\": [-1], \"action\": \"allow\" } ] }",
			"test.json:1:52: user id -1 is out of range");
}

Test(policy, limits_last_match_per_field_with_built_in_defaults)
{
	struct policy_subject root = { .uid = 0 }, user = { .uid = 1000, .gid = 1000 };
	struct policy_limits l;

	p = load("{ \"limits\": [\n"
		 "  { \"attachments\": 10, \"lookups_per_second\": 100 },\n"
		 "  { \"users\": [0], \"attachments\": \"infinity\" }\n"
		 "] }");
	policy_get_limits(p, &user, &l);
	cr_expect_eq(l.attachments, 10);
	cr_expect_eq(l.lookups_per_second, 100);
	policy_get_limits(p, &root, &l);
	cr_expect_eq(l.attachments, POLICY_UNLIMITED);
	cr_expect_eq(l.lookups_per_second, 100);
	policy_free(p);
	p = load("{}");
	policy_get_limits(p, &user, &l);
	cr_expect_eq(l.attachments, 1024);
	cr_expect_eq(l.lookups_per_second, 1000);
	cr_expect_null(l.file);
}

Test(policy, bad_limit_values_are_rejected)
{
	expect_rejected("{ \"limits\": [ { \"attachments\": -5 } ] }",
			"test.json:1:32: a limit must be a non-negative integer or \"infinity\"");
	expect_rejected("{ \"limits\": [ { \"users\": [0] } ] }",
			"test.json:1:15: limits entry sets neither \"attachments\" nor \"lookups_per_second\"");
}

Test(policy, comment_keys_are_allowed_anywhere)
{
	p = load("{ \"comment\": \"x\", \"rules\": [ { \"comment\": \"y\", \"operations\": [\"lookup\"], \"action\": \"allow\" } ] }");
	cr_expect(allowed(POLICY_OP_LOOKUP, 3, 3, "/x"));
}

Test(policy, shipped_default_policy_loads_and_is_safe)
{
	struct policy_error err;
	char msg[5000];

	if (policy_load(DOORD_TOP_SRCDIR "/config", &p, &err, NULL, NULL) < 0) {
		policy_error_format(&err, msg, sizeof(msg));
		cr_assert_fail("%s", msg);
	}
	cr_assert_eq(policy_n_files(p), 1);
	cr_expect(allowed(POLICY_OP_ATTACH, 0, 0, "/run/anything"));
	cr_expect(allowed(POLICY_OP_LOOKUP, 1000, 1000, "/run/anything"));
	cr_expect(allowed(POLICY_OP_ATTACH, 1000, 1000, "/tmp/mine"));
	cr_expect_not(allowed(POLICY_OP_ATTACH, 1000, 1000, "/etc/passwd"));
	cr_expect_not(allowed(POLICY_OP_ATTACH, 1000, 1000, "/usr/bin/x"));
}
