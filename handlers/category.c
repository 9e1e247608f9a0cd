/* Category names; see category.h. */
#include "category.h"

#include <string.h>
#include <strings.h>

#include "../store/store_import.h"
#include "../store/store_stats.h"
#include "text/lists.h"

/* In store_import_tag_name order. */
static const char *const tag_names[STORE_IMPORT_TAGS] = {
	TXT_CAT_ABOVE, TXT_CAT_CHAIN, TXT_CAT_BRAND, TXT_CAT_AWARD, TXT_CAT_SPECIAL,
	TXT_CAT_BENCHMARK, TXT_CAT_FOOD, TXT_CAT_DRUG, TXT_CAT_EQUIPMENT,
};

static bool names_match(const char *names, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = names; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == wl && strncasecmp(p, word, n) == 0)
			return true;
		p += n + (bar ? 1 : 0);
	}
	return false;
}

int category_tag(const char *word)
{
	for (int i = 0; i < STORE_IMPORT_TAGS; i++)
		if (names_match(tag_names[i], word))
			return i;
	return -1;
}

const char *category_find(const char *word, bool sme)
{
	int i = category_tag(word);

	if (i >= 0)
		return store_import_tag_name(i);
	return sme && names_match(TXT_CAT_SME, word) ? STORE_STATS_SME : NULL;
}

const char *category_stem(const char *category)
{
	return strcmp(category, STORE_STATS_SME) == 0 ? TXT_CAT_SME_STEM : category;
}
