/* Feishu long-connection frames: frames captured from the official Node SDK
 * (@larksuiteoapi/node-sdk 1.74.0, its WSClient against tests/fake/feishu_ws.py)
 * decode, and our ping and ack encode to the SDK's bytes; fragments are
 * joined within their bounds; the endpoint answer and pong config parse;
 * malformed frames are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../messages/feishu_frame.h"
#include "feishu_frame.pb-c.h"

#define NOW_MS 1700000000000LL
#define SERVICE 33554678

/* The two parts of an event the fake split, as sent to the SDK. */
static const char PART0[] =
	"080010d88fd6d80618f681801020012a0d0a047479706512056576656e742a170a0a6d6573736167655f6964"
	"12096d736766616b652d332a080a0373756d1201322a080a037365711201302a1b0a0874726163655f696412"
	"0f74726163652d6d736766616b652d33425f7b22736368656d61223a2022322e30222c2022686561646572"
	"223a207b226576656e745f6964223a202265762d6331222c20226576656e745f74797065223a2022696d2e"
	"6d6573736167652e726563656976655f7631222c202274656e616e";
static const char PART1[] =
	"080110d88fd6d80618f681801020012a0d0a047479706512056576656e742a170a0a6d6573736167655f6964"
	"12096d736766616b652d332a080a0373756d1201322a080a037365711201312a1b0a0874726163655f696412"
	"0f74726163652d6d736766616b652d33425e745f6b6579223a20227431227d2c20226576656e74223a207b"
	"226d657373616765223a207b22636861745f74797065223a2022703270222c2022636f6e74656e74223a20"
	"227b5c22746578745c223a5c22e69fa5e8afa25c227d227d7d7d";
static const char JOINED[] =
	"{\"schema\": \"2.0\", \"header\": {\"event_id\": \"ev-c1\", \"event_type\": "
	"\"im.message.receive_v1\", \"tenant_key\": \"t1\"}, \"event\": {\"message\": "
	"{\"chat_type\": \"p2p\", \"content\": \"{\\\"text\\\":\\\"查询\\\"}\"}}}";
/* The SDK's answer to it (its biz_rt is start - end: -1), and its ping. */
static const char SDK_ACK[] =
	"080110d88fd6d80618f681801020012a0d0a047479706512056576656e742a170a0a6d6573736167655f6964"
	"12096d736766616b652d332a080a0373756d1201322a080a037365711201312a1b0a0874726163655f696412"
	"0f74726163652d6d736766616b652d332a0c0a0662697a5f727412022d31420c7b22636f6465223a3230307d";
static const char SDK_PING[] = "0800100018f681801020002a0c0a0474797065120470696e67";
static const char PONG[] =
	"0800100018f681801020002a0c0a04747970651204706f6e6742537b2250696e67496e74657276616c223a"
	"39302c225265636f6e6e656374436f756e74223a2d312c225265636f6e6e656374496e74657276616c223a"
	"3132302c225265636f6e6e6563744e6f6e6365223a33307d";
static const char CARD[] =
	"0800100018f681801020012a0c0a04747970651204636172642a100a0a6d6573736167655f69641202633142"
	"077b2261223a317d";
/* Refused: type bogus; method 7; no message_id; no type; sum 0; seq 2 of 2;
 * sum 65; a header value that is not UTF-8. */
static const char *const BAD[] = {
	"0800100018f681801020012a0d0a04747970651205626f6775732a100a0a6d6573736167655f696412026d"
	"3142027b7d",
	"0800100018f681801020072a0d0a047479706512056576656e742a100a0a6d6573736167655f696412026d"
	"3142027b7d",
	"0800100018f681801020012a0d0a047479706512056576656e7442027b7d",
	"0800100018f681801020012a100a0a6d6573736167655f696412026d3142027b7d",
	"0800100018f681801020012a0d0a047479706512056576656e742a100a0a6d6573736167655f696412026d"
	"312a080a0373756d1201302a080a0373657112013042027b7d",
	"0800100018f681801020012a0d0a047479706512056576656e742a100a0a6d6573736167655f696412026d"
	"312a080a0373756d1201322a080a0373657112013242027b7d",
	"0800100018f681801020012a0d0a047479706512056576656e742a100a0a6d6573736167655f696412026d"
	"312a090a0373756d120236352a080a0373657112013042027b7d",
	"0800100018f681801020012a0d0a047479706512056576656e742a100a0a6d6573736167655f696412026d"
	"ff42027b7d",
};

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static int decode_hex(const char *hex, struct feishu_frame *f)
{
	uint8_t buf[1024];
	size_t n = unhex(hex, buf);

	return feishu_frame_decode(buf, n, f);
}

