/*
 * cqoctl: the administrator's command-line tool, working on the same SQLite
 * database as a running daemon (WAL and a busy timeout make that safe).
 *
 *   cqoctl [-c FILE] [-d DATABASE] [--data-dir DIR] COMMAND [ARGS]
 *   demo                      create the demo registry (fictional sample data)
 *   seed N                    add N generated fictional CQOs (benchmarks)
 *   grant PLATFORM USER ROLE [SCOPE|PERSON|ALLIANCE]   give a chat identity a role
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/clock.h"
#include "../daemon/config.h"
#include "../daemon/log.h"
#include "../daemon/store.h"
#include "../handlers/handler.h"

struct ctl {
	struct config *cfg;
	struct store *st;
};

static void usage(FILE *f)
{
	fputs("usage: cqoctl [-c FILE] [-d DATABASE] [--data-dir DIR] COMMAND [ARGS]\n"
	      "commands:\n"
	      "  demo                       load regions and fictional sample data into an\n"
	      "                             empty database\n"
	      "  seed N                     add N generated fictional CQOs (for benchmarks)\n"
	      "  grant PLATFORM USER ROLE [ARG]\n"
	      "                             give a chat identity a role: admin; clerk SCOPE\n"
	      "                             (region code); cqo PERSON-ID; organizer ALLIANCE-ID\n",
	      f);
}

static int fail(const char *what, int rc)
{
	fprintf(stderr, "cqoctl: %s: %s\n", what, strerror(-rc));
	return 1;
}

static int load_regions(struct ctl *c)
{
	char path[4096];
	int loaded = 0;

	if (store_regions_count(c->st) > 0)
		return 0;
	snprintf(path, sizeof path, "%s/regions.csv", c->cfg->data_dir);
	int rc = store_regions_load_csv(c->st, path, &loaded);
	if (rc < 0)
		return fail(path, rc);
	printf("loaded %d regions\n", loaded);
	return 0;
}

static int cmd_demo(struct ctl *c, int argc, char **argv)
{
	char today[11];
	(void)argv;

	if (argc != 1) {
		fputs("usage: cqoctl demo\n", stderr);
		return 2;
	}
	if (load_regions(c))
		return 1;
	clock_cst_date(clock_now(), today);
	int rc = store_demo_seed(c->st, today);
	if (rc == -EEXIST) {
		puts("the registry already has data; demo data not added");
		return 0;
	}
	if (rc < 0)
		return fail("demo", rc);
	puts("demo data loaded (all people and enterprises are fictional)");
	return 0;
}

static int cmd_seed(struct ctl *c, int argc, char **argv)
{
	char today[11], *end;
	long n = argc == 2 ? strtol(argv[1], &end, 10) : 0;

	if (argc != 2 || *end || n < 1 || n > 10000000) {
		fputs("usage: cqoctl seed N   (1 to 10000000)\n", stderr);
		return 2;
	}
	if (load_regions(c))
		return 1;
	clock_cst_date(clock_now(), today);
	int rc = store_bench_seed(c->st, (int)n, today);
	if (rc < 0)
		return fail("seed", rc);
	printf("added %ld generated CQOs\n", n);
	return 0;
}

static int cmd_grant(struct ctl *c, int argc, char **argv)
{
	struct store_identity id = {0};
	enum role r;

	if (argc < 4 || argc > 5 || role_parse(argv[3], &r) < 0 || r == ROLE_GUEST) {
		fputs("usage: cqoctl grant PLATFORM USER admin|clerk|cqo|organizer [ARG]\n", stderr);
		return 2;
	}
	const char *arg = argc == 5 ? argv[4] : NULL;
	bool needs_arg = r != ROLE_ADMIN;
	if (needs_arg != (arg != NULL)) {
		fprintf(stderr, "cqoctl: role %s %s\n", role_name(r),
		        needs_arg ? "needs a scope, person or alliance argument" : "takes no argument");
		return 2;
	}
	snprintf(id.role, sizeof id.role, "%s", role_name(r));
	if (r == ROLE_CLERK) {
		char name[96];
		if (store_region_name(c->st, arg, name, sizeof name) < 0) {
			fprintf(stderr, "cqoctl: unknown region code %s\n", arg);
			return 1;
		}
		snprintf(id.scope, sizeof id.scope, "%s", arg);
	} else if (r == ROLE_CQO) {
		id.person_id = atoll(arg);
	} else if (r == ROLE_ORGANIZER) {
		id.alliance_id = atoll(arg);
	}
	int rc = store_identity_set(c->st, argv[1], argv[2], "", &id);
	if (rc < 0)
		return fail("grant", rc);
	printf("%s:%s is now %s%s%s\n", argv[1], argv[2], role_name(r), arg ? " " : "",
	       arg ? arg : "");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"database", required_argument, NULL, 'd'},
		{"data-dir", required_argument, NULL, 'D'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *cfg_path = NULL, *db = NULL, *data_dir = NULL;
	struct config_errors errs = {0};
	struct ctl c = {0};
	int opt, rc;

	/* Stop at the first non-option: the command's own arguments follow. */
	while ((opt = getopt_long(argc, argv, "+c:d:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': cfg_path = optarg; break;
		case 'd': db = optarg; break;
		case 'D': data_dir = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	log_init(LOG_LEVEL_WARN);
	if (clock_init() < 0) {
		fputs("cqoctl: CQOD_FAKE_NOW is not a time\n", stderr);
		return 2;
	}
	if (cfg_path ? config_load(cfg_path, &c.cfg, &errs) < 0 : !(c.cfg = config_defaults())) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msgs[i]);
		config_errors_free(&errs);
		return 1;
	}
	if (db) {
		free(c.cfg->database);
		c.cfg->database = strdup(db);
	}
	if (data_dir) {
		free(c.cfg->data_dir);
		c.cfg->data_dir = strdup(data_dir);
	}
	if (!c.cfg->database || !c.cfg->data_dir) {
		config_free(c.cfg);
		return 1;
	}
	rc = store_open(c.cfg->database, &c.st);
	if (rc < 0) {
		fprintf(stderr, "cqoctl: cannot open %s: %s\n", c.cfg->database, strerror(-rc));
		config_free(c.cfg);
		return 1;
	}
	const char *cmd = argv[optind];
	int sub_argc = argc - optind;
	char **sub_argv = argv + optind;
	if (strcmp(cmd, "demo") == 0) {
		rc = cmd_demo(&c, sub_argc, sub_argv);
	} else if (strcmp(cmd, "seed") == 0) {
		rc = cmd_seed(&c, sub_argc, sub_argv);
	} else if (strcmp(cmd, "grant") == 0) {
		rc = cmd_grant(&c, sub_argc, sub_argv);
	} else {
		fprintf(stderr, "cqoctl: unknown command \"%s\"\n", cmd);
		usage(stderr);
		rc = 2;
	}
	store_close(c.st);
	config_free(c.cfg);
	return rc;
}
