/* Feishu long-connection frames and endpoint answers (feishu_frame.h). */
#include "feishu_frame.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/crypto.h"
#include "../lib/digits.h"
#include "../lib/strbuf.h"
#include "../lib/textenc.h"
#include "feishu_frame.pb-c.h"

/* Header values are short ids and numbers; a longer one is not the SDKs'. */
#define HEADER_MAX 256
#define SUM_DIGITS 3

static bool utf8_ok(const char *s)
{
	return s && textenc_utf8_valid(s, strlen(s), NULL);
}

static const char *header_of(const Pbbp2__Frame *pb, const char *key)
{
	for (size_t i = 0; i < pb->n_headers; i++)
		if (strcmp(pb->headers[i]->key, key) == 0)
			return pb->headers[i]->value;
	return NULL;
}

static int parse_count(const char *s, unsigned *out)
{
	int64_t v;

	if (digits_parse(s, SUM_DIGITS, &v) < 0)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

/* Fills the fields a data frame needs from its headers. */
static int read_data_headers(const Pbbp2__Frame *pb, struct feishu_frame *out)
{
	const char *sum = header_of(pb, "sum");
	const char *seq = header_of(pb, "seq");

	out->message_id = header_of(pb, "message_id");
	out->trace_id = header_of(pb, "trace_id");
	if (!out->message_id || !out->message_id[0])
		return -EINVAL;
	out->sum = 1;
	out->seq = 0;
	if (sum && parse_count(sum, &out->sum) < 0)
		return -EINVAL;
	if (seq && parse_count(seq, &out->seq) < 0)
		return -EINVAL;
	if (out->sum == 0 || out->sum > FEISHU_FRAME_MAX_FRAGMENTS || out->seq >= out->sum)
		return -EINVAL;
	return 0;
}

int feishu_frame_decode(const uint8_t *buf, size_t len, struct feishu_frame *out)
{
	Pbbp2__Frame *pb;
	const char *type;
	int r;

	memset(out, 0, sizeof(*out));
	if (len > FEISHU_FRAME_MAX)
		return -EMSGSIZE;
	/* protobuf-c returns NULL for malformed input and for lack of memory
	 * alike; a frame this small cannot exhaust memory, so call it bad. */
	pb = pbbp2__frame__unpack(NULL, len, buf);
	if (!pb)
		return -EINVAL;
	out->pb = pb;
	for (size_t i = 0; i < pb->n_headers; i++) {
		const Pbbp2__Header *h = pb->headers[i];

		if (strlen(h->key) > HEADER_MAX || strlen(h->value) > HEADER_MAX ||
		    !utf8_ok(h->key) || !utf8_ok(h->value))
			goto bad;
	}
	out->seq_id = pb->seqid;
	out->log_id = pb->logid;
	out->service = pb->service;
	if (pb->has_payload) {
		out->payload = pb->payload.data;
		out->payload_len = pb->payload.len;
	}
	type = header_of(pb, "type");
	if (!type)
		goto bad;
	switch (pb->method) {
	case FEISHU_FRAME_CONTROL:
		out->method = FEISHU_FRAME_CONTROL;
		if (strcmp(type, "ping") == 0)
			out->type = FEISHU_FRAME_PING;
		else if (strcmp(type, "pong") == 0)
			out->type = FEISHU_FRAME_PONG;
		else
			goto bad;
		return 0;
	case FEISHU_FRAME_DATA:
		out->method = FEISHU_FRAME_DATA;
		if (strcmp(type, "event") == 0)
			out->type = FEISHU_FRAME_EVENT;
		else if (strcmp(type, "card") == 0)
			out->type = FEISHU_FRAME_CARD;
		else
			goto bad;
		r = read_data_headers(pb, out);
		if (r < 0)
			goto bad;
		return 0;
	default:
		goto bad;
	}
bad:
	feishu_frame_free(out);
	return -EINVAL;
}

void feishu_frame_free(struct feishu_frame *f)
{
	if (!f)
		return;
	if (f->pb)
		pbbp2__frame__free_unpacked(f->pb, NULL);
	memset(f, 0, sizeof(*f));
}

const char *feishu_frame_header(const struct feishu_frame *f, const char *key)
{
	return f->pb ? header_of(f->pb, key) : NULL;
}

static int pack(const Pbbp2__Frame *pb, uint8_t **out, size_t *out_len)
{
	size_t n = pbbp2__frame__get_packed_size(pb);

	*out = malloc(n ? n : 1);
	if (!*out)
		return -ENOMEM;
	*out_len = pbbp2__frame__pack(pb, *out);
	return 0;
}

int feishu_frame_encode_answer(const struct feishu_frame *f, int code, int64_t biz_rt_ms,
                               const char *answer, uint8_t **out, size_t *out_len)
{
	const Pbbp2__Frame *in = f->pb;
	Pbbp2__Frame pb;
	Pbbp2__Header rt = PBBP2__HEADER__INIT;
	Pbbp2__Header **hs;
	char rt_value[24], *data = NULL, *payload = NULL;
	int r;

	*out = NULL;
	*out_len = 0;
	if (!in || f->method != FEISHU_FRAME_DATA)
		return -EINVAL;
	if (answer && crypto_base64_encode((const uint8_t *)answer, strlen(answer), &data) < 0)
		return -ENOMEM;
	r = data ? asprintf(&payload, "{\"code\":%d,\"data\":\"%s\"}", code, data)
	         : asprintf(&payload, "{\"code\":%d}", code);
	free(data);
	if (r < 0)
		return -ENOMEM;
	hs = malloc((in->n_headers + 1) * sizeof(*hs));
	if (!hs) {
		free(payload);
		return -ENOMEM;
	}
	/* A shallow copy: the answer shares every string with the frame. */
	pb = *in;
	memcpy(hs, in->headers, in->n_headers * sizeof(*hs));
	snprintf(rt_value, sizeof(rt_value), "%lld", (long long)biz_rt_ms);
	rt.key = "biz_rt";
	rt.value = rt_value;
	hs[in->n_headers] = &rt;
	pb.headers = hs;
	pb.n_headers = in->n_headers + 1;
	pb.has_payload = 1;
	pb.payload.data = (uint8_t *)payload;
	pb.payload.len = strlen(payload);
	r = pack(&pb, out, out_len);
	free(hs);
	free(payload);
	return r;
}

int feishu_frame_encode_ping(int32_t service, uint8_t **out, size_t *out_len)
{
	Pbbp2__Frame pb = PBBP2__FRAME__INIT;
	Pbbp2__Header type = PBBP2__HEADER__INIT;
	Pbbp2__Header *hs[1] = { &type };

	type.key = "type";
	type.value = "ping";
	pb.service = service;
	pb.method = FEISHU_FRAME_CONTROL;
	pb.headers = hs;
	pb.n_headers = 1;
	return pack(&pb, out, out_len);
}

int feishu_ws_endpoint_request(const char *app_id, const char *app_secret, char **out)
{
	cJSON *o;

	*out = NULL;
	if (!app_id || !app_id[0] || !app_secret || !app_secret[0])
		return -EINVAL;
	o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "AppID", app_id) ||
	    !cJSON_AddStringToObject(o, "AppSecret", app_secret)) {
		cJSON_Delete(o);
		return -ENOMEM;
	}
	*out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return *out ? 0 : -ENOMEM;
}

