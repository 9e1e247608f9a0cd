/*
 * What cqod.conf may contain: the keys of [daemon], [http], [inbox] and
 * [outbound] with their defaults and ranges, the instance sections the
 * platforms registered, and the checks that turn values into struct config
 * fields; also the message helpers the other config_*.c files share.
 * Line-level parsing lives in config.c.
 */
#include "config_keys.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "netaddr.h"

#define FIELD(f) offsetof(struct config, f)

/* Defaults go through config_key_apply() like file values, so a default can
 * never be something the file itself could not say. */
const struct config_key config_keys[] = {
	{"daemon", "listen", CK_LISTEN, FIELD(listen), 0, 0, "127.0.0.1:8080"},
	{"daemon", "database", CK_PATH, FIELD(database), 0, 0, "/var/lib/cqod/cqod.db"},
	{"daemon", "data_dir", CK_PATH, FIELD(data_dir), 0, 0, "/usr/share/cqod"},
	{"daemon", "log_level", CK_LOG_LEVEL, FIELD(log_level), 0, 0, "info"},
	{"daemon", "console_role", CK_ROLE, FIELD(console_role), 0, 0, "admin"},
	{"daemon", "console_scope", CK_SCOPE, FIELD(console_scope), 0, 0, NULL},
	{"daemon", "shutdown_timeout_ms", CK_UINT, FIELD(shutdown_timeout_ms), 100, 600000, "5000"},
	{"http", "max_header_bytes", CK_SIZE, FIELD(max_header_bytes), 1024, 1048576, "8192"},
	{"http", "max_body_bytes", CK_SIZE, FIELD(max_body_bytes), 1024, 67108864, "1048576"},
	{"http", "idle_timeout_ms", CK_UINT, FIELD(idle_timeout_ms), 100, 3600000, "30000"},
	{"http", "request_timeout_ms", CK_UINT, FIELD(request_timeout_ms), 100, 600000, "10000"},
	{"http", "max_connections", CK_UINT, FIELD(max_connections), 1, 100000, "1024"},
	{"http", "max_connections_per_address", CK_UINT, FIELD(max_connections_per_address), 1,
	 100000, "64"},
	/* More than max_body_bytes (config.c checks): the largest body must fit. */
	{"http", "max_body_memory", CK_SIZE, FIELD(max_body_memory), 2048, 68719476736ULL,
	 "33554432"},
	{"http", "trusted_proxies", CK_PROXIES, FIELD(trusted_proxies), 0, 0, NULL},
	/* At least 8 hours: Feishu retries an undelivered event for up to 7.1 h. */
	{"inbox", "dedupe_hours", CK_UINT, FIELD(dedupe_hours), 8, 720, "8"},
	{"inbox", "commit_batch_max", CK_UINT, FIELD(commit_batch_max), 1, 10000, "256"},
	{"outbound", "ca_file", CK_PATH, FIELD(ca_file), 0, 0, NULL},
	{"outbound", "timeout_ms", CK_UINT, FIELD(outbound_timeout_ms), 100, 600000, "10000"},
	{"outbound", "max_in_flight", CK_UINT, FIELD(max_in_flight), 1, 1024, "16"},
	{"reminders", "send_at", CK_TIME, FIELD(remind_send_at), 0, 0, "09:00"},
	{"reminders", "catch_up_days", CK_UINT, FIELD(remind_catch_up_days), 1, 366, "31"},
	/* Rate limits: 0 turns one off (tests and benchmarks against fakes). */
	{"outbox", "max_age_hours", CK_UINT, FIELD(outbox_max_age_hours), 1, 720, "24"},
	{"outbox", "admin_dest", CK_DEST, FIELD(outbox_admin_dest), 0, 0, NULL},
	{"outbox", "robot_per_minute", CK_UINT, FIELD(outbox_robot_per_minute), 0, 60000, "20"},
	{"outbox", "wecom_app_per_minute", CK_UINT, FIELD(outbox_wecom_app_per_minute), 0, 60000,
	 "30"},
	{"outbox", "wecom_app_per_hour", CK_UINT, FIELD(outbox_wecom_app_per_hour), 0, 3600000,
	 "1000"},
	{"outbox", "feishu_per_second", CK_UINT, FIELD(outbox_feishu_per_second), 0, 1000, "5"},
	{"outbox", "feishu_app_per_minute", CK_UINT, FIELD(outbox_feishu_app_per_minute), 0, 60000,
	 "1000"},
	{"outbox", "feishu_bot_per_minute", CK_UINT, FIELD(outbox_feishu_bot_per_minute), 0, 60000,
	 "100"},
	{"alliances", "confirm_above", CK_UINT, FIELD(alliance_confirm_above), 0, 1000000, "20"},
};
const size_t config_n_keys = sizeof config_keys / sizeof config_keys[0];
_Static_assert(sizeof config_keys / sizeof config_keys[0] <= CONFIG_KEYS_MAX,
               "raise CONFIG_KEYS_MAX");

