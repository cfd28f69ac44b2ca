/*
 * The layout behind the opaque ucred_t.
 */
#ifndef DOOR_UCRED_H
#define DOOR_UCRED_H

#include <stdint.h>

#include "door.h"

/* ucred_t is self-contained (ucred_size() bytes), as on Solaris, so a
 * buffer a program allocated itself can be handed to door_ucred. */
#define UCRED_GROUPS_MAX 1024

struct ucred_s {
	uid_t euid, ruid, suid;
	gid_t egid, rgid, sgid;
	pid_t pid;
	int ngroups;
	uint64_t cap_effective, cap_permitted, cap_inheritable;
	gid_t groups[UCRED_GROUPS_MAX];
};

#endif /* DOOR_UCRED_H */
