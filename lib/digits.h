/*
 * Decimal numbers as the platforms send them in headers and fields (unix
 * seconds or milliseconds), and codes typed as digits (ids, region codes):
 * digits only, no sign, no spaces.
 */
#ifndef CQOD_DIGITS_H
#define CQOD_DIGITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The value of `s` when it is 1..max_digits ASCII digits (max_digits ≤ 18,
 * so it cannot overflow): 0, or -EINVAL (NULL, empty, too long, or not all
 * digits). */
int digits_parse(const char *s, size_t max_digits, int64_t *out);

/* True when `s` is one or more ASCII digits and nothing else. */
bool digits_only(const char *s);

/* The value 0..15 of one hex digit (either case), or -1. */
int digits_hex_value(char c);

#endif
