/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * D-Bus values from doord into doorctl's model. doord names properties
 * in CamelCase (D-Bus style); the model uses snake_case.
 */
#ifndef DOORCTL_VARIANT_H
#define DOORCTL_VARIANT_H

#include <jansson.h>
#include <systemd/sd-bus.h>

/* "PolicyFiles" -> "policy_files", "ServerPID" -> "server_pid". */
char *snake_case(const char *camel);

/* Read the next complete value of @m into a new jansson value.
 * Dictionaries with string keys become objects. */
int variant_read(sd_bus_message *m, json_t **ret);

/* Read an a{sv} into an object with snake_case keys. */
int variant_read_dict(sd_bus_message *m, json_t **ret);

#endif
