/* Eligibility at filing; see eligibility.h. */
#include "eligibility.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../store/store_policy.h"
#include "text/registry.h"

static bool has(const char *s, const char *part)
{
	return strstr(s, part) != NULL;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int eligibility_education_rank(const char *s)
{
	if (!s || !*s)
		return 0;
	if (has(s, "博士"))
		return 4;
	if (has(s, "硕士") || has(s, "研究生"))
		return 3;
	/* Before 大学: "大学专科" is a 大专 degree. */
	if (has(s, "大专") || has(s, "专科") || has(s, "高职"))
		return 1;
	if (has(s, "本科") || has(s, "大学") || has(s, "学士"))
		return 2;
	return 0;
}

int eligibility_title_rank(const char *s)
{
	if (!s || !*s)
		return 0;
	/* Series differ (工程、药学、卫生、高校...): 主任药师 and 研究员 are
	 * 正高级, 副主任药师 and 副教授 副高级, 主管药师 中级, 助理工程师 初级. */
	if (has(s, "正高") || has(s, "教授级") || starts_with(s, "主任") ||
	    strcmp(s, "研究员") == 0 || strcmp(s, "教授") == 0)
		return 4;
	if (has(s, "副高") || has(s, "高级") || starts_with(s, "副"))
		return 3;
	if (has(s, "中级") || starts_with(s, "主管") || starts_with(s, "主治"))
		return 2;
	if (has(s, "初级") || has(s, "助理") || ends_with(s, "员") || ends_with(s, "士"))
		return 1;
	if (ends_with(s, "师"))
		return 2;
	return 0;
}

struct warnings {
	char *out;
	size_t len, used;
	int n;
};

__attribute__((format(printf, 2, 3)))
static void warn(struct warnings *w, const char *fmt, ...)
{
	va_list ap;

	if (w->n > 0 && w->used < w->len)
		w->used += (size_t)snprintf(w->out + w->used, w->len - w->used, "%s", TXT_ELIG_SEP);
	if (w->used < w->len) {
		va_start(ap, fmt);
		w->used += (size_t)vsnprintf(w->out + w->used, w->len - w->used, fmt, ap);
		va_end(ap);
	}
	w->n++;
}

int eligibility_check(const struct store_policy *p, const struct eligibility_input *in,
                      char *out, size_t len)
{
	struct warnings w = {.out = out, .len = len};
	bool need_edu = p->min_education[0] != '\0', need_title = p->min_title[0] != '\0';
	bool edu_ok = eligibility_education_rank(in->education) >=
	              eligibility_education_rank(p->min_education);
	bool title_ok = eligibility_title_rank(in->title) >= eligibility_title_rank(p->min_title);

	if (len)
		out[0] = '\0';
	if (p->min_quality_years > 0 && in->quality_years < 0)
		warn(&w, TXT_ELIG_YEARS_NONE, p->min_quality_years);
	else if (in->quality_years >= 0 && in->quality_years < p->min_quality_years)
		warn(&w, TXT_ELIG_YEARS, in->quality_years, p->min_quality_years);

	if (p->eligibility_any && need_edu && need_title) {
		if (!edu_ok && !title_ok)
			warn(&w, TXT_ELIG_EITHER, p->min_education, p->min_title);
		return w.n;
	}
	if (need_edu && !edu_ok && in->education && *in->education)
		warn(&w, TXT_ELIG_EDU, in->education, p->min_education);
	else if (need_edu && !edu_ok)
		warn(&w, TXT_ELIG_EDU_NONE, p->min_education);
	if (need_title && !title_ok && in->title && *in->title)
		warn(&w, TXT_ELIG_TITLE, in->title, p->min_title);
	else if (need_title && !title_ok)
		warn(&w, TXT_ELIG_TITLE_NONE, p->min_title);
	return w.n;
}
