/*
 * libdoorclient internals: shared by the library's source files only.
 */
#ifndef DOOR_INTERNAL_H
#define DOOR_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>

#include "door.h"

/*
 * The uapi's struct tags door_desc and door_info are also the Solaris
 * tags of door_desc_t and door_info_t; include it with its tags renamed.
 * The ioctl numbers that name those structures are redefined below.
 */
#define door_desc door_kdesc
#define door_info door_kinfo
#include <linux/door.h>
#undef door_desc
#undef door_info

#define KDOOR_IOC_INFO	_IOR(DOOR_IOC_MAGIC, 0x11, struct door_kinfo)
#define KDOOR_IOC_QUERY	_IOR(DOOR_IOC_MAGIC, 0x07, struct door_kinfo)

#define DOOR_EXPORT __attribute__((visibility("default")))

#define DOOR_DEVICE_PATH "/dev/" DOOR_DEVICE_NAME

/* error.c: the one-line reason behind the last failure of this thread. */
void door_detail_clear(void);
void door_detail_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Sets errno to -err, records the reason, returns -1. */
int door_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* context.c: this process's /dev/door context. */
int door_ctx_fd(void);				/* fd or -errno */
uint64_t door_ctx_features(void);		/* 0 if not open */
int door_ctx_need(uint64_t feature, const char *what);	/* 0 or -errno */
void door_ctx_forked_child(void);

/* resolve.c: an ioctl on a door descriptor, resolving an open attached
 * file into its door on first use. Returns the ioctl's result or -errno. */
int door_fd_ioctl(int d, unsigned long req, void *arg);
void door_kinfo_to_info(const struct door_kinfo *ki, door_info_t *info);
void door_resolve_forked_child(void);

/* naming.c: doord's Lookup for an open file; a fresh door fd or -errno. */
int door_naming_lookup(int file_fd);

/* pool.c: server thread creation. */
void door_pool_created(uint_t attributes, const door_info_t *info);
void door_pool_depleted(const struct door_invocation *inv);
void door_pool_forked_child(void);
void door_pool_thread_exit(void);

/* xcreate.c: doors with their own creation function. */
int door_xcreate_depleted(door_info_t *info);
void door_xcreate_forked_child(void);

/* server.c */
void door_server_forked_child(void);

#endif /* DOOR_INTERNAL_H */
