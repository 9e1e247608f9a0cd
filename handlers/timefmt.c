/* Time formatting; see timefmt.h. */
#include "timefmt.h"

#include <stdio.h>

#include "../lib/clock.h"

void timefmt_cst_minute(int64_t t, char *buf, size_t len)
{
	char date[11];
	int64_t secs = ((t + 8 * 3600) % 86400 + 86400) % 86400;

	clock_cst_date(t, date);
	snprintf(buf, len, "%s %02d:%02d", date, (int)(secs / 3600), (int)(secs / 60 % 60));
}
