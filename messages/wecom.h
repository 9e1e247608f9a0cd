/*
 * WeCom self-built app callbacks: the XML around and inside the encrypted
 * blob (PROTOCOLS.md §1.4, §1.5), parsed with expat. Both CDATA and plain
 * text are accepted for every field; only the direct children of <xml> are
 * read; a DOCTYPE (and with it any entity declaration) is refused.
 * The cryptography lives in wecom_crypto.h.
 */
#ifndef CQOD_WECOM_H
#define CQOD_WECOM_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/chat.h"

/* "wecom": WeCom's name in chat_msg.platform, dests and the config. */
extern const char wecom_platform_name[];

/* The text of <Encrypt> in the POSTed envelope into *encrypt (caller frees).
 * ToUserName and AgentID of the envelope are not signed and are ignored.
 * Returns 0, -EINVAL (malformed XML, no or empty <Encrypt>) or -ENOMEM. */
int wecom_envelope_parse(const char *body, size_t len, char **encrypt);

enum wecom_kind {
	WECOM_TEXT = 0,    /* MsgType text: a command */
	WECOM_OTHER = 1,   /* image, voice, video, file, location, link, ...: not supported */
	WECOM_EVENT = 2,   /* MsgType event (no MsgId): acknowledged, never answered */
	WECOM_CARD = 3,    /* template_card_event with an EventKey: a button of one of
	                    * our template cards pressed, its key the command */
};

/* A decrypted inner message. Owns every string; msg borrows them. */
struct wecom_msg {
	struct chat_msg msg;
	enum wecom_kind kind;
	char *to_user;      /* CorpID */
	char *from_user;    /* sender's UserID */
	char *create_time;  /* unix seconds, digits */
	char *msg_type;
	char *content;      /* text messages only, else NULL */
	char *msg_id;       /* 64-bit id as digits; NULL for events */
	char *agent_id;     /* may be NULL */
	char *event;        /* events: Event, else NULL */
	char *event_key;    /* WECOM_CARD: EventKey, the command */
	char *task_id;      /* WECOM_CARD: TaskId, the card; may be NULL */
	char *response_code; /* WECOM_CARD: ResponseCode, good once to update the
	                      * card (update_template_card); NULL when none */
	char *dedupe_id;    /* MsgId; FromUserName "|" CreateTime when there is none, and
	                     * "|" TaskId after them for a press */
};

/* Parses the inner XML. msg: platform "wecom", `instance` (borrowed), a
 * private chat with the sender, text = Content ("" unless text; EventKey for
 * a press: the sender is who pressed), msg_id = dedupe_id. On error returns
 * -EINVAL and points *why at a static English reason (no input echoed);
 * -ENOMEM. Free with wecom_msg_free either way. */
int wecom_decode(const char *xml, size_t len, const char *instance, struct wecom_msg *out,
                 const char **why);
void wecom_msg_free(struct wecom_msg *m);

/* The inner XML of a passive text reply (text values in CDATA). Caller frees;
 * NULL on ENOMEM. */
char *wecom_render_text(const char *to_user, const char *corp_id, int64_t create_time,
                        const char *content);

/* The inner XML of the passive reply to a template_card_event: the pressed
 * card's buttons become one that cannot be pressed, reading `replace_name`
 * (MsgType update_button), for the presser. Caller frees; NULL on ENOMEM. */
char *wecom_render_update_button(const char *to_user, const char *corp_id, int64_t create_time,
                                 const char *replace_name);

/* The response envelope <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>.
 * Caller frees; NULL on ENOMEM. */
char *wecom_render_envelope(const char *encrypt, const char *signature, const char *timestamp,
                            const char *nonce);

#endif
