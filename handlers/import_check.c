/* Checking one row of an import file with the chat commands' rules; see
 * import_row.h. Lengths are those of the 备案 form (appoint_form.c) and of
 * 培训 and the sanction commands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../lib/csv.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "text/cqoctl.h"
#include "text/records.h"
#include "text/registry.h"
#include "argtext.h"
#include "import_row.h"
#include "validate.h"

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

struct check {
	const struct import_header *h;
	char **cells;
	size_t n;
	const struct import_sink *sink;
	bool ok;
	char why[VALIDATE_WHY_MAX];
};

/* The cell of `col`, or NULL when the file has no such column or the cell
 * is empty. */
static const char *cell(const struct check *c, enum import_col col)
{
	int at = c->h->at[col];
	if (at < 0 || (size_t)at >= c->n || !*c->cells[at])
		return NULL;
	return c->cells[at];
}

/* Reports c->why for `col`. */
static void report(struct check *c, enum import_col col)
{
	const char *v = cell(c, col);
	c->sink->problem(c->sink->arg, import_header_name(c->h, col), v ? v : "", c->why);
	c->ok = false;
}

__attribute__((format(printf, 3, 4)))
static void bad(struct check *c, enum import_col col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof c->why, fmt, ap);
	va_end(ap);
	report(c, col);
}

static const char *required(struct check *c, enum import_col col)
{
	const char *v = cell(c, col);
	if (!v)
		bad(c, col, TXT_IMP_REQUIRED);
	return v;
}

/* Free text of at most max characters, on one line unless multiline. */
static const char *text(struct check *c, enum import_col col, int max, bool multiline)
{
	const char *v = cell(c, col);

	if (!v)
		return NULL;
	if (!multiline && strpbrk(v, "\r\n"))
		bad(c, col, TXT_IMP_ONE_LINE);
	else if (argtext_chars(v) > (size_t)max)
		bad(c, col, TXT_IMP_TOO_LONG, max);
	return v;
}

/* A date into out[11] ("" when the cell is empty); false (reported) when
 * malformed. */
static bool date(struct check *c, enum import_col col, char out[11])
{
	const char *v = cell(c, col);

	out[0] = '\0';
	if (!v)
		return true;
	if (validate_date(v, out, c->why, sizeof c->why) < 0) {
		out[0] = '\0';
		report(c, col);
		return false;
	}
	return true;
}

static const char *given(const char *buf)
{
	return buf[0] ? buf : NULL;
}

/* A word and the value stored for it. */
struct word_map {
	const char *word, *value;
};

static const char *map_word(const struct word_map *m, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(word, m[i].word) == 0)
			return m[i].value;
	return NULL;
}

#define MAP(m, w) map_word((m), N_OF(m), (w))

static const struct word_map yes_no[] = {
	{"是", "1"}, {"有", "1"}, {"y", "1"}, {"yes", "1"}, {"true", "1"}, {"1", "1"},
	{"√", "1"}, {"✓", "1"}, {"否", "0"}, {"无", "0"}, {"n", "0"}, {"no", "0"},
	{"false", "0"}, {"0", "0"}, {"×", "0"}, {"✗", "0"},
};

/* The tag a category column names (any of its names), or -1. */
static int tag_named(const struct import_header *h, const char *word)
{
	size_t n;
	const struct import_column *cols = import_columns(h->kind, &n);

	for (size_t i = 0; i < n; i++) {
		int tag = (int)cols[i].col - IC_TAG_FIRST;
		if (tag < 0 || tag >= STORE_IMPORT_TAGS)
			continue;
		if (names_has(cols[i].names, word, strlen(word)))
			return tag;
	}
	return -1;
}

/* "规上;专精特新": categories separated by ; , 、 / or spaces, half- or
 * full-width. */
