/*
 * Enterprise categories as people write them: the stored tag (规上), the
 * seeds' wording (规模以上, 好品山东, 质量标杆 …) or an English alias, for
 * 备案's 企业类别, 企业类别, 统计 and 目标.
 */
#ifndef CQOD_CATEGORY_H
#define CQOD_CATEGORY_H

#include <stdbool.h>
#include <stddef.h>

/* The stored name of the category `word` names (static), or NULL. 中小企业
 * (STORE_STATS_SME, counted by 企业规模, not a tag) only when `sme`. */
const char *category_find(const char *word, bool sme);

/* The stored category's name in full (好品 → 好品山东品牌企业; static), as
 * lists and cards show it; `category` itself when it is no tag. */
const char *category_full(const char *category);

/* What goes before "企业" in a sentence: the category, but 中小 for 中小企业. */
const char *category_stem(const char *category);

/* The tag index (store_import_tag_index) of the tag `word` names, or -1. */
int category_tag(const char *word);

/* The tags a list such as "规上、专精特新" names (separated by 、 , ; / or
 * blanks, half- or full-width) as bits (1u << tag index) into *bits. 0, or
 * -EINVAL with the first word naming no tag in bad[len]. */
int category_parse_list(const char *text, unsigned *bits, char *bad, size_t len);

/* The names in full of the tags in `bits`, joined by 、, into buf[len] ("" for
 * none). */
void category_join(unsigned bits, char *buf, size_t len);

/* The measure of a target `word` names (聘任率, 培训率, 新备案 …) as an enum
 * store_target_metric, or -1. */
int category_target_metric(const char *word);

#endif
