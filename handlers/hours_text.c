/* Annual hours as shown; see hours_text.h. */
#include "hours_text.h"

#include <stdio.h>
#include <string.h>

#include "text/records.h"

void hours_text(char *buf, size_t len, double done, double required, const char *kinds)
{
	char names[96];
	size_t n = 0;

	if (required <= 0) {
		snprintf(buf, len, TXT_TRAIN_NO_REQUIREMENT, done);
		return;
	}
	/* The policy's commas become the 、 of a Chinese list. */
	names[0] = '\0';
	for (const char *p = kinds; *p && n + 4 < sizeof names; p++) {
		if (*p == ',')
			n += (size_t)snprintf(names + n, sizeof names - n, "、");
		else
			names[n++] = *p, names[n] = '\0';
	}
	/* Sums of tenths are not exact in binary: allow for the rounding. */
	if (done + 1e-6 >= required)
		snprintf(buf, len, TXT_TRAIN_MET TXT_TRAIN_COUNTED, done, required, names);
	else
		snprintf(buf, len, TXT_TRAIN_SHORT TXT_TRAIN_COUNTED, done, required,
		         required - done, names);
}
