/*
 * The sub-commands of 联盟 that live in their own files; handlers/alliance.c
 * lists them in its table of sub-commands, whose roles and argument counts
 * the dispatcher applies before they run. They see ctx->args unchanged
 * (argv[1] is the sub-command). Each returns like a handler.
 */
#ifndef CQOD_ALLIANCE_CMD_H
#define CQOD_ALLIANCE_CMD_H

#include "handler.h"

/* 联盟 成员 [联盟] / 联盟 成员 加入|移出 <记录号> [联盟] (handlers/alliance_member.c) */
int alliance_member_run(struct cmd_ctx *ctx);

/* 联盟 年度 <联盟> [<类型> <月-日> <正文> | <类型> 删除] (handlers/alliance_campaign.c) */
int alliance_campaign_run(struct cmd_ctx *ctx);

#endif
