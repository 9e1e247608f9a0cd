/*
 * The platforms, each described once: its codec row. Everything above
 * messages/ that needs to know what a platform can do asks its row
 * (platform_find) or walks the table instead of comparing names; the daemon
 * adds a transport row per platform (daemon/transports.h) for what takes
 * I/O.
 *
 * The rows and the table are static data; nothing here is freed.
 */
#ifndef CQOD_PLATFORMS_H
#define CQOD_PLATFORMS_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/chat.h"
#include "../lib/config.h"
#include "../lib/platform.h"
#include "../lib/reply.h"

/* Where the tenant of a message through an instance comes from (chat.h
 * says what a tenant is). */
enum platform_tenant {
	TENANT_FROM_MESSAGE = 0,   /* only the signed message says it (Feishu's tenant_key) */
	TENANT_FROM_KEY = 1,       /* the instance's `tenant_key` value, when set (corp_id) */
	TENANT_FROM_INSTANCE = 2,  /* the instance's own name (generic) */
	TENANT_FIXED = 3,          /* always `fixed_tenant` (the console) */
};

struct platform_codec {
	/* chat_msg.platform, dest.platform, the section [<name>:<instance>]
	 * and the webhook path /webhook/<name>/<instance>. */
	const char *name;
	/* The instance section and its keys; NULL when the platform has no
	 * instances (the console). */
	const struct config_section_def *section;
	/* The send-only group robot section ([wecom_robot:NAME], ...): its
	 * instances are DEST_ROBOT destinations of this platform; NULL: none. */
	const struct config_section_def *robot_section;
	/* User-facing words for a group chat and a group robot of the
	 * platform (messages/text.h); NULL when it has no groups to push to. */
	const char *group_word, *robot_word;
	/* The app can push only to group chats it created itself (WeCom's
	 * appchat/send; any other chat id fails every send). cqod creates
	 * none and cannot tell which ids those are, so 订阅 takes no group
	 * chat of the platform by id. */
	bool app_chats_only;

	enum platform_tenant tenant;
	const char *tenant_key;    /* TENANT_FROM_KEY */
	const char *fixed_tenant;  /* TENANT_FIXED; also the sender's whole conversation */

	/* The destination that answers msg out of band (replies that do not
	 * travel in the HTTP answer, and messages the daemon starts); NULL
	 * when the platform has none, as dest_for_reply says. A platform with
	 * reply_dest renders (`render`) and has a sender in its transport row. */
	int (*reply_dest)(const struct chat_msg *msg, struct dest *out);
	/* The destination a file for msg's sender goes to (an app message
	 * the file message API takes: not a session webhook or a reply); NULL
	 * when the platform takes no files (generic, the intelligent robot),
	 * as dest_for_file says. */
	int (*file_dest)(const struct chat_msg *msg, struct dest *out);
	/* The destination of an answer with actions, where the platform's
	 * cards take another path than reply_dest (DingTalk's interactive
	 * cards: not the session webhook); NULL: reply_dest, as
	 * dest_for_actions says. */
	int (*card_dest)(const struct chat_msg *msg, struct dest *out);
	/* render_message for a destination of this platform (platform.h). */
	int (*render)(const struct dest *d, const struct reply *r, const char *idem_key,
	              struct rendered *out);
};

/*
 * Adding a platform: one codec file in messages/ (decode, verify, render,
 * reply_dest, key checks) plus one row here (platform_codecs, in
 * platforms.c), and one transport file in daemon/ plus one row in
 * daemon/transports.c. Nothing else names a platform.
 */
extern const struct platform_codec platform_generic, platform_wecom, platform_dingtalk,
	platform_feishu, platform_wecom_aibot, platform_console;

/* Every codec row, in the order the configuration lists their sections. */
extern const struct platform_codec *const platform_codecs[];
extern const size_t platform_n_codecs;

/* The row named `name`; NULL when there is none (or name is NULL). */
const struct platform_codec *platform_find(const char *name);

/* The row whose instance or robot section is named `section`; *robot
 * (may be NULL) says which of the two. NULL when none. */
const struct platform_codec *platform_find_section(const char *section, bool *robot);

/* Whether `name` is a platform the daemon can reach out of band: it has
 * destinations (reply_dest, render and a sender). */
bool platform_has_dest(const char *name);

/* Registers with lib/ what it learns as data: the instance sections with
 * their keys (config_sections_register, every row's instance section, then
 * every robot section) and the platforms a destination may name
 * (dest_platforms_register). cqod and cqoctl call it first thing; 0 or
 * -EINVAL (a table is malformed). */
int platforms_register(void);

/* The destination that answers `msg`, by its platform's reply_dest (the
 * rules are at each platform's function: WeCom: DEST_USER sender_id.
 * DingTalk: DEST_SESSION reply_handle while more than a minute is left
 * before reply_handle_expires, else DEST_USER sender_id (private) or
 * DEST_CHAT chat_id (group). Feishu: DEST_REPLY reply_handle (the message
 * id) when set, else DEST_CHAT chat_id). -ENOTSUP for platforms without an
 * out-of-band path (generic, console); -EINVAL when a needed field is
 * missing or too long. */
int dest_for_reply(const struct chat_msg *msg, struct dest *out);

/* Where a file asked for by `msg` is sent, by its platform's file_dest
 * (WeCom: DEST_USER sender_id; DingTalk: DEST_USER sender_id in a private
 * chat, else DEST_CHAT chat_id; Feishu: DEST_CHAT chat_id; the console: the
 * operator). -ENOTSUP for platforms that take no files; -EINVAL when a
 * needed field is missing or too long. */
int dest_for_file(const struct chat_msg *msg, struct dest *out);

/* Where an answer to `msg` that offers actions goes: its platform's
 * card_dest (DingTalk with a card template: DEST_USER sender_id in a
 * private chat, else DEST_CHAT chat_id), else dest_for_reply. */
int dest_for_actions(const struct chat_msg *msg, struct dest *out);

#endif
