/*
 * The standard Prometheus process gauges, read from /proc at each scrape:
 * process_resident_memory_bytes, process_open_fds and
 * process_start_time_seconds.
 */
#ifndef CQOD_METRICS_PROCESS_H
#define CQOD_METRICS_PROCESS_H

/* Registers the gauges and notes the start time. */
void metrics_process_init(void);

/* Resident set size in bytes from /proc/self/statm; -1 if unreadable. */
long long metrics_process_rss(void);

#endif
