/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * door.ko user API: Solaris doors for Linux.
 *
 * /dev/door is a misc device. Opening it gives a *door context*: the
 * calling process's identity as a door server (its doors, its shared
 * server-thread pool, its unreferenced-notification queue). A context
 * belongs to the process (thread group) that opened it; other processes
 * that inherit the descriptor get -EBADF from its ioctls and must open
 * their own. Closing the owner's last reference to its context, exec and
 * process exit revoke every door the context created.
 *
 * Doors are files of their own ("door descriptors"), created from a
 * context, close-on-exec by default. A door call is one ioctl on a door
 * descriptor; a server thread parks, and returns the previous
 * invocation's results, with one ioctl on its context.
 *
 * Rules every structure follows: fixed-width fields only, pointers and
 * sizes as __u64, explicit padding, identical layout for 32- and 64-bit
 * callers; every reserved field and every unknown flag bit must be zero
 * (-EINVAL otherwise). Structures that may grow start with a __u32
 * size the caller fills in (size-extensible, like clone3/openat2): a
 * larger size whose tail is zero is accepted, a smaller known size is
 * accepted, anything else is -E2BIG. Unknown ioctls are -ENOTTY.
 */
#ifndef _UAPI_LINUX_DOOR_H
#define _UAPI_LINUX_DOOR_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define DOOR_DEVICE_NAME	"door"		/* /dev/door */
#define DOOR_API_VERSION	1

/* Feature bits reported by DOOR_IOC_HANDSHAKE. */
#define DOOR_FEAT_CALL		_BITULL(0)	/* call/return/info/revoke/ucred */
#define DOOR_FEAT_DESC		_BITULL(1)	/* descriptor passing */
#define DOOR_FEAT_OVERFLOW	_BITULL(2)	/* results mapped into the caller */
#define DOOR_FEAT_UNREF		_BITULL(3)	/* DOOR_UNREF, DOOR_UNREF_MULTI */
#define DOOR_FEAT_PRIVATE	_BITULL(4)	/* private pools, bind/unbind */
#define DOOR_FEAT_PARAM		_BITULL(5)	/* getparam/setparam */
#define DOOR_FEAT_REPLY		_BITULL(6)	/* DOOR_IOC_REPLY */
#define DOOR_FEAT_EXIT_SIGNAL	_BITULL(7)	/* exit notification */
#define DOOR_FEAT_STATS		_BITULL(8)	/* DOOR_IOC_STATS */
#define DOOR_FEAT_NEWREF	_BITULL(9)	/* DOOR_IOC_NEWREF */

/*
 * Door attributes: the Solaris values (<sys/door.h>), so the library
 * passes them through unchanged.
 */
#define DOOR_UNREF		0x01
#define DOOR_PRIVATE		0x02
#define DOOR_LOCAL		0x04	/* output only */
#define DOOR_REVOKED		0x08	/* output only */
#define DOOR_UNREF_MULTI	0x10
#define DOOR_IS_UNREF		0x20	/* output only */
#define DOOR_REFUSE_DESC	0x40
#define DOOR_NO_CANCEL		0x80
#define DOOR_NO_DEPLETION_CB	0x100
#define DOOR_PRIVCREATE		0x200
#define DOOR_DEPLETION_CB	0x400	/* library only */

/* Attributes a door may be created with. */
#define DOOR_CREATE_MASK	(DOOR_UNREF | DOOR_PRIVATE | DOOR_UNREF_MULTI | \
				 DOOR_REFUSE_DESC | DOOR_NO_CANCEL | \
				 DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)

/* door_desc attributes */
#define DOOR_DESCRIPTOR		0x10000
#define DOOR_RELEASE		0x40000

/* Parameters (door_getparam/door_setparam). */
#define DOOR_PARAM_DESC_MAX	1
#define DOOR_PARAM_DATA_MAX	2
#define DOOR_PARAM_DATA_MIN	3

/*
 * Unreferenced invocations go to the pool that serves the door when its
 * last descriptor other than one is closed; while invocations of the
 * door are running they wait for the last to end (Solaris DOOR_DELAY).
 */