/* The instance sections, as the platforms' rows give them. */
static const struct config_section_def *const *sections;
static size_t n_sections;

int config_sections_register(const struct config_section_def *const *defs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct config_section_def *d = defs[i];

		if (!d->name[0] || strchr(d->name, ':') || d->n_keys < 1 ||
		    d->n_keys > CONFIG_SECTION_KEYS_MAX)
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (strcmp(defs[j]->name, d->name) == 0)
				return -EINVAL;
	}
	sections = defs;
	n_sections = n;
	return 0;
}

const struct config_section_def *config_section_def_find(const char *name)
{
	for (size_t i = 0; i < n_sections; i++)
		if (strcmp(sections[i]->name, name) == 0)
			return sections[i];
	return NULL;
}

size_t config_sections(const struct config_section_def *const **defs)
{
	*defs = sections;
	return n_sections;
}

static const char *const roles[] = {"admin", "clerk", "organizer", "cqo", "guest"};

char *config_vprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	char *s;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *config_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = config_vprintf(fmt, ap);
	va_end(ap);
	return s;
}

const char *config_escape(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	if (len < 4) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char tmp[5];
		size_t n;

		if (c == '"' || c == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)c;
			n = 2;
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(tmp, sizeof tmp, "\\x%02x", c);
			n = 4;
		} else {
			tmp[0] = (char)c;
			n = 1;
		}
		/* Keep room for "..." and the NUL. */
		if (o + n + 4 > len) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, tmp, n);
		o += n;
	}
	buf[o] = '\0';
	return buf;
}

int config_fail(char **why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*why = config_vprintf(fmt, ap);
	va_end(ap);
	return *why ? -EINVAL : -ENOMEM;
}

/* Strict: digits only (no sign, space or base prefix), whole string, range. */
static int parse_uint(const char *s, unsigned long long min, unsigned long long max,
                      unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "HH:MM" (one or two digits of hours, two of minutes) into minutes after
 * midnight. */
static int parse_time(const char *s, unsigned long long *out)
{
	unsigned long long h, m;
	const char *colon = strchr(s, ':');
	char hours[3];

	if (!colon || colon - s < 1 || colon - s > 2 || strlen(colon + 1) != 2)
		return -EINVAL;
	memcpy(hours, s, (size_t)(colon - s));
	hours[colon - s] = '\0';
	if (parse_uint(hours, 0, 23, &h) < 0 || parse_uint(colon + 1, 0, 59, &m) < 0)
		return -EINVAL;
	*out = h * 60 + m;
	return 0;
}

/* Numeric addresses only: the HTTP server binds with uv_ip4_addr/uv_ip6_addr
 * and does no name resolution. */
static bool listen_valid(const char *s)
{
	char host[INET6_ADDRSTRLEN];
	unsigned char addr[sizeof(struct in6_addr)];
	const char *h, *port;
	unsigned long long v;
	size_t n;
	int af;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return false;
		h = s + 1;
		n = (size_t)(close - h);
		port = close + 2;
		af = AF_INET6;
	} else {
		const char *colon = strchr(s, ':');

		if (!colon)
			return false;
		h = s;
		n = (size_t)(colon - s);
		port = colon + 1;
		af = AF_INET;
	}
	if (n == 0 || n >= sizeof host)
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	if (inet_pton(af, host, addr) != 1)
		return false;
	return parse_uint(port, 0, 65535, &v) == 0;
}

static bool scope_valid(const char *s)
{
	size_t n = strlen(s);

	if (n != 2 && n != 4 && n != 6)
		return false;
	return strspn(s, "0123456789") == n;
}

static bool role_valid(const char *s)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(s, roles[i]) == 0)
			return true;
	return false;
}

static int set_string(char **field, const char *value)
{
	char *s = strdup(value);

	if (!s)
		return -ENOMEM;
	free(*field);
	*field = s;
	return 0;
}

