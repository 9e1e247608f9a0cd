/* Field validation; see validate.h. */
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/creditcode.h"
#include "../lib/industry.h"
#include "text/common.h"

__attribute__((format(printf, 3, 4)))
static int fail(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* Characters as people count them (code points), for messages about
 * length: "统一" is 2, not 6. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int validate_credit_code(const char *s, char out[19], char *why, size_t n)
{
	char code[19], expected = '\0';
	size_t len = strlen(s);

	if (len != 18)
		return fail(why, n, TXT_V_CREDIT_LENGTH, utf8_chars(s));
	for (size_t i = 0; i < 18; i++)
		code[i] = (char)toupper((unsigned char)s[i]);
	code[18] = '\0';
	if (creditcode_validate(code, &expected) == 0) {
		memcpy(out, code, 19);
		return 0;
	}
	if (!expected)
		return fail(why, n, TXT_V_CREDIT_CHARS);
	return fail(why, n, TXT_V_CREDIT_CHECK, expected);
}

int validate_phone(const char *s, char out[32], char *why, size_t n)
{
	char digits[32];
	size_t k = 0;

	/* Mobiles are written "138 0000 1111" or "138-0000-1111" too. */
	for (const char *p = s; *p && k < sizeof digits - 1; p++)
		if (*p != ' ' && *p != '-')
			digits[k++] = *p;
	digits[k] = '\0';
	if (k == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9' &&
	    all_digits(digits, 11)) {
		memcpy(out, digits, 12);
		return 0;
	}
	/* Landline: area code 0xx or 0xxx, number 7-8 digits, optional extension. */
	const char *dash = strchr(s, '-');
	if (s[0] == '0' && dash) {
		size_t area = (size_t)(dash - s);
		const char *num = dash + 1, *ext = strchr(num, '-');
		size_t nl = ext ? (size_t)(ext - num) : strlen(num);
		size_t el = ext ? strlen(ext + 1) : 0;
		if ((area == 3 || area == 4) && all_digits(s, area) && nl >= 7 && nl <= 8 &&
		    all_digits(num, nl) && (!ext || (el >= 1 && el <= 6 && all_digits(ext + 1, el))) &&
		    strlen(s) < 32) {
			memcpy(out, s, strlen(s) + 1);
			return 0;
		}
	}
	return fail(why, n, TXT_V_PHONE);
}

int validate_email(const char *s, char *why, size_t n)
{
	const char *at = strchr(s, '@');
	size_t len = strlen(s);

	if (!at || at == s || strchr(at + 1, '@') || len > 128)
		return fail(why, n, TXT_V_EMAIL);
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || strlen(dot + 1) < 2)
		return fail(why, n, TXT_V_EMAIL);
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == ',' || *p == ';')
			return fail(why, n, TXT_V_EMAIL);
	return 0;
}

/* Reads between min and max digits at *p into *v and moves past them. */
static bool read_digits(const char **p, int min, int max, int *v)
{
	int k = 0, x = 0;

	while (k < max && isdigit((unsigned char)(*p)[k]))
		x = x * 10 + ((*p)[k++] - '0');
	if (k < min)
		return false;
	*p += k;
	*v = x;
	return true;
}

static bool read_literal(const char **p, const char *lit)
{
	size_t k = strlen(lit);

	if (strncmp(*p, lit, k) != 0)
		return false;
	*p += k;
	return true;
}

/* Reads y, m, d from the accepted forms (digits only: no signs or spaces
 * inside); the rest of the string (a time) is returned through *rest. */
static bool parse_ymd(const char *s, int *y, int *m, int *d, const char **rest)
{
	static const char *const forms[][3] = {
		{"-", "-", ""}, {"/", "/", ""}, {".", ".", ""}, {"年", "月", "日"},
	};

	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		const char *p = s;
		if (read_digits(&p, 4, 4, y) && read_literal(&p, forms[i][0]) &&
		    read_digits(&p, 1, 2, m) && read_literal(&p, forms[i][1]) &&
		    read_digits(&p, 1, 2, d) && read_literal(&p, forms[i][2])) {
			*rest = p;
			return *y >= 1900 && *y <= 2100;
		}
	}
	return false;
}

