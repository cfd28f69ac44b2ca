/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_POLICY_H
#define DOORD_POLICY_H

/*
 * doord's access policy: JSON files (doord.json(5)) read from a
 * configuration directory, "DIR/doord.json" first and then every
 * "DIR/doord.json.d/ *.json" in lexical order. Rules say who may attach
 * under which path prefixes and who may look up which names; limits say
 * how many names a uid may attach and how many lookups per second it
 * may make. The last matching rule decides (so later drop-ins refine
 * earlier files); when no rule matches, the operation is denied.
 *
 * This is a library (libdoord-policy.la) so that doorctl can check and
 * explain a policy with exactly the code doord runs. It does no I/O
 * beyond reading the files and resolving user and group names.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum policy_op {
	POLICY_OP_ATTACH,
	POLICY_OP_LOOKUP,
	_POLICY_OP_MAX,
};

#define POLICY_MAIN_FILE "doord.json"
#define POLICY_DROPIN_DIR "doord.json.d"
#define POLICY_UNLIMITED UINT64_MAX

/* Why a file was rejected: the first error found. line and column are
 * 1-based; 0 when the error is about the file as a whole. */
struct policy_error {
	char file[4096];
	int line;
	int column;
	char text[512];
};

/* Who asks: from the caller's socket credentials. */
struct policy_subject {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t n_groups;
};

/* Which rule decided. rule_index is 0-based within its file; file is
 * NULL (and rule_index -1) when no rule matched and the default
 * denied. */
struct policy_decision {
	bool allow;
	const char *file;
	int rule_index;
	int line;		/* of the deciding rule */
};

struct policy_limits {
	uint64_t attachments;		/* POLICY_UNLIMITED for none */
	uint64_t lookups_per_second;
	const char *file;		/* deciding limits entry, NULL: built in */
	int index;
};

struct policy;

/*
 * Loads every file of the configuration directory. On error returns a
 * negative errno and fills *err (when non-NULL) with the file, line,
 * column and reason; nothing is returned in *ret then. A missing
 * directory or main file is not an error (no files: everything denied).
 * Warnings (unknown user or group names) are passed to warn, if given.
 */
int policy_load(const char *config_dir, struct policy **ret, struct policy_error *err,
		void (*warn)(const char *file, int line, int column, const char *text, void *userdata),
		void *userdata);

/* Parses one file's contents as if it were named file. */
int policy_load_string(const char *file, const char *text, struct policy **ret,
		       struct policy_error *err);

struct policy *policy_free(struct policy *p);

int policy_check(const struct policy *p, enum policy_op op, const struct policy_subject *s,
		 const char *path, struct policy_decision *ret);

void policy_get_limits(const struct policy *p, const struct policy_subject *s,
		       struct policy_limits *ret);

size_t policy_n_files(const struct policy *p);
const char *policy_file(const struct policy *p, size_t i);
size_t policy_n_rules(const struct policy *p);

const char *policy_op_to_string(enum policy_op op);
int policy_op_from_string(const char *s);

/* Path prefix matching on component boundaries: "/run/a" matches
 * "/run/a" and "/run/a/b", not "/run/ab". */
bool policy_path_has_prefix(const char *path, const char *prefix);

/* Formats "file:line:column: text" (or "file: text"). */
void policy_error_format(const struct policy_error *e, char *buf, size_t size);

#endif
