/*
 * 订阅 and 退订: which groups receive an alliance's events and notices.
 *
 *   订阅 <联盟> [名称]                            typed in the group itself by the
 *                                                 alliance's organizer (or an admin)
 *   订阅 <联盟> 机器人 <平台>:<实例> [名称]        a send-only group robot configured as
 *                                                 [wecom_robot:实例], [dingtalk_robot:实例]
 *                                                 or [feishu_bot:实例] (admin)
 *   订阅 <联盟> 群 <平台>:<实例> <群ID> [名称]     an app group chat named by its id, for
 *                                                 groups where the bot cannot be asked
 *                                                 (admin); not WeCom's: its app reaches
 *                                                 only chats it created, which cqod does
 *                                                 not (platform_codec.app_chats_only)
 *   退订 … with the same forms, without the name (a WeCom chat by id too, as
 *   subscribed before that rule).
 *
 * The name only labels the group in delivery reports. Robots and chat ids
 * are the server's configuration, so only admins name them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/config.h"
#include "../store/store_audit.h"
#include "../store/store_subscription.h"
#include "../messages/platforms.h"
#include "text/alliance.h"
#include "alliance_ref.h"
#include "argtext.h"

#define LABEL_MAX 30   /* characters */

/* Fills d from "<platform>:<instance>" naming a configured robot (robot)
 * or app instance; false after saying what is wrong. The word before the
 * colon is a platform that can be pushed to, or its robot section: either
 * way the robot is looked up in the robot section, the app instance in the
 * section the word names. */
static bool parse_instance(struct cmd_ctx *ctx, const char *spec, bool robot, struct dest *d)
{
	const char *colon = strchr(spec, ':');
	const struct platform_codec *p = NULL;
	const char *section = NULL;
	char word[64];

	memset(d, 0, sizeof *d);
	if (colon && (size_t)(colon - spec) < sizeof word) {
		memcpy(word, spec, (size_t)(colon - spec));
		word[colon - spec] = '\0';
		p = platform_find(word);
		if (!p)
			p = platform_find_section(word, NULL);
	}
	if (p && p->robot_section && platform_has_dest(p->name))
		section = robot ? p->robot_section->name : word;
	if (section && config_instance_find(ctx->cfg, section, colon + 1) &&
	    strlen(colon + 1) < sizeof d->instance) {
		snprintf(d->platform, sizeof d->platform, "%s", p->name);
		snprintf(d->instance, sizeof d->instance, "%s", colon + 1);
		d->kind = robot ? DEST_ROBOT : DEST_CHAT;
		return true;
	}
	reply_add_line(ctx->reply, robot ? TXT_SUB_NO_ROBOT : TXT_SUB_NO_INSTANCE, spec);
	return false;
}

/* The group this message came from; false after saying why it cannot be. */
static bool this_group(struct cmd_ctx *ctx, struct dest *d)
{
	const struct chat_msg *m = ctx->msg;

	memset(d, 0, sizeof *d);
	if (m->kind != CHAT_GROUP) {
		reply_add_line(ctx->reply, TXT_SUB_IN_GROUP);
		return false;
	}
	if (!platform_has_dest(m->platform)) {
		reply_add_line(ctx->reply, TXT_SUB_NO_PUSH);
		return false;
	}
	if (!m->instance || !m->chat_id || strlen(m->instance) >= sizeof d->instance ||
	    !m->chat_id[0] || strlen(m->chat_id) >= sizeof d->target) {
		reply_add_line(ctx->reply, TXT_SUB_NO_PUSH);
		return false;
	}
	snprintf(d->platform, sizeof d->platform, "%s", m->platform);
	snprintf(d->instance, sizeof d->instance, "%s", m->instance);
	snprintf(d->target, sizeof d->target, "%s", m->chat_id);
	d->kind = DEST_CHAT;
	return true;
}

/* Reads the group after the alliance: this chat, a robot or a chat by id
 * (to subscribe: one the platform's app can reach). *label_at is the index
 * of the name argument. Returns 0, HANDLER_USAGE, HANDLER_DENIED or
 * ALLIANCE_REF_REPLIED (a refusal was replied). */
