/*
 * Destinations: the text form the outbox stores
 * ("platform|instance|kind|expires|target"). See platform.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

static const char *const kind_names[] = {"user", "chat", "robot", "session", "reply", "card"};
#define N_KINDS (sizeof kind_names / sizeof kind_names[0])

/* The platforms' table says which names a destination may carry. */
static bool (*platform_known)(const char *platform);

void dest_platforms_register(bool (*known)(const char *platform))
{
	platform_known = known;
}

static bool platform_valid(const char *p)
{
	return platform_known && platform_known(p);
}

/* Config instance names: [A-Za-z0-9_-]{1,32}. */
static bool instance_valid(const char *s, size_t n)
{
	if (n < 1 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static bool dest_valid(const struct dest *d)
{
	size_t tlen = strnlen(d->target, sizeof d->target);

	return platform_valid(d->platform) &&
	       instance_valid(d->instance, strnlen(d->instance, sizeof d->instance)) &&
	       (unsigned)d->kind < N_KINDS && d->expires_at >= 0 && tlen < sizeof d->target &&
	       (tlen > 0) == (d->kind != DEST_ROBOT);
}

int dest_format(const struct dest *d, char *buf, size_t len)
{
	int n;

	if (!dest_valid(d))
		return -EINVAL;
	n = snprintf(buf, len, "%s|%s|%s|%" PRId64 "|%s", d->platform, d->instance,
	             kind_names[d->kind], d->expires_at, d->target);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return 0;
}

/* Copies the field ending at the next '|' into dst (size cap); advances *s. */
static int field(const char **s, char *dst, size_t cap)
{
	const char *bar = strchr(*s, '|');
	size_t n;

	if (!bar)
		return -EINVAL;
	n = (size_t)(bar - *s);
	if (n >= cap)
		return -EINVAL;
	memcpy(dst, *s, n);
	dst[n] = '\0';
	*s = bar + 1;
	return 0;
}

int dest_parse(const char *s, struct dest *out)
{
	char kind[16], expires[24];
	struct dest d;
	size_t tlen;
	char *end;

	memset(&d, 0, sizeof d);
	if (field(&s, d.platform, sizeof d.platform) < 0 ||
	    field(&s, d.instance, sizeof d.instance) < 0 || field(&s, kind, sizeof kind) < 0 ||
	    field(&s, expires, sizeof expires) < 0)
		return -EINVAL;
	for (d.kind = 0; (size_t)d.kind < N_KINDS; d.kind++)
		if (strcmp(kind, kind_names[d.kind]) == 0)
			break;
	if (expires[0] < '0' || expires[0] > '9')
		return -EINVAL;
	errno = 0;
	d.expires_at = (int64_t)strtoll(expires, &end, 10);
	if (errno || *end)
		return -EINVAL;
	tlen = strlen(s);
	if (tlen >= sizeof d.target)
		return -EINVAL;
	memcpy(d.target, s, tlen + 1);
	if (!dest_valid(&d))
		return -EINVAL;
	*out = d;
	return 0;
}

int dest_fill(struct dest *out, const struct chat_msg *msg, enum dest_kind kind,
              const char *target)
{
	memset(out, 0, sizeof *out);
	if (!msg->platform || !msg->instance || !target || !*target ||
	    strlen(msg->platform) >= sizeof out->platform || strlen(target) >= sizeof out->target ||
	    strlen(msg->instance) >= sizeof out->instance)
		return -EINVAL;
	snprintf(out->platform, sizeof out->platform, "%s", msg->platform);
	snprintf(out->instance, sizeof out->instance, "%s", msg->instance);
	snprintf(out->target, sizeof out->target, "%s", target);
	out->kind = kind;
	return dest_valid(out) ? 0 : -EINVAL;
}
