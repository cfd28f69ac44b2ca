/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "verbs.h"

const struct option global_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, ARG_VERSION },
	{ "json", optional_argument, NULL, ARG_JSON },
	{ "no-legend", no_argument, NULL, ARG_NO_LEGEND },
	{ "no-pager", no_argument, NULL, ARG_NO_PAGER },
	{ "quiet", no_argument, NULL, 'q' },
	{ 0 },
};

static const struct option attach_options[] = {
	{ "pid", required_argument, NULL, ARG_PID },
	{ "fd", required_argument, NULL, ARG_FD },
	{ "from", required_argument, NULL, ARG_FROM },
	{ 0 },
};

static const struct option call_options[] = {
	{ "data", required_argument, NULL, ARG_DATA },
	{ "file", required_argument, NULL, ARG_FILE },
	{ "fd", required_argument, NULL, ARG_FD },
	{ 0 },
};

static const struct option explain_options[] = {
	{ "uid", required_argument, NULL, ARG_UID },
	{ "op", required_argument, NULL, ARG_OP },
	{ "config", required_argument, NULL, ARG_CONFIG },
	{ 0 },
};

static const struct option no_options[] = { { 0 } };

const struct verb verbs[] = {
	{ "list", 0, 0, VERB_DEFAULT | VERB_PAGER, no_options, "",
	  "List attached doors (the default verb)", NULL, verb_list },
	{ "info", 1, 1, VERB_PAGER, no_options, "PATH",
	  "Show a door's information and statistics", NULL, verb_info },
	{ "attach", 1, 1, 0, attach_options,
	  "PATH --pid PID --fd FD | PATH --from OTHERPATH",
	  "Attach a door to PATH",
	  "     --pid PID         Process holding the door\n"
	  "     --fd FD           The door's descriptor in that process\n"
	  "     --from OTHERPATH  Attach the door already attached at OTHERPATH\n",
	  verb_attach },
	{ "detach", 1, 1, 0, no_options, "PATH",
	  "Detach the door attached to PATH", NULL, verb_detach },
	{ "call", 1, 2, 0, call_options,
	  "PATH [--data STRING | --file FILE | -] [--fd FILE...]",
	  "Call a door and show its reply",
	  "     --data STRING     Send STRING (without a terminating NUL)\n"
	  "     --file FILE       Send the contents of FILE\n"
	  "  -                    Send what is read from standard input\n"
	  "     --fd FILE         Pass FILE, opened read-only, as a descriptor\n"
	  "                       (repeatable)\n",
	  verb_call },
	{ "monitor", 0, 0, 0, no_options, "",
	  "Show door events as they happen, until interrupted", NULL,
	  verb_monitor },
	{ "status", 0, 0, VERB_PAGER, no_options, "",
	  "Show doord's state", NULL, verb_status },
	{ "reload", 0, 0, 0, no_options, "",
	  "Make doord reload its policy", NULL, verb_reload },
	{ "check-policy", 1, -1, 0, no_options, "FILE...",
	  "Validate policy files without installing them", NULL,
	  verb_check_policy },
	{ "explain", 1, 1, 0, explain_options,
	  "PATH --uid UID --op lookup|attach [--config DIR]",
	  "Show which policy rule decides an operation, and why",
	  "     --uid UID         The user asking (number or name)\n"
	  "     --op OP           lookup or attach\n"
	  "     --config DIR      Policy directory (default: " SYSCONFDIR "/doord)\n",
	  verb_explain },
	{ 0 },
};

struct output output_for(const struct args *a)
{
	return (struct output){
		.f = stdout,
		.json = a->json,
		.legend = a->legend,
	};
}

const struct verb *verb_find(const char *name)
{
	const struct verb *v;

	for (v = verbs; v->name; v++)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

const struct verb *verb_default(void)
{
	const struct verb *v;

	for (v = verbs; v->name; v++)
		if (v->flags & VERB_DEFAULT)
			return v;
	return NULL;
}

static const char global_help[] =
	"  -h --help             Show this help\n"
	"     --version          Show the package version\n"
	"     --json[=MODE]      Print data as JSON: pretty, short or off\n"
	"                        (default: pretty on a terminal, else short)\n"
	"     --no-legend        Leave out table headers and footers\n"
	"     --no-pager         Do not pipe output into a pager\n"
	"  -q --quiet            Print nothing but data and errors\n";

static const char exit_help[] =
	"Exit status:\n"
	"  0  success\n"
	"  1  failure\n"
	"  2  bad usage\n"
	"  3  no such file, name not attached, or no such process\n"
	"  4  permission denied\n"
	"  5  doord or door.ko not available\n";

void help_main(void)
{
	const struct verb *v;

	printf("doorctl [OPTIONS...] COMMAND ...\n\n"
	       "Manage doors attached through doord.\n\nCommands:\n");
	for (v = verbs; v->name; v++)
		printf("  %-14s %s\n", v->name, v->summary);
	printf("\nOptions:\n%s\nEach command takes --help.\n\n%s"
	       "\nSee the doorctl(1) man page for details.\n",
	       global_help, exit_help);
}

void help_verb(const struct verb *v)
{
	printf("doorctl [OPTIONS...] %s%s%s\n\n%s.\n\n", v->name,
	       v->synopsis[0] ? " " : "", v->synopsis, v->summary);
	if (v->options_help)
		printf("Options of %s:\n%s\n", v->name, v->options_help);
	printf("Options:\n%s\n%s", global_help, exit_help);
}
