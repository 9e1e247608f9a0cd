/*
 * The platform-neutral inbound message. Every adapter (generic, console, and the
 * chat platforms) decodes its wire format into one of these; handlers never see
 * platform JSON or XML.
 *
 * Ownership: every string is borrowed from the adapter and valid only for the
 * duration of the call it is passed to. Copy what must outlive the call.
 */
#ifndef CQOD_CHAT_H
#define CQOD_CHAT_H

#include <stdint.h>

enum chat_kind {
	CHAT_PRIVATE = 0,
	CHAT_GROUP = 1,
};

struct chat_msg {
	const char *platform;    /* "generic", "console", "wecom", ... */
	const char *instance;    /* config section name, e.g. "ci" for [generic:ci] */
	const char *chat_id;     /* conversation the reply belongs in */
	enum chat_kind kind;
	/* Who sent it is (platform, tenant, sender_id): the tenant is the
	 * organisation the platform vouches for in the signed message (WeCom:
	 * the instance's corp_id the ciphertext was checked against; DingTalk:
	 * senderCorpId, else the instance's corp_id, else "@<instance>";
	 * Feishu: header.tenant_key; generic: the instance name; console:
	 * "console"). Two tenants never share an identity. */
	const char *tenant;
	const char *sender_id;   /* platform user id, unique within the tenant */
	const char *sender_name; /* display name, may be "" */
	const char *text;        /* command text, bot mentions already stripped */
	const char *msg_id;      /* platform message id; NULL when there is none */
	int64_t received_at;     /* unix seconds */
	uint64_t request_id;     /* ties the log lines of one request together */
	/* How to answer on platforms that answer out of band: DingTalk's
	 * sessionWebhook URL, Feishu's message id (reply API); NULL otherwise. */
	const char *reply_handle;
	int64_t reply_handle_expires;   /* unix seconds; 0 = no expiry */
};

#endif
