/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdlib.h>

#include "hexdump.h"

void hexdump(FILE *f, const void *data, size_t size)
{
	const unsigned char *p = data;
	size_t off, i;

	for (off = 0; off < size; off += 16) {
		fprintf(f, "%08zx ", off);
		for (i = 0; i < 16; i++) {
			if (i == 8)
				fputc(' ', f);
			if (off + i < size)
				fprintf(f, " %02x", p[off + i]);
			else
				fputs("   ", f);
		}
		fputs("  |", f);
		for (i = 0; i < 16 && off + i < size; i++)
			fputc(isprint(p[off + i]) ? p[off + i] : '.', f);
		fputs("|\n", f);
	}
}

char *hex_string(const void *data, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = data;
	char *s = malloc(2 * size + 1);
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < size; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * size] = '\0';
	return s;
}
