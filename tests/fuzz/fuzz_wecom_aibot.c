/*
 * libFuzzer target for the WeCom intelligent robot's long connection: a
 * frame as the server sends it, and the neutral message of a pushed one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../messages/wecom_aibot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wecom_aibot_frame f;
	struct chat_msg m;
	char *out;

	if (wecom_aibot_decode((const char *)data, size, &f) == 0 && f.kind == WECOM_AIBOT_MSG) {
		if (wecom_aibot_chat_msg(&f, "fuzz", "wwfuzz", &m) != 0 || !m.sender_id)
			abort();
		if (wecom_aibot_respond(f.req_id, f.msgid, m.text ? m.text : "", &out) == 0)
			free(out);
	}
	wecom_aibot_frame_free(&f);
	return 0;
}
