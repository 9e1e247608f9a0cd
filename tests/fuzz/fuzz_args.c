/*
 * libFuzzer target for the command tokenizer (handlers/args.c): any chat
 * text, tokenized and normalized. Checks what args.h promises: argv ends
 * with NULL, arguments are non-empty strings, and the body is never NULL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../handlers/args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct args a;
	char *text = malloc(size + 1);
	char *norm;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (args_tokenize(text, &a) == 0) {
		if (a.argc < 0 || a.argc > ARGS_MAX_ARGC || !a.body)
			abort();
		if (a.argc > 0 && a.argv[a.argc] != NULL)
			abort();
		for (int i = 0; i < a.argc; i++)
			if (!a.argv[i])
				abort();
	}
	args_free(&a);
	norm = args_normalize(text);
	if (norm && strlen(norm) > size)
		abort();
	free(norm);
	free(text);
	return 0;
}
