/*
 * door_getstats: the module's per-door statistics (Linux addition).
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

DOOR_EXPORT int door_getstats(int d, door_stats_t *st)
{
	struct door_stats ks;
	int r;

	if (!st) {
		errno = EFAULT;
		return -1;
	}
	memset(&ks, 0, sizeof(ks));
	ks.size = sizeof(ks);
	r = door_fd_ioctl(d, DOOR_IOC_STATS, &ks);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	st->ds_calls = ks.calls;
	st->ds_errors = ks.errors;
	st->ds_active = ks.active;
	st->ds_peak_active = ks.peak_active;
	st->ds_threads_parked = ks.threads_parked;
	memcpy(st->ds_latency, ks.latency, sizeof(st->ds_latency));
	return 0;
}
