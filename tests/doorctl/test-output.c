/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Rendering doorctl's model: tables, key/value listings, JSON, values. */
#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <linux/door.h>
#include <stdlib.h>
#include <string.h>

#include "exit-codes.h"
#include "format.h"
#include "hexdump.h"
#include "output.h"
#include "variant.h"

struct capture {
	char *buf;
	size_t len;
	struct output o;
};

static void capture_start(struct capture *c, enum json_mode mode, bool legend)
{
	c->buf = NULL;
	c->len = 0;
	c->o.f = open_memstream(&c->buf, &c->len);
	cr_assert_not_null(c->o.f);
	c->o.json = mode;
	c->o.legend = legend;
}

static char *capture_end(struct capture *c)
{
	fclose(c->o.f);
	return c->buf;
}

static json_t *sample_rows(void)
{
	json_t *rows = json_pack("[{s:s, s:I, s:[s,s]}, {s:s, s:I, s:[]}]",
				 "path", "/run/doors/a", "calls", (json_int_t)7,
				 "attributes", "unref", "private",
				 "path", "/run/b", "calls", (json_int_t)12345,
				 "attributes");

	cr_assert_not_null(rows);
	return rows;
}

static const struct column sample_columns[] = {
	{ "path", "PATH", NULL, false },
	{ "calls", "CALLS", NULL, true },
	{ "attributes", "ATTRIBUTES", NULL, false },
};

Test(output, table_aligns_columns_under_headers)
{
	struct capture c;
	json_t *rows = sample_rows();
	char *s;

	capture_start(&c, JSON_MODE_OFF, true);
	cr_assert_eq(output_table(&c.o, rows, sample_columns, 3, "doors"), 0);
	s = capture_end(&c);
	cr_assert_str_eq(s,
		"PATH         CALLS ATTRIBUTES\n"
		"/run/doors/a     7 unref,private\n"
		"/run/b       12345 -\n"
		"\n2 doors listed.\n");
	free(s);
	json_decref(rows);
}

Test(output, table_without_legend_prints_only_rows)
{
	struct capture c;
	json_t *rows = sample_rows();
	char *s;

	capture_start(&c, JSON_MODE_OFF, false);
	cr_assert_eq(output_table(&c.o, rows, sample_columns, 3, "doors"), 0);
	s = capture_end(&c);
	cr_assert_str_eq(s,
		"/run/doors/a     7 unref,private\n"
		"/run/b       12345 -\n");
	free(s);
	json_decref(rows);
}

Test(output, empty_table_says_none_listed)
{
	struct capture c;
	json_t *rows = json_array();
	char *s;

	capture_start(&c, JSON_MODE_OFF, true);
	cr_assert_eq(output_table(&c.o, rows, sample_columns, 3, "doors"), 0);
	s = capture_end(&c);
	cr_assert_str_eq(s, "PATH CALLS ATTRIBUTES\n\n0 doors listed.\n");
	free(s);
	json_decref(rows);
}

Test(output, table_as_json_is_the_model_itself)
{
	struct capture c;
	json_t *rows = sample_rows(), *back;
	json_error_t err;
	char *s;

	capture_start(&c, JSON_MODE_SHORT, true);
	cr_assert_eq(output_table(&c.o, rows, sample_columns, 3, "doors"), 0);
	s = capture_end(&c);
	cr_assert_eq(strchr(s, '\n'), s + strlen(s) - 1, "short JSON is one line");
	back = json_loads(s, 0, &err);
	cr_assert_not_null(back, "%s", err.text);
	cr_assert(json_equal(back, rows));
	free(s);
	json_decref(back);
	json_decref(rows);
}

Test(output, pretty_json_is_indented_and_parses_back)
{
	struct capture c;
	json_t *rows = sample_rows(), *back;
	char *s;

	capture_start(&c, JSON_MODE_PRETTY, true);
	cr_assert_eq(output_table(&c.o, rows, sample_columns, 3, "doors"), 0);
	s = capture_end(&c);
	cr_assert_not_null(strstr(s, "\n  {"));
	back = json_loads(s, 0, NULL);
	cr_assert(json_equal(back, rows));
	free(s);
	json_decref(back);
	json_decref(rows);
}

