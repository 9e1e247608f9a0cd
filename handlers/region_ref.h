/*
 * A region typed by name (雁塔区, 临沂市兰山区, 临沂市) where a GB/T 2260 code
 * is asked for, as the 信息表's 所在地 is filled in and as clerks name their
 * place in 统计 and 目标. A name matching several regions gets a short list
 * to choose from, never a guess.
 */
#ifndef CQOD_REGION_REF_H
#define CQOD_REGION_REF_H

#include "handler.h"

#define REGION_REF_SHOWN 8   /* candidates listed for an ambiguous name */

/* The code of the region of `level` (3: county; 0: any) called `typed`,
 * into code[16]. 0; -ENOENT or -EINVAL (several match) after replying why,
 * the label `what` (所在地区, 地区) heading the line; other negatives on store
 * failure. */
int region_ref_resolve(struct cmd_ctx *ctx, const char *typed, int level, const char *what,
                       char code[16]);

#endif
