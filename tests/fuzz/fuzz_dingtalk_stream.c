/*
 * libFuzzer target for DingTalk Stream mode: a frame as the gateway sends
 * it (classified, then acked or echoed, its robot message decoded as in
 * HTTP mode, a card press decoded and acked) and the gateway's open answer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../messages/dingtalk_card.h"
#include "../../messages/dingtalk_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dingtalk_stream_frame f;
	struct dingtalk_msg m;
	const char *why = NULL;
	char *out = NULL;
	int rc;

	rc = dingtalk_stream_decode((const char *)data, size, &f);
	if (rc == 0 && f.kind == DINGTALK_STREAM_ROBOT) {
		dingtalk_stream_robot(&f, "fuzz", &m, &why);
		dingtalk_msg_free(&m);
	}
	if (rc == 0 && f.kind == DINGTALK_STREAM_CARD) {
		struct dingtalk_press p;

		dingtalk_press_decode(f.data, strlen(f.data), &p, &why);
		dingtalk_press_free(&p);
		if (dingtalk_stream_ack_card(&f, NULL, &out) == 0 && !out)
			abort();
		free(out);
		out = NULL;
	}
	if (rc == 0 || rc == -ENOENT) {
		if (dingtalk_stream_ack(&f, &out) == 0 && !out)
			abort();
		free(out);
		out = NULL;
		if (dingtalk_stream_pong(&f, &out) == 0 && !out)
			abort();
		free(out);
	}
	dingtalk_stream_frame_free(&f);
	if (dingtalk_stream_open_parse((const char *)data, size, &out) == 0)
		free(out);
	return 0;
}
