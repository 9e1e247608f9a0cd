/*
 * Field validation shared by chat commands and cqoctl import. Each function
 * returns 0 when the value is acceptable (writing the normalized form where
 * there is one) or -EINVAL with a one-line Chinese explanation in `why`
 * (handlers/text/common.h), fit to show the user after the usage line. Values are
 * never logged.
 */
#ifndef CQOD_VALIDATE_H
#define CQOD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#define VALIDATE_WHY_MAX 160

/* GB 32100 unified social credit code; lower case is accepted and upcased
 * into out[19]. */
int validate_credit_code(const char *s, char out[19], char *why, size_t n);
/* Mainland mobile (1[3-9]xxxxxxxxx) or landline (0xx[x]-xxxxxxx[x], optional
 * extension "-123"); spaces and hyphens in mobiles are dropped. */
int validate_phone(const char *s, char out[32], char *why, size_t n);
int validate_email(const char *s, char *why, size_t n);
/* 2026-11-21, 2026/11/21, 2026.11.21, 2026年11月21日 (single-digit month and
 * day allowed) -> "2026-11-21"; must be a real calendar date. */
int validate_date(const char *s, char out[11], char *why, size_t n);
/* A date and time "2026-11-21 14:30" (same date forms; time HH:MM). Unix
 * seconds out, interpreted in China Standard Time. */
int validate_datetime(const char *s, long long *out, char *why, size_t n);
/* 大型, 中型, 小型, 微型 or 小微 (小型/微型 normalize to 小微). */
int validate_size(const char *s, char out[16], char *why, size_t n);
/* GB/T 4754-2017: a section letter A–T alone or followed by 2 to 4 digits,
 * 2 to 4 digits, or a section's name (制造业 -> "C"). */
int validate_industry(const char *s, char out[8], char *why, size_t n);
/* 男 or 女 (M/F accepted). */
int validate_gender(const char *s, char out[8], char *why, size_t n);
/* A whole number in [min, max]. */
int validate_int(const char *s, long min, long max, long *out, const char *field, char *why,
                 size_t n);
/* A number of years in [min, max], "5" or "5年". */
int validate_years(const char *s, long min, long max, long *out, const char *field, char *why, size_t n);
/* Training hours: a number greater than 0 and at most 1000, at most one decimal. */
int validate_hours(const char *s, double *out, char *why, size_t n);
/* true when a region is typed as a name (雁塔区), not a code: it has no
 * ASCII digit (handlers/region_ref.h resolves it). */
bool validate_region_is_name(const char *s);
/* A GB/T 2260 code shape: 2, 4 or 6 digits (existence is the store's to say). */
int validate_region_code(const char *s, char *why, size_t n);
/* An appointment-rate target (目标, cqoctl target set): "80%", "80" or "0.8"
 * -> 0.8; a bare number above 1 is a percentage, at most 100. 0 or -EINVAL. */
int validate_rate(const char *s, double *out);

#endif