/* data_ptr of an unreferenced invocation (Solaris DOOR_UNREF_DATA). */
#define DOOR_UNREF_DATA_PTR	1ULL

/*
 * One passed descriptor. Same size and offsets as the Solaris
 * door_desc_t on amd64 (24 bytes, d_id at offset 8), so arrays are
 * handed to the kernel as they are. @reserved is ignored on input (it
 * overlays the Solaris d_resv union) and zeroed on output.
 */
struct door_desc {
	__u32 attributes;	/* DOOR_DESCRIPTOR [| DOOR_RELEASE]; out: + door attrs */
	__s32 fd;
	__u64 id;		/* out: door id when fd is a door, else 0 */
	__u32 reserved[2];
};

/* DOOR_IOC_HANDSHAKE: on a context. */
struct door_handshake {
	__u32 size;		/* in: sizeof(struct door_handshake) */
	__u32 api_version;	/* in: caller's; out: the module's */
	__u64 features;		/* out: DOOR_FEAT_* */
	__u64 max_data;		/* out: largest argument or result, bytes */
	__u32 max_desc;		/* out: most descriptors per transfer */
	__u32 small_data;	/* out: largest size staged in the kernel */
	__u64 reserved[4];	/* must be zero */
};

/* DOOR_IOC_CREATE: on a context; returns the new door descriptor. */
#define DOOR_CREATE_F_NOCLOEXEC	0x1	/* default is close-on-exec */
struct door_create {
	__u64 proc;		/* server procedure, reported by door_info */
	__u64 cookie;		/* passed to every invocation */
	__u32 attributes;	/* DOOR_CREATE_MASK */
	__u32 flags;		/* DOOR_CREATE_F_* */
	/* 0, or a signal sent to the server process after each call's
	 * results reached its caller: si_code SI_ASYNCIO, the cookie in
	 * si_addr. -EINVAL when not a valid signal number.
	 */
	__s32 exit_signal;
	__u32 pad;		/* must be zero */
	__u64 reserved[2];	/* must be zero */
};

/*
 * DOOR_IOC_CALL: on a door descriptor. Same meaning as the Solaris
 * door_arg_t fields: in, the arguments and the result buffer; out,
 * data_ptr/data_size/desc_ptr/desc_num describe the results, which lie
 * in rbuf (data at 0, descriptors at roundup(data_size, 24)). When the
 * results do not fit in rsize bytes, the module maps a new anonymous
 * region in the caller and sets rbuf/rsize to it (the caller unmaps it).
 *
 * Errors: EBADF (revoked, or the server is gone), EAGAIN (a signal while
 * waiting for a free server thread, or too many callers waiting), EINTR
 * (a signal during the call, or the server thread or process died),
 * E2BIG (data above max_data or more than max_desc descriptors), ENOBUFS
 * (data_size outside DOOR_PARAM_DATA_MIN..MAX), ENFILE (desc_num above
 * DOOR_PARAM_DESC_MAX), ENOTSUP (descriptors to a DOOR_REFUSE_DESC door),
 * EINVAL (flags/reserved set, a door_desc without DOOR_DESCRIPTOR or with
 * a bad fd), EOVERFLOW (no room to map the results), EMFILE, EFAULT,
 * ENOMEM. DOOR_RELEASE descriptors are closed once held, and on every
 * error except EFAULT and EBADF. Received door descriptors are
 * close-on-exec, other received files are not.
 */
/*
 * The caller wants no results at all (Solaris door_call with NULL
 * params): a door_return with data or descriptors fails with E2BIG in
 * the server, and the caller stays blocked, as on Solaris.
 */
#define DOOR_CALL_F_NORESULTS	0x1
struct door_call {
	__u64 data_ptr;
	__u64 data_size;
	__u64 desc_ptr;		/* struct door_desc[desc_num] */
	__u32 desc_num;
	__u32 flags;		/* DOOR_CALL_F_* */
	__u64 rbuf;
	__u64 rsize;
	__u64 reserved;		/* must be zero */
};

