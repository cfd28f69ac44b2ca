/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_DENIAL_H
#define DOORD_DENIAL_H

/*
 * Every refused request is logged: one line that stands on its own
 * (path, operation, caller uid/pid/command, the deciding rule), and a
 * structured journal entry with MESSAGE_ID DOORD_MESSAGE_DENIED and
 * DOORD_* fields, so denials can be queried and audited. Logging is
 * lossy by design: a dead journal never stops doord.
 */

#include "namespace.h"

#define DOORD_MESSAGE_DENIED "3d1e68634b5d4909911cf4e0628e61f2"
#define DOORD_MESSAGE_LIMIT "03e7289a2dfb436bafaef2adb138c753"

/* rule: "file#index" of the deciding rule, or a reason such as "no
 * rule allows it" or "limit attachments=256 (file#0)". */
void denial_log(const char *message_id, const char *op, const char *path,
		const struct caller *c, const char *rule, const char *why);

#endif
