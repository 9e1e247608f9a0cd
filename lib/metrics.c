/*
 * Prometheus counters; see metrics.h.
 *
 * Series live in an open-addressing hash table keyed by name+labels so the
 * request path pays one hash and one compare per increment. The table only
 * grows: label values come from fixed vocabularies (routes, status codes,
 * command names, platforms), never from user input, so it stays small.
 * A histogram series keeps its per-bucket counts (not cumulative) beside the
 * total in `value`; the cumulative form is computed at exposition.
 */
#include "metrics.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "clock.h"

/* Upper bounds in seconds; +Inf is implied and equals the count. */
static const double bucket_le[] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
	1, 2.5, 5, 10,
};
#define N_BUCKETS (sizeof bucket_le / sizeof bucket_le[0])

struct series {
	char *name;
	char *labels;
	uint64_t value;
	size_t order;
	uint64_t *buckets;   /* histograms only: N_BUCKETS counts, owned */
	double sum;
};

struct desc {
	char *name;
	char *type;
	char *help;
	metrics_gauge_fn gauge;
	void *arg;
};

static struct series *slots;
static size_t n_slots, n_series;
static struct desc *descs;
static size_t n_descs;

static uint64_t hash2(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ull;
	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 1099511628211ull;
	return h;
}

static struct series *slot_find(struct series *tab, size_t n, const char *name,
                                const char *labels)
{
	size_t i = hash2(name, labels) & (n - 1);
	while (tab[i].name && (strcmp(tab[i].name, name) || strcmp(tab[i].labels, labels)))
		i = (i + 1) & (n - 1);
	return &tab[i];
}

static int grow(void)
{
	size_t n = n_slots ? n_slots * 2 : 64;
	struct series *tab = calloc(n, sizeof *tab);
	if (!tab)
		return -1;
	for (size_t i = 0; i < n_slots; i++)
		if (slots[i].name)
			*slot_find(tab, n, slots[i].name, slots[i].labels) = slots[i];
	free(slots);
	slots = tab;
	n_slots = n;
	return 0;
}

/* The series name{labels}, created on first use; NULL on ENOMEM. */
static struct series *series_get(const char *name, const char *labels)
{
	if ((n_series + 1) * 2 > n_slots && grow() < 0)
		return NULL;
	struct series *s = slot_find(slots, n_slots, name, labels);
	if (!s->name) {
		char *nm = strdup(name), *lb = strdup(labels);
		if (!nm || !lb) {
			free(nm);
			free(lb);
			return NULL;
		}
		*s = (struct series){.name = nm, .labels = lb, .order = n_series++};
	}
	return s;
}

void metrics_add(const char *name, const char *labels, uint64_t n)
{
	struct series *s = series_get(name, labels);
	if (s)
		s->value += n;
}

void metrics_set(const char *name, const char *labels, uint64_t value)
{
	struct series *s = series_get(name, labels);
	if (s)
		s->value = value;
}

void metrics_observe(const char *name, const char *labels, double seconds)
{
	struct series *s = series_get(name, labels);
	if (!s)
		return;
	if (!s->buckets && !(s->buckets = calloc(N_BUCKETS, sizeof *s->buckets)))
		return;
	size_t i = 0;
	while (i < N_BUCKETS && seconds > bucket_le[i])
		i++;
	if (i < N_BUCKETS)
		s->buckets[i]++;
	s->sum += seconds;
	s->value++;
}

double metrics_since(uint64_t start_ns)
{
	return (double)(clock_mono_ns() - start_ns) / 1e9;
}

static struct desc *desc_add(const char *name, const char *type, const char *help)
{
	for (size_t i = 0; i < n_descs; i++)
		if (strcmp(descs[i].name, name) == 0)
			return &descs[i];
	struct desc *d = realloc(descs, (n_descs + 1) * sizeof *d);
	if (!d)
		return NULL;
	descs = d;
	d = &descs[n_descs];
	*d = (struct desc){.name = strdup(name), .type = strdup(type), .help = strdup(help)};
	if (!d->name || !d->type || !d->help) {
		free(d->name);
		free(d->type);
		free(d->help);
		return NULL;
	}
	n_descs++;
	return d;
}

void metrics_describe(const char *name, const char *type, const char *help)
{
	desc_add(name, type, help);
}

void metrics_histogram(const char *name, const char *help)
{
	desc_add(name, "histogram", help);
}

void metrics_gauge(const char *name, const char *help, metrics_gauge_fn fn, void *arg)
{
	struct desc *d = desc_add(name, "gauge", help);
	if (d) {
		d->gauge = fn;
		d->arg = arg;
	}
}

static int by_order(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;
	return (x->order > y->order) - (x->order < y->order);
}

/* name_bucket (cumulative, with le), name_sum and name_count of one series. */
static void render_histogram(struct strbuf *sb, const struct series *s)
{
	const char *sep = s->labels[0] ? "," : "";
	uint64_t cum = 0;

	for (size_t i = 0; i < N_BUCKETS; i++) {
		cum += s->buckets ? s->buckets[i] : 0;
		strbuf_appendf(sb, "%s_bucket{%s%sle=\"%g\"} %llu\n", s->name, s->labels, sep,
		               bucket_le[i], (unsigned long long)cum);
	}
	strbuf_appendf(sb, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", s->name, s->labels, sep,
	               (unsigned long long)s->value);
	if (s->labels[0]) {
		strbuf_appendf(sb, "%s_sum{%s} %.9g\n%s_count{%s} %llu\n", s->name, s->labels, s->sum,
		               s->name, s->labels, (unsigned long long)s->value);
	} else {
		strbuf_appendf(sb, "%s_sum %.9g\n%s_count %llu\n", s->name, s->sum, s->name,
		               (unsigned long long)s->value);
	}
}

char *metrics_render(void)
{
	struct strbuf sb;
	struct series **list = calloc(n_series + 1, sizeof *list);
	size_t n = 0;

	if (!list)
		return NULL;
	for (size_t i = 0; i < n_slots; i++)
		if (slots[i].name)
			list[n++] = &slots[i];
	qsort(list, n, sizeof *list, by_order);

	strbuf_init(&sb);
	for (size_t d = 0; d < n_descs; d++) {
		strbuf_appendf(&sb, "# HELP %s %s\n# TYPE %s %s\n", descs[d].name, descs[d].help,
		               descs[d].name, descs[d].type);
		if (descs[d].gauge) {
			strbuf_appendf(&sb, "%s %.17g\n", descs[d].name, descs[d].gauge(descs[d].arg));
			continue;
		}
		bool histogram = strcmp(descs[d].type, "histogram") == 0;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(list[i]->name, descs[d].name) != 0)
				continue;
			if (histogram)
				render_histogram(&sb, list[i]);
			else if (list[i]->labels[0])
				strbuf_appendf(&sb, "%s{%s} %llu\n", list[i]->name, list[i]->labels,
				               (unsigned long long)list[i]->value);
			else
				strbuf_appendf(&sb, "%s %llu\n", list[i]->name,
				               (unsigned long long)list[i]->value);
		}
	}
	free(list);
	return strbuf_detach(&sb);
}

void metrics_reset(void)
{
	for (size_t i = 0; i < n_slots; i++) {
		free(slots[i].name);
		free(slots[i].labels);
		free(slots[i].buckets);
	}
	free(slots);
	slots = NULL;
	n_slots = n_series = 0;
	for (size_t i = 0; i < n_descs; i++) {
		free(descs[i].name);
		free(descs[i].type);
		free(descs[i].help);
	}
	free(descs);
	descs = NULL;
	n_descs = 0;
}
