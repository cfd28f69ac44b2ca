/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* doorctl: the administrator's command line for doors and doord. */
#include <stdio.h>

#include "exit-codes.h"
#include "pager.h"
#include "verbs.h"

int main(int argc, char **argv)
{
	struct args a;
	int r;

	r = args_parse(argc, argv, &a);
	if (r) {
		args_free(&a);
		return r;
	}
	if (a.version) {
		printf("doorctl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	} else if (a.help) {
		if (a.verb_named)
			help_verb(a.verb);
		else
			help_main();
	} else {
		if (a.pager && (a.verb->flags & VERB_PAGER) &&
		    a.json != JSON_MODE_SHORT)
			pager_open();
		r = a.verb->run(&a);
		pager_close();
	}
	args_free(&a);
	return r;
}
