/*
 * Assembling a struct http_request from http-parser callbacks.
 *
 * The parser hands over the URL, header names and values in pieces, possibly
 * split across reads. They are appended to one growing buffer, r->strings,
 * laid out as "url\0\0name\0value\0name\0value\0..."; the second NUL after
 * the URL is a shared empty string for a missing query or body. While the
 * buffer may still move, headers are kept as offsets; when the headers are
 * complete they become the pointers of struct http_request and the buffer no
 * longer grows (trailers after a chunked body are counted, not kept).
 *
 * Header bytes are counted as the URL plus each name and value plus 4 for the
 * separators; going over the limit is reported as 431, a body over its limit
 * as 413, and running out of memory as 500. A body with a declared length is
 * allocated once at that length, so what the connection charges against
 * max_body_memory (http_conn.c) is what is allocated. Everything here is
 * owned by the struct http_req and released by http_req_free.
 */
#include "http_internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/clock.h"

#define HDR_OVERHEAD 4          /* ": " and CRLF */
#define MIN_ALLOC 256

static atomic_uint_fast64_t next_id;

struct http_req *http_req_new(void)
{
	struct http_req *r = calloc(1, sizeof(struct http_req));

	if (r)
		r->pub.started_ns = clock_mono_ns();
	return r;
}

void http_req_free(struct http_req *r)
{
	if (!r)
		return;
	free(r->strings);
	free(r->offs);
	free(r->pub.headers);
	free(r->body_buf);
	free(r);
}

/* Grows *buf (capacity *cap) to hold at least `need` bytes; false on ENOMEM. */
static bool grow(char **buf, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : MIN_ALLOC;
	char *p;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	p = realloc(*buf, n);
	if (!p)
		return false;
	*buf = p;
	*cap = n;
	return true;
}

static int append(struct http_req *r, const char *at, size_t len)
{
	if (!grow(&r->strings, &r->str_cap, r->str_len + len))
		return 500;
	memcpy(r->strings + r->str_len, at, len);
	r->str_len += len;
	return 0;
}

/* Charges `n` header bytes; the count never exceeds max. */
static int charge(struct http_req *r, size_t n, size_t max)
{
	if (n > max - r->head_bytes)
		return 431;
	r->head_bytes += n;
	return 0;
}

/* Offset of the shared empty string; valid once the URL is done. */
static size_t empty_off(const struct http_req *r)
{
	return r->url_len + 1;
}

/* Terminates the string being delivered; a name without a value (never seen
 * from http-parser, which reports empty values) gets the empty string. */
static int end_part(struct http_req *r)
{
	switch (r->last) {
	case HTTP_PART_URL:
		r->url_len = r->str_len;
		r->url_done = true;
		return append(r, "\0", 2);  /* terminator, then the shared "" */
	case HTTP_PART_FIELD:
		r->offs[r->n_offs - 1].value = empty_off(r);
		return append(r, "", 1);
	case HTTP_PART_VALUE:
		return append(r, "", 1);
	case HTTP_PART_NONE:
		break;
	}
	return 0;
}

int http_req_url(struct http_req *r, const char *at, size_t len, size_t max)
{
	int st = charge(r, len, max);

	if (st)
		return st;
	r->last = HTTP_PART_URL;
	return append(r, at, len);
}

static int push_header(struct http_req *r)
{
	if (r->n_offs == r->cap_offs) {
		size_t n = r->cap_offs ? r->cap_offs * 2 : 16;
		struct http_hdr_off *p = realloc(r->offs, n * sizeof *p);

		if (!p)
			return 500;
		r->offs = p;
		r->cap_offs = n;
	}
	r->offs[r->n_offs].name = r->str_len;
	r->offs[r->n_offs].value = 0;
	r->n_offs++;
	return 0;
}

