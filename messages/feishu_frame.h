/*
 * Feishu long connection ("长连接", the official SDKs' WSClient): the
 * endpoint call and the protobuf frames that travel over the WebSocket. Pure
 * codecs, no I/O; the frame layout is messages/feishu_frame.proto.
 *
 * The exchange, as the SDKs speak it:
 *  1. POST <domain>/callback/ws/endpoint {"AppID","AppSecret"} answers
 *     {"code":0,"data":{"URL":..,"ClientConfig":{..}}}; the URL's query holds
 *     service_id, which every ping frame must carry in `service`.
 *  2. The client sends a control frame (method 0, header type=ping) every
 *     PingInterval seconds; the server answers type=pong whose payload is a
 *     fresh ClientConfig JSON.
 *  3. Events arrive as data frames (method 1, type=event or card) with
 *     headers message_id, sum, seq, trace_id; a payload split in `sum` parts
 *     is joined in seq order (parts may split a UTF-8 character: only the
 *     joined bytes are checked). The joined payload is the same event JSON
 *     as HTTP mode (messages/feishu.h decodes it). The Node SDK answers
 *     card frames not at all; only events are acked there.
 *  4. Each event is answered (within 3 s, or the server redelivers) by the
 *     frame that completed it sent back: same fields and headers plus
 *     biz_rt=<ms spent>, payload {"code":200}. (The Node SDK 1.74.0 sends
 *     start - end, a negative biz_rt; the server does not object.)
 */
#ifndef CQOD_FEISHU_FRAME_H
#define CQOD_FEISHU_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A frame, or a payload joined from fragments, larger than this is refused. */
#define FEISHU_FRAME_MAX (1024 * 1024)
/* Fragments per payload: our bound (the SDKs take any sum), far above what
 * a 1 MiB payload needs. */
#define FEISHU_FRAME_MAX_FRAGMENTS 64
/* Incomplete payloads held at once, and how long one may stay incomplete
 * (the SDKs drop theirs after 10 s; the server redelivers unacked events). */
#define FEISHU_REASM_MAX_PENDING 16
#define FEISHU_REASM_EXPIRY_MS 10000

enum feishu_frame_method {
	FEISHU_FRAME_CONTROL = 0,
	FEISHU_FRAME_DATA = 1,
};

enum feishu_frame_type {
	FEISHU_FRAME_PING,
	FEISHU_FRAME_PONG,
	FEISHU_FRAME_EVENT,
	FEISHU_FRAME_CARD,
};

/* A decoded frame. Owns the unpacked message (pb); the strings and the
 * payload pointer borrow from it. */
struct feishu_frame {
	uint64_t seq_id, log_id;
	int32_t service;
	enum feishu_frame_method method;
	enum feishu_frame_type type;
	const char *message_id;   /* data frames; NULL on control frames */
	const char *trace_id;     /* may be NULL */
	unsigned sum, seq;        /* 1 and 0 when the headers say nothing */
	const uint8_t *payload;   /* may be NULL when payload_len is 0 */
	size_t payload_len;
	void *pb;
};

/* Decodes one WebSocket binary message. 0; -EMSGSIZE over FEISHU_FRAME_MAX;
 * -EINVAL (truncated or malformed protobuf, missing required field, a method
 * other than 0/1, a type header that is missing or unknown for the method, a
 * header that is not UTF-8, a data frame without message_id or with sum/seq
 * out of range); -ENOMEM. out is zeroed on error; free with
 * feishu_frame_free (safe on a zeroed frame). */
int feishu_frame_decode(const uint8_t *buf, size_t len, struct feishu_frame *out);
void feishu_frame_free(struct feishu_frame *f);

/* The value of header `key`, borrowed from f; NULL when absent. */
const char *feishu_frame_header(const struct feishu_frame *f, const char *key);

/* The answer to data frame f: f again with header biz_rt = biz_rt_ms and
 * payload {"code":<code>}, or with `answer` (may be NULL)
 * {"code":<code>,"data":"<Base64 of answer>"}, which is how the long
 * connection returns a card callback's response (the toast). *out is
 * malloc'ed (caller frees). 0, -EINVAL (f not a data frame), -ENOMEM. */
