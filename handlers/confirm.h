/*
 * Two-step commands. A handler whose action needs confirmation (解聘, 除名,
 * 黑名单, publishing to many people) first runs with ctx->confirmed false: it
 * validates everything, describes exactly what will happen, and calls
 * handler_confirm_request(), which stores the command text under a 6-digit
 * code for this person and tells them how to confirm. `确认 <码>` (same
 * person, within 10 minutes, once) re-runs the stored text with
 * ctx->confirmed true; `取消` drops it.
 */
#ifndef CQOD_CONFIRM_H
#define CQOD_CONFIRM_H

#include "handler.h"

#define CONFIRM_TTL_SECONDS 600

/* Stores ctx->text for confirmation and offers 确认 <码> and 取消 on the
 * reply: as buttons, and as the fallback line saying what to type.
 * Returns HANDLER_OK, or HANDLER_ERROR if it could not be stored. */
int handler_confirm_request(struct cmd_ctx *ctx);


#endif