static void read_categories(struct check *c, struct store_import_enterprise *e)
{
#define SEP(s) {s, sizeof s - 1}
	static const struct {
		const char *s;
		size_t n;
	} seps[] = {
		SEP(";"), SEP("；"), SEP(","), SEP("，"), SEP("、"), SEP("/"), SEP(" "), SEP("|"),
		SEP("\u3000"),
	};
#undef SEP
	const char *v = cell(c, IC_CATEGORY);
	char word[64];

	while (v && *v) {
		size_t len = 0, skip = 0;
		while (v[len] && !skip) {
			/* The first byte decides before a comparison: this runs for
			 * every byte of every row's categories. */
			for (size_t i = 0; i < N_OF(seps) && !skip; i++)
				if (v[len] == seps[i].s[0] && strncmp(v + len, seps[i].s, seps[i].n) == 0)
					skip = seps[i].n;
			if (!skip)
				len++;
		}
		if (len > 0) {
			snprintf(word, sizeof word, "%.*s", (int)len, v);
			int tag = tag_named(c->h, word);
			if (tag < 0)
				bad(c, IC_CATEGORY, TXT_IMP_TAG_BAD, word);
			else
				e->tags_add |= 1u << tag;
		}
		v += len + skip;
	}
	for (int i = 0; i < STORE_IMPORT_TAGS; i++) {
		const char *yn = cell(c, (enum import_col)(IC_TAG_FIRST + i));
		if (!yn)
			continue;
		const char *bit = MAP(yes_no, yn);
		if (!bit)
			bad(c, (enum import_col)(IC_TAG_FIRST + i), TXT_IMP_YES_NO);
		else if (*bit == '1')
			e->tags_add |= 1u << i;
		else if (e->tags_add & (1u << i))
			bad(c, (enum import_col)(IC_TAG_FIRST + i), TXT_IMP_TAG_CONFLICT);
		else
			e->tags_remove |= 1u << i;
	}
}

static void read_enterprise(struct check *c, struct import_row *row,
                            struct store_import_enterprise *e, bool contact)
{
	const size_t n = sizeof c->why;
	const char *v;

	e->employees = -1;
	if ((v = required(c, IC_CREDIT))) {
		if (validate_credit_code(v, row->credit_code, c->why, n) < 0)
			report(c, IC_CREDIT);
		else
			e->credit_code = row->credit_code;
	}
	if (required(c, IC_ENTERPRISE))
		e->name = text(c, IC_ENTERPRISE, 60, false);
	if ((v = required(c, IC_REGION))) {
		/* A name (雁塔区) is looked up in the database by the caller. */
		if (validate_region_is_name(v))
			row->region_by_name = (e->region_code = text(c, IC_REGION, 40, false)) != NULL;
		else if (validate_region_code(v, c->why, n) < 0)
			report(c, IC_REGION);
		else if (strlen(v) != 6)
			bad(c, IC_REGION, TXT_APPT_REGION_LEVEL);
		else
			e->region_code = v;
	}
	if ((v = cell(c, IC_INDUSTRY)) && validate_industry(v, row->industry, c->why, n) < 0)
		report(c, IC_INDUSTRY);
	e->industry_code = given(row->industry);
	if ((v = cell(c, IC_EMPLOYEES)) &&
	    validate_int(v, 0, 10000000, &e->employees, TXT_APPT_EMPLOYEES_FIELD, c->why, n) < 0)
		report(c, IC_EMPLOYEES);
	e->nature = text(c, IC_NATURE, 30, false);
	if ((v = cell(c, IC_SIZE)) && validate_size(v, row->size, c->why, n) < 0)
		report(c, IC_SIZE);
	e->size = given(row->size);
	e->main_products = text(c, IC_PRODUCTS, 200, true);
	if (contact) {
		e->contact_name = text(c, IC_CONTACT_NAME, 20, false);
		if ((v = cell(c, IC_CONTACT_PHONE)) &&
		    validate_phone(v, row->contact_phone, c->why, n) < 0)
			report(c, IC_CONTACT_PHONE);
		e->contact_phone = given(row->contact_phone);
	}
	read_categories(c, e);
}

static void read_person(struct check *c, struct import_row *row, struct store_appoint_person *p,
                        const char *today)
{
	const size_t n = sizeof c->why;
	const char *v;

	p->quality_years = -1;
	if (required(c, IC_NAME))
		p->name = text(c, IC_NAME, 20, false);
	if ((v = cell(c, IC_GENDER)) && validate_gender(v, row->gender, c->why, n) < 0)
		report(c, IC_GENDER);
	p->gender = given(row->gender);
	if (date(c, IC_BIRTH, row->birth_date) && row->birth_date[0]) {
		if (strcmp(row->birth_date, today) > 0)
			bad(c, IC_BIRTH, TXT_APPT_BIRTH_FUTURE);
		else
			p->birth_date = row->birth_date;
	}
	p->education = text(c, IC_EDUCATION, 10, false);
	p->major = text(c, IC_MAJOR, 30, false);
	if ((v = cell(c, IC_YEARS)) &&
	    validate_years(v, 0, 80, &p->quality_years, TXT_APPT_YEARS_FIELD, c->why, n) < 0)
		report(c, IC_YEARS);
	p->position = text(c, IC_POSITION, 30, false);
	p->title = text(c, IC_TITLE, 20, false);
	if ((v = cell(c, IC_PHONE)) && validate_phone(v, row->phone, c->why, n) < 0)
		report(c, IC_PHONE);
	p->phone = given(row->phone);
	if ((v = cell(c, IC_EMAIL)) && validate_email(v, c->why, n) < 0)
		report(c, IC_EMAIL);
	else
		p->email = v;
	p->resume = text(c, IC_RESUME, 2000, true);
}

