/*
 * Shared by render.c and the per-platform renderers render_<platform>.c;
 * nothing else should include this (use platform.h).
 *
 * A reply is first flattened into a document: newline-free lines in the
 * platform's markup, plus a title kept apart for formats with a title field.
 * The document is then split into parts that each fit the platform's limit,
 * and each part becomes one request body. Costs are counted in the bytes
 * the limit is about: the content as written (escape level 0), inside one
 * JSON string (level 1) or inside a JSON string that is itself inside a
 * JSON string (level 2, Feishu's content field).
 */
#ifndef CQOD_RENDER_INTERNAL_H
#define CQOD_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/platform.h"
#include "../lib/strbuf.h"

/* Title fields (Feishu post and card headers, DingTalk's notification title)
 * are cut to this many bytes, at a character boundary. */
#define RENDER_TITLE_MAX 256

enum render_markup {
	MARKUP_PLAIN = 0,     /* "键：值", title as a plain first line */
	MARKUP_MARKDOWN = 1,  /* "**键**：值", title as "**title**" */
};

/* A flattened reply. Owns its strings. */
struct render_doc {
	char **lines;
	size_t n, cap;
	char *title;       /* plain title (cut to RENDER_TITLE_MAX); NULL when none */
};

/* Appends s[0..n) to sb as text in one platform format (`markup`), with
 * every character that could start the format's markup made inert: what a
 * user typed is shown, never obeyed. One per platform (render_<platform>.c);
 * each is render_fullwidth() with that platform's characters. */
typedef void (*render_escape_fn)(struct strbuf *sb, const char *s, size_t n,
                                 enum render_markup markup);

/* The characters render_fullwidth() takes out of markdown formats: tags and
 * mentions (<, >), links and images ([, ]), emphasis and strike-through (*,
 * ~), code (`), headings (#), entities (&). */
#define RENDER_MARKDOWN_CHARS "<>[]*~`#&"

/* Appends s[0..n) to sb with each ASCII character found in `chars` replaced
 * by its full-width form (U+FF01..U+FF5E: '<' becomes U+FF1C '＜'). No
 * platform reads those as markup, whatever its own escaping rules (which
 * the platforms do not all document), and in Chinese text they read as
 * ordinary punctuation. Everything else is copied. */
void render_fullwidth(struct strbuf *sb, const char *s, size_t n, const char *chars);

/* Whether r has a title, a field or a table: then it goes in the platform's
 * rich format (markdown, post, card), else as plain text. */
bool render_structured(const struct reply *r);

/* A piece of a document line. */
struct render_slice {
	const char *p;
	size_t n;
};

/* The parts of a document: part i is slices[starts[i]] .. slices[starts[i+1]-1]
 * (starts has n_parts + 1 entries). Slices borrow the document's lines. */
struct render_parts {
	struct render_slice *slices;
	size_t n_slices, cap_slices;
	size_t *starts;
	size_t n_parts;
};

/* How to split: each part's cost (its slices' escaped bytes, plus `overhead`
 * per slice, plus `sep` between slices) stays within `budget`. */
struct render_limit {
	size_t budget;
	int level;        /* escape level 0, 1 or 2 */
	size_t sep;       /* cost of the separator between two slices */
	size_t overhead;  /* cost added per slice (paragraph framing) */
};

/* Flattens r. title_line: the title becomes the first line (in `markup`)
 * rather than only doc->title. fallback: the reply's fallback lines (what
 * to type) end the document; false where the renderer shows the actions as
 * buttons instead. Every string of the reply (title, keys, text,
 * table cells) goes through `esc` first, so only the markup added here (bold
 * title and keys) is markup; doc->title is escaped as MARKUP_PLAIN, for the
 * platforms' plain title fields. 0, -EINVAL (empty reply) or -ENOMEM. */
int render_doc_build(const struct reply *r, enum render_markup markup, bool title_line,
                     bool fallback, render_escape_fn esc, struct render_doc *doc);
void render_doc_free(struct render_doc *doc);

/* Splits doc into parts within lim; a line too long for one part is cut at a
 * UTF-8 character boundary. 0, -EINVAL (budget too small) or -ENOMEM. */
int render_split(const struct render_doc *doc, const struct render_limit *lim,
                 struct render_parts *out);
void render_parts_free(struct render_parts *p);

/* Bytes s[0..n) takes once escaped `level` times as JSON string content. */
size_t render_escaped_len(const char *s, size_t n, int level);

/* Appends s[0..n) escaped as JSON string content (no quotes): '"', '\' and
 * control bytes are escaped, everything else (UTF-8 included) copied. */
void render_json_escape(struct strbuf *sb, const char *s, size_t n);
/* Appends "s" (quoted and escaped). */
void render_json_str(struct strbuf *sb, const char *s);
/* Appends part i's slices joined with sep, escaped (no quotes). */
void render_json_part(struct strbuf *sb, const struct render_parts *p, size_t i,
                      const char *sep);

/* Takes ownership of body (NULL means an append failed: -ENOMEM). */
int render_push(struct rendered *out, char *body);

/* The per-platform renderers, the rows' `render` (platforms.h): d->platform
 * already matched; 0, -EINVAL or -ENOMEM; on failure `out` may hold some
 * bodies (the caller frees). */
int render_wecom(const struct dest *d, const struct reply *r, const char *idem_key,
                 struct rendered *out);
int render_dingtalk(const struct dest *d, const struct reply *r, const char *idem_key,
                    struct rendered *out);
int render_feishu(const struct dest *d, const struct reply *r, const char *idem_key,
                  struct rendered *out);
int render_wecom_aibot(const struct dest *d, const struct reply *r, const char *idem_key,
                       struct rendered *out);

/* The rows' `reply_dest` (platforms.h, dest_for_reply): *out is zeroed
 * first. */
int wecom_reply_dest(const struct chat_msg *msg, struct dest *out);
int dingtalk_reply_dest(const struct chat_msg *msg, struct dest *out);
int feishu_reply_dest(const struct chat_msg *msg, struct dest *out);
int dingtalk_file_dest(const struct chat_msg *msg, struct dest *out);
int dingtalk_card_dest(const struct chat_msg *msg, struct dest *out);
int feishu_file_dest(const struct chat_msg *msg, struct dest *out);
int wecom_aibot_reply_dest(const struct chat_msg *msg, struct dest *out);

#endif