static int int_field(const cJSON *o, const char *name, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < -1 || v->valuedouble > 86400 * 365)
		return -EINVAL;
	*out = (int)v->valuedouble;
	return 0;
}

static int config_from(const cJSON *o, struct feishu_ws_config *cfg)
{
	if (!cJSON_IsObject(o))
		return -EINVAL;
	if (int_field(o, "PingInterval", &cfg->ping_interval_s) < 0 ||
	    int_field(o, "ReconnectCount", &cfg->reconnect_count) < 0 ||
	    int_field(o, "ReconnectInterval", &cfg->reconnect_interval_s) < 0 ||
	    int_field(o, "ReconnectNonce", &cfg->reconnect_nonce_s) < 0)
		return -EINVAL;
	return 0;
}

static cJSON *parse_json(const char *s, size_t len)
{
	if (len > FEISHU_FRAME_MAX || !textenc_utf8_valid(s, len, NULL))
		return NULL;
	return cJSON_ParseWithLength(s, len);
}

/* service_id from the URL's query: the SDKs put it in every ping. */
static int service_of(const char *url, int32_t *out)
{
	const char *q = strchr(url, '?');
	int64_t v;
	char num[16];

	while (q) {
		q++;
		if (strncmp(q, "service_id=", 11) == 0) {
			size_t n = strcspn(q + 11, "&#");

			if (n == 0 || n >= sizeof(num))
				return -EINVAL;
			memcpy(num, q + 11, n);
			num[n] = '\0';
			if (digits_parse(num, 10, &v) < 0 || v > INT32_MAX)
				return -EINVAL;
			*out = (int32_t)v;
			return 0;
		}
		q = strchr(q, '&');
	}
	return -EINVAL;
}

