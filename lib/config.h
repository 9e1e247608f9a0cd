/*
 * cqod's configuration: an INI file read with inih.
 *
 *   [daemon]   listen, database, data_dir, log_level, console_role, console_scope,
 *              shutdown_timeout_ms
 *   [http]     max_header_bytes, max_body_bytes, idle_timeout_ms,
 *              request_timeout_ms, max_connections, max_connections_per_address,
 *              max_body_memory, trusted_proxies
 *   [inbox]    dedupe_hours, commit_batch_max
 *   [outbound] ca_file, timeout_ms, max_in_flight
 *   [reminders] send_at, catch_up_days
 *   [outbox]   max_age_hours, admin_dest, robot_per_minute, wecom_app_per_minute,
 *              feishu_per_second, feishu_bot_per_minute
 *   [<platform>:<name>]  one section per platform instance, e.g. [generic:ci];
 *              its keys are checked against the section's key table, which
 *              the platform's row gives (messages/platforms.c registers the
 *              tables with config_sections_register before any load).
 *
 * Secrets (the keys a section table marks is_secret: "secret", "token",
 * "aes_key", "app_secret", ...) may be given inline or as "<key>_file = PATH"; the file is
 * read at load time (relative paths are relative to the config file's directory;
 * one trailing newline is stripped) and its content stored under <key>.
 * Secrets are never logged.
 *
 * Every problem found is reported, not just the first, as "file:line: message".
 * A file that loads is then checked whole by config_reload_check() before
 * cqod -n calls it good or SIGHUP puts it in place of the running one.
 */
#ifndef CQOD_CONFIG_H
#define CQOD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "log.h"

struct config_kv {
	char *key;
	char *value;
	int line;
};

/* A [platform:name] section. */
struct config_instance {
	char *platform;
	char *name;
	int line;              /* line of the section header */
	struct config_kv *kv;
	size_t n_kv;
};

struct config {
	char *path;

	/* [daemon] */
	char *listen;                 /* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80" */
	char *database;               /* SQLite file path */
	char *data_dir;               /* holds regions.csv, cn-workcalendar.csv */
	enum log_level log_level;
	char *console_role;           /* role of the local console operator */
	char *console_scope;          /* region scope when console_role is clerk, else NULL */
	unsigned shutdown_timeout_ms; /* bound on draining in-flight work at exit */

	/* [http] */
	size_t max_header_bytes;
	size_t max_body_bytes;
	unsigned idle_timeout_ms;     /* keep-alive connection with no request */
	unsigned request_timeout_ms;  /* whole request (headers + body) must arrive in this */
	unsigned max_connections;     /* beyond it: 503 and close */
	unsigned max_connections_per_address; /* per client address (http.h) */
	size_t max_body_memory;       /* all request bodies at once (http.h) */
	char *trusted_proxies;        /* addresses/networks whose forwarding headers
	                                 count; NULL = none (netaddr_list_valid) */

	/* [inbox] */
	unsigned dedupe_hours;        /* at least 8 */
	unsigned commit_batch_max;    /* inbound records per group commit */

	/* [outbound]: requests to the platforms' APIs */
	char *ca_file;                /* PEM CA bundle; NULL = the system's */
	unsigned outbound_timeout_ms; /* one whole HTTP exchange */
	unsigned max_in_flight;       /* sends in flight at once (the outbox keeps to it) */

	/* [reminders]: the daily sweep (daemon/scheduler.c) */
	unsigned remind_send_at;      /* minutes after midnight, China Standard Time */
	unsigned remind_catch_up_days; /* after downtime, milestones this far back still go */

	/* [outbox]: delivery of queued messages (daemon/outbox.c); a rate of 0 = no limit */
	unsigned outbox_max_age_hours;        /* failing rows are retried this long, then dead */
	char *outbox_admin_dest;              /* dest_format text told about dead rows; NULL */
	unsigned outbox_robot_per_minute;     /* per group: robots, app group chats, DingTalk */
	unsigned outbox_wecom_app_per_minute; /* WeCom app messages, per member */
	unsigned outbox_wecom_app_per_hour;   /* WeCom app messages, per member, also */
	unsigned outbox_feishu_per_second;    /* Feishu app messages, per chat or user */
	unsigned outbox_feishu_app_per_minute; /* Feishu app messages, per app in all */
	unsigned outbox_feishu_bot_per_minute; /* Feishu custom bot (also feishu_per_second) */

