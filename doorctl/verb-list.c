/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* doorctl list, doorctl info: what is attached, and one door in detail. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "common.h"
#include "exit-codes.h"
#include "format.h"
#include "log.h"
#include "variant.h"
#include "verbs.h"

static const struct column list_columns[] = {
	{ "path", "PATH", NULL, false },
	{ "id", "ID", NULL, true },
	{ "pid", "PID", NULL, true },
	{ "command", "COMMAND", NULL, false },
	{ "attributes", "ATTRIBUTES", NULL, false },
	{ "owner_uid", "OWNER", format_uid, false },
	{ "mode", "MODE", format_mode, false },
	{ "attach_time", "ATTACHED", format_timestamp, false },
	{ "calls", "CALLS", NULL, true },
};

/* One List() entry (stiuuutt) as a row of the model. */
static int read_list_row(sd_bus_message *m, json_t **ret)
{
	uint64_t id, attach_time, calls;
	uint32_t attributes, uid, mode;
	const char *path;
	json_t *row;
	int32_t pid;
	char *comm;
	int r;

	r = sd_bus_message_read(m, "(stiuuutt)", &path, &id, &pid, &attributes,
				&uid, &mode, &attach_time, &calls);
	if (r <= 0)
		return r;
	row = json_object();
	if (!row)
		return -ENOMEM;
	comm = process_command(pid);
	r = json_set(row, "path", json_string(path));
	if (!r)
		r = json_set(row, "id", json_integer((json_int_t)id));
	if (!r)
		r = json_set(row, "pid", json_integer(pid));
	if (!r)
		r = json_set(row, "command", comm ? json_string(comm) : json_null());
	if (!r)
		r = json_set(row, "attributes", attributes_to_json(attributes));
	if (!r)
		r = json_set(row, "owner_uid", json_integer(uid));
	if (!r)
		r = json_set(row, "mode", json_integer(mode));
	if (!r)
		r = json_set(row, "attach_time", json_integer((json_int_t)attach_time));
	if (!r)
		r = json_set(row, "calls", json_integer((json_int_t)calls));
	free(comm);
	if (r < 0) {
		json_decref(row);
		return r;
	}
	*ret = row;
	return 1;
}

static int read_list(sd_bus_message *m, json_t **ret)
{
	json_t *rows = json_array(), *row;
	int r;

	if (!rows)
		return -ENOMEM;
	r = sd_bus_message_enter_container(m, 'a', "(stiuuutt)");
	while (r >= 0 && (r = read_list_row(m, &row)) > 0)
		if (json_array_append_new(rows, row) < 0)
			r = -ENOMEM;
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	if (r < 0) {
		json_decref(rows);
		return r;
	}
	*ret = rows;
	return 0;
}

int verb_list(const struct args *a)
{
	struct output o = output_for(a);
	sd_bus_message *reply = NULL;
	json_t *rows = NULL;
	sd_bus *bus = NULL;
	int r;

	r = bus_connect(&bus);
	if (r < 0)
		return exit_code_from_connect_errno(r);
	r = bus_call(bus, "List", &reply, "list attached doors", NULL, "");
	if (r >= 0) {
		r = read_list(reply, &rows);
		if (r < 0)
			log_failed(r, NULL, "parse doord's reply to", "List");
	}
	if (r >= 0) {
		r = output_table(&o, rows, list_columns,
				 sizeof(list_columns) / sizeof(list_columns[0]),
				 json_array_size(rows) == 1 ? "door" : "doors");
		if (r < 0)
			log_failed(r, NULL, "write the list", NULL);
	}
	json_decref(rows);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return exit_code_from_errno(r);
}

/* Info()'s members (doord's names, snake_cased), in display order. */
static const struct field info_fields[] = {
	{ "path", "Path", NULL },
	{ "id", "Door ID", NULL },
	{ "server_pid", "Server PID", NULL },
	{ "command", "Command", NULL },
	{ "attributes", "Attributes", NULL },
	{ "owner", "Owner", format_uid },
	{ "attached_by", "Attached by", format_uid },
	{ "mode", "Mode", format_mode },
	{ "attach_time", "Attached", format_timestamp },
	{ "names", "Names", NULL },
	{ "calls", "Calls", NULL },
	{ "errors", "Errors", NULL },
	{ "active", "Active", NULL },
	{ "peak_active", "Peak active", NULL },
	{ "threads_parked", "Threads parked", NULL },
	{ "latency_histogram", "Latency", format_histogram },
	{ 0 },
};

/* The server's command, when its process is visible from here. */
static json_t *info_command(const json_t *info)
{
	const json_t *v = json_object_get(info, "server_pid");
	json_t *s;
	char *comm;

	if (!json_is_integer(v))
		return NULL;
	comm = process_command((pid_t)json_integer_value(v));
	s = comm ? json_string(comm) : json_null();
	free(comm);
	return s;
}

/*
 * doord reports raw values; the model leads with the path, names the
 * attribute bits and adds the server's command, so that both outputs
 * show them. Returns a new object or NULL (out of memory).
 */
static json_t *info_model(const json_t *info, const char *path)
{
	json_t *model = json_object(), *v, *comm;
	const char *key;
	int r;

	if (!model)
		return NULL;
	r = json_set(model, "path", json_string(path));
	json_object_foreach((json_t *)info, key, v) {
		if (r)
			break;
		if (!strcmp(key, "attributes") && json_is_integer(v))
			r = json_set(model, key,
				     attributes_to_json((uint32_t)json_integer_value(v)));
		else
			r = json_set(model, key, json_incref(v));
	}
	comm = json_object_get(info, "command") ? NULL : info_command(info);
	if (!r && comm)
		r = json_set(model, "command", comm);
	if (r) {
		json_decref(model);
		return NULL;
	}
	return model;
}

int verb_info(const struct args *a)
{
	const char *path = a->argv[0];
	struct output o = output_for(a);
	sd_bus_message *reply = NULL;
	json_t *info = NULL, *model = NULL;
	sd_bus *bus = NULL;
	int fd, r;

	fd = open_name(path);
	if (fd < 0)
		return exit_code_from_errno(fd);
	r = bus_connect(&bus);
	if (r < 0) {
		close(fd);
		return exit_code_from_connect_errno(r);
	}
	r = bus_call(bus, "Info", &reply, "get information on", path, "h", fd);
	close(fd);
	if (r >= 0) {
		r = variant_read_dict(reply, &info);
		if (r < 0)
			log_failed(r, NULL, "parse doord's reply to", "Info");
	}
	if (r >= 0) {
		model = info_model(info, path);
		if (!model)
			r = log_failed(-ENOMEM, NULL, "describe", path);
	}
	if (r >= 0) {
		r = output_fields(&o, model, info_fields);
		if (r < 0)
			log_failed(r, NULL, "write information on", path);
	}
	json_decref(model);
	json_decref(info);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return exit_code_from_errno(r);
}
