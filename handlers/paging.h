/*
 * Paged lists. A list handler asks for its window (offset from ctx, page
 * size), fills the page, then reports what it showed; when more remain, the
 * command text and the next offset are remembered for this identity
 * (platform, tenant, user) and `下一页` (typed, or its button on the page)
 * re-runs it there. The memory is small and bounded (the least
 * recently used entries are forgotten) and does not survive a restart: a
 * list is simply asked for again.
 */
#ifndef CQOD_PAGING_H
#define CQOD_PAGING_H

#include <stddef.h>

#include "handler.h"

#define PAGE_SIZE 10

void handler_page_window(const struct cmd_ctx *ctx, size_t *offset, size_t *limit);

/* After a page of `shown` items out of `total`: remembers the next page or
 * forgets this person's list, and adds the "第 a–b 条，共 n 条" line. */
void handler_page_note(struct cmd_ctx *ctx, size_t shown, size_t total);

/* Frees the remembered lists (process exit, tests). */
void handler_paging_reset(void);


#endif
