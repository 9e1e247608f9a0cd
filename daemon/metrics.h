/*
 * Prometheus counters kept in process memory. A series is a metric name plus
 * a label string ("route=\"/healthz\",code=\"200\""); counters only go up.
 * Gauges are sampled at exposition time through registered callbacks.
 */
#ifndef CQOD_METRICS_H
#define CQOD_METRICS_H

#include <stdint.h>

/* Adds `n` to the series; labels may be "" (no labels). Unknown metric names
 * must first be described with metrics_describe. Silently drops the sample
 * if memory runs out (metrics never fail a request). */
void metrics_add(const char *name, const char *labels, uint64_t n);

/* Declares a metric's type ("counter" or "gauge") and help text. */
void metrics_describe(const char *name, const char *type, const char *help);

/* A gauge computed on demand. */
typedef double (*metrics_gauge_fn)(void *arg);
void metrics_gauge(const char *name, const char *help, metrics_gauge_fn fn, void *arg);

/* Text exposition format 0.0.4; caller frees. NULL on ENOMEM. */
char *metrics_render(void);

/* Forgets everything (tests, and shutdown for leak checkers). */
void metrics_reset(void);

#endif
