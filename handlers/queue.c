/* 队列 / queue (admins): the outbox at a glance: how many messages wait,
 * how long the oldest due one has waited, how many were given up. */
#include <stdio.h>

#include "../store/store_outbox.h"
#include "text/outbox.h"
#include "handler.h"
#include "timefmt.h"

/* "3 分钟" and the like: the coarsest unit that still says something. */
static void format_wait(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, len, TXT_WAIT_SECONDS, (long long)s);
	else if (s < 3600)
		snprintf(buf, len, TXT_WAIT_MINUTES, (long long)(s / 60));
	else if (s < 86400)
		snprintf(buf, len, TXT_WAIT_HOURS, (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		snprintf(buf, len, TXT_WAIT_DAYS, (long long)(s / 86400), (long long)(s % 86400 / 3600));
}

static int queue_run(struct cmd_ctx *ctx)
{
	struct store_outbox_stats s;
	struct reply *r = ctx->reply;
	char due[20], waited[48];

	if (store_outbox_stats(ctx->store, ctx->now, &s) < 0)
		return HANDLER_ERROR;
	reply_set_title(r, TXT_QUEUE_TITLE);
	reply_add_field(r, TXT_QUEUE_DEPTH, TXT_QUEUE_DEPTH_VALUE, (long long)(s.pending + s.inflight),
	                (long long)s.inflight);
	if (s.oldest_due) {
		timefmt_cst_minute(s.oldest_due, due, sizeof due);
		format_wait(ctx->now - s.oldest_due, waited, sizeof waited);
		reply_add_field(r, TXT_QUEUE_OLDEST, TXT_QUEUE_OLDEST_VALUE, due, waited);
	} else {
		reply_add_field(r, TXT_QUEUE_OLDEST, "%s", TXT_QUEUE_NONE_DUE);
	}
	reply_add_field(r, TXT_QUEUE_DEAD, TXT_QUEUE_COUNT, (long long)s.dead);
	if (s.dead)
		reply_add_line(r, "%s", TXT_QUEUE_DEAD_HINT);
	return HANDLER_OK;
}

static const char *const queue_aliases[] = {"queue", NULL};

const struct handler_entry handler_queue = {
	.name = TXT_QUEUE_NAME,
	.aliases = queue_aliases,
	.roles = ROLE_BIT(ROLE_ADMIN),
	.usage = TXT_QUEUE_USAGE,
	.help = TXT_QUEUE_HELP,
	.run = queue_run,
};
