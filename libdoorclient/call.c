/*
 * door_call: one ioctl on the door descriptor. door_arg_t and the
 * module's struct door_call carry the same fields; descriptor arrays are
 * passed as they are (door_desc_t has the module's layout).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

DOOR_EXPORT int door_call(int d, door_arg_t *params)
{
	struct door_call c;
	int r;

	memset(&c, 0, sizeof(c));
	if (params) {
		c.data_ptr = (uintptr_t)params->data_ptr;
		c.data_size = params->data_size;
		c.desc_ptr = (uintptr_t)params->desc_ptr;
		c.desc_num = params->desc_num;
		c.rbuf = (uintptr_t)params->rbuf;
		c.rsize = params->rsize;
	} else {
		/* Solaris: a server returning results to it gets E2BIG. */
		c.flags = DOOR_CALL_F_NORESULTS;
	}
	/* door_call is a cancellation point on Solaris. */
	pthread_testcancel();
	r = door_fd_ioctl(d, DOOR_IOC_CALL, &c);
	if (r < 0) {
		if (r == -EINTR)
			pthread_testcancel();
		errno = -r;
		return -1;
	}
	if (!params)
		return 0;
	/* Solaris leaves data_ptr alone when no data came back. */
	if (c.data_size)
		params->data_ptr = (char *)(uintptr_t)c.data_ptr;
	params->data_size = c.data_size;
	if (c.desc_num)
		params->desc_ptr = (door_desc_t *)(uintptr_t)c.desc_ptr;
	params->desc_num = c.desc_num;
	params->rbuf = (char *)(uintptr_t)c.rbuf;
	params->rsize = c.rsize;
	return 0;
}
