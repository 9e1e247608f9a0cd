/*
 * The daemon's one clock. Everything that needs "now" asks here, so tests can
 * pin time: when CQOD_FAKE_NOW is set in the environment (unix seconds, or
 * "YYYY-MM-DD HH:MM:SS" in China Standard Time), clock_now() starts from it and
 * advances with the real clock. CQOD_FAKE_NOW_FILE names a file holding such a
 * time instead; clock_reread() takes a new one from it, so a test can move the
 * clock of a running daemon (daemon/main.c watches the file).
 */
#ifndef CQOD_CLOCK_H
#define CQOD_CLOCK_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

/* Reads CQOD_FAKE_NOW and CQOD_FAKE_NOW_FILE (the file wins); -EINVAL if
 * either is set but not a time (or the file cannot be read). */
int clock_init(void);
/* The file CQOD_FAKE_NOW_FILE names, or NULL; borrowed from the environment. */
const char *clock_fake_file(void);
/* Takes the time in the fake-clock file if it changed: 1 when the clock was
 * set, 0 when unchanged (or there is no such file), -EINVAL when the file
 * holds no time (the clock stays as it was), or a negative errno. */
int clock_reread(void);
/* Unix seconds. */
int64_t clock_now(void);
/* Milliseconds since an arbitrary point, monotonic (for latencies). */
uint64_t clock_mono_ms(void);
/* Nanoseconds since the same point (for histograms of short latencies). */
uint64_t clock_mono_ns(void);
/* "YYYY-MM-DD" of unix time `t` in China Standard Time (UTC+8). */
void clock_cst_date(int64_t t, char out[11]);
/* Year of `t` in China Standard Time. */
int clock_cst_year(int64_t t);

/* Day number (days since 1970-01-01) of t's date in China Standard Time. */
int64_t clock_cst_day(int64_t t);
/* Parses "YYYY-MM-DD" (a real calendar date) into a day number; 0 or -EINVAL. */
int clock_parse_date(const char *s, int64_t *day);
/* Whether y-m-d is a day of the Gregorian calendar. */
bool clock_real_date(int y, int m, int d);

#endif
