/*
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters
 * from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z), the last one a
 * mod-31 check character over the first 17.
 */
#ifndef CQOD_CREDITCODE_H
#define CQOD_CREDITCODE_H

/* The check character for the 17 characters at `body`, or '\0' when one of
 * them is outside the charset (lower case is not accepted). */
char creditcode_check_char(const char *body);

/* 0 when `code` is 18 valid characters with a correct check character,
 * -EINVAL otherwise. *expected (may be NULL) receives the check character
 * the first 17 characters call for, or '\0' if they cannot be checked. */
int creditcode_validate(const char *code, char *expected);

#endif
