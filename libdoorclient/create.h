/*
 * The door creation step shared by door_create and door_xcreate.
 */
#ifndef DOOR_CREATE_H
#define DOOR_CREATE_H

#include "internal.h"

/* The new door's descriptor (info describes it), or -errno. */
int door_create_common(door_server_procedure_t *proc, void *cookie,
		       uint_t attributes, int signo, door_info_t *info);

#endif /* DOOR_CREATE_H */