static int parse_group(struct cmd_ctx *ctx, bool subscribe, struct dest *d, int *label_at)
{
	const struct args *a = ctx->args;
	bool robot = a->argc >= 3 && strcmp(a->argv[2], TXT_SUB_WORD_ROBOT) == 0;
	bool chat = a->argc >= 3 && strcmp(a->argv[2], TXT_SUB_WORD_CHAT) == 0;

	if (!robot && !chat) {
		*label_at = 2;
		if (!this_group(ctx, d)) {
			ctx->reply->is_error = true;
			return ALLIANCE_REF_REPLIED;
		}
		return 0;
	}
	if (ctx->who->role != ROLE_ADMIN) {
		reply_add_line(ctx->reply, TXT_SUB_ADMIN_ONLY);
		return HANDLER_DENIED;
	}
	if (a->argc < (robot ? 4 : 5))
		return HANDLER_USAGE;
	if (!parse_instance(ctx, a->argv[3], robot, d))
		return HANDLER_USAGE;
	*label_at = robot ? 4 : 5;
	if (chat && subscribe && platform_find(d->platform)->app_chats_only) {
		reply_add_line(ctx->reply, TXT_SUB_APP_CHAT_ONLY);
		ctx->reply->is_error = true;
		return ALLIANCE_REF_REPLIED;
	}
	if (chat) {
		if (strlen(a->argv[4]) >= sizeof d->target) {
			reply_add_line(ctx->reply, TXT_SUB_CHAT_LONG);
			return HANDLER_USAGE;
		}
		snprintf(d->target, sizeof d->target, "%s", a->argv[4]);
	}
	return 0;
}

static int subscription_run(struct cmd_ctx *ctx, bool subscribe)
{
	const struct args *a = ctx->args;
	struct store_alliance al;
	struct store_actor actor;
	const char *label = "";
	char name[640];
	struct dest d;
	int label_at, rc;
	int64_t id;

	if ((rc = alliance_ref_manage(ctx, a->argv[1], &al)) != 0)
		return alliance_ref_done(rc);
	if ((rc = parse_group(ctx, subscribe, &d, &label_at)) != 0)
		return alliance_ref_done(rc);
	if (a->argc > label_at + (subscribe ? 1 : 0))
		return HANDLER_USAGE;
	if (subscribe && a->argc == label_at + 1) {
		label = a->argv[label_at];
		if (argtext_chars(label) > LABEL_MAX) {
			reply_add_line(ctx->reply, TXT_SUB_LABEL_LONG, LABEL_MAX);
			return HANDLER_USAGE;
		}
	}
	handler_actor(ctx, &actor);
	rc = subscribe ? store_subscription_add(ctx->store, &actor, al.id, &d, label, ctx->now, &id)
	               : store_subscription_remove(ctx->store, &actor, al.id, &d);
	alliance_ref_group_name(&d, label, name, sizeof name);
	if (rc == -EEXIST || rc == -ENOENT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, subscribe ? TXT_SUB_ALREADY : TXT_SUB_NOT, name,
		               al.name);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, subscribe ? TXT_SUB_DONE : TXT_UNSUB_DONE, name, al.name);
	return HANDLER_OK;
}

static int subscribe_run(struct cmd_ctx *ctx)
{
	return subscription_run(ctx, true);
}

static int unsubscribe_run(struct cmd_ctx *ctx)
{
	return subscription_run(ctx, false);
}

static const char *const subscribe_aliases[] = {"subscribe", NULL};
static const char *const unsubscribe_aliases[] = {"unsubscribe", NULL};

const struct handler_entry handler_subscribe = {
	.name = TXT_SUB_NAME,
	.aliases = subscribe_aliases,
	.roles = ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ORGANIZER),
	.usage = TXT_SUB_USAGE,
	.help = TXT_SUB_HELP,
	.run = subscribe_run,
	.min_args = 1,
	.max_args = 5,
	.writes = true,
};

const struct handler_entry handler_unsubscribe = {
	.name = TXT_UNSUB_NAME,
	.aliases = unsubscribe_aliases,
	.roles = ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ORGANIZER),
	.usage = TXT_UNSUB_USAGE,
	.help = TXT_UNSUB_HELP,
	.run = unsubscribe_run,
	.min_args = 1,
	.max_args = 4,
	.writes = true,
};
