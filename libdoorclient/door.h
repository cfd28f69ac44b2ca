/*
 * <door.h>: Solaris doors for Linux.
 *
 * Source compatible with the Solaris/illumos <door.h> (which also brings
 * in <sys/door.h> and <ucred.h>): the same names, types, constants and,
 * on amd64, the same structure layouts. A Solaris door program builds
 * unchanged with `cc prog.c -ldoor -lpthread`.
 *
 * Everything in the section "Linux additions" at the end exists on no
 * Solaris system; a portable program uses none of it.
 *
 * See libdoor(3).
 */
#ifndef _DOOR_H
#define _DOOR_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Solaris <sys/types.h> spells unsigned int this way; glibc does not. */
#ifndef _UINT_T_DECLARED
#define _UINT_T_DECLARED
typedef unsigned int uint_t;
#endif

/* Carried as 64 bits so 32- and 64-bit processes can talk. */
typedef unsigned long long door_ptr_t;
typedef unsigned long long door_id_t;
typedef unsigned int door_attr_t;

/* Door attributes (door_create, door_info, door_desc_t). */
#define DOOR_UNREF		0x01	/* one unreferenced notification */
#define DOOR_PRIVATE		0x02	/* private server-thread pool */
#define DOOR_LOCAL		0x04	/* output: created by this process */
#define DOOR_REVOKED		0x08	/* output: revoked or server gone */
#define DOOR_UNREF_MULTI	0x10	/* unreferenced notifications, repeated */
#define DOOR_IS_UNREF		0x20	/* output: currently unreferenced */
#define DOOR_REFUSE_DESC	0x40	/* calls may not pass descriptors */
#define DOOR_NO_CANCEL		0x80	/* no server cancellation on client abort */
#define DOOR_NO_DEPLETION_CB	0x100	/* door_xcreate: no depletion callbacks */
#define DOOR_PRIVCREATE		0x200	/* internal: door_xcreate door */
#define DOOR_DEPLETION_CB	0x400	/* to a creation function: depletion */

#define DOOR_CREATE_MASK	(DOOR_UNREF | DOOR_PRIVATE | DOOR_UNREF_MULTI | \
				 DOOR_REFUSE_DESC | DOOR_NO_CANCEL | \
				 DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)
#define DOOR_KI_CREATE_MASK	(DOOR_UNREF | DOOR_UNREF_MULTI)
#define DOOR_ATTR_MASK		(DOOR_CREATE_MASK | DOOR_LOCAL | \
				 DOOR_REVOKED | DOOR_IS_UNREF)

/* door_desc_t attributes. */
#define DOOR_DESCRIPTOR		0x10000	/* a file descriptor */
#define DOOR_HANDLE		0x20000	/* kernel only on Solaris; unused */
#define DOOR_RELEASE		0x40000	/* close the sender's descriptor */
#define DOOR_DELAY		0x80000	/* kernel internal on Solaris */
#define DOOR_UNREF_ACTIVE	0x100000 /* kernel internal on Solaris */

/* door_getparam / door_setparam. */
#define DOOR_PARAM_DESC_MAX	1
#define DOOR_PARAM_DATA_MAX	2
#define DOOR_PARAM_DATA_MIN	3

#define DOOR_INVAL		(-1)
#define DOOR_QUERY		(-2)	/* door_info: the door this thread serves */
#define DOOR_UNREF_DATA		((void *)1)	/* argp of an unref invocation */

/* A door is reported as this file type by fstat(2) (the Solaris value). */
#define S_IFDOOR		0150000
#define S_ISDOOR(mode)		(((mode) & 0170000) == S_IFDOOR)

/*
 * door_desc_t and door_info_t are packed to 4 bytes as on Solaris amd64,
 * so that 32- and 64-bit layouts agree: door_desc_t is 24 bytes with
 * d_id at offset 8, door_info_t 48 bytes with di_proc at offset 4.
 */
#pragma pack(push, 4)
typedef struct door_desc {
	door_attr_t d_attributes;
	union {
		struct {
			int d_descriptor;
			door_id_t d_id;
		} d_desc;
		int d_resv[5];
	} d_data;
} door_desc_t;

typedef struct door_info {
	pid_t di_target;		/* server pid, -1 once it is gone */
	door_ptr_t di_proc;		/* server procedure */
	door_ptr_t di_data;		/* cookie */
	door_attr_t di_attributes;
	door_id_t di_uniquifier;	/* unique for the life of the system */
	int di_resv[4];
} door_info_t;
#pragma pack(pop)

