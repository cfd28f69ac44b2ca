/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * doorctl call: one door call from the command line. doord is asked
 * for the name (Lookup, so its errors are its own); the call itself is
 * libdoorclient's door_call() on the reference doord hands out, one
 * ioctl into door.ko, as any door client's would be.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "common.h"
#include "door-call.h"
#include "exit-codes.h"
#include "format.h"
#include "hexdump.h"
#include "log.h"
#include "verbs.h"

/* Refuse to buffer absurd arguments; the module's own limit is lower. */
#define MAX_ARGUMENT_SIZE (256UL * 1024 * 1024)

static int read_all(int fd, char **ret, size_t *ret_size)
{
	size_t size = 0, cap = 4096;
	char *buf = malloc(cap), *n;
	ssize_t k;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (size == cap) {
			if (cap >= MAX_ARGUMENT_SIZE) {
				free(buf);
				return -EFBIG;
			}
			n = realloc(buf, cap * 2);
			if (!n) {
				free(buf);
				return -ENOMEM;
			}
			buf = n;
			cap *= 2;
		}
		k = read(fd, buf + size, cap - size);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(buf);
			return -errno;
		}
		if (k == 0)
			break;
		size += (size_t)k;
	}
	*ret = buf;
	*ret_size = size;
	return 0;
}

