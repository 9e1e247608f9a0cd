/*
 * Prometheus counters kept in process memory. A series is a metric name plus
 * a label string ("route=\"/healthz\",code=\"200\""); counters only go up.
 * Gauges are sampled at exposition time through registered callbacks.
 * Histograms of durations share one set of buckets in seconds (100 us to
 * 10 s), enough for a disk flush as for a slow platform API.
 */
#ifndef CQOD_METRICS_H
#define CQOD_METRICS_H

#include <stdint.h>

/* Adds `n` to the series; labels may be "" (no labels). Unknown metric names
 * must first be described with metrics_describe. Silently drops the sample
 * if memory runs out (metrics never fail a request). */
void metrics_add(const char *name, const char *labels, uint64_t n);

/* Sets the series to `value` (a gauge by label, declared "gauge" with
 * metrics_describe); dropped if memory runs out, like metrics_add. */
void metrics_set(const char *name, const char *labels, uint64_t value);

/* Declares a metric's type ("counter" or "gauge") and help text. */
void metrics_describe(const char *name, const char *type, const char *help);

/* A gauge computed on demand. */
typedef double (*metrics_gauge_fn)(void *arg);
void metrics_gauge(const char *name, const char *help, metrics_gauge_fn fn, void *arg);

/* Declares a histogram (seconds); observe it with metrics_observe. */
void metrics_histogram(const char *name, const char *help);

/* Counts one observation of `seconds` in the histogram series name{labels};
 * renders as name_bucket{...,le="..."}, name_sum and name_count. Drops it
 * if memory runs out, like metrics_add. */
void metrics_observe(const char *name, const char *labels, double seconds);

/* Seconds since `start_ns` of clock_mono_ns(): the usual observation. */
double metrics_since(uint64_t start_ns);

/* Text exposition format 0.0.4; caller frees. NULL on ENOMEM. */
char *metrics_render(void);

/* Forgets everything (tests, and shutdown for leak checkers). */
void metrics_reset(void);

#endif
