/*
 * Calls to doord's org.doors.door1.Manager interface.
 */
#ifndef DOOR_BUS_H
#define DOOR_BUS_H

#include <systemd/sd-bus.h>

const char *door_bus_socket(void);

/*
 * Calls METHOD with arguments of signature TYPES. 0 with *reply set (the
 * caller unrefs it), or -errno with the reason recorded: doord's own
 * errno when it answered, -EAGAIN when it could not be reached.
 */
int door_bus_call(const char *method, sd_bus_message **reply,
		  const char *types, ...);

#endif /* DOOR_BUS_H */
