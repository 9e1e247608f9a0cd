/*
 * The neutral reply a handler builds: a title, then items (plain lines or
 * key/value fields) in order, then an optional table. Each platform renders
 * it to its own markup; reply_render_text() gives the plain-text form used by
 * the console and the generic webhook.
 *
 * A reply may also offer actions: buttons that each stand for a command the
 * reader could type (确认 123456, 报名 12, 收到, 下一页). Renderers with cards
 * show them as buttons whose press comes back as that command; everywhere
 * else (the console, the generic webhook, group robots, chats without
 * cards) the reply's fallback lines, which say what to type, are shown
 * after everything else instead. The handler writes both, so the wording
 * stays in its family's text header.
 *
 * Ownership: a struct reply owns every string added to it (copies are made);
 * reply_free() releases them. Functions return 0 or -ENOMEM.
 *
 * Failures are sticky, like a stream's error flag: an addition that runs
 * out of memory marks the reply REPLY_FAIL_TRANSIENT, so a handler that
 * does not check each call still cannot send a silently truncated answer;
 * the dispatcher reads `failure` after the command and answers accordingly
 * (daemon/inbox.h: a transient failure is retried, never acknowledged).
 */
#ifndef CQOD_REPLY_H
#define CQOD_REPLY_H

#include <stdbool.h>
#include <stddef.h>

enum reply_item_kind {
	REPLY_LINE = 0,
	REPLY_FIELD = 1,
};

struct reply_item {
	enum reply_item_kind kind;
	char *key;   /* REPLY_FIELD only, NULL for lines */
	char *text;
};

enum reply_action_style {
	REPLY_ACTION_DEFAULT = 0,
	REPLY_ACTION_PRIMARY = 1,
	REPLY_ACTION_DANGER = 2,
};

/* At most this many actions per reply: the fewest buttons a platform's
 * card takes (DingTalk's actionCard templates) leave room for them. */
#define REPLY_ACTIONS_MAX 4

struct reply_action {
	char *label;     /* the button's text */
	char *command;   /* the command text a press sends, as if typed */
	enum reply_action_style style;
};

/* What went wrong while the answer was made; the worst one sticks. */
enum reply_failure {
	REPLY_FAIL_NONE = 0,
	REPLY_FAIL_PERMANENT = 1,   /* an internal error that will not pass by retrying */
	REPLY_FAIL_TRANSIENT = 2,   /* may pass: busy, disk full, out of memory */
};

struct reply {
	char *title;              /* may be NULL */
	struct reply_item *items;
	size_t n_items, cap_items;
	size_t table_cols;        /* 0: no table */
	char **table_cells;       /* header row first, then rows; row-major */
	size_t table_rows;        /* including the header row */
	size_t cap_cells;
	struct reply_action actions[REPLY_ACTIONS_MAX];
	size_t n_actions;
	char *fallback;           /* lines saying what to type; NULL when none */
	bool is_error;            /* the command failed; renderers may mark it */
	bool shared;              /* everyone's card (an event's announcement): a press
	                           * leaves it as it is, one person's 报名 must not
	                           * replace it; any other card shows the press's answer */
	enum reply_failure failure;
};

/* Records a failure (the worse of the current and `f` sticks). */
void reply_fail(struct reply *r, enum reply_failure f);

void reply_init(struct reply *r);
void reply_free(struct reply *r);

int reply_set_title(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int reply_add_line(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int reply_add_field(struct reply *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Starts the table with a header row of `cols` cells; rows must match. */
int reply_table_begin(struct reply *r, size_t cols, const char *const *header);
int reply_table_add_row(struct reply *r, const char *const *cells);

/* Adds a button (label, command text) to the reply. -EINVAL when empty or
 * when REPLY_ACTIONS_MAX are there already (the reply is not marked failed:
 * the fallback still says what to type), -ENOMEM. */
int reply_add_action(struct reply *r, const char *label, const char *command,
                     enum reply_action_style style);
/* Adds a line to the fallback: what to type where no buttons show. */
int reply_add_fallback(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Plain text: title, lines/fields ("键：值"), table as aligned-free rows
 * separated by " | ", then the fallback lines. Returns a heap string the
 * caller frees, NULL on ENOMEM. */
char *reply_render_text(const struct reply *r);
/* The same text appended to sb (a failed append marks sb, see strbuf.h). */
struct strbuf;
void reply_render_text_to(const struct reply *r, struct strbuf *sb);

#endif
