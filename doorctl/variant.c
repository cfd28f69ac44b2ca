/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "variant.h"

char *snake_case(const char *camel)
{
	size_t n = strlen(camel), i;
	char *s = malloc(2 * n + 1), *p = s;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)camel[i];
		bool upper = isupper(c);
		/* A word starts at an upper-case letter that follows a lower-
		 * case one or digit, or that begins "Xy" after an acronym. */
		bool boundary = i > 0 && upper &&
			(!isupper((unsigned char)camel[i - 1]) ||
			 (i + 1 < n && islower((unsigned char)camel[i + 1])));

		if (boundary && p > s && p[-1] != '_')
			*p++ = '_';
		*p++ = (char)tolower(c);
	}
	*p = '\0';
	return s;
}

static int read_basic(sd_bus_message *m, char type, json_t **ret)
{
	union {
		uint8_t y;
		int16_t n;
		uint16_t q;
		int32_t i;
		uint32_t u;
		int64_t x;
		uint64_t t;
		double d;
		int b;
		const char *s;
	} v;
	int r;

	r = sd_bus_message_read_basic(m, type, &v);
	if (r < 0)
		return r;
	switch (type) {
	case 'y': *ret = json_integer(v.y); break;
	case 'n': *ret = json_integer(v.n); break;
	case 'q': *ret = json_integer(v.q); break;
	case 'i': *ret = json_integer(v.i); break;
	case 'u': *ret = json_integer(v.u); break;
	case 'x': *ret = json_integer(v.x); break;
	/* jansson integers are signed 64-bit: counters never get there,
	 * and "unset" markers (UINT64_MAX) read better as -1 than wrapped. */
	case 't': *ret = json_integer(v.t > INT64_MAX ? -1 : (json_int_t)v.t); break;
	case 'd': *ret = json_real(v.d); break;
	case 'b': *ret = json_boolean(v.b); break;
	case 'h': *ret = json_null(); break;
	default: *ret = json_string(v.s); break;
	}
	return *ret ? 0 : -ENOMEM;
}

static int read_dict_entries(sd_bus_message *m, const char *contents,
			     bool snake, json_t **ret)
{
	/* "{sv}" is the array's element type; the entry's is "sv". */
	char *entry = strndup(contents + 1, strlen(contents) - 2);
	json_t *obj = json_object(), *v;
	const char *key;
	char *k;
	int r;

	if (!obj || !entry) {
		json_decref(obj);
		free(entry);
		return -ENOMEM;
	}
	r = sd_bus_message_enter_container(m, SD_BUS_TYPE_ARRAY, contents);
	while (r >= 0 &&
	       (r = sd_bus_message_enter_container(m, SD_BUS_TYPE_DICT_ENTRY,
						   entry)) > 0) {
		r = sd_bus_message_read_basic(m, contents[1], &key);
		if (r < 0)
			break;
		r = variant_read(m, &v);
		if (r < 0)
			break;
		k = snake ? snake_case(key) : strdup(key);
		r = k ? json_object_set_new(obj, k, v) : (json_decref(v), -ENOMEM);
		free(k);
		if (r < 0)
			r = -ENOMEM;
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	}
	free(entry);
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	if (r < 0) {
		json_decref(obj);
		return r;
	}
	*ret = obj;
	return 0;
}

static int read_sequence(sd_bus_message *m, char type, const char *contents,
			 json_t **ret)
{
	json_t *a = json_array(), *v;
	int r;

	if (!a)
		return -ENOMEM;
	r = sd_bus_message_enter_container(m, type, contents);
	while (r >= 0 && (r = sd_bus_message_at_end(m, false)) == 0) {
		r = variant_read(m, &v);
		if (r >= 0 && json_array_append_new(a, v) < 0)
			r = -ENOMEM;
	}
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	if (r < 0) {
		json_decref(a);
		return r;
	}
	*ret = a;
	return 0;
}

int variant_read(sd_bus_message *m, json_t **ret)
{
	const char *contents;
	char type;
	int r;

	r = sd_bus_message_peek_type(m, &type, &contents);
	if (r <= 0)
		return r < 0 ? r : -EBADMSG;
	switch (type) {
	case SD_BUS_TYPE_ARRAY:
		if (contents[0] == SD_BUS_TYPE_DICT_ENTRY_BEGIN &&
		    (contents[1] == 's' || contents[1] == 'o'))
			return read_dict_entries(m, contents, false, ret);
		return read_sequence(m, type, contents, ret);
	case SD_BUS_TYPE_STRUCT:
	case SD_BUS_TYPE_DICT_ENTRY:
		return read_sequence(m, type, contents, ret);
	case SD_BUS_TYPE_VARIANT:
		r = sd_bus_message_enter_container(m, type, contents);
		if (r < 0)
			return r;
		r = variant_read(m, ret);
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			json_decref(*ret);
		return r;
	default:
		return read_basic(m, type, ret);
	}
}

int variant_read_dict(sd_bus_message *m, json_t **ret)
{
	return read_dict_entries(m, "{sv}", true, ret);
}
