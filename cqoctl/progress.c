/* Terminal progress bar; see progress.h. */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#include "../lib/clock.h"

#define BAR_WIDTH 30

void progress_start(struct progress *p, const char *label, size_t total)
{
	p->label = label;
	p->total = total;
	p->last_ms = 0;
	p->on = total > 0 && isatty(STDERR_FILENO);
}

void progress_update(struct progress *p, size_t done)
{
	char bar[BAR_WIDTH + 1];

	if (!p->on)
		return;
	uint64_t now = clock_mono_ms();
	if (done < p->total && now - p->last_ms < 100)
		return;
	p->last_ms = now;
	size_t fill = p->total ? done * BAR_WIDTH / p->total : BAR_WIDTH;
	for (size_t i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR_WIDTH] = '\0';
	fprintf(stderr, "\r%s [%s] %3zu%% %zu/%zu", p->label, bar,
	        p->total ? done * 100 / p->total : 100, done, p->total);
	fflush(stderr);
}

void progress_end(struct progress *p)
{
	if (p->on)
		fputs("\r\033[K", stderr);
	p->on = false;
}
