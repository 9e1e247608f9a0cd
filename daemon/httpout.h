/*
 * Outbound HTTP(S) requests on the daemon's libuv loop, through libcurl's
 * multi interface. Every request cqod makes to a chat platform goes through
 * here; nothing else in cqod talks to libcurl.
 *
 * Guarantees: a request never blocks the loop; TLS peers are always verified
 * (a CA bundle path may replace the system's, verification cannot be turned
 * off); responses are capped at HTTPOUT_MAX_RESPONSE bytes; httpout_request()
 * either returns a negative error and never calls back, or returns 0 and calls
 * `done` exactly once, later, never from inside httpout_request() itself.
 */
#ifndef CQOD_HTTPOUT_H
#define CQOD_HTTPOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#define HTTPOUT_MAX_RESPONSE (1024 * 1024)
#define HTTPOUT_DEFAULT_TIMEOUT_MS 10000

struct httpout;

enum httpout_method {
	HTTPOUT_GET = 0,
	HTTPOUT_POST = 1,
	HTTPOUT_PATCH = 2,   /* a JSON body, like POST */
	HTTPOUT_PUT = 3,     /* likewise */
};

/* One part of a multipart/form-data body: a field, or a file when
 * filename is set. The data is copied. */
struct httpout_part {
	const char *name;
	const char *filename;        /* NULL: a plain field */
	const char *type;            /* the part's Content-Type; NULL: none */
	const char *data;
	size_t len;
};

/* Everything is borrowed for the duration of httpout_request() only: the URL,
 * headers, body and parts are copied. */
struct httpout_req {
	enum httpout_method method;
	const char *url;             /* http:// or https:// only */
	const char *const *headers;  /* "Name: value" lines, NULL-terminated; may be NULL */
	const char *body;            /* POST: body_len bytes; NULL when body_len is 0 */
	size_t body_len;
	/* POST as multipart/form-data (libcurl's MIME API) instead of body:
	 * n_parts parts, each copied. */
	const struct httpout_part *parts;
	size_t n_parts;
	unsigned timeout_ms;         /* whole exchange; 0 = HTTPOUT_DEFAULT_TIMEOUT_MS */
	const char *ca_file;         /* PEM CA bundle; NULL = the system's */
};

/* What came back. Valid only during the done callback. */
struct httpout_response {
	long status;        /* HTTP status of the final response; 0 when there was none */
	const char *body;   /* len bytes, NUL-terminated; "" when there was none */
	size_t len;
	/* NULL when an HTTP exchange completed (whatever its status). Otherwise a
	 * short English reason: curl's description of the failure, "timed out",
	 * "response too large" or "cancelled". Never contains the URL's query. */
	const char *error;
	bool timed_out;
	const void *priv;   /* for httpout_response_header() */
};

typedef void (*httpout_done_fn)(void *arg, const struct httpout_response *res);

/* *out is freed by httpout_close. Returns 0, -ENOMEM or -EIO (libcurl). */
int httpout_open(uv_loop_t *loop, struct httpout **out);

/* Starts a request; see the guarantees above. Returns 0, -EINVAL (bad method
 * or URL), -ENOMEM, -EIO (libcurl refused) or -ESHUTDOWN (closing). */
int httpout_request(struct httpout *h, const struct httpout_req *req, httpout_done_fn done,
                    void *arg);

/* Value of a response header of the final response (name compared without
 * case; the first if repeated), or NULL. Borrowed from the response. */
const char *httpout_response_header(const struct httpout_response *res, const char *name);

/* Requests in flight. */
size_t httpout_in_flight(const struct httpout *h);

/* Finished transfers kept for the next requests (see httpout.c). */
size_t httpout_pooled(const struct httpout *h);

/* Ends every request in flight now: each done callback runs (from inside this
 * call) with error "cancelled". Callbacks may start new requests. */
void httpout_cancel_all(struct httpout *h);

/* Cancels what is in flight (as httpout_cancel_all), releases libcurl while
 * the loop is alive, closes the handles and frees h once they are closed.
 * h must not be used afterwards. May be called from a done callback. */
void httpout_close(struct httpout *h);

#endif
