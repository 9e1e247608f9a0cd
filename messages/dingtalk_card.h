/*
 * DingTalk interactive cards (互动卡片), for instances with a
 * card_template_id in stream mode: the card template an admin registered
 * in the developer console, whose variables (all strings) cqod fills:
 *   title, markdown          the reply's title and text (markdown)
 *   note                     "" or 办理人：<userId> once pressed
 *   btn<i>_text, btn<i>_show ("true"/"false"), btn<i>_style ("primary",
 *   "danger", "default"), btn<i>_cmd, for i = 1..4: the reply's actions by
 *   slot; button i calls back (回传请求) with action id "btn<i>" and the
 *   parameter cmd = btn<i>_cmd.
 * Sent by POST v1.0/card/instances/createAndDeliver (render_dingtalk;
 * callbackType STREAM, so presses come over the instance's Stream
 * connection), shown anew by PUT v1.0/card/instances. A press is a
 * CALLBACK frame of topic DINGTALK_CARD_TOPIC whose data is
 *   {"outTrackId","userId","corpId","spaceType","spaceId","type",
 *    "content":"{\"cardPrivateData\":{\"actionIds\":[\"btn1\"],
 *                \"params\":{\"cmd\":\"...\"}}}"}
 * and its acknowledgement's data {"response":<answer>} may carry the
 * card's new face: {"cardUpdateOptions":{"updateCardDataByKey":true},
 * "cardData":{"cardParamMap":{...}}}.
 */
#ifndef CQOD_DINGTALK_CARD_H
#define CQOD_DINGTALK_CARD_H

#include <stddef.h>

#include "../lib/config.h"
#include "../lib/reply.h"

#define DINGTALK_CARD_TOPIC "/v1.0/card/instances/callback"

/* The configuration the renderer asks which instances send cards; *cfgp is
 * read at each call, so a reload is seen. Until it is registered (cqoctl
 * without a configuration) no instance does. */
void dingtalk_cards_register(struct config *const *cfgp);

/* The card template of DingTalk instance `instance` when its messages with
 * actions go as interactive cards (card_template_id set, mode = stream:
 * presses come back over the Stream connection only); NULL otherwise.
 * Borrowed from the configuration. */
const char *dingtalk_card_template(const char *instance);

/* A press, decoded. Owns its JSON trees; the strings borrow from them. */
struct dingtalk_press {
	const char *out_track_id;
	const char *user_id;     /* the presser (staff userid) */
	const char *corp_id;     /* may be NULL */
	const char *space_id;    /* the conversation, may be NULL */
	int slot;                /* the button, 1..REPLY_ACTIONS_MAX ("btn<slot>") */
	const char *cmd;         /* params.cmd, the command it says it stands for; may be NULL */
	void *json, *content;
};

/* Decodes a card callback's data. 0; -EINVAL with *why (static English)
 * when it is not JSON, lacks outTrackId or userId, or names no action
 * "btn1".."btn4"; -ENOMEM. Free with dingtalk_press_free either way. */
int dingtalk_press_decode(const char *data, size_t len, struct dingtalk_press *out,
                          const char **why);
void dingtalk_press_free(struct dingtalk_press *p);

/* The response to a press whose command ran: the card's new face, the
 * answer r with a note naming done_by and no buttons (its buttons come
 * with the answer itself, sent to the presser), as
 * {"cardUpdateOptions":...,"cardData":{"cardParamMap":...}}; NULL when r
 * is a refusal or an error, done_by is NULL (a shared card stays), r
 * takes more than one card, or on ENOMEM. Caller frees.
 * (render_dingtalk.c) */
char *dingtalk_press_answer(const struct reply *r, const char *done_by);

#endif
