/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* doorctl status, doorctl reload: the daemon itself. */
#include <errno.h>
#include <fcntl.h>
#include <linux/door.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bus.h"
#include "common.h"
#include "exit-codes.h"
#include "format.h"
#include "log.h"
#include "variant.h"
#include "verbs.h"

/* Status()'s members (doord's names, snake_cased), in display order. */
static const struct field status_fields[] = {
	{ "version", "Version", NULL },
	{ "state", "State", NULL },
	{ "socket", "Socket", NULL },
	{ "start_time", "Started", format_timestamp },
	{ "config_directory", "Config directory", NULL },
	{ "policy_files", "Policy files", format_lines },
	{ "rules", "Rules", NULL },
	{ "names", "Names", NULL },
	{ "connections", "Connections", NULL },
	{ "lookups", "Lookups", NULL },
	{ "attaches", "Attaches", NULL },
	{ "detaches", "Detaches", NULL },
	{ "denials", "Denials", NULL },
	{ "fd_store", "FD store", NULL },
	{ "name_table_bytes", "Name table bytes", NULL },
	{ "module_api_version", "Module API", NULL },
	{ "module_features", "Module features", NULL },
	{ 0 },
};

static const char *const feature_names[] = {
	"call", "desc", "overflow", "unref", "private", "param", "reply",
	"exit_signal", "stats", "newref",
};

/* What door.ko in this kernel answers to the handshake, as the
 * administrator sees it from here; nothing when it is not loaded. */
static int add_module_status(json_t *status)
{
	struct door_handshake h = {
		.size = sizeof(h),
		.api_version = DOOR_API_VERSION,
	};
	json_t *features;
	size_t i;
	int fd, r;

	fd = open("/dev/" DOOR_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	r = ioctl(fd, DOOR_IOC_HANDSHAKE, &h);
	close(fd);
	if (r < 0)
		return 0;
	features = json_array();
	for (i = 0; features && i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
		if ((h.features & (1ULL << i)) &&
		    json_array_append_new(features, json_string(feature_names[i])) < 0) {
			json_decref(features);
			features = NULL;
		}
	r = json_set(status, "module_api_version", json_integer(h.api_version));
	if (!r)
		r = json_set(status, "module_features", features);
	else
		json_decref(features);
	return r;
}

int verb_status(const struct args *a)
{
	struct output o = output_for(a);
	sd_bus_message *reply = NULL;
	json_t *status = NULL;
	sd_bus *bus = NULL;
	int r;

	r = bus_connect(&bus);
	if (r < 0)
		return exit_code_from_connect_errno(r);
	r = bus_call(bus, "Status", &reply, "get doord's status", NULL, "");
	if (r >= 0) {
		r = variant_read_dict(reply, &status);
		if (r < 0)
			log_failed(r, NULL, "parse doord's reply to", "Status");
	}
	if (r >= 0) {
		/* the socket we reached, when doord does not say (or says
		 * nothing useful, as under socket activation) */
		const char *sock = json_string_value(json_object_get(status, "socket"));

		r = 0;
		if (!sock || !*sock)
			r = json_set(status, "socket", json_string(bus_socket_path()));
		if (!r)
			r = add_module_status(status);
		if (r >= 0)
			r = output_fields(&o, status, status_fields);
		if (r < 0)
			log_failed(r, NULL, "write doord's status", NULL);
	}
	json_decref(status);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return exit_code_from_errno(r);
}

int verb_reload(const struct args *a)
{
	sd_bus_message *reply = NULL;
	sd_bus *bus = NULL;
	int r;

	(void)a;
	r = bus_connect(&bus);
	if (r < 0)
		return exit_code_from_connect_errno(r);
	r = bus_call(bus, "Reload", &reply, "reload doord's policy", NULL, "");
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return exit_code_from_errno(r);
}