/* v (0..99) as two digits at p. */
static void two_digits(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* Written and checked by hand: an import validates several dates a row,
 * and snprintf with clock_parse_date's sscanf were a tenth of a
 * re-import. The same days as clock_parse_date accepts. */
int validate_date(const char *s, char out[11], char *why, size_t n)
{
	int y, m, d;
	const char *rest;

	if (!parse_ymd(s, &y, &m, &d, &rest) || *rest)
		return fail(why, n, TXT_V_DATE);
	if (!clock_real_date(y, m, d))
		return fail(why, n, TXT_V_DATE_REAL);
	two_digits(out, y / 100);
	two_digits(out + 2, y % 100);
	out[4] = out[7] = '-';
	two_digits(out + 5, m);
	two_digits(out + 8, d);
	out[10] = '\0';
	return 0;
}

int validate_datetime(const char *s, long long *out, char *why, size_t n)
{
	int y, m, d, hh, mm, k = 0;
	const char *rest;
	char date[11];
	int64_t day;

	if (!parse_ymd(s, &y, &m, &d, &rest))
		return fail(why, n, TXT_V_DATETIME);
	while (*rest == ' ' || *rest == 'T')
		rest++;
	if (sscanf(rest, "%2d:%2d%n", &hh, &mm, &k) != 2 || rest[k] || hh > 23 || mm > 59 ||
	    hh < 0 || mm < 0)
		return fail(why, n, TXT_V_DATETIME);
	snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
	if (clock_parse_date(date, &day) < 0)
		return fail(why, n, TXT_V_DATE_REAL);
	*out = (long long)day * 86400 + hh * 3600 + mm * 60 - 8 * 3600;
	return 0;
}

int validate_size(const char *s, char out[16], char *why, size_t n)
{
	static const char *const sizes[][2] = {
		{"大型", "大型"}, {"中型", "中型"}, {"小型", "小微"}, {"微型", "小微"}, {"小微", "小微"},
		/* as the 信息表's 填表说明 words them */
		{"大型企业", "大型"}, {"中型企业", "中型"}, {"小型企业", "小微"}, {"微型企业", "小微"},
		{"小微企业", "小微"},
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		if (strcmp(s, sizes[i][0]) == 0) {
			snprintf(out, 16, "%s", sizes[i][1]);
			return 0;
		}
	}
	return fail(why, n, TXT_V_SIZE);
}

int validate_industry(const char *s, char out[8], char *why, size_t n)
{
	const char *digits = s;
	char letter = industry_section_by_name(s);

	if (letter) {
		snprintf(out, 8, "%c", letter);
		return 0;
	}
	if (*s >= 'a' && *s <= 't')
		letter = (char)(*s - 32);
	else if (*s >= 'A' && *s <= 'T')
		letter = *s;
	if (letter)
		digits++;
	size_t dl = strlen(digits);
	/* A section letter alone is a 门类; digits name a 大类 to 小类. */
	if (!(letter && dl == 0) && (dl < 2 || dl > 4 || !all_digits(digits, dl)))
		return fail(why, n, TXT_V_INDUSTRY);
	if (letter)
		snprintf(out, 8, "%c%s", letter, digits);
	else
		snprintf(out, 8, "%s", digits);
	return 0;
}

int validate_gender(const char *s, char out[8], char *why, size_t n)
{
	if (strcmp(s, "男") == 0 || strcasecmp(s, "M") == 0) {
		snprintf(out, 8, "男");
		return 0;
	}
	if (strcmp(s, "女") == 0 || strcasecmp(s, "F") == 0) {
		snprintf(out, 8, "女");
		return 0;
	}
	return fail(why, n, TXT_V_GENDER);
}

int validate_int(const char *s, long min, long max, long *out, const char *field, char *why,
                 size_t n)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max)
		return fail(why, n, TXT_V_INT, field, min, max);
	*out = v;
	return 0;
}

int validate_years(const char *s, long min, long max, long *out, const char *field, char *why,
                   size_t n)
{
	char num[32];
	size_t len = strlen(s);
	const size_t nian = sizeof "年" - 1;

	/* "5年" as the 信息表 is filled in; a space may sit before 年. */
	if (len > nian && strcmp(s + len - nian, "年") == 0)
		len -= nian;
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len >= sizeof num)
		return fail(why, n, TXT_V_INT, field, min, max);
	memcpy(num, s, len);
	num[len] = '\0';
	return validate_int(num, min, max, out, field, why, n);
}

int validate_hours(const char *s, double *out, char *why, size_t n)
{
	/* Plain decimal only: strtod alone would take "1e2", "0x10" or "inf". */
	size_t whole = strspn(s, "0123456789"), frac = 0;
	const char *p = s + whole;

	if (*p == '.') {
		frac = strspn(p + 1, "0123456789");
		p += 1 + frac;
		if (frac == 0)
			return fail(why, n, TXT_V_HOURS);
	}
	if (whole == 0 || whole > 4 || frac > 1 || *p)
		return fail(why, n, TXT_V_HOURS);
	double v = strtod(s, NULL);
	if (!(v > 0))
		return fail(why, n, TXT_V_HOURS);
	/* More than 200 hours in one entry is a slip (2000 for 20.0, a year's
	 * total typed as one course), not a training. */
	if (v > 200)
		return fail(why, n, TXT_V_HOURS_IMPLAUSIBLE, s);
	*out = v;
	return 0;
}

bool validate_region_is_name(const char *s)
{
	return strpbrk(s, "0123456789") == NULL;
}

int validate_region_code(const char *s, char *why, size_t n)
{
	size_t len = strlen(s);
	if ((len == 2 || len == 4 || len == 6) && all_digits(s, len))
		return 0;
	return fail(why, n, TXT_V_REGION);
}

int validate_rate(const char *s, double *out)
{
	size_t len = strlen(s), digits = 0, dots = 0;
	bool pct = len > 0 && s[len - 1] == '%';

	/* Plain decimals only: strtod alone would take "1e2" and "0x10". */
	for (size_t i = 0; i < len - (pct ? 1 : 0); i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && i > 0)
			dots++;
		else
			return -EINVAL;
	}
	if (digits == 0 || digits > 9 || dots > 1)
		return -EINVAL;
	double v = strtod(s, NULL);
	if (v > 100)
		return -EINVAL;
	*out = pct || v > 1 ? v / 100.0 : v;
	return 0;
}