int feishu_frame_encode_answer(const struct feishu_frame *f, int code, int64_t biz_rt_ms,
                               const char *answer, uint8_t **out, size_t *out_len);

/* A ping control frame for `service` (the endpoint URL's service_id). *out
 * is malloc'ed (caller frees). 0 or -ENOMEM. */
int feishu_frame_encode_ping(int32_t service, uint8_t **out, size_t *out_len);

/* The server's connection policy, in seconds as sent (ReconnectCount -1 is
 * "forever"). */
struct feishu_ws_config {
	int ping_interval_s;
	int reconnect_count;
	int reconnect_interval_s;
	int reconnect_nonce_s;
};

/* The endpoint answer: url is malloc'ed (free with feishu_ws_endpoint_free);
 * service is the URL's service_id, which every ping carries. */
struct feishu_ws_endpoint {
	char *url;
	int32_t service;
	struct feishu_ws_config config;
};

/* The request body of POST /callback/ws/endpoint; *out malloc'ed. 0,
 * -EINVAL (an argument missing), -ENOMEM. The body holds the secret: never
 * log it. */
int feishu_ws_endpoint_request(const char *app_id, const char *app_secret, char **out);

/* Parses the endpoint answer. 0; -EPROTO when code is not 0 (*code set, -1
 * when it does not fit 32 bits; 1
 * "system busy" and 1000040343 "internal error" are worth retrying, others
 * are not); -EINVAL when malformed, not UTF-8, over FEISHU_FRAME_MAX, or
 * the URL is not ws(s):// or lacks a numeric service_id; -ENOMEM. out is
 * zeroed on error. */
int feishu_ws_endpoint_parse(const char *body, size_t len, struct feishu_ws_endpoint *out,
                             long *code);
void feishu_ws_endpoint_free(struct feishu_ws_endpoint *ep);

/* Parses a pong's payload (a ClientConfig object). 0 or -EINVAL; fields
 * missing from it keep their value in *cfg. */
int feishu_ws_config_parse(const uint8_t *payload, size_t len, struct feishu_ws_config *cfg);

/*
 * Reassembly of payloads split over several data frames. Guarantees bounded
 * memory: at most FEISHU_REASM_MAX_PENDING incomplete payloads, each at most
 * FEISHU_FRAME_MAX bytes in FEISHU_FRAME_MAX_FRAGMENTS parts; an incomplete
 * payload older than FEISHU_REASM_EXPIRY_MS is dropped. Time is what the
 * caller passes as now_ms, so tests need no clock.
 */
struct feishu_reasm;

/* NULL on ENOMEM; free with feishu_reasm_free (NULL is fine). */
struct feishu_reasm *feishu_reasm_new(void);
void feishu_reasm_free(struct feishu_reasm *r);

/* Adds data frame f. 0 with *payload NULL while parts are missing; 0 with
 * *payload set (malloc'ed, NUL-terminated, caller frees) once whole — a
 * single-part frame is whole at once. Errors (the set is dropped): -EINVAL
 * (not a data frame, sum disagreeing with the first part's, a part seen
 * twice with different bytes, a joined payload that is not UTF-8),
 * -EMSGSIZE (over FEISHU_FRAME_MAX), -ENOBUFS (already holding
 * FEISHU_REASM_MAX_PENDING incomplete payloads after expiry), -ENOMEM.
 * Expires old sets first. */
int feishu_reasm_add(struct feishu_reasm *r, const struct feishu_frame *f, int64_t now_ms,
                     char **payload, size_t *payload_len);

/* Drops incomplete payloads older than FEISHU_REASM_EXPIRY_MS at now_ms;
 * returns how many were dropped (for one warning line). */
int feishu_reasm_expire(struct feishu_reasm *r, int64_t now_ms);

/* Incomplete payloads held now. */
size_t feishu_reasm_pending(const struct feishu_reasm *r);

#endif