/*
 * What a server thread receives for one invocation (filled in by
 * DOOR_IOC_RETURN). Arguments land in the receive buffer the thread
 * offered; when they do not fit, the module maps a new region in the
 * server (DOOR_INV_F_MAPPED: buf_ptr/buf_size name it, the library
 * unmaps it after the next return).
 */
#define DOOR_INV_F_MAPPED	0x1	/* arguments in a new mapping */
#define DOOR_INV_F_UNREF	0x2	/* unreferenced invocation */
struct door_invocation {
	__u64 proc;
	__u64 cookie;
	__u64 data_ptr;		/* DOOR_UNREF_DATA_PTR for unref */
	__u64 data_size;
	__u64 desc_ptr;		/* struct door_desc[desc_num] */
	__u32 desc_num;
	__u32 nservers;		/* threads still parked in this pool */
	__u64 door_id;
	__u32 attributes;	/* the door's attributes */
	__u32 flags;		/* DOOR_INV_F_* */
	__u64 buf_ptr;		/* out, with DOOR_INV_F_MAPPED */
	__u64 buf_size;
	__u64 reserved[2];
};

/*
 * DOOR_IOC_RETURN: on the caller's own context. Delivers the results of
 * the invocation this thread is serving (if any, and if its caller is
 * still there), then parks the thread in its pool until the next
 * invocation, which it describes in @inv.
 *
 * Errors reaching the server (the caller stays blocked, as on Solaris):
 * E2BIG, EFAULT, EINVAL, EMFILE. -EINTR when a signal arrives while
 * parked (results, if any, were already delivered: call again with
 * data_size 0, desc_num 0).
 */
#define DOOR_RETURN_F_NORESULT	0x1	/* just park (after DOOR_IOC_REPLY) */
/* end the invocation with EINTR for the caller and return at once: the
 * thread is going away
 */
#define DOOR_RETURN_F_ABANDON	0x2
struct door_return {
	__u64 data_ptr;		/* results */
	__u64 data_size;
	__u64 desc_ptr;
	__u32 desc_num;
	__u32 flags;		/* DOOR_RETURN_F_* */
	__u64 buf_ptr;		/* receive buffer for the next arguments */
	__u64 buf_size;
	struct door_invocation inv;	/* out */
};

/*
 * DOOR_IOC_REPLY: on the context, from a thread serving an invocation
 * (Linux addition). Sends the results (same fields as door_return) and
 * resumes the caller at once; the thread keeps running and must then
 * DOOR_IOC_RETURN with DOOR_RETURN_F_NORESULT. -EINVAL when the thread
 * serves nothing or has already replied.
 */

/*
 * DOOR_IOC_BIND, DOOR_IOC_UNBIND, DOOR_IOC_QUERY: on the context
 * (Solaris door_bind/door_unbind/door_info(DOOR_QUERY)). BIND takes a
 * pointer to a door descriptor: from its next DOOR_IOC_RETURN on, the
 * thread parks in that DOOR_PRIVATE door's own pool and serves only it
 * (its unreferenced invocations included). Binding again replaces the
 * binding. EBADF: not a door, or revoked; EINVAL: not DOOR_PRIVATE, or
 * another context's door. UNBIND: EBADF when not bound. QUERY fills a
 * struct door_info for the bound door; EBADF when not bound. Once the
 * bound door is revoked, DOOR_IOC_RETURN fails with EBADF.
 */

/*
 * DOOR_IOC_UCRED: on the context; the immediate caller of the
 * invocation this thread is serving (-EINVAL when there is none;
 * -ECANCELED once that caller has given up, unless the door is
 * DOOR_NO_CANCEL: the Linux stand-in for Solaris's SIGCANCEL).
 */
