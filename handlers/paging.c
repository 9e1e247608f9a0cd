/* Paged lists and 下一页; see paging.h. */
#include "paging.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "text/common.h"

#define PAGING_SLOTS 256
#define PAGING_TTL_SECONDS 1800

struct cursor {
	char *key;          /* "platform\x1ftenant\x1fuser": one identity's list */
	char *text;         /* the list command to re-run */
	size_t offset;      /* first item of the next page */
	int64_t used_at;
};

static struct cursor cursors[PAGING_SLOTS];
/* A heavy read (HANDLER_F_HEAVY_READ) pages on a worker thread. */
static pthread_mutex_t cursors_lock = PTHREAD_MUTEX_INITIALIZER;

static char *cursor_key(const struct chat_msg *m)
{
	const char *tenant = m->tenant ? m->tenant : "";
	size_t a = strlen(m->platform), t = strlen(tenant), b = strlen(m->sender_id);
	char *k = malloc(a + t + b + 3);
	if (k) {
		memcpy(k, m->platform, a);
		k[a] = '\x1f';
		memcpy(k + a + 1, tenant, t);
		k[a + 1 + t] = '\x1f';
		memcpy(k + a + t + 2, m->sender_id, b + 1);
	}
	return k;
}

static void cursor_clear(struct cursor *c)
{
	free(c->key);
	free(c->text);
	memset(c, 0, sizeof *c);
}

/* The slot of this person, or NULL. */
static struct cursor *cursor_find(const char *key)
{
	for (size_t i = 0; i < PAGING_SLOTS; i++)
		if (cursors[i].key && strcmp(cursors[i].key, key) == 0)
			return &cursors[i];
	return NULL;
}

/* A free slot, else the least recently used one. */
static struct cursor *cursor_victim(void)
{
	struct cursor *lru = &cursors[0];
	for (size_t i = 0; i < PAGING_SLOTS; i++) {
		if (!cursors[i].key)
			return &cursors[i];
		if (cursors[i].used_at < lru->used_at)
			lru = &cursors[i];
	}
	cursor_clear(lru);
	return lru;
}

void handler_page_window(const struct cmd_ctx *ctx, size_t *offset, size_t *limit)
{
	*offset = ctx->page_offset;
	*limit = PAGE_SIZE;
}

void handler_page_note(struct cmd_ctx *ctx, size_t shown, size_t total)
{
	char *key = cursor_key(ctx->msg);
	if (!key)
		return;
	size_t next = ctx->page_offset + shown;

	if (total > PAGE_SIZE || ctx->page_offset > 0)
		reply_add_line(ctx->reply, TXT_PAGE_RANGE, shown ? ctx->page_offset + 1 : 0, next,
		               total);
	pthread_mutex_lock(&cursors_lock);
	struct cursor *c = cursor_find(key);
	if (next >= total || shown == 0) {
		if (c)
			cursor_clear(c);
		pthread_mutex_unlock(&cursors_lock);
		free(key);
		return;
	}
	if (!c)
		c = cursor_victim();
	else
		cursor_clear(c);
	c->key = key;
	c->text = strdup(ctx->text);
	c->offset = next;
	c->used_at = ctx->now;
	if (!c->text) {
		cursor_clear(c);
		pthread_mutex_unlock(&cursors_lock);
		return;
	}
	pthread_mutex_unlock(&cursors_lock);
	reply_add_fallback(ctx->reply, TXT_PAGE_MORE);
	reply_add_action(ctx->reply, TXT_PAGE_NAME, TXT_PAGE_NAME, REPLY_ACTION_DEFAULT);
}

void handler_paging_reset(void)
{
	pthread_mutex_lock(&cursors_lock);
	for (size_t i = 0; i < PAGING_SLOTS; i++)
		cursor_clear(&cursors[i]);
	pthread_mutex_unlock(&cursors_lock);
}

static int next_page_run(struct cmd_ctx *ctx)
{
	char *key = cursor_key(ctx->msg);
	pthread_mutex_lock(&cursors_lock);
	struct cursor *c = key ? cursor_find(key) : NULL;
	free(key);
	if (!c || ctx->now - c->used_at > PAGING_TTL_SECONDS) {
		if (c)
			cursor_clear(c);
		pthread_mutex_unlock(&cursors_lock);
		reply_add_line(ctx->reply, TXT_PAGE_NONE);
		return HANDLER_OK;
	}
	/* The re-run replaces or clears this cursor, so work on copies. */
	char *text = strdup(c->text);
	size_t offset = c->offset;
	pthread_mutex_unlock(&cursors_lock);
	if (!text)
		return HANDLER_ERROR;
	int rc = handler_rerun(ctx, text, false, offset);
	free(text);
	return rc;
}

static const char *const next_page_aliases[] = {"next", "more", NULL};

const struct handler_entry handler_next_page = {
	.name = TXT_PAGE_NAME,
	.aliases = next_page_aliases,
	.roles = ROLES_ANY,
	.usage = TXT_PAGE_USAGE,
	.help = TXT_PAGE_HELP,
	.run = next_page_run,
	.flags = HANDLER_F_NO_RERUN,
};
