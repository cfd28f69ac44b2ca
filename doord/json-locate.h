/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_JSON_LOCATE_H
#define DOORD_JSON_LOCATE_H

/*
 * jansson reports positions for syntax errors only; a value that is
 * well-formed JSON but wrong for the policy (a bad path, an unknown
 * key) has no position once parsed. This scanner walks the raw text
 * of an already valid document along a path of keys and indexes and
 * reports where that value starts, so every policy error can name its
 * line and column.
 */

#include <stddef.h>

struct json_path_elem {
	const char *key;	/* object member, or NULL for an array index */
	size_t index;
};

/* Sets *line and *column (1-based) of the value at path; when the
 * path cannot be followed to the end, of the deepest value reached.
 * Returns how many elements of the path were followed. */
size_t json_locate(const char *text, size_t len, const struct json_path_elem *path, size_t n,
		   int *line, int *column);

#endif
