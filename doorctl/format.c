/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <linux/door.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"

static const struct {
	uint32_t bit;
	const char *name;
} attribute_names[] = {
	{ DOOR_UNREF, "unref" },
	{ DOOR_PRIVATE, "private" },
	{ DOOR_LOCAL, "local" },
	{ DOOR_REVOKED, "revoked" },
	{ DOOR_UNREF_MULTI, "unref_multi" },
	{ DOOR_IS_UNREF, "is_unref" },
	{ DOOR_REFUSE_DESC, "refuse_desc" },
	{ DOOR_NO_CANCEL, "no_cancel" },
	{ DOOR_NO_DEPLETION_CB, "no_depletion_cb" },
	{ DOOR_PRIVCREATE, "privcreate" },
	{ DOOR_DEPLETION_CB, "depletion_cb" },
};

json_t *attributes_to_json(uint32_t attributes)
{
	json_t *a = json_array();
	char unknown[16];
	size_t i;

	if (!a)
		return NULL;
	for (i = 0; i < sizeof(attribute_names) / sizeof(attribute_names[0]); i++) {
		if (!(attributes & attribute_names[i].bit))
			continue;
		attributes &= ~attribute_names[i].bit;
		if (json_array_append_new(a, json_string(attribute_names[i].name)) < 0)
			goto fail;
	}
	if (attributes) {
		snprintf(unknown, sizeof(unknown), "0x%" PRIx32, attributes);
		if (json_array_append_new(a, json_string(unknown)) < 0)
			goto fail;
	}
	return a;
fail:
	json_decref(a);
	return NULL;
}

static char *join_array(const json_t *v, const char *sep)
{
	char *out = NULL, *item;
	size_t len = 0, i;
	json_t *e;
	FILE *f;

	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	json_array_foreach(v, i, e) {
		item = format_value(e);
		if (!item) {
			fclose(f);
			free(out);
			return NULL;
		}
		fprintf(f, "%s%s", i ? sep : "", item);
		free(item);
	}
	if (json_array_size(v) == 0)
		fputs("-", f);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

char *format_value(const json_t *v)
{
	char *s = NULL;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return strdup(json_string_value(v));
	case JSON_INTEGER:
		if (asprintf(&s, "%" JSON_INTEGER_FORMAT, json_integer_value(v)) < 0)
			return NULL;
		return s;
	case JSON_REAL:
		if (asprintf(&s, "%g", json_real_value(v)) < 0)
			return NULL;
		return s;
	case JSON_TRUE:
		return strdup("yes");
	case JSON_FALSE:
		return strdup("no");
	case JSON_ARRAY:
		return join_array(v, ",");
	case JSON_OBJECT:
		return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	default:
		return strdup("-");
	}
}

char *format_timestamp(const json_t *v)
{
	json_int_t usec = json_integer_value(v);
	char buf[64];
	struct tm tm;
	time_t t;

	if (!json_is_integer(v) || usec <= 0)
		return strdup("-");
	t = (time_t)(usec / 1000000);
	if (!localtime_r(&t, &tm) ||
	    strftime(buf, sizeof(buf), "%a %Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		return strdup("-");
	return strdup(buf);
}

static char *format_nsec(uint64_t ns)
{
	static const struct {
		uint64_t div;
		const char *unit;
	} units[] = {
		{ 1000000000ULL, "s" }, { 1000000ULL, "ms" }, { 1000ULL, "us" },
	};
	char *s = NULL;
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ns < units[i].div)
			continue;
		if (asprintf(&s, "%" PRIu64 ".%03" PRIu64 "%s", ns / units[i].div,
			     ns % units[i].div * 1000 / units[i].div,
			     units[i].unit) < 0)
			return NULL;
		return s;
	}
	if (asprintf(&s, "%" PRIu64 "ns", ns) < 0)
		return NULL;
	return s;
}

char *format_duration_usec(const json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return strdup("-");
	return format_nsec((uint64_t)json_integer_value(v) * 1000);
}

char *format_duration_nsec(const json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return strdup("-");
	return format_nsec((uint64_t)json_integer_value(v));
}

char *format_mode(const json_t *v)
{
	char *s = NULL;

	if (!json_is_integer(v))
		return strdup("-");
	if (asprintf(&s, "%04llo",
		     (unsigned long long)json_integer_value(v) & 07777) < 0)
		return NULL;
	return s;
}

char *format_uid(const json_t *v)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (!json_is_integer(v))
		return format_value(v);
	if (getpwuid_r((uid_t)json_integer_value(v), &pw, buf, sizeof(buf),
		       &res) == 0 && res)
		return strdup(res->pw_name);
	return format_value(v);
}

char *format_histogram(const json_t *v)
{
	char *out = NULL;
	size_t len = 0, i;
	bool any = false;
	json_t *e;
	FILE *f;

	if (!json_is_array(v))
		return format_value(v);
	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	json_array_foreach(v, i, e) {
		if (json_integer_value(e) <= 0)
			continue;
		if (any)
			fputc('\n', f);
		any = true;
		if (i + 1 < json_array_size(v))
			fprintf(f, "< %" PRIu64 "us: %" JSON_INTEGER_FORMAT,
				(uint64_t)1 << i, json_integer_value(e));
		else
			fprintf(f, ">= %" PRIu64 "us: %" JSON_INTEGER_FORMAT,
				(uint64_t)1 << (i ? i - 1 : 0),
				json_integer_value(e));
	}
	if (!any)
		fputs("-", f);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

char *format_lines(const json_t *v)
{
	if (!json_is_array(v))
		return format_value(v);
	return join_array(v, "\n");
}
