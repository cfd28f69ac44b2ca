/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every verb that prints data builds one jansson value (the model) and
 * hands it here. The same model is either dumped as JSON (--json) or
 * rendered for people, so the two outputs cannot drift apart. Field
 * names in the model are the stable JSON API: snake_case, numbers as
 * numbers, times in microseconds since the epoch.
 */
#ifndef DOORCTL_OUTPUT_H
#define DOORCTL_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

enum json_mode {
	JSON_MODE_OFF,
	JSON_MODE_PRETTY,
	JSON_MODE_SHORT,
};

struct output {
	FILE *f;
	enum json_mode json;
	bool legend;	/* table header and footer */
};

/* Renders one value of the model as text (malloc'd, NULL on ENOMEM). */
typedef char *(*format_fn)(const json_t *v);

/* A table column: the row member KEY under HEADER. */
struct column {
	const char *key;
	const char *header;
	format_fn format;	/* NULL: format_value() */
	bool right;		/* right-align (numbers) */
};

/* A line of a key/value listing; the list ends with a NULL key. */
struct field {
	const char *key;
	const char *label;	/* NULL: JSON only, not shown in the listing */
	format_fn format;	/* NULL: format_value() */
};

/* "pretty", "short" or "off" to a mode; -EINVAL otherwise. */
int json_mode_from_string(const char *s, enum json_mode *ret);

/* Dump @v as JSON in the output's mode (pretty when the mode is off). */
int output_json(const struct output *o, const json_t *v);

/*
 * An array of objects as a table with one row per object, or as a JSON
 * array. The legend is a header line and a footer "N NOUN listed.".
 * Returns 0 or a negative errno.
 */
int output_table(const struct output *o, const json_t *rows,
		 const struct column *columns, size_t n_columns,
		 const char *noun);

/*
 * An object as "Label: value" lines with aligned colons, or as JSON.
 * Members named in @fields come first, in that order; the other
 * members follow with labels made from their names. Multi-line values
 * continue under the value column.
 */
int output_fields(const struct output *o, const json_t *obj,
		  const struct field *fields);

/* "policy_files" -> "Policy files" (malloc'd). */
char *label_from_key(const char *key);

#endif
