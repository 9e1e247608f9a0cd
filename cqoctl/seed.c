/*
 * cqoctl demo: the fictional demo registry (make run), a few dozen rows in
 * one transaction;
 * cqoctl seed N: N generated fictional CQOs (make bench), written in short
 * chunks (chunk.h) so that a running daemon's writes get through.
 */
#include <errno.h>
#include <stdio.h>

#include "../store/store.h"
#include "../store/store_demo.h"
#include "../store/store_import.h"
#include "../handlers/text/cqoctl.h"
#include "chunk.h"
#include "ctl.h"
#include "progress.h"

/* About 30 µs a CQO: a step of 100 is a few ms, and chunks end on time;
 * the row limit only keeps one chunk's WAL bounded on a much faster
 * machine. */
static const struct chunk_limits seed_limits = {.max_rows = 5000, .step = 100};

int ctl_cmd_demo(struct ctl *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return ctl_usage("demo", TXT_CTL_ARGS);
	int rc = store_begin(c->st);
	if (rc == 0)
		rc = store_demo_seed(c->st, c->today);
	rc = store_end(c->st, rc);
	if (rc == -EEXIST) {
		fputs(TXT_CTL_DEMO_EXISTS, stdout);
		return CTL_OK;
	}
	if (rc < 0)
		return ctl_store_fail("demo", rc);
	fputs(TXT_CTL_DEMO_DONE, stdout);
	return CTL_OK;
}

/* A seed's chunks defer the schema's triggers to their end, as an
 * import's do (store_import_batch_begin): the name index of the generated
 * enterprises and the first terms of their records are written once per
 * chunk. */
struct seeding {
	struct store *st;
	struct store_bench *bench;
	struct store_import_batch batch;
};

static int seed_apply(void *arg, size_t from, size_t to)
{
	struct seeding *s = arg;

	return store_bench_add(s->bench, to - from);
}

static int seed_opened(void *arg)
{
	struct seeding *s = arg;

	return store_import_batch_begin(s->st, &s->batch);
}

static int seed_closing(void *arg, int rc)
{
	struct seeding *s = arg;

	return store_import_batch_end(s->st, &s->batch, rc);
}

int ctl_cmd_seed(struct ctl *c, int argc, char **argv)
{
	struct seeding seeding = {.st = c->st};
	struct chunk_stats done;
	struct progress bar;
	long n;

	if (argc != 2 || !ctl_parse_long(argv[1], 1, 10000000, &n))
		return ctl_usage("seed", TXT_CTL_BAD_NUMBER, "N", 1L, 10000000L);
	int rc = store_bench_open(c->st, (size_t)n, c->today, &seeding.bench);
	if (rc < 0)
		return ctl_store_fail("seed", rc);
	progress_start(&bar, TXT_CTL_SEED_STEP, (size_t)n);
	rc = chunk_run(c->st, (size_t)n, &seed_limits,
	               &(struct chunk_job){.apply = seed_apply, .opened = seed_opened,
	                                   .closing = seed_closing, .arg = &seeding},
	               &bar, &done);
	progress_end(&bar);
	store_bench_close(seeding.bench);
	if (rc < 0 && done.chunks) {
		char why[256];
		ctl_store_reason(rc, why, sizeof why);
		return ctl_fail("seed", TXT_CTL_SEED_FAILED, why, done.chunks, done.done);
	}
	if (rc < 0)
		return ctl_store_fail("seed", rc);
	printf(TXT_CTL_SEED_DONE, n, done.chunks, (unsigned long long)done.max_ms);
	return CTL_OK;
}
