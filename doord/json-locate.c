/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdbool.h>
#include <string.h>

#include "json-locate.h"

struct scan {
	const char *s;
	size_t len, pos;
};

static void skip_ws(struct scan *sc)
{
	while (sc->pos < sc->len && strchr(" \t\r\n", sc->s[sc->pos]) && sc->s[sc->pos])
		sc->pos++;
}

static bool peek(struct scan *sc, char c)
{
	return sc->pos < sc->len && sc->s[sc->pos] == c;
}

/* At an opening quote: moves past the closing one. Returns the raw
 * (undecoded) contents through start/size. */
static bool skip_string(struct scan *sc, size_t *start, size_t *size)
{
	if (!peek(sc, '"'))
		return false;
	sc->pos++;
	*start = sc->pos;
	while (sc->pos < sc->len && sc->s[sc->pos] != '"') {
		if (sc->s[sc->pos] == '\\')
			sc->pos++;
		sc->pos++;
	}
	if (sc->pos >= sc->len)
		return false;
	*size = sc->pos - *start;
	sc->pos++;
	return true;
}

static bool skip_value(struct scan *sc);

static bool skip_container(struct scan *sc, char close, bool object)
{
	size_t a, b;

	sc->pos++;
	skip_ws(sc);
	if (peek(sc, close)) {
		sc->pos++;
		return true;
	}
	for (;;) {
		if (object) {
			if (!skip_string(sc, &a, &b))
				return false;
			skip_ws(sc);
			if (!peek(sc, ':'))
				return false;
			sc->pos++;
			skip_ws(sc);
		}
		if (!skip_value(sc))
			return false;
		skip_ws(sc);
		if (peek(sc, close)) {
			sc->pos++;
			return true;
		}
		if (!peek(sc, ','))
			return false;
		sc->pos++;
		skip_ws(sc);
	}
}

static bool skip_value(struct scan *sc)
{
	size_t a, b;

	if (sc->pos >= sc->len)
		return false;
	switch (sc->s[sc->pos]) {
	case '{':
		return skip_container(sc, '}', true);
	case '[':
		return skip_container(sc, ']', false);
	case '"':
		return skip_string(sc, &a, &b);
	default:
		while (sc->pos < sc->len && !strchr(",]} \t\r\n", sc->s[sc->pos]))
			sc->pos++;
		return true;
	}
}

/* At '{': moves to the value of member key. */
static bool enter_member(struct scan *sc, const char *key)
{
	size_t klen = strlen(key), start, size;

	if (!peek(sc, '{'))
		return false;
	sc->pos++;
	for (;;) {
		skip_ws(sc);
		if (!skip_string(sc, &start, &size))
			return false;
		skip_ws(sc);
		if (!peek(sc, ':'))
			return false;
		sc->pos++;
		skip_ws(sc);
		if (size == klen && memcmp(sc->s + start, key, klen) == 0)
			return true;
		if (!skip_value(sc))
			return false;
		skip_ws(sc);
		if (!peek(sc, ','))
			return false;
		sc->pos++;
	}
}

/* At '[': moves to element index. */
static bool enter_element(struct scan *sc, size_t index)
{
	size_t i;

	if (!peek(sc, '['))
		return false;
	sc->pos++;
	skip_ws(sc);
	for (i = 0; i < index; i++) {
		if (!skip_value(sc))
			return false;
		skip_ws(sc);
		if (!peek(sc, ','))
			return false;
		sc->pos++;
		skip_ws(sc);
	}
	return !peek(sc, ']');
}

size_t json_locate(const char *text, size_t len, const struct json_path_elem *path, size_t n,
		   int *line, int *column)
{
	struct scan sc = { .s = text, .len = len, .pos = 0 };
	size_t followed = 0, here, i;
	int l = 1, c = 1;

	skip_ws(&sc);
	here = sc.pos;
	for (; followed < n; followed++) {
		bool ok = path[followed].key ? enter_member(&sc, path[followed].key)
					     : enter_element(&sc, path[followed].index);
		if (!ok)
			break;
		skip_ws(&sc);
		here = sc.pos;
		sc.pos = here;
	}
	for (i = 0; i < here && i < len; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*column = c;
	return followed;
}
