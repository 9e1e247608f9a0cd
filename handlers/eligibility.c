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

/* A word for a title, not a post: titles end in 师, 员, 士, 教授 or 审
 * (编审, 译审) or name their grade (中级, 副高级, 中级职称). 副总经理,
 * 高级经理 or 主任 are posts. */
static bool title_word(const char *s)
{
	return ends_with(s, "级") || has(s, "职称") || ends_with(s, "师") || ends_with(s, "员") || ends_with(s, "士") ||
	       ends_with(s, "教授") || ends_with(s, "审");
}

int eligibility_title_rank(const char *s)
{
	if (!s || !*s || !title_word(s))
		return 0;
	/* Series differ (工程、药学、卫生、高校...): 主任药师 and 研究员 are
	 * 正高级, 副主任药师 and 副教授 副高级, 主管药师 and 助理研究员 中级,
	 * 助理工程师 初级. */
	if (has(s, "正高") || has(s, "教授级") || starts_with(s, "主任") ||
	    strcmp(s, "研究员") == 0 || strcmp(s, "教授") == 0)
		return 4;
	if (has(s, "副高") || has(s, "高级") || starts_with(s, "副"))
		return 3;
	if (has(s, "中级") || starts_with(s, "主管") || starts_with(s, "主治") ||
	    strcmp(s, "助理研究员") == 0)
		return 2;
	/* The health series' 师 grade (药师, 护师, 医师, 检验技师) is 初级;
	 * 主管/主治 above took its 中级. */
	if (has(s, "初级") || has(s, "助理") || ends_with(s, "员") || ends_with(s, "士") ||
	    ends_with(s, "药师") || ends_with(s, "护师") || ends_with(s, "医师") ||
	    ends_with(s, "技师"))
		return 1;
	if (ends_with(s, "师"))
		return 2;
	return 0;
}

static const char *const quality_units[] = {"质量", "品质", "品管", "质管", "质检", "质保"};
static const char *const unit_heads[] = {"部长", "经理", "主任", "负责人", "处长", "科长"};

static enum elig_position part_class(const char *s)
{
	bool deputy = has(s, "副");

	if (has(s, "总监") || has(s, "总工程师") ||
	    (has(s, "助理") && (has(s, "总经理") || has(s, "总裁") || has(s, "厂长"))) ||
	    (deputy && (has(s, "总经理") || has(s, "总裁") || has(s, "厂长") || has(s, "董事长"))))
		return ELIG_POS_DEPUTY;
	if (has(s, "总经理") || has(s, "总裁") || has(s, "董事长") || has(s, "厂长") ||
	    has(s, "执行董事") || has(s, "主要负责人"))
		return ELIG_POS_HEAD;
	if (deputy)
		return ELIG_POS_NONE;
	for (size_t i = 0; i < sizeof quality_units / sizeof *quality_units; i++) {
		if (!has(s, quality_units[i]))
			continue;
		for (size_t j = 0; j < sizeof unit_heads / sizeof *unit_heads; j++)
			if (ends_with(s, unit_heads[j]))
				return ELIG_POS_QUALITY_HEAD;
	}
	return ELIG_POS_NONE;
}

/* Splits at 兼 and list marks; a combined post counts as its best part. */
enum elig_position eligibility_position_class(const char *s)
{
	static const char *const seps[] = {"兼", "、", "，", ",", "/", "；"};
	enum elig_position best = ELIG_POS_NONE;
	char part[128];

	while (s && *s) {
		const char *end = s + strlen(s);
		size_t skip = 0;
		for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
			const char *at = strstr(s, seps[i]);
			if (at && at < end) {
				end = at;
				skip = strlen(seps[i]);
			}
		}
		snprintf(part, sizeof part, "%.*s", (int)(end - s), s);
		enum elig_position c = part_class(part);
		if (c > best)
			best = c;
		s = *end ? end + skip : end;
	}
	return best;
}

const char *eligibility_position_name(enum elig_position c)
{
	switch (c) {
	case ELIG_POS_HEAD: return TXT_ELIG_POS_HEAD;
	case ELIG_POS_DEPUTY: return TXT_ELIG_POS_DEPUTY;
	case ELIG_POS_QUALITY_HEAD: return TXT_ELIG_POS_QUALITY;
	case ELIG_POS_NONE: break;
	}
	return "";
}

