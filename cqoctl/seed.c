/*
 * cqoctl demo: the fictional demo registry (make run);
 * cqoctl seed N: N generated fictional CQOs (make bench).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../daemon/store.h"
#include "../messages/text.h"
#include "ctl.h"

int ctl_cmd_demo(struct ctl *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return ctl_usage("demo", TXT_CTL_ARGS);
	int rc = store_demo_seed(c->st, c->today);
	if (rc == -EEXIST) {
		fputs(TXT_CTL_DEMO_EXISTS, stdout);
		return CTL_OK;
	}
	if (rc < 0)
		return ctl_store_fail("demo", rc);
	fputs(TXT_CTL_DEMO_DONE, stdout);
	return CTL_OK;
}

int ctl_cmd_seed(struct ctl *c, int argc, char **argv)
{
	long n;

	if (argc != 2 || !ctl_parse_long(argv[1], 1, 10000000, &n))
		return ctl_usage("seed", TXT_CTL_BAD_NUMBER, "N", 1L, 10000000L);
	int rc = store_bench_seed(c->st, (int)n, c->today);
	if (rc < 0)
		return ctl_store_fail("seed", rc);
	printf(TXT_CTL_SEED_DONE, n);
	return CTL_OK;
}
