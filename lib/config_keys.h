/*
 * Internal to the configuration loader; nothing else should include this (use
 * config.h). The loader is split by job:
 *   config.c         reads the file line by line (with inih) and reports errors
 *   config_keys.c    the table of fixed sections and keys, the registered
 *                    instance sections, value checks, defaults
 *   config_secret.c  secrets given as "<key>_file = PATH"
 *   config_data.c    building, freeing and searching struct config
 *   config_reload.c  whether a loaded file may replace the running one
 */
#ifndef CQOD_CONFIG_KEYS_H
#define CQOD_CONFIG_KEYS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* How a key of [daemon], [http], [inbox] or [outbound] is checked and stored. */
enum config_kind {
	CK_PATH,       /* non-empty string */
	CK_UINT,       /* unsigned field, range min..max */
	CK_SIZE,       /* size_t field, range min..max */
	CK_LISTEN,     /* "IPv4:port" or "[IPv6]:port" */
	CK_LOG_LEVEL,  /* enum log_level via log_level_parse() */
	CK_ROLE,       /* admin, clerk, organizer, cqo, guest */
	CK_SCOPE,      /* region code of 2, 4 or 6 digits */
	CK_TIME,       /* "HH:MM", 24-hour clock: unsigned minutes after midnight */
	CK_DEST,       /* a destination as dest_format writes it (messages/platform.h) */
	CK_PROXIES,    /* addresses and networks, as netaddr_list_valid() takes them */
};

struct config_key {
	const char *section;
	const char *key;
	enum config_kind kind;
	size_t offset;                /* of the field in struct config */
	unsigned long long min, max;  /* CK_UINT, CK_SIZE */
	const char *def;              /* default, parsed like a value; NULL = none */
};

/* Bound for the per-load bookkeeping arrays in config.c; config_keys.c
 * asserts the table fits. */
#define CONFIG_KEYS_MAX 32

/* Room for one escaped value in a message (longer ones are cut with "..."). */
#define CONFIG_ESC_MAX 256

extern const struct config_key config_keys[];
extern const size_t config_n_keys;

/* The table's spelling of a fixed section name ("daemon", ...), or NULL. */
const char *config_section_find(const char *name);
const struct config_key *config_key_find(const char *section, const char *key);
/* The registered section names, "generic, wecom, ...", into buf (truncated
 * to fit). */
void config_platform_names(char *buf, size_t len);
/* Index into sec->keys of the first key_len bytes of key, or -1. */
int config_platform_key_find(const struct config_section_def *sec, const char *key,
                             size_t key_len);
/* [A-Za-z0-9_-]{1,32}: it becomes part of the URL path /webhook/<platform>/<name>. */
bool config_instance_name_valid(const char *name);

/* Checks `value` and stores it in cfg's field (strings are copied; the old
 * one is freed). On a bad value returns -EINVAL and sets *why to what was
 * expected, e.g. "expected an integer from 1 to 100000" (caller frees).
 * -ENOMEM with *why NULL. */
int config_key_apply(struct config *cfg, const struct config_key *k, const char *value,
                     char **why);

/* Checks an instance value; same contract as config_key_apply. For secret
 * keys *why never contains the value. */
int config_platform_value_check(const struct config_key_def *k, const char *value, char **why);

/* Reads a secret file. A relative path is taken from `dir` (the config file's
 * directory) and, if not there, from $CREDENTIALS_DIRECTORY (systemd's
 * LoadCredential=). One trailing "\n" or "\r\n" is stripped; the rest must be
 * 1..4096 bytes without NUL. On success *out is the content (caller frees,
 * after wiping). On failure returns a negative errno and *why (caller frees)
 * names the path tried, never the content; -ENOMEM may leave *why NULL. */
int config_secret_read(const char *dir, const char *path, char **out, char **why);

/* Builds a message like config_printf(), stores it in *why (caller frees) and
 * returns -EINVAL; -ENOMEM (with *why NULL) if it cannot. */
int config_fail(char **why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends to in->kv, taking ownership of value (wiped and freed on failure).
 * 0 or -ENOMEM. */
int config_kv_add(struct config_instance *in, const char *key, char *value, int line);
/* Appends an instance with no keys; on -ENOMEM it may be partly filled but is
 * still freed by config_free(). */
int config_instance_add(struct config *cfg, const char *platform, const char *name, int line);
/* Zeroes a string (it may be a secret) and frees it; NULL is fine. */
void config_wipe_free(char *s);

/* asprintf() equivalents: a new string (caller frees), NULL on ENOMEM. */
char *config_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *config_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Copies s into buf with '"', '\' and control bytes escaped, so a value from
 * the file cannot garble a terminal or a log line. Returns buf. */
const char *config_escape(const char *s, char *buf, size_t len);

#endif