int feishu_ws_endpoint_parse(const char *body, size_t len, struct feishu_ws_endpoint *out,
                             long *code)
{
	cJSON *root = parse_json(body, len);
	const cJSON *c, *data, *url;
	int r = -EINVAL;

	memset(out, 0, sizeof(*out));
	*code = 0;
	if (!root)
		return -EINVAL;
	c = cJSON_GetObjectItemCaseSensitive(root, "code");
	if (!cJSON_IsNumber(c))
		goto done;
	if (c->valuedouble != 0) {
		/* Feishu's codes fit in 32 bits; anything else is reported as -1. */
		*code = c->valuedouble >= -2147483648.0 && c->valuedouble <= 2147483647.0
		            ? (long)c->valuedouble : -1;
		r = -EPROTO;
		goto done;
	}
	data = cJSON_GetObjectItemCaseSensitive(root, "data");
	url = cJSON_GetObjectItemCaseSensitive(data, "URL");
	if (!cJSON_IsString(url) || (strncmp(url->valuestring, "wss://", 6) != 0 &&
	                             strncmp(url->valuestring, "ws://", 5) != 0))
		goto done;
	if (service_of(url->valuestring, &out->service) < 0 ||
	    config_from(cJSON_GetObjectItemCaseSensitive(data, "ClientConfig"), &out->config) < 0)
		goto done;
	out->url = strdup(url->valuestring);
	r = out->url ? 0 : -ENOMEM;
done:
	cJSON_Delete(root);
	if (r < 0)
		feishu_ws_endpoint_free(out);
	return r;
}

void feishu_ws_endpoint_free(struct feishu_ws_endpoint *ep)
{
	if (!ep)
		return;
	free(ep->url);
	memset(ep, 0, sizeof(*ep));
}

int feishu_ws_config_parse(const uint8_t *payload, size_t len, struct feishu_ws_config *cfg)
{
	struct feishu_ws_config tmp = *cfg;
	cJSON *root;
	int r;

	if (!payload)
		return -EINVAL;
	root = parse_json((const char *)payload, len);
	if (!root)
		return -EINVAL;
	r = config_from(root, &tmp);
	cJSON_Delete(root);
	if (r == 0)
		*cfg = tmp;
	return r;
}

/* One payload being joined: its parts by seq, each malloc'ed. */
struct reasm_set {
	char *message_id;
	unsigned sum, have;
	size_t bytes;
	int64_t first_ms;
	uint8_t *part[FEISHU_FRAME_MAX_FRAGMENTS];
	size_t part_len[FEISHU_FRAME_MAX_FRAGMENTS];
	bool used;
};

struct feishu_reasm {
	struct reasm_set set[FEISHU_REASM_MAX_PENDING];
	size_t pending;
};

struct feishu_reasm *feishu_reasm_new(void)
{
	return calloc(1, sizeof(struct feishu_reasm));
}

static void set_clear(struct feishu_reasm *r, struct reasm_set *s)
{
	for (unsigned i = 0; i < s->sum; i++)
		free(s->part[i]);
	free(s->message_id);
	memset(s, 0, sizeof(*s));
	r->pending--;
}

void feishu_reasm_free(struct feishu_reasm *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < FEISHU_REASM_MAX_PENDING; i++)
		if (r->set[i].used)
			set_clear(r, &r->set[i]);
	free(r);
}