static const struct field sample_fields[] = {
	{ "state", "State", NULL },
	{ "policy_files", "Policy files", format_lines },
	{ 0 },
};

Test(output, fields_align_labels_and_continue_lines)
{
	json_t *obj = json_pack("{s:s, s:[s,s], s:s, s:i}",
				"version", "1.0", "policy_files", "/a.json", "/b.json",
				"state", "running", "names", 3);
	struct capture c;
	char *s;

	capture_start(&c, JSON_MODE_OFF, true);
	cr_assert_eq(output_fields(&c.o, obj, sample_fields), 0);
	s = capture_end(&c);
	/* known fields first, in table order; the rest after, labelled
	 * from their names */
	cr_assert_str_eq(s,
		"       State: running\n"
		"Policy files: /a.json\n"
		"              /b.json\n"
		"     Version: 1.0\n"
		"       Names: 3\n");
	free(s);
	json_decref(obj);
}

Test(output, fields_as_json_keep_every_member)
{
	json_t *obj = json_pack("{s:s, s:[s]}", "state", "running", "policy_files", "/a"),
	       *back;
	struct capture c;
	char *s;

	capture_start(&c, JSON_MODE_SHORT, true);
	cr_assert_eq(output_fields(&c.o, obj, sample_fields), 0);
	s = capture_end(&c);
	back = json_loads(s, 0, NULL);
	cr_assert(json_equal(back, obj));
	free(s);
	json_decref(back);
	json_decref(obj);
}

Test(output, write_error_is_reported)
{
	struct output o = { .json = JSON_MODE_OFF, .legend = true };
	json_t *rows = sample_rows();

	o.f = fopen("/dev/full", "w");
	cr_assert_not_null(o.f);
	cr_assert_eq(output_table(&o, rows, sample_columns, 3, "doors"), -EIO);
	fclose(o.f);
	json_decref(rows);
}

Test(output, json_mode_names)
{
	enum json_mode m;

	cr_assert_eq(json_mode_from_string("pretty", &m), 0);
	cr_assert_eq(m, JSON_MODE_PRETTY);
	cr_assert_eq(json_mode_from_string("short", &m), 0);
	cr_assert_eq(m, JSON_MODE_SHORT);
	cr_assert_eq(json_mode_from_string("off", &m), 0);
	cr_assert_eq(m, JSON_MODE_OFF);
	cr_assert_eq(json_mode_from_string("Pretty", &m), -EINVAL);
}

Test(output, labels_from_keys)
{
	char *l = label_from_key("policy_files");

	cr_assert_str_eq(l, "Policy files");
	free(l);
}

Test(format, attributes_are_named_and_unknown_bits_kept)
{
	json_t *a = attributes_to_json(DOOR_PRIVATE | DOOR_REVOKED | 0x100000);
	json_t *want = json_pack("[s,s,s]", "private", "revoked", "0x100000");

	cr_assert(json_equal(a, want));
	json_decref(a);
	json_decref(want);
	a = attributes_to_json(0);
	cr_assert_eq(json_array_size(a), 0);
	json_decref(a);
}

Test(format, mode_is_four_octal_digits)
{
	json_t *v = json_integer(0644);
	char *s = format_mode(v);

	cr_assert_str_eq(s, "0644");
	free(s);
	json_decref(v);
}

