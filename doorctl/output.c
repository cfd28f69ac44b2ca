/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "output.h"

int json_mode_from_string(const char *s, enum json_mode *ret)
{
	if (!strcmp(s, "pretty"))
		*ret = JSON_MODE_PRETTY;
	else if (!strcmp(s, "short"))
		*ret = JSON_MODE_SHORT;
	else if (!strcmp(s, "off"))
		*ret = JSON_MODE_OFF;
	else
		return -EINVAL;
	return 0;
}

static int finish(FILE *f)
{
	if (fflush(f) != 0 || ferror(f))
		return -EIO;
	return 0;
}

int output_json(const struct output *o, const json_t *v)
{
	size_t flags = JSON_ENCODE_ANY;

	if (o->json == JSON_MODE_SHORT)
		flags |= JSON_COMPACT;
	else
		flags |= JSON_INDENT(2);
	if (json_dumpf(v, o->f, flags) < 0)
		return -EIO;
	fputc('\n', o->f);
	return finish(o->f);
}

char *label_from_key(const char *key)
{
	char *l = strdup(key), *p;

	if (!l)
		return NULL;
	for (p = l; *p; p++)
		if (*p == '_')
			*p = ' ';
	l[0] = (char)toupper((unsigned char)l[0]);
	return l;
}

/* One cell per column and row, freed with free_cells(). */
static char **make_cells(const json_t *rows, const struct column *cols,
			 size_t n_cols)
{
	size_t n_rows = json_array_size(rows), r, c;
	char **cells = calloc(n_rows * n_cols + 1, sizeof(char *));

	if (!cells)
		return NULL;
	for (r = 0; r < n_rows; r++) {
		const json_t *row = json_array_get(rows, r);

		for (c = 0; c < n_cols; c++) {
			const json_t *v = json_object_get(row, cols[c].key);
			format_fn fmt = cols[c].format ? cols[c].format : format_value;
			char *s = v ? fmt(v) : strdup("-");

			if (!s)
				goto fail;
			cells[r * n_cols + c] = s;
		}
	}
	return cells;
fail:
	for (r = 0; r < n_rows * n_cols; r++)
		free(cells[r]);
	free(cells);
	return NULL;
}

static void print_cell(FILE *f, const char *s, size_t width, bool right,
		       bool last)
{
	if (right)
		fprintf(f, "%*s", (int)width, s);
	else if (last)
		fputs(s, f);
	else
		fprintf(f, "%-*s", (int)width, s);
	if (!last)
		fputc(' ', f);
}

int output_table(const struct output *o, const json_t *rows,
		 const struct column *cols, size_t n_cols, const char *noun)
{
	size_t n_rows = json_array_size(rows), r, c, *width;
	char **cells;

	if (o->json != JSON_MODE_OFF)
		return output_json(o, rows);

	cells = make_cells(rows, cols, n_cols);
	width = calloc(n_cols, sizeof(*width));
	if (!cells || !width) {
		free(cells);
		free(width);
		return -ENOMEM;
	}
	for (c = 0; c < n_cols; c++) {
		width[c] = o->legend ? strlen(cols[c].header) : 0;
		for (r = 0; r < n_rows; r++)
			if (strlen(cells[r * n_cols + c]) > width[c])
				width[c] = strlen(cells[r * n_cols + c]);
	}
	if (o->legend) {
		for (c = 0; c < n_cols; c++)
			print_cell(o->f, cols[c].header, width[c], cols[c].right,
				   c + 1 == n_cols);
		fputc('\n', o->f);
	}
	for (r = 0; r < n_rows; r++) {
		for (c = 0; c < n_cols; c++)
			print_cell(o->f, cells[r * n_cols + c], width[c],
				   cols[c].right, c + 1 == n_cols);
		fputc('\n', o->f);
	}
	if (o->legend)
		fprintf(o->f, "\n%zu %s listed.\n", n_rows, noun);

	for (r = 0; r < n_rows * n_cols; r++)
		free(cells[r]);
	free(cells);
	free(width);
	return finish(o->f);
}

static const struct field *find_field(const struct field *fields,
				      const char *key)
{
	for (; fields && fields->key; fields++)
		if (!strcmp(fields->key, key))
			return fields;
	return NULL;
}

static void print_value(FILE *f, const char *label, size_t width,
			const char *value)
{
	const char *nl;

	fprintf(f, "%*s: ", (int)width, label);
	while ((nl = strchr(value, '\n'))) {
		fprintf(f, "%.*s\n%*s  ", (int)(nl - value), value, (int)width, "");
		value = nl + 1;
	}
	fprintf(f, "%s\n", value);
}

static int print_member(FILE *f, const json_t *obj, const char *key,
			const struct field *field, size_t width)
{
	format_fn fmt = field && field->format ? field->format : format_value;
	char *label, *value;

	if (field && !field->label)
		return 0;
	label = field ? strdup(field->label) : label_from_key(key);
	value = fmt(json_object_get(obj, key));

	if (label && value)
		print_value(f, label, width, value);
	free(label);
	free(value);
	return label && value ? 0 : -ENOMEM;
}

static size_t label_width(const json_t *obj, const struct field *fields)
{
	const struct field *fd;
	const char *key;
	size_t w = 0;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		fd = find_field(fields, key);
		if (fd && !fd->label)
			continue;
		if (strlen(fd ? fd->label : key) > w)
			w = strlen(fd ? fd->label : key);
	}
	return w;
}

int output_fields(const struct output *o, const json_t *obj,
		  const struct field *fields)
{
	size_t width = label_width(obj, fields);
	const struct field *fd;
	const char *key;
	json_t *v;
	int r;

	if (o->json != JSON_MODE_OFF)
		return output_json(o, obj);

	for (fd = fields; fd && fd->key; fd++) {
		if (!json_object_get(obj, fd->key))
			continue;
		r = print_member(o->f, obj, fd->key, fd, width);
		if (r < 0)
			return r;
	}
	json_object_foreach((json_t *)obj, key, v) {
		if (find_field(fields, key))
			continue;
		r = print_member(o->f, obj, key, NULL, width);
		if (r < 0)
			return r;
	}
	return finish(o->f);
}