static const struct word_map appoint_status[] = {
	{TXT_STATUS_ACTIVE, "active"}, {"active", "active"},
	{TXT_STATUS_ENDED, "ended"}, {"期满", "ended"}, {"ended", "ended"},
	{TXT_STATUS_DISMISSED, "dismissed"}, {"解聘", "dismissed"}, {"dismissed", "dismissed"},
	{TXT_STATUS_REMOVED, "removed"}, {"除名", "removed"}, {"removed", "removed"},
};

static void read_appointment(struct check *c, struct import_row *row,
                             struct store_import_cqo *q)
{
	const char *v;
	long years;

	q->doc_no = text(c, IC_DOC, 30, false);
	if (required(c, IC_START) && date(c, IC_START, row->start_date))
		q->start_date = row->start_date;
	if (date(c, IC_TERM_END, row->term_end) && row->term_end[0]) {
		if (q->start_date && strcmp(row->term_end, q->start_date) < 0)
			bad(c, IC_TERM_END, TXT_IMP_TERM_ORDER);
		else
			q->term_end = row->term_end;
	}
	if ((v = cell(c, IC_TERM))) {
		if (validate_years(v, 1, 10, &years, TXT_APPT_TERM_YEARS, c->why, sizeof c->why) < 0)
			report(c, IC_TERM);
		else {
			q->term_months = (int)years * 12;
			q->term_given = true;
		}
	}
	if ((v = cell(c, IC_STATUS)) && !(q->status = MAP(appoint_status, v)))
		bad(c, IC_STATUS, TXT_IMP_STATUS_BAD);
	if (date(c, IC_ENDED_ON, row->ended_on) && row->ended_on[0]) {
		if (q->start_date && strcmp(row->ended_on, q->start_date) < 0)
			bad(c, IC_ENDED_ON, TXT_IMP_ENDED_ORDER);
		else
			q->ended_on = row->ended_on;
	}
	q->end_reason = text(c, IC_END_REASON, 60, false);
	q->remarks = text(c, IC_REMARKS, 500, true);
	if (q->status && strcmp(q->status, "active") == 0 && (q->ended_on || q->end_reason))
		bad(c, q->ended_on ? IC_ENDED_ON : IC_END_REASON, TXT_IMP_ENDED_ACTIVE);
}

/* Whose record a training or sanction belongs to. */
static void read_owner(struct check *c, struct import_row *row, const char **name,
                       const char **credit_code)
{
	const char *v;

	if (required(c, IC_NAME))
		*name = text(c, IC_NAME, 20, false);
	if ((v = required(c, IC_CREDIT))) {
		if (validate_credit_code(v, row->credit_code, c->why, sizeof c->why) < 0)
			report(c, IC_CREDIT);
		else
			*credit_code = row->credit_code;
	}
}

static const struct word_map train_kinds[] = {
	{"任职培训", "任职培训"}, {"继续教育", "继续教育"}, {"年度继续教育", "继续教育"},
	{"线上自学", "线上自学"}, {"在线自学", "线上自学"}, {"网络自学", "线上自学"},
};
static const struct word_map train_levels[] = {
	{"国家", "国家"}, {"国家级", "国家"}, {"省", "省"}, {"省级", "省"},
	{"市", "市"}, {"市级", "市"}, {"县", "县"}, {"县级", "县"},
};
static const struct word_map train_tiers[] = {{"高级", "高级"}, {"提升", "提升"}};

static void read_training(struct check *c, struct import_row *row, const char *today)
{
	struct store_import_training *t = &row->in.training;
	const char *v;

	read_owner(c, row, &t->person_name, &t->credit_code);
	if ((v = required(c, IC_TRAIN_KIND)) && !(t->kind = MAP(train_kinds, v)))
		bad(c, IC_TRAIN_KIND, TXT_TRAIN_BAD_KIND, v);
	if (required(c, IC_TRAIN_DATE) && date(c, IC_TRAIN_DATE, row->date)) {
		if (strcmp(row->date, today) > 0)
			bad(c, IC_TRAIN_DATE, TXT_TRAIN_FUTURE, today);
		else
			t->date = row->date;
	}
	if ((v = required(c, IC_HOURS)) && validate_hours(v, &t->hours, c->why, sizeof c->why) < 0)
		report(c, IC_HOURS);
	t->certificate_no = text(c, IC_CERTIFICATE, 64, false);
	t->institution = text(c, IC_INSTITUTION, 64, false);
	if ((v = cell(c, IC_LEVEL)) && !(t->level = MAP(train_levels, v)))
		bad(c, IC_LEVEL, TXT_TRAIN_BAD_LEVEL, v);
	if ((v = cell(c, IC_TIER)) && !(t->tier = MAP(train_tiers, v)))
		bad(c, IC_TIER, TXT_TRAIN_BAD_TIER, v);
}

