/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_LOG_H
#define DOORD_LOG_H

/*
 * Logging: one line per event on stderr. When stderr is connected to
 * the journal (JOURNAL_STREAM names it), lines carry a "<N>" priority
 * prefix that journald turns into the entry's priority; otherwise they
 * read "doord: message". Structured entries (policy denials) go to the
 * journal socket as well, with their own fields; a missing or dead
 * journal never stops doord.
 */

#include <stdbool.h>
#include <syslog.h>

void log_setup(void);
void log_set_max_level(int level);
int log_get_max_level(void);

/* Returns -abs(error) so callers can "return log_errno(...)". The
 * message may use %m, which expands to strerror(error). */
int log_internal(int level, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(...) log_internal(LOG_ERR, 0, __VA_ARGS__)
#define log_warning(...) log_internal(LOG_WARNING, 0, __VA_ARGS__)
#define log_notice(...) log_internal(LOG_NOTICE, 0, __VA_ARGS__)
#define log_info(...) log_internal(LOG_INFO, 0, __VA_ARGS__)
#define log_debug(...) log_internal(LOG_DEBUG, 0, __VA_ARGS__)
#define log_error_errno(e, ...) log_internal(LOG_ERR, (e), __VA_ARGS__)
#define log_warning_errno(e, ...) log_internal(LOG_WARNING, (e), __VA_ARGS__)
#define log_debug_errno(e, ...) log_internal(LOG_DEBUG, (e), __VA_ARGS__)

/* True when stderr is the journal, so plain lines already land there. */
bool log_stderr_is_journal(void);

#endif