/* A data frame built with protobuf-c directly: type event, message_id mid,
 * sum/seq, payload. *len gets its size; the caller frees. */
static uint8_t *make_frame(const char *mid, unsigned sum, unsigned seq, const void *payload,
                           size_t plen, size_t *len)
{
	Pbbp2__Frame pb = PBBP2__FRAME__INIT;
	Pbbp2__Header h[4] = { PBBP2__HEADER__INIT, PBBP2__HEADER__INIT, PBBP2__HEADER__INIT,
	                       PBBP2__HEADER__INIT };
	Pbbp2__Header *hp[4] = { &h[0], &h[1], &h[2], &h[3] };
	char sums[16], seqs[16];
	uint8_t *out;

	snprintf(sums, sizeof sums, "%u", sum);
	snprintf(seqs, sizeof seqs, "%u", seq);
	h[0].key = "type", h[0].value = "event";
	h[1].key = "message_id", h[1].value = (char *)mid;
	h[2].key = "sum", h[2].value = sums;
	h[3].key = "seq", h[3].value = seqs;
	pb.method = 1;
	pb.service = SERVICE;
	pb.headers = hp;
	pb.n_headers = 4;
	pb.has_payload = 1;
	pb.payload.data = (uint8_t *)payload;
	pb.payload.len = plen;
	*len = pbbp2__frame__get_packed_size(&pb);
	out = malloc(*len);
	assert_non_null(out);
	pbbp2__frame__pack(&pb, out);
	return out;
}

static int add_made(struct feishu_reasm *r, const char *mid, unsigned sum, unsigned seq,
                    const void *payload, size_t plen, int64_t now, char **joined, size_t *jlen)
{
	struct feishu_frame f;
	size_t len;
	uint8_t *buf = make_frame(mid, sum, seq, payload, plen, &len);
	int rc = feishu_frame_decode(buf, len, &f);

	assert_int_equal(rc, 0);
	rc = feishu_reasm_add(r, &f, now, joined, jlen);
	feishu_frame_free(&f);
	free(buf);
	return rc;
}

static void test_sdk_ping_and_pong(void **state)
{
	struct feishu_frame f;
	uint8_t want[64], *out;
	size_t n = unhex(SDK_PING, want), out_len;
	struct feishu_ws_config cfg = { 120, -1, 1, 0 };

	(void)state;
	assert_int_equal(decode_hex(SDK_PING, &f), 0);
	assert_int_equal(f.method, FEISHU_FRAME_CONTROL);
	assert_int_equal(f.type, FEISHU_FRAME_PING);
	assert_int_equal(f.service, SERVICE);
	assert_null(f.message_id);
	feishu_frame_free(&f);
	/* Ours is byte for byte the SDK's. */
	assert_int_equal(feishu_frame_encode_ping(SERVICE, &out, &out_len), 0);
	assert_int_equal(out_len, n);
	assert_memory_equal(out, want, n);
	free(out);

	assert_int_equal(decode_hex(PONG, &f), 0);
	assert_int_equal(f.type, FEISHU_FRAME_PONG);
	assert_int_equal(feishu_ws_config_parse(f.payload, f.payload_len, &cfg), 0);
	assert_int_equal(cfg.ping_interval_s, 90);
	assert_int_equal(cfg.reconnect_count, -1);
	assert_int_equal(cfg.reconnect_interval_s, 120);
	assert_int_equal(cfg.reconnect_nonce_s, 30);
	assert_int_equal(feishu_ws_config_parse((const uint8_t *)"[1]", 3, &cfg), -EINVAL);
	assert_int_equal(feishu_ws_config_parse((const uint8_t *)"{\"PingInterval\":\"x\"}", 20,
	                                        &cfg), -EINVAL);
	assert_int_equal(cfg.ping_interval_s, 90);
	feishu_frame_free(&f);
}

