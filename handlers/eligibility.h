/*
 * Eligibility of a CQO at filing (任职条件), per the jurisdiction's policy:
 * years in quality work, education and professional title. Unmet criteria
 * are warnings recorded with the appointment, never a refusal.
 *
 * Education ranks 大专 < 本科 < 硕士 < 博士; titles 初级 < 中级 < 副高级
 * (高级) < 正高级. Both are read from the way people write them on the form
 * (本科, 大学本科, 硕士研究生; 工程师, 高级工程师, 主管药师, ...).
 */
#ifndef CQOD_ELIGIBILITY_H
#define CQOD_ELIGIBILITY_H

#include <stddef.h>

struct store_policy;

/* 0 (unknown or below 大专) to 4 (博士). */
int eligibility_education_rank(const char *s);
/* 0 (unknown or none) to 4 (正高级). */
int eligibility_title_rank(const char *s);

struct eligibility_input {
	long quality_years;      /* -1: not given */
	const char *education;   /* NULL: not given */
	const char *title;       /* NULL: not given */
};

/* Writes the unmet criteria into out (Chinese, separated by "；";
 * "" when all are met) and returns how many there are. */
int eligibility_check(const struct store_policy *p, const struct eligibility_input *in,
                      char *out, size_t len);

#endif