	/* [alliances]: broadcasts to an alliance's groups and members */
	unsigned alliance_confirm_above; /* a 通知 reaching more groups + people asks 确认 */

	struct config_instance *instances;
	size_t n_instances;

	/* Where the file said what it is, for config_reload_check(); 0 = nowhere. */
	int first_line;               /* first section header or key */
	int daemon_line;              /* first [daemon] header */
};

/* One key of an instance section. */
struct config_key_def {
	const char *key;
	bool required;
	bool is_secret;  /* may come from "<key>_file"; never shown in messages */
	bool is_url;     /* must start with http:// or https:// */
	/* A further check of a non-empty value, NULL for none: 0, -EINVAL when
	 * the value is refused (reported as "<key>: <expects>"), -ENOMEM. */
	int (*check)(const char *value);
	const char *expects;   /* with check: what a good value is, in English */
	/* With required: required only when the instance's `mode` is not
	 * "stream" (its long connection needs no webhook secrets). */
	bool webhook_only;
};

/* Keys an instance section may have, at most. */
#define CONFIG_SECTION_KEYS_MAX 16

/* A kind of instance section, [<name>:<instance>]. The loader lives below
 * the platforms, so it learns these as data: each platform's row
 * (messages/platforms.c) carries its sections, and cqod and cqoctl register
 * them once at start. */
struct config_section_def {
	const char *name;
	const struct config_key_def *keys;
	size_t n_keys;        /* 1 .. CONFIG_SECTION_KEYS_MAX */
};

/* Makes defs[0..n) the instance sections config_load accepts, in the order
 * an "unknown platform" message lists them. The array and everything it
 * points to are borrowed for the rest of the process. Until it is called no
 * instance section is known. Returns 0, or -EINVAL (and registers nothing)
 * when a name is empty, contains ':' or comes twice, or a section has no
 * key or more than CONFIG_SECTION_KEYS_MAX. */
int config_sections_register(const struct config_section_def *const *defs, size_t n);

/* The registered section named `name`, or NULL. */
const struct config_section_def *config_section_def_find(const char *name);

/* The registered sections: *defs (borrowed) and the count. */
size_t config_sections(const struct config_section_def *const **defs);

/* A list of "file:line: message" strings; owns them. */
struct config_errors {
	char **msgs;
	size_t n, cap;
};

/* Loads and validates `path`. On success returns 0 and *out (caller frees
 * with config_free). On failure returns -EINVAL (or -ENOENT, -ENOMEM), *out is
 * NULL and `errs` holds every problem found. errs must be zeroed by the caller
 * and released with config_errors_free(). A file that cannot be opened gives
 * the one error "path: cannot open: <reason>" and that -errno (-ENOENT when
 * missing); a read error midway adds "path: cannot read: <reason>" and
 * returns that -errno. */
int config_load(const char *path, struct config **out, struct config_errors *errs);
void config_free(struct config *cfg);
void config_errors_free(struct config_errors *errs);

/* Whether `next`, just loaded by config_load(), may replace `running`, the
 * configuration in use (NULL for cqod -n, where nothing runs). A file can be
 * valid line by line and still hurt: an empty or truncated one brings back
 * every default and drops every webhook instance. Refused are a file with no
 * section or key, one without [daemon], and, against a running configuration,
 * a different listen or database (the listener and the store are opened once,
 * at start) or no platform instance left where some are running. Returns 0,
 * or -EINVAL with the first reason in *why as "file: reason" (caller frees);
 * -ENOMEM with *why NULL. Nothing in a reason is a secret. */
int config_reload_check(const struct config *running, const struct config *next, char **why);

/* A config with every default and no instances (console mode without -c).
 * Caller frees with config_free. NULL on ENOMEM. */
struct config *config_defaults(void);

/* Finds the instance [platform:name]; NULL if absent. */
const struct config_instance *config_instance_find(const struct config *cfg,
                                                   const char *platform, const char *name);
/* Value of `key` in an instance, NULL if absent. Borrowed from the instance. */
const char *config_instance_get(const struct config_instance *inst, const char *key);

#endif