static void test_fragments_join_and_ack_matches_sdk(void **state)
{
	struct feishu_reasm *r = feishu_reasm_new();
	struct feishu_frame f0, f1;
	uint8_t want[1024], *ack;
	size_t n = unhex(SDK_ACK, want), ack_len, jlen;
	char *joined;

	(void)state;
	assert_non_null(r);
	assert_int_equal(decode_hex(PART0, &f0), 0);
	assert_int_equal(decode_hex(PART1, &f1), 0);
	assert_int_equal(f1.type, FEISHU_FRAME_EVENT);
	assert_string_equal(f1.message_id, "msgfake-3");
	assert_string_equal(f1.trace_id, "trace-msgfake-3");
	assert_int_equal(f1.sum, 2);
	assert_int_equal(f1.seq, 1);
	assert_string_equal(feishu_frame_header(&f1, "seq"), "1");
	assert_null(feishu_frame_header(&f1, "biz_rt"));

	/* Out of order, with a harmless repeat of a part. */
	assert_int_equal(feishu_reasm_add(r, &f1, NOW_MS, &joined, &jlen), 0);
	assert_null(joined);
	assert_int_equal(feishu_reasm_add(r, &f1, NOW_MS, &joined, &jlen), 0);
	assert_null(joined);
	assert_int_equal(feishu_reasm_pending(r), 1);
	assert_int_equal(feishu_reasm_add(r, &f0, NOW_MS + 5, &joined, &jlen), 0);
	assert_non_null(joined);
	assert_int_equal(jlen, strlen(JOINED));
	assert_string_equal(joined, JOINED);
	assert_int_equal(feishu_reasm_pending(r), 0);
	free(joined);

	assert_int_equal(feishu_frame_encode_answer(&f1, 200, -1, NULL, &ack, &ack_len), 0);
	assert_int_equal(ack_len, n);
	assert_memory_equal(ack, want, n);
	free(ack);
	/* A control frame has nothing to acknowledge. */
	feishu_frame_free(&f0);
	assert_int_equal(decode_hex(SDK_PING, &f0), 0);
	assert_int_equal(feishu_frame_encode_answer(&f0, 200, 1, NULL, &ack, &ack_len), -EINVAL);
	assert_null(ack);
	assert_int_equal(feishu_reasm_add(r, &f0, NOW_MS, &joined, &jlen), -EINVAL);
	feishu_frame_free(&f0);
	feishu_frame_free(&f1);
	feishu_reasm_free(r);
}

static void test_single_part_and_card(void **state)
{
	struct feishu_reasm *r = feishu_reasm_new();
	struct feishu_frame f;
	char *joined;
	size_t jlen;

	(void)state;
	assert_int_equal(decode_hex(CARD, &f), 0);
	assert_int_equal(f.type, FEISHU_FRAME_CARD);
	assert_int_equal(f.sum, 1);
	assert_int_equal(feishu_reasm_add(r, &f, NOW_MS, &joined, &jlen), 0);
	assert_string_equal(joined, "{\"a\":1}");
	free(joined);
	/* A card callback's answer rides in the acknowledgement, as Base64. */
	{
		struct feishu_frame a;
		uint8_t *buf;
		size_t len;
		static const char want[] = "{\"code\":200,\"data\":\"eyJ0b2FzdCI6e319\"}";

		assert_int_equal(
			feishu_frame_encode_answer(&f, 200, 7, "{\"toast\":{}}", &buf, &len), 0);
		assert_int_equal(feishu_frame_decode(buf, len, &a), 0);
		assert_int_equal(a.type, FEISHU_FRAME_CARD);
		assert_string_equal(feishu_frame_header(&a, "biz_rt"), "7");
		assert_int_equal(a.payload_len, strlen(want));
		assert_memory_equal(a.payload, want, a.payload_len);
		feishu_frame_free(&a);
		free(buf);
	}
	feishu_frame_free(&f);
	feishu_reasm_free(r);
}

