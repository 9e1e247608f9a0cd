/*
 * Formatting responses. Each response becomes one heap block holding the
 * uv_write_t, the head and the body, so a write needs one allocation and is
 * released in its write callback.
 *
 * Every response carries Content-Length, except those that may not have a
 * body at all (204 and 304, RFC 9110 8.6); the answer to HEAD announces the
 * length and omits the body.
 */
#include "http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD_FMT "HTTP/1.1 %d %s\r\n%s%s%s%s%s%s%s\r\n"

static bool status_has_body(int status)
{
	return status != 204 && status != 304;
}

/* Formats the head into dst (cap bytes); returns its length as snprintf. */
static int format_head(char *dst, size_t cap, const struct http_response *resp,
                       const char *content_length)
{
	const char *ct = resp->content_type;
	const char *extra = resp->extra_headers ? resp->extra_headers : "";
	size_t elen = strlen(extra);
	bool extra_open = elen > 0 && (elen < 2 || memcmp(extra + elen - 2, "\r\n", 2) != 0);
	const char *conn = resp->close ? "Connection: close\r\n"
	                   : resp->announce_keep_alive ? "Connection: keep-alive\r\n" : "";

	return snprintf(dst, cap, HEAD_FMT, resp->status, http_status_reason(resp->status),
	                ct ? "Content-Type: " : "", ct ? ct : "", ct ? "\r\n" : "",
	                content_length, extra, extra_open ? "\r\n" : "", conn);
}

struct http_write *http_response_build(const struct http_response *resp)
{
	bool has_body = status_has_body(resp->status);
	size_t body_len = has_body && !resp->head ? resp->body_len : 0;
	char clen[48] = "";
	struct http_write *w;
	int n;

	if (has_body)
		snprintf(clen, sizeof clen, "Content-Length: %zu\r\n", resp->body_len);
	n = format_head(NULL, 0, resp, clen);
	if (n < 0)
		return NULL;
	w = malloc(sizeof *w + (size_t)n + 1 + body_len);
	if (!w)
		return NULL;
	format_head(w->data, (size_t)n + 1, resp, clen);
	if (body_len > 0)
		memcpy(w->data + n, resp->body, body_len);
	w->len = (size_t)n + body_len;
	w->interim = false;
	w->conn = NULL;
	return w;
}

struct http_write *http_response_error(int status)
{
	char body[64];
	int n = snprintf(body, sizeof body, "%s\n", http_status_reason(status));
	struct http_response resp = {
		.status = status,
		.content_type = "text/plain; charset=utf-8",
		.body = body,
		.body_len = n > 0 ? (size_t)n : 0,
		.close = true,
	};

	return http_response_build(&resp);
}

struct http_write *http_response_continue(void)
{
	static const char line[] = "HTTP/1.1 100 Continue\r\n\r\n";
	struct http_write *w = malloc(sizeof *w + sizeof line);

	if (!w)
		return NULL;
	memcpy(w->data, line, sizeof line);
	w->len = sizeof line - 1;
	w->interim = true;
	w->conn = NULL;
	return w;
}

const char *http_status_reason(int status)
{
	switch (status) {
#define XX(num, name, string) case num: return #string;
	HTTP_STATUS_MAP(XX)
#undef XX
	}
	return "Unknown";
}
