/* Category names; see category.h. */
#include "category.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../lib/names.h"
#include "../store/store_import.h"
#include "../store/store_stats.h"
#include "../messages/text.h"
#include "text/lists.h"

/* In store_import_tag_name order (test_validate checks it): the stored tag,
 * the names that mean it and its name in full. Free of store calls, so that
 * the 备案 form links on its own (fuzz_form). */
static const struct {
	const char *tag, *names, *full;
} tags[STORE_IMPORT_TAGS] = {
	{TXT_TAG_ABOVE, TXT_CAT_ABOVE, TXT_CATNAME_ABOVE},
	{TXT_TAG_CHAIN, TXT_CAT_CHAIN, TXT_CATNAME_CHAIN},
	{TXT_TAG_BRAND, TXT_CAT_BRAND, TXT_CATNAME_BRAND},
	{TXT_TAG_AWARD, TXT_CAT_AWARD, TXT_CATNAME_AWARD},
	{TXT_TAG_SPECIAL, TXT_CAT_SPECIAL, TXT_CATNAME_SPECIAL},
	{TXT_TAG_BENCHMARK, TXT_CAT_BENCHMARK, TXT_CATNAME_BENCHMARK},
	{TXT_TAG_FOOD, TXT_CAT_FOOD, TXT_CATNAME_FOOD},
	{TXT_TAG_DRUG, TXT_CAT_DRUG, TXT_CATNAME_DRUG},
	{TXT_TAG_EQUIPMENT, TXT_CAT_EQUIPMENT, TXT_CATNAME_EQUIPMENT},
};

int category_tag(const char *word)
{
	for (int i = 0; i < STORE_IMPORT_TAGS; i++)
		if (names_has(tags[i].names, word, strlen(word)))
			return i;
	return -1;
}

const char *category_find(const char *word, bool sme)
{
	int i = category_tag(word);

	if (i >= 0)
		return tags[i].tag;
	return sme && names_has(TXT_CAT_SME, word, strlen(word)) ? STORE_STATS_SME : NULL;
}

const char *category_full(const char *category)
{
	for (int i = 0; i < STORE_IMPORT_TAGS; i++)
		if (strcmp(tags[i].tag, category) == 0)
			return tags[i].full;
	return category;
}

const char *category_stem(const char *category)
{
	return strcmp(category, STORE_STATS_SME) == 0 ? TXT_CAT_SME_STEM : category;
}

int category_parse_list(const char *text, unsigned *bits, char *bad, size_t len)
{
	static const char *const seps[] = {"、", ",", "，", ";", "；", "/", " ", "\u3000"};
	char word[64];

	*bits = 0;
	for (const char *p = text; *p;) {
		size_t n = 0, skip = 0;
		while (p[n] && !skip) {
			for (size_t i = 0; i < sizeof seps / sizeof seps[0] && !skip; i++)
				if (strncmp(p + n, seps[i], strlen(seps[i])) == 0)
					skip = strlen(seps[i]);
			if (!skip)
				n++;
		}
		if (n > 0) {
			snprintf(word, sizeof word, "%.*s", (int)n, p);
			int tag = category_tag(word);
			if (tag < 0) {
				snprintf(bad, len, "%s", word);
				return -EINVAL;
			}
			*bits |= 1u << tag;
		}
		p += n + skip;
	}
	return 0;
}

void category_join(unsigned bits, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < STORE_IMPORT_TAGS && at < len; i++)
		if (bits & (1u << i))
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? TXT_LIST_SEP : "",
			                       tags[i].full);
}

int category_target_metric(const char *word)
{
	/* In enum store_target_metric order. */
	static const char *const names[] = {
		TXT_TARGET_METRIC_RATE, TXT_TARGET_METRIC_TRAINED, TXT_TARGET_METRIC_NEW,
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names_has(names[i], word, strlen(word)))
			return (int)i;
	return -1;
}
