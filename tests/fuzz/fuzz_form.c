/*
 * libFuzzer target for the chat forms: the text is tokenized as a command
 * (handlers/args.c), and its body parsed as a "键：值" form (handlers/form.c)
 * and validated as the 企业首席质量官信息表 of 备案 or 更换
 * (handlers/appoint_form.c), as the handler does before any store call.
 * The first byte chooses 备案 (even) or 更换 (odd).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../handlers/appoint_form.h"
#include "../../handlers/args.h"
#include "../../handlers/form.h"
#include "../../lib/log.h"
#include "../../lib/reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A spec with aliases, continuation lines and a required field. */
static const struct form_spec spec[] = {
	{"name", "姓名|name", true},
	{"resume", "简历|resume", false},
	{"phone", "电话|手机|phone", false},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct args a;
	struct reply r;
	struct form f;
	struct appoint_form af;
	char *text;
	bool replace;

	log_set_level(LOG_LEVEL_ERROR);   /* a malformed form is logged at info */
	if (size < 1)
		return 0;
	replace = data[0] & 1;
	text = malloc(size);
	if (!text)
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (args_tokenize(text, &a) != 0) {
		free(text);
		return 0;
	}
	reply_init(&r);
	form_parse(a.body, spec, sizeof spec / sizeof spec[0], &f, &r);
	for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++)
		(void)form_get(&f, spec[i].key);
	form_free(&f);
	reply_free(&r);

	reply_init(&r);
	struct cmd_ctx ctx = {
		.args = &a, .reply = &r, .now = 1781488800, .text = text,   /* 2026-06-15 */
	};
	appoint_form_read(&ctx, replace, &af);
	appoint_form_free(&af);
	free(reply_render_text(&r));
	reply_free(&r);
	args_free(&a);
	free(text);
	return 0;
}
