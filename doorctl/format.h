/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Turning the values of doorctl's data model (jansson values) into
 * human-readable text for tables, and turning raw door values into
 * model values. Every format_* function returns a malloc'd string, or
 * NULL when out of memory.
 */
#ifndef DOORCTL_FORMAT_H
#define DOORCTL_FORMAT_H

#include <jansson.h>
#include <stdint.h>

/* Door attribute bits as an array of names ("unref", "revoked", ...);
 * unknown bits become one "0x..." string. */
json_t *attributes_to_json(uint32_t attributes);

/* The default rendering: strings as they are, numbers in decimal,
 * booleans yes/no, arrays comma-separated, null as "-". */
char *format_value(const json_t *v);

/* Microseconds since the epoch as "Sun 2026-11-22 05:13:10 UTC"
 * (local time); 0 or not a number gives "-". */
char *format_timestamp(const json_t *v);

/* A duration in microseconds ("1.250ms", "3.000s"), or in nanoseconds
 * for format_duration_nsec(). */
char *format_duration_usec(const json_t *v);
char *format_duration_nsec(const json_t *v);

/* A file mode as four octal digits. */
char *format_mode(const json_t *v);

/* A uid as the user's name when it has one, else the number. */
char *format_uid(const json_t *v);

/* A latency histogram (array of counts, bucket i = below 2^i us) as
 * one line per non-empty bucket: "< 16us: 3". */
char *format_histogram(const json_t *v);

/* An array of strings, one per line (policy files, ...). */
char *format_lines(const json_t *v);

#endif