static int read_file(const char *path, char **ret, size_t *ret_size)
{
	int fd, r;

	if (!strcmp(path, "-")) {
		r = read_all(STDIN_FILENO, ret, ret_size);
		return r < 0 ? log_failed(r, NULL, "read", "standard input") : 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return log_failed(-errno, NULL, "open", path);
	r = read_all(fd, ret, ret_size);
	close(fd);
	if (r < 0)
		return log_failed(r, NULL, "read", path);
	return 0;
}

/* The arguments: --data, --file, "-" or nothing. */
static int load_argument(const struct args *a, char **ret, size_t *ret_size)
{
	*ret = NULL;
	*ret_size = 0;
	if (a->data) {
		*ret = strdup(a->data);
		*ret_size = strlen(a->data);
		return *ret ? 0 : log_failed(-ENOMEM, NULL, "copy the data", NULL);
	}
	if (a->file)
		return read_file(a->file, ret, ret_size);
	if (a->argc == 2)
		return read_file("-", ret, ret_size);
	return 0;
}

static void close_all(int *fds, size_t n)
{
	while (n)
		close(fds[--n]);
	free(fds);
}

static int open_fd_files(const struct args *a, int **ret)
{
	int *fds = calloc(a->n_fds + 1, sizeof(int));
	size_t i;

	if (!fds)
		return log_failed(-ENOMEM, NULL, "open descriptors", NULL);
	for (i = 0; i < a->n_fds; i++) {
		fds[i] = open(a->fds[i], O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0) {
			int r = log_failed(-errno, NULL, "open", a->fds[i]);

			close_all(fds, i);
			return r;
		}
	}
	*ret = fds;
	return 0;
}

/* A received descriptor as the model describes it. */
static json_t *descriptor_model(const door_desc_t *d)
{
	int fd = d->d_data.d_desc.d_descriptor;
	door_id_t id = d->d_data.d_desc.d_id;
	json_t *o = json_object();
	char link[64], target[PATH_MAX];
	ssize_t n;
	int r;

	if (!o)
		return NULL;
	r = json_set(o, "fd", json_integer(fd));
	if (!r && id) {
		r = json_set(o, "door_id", json_integer((json_int_t)id));
		/* the low bits are the door's attributes, DOOR_DESCRIPTOR
		 * and friends above them */
		if (!r)
			r = json_set(o, "attributes",
				     attributes_to_json(d->d_attributes & 0xffff));
	} else if (!r) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		r = json_set(o, "file", n > 0 ? json_string(target) : json_null());
	}
	if (r) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *reply_model(const char *path, const door_info_t *info,
			   const struct door_reply *reply)
{
	json_t *m = json_object(), *descs = json_array();
	char *hex = hex_string(reply->data, reply->data_size);
	size_t i;
	int r = m && descs && hex ? 0 : -ENOMEM;

	if (!r)
		r = json_set(m, "path", json_string(path));
	if (!r)
		r = json_set(m, "door_id", json_integer((json_int_t)info->di_uniquifier));
	if (!r)
		r = json_set(m, "server_pid", json_integer(info->di_target));
	if (!r)
		r = json_set(m, "data_size", json_integer((json_int_t)reply->data_size));
	if (!r)
		r = json_set(m, "data_hex", json_string(hex));
	for (i = 0; !r && i < reply->desc_num; i++)
		if (json_array_append_new(descs, descriptor_model(&reply->desc[i])) < 0)
			r = -ENOMEM;
	if (!r)
		r = json_set(m, "descriptors", json_incref(descs));
	if (!r)
		r = json_set(m, "round_trip_nsec",
			     json_integer((json_int_t)reply->round_trip_nsec));
	free(hex);
	json_decref(descs);
	if (r) {
		json_decref(m);
		return NULL;
	}
	return m;
}

static char *format_descriptors(const json_t *v)
{
	char *out = NULL, *attrs;
	size_t len = 0, i;
	json_t *d;
	FILE *f;

	if (!json_array_size(v))
		return strdup("-");
	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	json_array_foreach(v, i, d) {
		fprintf(f, "%s%" JSON_INTEGER_FORMAT ": ", i ? "\n" : "",
			json_integer_value(json_object_get(d, "fd")));
		if (json_object_get(d, "door_id")) {
			attrs = format_value(json_object_get(d, "attributes"));
			fprintf(f, "door %" JSON_INTEGER_FORMAT " (%s)",
				json_integer_value(json_object_get(d, "door_id")),
				attrs ? attrs : "-");
			free(attrs);
		} else {
			fputs(json_string_value(json_object_get(d, "file")) ?: "?", f);
		}
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static const struct field reply_fields[] = {
	{ "path", "Path", NULL },
	{ "door_id", "Door ID", NULL },
	{ "server_pid", "Server PID", NULL },
	{ "data_size", "Reply size", NULL },
	{ "descriptors", "Descriptors", format_descriptors },
	{ "round_trip_nsec", "Round trip", format_duration_nsec },
	{ 0 },
};

/*
 * JSON: the model alone. Otherwise the reply's bytes go to stdout (raw
 * into a pipe or file, a hexdump on a terminal) and the summary to the
 * terminal, or to stderr when stdout carries raw data.
 */
static int show_reply(const struct args *a, json_t *model,
		      const struct door_reply *reply)
{
	struct output o = output_for(a);
	bool tty = isatty(STDOUT_FILENO);

	if (a->json != JSON_MODE_OFF)
		return output_json(&o, model);
	if (tty) {
		hexdump(stdout, reply->data, reply->data_size);
	} else if (fwrite(reply->data, 1, reply->data_size, stdout) != reply->data_size ||
		   fflush(stdout) != 0) {
		return -EIO;
	}
	if (a->quiet)
		return 0;
	json_object_del(model, "data_hex");
	o.f = tty ? stdout : stderr;
	return output_fields(&o, model, reply_fields);
}

static int call_door(const struct args *a, int door, const char *data,
		     size_t size, const int *fds)
{
	const char *path = a->argv[0];
	struct door_reply reply;
	door_info_t info;
	json_t *model;
	int r;

	r = door_get_info(door, &info);
	if (r < 0)
		return log_failed(r, NULL, "get information on the door of", path);
	r = door_call_once(door, data, size, fds, a->n_fds, &reply);
	if (r == -EBADF) {
		log_error("Failed to call door '%s': the door was revoked or its server is gone", path);
		return r;
	}
	if (r < 0)
		return log_failed(r, NULL, "call door", path);
	model = reply_model(path, &info, &reply);
	r = model ? show_reply(a, model, &reply) : -ENOMEM;
	if (r < 0)
		log_failed(r, NULL, "show the reply of", path);
	json_decref(model);
	door_reply_release(&reply);
	return r;
}

int verb_call(const struct args *a)
{
	const char *path = a->argv[0];
	sd_bus *bus = NULL;
	int *fds = NULL, door, r;
	char *data;
	size_t size;

	r = load_argument(a, &data, &size);
	if (r < 0)
		return exit_code_from_errno(r);
	r = open_fd_files(a, &fds);
	if (r < 0) {
		free(data);
		return exit_code_from_errno(r);
	}
	r = bus_connect(&bus);
	if (r < 0) {
		r = exit_code_from_connect_errno(r);
		goto out;
	}
	door = bus_lookup(bus, path);
	sd_bus_flush_close_unref(bus);
	r = door;
	if (door >= 0) {
		r = call_door(a, door, data, size, fds);
		close(door);
	}
	r = exit_code_from_errno(r);
out:
	close_all(fds, a->n_fds);
	free(data);
	return r;
}
