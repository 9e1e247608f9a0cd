/* The daemon's one clock; see clock.h. */
#include "clock.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CST_OFFSET (8 * 3600)

/* Added to the real clock; non-zero only under CQOD_FAKE_NOW(_FILE). */
static int64_t skew;
/* CQOD_FAKE_NOW_FILE (borrowed from the environment) and the text last
 * taken from it, so that rewriting the same time does not reset it. */
static const char *fake_file;
static char fake_seen[64];

static int64_t real_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), so no timezone state
 * (TZ, mktime) is involved. */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int parse_fake(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == 0 && end != s && *end == '\0') {
		*out = v;
		return 0;
	}
	if (sscanf(s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &se) < 3 ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    se < 0 || se > 60)
		return -EINVAL;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - CST_OFFSET;
	return 0;
}

int clock_init(void)
{
	const char *fake = getenv("CQOD_FAKE_NOW");
	const char *file = getenv("CQOD_FAKE_NOW_FILE");
	int64_t t;

	skew = 0;
	fake_file = NULL;
	fake_seen[0] = '\0';
	if (fake && *fake) {
		if (parse_fake(fake, &t) != 0)
			return -EINVAL;
		skew = t - real_now();
	}
	if (file && *file) {
		fake_file = file;
		if (clock_reread() < 0)
			return -EINVAL;
	}
	return 0;
}

const char *clock_fake_file(void)
{
	return fake_file;
}

int clock_reread(void)
{
	char buf[sizeof fake_seen];
	int64_t t;
	size_t n;
	FILE *f;

	if (!fake_file)
		return 0;
	f = fopen(fake_file, "re");
	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	if (strcmp(buf, fake_seen) == 0)
		return 0;
	/* A writer caught between truncating and writing leaves nothing to
	 * read: the time stays as it was until the next change. */
	if (parse_fake(buf, &t) != 0)
		return -EINVAL;
	skew = t - real_now();
	memcpy(fake_seen, buf, n + 1);
	return 1;
}

int64_t clock_now(void)
{
	return real_now() + skew;
}

uint64_t clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t clock_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void clock_cst_date(int64_t t, char out[11])
{
	time_t local = (time_t)(t + CST_OFFSET);
	struct tm tm;
	gmtime_r(&local, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int clock_cst_year(int64_t t)
{
	time_t local = (time_t)(t + CST_OFFSET);
	struct tm tm;
	gmtime_r(&local, &tm);
	return tm.tm_year + 1900;
}

int64_t clock_cst_day(int64_t t)
{
	int64_t local = t + CST_OFFSET;
	return (local >= 0 ? local : local - 86399) / 86400;
}

bool clock_real_date(int y, int m, int d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return m != 2 || d != 29 || (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int clock_parse_date(const char *s, int64_t *day)
{
	int y, m, d, n = 0;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return -EINVAL;
	if (!clock_real_date(y, m, d))
		return -EINVAL;
	*day = days_from_civil(y, m, d);
	return 0;
}
