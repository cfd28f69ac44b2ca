/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORCTL_HEXDUMP_H
#define DOORCTL_HEXDUMP_H

#include <stddef.h>
#include <stdio.h>

/* "00000000  68 65 6c 6c 6f 0a ...  |hello.|", 16 bytes a line. */
void hexdump(FILE *f, const void *data, size_t size);

/* Lower-case hex digits of @data (malloc'd, NULL on ENOMEM). */
char *hex_string(const void *data, size_t size);

#endif