int http_req_field(struct http_req *r, const char *at, size_t len, size_t max)
{
	bool starts = r->last != HTTP_PART_FIELD;
	int st = charge(r, len + (starts ? HDR_OVERHEAD : 0), max);

	if (st || r->headers_done)
		return st;
	if (starts) {
		st = end_part(r);
		if (!st)
			st = push_header(r);
		if (st)
			return st;
	}
	r->last = HTTP_PART_FIELD;
	return append(r, at, len);
}

int http_req_value(struct http_req *r, const char *at, size_t len, size_t max)
{
	int st = charge(r, len, max);

	if (st || r->headers_done)
		return st;
	if (r->last == HTTP_PART_FIELD) {
		st = append(r, "", 1);
		if (st)
			return st;
		r->offs[r->n_offs - 1].value = r->str_len;
	}
	r->last = HTTP_PART_VALUE;
	return append(r, at, len);
}

/* Cuts the URL in place into path and query; a fragment is dropped. */
static void split_url(struct http_req *r)
{
	char *url = r->strings;
	char *cut = memchr(url, '#', r->url_len);

	if (cut)
		*cut = '\0';
	r->pub.path = url;
	cut = strchr(url, '?');
	if (cut) {
		*cut = '\0';
		r->pub.query = cut + 1;
	} else {
		r->pub.query = r->strings + empty_off(r);
	}
}

/* Drops the optional whitespace http-parser leaves at a value's end. */
static void trim_value(char *v)
{
	size_t n = strlen(v);

	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		v[--n] = '\0';
}

int http_req_headers_done(struct http_req *r)
{
	int st = end_part(r);

	if (st)
		return st;
	if (!r->url_done)
		return 400;
	r->headers_done = true;
	r->last = HTTP_PART_NONE;
	split_url(r);
	if (r->n_offs > 0) {
		r->pub.headers = calloc(r->n_offs, sizeof *r->pub.headers);
		if (!r->pub.headers)
			return 500;
	}
	for (size_t i = 0; i < r->n_offs; i++) {
		r->pub.headers[i].name = r->strings + r->offs[i].name;
		r->pub.headers[i].value = r->strings + r->offs[i].value;
		trim_value(r->pub.headers[i].value);
	}
	r->pub.n_headers = r->n_offs;
	free(r->offs);
	r->offs = NULL;
	r->n_offs = r->cap_offs = 0;
	return 0;
}

int http_req_body_fits(const struct http_req *r, uint64_t more, size_t max)
{
	return more > max - r->pub.body_len ? 413 : 0;
}

size_t http_req_body_room(const struct http_req *r, size_t more)
{
	/* One spare byte for the terminating NUL. */
	size_t need = r->pub.body_len + more + 1, n;

	if (need <= r->body_cap)
		return r->body_cap;
	if (r->body_expect && need <= r->body_expect + 1)
		return r->body_expect + 1;
	for (n = r->body_cap ? r->body_cap : MIN_ALLOC; n < need; n *= 2)
		;
	return n;
}

int http_req_body(struct http_req *r, const char *at, size_t len, size_t max)
{
	int st = http_req_body_fits(r, len, max);
	size_t room;
	char *p;

	if (st)
		return st;
	room = http_req_body_room(r, len);
	if (room > r->body_cap) {
		p = realloc(r->body_buf, room);
		if (!p)
			return 500;
		r->body_buf = p;
		r->body_cap = room;
	}
	memcpy(r->body_buf + r->pub.body_len, at, len);
	r->pub.body_len += len;
	return 0;
}

void http_req_finish(struct http_req *r)
{
	if (r->body_buf) {
		r->body_buf[r->pub.body_len] = '\0';
		r->pub.body = r->body_buf;
	} else {
		r->pub.body = r->strings + empty_off(r);
	}
	r->pub.id = atomic_fetch_add(&next_id, 1) + 1;
}

const char *http_request_header(const struct http_request *req, const char *name)
{
	for (size_t i = 0; i < req->n_headers; i++) {
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	}
	return NULL;
}
