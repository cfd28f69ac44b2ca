/*
 * ucred_t: ucred_get (any process, from /proc) and the accessors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "ucred.h"

static void parse_ids(const char *s, unsigned int *r, unsigned int *e,
		      unsigned int *saved)
{
	(void)sscanf(s, "%u %u %u", r, e, saved);
}

static void parse_groups(const char *s, ucred_t *uc)
{
	char *end;

	uc->ngroups = 0;
	while (uc->ngroups < UCRED_GROUPS_MAX) {
		unsigned long g = strtoul(s, &end, 10);

		if (end == s)
			break;
		uc->groups[uc->ngroups++] = (gid_t)g;
		s = end;
	}
}

static int parse_status(FILE *f, ucred_t *uc)
{
	char line[8192];
	int seen = 0;

	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(line, "Uid")) {
			parse_ids(v, &uc->ruid, &uc->euid, &uc->suid);
			seen |= 1;
		} else if (!strcmp(line, "Gid")) {
			parse_ids(v, &uc->rgid, &uc->egid, &uc->sgid);
			seen |= 2;
		} else if (!strcmp(line, "Pid")) {
			uc->pid = (pid_t)strtol(v, NULL, 10);
			seen |= 4;
		} else if (!strcmp(line, "Groups")) {
			parse_groups(v, uc);
		} else if (!strcmp(line, "CapInh")) {
			uc->cap_inheritable = strtoull(v, NULL, 16);
		} else if (!strcmp(line, "CapPrm")) {
			uc->cap_permitted = strtoull(v, NULL, 16);
		} else if (!strcmp(line, "CapEff")) {
			uc->cap_effective = strtoull(v, NULL, 16);
		}
	}
	return seen == 7 ? 0 : -EIO;
}

DOOR_EXPORT ucred_t *ucred_get(pid_t pid)
{
	char path[64];
	ucred_t *uc;
	FILE *f;
	int r;

	if (pid == P_MYID)
		pid = getpid();
	if (pid <= 0) {
		errno = ESRCH;
		return NULL;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		errno = errno == ENOENT ? ESRCH : errno;
		return NULL;
	}
	uc = calloc(1, sizeof(*uc));
	if (!uc) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	r = parse_status(f, uc);
	fclose(f);
	if (r < 0) {
		free(uc);
		errno = -r;
		return NULL;
	}
	return uc;
}

DOOR_EXPORT void ucred_free(ucred_t *uc)
{
	free(uc);
}

DOOR_EXPORT size_t ucred_size(void)
{
	return sizeof(struct ucred_s);
}

DOOR_EXPORT uid_t ucred_geteuid(const ucred_t *uc)
{
	return uc->euid;
}

DOOR_EXPORT uid_t ucred_getruid(const ucred_t *uc)
{
	return uc->ruid;
}

DOOR_EXPORT uid_t ucred_getsuid(const ucred_t *uc)
{
	return uc->suid;
}

DOOR_EXPORT gid_t ucred_getegid(const ucred_t *uc)
{
	return uc->egid;
}

DOOR_EXPORT gid_t ucred_getrgid(const ucred_t *uc)
{
	return uc->rgid;
}

DOOR_EXPORT gid_t ucred_getsgid(const ucred_t *uc)
{
	return uc->sgid;
}

DOOR_EXPORT int ucred_getgroups(const ucred_t *uc, const gid_t **groups)
{
	*groups = uc->groups;
	return uc->ngroups;
}

DOOR_EXPORT pid_t ucred_getpid(const ucred_t *uc)
{
	return uc->pid;
}
