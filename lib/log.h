/*
 * Logging to stderr with a small vocabulary. When stderr is the systemd journal
 * (JOURNAL_STREAM names stderr's device:inode) each line carries a syslog
 * priority prefix (<3> error ... <7> debug) and no timestamp, since the journal
 * adds its own; otherwise lines start with an ISO-8601 UTC timestamp and level.
 *
 * Never pass secrets or message text to these functions.
 */
#ifndef CQOD_LOG_H
#define CQOD_LOG_H

enum log_level {
	LOG_LEVEL_ERROR = 3,
	LOG_LEVEL_WARN = 4,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

/* Detects the journal and sets the threshold. Safe to call again (SIGHUP). */
void log_init(enum log_level level);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Parses "error", "warn", "info", "debug"; returns 0 or -EINVAL. */
int log_level_parse(const char *name, enum log_level *out);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