static const struct word_map sanction_kinds[] = {
	{"约谈", "约谈"}, {"警示", "警示"}, {"除名", "除名"}, {"黑名单", "黑名单"},
	{"建议解聘", "建议解聘"},
};
static const struct word_map grounds[] = {
	{"违法违规", "违法违规"}, {"知情不报", "知情不报"}, {"拖延缓报", "拖延缓报"},
	{"虚假报告", "虚假报告"}, {"未完成继续教育", "未完成继续教育"},
	{"重大质量事故", "重大质量事故"}, {"其他", "其他"},
};
static const struct word_map sanction_status[] = {
	{TXT_IMP_SAN_OPEN, "open"}, {"未结案", "open"}, {"open", "open"},
	{TXT_IMP_SAN_CLOSED, "closed"}, {"已结案", "closed"}, {"closed", "closed"},
	{TXT_IMP_SAN_REVOKED, "revoked"}, {"撤销", "revoked"}, {"revoked", "revoked"},
};

static void read_sanction(struct check *c, struct import_row *row, const char *today)
{
	struct store_import_sanction *s = &row->in.sanction;
	const char *v;
	long long at;

	read_owner(c, row, &s->person_name, &s->credit_code);
	if ((v = required(c, IC_SAN_KIND)) && !(s->kind = MAP(sanction_kinds, v)))
		bad(c, IC_SAN_KIND, TXT_IMP_SAN_KIND_BAD);
	if ((v = required(c, IC_GROUND)) && !(s->ground = MAP(grounds, v)))
		bad(c, IC_GROUND, TXT_IMP_GROUND_BAD);
	s->reason = text(c, IC_REASON, 80, false);
	if (required(c, IC_ISSUED_ON) && date(c, IC_ISSUED_ON, row->date)) {
		if (strcmp(row->date, today) > 0)
			bad(c, IC_ISSUED_ON, TXT_IMP_ISSUED_FUTURE);
		else
			s->issued_on = row->date;
	}
	if ((v = cell(c, IC_SCHEDULED_AT))) {
		if (validate_datetime(v, &at, c->why, sizeof c->why) < 0)
			report(c, IC_SCHEDULED_AT);
		else
			s->scheduled_at = at;
	}
	s->place = text(c, IC_PLACE, 64, false);
	bool summons = s->kind && strcmp(s->kind, "约谈") == 0;
	if (s->kind && !summons && (s->scheduled_at || s->place))
		bad(c, s->place ? IC_PLACE : IC_SCHEDULED_AT, TXT_IMP_SUMMONS_ONLY);
	if (date(c, IC_RECTIFY_BY, row->rectify_by))
		s->rectify_by = given(row->rectify_by);
	if ((v = cell(c, IC_SAN_STATUS)) && !(s->status = MAP(sanction_status, v)))
		bad(c, IC_SAN_STATUS, TXT_IMP_SAN_STATUS_BAD);
}

struct store_import_enterprise *import_row_enterprise(enum import_kind kind,
                                                      struct import_row *row)
{
	if (kind == IMPORT_ENTERPRISES)
		return &row->in.enterprise;
	return kind == IMPORT_CQOS ? &row->in.cqo.enterprise : NULL;
}

int import_row_read(const struct import_header *h, char **cells, size_t n, const char *today,
                    struct import_row *row, const struct import_sink *sink)
{
	struct check c = {.h = h, .cells = cells, .n = n, .sink = sink, .ok = true};
	unsigned line = row->line;

	memset(row, 0, sizeof *row);
	row->line = line;
	for (size_t i = 0; i < n; i++)
		cells[i] = import_trim((char *)csv_unguard(cells[i]));
	switch (h->kind) {
	case IMPORT_ENTERPRISES:
		read_enterprise(&c, row, &row->in.enterprise, true);
		break;
	case IMPORT_CQOS:
		read_person(&c, row, &row->in.cqo.person, today);
		read_enterprise(&c, row, &row->in.cqo.enterprise, false);
		read_appointment(&c, row, &row->in.cqo);
		break;
	case IMPORT_TRAININGS:
		read_training(&c, row, today);
		break;
	case IMPORT_SANCTIONS:
		read_sanction(&c, row, today);
		break;
	}
	if (!c.ok)
		log_info("import: line %u refused", line);
	return c.ok ? 0 : -EINVAL;
}