int feishu_reasm_expire(struct feishu_reasm *r, int64_t now_ms)
{
	int n = 0;

	for (size_t i = 0; i < FEISHU_REASM_MAX_PENDING; i++) {
		struct reasm_set *s = &r->set[i];

		/* A clock that went back expires nothing rather than everything. */
		if (s->used && now_ms - s->first_ms > FEISHU_REASM_EXPIRY_MS) {
			set_clear(r, s);
			n++;
		}
	}
	return n;
}

size_t feishu_reasm_pending(const struct feishu_reasm *r)
{
	return r->pending;
}

static int finish(const uint8_t *const *parts, const size_t *lens, unsigned n, size_t total,
                  char **payload, size_t *payload_len)
{
	char *p = malloc(total + 1);
	size_t off = 0;

	if (!p)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		if (lens[i])
			memcpy(p + off, parts[i], lens[i]);
		off += lens[i];
	}
	p[total] = '\0';
	if (!textenc_utf8_valid(p, total, NULL)) {
		free(p);
		return -EINVAL;
	}
	*payload = p;
	*payload_len = total;
	return 0;
}

static struct reasm_set *find_set(struct feishu_reasm *r, const char *message_id)
{
	for (size_t i = 0; i < FEISHU_REASM_MAX_PENDING; i++)
		if (r->set[i].used && strcmp(r->set[i].message_id, message_id) == 0)
			return &r->set[i];
	return NULL;
}

static struct reasm_set *new_set(struct feishu_reasm *r, const struct feishu_frame *f,
                                 int64_t now_ms)
{
	for (size_t i = 0; i < FEISHU_REASM_MAX_PENDING; i++) {
		struct reasm_set *s = &r->set[i];

		if (s->used)
			continue;
		s->message_id = strdup(f->message_id);
		if (!s->message_id)
			return NULL;
		s->used = true;
		s->sum = f->sum;
		s->first_ms = now_ms;
		r->pending++;
		return s;
	}
	return NULL;
}

int feishu_reasm_add(struct feishu_reasm *r, const struct feishu_frame *f, int64_t now_ms,
                     char **payload, size_t *payload_len)
{
	struct reasm_set *s;
	int rc;

	*payload = NULL;
	*payload_len = 0;
	if (f->method != FEISHU_FRAME_DATA || !f->message_id || f->sum == 0 ||
	    f->sum > FEISHU_FRAME_MAX_FRAGMENTS || f->seq >= f->sum)
		return -EINVAL;
	feishu_reasm_expire(r, now_ms);
	if (f->sum == 1) {
		const uint8_t *parts[1] = { f->payload };

		return finish(parts, &f->payload_len, 1, f->payload_len, payload, payload_len);
	}
	s = find_set(r, f->message_id);
	if (!s) {
		if (r->pending >= FEISHU_REASM_MAX_PENDING)
			return -ENOBUFS;
		s = new_set(r, f, now_ms);
		if (!s)
			return -ENOMEM;
	}
	if (s->sum != f->sum) {
		rc = -EINVAL;
		goto drop;
	}
	if (s->part[f->seq]) {
		/* A redelivered part is harmless when it is the same bytes. */
		if (s->part_len[f->seq] == f->payload_len &&
		    (f->payload_len == 0 || memcmp(s->part[f->seq], f->payload, f->payload_len) == 0))
			return 0;
		rc = -EINVAL;
		goto drop;
	}
	if (f->payload_len > FEISHU_FRAME_MAX - s->bytes) {
		rc = -EMSGSIZE;
		goto drop;
	}
	s->part[f->seq] = malloc(f->payload_len ? f->payload_len : 1);
	if (!s->part[f->seq]) {
		rc = -ENOMEM;
		goto drop;
	}
	if (f->payload_len)
		memcpy(s->part[f->seq], f->payload, f->payload_len);
	s->part_len[f->seq] = f->payload_len;
	s->bytes += f->payload_len;
	s->have++;
	if (s->have < s->sum)
		return 0;
	rc = finish((const uint8_t *const *)s->part, s->part_len, s->sum, s->bytes, payload,
	            payload_len);
drop:
	set_clear(r, s);
	return rc;
}
