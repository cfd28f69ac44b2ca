/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The verb table and the verbs' entry points. */
#ifndef DOORCTL_VERBS_H
#define DOORCTL_VERBS_H

#include <getopt.h>

#include "args.h"

enum {
	VERB_DEFAULT = 1 << 0,	/* run when no verb is given */
	VERB_PAGER = 1 << 1,	/* long output: may use the pager */
};

/* Options of particular verbs; getopt values above any character. */
enum {
	ARG_JSON = 0x100,
	ARG_NO_LEGEND,
	ARG_NO_PAGER,
	ARG_VERSION,
	ARG_PID,
	ARG_FD,
	ARG_FROM,
	ARG_DATA,
	ARG_FILE,
	ARG_UID,
	ARG_OP,
	ARG_CONFIG,
};

struct verb {
	const char *name;
	int min_args, max_args;
	unsigned flags;
	const struct option *options;	/* the verb's own, {0}-terminated */
	const char *synopsis;		/* after "doorctl VERB " */
	const char *summary;
	const char *options_help;	/* the verb's own options, or NULL */
	int (*run)(const struct args *a);
};

extern const struct verb verbs[];
extern const struct option global_options[];

const struct verb *verb_find(const char *name);
const struct verb *verb_default(void);

/* Help on stdout: all verbs, or one verb. */
void help_main(void);
void help_verb(const struct verb *v);

/* Verbs return a DOORCTL_EXIT_* code. */
int verb_list(const struct args *a);
int verb_info(const struct args *a);
int verb_attach(const struct args *a);
int verb_detach(const struct args *a);
int verb_call(const struct args *a);
int verb_monitor(const struct args *a);
int verb_status(const struct args *a);
int verb_reload(const struct args *a);
int verb_check_policy(const struct args *a);
int verb_explain(const struct args *a);

/* The output settings the global options asked for, on stdout. */
struct output output_for(const struct args *a);

#endif