typedef struct door_arg {
	char *data_ptr;		/* in: arguments; out: results */
	size_t data_size;
	door_desc_t *desc_ptr;
	uint_t desc_num;
	char *rbuf;		/* result buffer; may become a new mapping */
	size_t rsize;
} door_arg_t;

/* Obsolete on Solaris: use door_ucred. */
typedef struct door_cred {
	uid_t dc_euid;
	gid_t dc_egid;
	uid_t dc_ruid;
	gid_t dc_rgid;
	pid_t dc_pid;
	int dc_resv[4];
} door_cred_t;

typedef void door_server_procedure_t(void *, char *, size_t, door_desc_t *,
    uint_t);
typedef void door_server_func_t(door_info_t *);
typedef int door_xcreate_server_func_t(door_info_t *, void *(*)(void *),
    void *, void *);
typedef void door_xcreate_thrsetup_func_t(void *);

int door_create(door_server_procedure_t *, void *, uint_t);
int door_xcreate(door_server_procedure_t *, void *, uint_t,
    door_xcreate_server_func_t *, door_xcreate_thrsetup_func_t *, void *,
    int);
int door_revoke(int);
int door_info(int, door_info_t *);
int door_call(int, door_arg_t *);
int door_return(char *, size_t, door_desc_t *, uint_t);
int door_cred(door_cred_t *);
int door_bind(int);
int door_unbind(void);
int door_getparam(int, int, size_t *);
int door_setparam(int, int, size_t);
door_server_func_t *door_server_create(door_server_func_t *);

/* <ucred.h>: the credentials of a door caller or of a process. */
typedef struct ucred_s ucred_t;

#ifndef P_MYID
#define P_MYID			(-1)	/* ucred_get: the calling process */
#endif

int door_ucred(ucred_t **);
ucred_t *ucred_get(pid_t);
void ucred_free(ucred_t *);
uid_t ucred_geteuid(const ucred_t *);
uid_t ucred_getruid(const ucred_t *);
uid_t ucred_getsuid(const ucred_t *);
gid_t ucred_getegid(const ucred_t *);
gid_t ucred_getrgid(const ucred_t *);
gid_t ucred_getsgid(const ucred_t *);
int ucred_getgroups(const ucred_t *, const gid_t **);
pid_t ucred_getpid(const ucred_t *);
size_t ucred_size(void);

/* <stropts.h> on Solaris; glibc has none. */
int fattach(int, const char *);
int fdetach(const char *);

/*
 * Linux additions. None of these exists on Solaris.
 */

/* Look a door name up (what open(2) of an attached path does on Solaris):
 * flags are open(2) flags (access mode, O_CLOEXEC, O_NOFOLLOW). */
int door_open(const char *, int);

/* Send the results and resume the caller at once; the thread keeps running
 * and parks with a later door_return, whose arguments are then ignored. */
int door_reply(char *, size_t, door_desc_t *, uint_t);

/* door_create plus an exit-notification signal: after each invocation the
 * server process receives signo with the cookie in si_addr (si_code
 * SI_ASYNCIO). */
int door_create_notify(door_server_procedure_t *, void *, uint_t, int);

/* Per-door statistics (door owner only). */
#define DOOR_STATS_BUCKETS	32	/* bucket i: latency < 2^i microseconds,
					 * the last takes the rest */
typedef struct {
	unsigned long long ds_calls;	/* invocations started */
	unsigned long long ds_errors;	/* calls that failed */
	unsigned long long ds_active;	/* invocations in progress */
	unsigned long long ds_peak_active;
	unsigned long long ds_threads_parked;
	unsigned long long ds_latency[DOOR_STATS_BUCKETS];
} door_stats_t;

int door_getstats(int, door_stats_t *);

/* Cap on the threads the default creation function keeps alive (initially
 * $DOOR_SERVER_THREADS_MAX or 64); 0 only queries. Returns the old cap. */
unsigned int door_server_threads_max(unsigned int);

/* One line saying why the calling thread's last failed door function
 * failed (doord's message, a missing /dev/door, ...); "" if none. */
const char *door_strerror_detail(void);

#ifdef __cplusplus
}
#endif

#endif /* _DOOR_H */