static void test_malformed_refused(void **state)
{
	struct feishu_frame f;
	uint8_t buf[1024];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
		assert_int_equal(decode_hex(BAD[i], &f), -EINVAL);
		assert_null(f.pb);
		feishu_frame_free(&f);
	}
	/* Truncated: inside the payload, and before the required fields. */
	n = unhex(PART0, buf);
	assert_int_equal(feishu_frame_decode(buf, n - 1, &f), -EINVAL);
	assert_int_equal(feishu_frame_decode(buf, 3, &f), -EINVAL);
	assert_int_equal(feishu_frame_decode(buf, 0, &f), -EINVAL);
	/* Every prefix: refused or a whole frame, never a crash. */
	for (size_t k = 0; k < n; k++) {
		int rc = feishu_frame_decode(buf, k, &f);

		assert_true(rc == 0 || rc == -EINVAL);
		feishu_frame_free(&f);
	}
	assert_int_equal(feishu_frame_decode(buf, FEISHU_FRAME_MAX + 1, &f), -EMSGSIZE);
}

static void test_reassembly_bounds(void **state)
{
	struct feishu_reasm *r = feishu_reasm_new();
	size_t big = FEISHU_FRAME_MAX / 2 + 1, jlen;
	char *p = malloc(big), *joined, mid[32];

	(void)state;
	memset(p, 'a', big);
	/* Two halves over 1 MiB together: refused, the set dropped. */
	assert_int_equal(add_made(r, "big", 2, 0, p, big, NOW_MS, &joined, &jlen), 0);
	assert_int_equal(add_made(r, "big", 2, 1, p, big, NOW_MS, &joined, &jlen), -EMSGSIZE);
	assert_int_equal(feishu_reasm_pending(r), 0);
	free(p);

	/* A sum that disagrees with the first part's. */
	assert_int_equal(add_made(r, "m", 3, 0, "x", 1, NOW_MS, &joined, &jlen), 0);
	assert_int_equal(add_made(r, "m", 2, 1, "y", 1, NOW_MS, &joined, &jlen), -EINVAL);
	assert_int_equal(feishu_reasm_pending(r), 0);
	/* The same part again with other bytes. */
	assert_int_equal(add_made(r, "m", 2, 0, "x", 1, NOW_MS, &joined, &jlen), 0);
	assert_int_equal(add_made(r, "m", 2, 0, "z", 1, NOW_MS, &joined, &jlen), -EINVAL);
	/* An empty part, repeated (found by fuzz_feishu_frame under UBSan). */
	assert_int_equal(add_made(r, "e", 2, 0, NULL, 0, NOW_MS, &joined, &jlen), 0);
	assert_int_equal(add_made(r, "e", 2, 0, NULL, 0, NOW_MS, &joined, &jlen), 0);
	assert_int_equal(add_made(r, "e", 2, 1, "{}", 2, NOW_MS, &joined, &jlen), 0);
	assert_string_equal(joined, "{}");
	free(joined);
	/* Joined bytes that are not UTF-8. */
	assert_int_equal(add_made(r, "u", 2, 0, "\xe6", 1, NOW_MS, &joined, &jlen), 0);
	assert_int_equal(add_made(r, "u", 2, 1, "{", 1, NOW_MS, &joined, &jlen), -EINVAL);
	assert_int_equal(feishu_reasm_pending(r), 0);

	/* At most FEISHU_REASM_MAX_PENDING incomplete sets, until they expire. */
	for (int i = 0; i < FEISHU_REASM_MAX_PENDING; i++) {
		snprintf(mid, sizeof mid, "p%d", i);
		assert_int_equal(add_made(r, mid, 2, 0, "{", 1, NOW_MS, &joined, &jlen), 0);
	}
	assert_int_equal(add_made(r, "one-more", 2, 0, "{", 1, NOW_MS + FEISHU_REASM_EXPIRY_MS,
	                          &joined, &jlen), -ENOBUFS);
	assert_int_equal(feishu_reasm_expire(r, NOW_MS - 1), 0);
	assert_int_equal(feishu_reasm_expire(r, NOW_MS + FEISHU_REASM_EXPIRY_MS + 1),
	                 FEISHU_REASM_MAX_PENDING);
	assert_int_equal(add_made(r, "one-more", 2, 0, "{", 1, NOW_MS + FEISHU_REASM_EXPIRY_MS + 1,
	                          &joined, &jlen), 0);
	/* An expired set's late part starts over instead of completing it. */
	assert_int_equal(add_made(r, "p0", 2, 1, "}", 1, NOW_MS + FEISHU_REASM_EXPIRY_MS + 2,
	                          &joined, &jlen), 0);
	assert_null(joined);
	assert_int_equal(feishu_reasm_pending(r), 2);
	feishu_reasm_free(r);
}

