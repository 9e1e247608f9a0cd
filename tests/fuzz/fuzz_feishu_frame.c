/*
 * libFuzzer target for Feishu's long connection: a WebSocket message as a
 * protobuf frame (decoded, fed to a reassembler that lives across inputs so
 * fragments of several inputs meet, acked), and the same bytes as an
 * endpoint answer and as a pong's config.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../messages/feishu_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct feishu_reasm *r;
	static int64_t now_ms = 1700000000000LL;
	struct feishu_frame f;
	struct feishu_ws_endpoint ep;
	struct feishu_ws_config cfg = { 0, 0, 0, 0 };
	uint8_t *ack;
	size_t ack_len, jlen;
	char *joined;
	long code;

	if (!r)
		r = feishu_reasm_new();
	if (!r)
		abort();
	/* Time moves on so incomplete sets expire now and then. */
	now_ms += 997;
	if (feishu_frame_decode(data, size, &f) == 0) {
		if (f.method == FEISHU_FRAME_DATA) {
			if (feishu_reasm_add(r, &f, now_ms, &joined, &jlen) == 0 && joined) {
				if (strlen(joined) > jlen)
					abort();
				free(joined);
			}
			if (feishu_frame_encode_answer(&f, 200, 3, NULL, &ack, &ack_len) == 0)
				free(ack);
		} else if (f.type == FEISHU_FRAME_PONG) {
			feishu_ws_config_parse(f.payload, f.payload_len, &cfg);
		}
		feishu_frame_free(&f);
	}
	if (feishu_reasm_pending(r) > FEISHU_REASM_MAX_PENDING)
		abort();
	if (feishu_ws_endpoint_parse((const char *)data, size, &ep, &code) == 0)
		feishu_ws_endpoint_free(&ep);
	return 0;
}
