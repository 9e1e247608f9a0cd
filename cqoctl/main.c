/*
 * cqoctl: the administrator's command-line tool, working on the same SQLite
 * database as a running daemon: WAL lets both read while one writes, cqoctl
 * waits for the daemon's short transactions (a busy timeout), and cqoctl's
 * long jobs write in short chunks that the daemon's writes get between
 * (chunk.h).
 *
 *   cqoctl [-c FILE] [-d DATABASE] [--data-dir DIR] [-v] COMMAND [ARGS]
 *
 * This file reads the global options, finds the command in the table and
 * runs it with the store open; each command family has its own file. Every
 * command prints its usage for --help; an error is one line on stderr and
 * exit status 2 (usage) or 1 (failure).
 */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/config.h"
#include "../lib/log.h"
#include "../store/store.h"
#include "../store/store_import.h"
#include "../messages/dingtalk_card.h"
#include "../messages/platforms.h"
#include "../handlers/text/cqoctl.h"
#include "../handlers/text/outbox.h"
#include "../handlers/text/remind.h"
#include "ctl.h"

static const struct ctl_command commands[] = {
	{"import", ctl_cmd_import, TXT_CTL_HELP_IMPORT, TXT_CTL_USAGE_IMPORT, true},
	{"export", ctl_cmd_export, TXT_CTL_HELP_EXPORT, TXT_CTL_USAGE_EXPORT, false},
	{"backup", ctl_cmd_backup, TXT_CTL_HELP_BACKUP, TXT_CTL_USAGE_BACKUP, false},
	{"check", ctl_cmd_check, TXT_CTL_HELP_CHECK, TXT_CTL_USAGE_CHECK, false},
	{"grant", ctl_cmd_grant, TXT_CTL_HELP_GRANT, TXT_CTL_USAGE_GRANT, true},
	{"revoke", ctl_cmd_revoke, TXT_CTL_HELP_REVOKE, TXT_CTL_USAGE_REVOKE, false},
	{"roles", ctl_cmd_roles, TXT_CTL_HELP_ROLES, TXT_CTL_USAGE_ROLES, false},
	{"policy", ctl_cmd_policy, TXT_CTL_HELP_POLICY, TXT_CTL_USAGE_POLICY, true},
	{"target", ctl_cmd_target, TXT_CTL_HELP_TARGET, TXT_CTL_USAGE_TARGET, true},
	{"calendar", ctl_cmd_calendar, TXT_CTL_HELP_CALENDAR, TXT_CTL_USAGE_CALENDAR, false},
	{"outbox", ctl_cmd_outbox, TXT_CTL_HELP_OUTBOX, TXT_CTL_USAGE_OUTBOX, false},
	{"remind", ctl_cmd_remind, TXT_CTL_HELP_REMIND, TXT_CTL_USAGE_REMIND, false},
	{"demo", ctl_cmd_demo, TXT_CTL_HELP_DEMO, TXT_CTL_USAGE_DEMO, true},
	{"seed", ctl_cmd_seed, TXT_CTL_HELP_SEED, TXT_CTL_USAGE_SEED, true},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
	fputs(TXT_CTL_USAGE, f);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, TXT_CTL_USAGE_LINE, commands[i].name, commands[i].summary);
}

static const struct ctl_command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

/* The Unix user name (audit rows name it), or the uid when it has none. */
static void unix_user(char *buf, size_t len)
{
	const struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%lu", (unsigned long)geteuid());
}

/* Loads the configuration (-c, or the defaults) with -d and --data-dir
 * applied; NULL after printing why. */
static struct config *load_config(const char *path, const char *db, const char *data_dir)
{
	struct config_errors errs = {0};
	struct config *cfg = NULL;

	if (path ? config_load(path, &cfg, &errs) < 0 : !(cfg = config_defaults())) {
		ctl_fail(NULL, TXT_CTL_CONFIG, errs.n ? errs.msgs[0] : path ? path : "");
		config_errors_free(&errs);
		return NULL;
	}
	if (db) {
		free(cfg->database);
		cfg->database = strdup(db);
	}
	if (data_dir) {
		free(cfg->data_dir);
		cfg->data_dir = strdup(data_dir);
	}
	if (!cfg->database || !cfg->data_dir) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"database", required_argument, NULL, 'd'},
		{"data-dir", required_argument, NULL, 'D'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *cfg_path = NULL, *db = NULL, *data_dir = NULL;
	struct ctl c = {0};
	bool verbose = false;
	int opt, rc;

	/* Databases, backups, exports and reject files hold the registry:
	 * readable by their owner only (README "File permissions"). */
	umask(077);
	/* Stop at the first non-option: the command's own arguments follow. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+c:d:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': cfg_path = optarg; break;
		case 'v': verbose = true; break;
		case 'd': db = optarg; break;
		case 'D': data_dir = optarg; break;
		case 'h': usage(stdout); return CTL_OK;
		default: return ctl_usage(NULL, TXT_CTL_BAD_OPTION);
		}
	}
	if (optind >= argc)
		return ctl_usage(NULL, TXT_CTL_NO_CMD);
	const struct ctl_command *cmd = find_command(argv[optind]);
	if (!cmd)
		return ctl_usage(NULL, TXT_CTL_UNKNOWN_CMD, argv[optind]);
	int sub_argc = argc - optind;
	char **sub_argv = argv + optind;
	if (wants_help(sub_argc, sub_argv)) {
		fputs(cmd->usage, stdout);
		return CTL_OK;
	}

	/* Errors are one line of cqoctl's own; the store's details on request. */
	log_init(verbose ? LOG_LEVEL_INFO : LOG_LEVEL_ERROR);
	store_import_process_init();
	if (clock_init() < 0)
		return ctl_fail(NULL, TXT_CTL_FAKE_NOW);
	/* The loader and the destinations learn the platforms from their rows. */
	if (platforms_register() < 0)
		return ctl_fail(NULL, TXT_CTL_PLATFORMS);
	if (!(c.cfg = load_config(cfg_path, db, data_dir)))
		return CTL_FAILED;
	/* What cqoctl queues for DingTalk takes the daemon's card rules. */
	dingtalk_cards_register(&c.cfg);
	rc = store_open(c.cfg->database, &c.st);
	if (rc < 0) {
		ctl_fail(NULL, TXT_CTL_OPEN_DB, c.cfg->database, strerror(-rc));
		config_free(c.cfg);
		return CTL_FAILED;
	}
	store_set_busy_timeout(c.st, CTL_BUSY_TIMEOUT_MS);
	unix_user(c.user, sizeof c.user);
	c.now = clock_now();
	clock_cst_date(c.now, c.today);
	/* getopt_long again from the command's own arguments. */
	optind = 0;
	rc = cmd->regions ? ctl_ensure_regions(&c, cmd->name) : CTL_OK;
	if (rc == CTL_OK)
		rc = cmd->run(&c, sub_argc, sub_argv);
	store_close(c.st);
	config_free(c.cfg);
	return rc;
}
