/* Times as users read them: China Standard Time, to the minute. */
#ifndef CQOD_TIMEFMT_H
#define CQOD_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* "2026-11-25 14:30" for unix time t, into buf (at least 17 bytes). */
void timefmt_cst_minute(int64_t t, char *buf, size_t len);

#endif
