/*
 * What cqoctl's subcommands share: the open store and configuration, who
 * runs the tool (for audit rows: platform "cqoctl", the Unix user name),
 * the one-line error convention (exit 2 for usage, 1 for failures) and the
 * subcommand table (main.c).
 */
#ifndef CQOCTL_CTL_H
#define CQOCTL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../store/store_audit.h"

struct config;
struct store;

struct ctl {
	struct config *cfg;          /* owned by main */
	struct store *st;            /* owned by main */
	char user[64];               /* the Unix user running cqoctl */
	int64_t now;                 /* unix seconds at start */
	char today[11];              /* its date in China Standard Time */
};

/* Exit statuses. */
enum { CTL_OK = 0, CTL_FAILED = 1, CTL_USAGE = 2 };

/* How long cqoctl waits for the daemon's write lock (its transactions are
 * short: one loop iteration's batch). */
#define CTL_BUSY_TIMEOUT_MS 10000

struct ctl_command {
	const char *name;
	int (*run)(struct ctl *c, int argc, char **argv);   /* argv[0] is the name */
	const char *summary;         /* one line for the command list */
	const char *usage;           /* the whole --help text */
	bool regions;                /* needs the region codes (loaded when missing) */
};

/* The subcommands, one file per family. */
int ctl_cmd_demo(struct ctl *c, int argc, char **argv);
int ctl_cmd_seed(struct ctl *c, int argc, char **argv);
int ctl_cmd_import(struct ctl *c, int argc, char **argv);
int ctl_cmd_export(struct ctl *c, int argc, char **argv);
int ctl_cmd_backup(struct ctl *c, int argc, char **argv);
int ctl_cmd_check(struct ctl *c, int argc, char **argv);
int ctl_cmd_grant(struct ctl *c, int argc, char **argv);
int ctl_cmd_revoke(struct ctl *c, int argc, char **argv);
int ctl_cmd_roles(struct ctl *c, int argc, char **argv);
int ctl_cmd_policy(struct ctl *c, int argc, char **argv);
int ctl_cmd_target(struct ctl *c, int argc, char **argv);
int ctl_cmd_calendar(struct ctl *c, int argc, char **argv);
int ctl_cmd_outbox(struct ctl *c, int argc, char **argv);
int ctl_cmd_remind(struct ctl *c, int argc, char **argv);

/* The audit actor for `command` (strings borrowed from c). */
void ctl_actor(const struct ctl *c, const char *command, struct store_actor *out);

/* Prints "cqoctl <cmd>: <message>" as one line on stderr; returns
 * CTL_FAILED. */
int ctl_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with a pointer to --help; returns CTL_USAGE. */
int ctl_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ctl_fail for a negative errno from the store. */
int ctl_store_fail(const char *cmd, int rc);
/* What ctl_store_fail says of rc, into buf[len], to go in a longer
 * message. */
void ctl_store_reason(int rc, char *buf, size_t len);

/* Loads data/regions.csv (from the configured data_dir) into an empty
 * regions table, as the daemon does at start, so that a fresh database
 * can be filled before cqod first runs. CTL_OK or CTL_FAILED. */
int ctl_ensure_regions(struct ctl *c, const char *cmd);

/* Parses a whole number in [min, max] into *out; false when it is not. */
bool ctl_parse_long(const char *s, long min, long max, long *out);

/* Opens `path` for writing ("-" or NULL: stdout); NULL after ctl_fail.
 * ctl_close_out flushes and closes (not stdout) and reports a write error;
 * returns CTL_OK or CTL_FAILED. */
FILE *ctl_open_out(const char *cmd, const char *path);
int ctl_close_out(const char *cmd, FILE *f, const char *path);

#endif
