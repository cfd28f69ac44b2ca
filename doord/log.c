/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

static int max_level = LOG_INFO;
static bool stderr_journal;

/* JOURNAL_STREAM is "DEV:INODE" of the stream systemd connected us to. */
static bool detect_journal_stream(void)
{
	unsigned long long dev, ino;
	const char *e = getenv("JOURNAL_STREAM");
	struct stat st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_setup(void)
{
	stderr_journal = detect_journal_stream();
}

bool log_stderr_is_journal(void)
{
	return stderr_journal;
}

void log_set_max_level(int level)
{
	max_level = level;
}

int log_get_max_level(void)
{
	return max_level;
}

int log_internal(int level, int error, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	int saved = errno;

	if (error < 0)
		error = -error;
	if (level > max_level)
		return -error;
	/* %m must show the error we were given, not a stale errno. */
	errno = error;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (stderr_journal)
		fprintf(stderr, "<%d>%s\n", level, buf);
	else
		fprintf(stderr, "doord: %s\n", buf);
	errno = saved;
	return -error;
}
