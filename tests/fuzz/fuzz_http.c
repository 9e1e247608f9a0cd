/*
 * libFuzzer target for the HTTP request path without a socket: http_parser
 * feeds daemon/http_request.c through callbacks shaped like http_conn.c's
 * (same limits checks, same order), the assembled request's headers are
 * looked up as the router does, and the answer is formatted. The input is
 * delivered in two pieces, split where its first byte says, so callbacks
 * see values cut in the middle.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/http_internal.h"

#define MAX_HEAD 4096
#define MAX_BODY 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct feed {
	struct http_req *r;
	int status;       /* why a callback refused, as http_conn.c answers */
	unsigned done;    /* requests completed */
};

static int refuse(struct feed *f, int status)
{
	if (!status)
		return 0;
	f->status = status;
	return -1;
}

static int on_begin(http_parser *p)
{
	struct feed *f = p->data;

	http_req_free(f->r);
	f->r = http_req_new();
	return refuse(f, f->r ? 0 : 500);
}

static int on_url(http_parser *p, const char *at, size_t len)
{
	struct feed *f = p->data;
	return refuse(f, http_req_url(f->r, at, len, MAX_HEAD));
}

static int on_field(http_parser *p, const char *at, size_t len)
{
	struct feed *f = p->data;
	return refuse(f, http_req_field(f->r, at, len, MAX_HEAD));
}

static int on_value(http_parser *p, const char *at, size_t len)
{
	struct feed *f = p->data;
	return refuse(f, http_req_value(f->r, at, len, MAX_HEAD));
}

static int on_headers(http_parser *p)
{
	struct feed *f = p->data;
	int st = http_req_headers_done(f->r);

	if (st)
		return refuse(f, st);
	f->r->pub.method = http_method_str((enum http_method)p->method);
	if (p->flags & F_CONTENTLENGTH) {
		st = http_req_body_fits(f->r, p->content_length, MAX_BODY);
		if (!st)
			f->r->body_expect = (size_t)p->content_length;
	}
	return refuse(f, st);
}

static int on_chunk(http_parser *p)
{
	struct feed *f = p->data;
	int st = http_req_body_fits(f->r, p->content_length, MAX_BODY);

	if (!st && p->content_length > 0)
		(void)http_req_body_room(f->r, (size_t)p->content_length);
	return refuse(f, st);
}

static int on_body(http_parser *p, const char *at, size_t len)
{
	struct feed *f = p->data;
	int st = http_req_body_fits(f->r, len, MAX_BODY);

	return refuse(f, st ? st : http_req_body(f->r, at, len, MAX_BODY));
}

static int on_complete(http_parser *p)
{
	struct feed *f = p->data;
	const struct http_request *req = &f->r->pub;
	struct http_write *w;

	http_req_finish(f->r);
	/* What the router and the webhooks read. */
	(void)http_request_header(req, "Content-Type");
	(void)http_request_header(req, "X-Forwarded-For");
	(void)http_request_header(req, "x-cqod-signature");
	if (req->path && req->query && req->body && req->body[req->body_len] != '\0')
		abort();
	w = http_response_build(&(struct http_response){
		.status = 200, .content_type = "text/plain", .body = req->path,
		.body_len = req->path ? strlen(req->path) : 0, .head = f->r->head,
	});
	free(w);
	f->done++;
	return 0;
}

static const http_parser_settings settings = {
	.on_message_begin = on_begin,
	.on_url = on_url,
	.on_header_field = on_field,
	.on_header_value = on_value,
	.on_headers_complete = on_headers,
	.on_body = on_body,
	.on_message_complete = on_complete,
	.on_chunk_header = on_chunk,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed f = {0};
	http_parser p;
	size_t cut, used;

	if (size < 1)
		return 0;
	cut = data[0] % size;
	data++;
	size--;
	if (cut > size)
		cut = size;
	http_parser_init(&p, HTTP_REQUEST);
	p.data = &f;
	used = http_parser_execute(&p, &settings, (const char *)data, cut);
	if (used == cut && !f.status && HTTP_PARSER_ERRNO(&p) == HPE_OK)
		http_parser_execute(&p, &settings, (const char *)data + cut, size - cut);
	if (f.status || HTTP_PARSER_ERRNO(&p) != HPE_OK)
		free(http_response_error(f.status ? f.status : 400));
	http_req_free(f.r);
	return 0;
}
