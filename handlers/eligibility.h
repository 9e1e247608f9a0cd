/*
 * Eligibility of a CQO at filing (任职条件), per the jurisdiction's policy:
 * years in quality work, education, professional title, the post the CQO
 * holds and the disqualifications the filer declares. Unmet criteria are
 * warnings recorded with the appointment, never a refusal.
 *
 * Education ranks 大专 < 本科 < 硕士 < 博士; titles 初级 < 中级 < 副高级
 * (高级) < 正高级. Both are read from the way people write them on the form
 * (本科, 大学本科, 硕士研究生; 工程师, 高级工程师, 主管药师, ...). Posts
 * fall in the classes the seeds name: 主要负责人 (Xiangshan's preference),
 * 高层副职 incl. 总经理助理 (Nantong, Shaanxi's 副总经理或同职级) and
 * 质量部门负责人 (Nantong's 质量管理部门中层正职).
 */
#ifndef CQOD_ELIGIBILITY_H
#define CQOD_ELIGIBILITY_H

#include <stdbool.h>
#include <stddef.h>

struct store_policy;

/* 0 (unknown or below 大专) to 4 (博士). */
int eligibility_education_rank(const char *s);
/* 0 (unknown or none) to 4 (正高级). */
int eligibility_title_rank(const char *s);

enum elig_position {
	ELIG_POS_NONE,           /* unknown, or none of the classes below */
	ELIG_POS_QUALITY_HEAD,   /* 质量部门负责人 */
	ELIG_POS_DEPUTY,         /* 高层副职 */
	ELIG_POS_HEAD,           /* 主要负责人 */
};

/* The class of a post as written (副总经理, 质量部部长兼总经理助理 ...). */
enum elig_position eligibility_position_class(const char *s);
/* The class's name as policies list it ("高层副职"); "" for none. */
const char *eligibility_position_name(enum elig_position c);
/* The class a policy names, ELIG_POS_NONE when the name is none of them. */
enum elig_position eligibility_position_parse(const char *name);

struct eligibility_input {
	long quality_years;      /* -1: not given */
	const char *education;   /* NULL: not given */
	const char *title;       /* NULL: not given */
	const char *position;    /* NULL: not given */
	bool small;              /* the enterprise is 小微 */
	const char *disqualify;  /* the declaration (不得担任情形); NULL: none made */
};

/* Writes the unmet criteria into out (Chinese, separated by "；";
 * "" when all are met) and returns how many there are. */
int eligibility_check(const struct store_policy *p, const struct eligibility_input *in,
                      char *out, size_t len);

#endif
