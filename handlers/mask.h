/*
 * Masking of personal data for group chats: phone numbers keep their first 3
 * and last 4 digits (138****5678), e-mail addresses their first character and
 * domain (z***@example.com), birth dates only the year (1980年).
 * Output is always NUL-terminated and truncated to `len`.
 */
#ifndef CQOD_MASK_H
#define CQOD_MASK_H

#include <stddef.h>

void mask_phone(const char *in, char *out, size_t len);
void mask_email(const char *in, char *out, size_t len);
void mask_birth_date(const char *in, char *out, size_t len);

#endif