int config_key_apply(struct config *cfg, const struct config_key *k, const char *value,
                     char **why)
{
	void *field = (char *)cfg + k->offset;
	unsigned long long v;
	enum log_level level;
	struct dest dest;

	*why = NULL;
	switch (k->kind) {
	case CK_UINT:
	case CK_SIZE:
		if (parse_uint(value, k->min, k->max, &v) < 0)
			return config_fail(why, "expected an integer from %llu to %llu", k->min, k->max);
		if (k->kind == CK_UINT)
			*(unsigned *)field = (unsigned)v;
		else
			*(size_t *)field = (size_t)v;
		return 0;
	case CK_LOG_LEVEL:
		if (log_level_parse(value, &level) < 0)
			return config_fail(why, "expected one of error, warn, info, debug");
		*(enum log_level *)field = level;
		return 0;
	case CK_PATH:
		if (!*value)
			return config_fail(why, "expected a path");
		break;
	case CK_LISTEN:
		if (!listen_valid(value))
			return config_fail(why, "expected \"IPv4:port\" or \"[IPv6]:port\" with a numeric "
			                 "address and a port from 0 to 65535");
		break;
	case CK_ROLE:
		if (!role_valid(value))
			return config_fail(why, "expected one of admin, clerk, organizer, cqo, guest");
		break;
	case CK_SCOPE:
		if (!scope_valid(value))
			return config_fail(why, "expected a region code of 2, 4 or 6 digits");
		break;
	case CK_TIME:
		if (parse_time(value, &v) < 0)
			return config_fail(why, "expected a time of day as HH:MM, from 00:00 to 23:59");
		*(unsigned *)field = (unsigned)v;
		return 0;
	case CK_PROXIES:
		if (!netaddr_list_valid(value))
			return config_fail(why, "expected IPv4 or IPv6 addresses or networks "
			                   "such as 127.0.0.1, ::1 or 10.0.0.0/8, separated by "
			                   "commas or spaces");
		break;
	case CK_DEST:
		if (dest_parse(value, &dest) < 0)
			return config_fail(why, "expected a destination \"platform|instance|kind|0|target\""
			                        " (kind user, chat or robot; target empty for a robot)");
		break;
	}
	return set_string((char **)field, value);
}

int config_platform_value_check(const struct config_key_def *k, const char *value, char **why)
{
	int rc;

	*why = NULL;
	if (!*value)
		return config_fail(why, "must not be empty");
	if (k->is_url && strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0)
		return config_fail(why, "expected an http:// or https:// URL");
	if (!k->check)
		return 0;
	rc = k->check(value);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0)
		return config_fail(why, "%s", k->expects ? k->expects : "expected another value");
	return 0;
}

const char *config_section_find(const char *name)
{
	for (size_t i = 0; i < config_n_keys; i++)
		if (strcmp(config_keys[i].section, name) == 0)
			return config_keys[i].section;
	return NULL;
}

const struct config_key *config_key_find(const char *section, const char *key)
{
	for (size_t i = 0; i < config_n_keys; i++)
		if (strcmp(config_keys[i].section, section) == 0 &&
		    strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
	return NULL;
}

void config_platform_names(char *buf, size_t len)
{
	size_t o = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < n_sections; i++) {
		int n = snprintf(buf + o, len - o, "%s%s", o ? ", " : "", sections[i]->name);

		if (n < 0 || (size_t)n >= len - o)
			return;
		o += (size_t)n;
	}
}

int config_platform_key_find(const struct config_section_def *sec, const char *key,
                             size_t key_len)
{
	for (size_t i = 0; i < sec->n_keys; i++) {
		const struct config_key_def *k = &sec->keys[i];

		if (strlen(k->key) == key_len && memcmp(k->key, key, key_len) == 0)
			return (int)i;
	}
	return -1;
}

bool config_instance_name_valid(const char *name)
{
	size_t n = strlen(name);

	return n >= 1 && n <= 32 &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

struct config *config_defaults(void)
{
	struct config *cfg = calloc(1, sizeof *cfg);

	if (!cfg)
		return NULL;
	for (size_t i = 0; i < config_n_keys; i++) {
		char *why;

		if (!config_keys[i].def)
			continue;
		if (config_key_apply(cfg, &config_keys[i], config_keys[i].def, &why) < 0) {
			free(why);
			config_free(cfg);
			return NULL;
		}
	}
	return cfg;
}