Test(format, durations_pick_a_unit)
{
	static const struct {
		json_int_t nsec;
		const char *text;
	} cases[] = {
		{ 999, "999ns" }, { 1500, "1.500us" }, { 2345678, "2.345ms" },
		{ 3000000000LL, "3.000s" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *v = json_integer(cases[i].nsec);
		char *s = format_duration_nsec(v);

		cr_assert_str_eq(s, cases[i].text);
		free(s);
		json_decref(v);
	}
}

Test(format, zero_timestamp_is_a_dash)
{
	json_t *v = json_integer(0);
	char *s = format_timestamp(v);

	cr_assert_str_eq(s, "-");
	free(s);
	json_decref(v);
}

Test(format, timestamp_in_utc)
{
	json_t *v = json_integer(1700000000000000LL);
	char *s;

	setenv("TZ", "UTC", 1);
	s = format_timestamp(v);
	cr_assert_str_eq(s, "Tue 2023-11-14 22:13:20 UTC");
	free(s);
	json_decref(v);
}

Test(format, histogram_lists_non_empty_buckets)
{
	json_t *h = json_array();
	char *s;
	int i;

	for (i = 0; i < DOOR_STATS_BUCKETS; i++)
		json_array_append_new(h, json_integer(i == 1 ? 5 : i == 4 ? 2 : i == 31 ? 1 : 0));
	s = format_histogram(h);
	cr_assert_str_eq(s, "< 2us: 5\n< 16us: 2\n>= 1073741824us: 1");
	free(s);
	json_decref(h);
}

Test(format, values_default_rendering)
{
	json_t *v = json_pack("[s,i,b,n]", "x", 5, 1);
	char *s = format_value(v);

	cr_assert_str_eq(s, "x,5,yes,-");
	free(s);
	json_decref(v);
}

Test(variant, dbus_names_become_snake_case)
{
	static const char *const cases[][2] = {
		{ "PolicyFiles", "policy_files" }, { "Id", "id" },
		{ "ServerPID", "server_pid" }, { "StartTime", "start_time" },
		{ "PIDFile", "pid_file" }, { "Version", "version" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = snake_case(cases[i][0]);

		cr_assert_str_eq(s, cases[i][1]);
		free(s);
	}
}

Test(hexdump, lines_of_sixteen_with_ascii)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	hexdump(f, "hello, door world\n", 18);
	fclose(f);
	cr_assert_str_eq(buf,
		"00000000  68 65 6c 6c 6f 2c 20 64  6f 6f 72 20 77 6f 72 6c  |hello, door worl|\n"
		"00000010  64 0a                                             |d.|\n");
	free(buf);
}

Test(hexdump, hex_string_of_bytes)
{
	char *s = hex_string("\x00\xff\x10", 3);

	cr_assert_str_eq(s, "00ff10");
	free(s);
}

Test(exit_codes, errnos_map_to_documented_codes)
{
	cr_assert_eq(exit_code_from_errno(0), DOORCTL_EXIT_OK);
	cr_assert_eq(exit_code_from_errno(-ENOENT), DOORCTL_EXIT_NOT_FOUND);
	cr_assert_eq(exit_code_from_errno(ESRCH), DOORCTL_EXIT_NOT_FOUND);
	cr_assert_eq(exit_code_from_errno(-EACCES), DOORCTL_EXIT_DENIED);
	cr_assert_eq(exit_code_from_errno(-EPERM), DOORCTL_EXIT_DENIED);
	cr_assert_eq(exit_code_from_errno(-ECONNRESET), DOORCTL_EXIT_UNAVAILABLE);
	cr_assert_eq(exit_code_from_errno(-EBADF), DOORCTL_EXIT_FAILURE);
	cr_assert_eq(exit_code_from_errno(-EINVAL), DOORCTL_EXIT_FAILURE);
}

Test(exit_codes, connect_failures_mean_unavailable_unless_denied)
{
	cr_assert_eq(exit_code_from_connect_errno(-ENOENT), DOORCTL_EXIT_UNAVAILABLE);
	cr_assert_eq(exit_code_from_connect_errno(-ECONNREFUSED), DOORCTL_EXIT_UNAVAILABLE);
	cr_assert_eq(exit_code_from_connect_errno(-EACCES), DOORCTL_EXIT_DENIED);
}
