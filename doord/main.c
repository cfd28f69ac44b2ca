/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * doord: the broker of door names (doord(8)). Runs in the foreground,
 * under a service manager (Type=notify, socket activation, fd store)
 * or as a plain process.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "log.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define EXIT_USAGE 2

static void help(void)
{
	printf("Usage: doord [OPTIONS]\n"
	       "\n"
	       "Broker of door names: attach, detach and look up doors by path.\n"
	       "\n"
	       "  -h --help              Show this help and exit\n"
	       "     --version           Show the version and exit\n"
	       "  -s --socket=PATH       Serve the private D-Bus socket at PATH\n"
	       "                         (default: $DOORD_SOCKET or %s)\n"
	       "  -c --config-dir=DIR    Read the policy from DIR (default: %s/doord)\n"
	       "  -f --foreground        Run in the foreground (the default; doord never forks)\n"
	       "     --keep-caps         Do not drop capabilities (for debugging)\n"
	       "  -v --verbose           Log debug messages\n"
	       "\n"
	       "See doord(8) and doord.json(5).\n",
	       DOORD_DEFAULT_SOCKET, SYSCONFDIR);
}

int main(int argc, char *argv[])
{
	enum { ARG_VERSION = 0x100, ARG_KEEP_CAPS };
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, ARG_VERSION },
		{ "socket", required_argument, NULL, 's' },
		{ "config-dir", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "keep-caps", no_argument, NULL, ARG_KEEP_CAPS },
		{ "verbose", no_argument, NULL, 'v' },
		{}
	};
	struct daemon_options o = {
		.socket_path = getenv("DOORD_SOCKET"),
		.config_dir = SYSCONFDIR "/doord",
		.drop_caps = true,
	};
	struct daemon *d = NULL;
	int c, r;

	log_setup();
	while ((c = getopt_long(argc, argv, "hs:c:fv", options, NULL)) >= 0) {
		switch (c) {
		case 'h':
			help();
			return EXIT_SUCCESS;
		case ARG_VERSION:
			printf("doord %s\n", PACKAGE_VERSION);
			return EXIT_SUCCESS;
		case 's':
			o.socket_path = optarg;
			break;
		case 'c':
			o.config_dir = optarg;
			break;
		case 'f':
			break;
		case ARG_KEEP_CAPS:
			o.drop_caps = false;
			break;
		case 'v':
			log_set_max_level(LOG_DEBUG);
			break;
		default:
			fprintf(stderr, "Try 'doord --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "doord: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!o.socket_path || !*o.socket_path)
		o.socket_path = DOORD_DEFAULT_SOCKET;
	if (o.socket_path[0] != '/') {
		fprintf(stderr, "doord: socket path '%s' must be absolute\n", o.socket_path);
		return EXIT_USAGE;
	}
	umask(0022);
	r = daemon_new(&o, &d);
	if (r < 0) {
		log_error_errno(r, "Failed to start: %m");
		return EXIT_FAILURE;
	}
	r = daemon_run(d, &o);
	daemon_free(d);
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
