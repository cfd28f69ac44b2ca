/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Command line: global options, the verb, the verb's own options and
 * its positional arguments. Options may come before or after the verb,
 * as with systemctl.
 */
#ifndef DOORCTL_ARGS_H
#define DOORCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "output.h"

struct verb;

enum explain_op {
	EXPLAIN_OP_NONE,
	EXPLAIN_OP_LOOKUP,
	EXPLAIN_OP_ATTACH,
};

struct args {
	const struct verb *verb;
	bool verb_named;	/* given on the command line */
	enum json_mode json;
	bool legend;
	bool pager;
	bool quiet;
	bool help;
	bool version;

	/* attach */
	pid_t pid;		/* 0: not given */
	int fd;			/* -1: not given */
	const char *from;

	/* call */
	const char *data;
	const char *file;
	const char **fds;	/* --fd FILE, in order */
	size_t n_fds;

	/* explain */
	uid_t uid;
	bool uid_set;
	enum explain_op op;
	const char *config;	/* policy directory */

	/* positional arguments after the verb */
	char **argv;
	int argc;
};

/*
 * Parse the command line into @a (which the caller frees with
 * args_free()). Prints a one-line error and returns
 * DOORCTL_EXIT_USAGE on bad usage, else 0. --help and --version are
 * recorded, not acted on.
 */
int args_parse(int argc, char **argv, struct args *a);

void args_free(struct args *a);

#endif