struct door_ucred {
	__u32 size;		/* in: sizeof(struct door_ucred) */
	__u32 ngroups;		/* out: total supplementary groups */
	__u64 groups_ptr;	/* in: __u32 array, may be 0 */
	__u32 groups_max;	/* in: its capacity */
	/* out: in the server's pid namespace, 0 if not visible there */
	__s32 pid;
	__u32 euid, egid, ruid, rgid, suid, sgid;	/* out, server's userns */
	__u64 cap_effective;	/* out */
	__u64 cap_permitted;
	__u64 cap_inheritable;
	__u64 reserved[2];
};

/* DOOR_IOC_INFO: on a door descriptor. */
struct door_info {
	/* server pid in the caller's pid namespace, -1 once it is gone */
	__s32 target;
	__u32 attributes;	/* DOOR_* incl. LOCAL, REVOKED, IS_UNREF */
	__u64 proc;		/* 0 unless the caller owns the door */
	__u64 cookie;		/* 0 unless the caller owns the door */
	__u64 id;		/* unique for the life of the system */
	__u64 reserved[2];
};

/* DOOR_IOC_GETPARAM / DOOR_IOC_SETPARAM: on a door descriptor. */
struct door_param {
	__u32 param;		/* DOOR_PARAM_* */
	__u32 pad;		/* must be zero */
	__u64 value;
};

/*
 * DOOR_IOC_STATS: on a door descriptor; the owner or CAP_SYS_ADMIN only
 * (-EPERM). Size-extensible; pad and reserved must be zero on input.
 * Calls rejected before they reach the door's pool (bad arguments,
 * limits) are not counted.
 */
/* bucket i: latency < 2^i microseconds, the last takes the rest */
#define DOOR_STATS_BUCKETS	32
struct door_stats {
	__u32 size;		/* in: sizeof(struct door_stats) */
	__u32 pad;
	__u64 calls;		/* calls ended, successful or not */
	__u64 errors;		/* of those, the ones that failed */
	__u64 active;		/* invocations in progress in a server thread */
	__u64 peak_active;
	__u64 threads_parked;	/* in the pool serving the door */
	__u64 latency[DOOR_STATS_BUCKETS];	/* of the ended calls */
	__u64 reserved[4];
};

#define DOOR_IOC_MAGIC	0xD0

/* on a context (/dev/door) */
#define DOOR_IOC_HANDSHAKE	_IOWR(DOOR_IOC_MAGIC, 0x00, struct door_handshake)
#define DOOR_IOC_CREATE		_IOW(DOOR_IOC_MAGIC, 0x01, struct door_create)
#define DOOR_IOC_RETURN		_IOWR(DOOR_IOC_MAGIC, 0x02, struct door_return)
#define DOOR_IOC_REPLY		_IOW(DOOR_IOC_MAGIC, 0x03, struct door_return)
#define DOOR_IOC_UCRED		_IOWR(DOOR_IOC_MAGIC, 0x04, struct door_ucred)
#define DOOR_IOC_BIND		_IOW(DOOR_IOC_MAGIC, 0x05, __s32)	/* door fd */
#define DOOR_IOC_UNBIND		_IO(DOOR_IOC_MAGIC, 0x06)
#define DOOR_IOC_QUERY		_IOR(DOOR_IOC_MAGIC, 0x07, struct door_info)	/* bound door */

/* on a door descriptor */
#define DOOR_IOC_CALL		_IOWR(DOOR_IOC_MAGIC, 0x10, struct door_call)
#define DOOR_IOC_INFO		_IOR(DOOR_IOC_MAGIC, 0x11, struct door_info)
#define DOOR_IOC_REVOKE		_IO(DOOR_IOC_MAGIC, 0x12)
#define DOOR_IOC_GETPARAM	_IOWR(DOOR_IOC_MAGIC, 0x13, struct door_param)
#define DOOR_IOC_SETPARAM	_IOW(DOOR_IOC_MAGIC, 0x14, struct door_param)
#define DOOR_IOC_NEWREF		_IOW(DOOR_IOC_MAGIC, 0x15, __u32)	/* O_CLOEXEC; returns fd */
#define DOOR_IOC_STATS		_IOWR(DOOR_IOC_MAGIC, 0x16, struct door_stats)

#endif /* _UAPI_LINUX_DOOR_H */
