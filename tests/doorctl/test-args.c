/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* doorctl's command line: verbs, options on either side, usage errors. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "args.h"
#include "exit-codes.h"
#include "verbs.h"

#define PARSE(a, ...) parse((a), (char *[]){ "doorctl", __VA_ARGS__, NULL })

/* The parsed args point into argv, which must outlive them as main()'s
 * does: keep a copy that lasts until the next parse. */
static char *argv_copy[64];

static int parse(struct args *a, char **argv)
{
	int argc = 0;

	while (argv[argc] && argc < 63) {
		argv_copy[argc] = argv[argc];
		argc++;
	}
	argv_copy[argc] = NULL;
	return args_parse(argc, argv_copy, a);
}

Test(args, no_arguments_run_the_default_verb_list)
{
	char *argv[] = { "doorctl", NULL };
	struct args a;

	cr_assert_eq(args_parse(1, argv, &a), 0);
	cr_assert_str_eq(a.verb->name, "list");
	cr_assert_not(a.verb_named);
	cr_assert(a.legend);
	cr_assert(a.pager);
	cr_assert_eq(a.json, JSON_MODE_OFF);
	args_free(&a);
}

Test(args, global_options_work_after_the_verb)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "list", "--no-legend", "-q", "--no-pager", "--json=short"), 0);
	cr_assert_str_eq(a.verb->name, "list");
	cr_assert_not(a.legend);
	cr_assert(a.quiet);
	cr_assert_not(a.pager);
	cr_assert_eq(a.json, JSON_MODE_SHORT);
	args_free(&a);
}

Test(args, global_options_work_before_the_verb)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "--json=pretty", "status"), 0);
	cr_assert_str_eq(a.verb->name, "status");
	cr_assert(a.verb_named);
	cr_assert_eq(a.json, JSON_MODE_PRETTY);
	args_free(&a);
}

Test(args, bare_json_is_short_when_stdout_is_not_a_terminal)
{
	struct args a;

	cr_redirect_stdout();	/* stdout becomes a pipe */
	cr_assert_eq(PARSE(&a, "status", "--json"), 0);
	cr_assert_eq(a.json, JSON_MODE_SHORT);
	args_free(&a);
}

Test(args, json_off_turns_json_off)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "--json=short", "status", "--json=off"), 0);
	cr_assert_eq(a.json, JSON_MODE_OFF);
	args_free(&a);
}

Test(args, bad_json_mode_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "status", "--json=yaml"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, unknown_verb_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "frobnicate"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, option_of_another_verb_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "list", "--pid", "1"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, unknown_short_option_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "-x", "list"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, missing_option_argument_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "attach", "/x", "--pid"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, too_few_arguments_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "info"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, too_many_arguments_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "info", "/a", "/b"), DOORCTL_EXIT_USAGE);
	args_free(&a);
	cr_assert_eq(PARSE(&a, "status", "now"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, info_takes_its_path)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "info", "/run/x"), 0);
	cr_assert_eq(a.argc, 1);
	cr_assert_str_eq(a.argv[0], "/run/x");
	args_free(&a);
}

Test(args, double_dash_ends_options)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "--no-legend", "--", "info", "-odd-name"), 0);
	cr_assert_str_eq(a.verb->name, "info");
	cr_assert_str_eq(a.argv[0], "-odd-name");
	args_free(&a);
}

Test(args, help_is_recorded_even_with_missing_arguments)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "attach", "--help"), 0);
	cr_assert(a.help);
	cr_assert(a.verb_named);
	cr_assert_str_eq(a.verb->name, "attach");
	args_free(&a);
}

Test(args, attach_by_process_takes_pid_and_fd)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "attach", "--pid", "1234", "/run/x", "--fd", "7"), 0);
	cr_assert_eq(a.pid, 1234);
	cr_assert_eq(a.fd, 7);
	cr_assert_null(a.from);
	cr_assert_str_eq(a.argv[0], "/run/x");
	args_free(&a);
}

Test(args, attach_option_argument_is_not_taken_for_the_verb)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "--from", "list", "attach", "/run/x"), 0);
	cr_assert_str_eq(a.verb->name, "attach");
	cr_assert_str_eq(a.from, "list");
	cr_assert_str_eq(a.argv[0], "/run/x");
	args_free(&a);
}

Test(args, attach_pid_without_fd_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "attach", "/x", "--pid", "12"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, attach_with_both_sources_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "attach", "/x", "--pid", "12", "--fd", "3", "--from", "/y"),
		     DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, attach_without_a_source_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "attach", "/x"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, attach_rejects_bad_numbers)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "attach", "/x", "--pid", "0", "--fd", "3"), DOORCTL_EXIT_USAGE);
	args_free(&a);
	cr_assert_eq(PARSE(&a, "attach", "/x", "--pid", "12x", "--fd", "3"), DOORCTL_EXIT_USAGE);
	args_free(&a);
	cr_assert_eq(PARSE(&a, "attach", "/x", "--pid", "12", "--fd", "-1"), DOORCTL_EXIT_USAGE);
	args_free(&a);
	cr_assert_eq(PARSE(&a, "attach", "/x", "--pid", "99999999999", "--fd", "1"),
		     DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, call_collects_descriptor_files_in_order)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "call", "/d", "--fd", "/etc/hostname", "--data", "hi",
			   "--fd", "/etc/passwd"), 0);
	cr_assert_eq(a.n_fds, 2);
	cr_assert_str_eq(a.fds[0], "/etc/hostname");
	cr_assert_str_eq(a.fds[1], "/etc/passwd");
	cr_assert_str_eq(a.data, "hi");
	args_free(&a);
}

Test(args, call_reads_stdin_with_dash)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "call", "/d", "-"), 0);
	cr_assert_eq(a.argc, 2);
	cr_assert_str_eq(a.argv[1], "-");
	args_free(&a);
}

Test(args, call_with_two_data_sources_is_a_usage_error)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "call", "/d", "--data", "x", "--file", "/y"), DOORCTL_EXIT_USAGE);
	args_free(&a);
	cr_assert_eq(PARSE(&a, "call", "/d", "-", "--data", "x"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, call_second_argument_must_be_dash)
{
	struct args a;

	cr_assert_eq(PARSE(&a, "call", "/d", "hello"), DOORCTL_EXIT_USAGE);
	args_free(&a);
}

Test(args, every_verb_is_in_the_table_once)
{
	const struct verb *v, *w;
	int defaults = 0;

	for (v = verbs; v->name; v++) {
		for (w = v + 1; w->name; w++)
			cr_assert_str_neq(v->name, w->name);
		defaults += !!(v->flags & VERB_DEFAULT);
		cr_assert_not_null(v->run);
	}
	cr_assert_eq(defaults, 1);
}
