/*
 * The user-facing texts of the platform layer (messages/): the bot's name,
 * shared separators and the answer to a message cqod cannot read. The
 * commands' texts live in handlers/text/, one header per command family, so
 * a change of wording rebuilds only the files that use it. Formats are
 * string literals so -Wformat=2 checks them at each call.
 */
#ifndef CQOD_TEXT_H
#define CQOD_TEXT_H

/* common */
#define TXT_BOT_NAME            "首席质量官助手"
#define TXT_LIST_SEP            "、"

/* chat platforms: inbound messages cqod cannot read (images, files, stickers...) */
#define TXT_UNSUPPORTED_MSG      "暂不支持此类消息，请发送文字命令（发送“帮助”查看可用命令）。"

/* a pressed WeCom card's buttons once its command ran (update_button) */
#define TXT_CARD_DONE            "已处理"
#define TXT_CARD_NOT_DONE        "未办理"
/* a WeCom card shown anew without buttons (an event cancelled): its grey button */
#define TXT_CARD_CLOSED          "已关闭"
/* a pressed Feishu card, replaced by the answer: who pressed it (an <at> follows) */
#define TXT_CARD_DONE_BY         "办理人："

/* platform words, named in group lists and alliance notices */
#define TXT_AL_WECOM_GROUP       "企业微信群"
#define TXT_AL_WECOM_ROBOT       "企业微信群机器人"
#define TXT_AL_DINGTALK_GROUP    "钉钉群"
#define TXT_AL_DINGTALK_ROBOT    "钉钉群机器人"
#define TXT_AL_FEISHU_GROUP      "飞书群"
#define TXT_AL_FEISHU_ROBOT      "飞书群机器人"

#endif
