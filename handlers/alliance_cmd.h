/*
 * The sub-commands of 联盟 that live in their own files; handlers/alliance.c
 * reads the sub-command word and calls them with ctx->args unchanged
 * (argv[1] is the sub-command). Each returns like a handler.
 */
#ifndef CQOD_ALLIANCE_CMD_H
#define CQOD_ALLIANCE_CMD_H

#include "handler.h"

/* 联盟 成员 [联盟] / 联盟 成员 加入|移出 <记录号> [联盟] (handlers/alliance_member.c) */
int alliance_member_run(struct cmd_ctx *ctx);

/* 联盟 年度 <联盟> [<类型> <月-日> <正文> | <类型> 删除] (handlers/alliance_campaign.c) */
int alliance_campaign_run(struct cmd_ctx *ctx);

/* Replies that the asker may not use `联盟 <sub>`; returns HANDLER_DENIED. */
int alliance_sub_denied(struct cmd_ctx *ctx, const char *sub);

#endif
