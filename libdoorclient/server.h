/*
 * Server thread state shared with the pool code.
 */
#ifndef DOOR_SERVER_H
#define DOOR_SERVER_H

#include <stdbool.h>

/* The calling thread was made by the default creation function: the
 * pool's count drops when it ends. False if its state cannot be set up
 * (the thread then cannot serve). */
bool door_server_mark_default(void);

#endif /* DOOR_SERVER_H */
