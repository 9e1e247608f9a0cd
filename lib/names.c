/* "a|b|c" name lists; see names.h. */
#include "names.h"

#include <string.h>
#include <strings.h>

bool names_has(const char *names, const char *word, size_t len)
{
	for (const char *p = names; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);

		if (n == len && strncasecmp(p, word, n) == 0)
			return true;
		p += n + (bar != NULL);
	}
	return false;
}

size_t names_first_len(const char *names)
{
	const char *bar = strchr(names, '|');

	return bar ? (size_t)(bar - names) : strlen(names);
}
