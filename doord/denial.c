/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <systemd/sd-journal.h>

#include "denial.h"
#include "log.h"

void denial_log(const char *message_id, const char *op, const char *path,
		const struct caller *c, const char *rule, const char *why)
{
	const char *comm = c->comm ? c->comm : "?";

	/* The line goes to stderr unless that is the journal already, in
	 * which case the structured entry below is the journal's copy. */
	if (!log_stderr_is_journal())
		log_notice("Denied %s of '%s' to uid=%u pid=%d comm='%s': %s (%s)", op, path,
			   (unsigned)c->uid, (int)c->pid, comm, why, rule);
	(void)sd_journal_send("MESSAGE=Denied %s of '%s' to uid=%u pid=%d comm='%s': %s (%s)",
			      op, path, (unsigned)c->uid, (int)c->pid, comm, why, rule,
			      "MESSAGE_ID=%s", message_id,
			      "PRIORITY=%d", LOG_NOTICE,
			      "SYSLOG_IDENTIFIER=doord",
			      "DOORD_OPERATION=%s", op,
			      "DOORD_PATH=%s", path,
			      "DOORD_CALLER_UID=%u", (unsigned)c->uid,
			      "DOORD_CALLER_PID=%d", (int)c->pid,
			      "DOORD_CALLER_COMM=%s", comm,
			      "DOORD_RULE=%s", rule,
			      "DOORD_REASON=%s", why,
			      NULL);
}
