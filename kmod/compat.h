/* SPDX-License-Identifier: GPL-2.0 */
/* Differences between the kernels door.ko is built for (6.1 and 6.12). */
#ifndef DOOR_COMPAT_H
#define DOOR_COMPAT_H

#include <linux/capability.h>

/* kernel_cap_t became a single u64 in 6.3 (6.1 has two u32 words). */
static inline u64 door_cap_u64(kernel_cap_t cap)
{
#ifdef _KERNEL_CAPABILITY_U32S
	return (u64)cap.cap[0] | ((u64)cap.cap[1] << 32);
#else
	return cap.val;
#endif
}

#endif /* DOOR_COMPAT_H */