static void test_endpoint(void **state)
{
	static const char ok[] =
		"{\"code\":0,\"msg\":\"ok\",\"data\":{\"URL\":\"wss://msg-frontier.feishu.cn/ws/v2?"
		"fpid=493&aid=552564&device_id=7&access_key=k&service_id=33554678&ticket=t\","
		"\"ClientConfig\":{\"PingInterval\":120,\"ReconnectCount\":-1,"
		"\"ReconnectInterval\":120,\"ReconnectNonce\":30}}}";
	struct feishu_ws_endpoint ep;
	long code;
	char *body;
	const char *lit;

	(void)state;
	assert_int_equal(feishu_ws_endpoint_parse(ok, strlen(ok), &ep, &code), 0);
	assert_string_equal(ep.url, "wss://msg-frontier.feishu.cn/ws/v2?fpid=493&aid=552564&"
	                            "device_id=7&access_key=k&service_id=33554678&ticket=t");
	assert_int_equal(ep.service, SERVICE);
	assert_int_equal(ep.config.ping_interval_s, 120);
	assert_int_equal(ep.config.reconnect_count, -1);
	assert_int_equal(ep.config.reconnect_nonce_s, 30);
	feishu_ws_endpoint_free(&ep);

	lit = "{\"code\":514,\"msg\":\"auth failed\"}";
	assert_int_equal(feishu_ws_endpoint_parse(lit, strlen(lit), &ep, &code), -EPROTO);
	assert_int_equal(code, 514);
	assert_null(ep.url);
	/* Found by fuzz_feishu_frame: a code past any integer. */
	lit = "{\"code\":1e300}";
	assert_int_equal(feishu_ws_endpoint_parse(lit, strlen(lit), &ep, &code), -EPROTO);
	assert_int_equal(code, -1);
#define REFUSED(s) assert_int_equal(feishu_ws_endpoint_parse(s, strlen(s), &ep, &code), -EINVAL)
	REFUSED("{\"code\":0,\"data\":{\"URL\":\"wss://h/ws?ticket=t\",\"ClientConfig\":{}}}");
	REFUSED("{\"code\":0,\"data\":{\"URL\":\"https://h/?service_id=1\",\"ClientConfig\":{}}}");
	REFUSED("{\"code\":0,\"data\":{\"URL\":\"wss://h/?service_id=1\"}}");
	REFUSED("{\"code\":0,\"data\":{\"URL\":\"wss://h/?service_id=1x\",\"ClientConfig\":{}}}");
	REFUSED("{\"code\":0,\"data\":{\"URL\":\"wss://h/\xff?service_id=1\",\"ClientConfig\":{}}}");
	REFUSED("{\"code\":0,");
	REFUSED("");
#undef REFUSED

	assert_int_equal(feishu_ws_endpoint_request("cli_a1b2c3d4e5f60789", "s3cret", &body), 0);
	assert_string_equal(body, "{\"AppID\":\"cli_a1b2c3d4e5f60789\",\"AppSecret\":\"s3cret\"}");
	free(body);
	assert_int_equal(feishu_ws_endpoint_request("cli_x", "", &body), -EINVAL);
	assert_null(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdk_ping_and_pong),
		cmocka_unit_test(test_fragments_join_and_ack_matches_sdk),
		cmocka_unit_test(test_single_part_and_card),
		cmocka_unit_test(test_malformed_refused),
		cmocka_unit_test(test_reassembly_bounds),
		cmocka_unit_test(test_endpoint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