enum elig_position eligibility_position_parse(const char *name)
{
	for (int c = ELIG_POS_QUALITY_HEAD; c <= ELIG_POS_HEAD; c++)
		if (name && strcmp(name, eligibility_position_name((enum elig_position)c)) == 0)
			return (enum elig_position)c;
	return ELIG_POS_NONE;
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

/* Calls fn for each item of a list separated by `sep`; the item is a
 * NUL-terminated copy. */
static void each_item(const char *list, char sep, void (*fn)(const char *, void *), void *arg)
{
	char item[256];

	for (const char *p = list; *p;) {
		const char *end = strchr(p, sep);
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n > 0 && n < sizeof item) {
			snprintf(item, sizeof item, "%.*s", (int)n, p);
			fn(item, arg);
		}
		p += n + (end ? 1 : 0);
	}
}

struct joined {
	char *buf;
	size_t len, used;
	int n;
	const char *sep;
	bool numbered;           /* "1. item" rather than "item" */
	enum elig_position want; /* position lists: the class sought */
	const char *needle;      /* is_denial: the declaration */
	bool found;
};

static void join_item(const char *item, void *arg)
{
	struct joined *j = arg;

	j->n++;
	if (j->n > 1 && j->used < j->len)
		j->used += (size_t)snprintf(j->buf + j->used, j->len - j->used, "%s", j->sep);
	if (j->used < j->len && j->numbered)
		j->used += (size_t)snprintf(j->buf + j->used, j->len - j->used, TXT_ELIG_DISQ_ITEM,
		                            j->n, item);
	else if (j->used < j->len)
		j->used += (size_t)snprintf(j->buf + j->used, j->len - j->used, "%s", item);
	if (j->want != ELIG_POS_NONE && eligibility_position_parse(item) == j->want)
		j->found = true;
}

static void is_denial(const char *item, void *arg)
{
	struct joined *j = arg;

	if (strcmp(item, j->needle) == 0)
		j->found = true;
}

static void check_position(const struct store_policy *p, const struct eligibility_input *in,
                           struct warnings *w)
{
	char names[160] = "";
	struct joined j = {.buf = names, .len = sizeof names, .sep = TXT_ELIG_OR,
	                   .want = eligibility_position_class(in->position)};

	if (!p->positions[0] || (p->positions_small_exempt && in->small))
		return;
	each_item(p->positions, ',', join_item, &j);
	if (j.found)
		return;
	if (in->position && *in->position)
		warn(w, TXT_ELIG_POSITION, in->position, names);
	else
		warn(w, TXT_ELIG_POSITION_NONE, names);
}

static void check_disqualifications(const struct store_policy *p,
                                    const struct eligibility_input *in, struct warnings *w)
{
	char items[sizeof p->disqualifications + 64] = "";
	struct joined j = {.buf = items, .len = sizeof items, .sep = TXT_ELIG_SEP,
	                   .numbered = true};

	if (!p->disqualifications[0])
		return;
	if (in->disqualify && *in->disqualify) {
		struct joined d = {.needle = in->disqualify};
		each_item(TXT_ELIG_DISQ_DENIALS, '|', is_denial, &d);
		if (!d.found)
			warn(w, TXT_ELIG_DISQ, in->disqualify);
		return;
	}
	each_item(p->disqualifications, '|', join_item, &j);
	warn(w, TXT_ELIG_DISQ_NONE, items);
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
	} else {
		if (need_edu && !edu_ok && in->education && *in->education)
			warn(&w, TXT_ELIG_EDU, in->education, p->min_education);
		else if (need_edu && !edu_ok)
			warn(&w, TXT_ELIG_EDU_NONE, p->min_education);
		if (need_title && !title_ok && in->title && *in->title)
			warn(&w, TXT_ELIG_TITLE, in->title, p->min_title);
		else if (need_title && !title_ok)
			warn(&w, TXT_ELIG_TITLE_NONE, p->min_title);
	}
	check_position(p, in, &w);
	check_disqualifications(p, in, &w);
	return w.n;
}
