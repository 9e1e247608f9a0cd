/*
 * A progress bar on stderr, drawn only when stderr is a terminal, at most
 * ten times a second; nothing when output goes to a file or a pipe.
 */
#ifndef CQOCTL_PROGRESS_H
#define CQOCTL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress {
	const char *label;    /* borrowed */
	size_t total;
	uint64_t last_ms;
	bool on;
};

void progress_start(struct progress *p, const char *label, size_t total);
void progress_update(struct progress *p, size_t done);
/* Clears the bar's line. */
void progress_end(struct progress *p);

#endif
