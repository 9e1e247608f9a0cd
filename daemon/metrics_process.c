/* Process gauges from /proc; see metrics_process.h. */
#include "metrics_process.h"

#include <dirent.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "../lib/metrics.h"

static double start_time;

long long metrics_process_rss(void)
{
	FILE *f = fopen("/proc/self/statm", "re");
	unsigned long long size, resident;
	long page = sysconf(_SC_PAGESIZE);
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%llu %llu", &size, &resident);
	fclose(f);
	if (n != 2 || page <= 0)
		return -1;
	return (long long)(resident * (unsigned long long)page);
}

static double gauge_rss(void *arg)
{
	long long rss = metrics_process_rss();
	(void)arg;
	return rss < 0 ? 0 : (double)rss;
}

/* Entries of /proc/self/fd, minus ".", ".." and the directory's own fd. */
static double gauge_open_fds(void *arg)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *e;
	double n = 0;
	(void)arg;

	if (!dir)
		return 0;
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.')
			n++;
	closedir(dir);
	return n > 0 ? n - 1 : 0;
}

static double gauge_start_time(void *arg)
{
	(void)arg;
	return start_time;
}

void metrics_process_init(void)
{
	struct timespec ts;

	/* The real clock, not clock_now(): scrapers compare it with their own. */
	clock_gettime(CLOCK_REALTIME, &ts);
	start_time = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	metrics_gauge("process_resident_memory_bytes", "Resident memory size in bytes.", gauge_rss,
	              NULL);
	metrics_gauge("process_open_fds", "Open file descriptors.", gauge_open_fds, NULL);
	metrics_gauge("process_start_time_seconds",
	              "Start time of the process since the Unix epoch in seconds.", gauge_start_time,
	              NULL);
}
