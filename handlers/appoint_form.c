/* The 备案 / 更换 form; see appoint_form.h. */
#include "appoint_form.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "text/registry.h"
#include "argtext.h"
#include "category.h"
#include "validate.h"

/* The 信息表 in its order; ENT says whether the enterprise is required
 * (备案) or may be taken from the record being replaced (更换). */
#define APPOINT_FIELDS(ENT) {                                  \
	{"name", TXT_APPT_F_NAME, true},                       \
	{"gender", TXT_APPT_F_GENDER, false},                  \
	{"birth_date", TXT_APPT_F_BIRTH, false},               \
	{"education", TXT_APPT_F_EDUCATION, false},            \
	{"major", TXT_APPT_F_MAJOR, false},                    \
	{"quality_years", TXT_APPT_F_YEARS, false},            \
	{"position", TXT_APPT_F_POSITION, false},              \
	{"title", TXT_APPT_F_TITLE, false},                    \
	{"phone", TXT_APPT_F_PHONE, false},                    \
	{"email", TXT_APPT_F_EMAIL, false},                    \
	{"enterprise", TXT_APPT_F_ENTERPRISE, ENT},            \
	{"credit_code", TXT_APPT_F_CREDIT, ENT},               \
	{"region", TXT_APPT_F_REGION, ENT},                    \
	{"industry", TXT_APPT_F_INDUSTRY, false},              \
	{"employees", TXT_APPT_F_EMPLOYEES, false},            \
	{"nature", TXT_APPT_F_NATURE, false},                  \
	{"size", TXT_APPT_F_SIZE, false},                      \
	{"categories", TXT_APPT_F_CATEGORIES, false},          \
	{"products", TXT_APPT_F_PRODUCTS, false},              \
	{"resume", TXT_APPT_F_RESUME, false},                  \
	{"doc_no", TXT_APPT_F_DOC, true},                      \
	{"start_date", TXT_APPT_F_START, true},                \
	{"term", TXT_APPT_F_TERM, false},                      \
	{"remarks", TXT_APPT_F_REMARKS, false},                \
	{"disqualify", TXT_APPT_F_DISQUALIFY, false},          \
}

static const struct form_spec file_spec[] = APPOINT_FIELDS(true);
static const struct form_spec replace_spec[] = APPOINT_FIELDS(false);
#define N_FIELDS (sizeof file_spec / sizeof file_spec[0])

/* Free-text fields: lengths in characters, sized to what the record card
 * shows; only the long ones may span lines. */
static const struct text_limit {
	const char *key;
	int max_chars;
	bool multiline;
} text_limits[] = {
	{"name", 20, false},        {"education", 10, false}, {"major", 30, false},
	{"position", 30, false},    {"title", 20, false},     {"enterprise", 60, false},
	{"nature", 30, false},      {"products", 200, true},  {"resume", 2000, true},
	{"doc_no", 30, false},      {"remarks", 500, true},   {"region", 40, false},
	{"disqualify", 100, false},
};

struct checker {
	struct cmd_ctx *ctx;
	const struct form *raw;
	char why[VALIDATE_WHY_MAX];
	bool ok;
};

/* The field's name as on the form (before the first '|'). */
static void field_name(const char *key, char *buf, size_t len)
{
	for (size_t i = 0; i < N_FIELDS; i++) {
		if (strcmp(file_spec[i].key, key) == 0) {
			snprintf(buf, len, "%.*s", (int)names_first_len(file_spec[i].names),
			         file_spec[i].names);
			return;
		}
	}
	snprintf(buf, len, "%s", key);
}

/* Reports c->why for field `key`, prefixed with the field's name unless the
 * explanation already starts with it. The value itself is never logged. */
static void bad(struct checker *c, const char *key)
{
	char name[64];

	field_name(key, name, sizeof name);
	if (strncmp(c->why, name, strlen(name)) == 0)
		reply_add_line(c->ctx->reply, "%s", c->why);
	else
		reply_add_line(c->ctx->reply, TXT_APPT_FIELD_WHY, name, c->why);
	log_info("appoint form: invalid field %s", key);
	c->ok = false;
}

static void check_texts(struct checker *c)
{
	for (size_t i = 0; i < sizeof text_limits / sizeof text_limits[0]; i++) {
		const struct text_limit *l = &text_limits[i];
		const char *v = form_get(c->raw, l->key);
		char name[64];

		if (!v)
			continue;
		field_name(l->key, name, sizeof name);
		if (!l->multiline && strchr(v, '\n')) {
			snprintf(c->why, sizeof c->why, TXT_APPT_ONE_LINE, name);
			bad(c, l->key);
		} else if (argtext_chars(v) > (size_t)l->max_chars) {
			snprintf(c->why, sizeof c->why, TXT_APPT_TOO_LONG, name, l->max_chars);
			bad(c, l->key);
		}
	}
}

static void check_person(struct checker *c, struct appoint_form *f)
{
	struct store_appoint_person *p = &f->filing.person;
	const size_t n = sizeof c->why;
	char today[11];
	const char *v;

	clock_cst_date(c->ctx->now, today);
	if ((v = form_get(c->raw, "gender")) && validate_gender(v, f->gender, c->why, n) < 0)
		bad(c, "gender");
	if ((v = form_get(c->raw, "birth_date"))) {
		if (validate_date(v, f->birth_date, c->why, n) < 0) {
			bad(c, "birth_date");
		} else if (strcmp(f->birth_date, today) > 0) {
			snprintf(c->why, n, TXT_APPT_BIRTH_FUTURE);
			bad(c, "birth_date");
		}
	}
	if ((v = form_get(c->raw, "quality_years")) &&
	    validate_years(v, 0, 80, &p->quality_years, TXT_APPT_YEARS_FIELD, c->why, n) < 0)
		bad(c, "quality_years");
	if ((v = form_get(c->raw, "phone")) && validate_phone(v, f->phone, c->why, n) < 0)
		bad(c, "phone");
	if ((v = form_get(c->raw, "email")) && validate_email(v, c->why, n) < 0)
		bad(c, "email");
}

static void check_enterprise(struct checker *c, struct appoint_form *f)
{
	struct store_appoint_enterprise *e = &f->filing.enterprise;
	const size_t n = sizeof c->why;
	char word[64];
	const char *v;

	if ((v = form_get(c->raw, "credit_code")) &&
	    validate_credit_code(v, f->credit_code, c->why, n) < 0)
		bad(c, "credit_code");
	if ((v = form_get(c->raw, "region"))) {
		if (validate_region_is_name(v)) {
			f->region_name = v;   /* its length is checked with the texts */
		} else if (validate_region_code(v, c->why, n) < 0) {
			bad(c, "region");
		} else if (strlen(v) != 6) {
			snprintf(c->why, n, TXT_APPT_REGION_LEVEL);
			bad(c, "region");
		}
	}
	if ((v = form_get(c->raw, "industry")) && validate_industry(v, f->industry, c->why, n) < 0)
		bad(c, "industry");
	if ((v = form_get(c->raw, "employees")) &&
	    validate_int(v, 0, 10000000, &e->employees, TXT_APPT_EMPLOYEES_FIELD, c->why, n) < 0)
		bad(c, "employees");
	if ((v = form_get(c->raw, "size")) && validate_size(v, f->size, c->why, n) < 0)
		bad(c, "size");
	if ((v = form_get(c->raw, "categories")) &&
	    category_parse_list(v, &e->tags, word, sizeof word) < 0) {
		/* Longer than a why: the list of categories is the help. */
		reply_add_line(c->ctx->reply, TXT_APPT_CATEGORY_BAD, word);
		log_info("appoint form: invalid field categories");
		c->ok = false;
	}
}

static void check_appointment(struct checker *c, struct appoint_form *f)
{
	const size_t n = sizeof c->why;
	const char *v;

	if ((v = form_get(c->raw, "start_date")) && validate_date(v, f->start_date, c->why, n) < 0)
		bad(c, "start_date");
	if ((v = form_get(c->raw, "term")) &&
	    validate_years(v, 1, 10, &f->term_years, TXT_APPT_TERM_YEARS, c->why, n) < 0)
		bad(c, "term");
}

static const char *given(const char *buf)
{
	return buf[0] ? buf : NULL;
}

static void fill_filing(struct appoint_form *f)
{
	struct store_appoint_filing *in = &f->filing;
	const struct form *raw = &f->raw;

	in->person.name = form_get(raw, "name");
	in->person.gender = given(f->gender);
	in->person.birth_date = given(f->birth_date);
	in->person.education = form_get(raw, "education");
	in->person.major = form_get(raw, "major");
	in->person.position = form_get(raw, "position");
	in->person.title = form_get(raw, "title");
	in->person.phone = given(f->phone);
	in->person.email = form_get(raw, "email");
	in->person.resume = form_get(raw, "resume");
	in->enterprise.credit_code = given(f->credit_code);
	in->enterprise.name = form_get(raw, "enterprise");
	in->enterprise.region_code = f->region_name ? NULL : form_get(raw, "region");
	in->enterprise.industry_code = given(f->industry);
	in->enterprise.size = given(f->size);
	in->enterprise.nature = form_get(raw, "nature");
	in->enterprise.main_products = form_get(raw, "products");
	in->doc_no = form_get(raw, "doc_no");
	in->start_date = given(f->start_date);
	in->remarks = form_get(raw, "remarks");
}

int appoint_form_read(struct cmd_ctx *ctx, bool replace, struct appoint_form *f)
{
	const struct form_spec *spec = replace ? replace_spec : file_spec;
	const char *body = ctx->args->body;
	struct checker c = {.ctx = ctx, .raw = &f->raw, .ok = true};

	memset(f, 0, sizeof *f);
	f->term_years = -1;
	f->filing.person.quality_years = -1;
	f->filing.enterprise.employees = -1;
	if (!body || !*body) {
		reply_add_line(ctx->reply, TXT_APPT_FORM_INTRO);
		form_describe(spec, N_FIELDS, ctx->reply);
		return HANDLER_USAGE;
	}
	int rc = form_parse(body, spec, N_FIELDS, &f->raw, ctx->reply);
	if (rc == -ENOMEM)
		return HANDLER_ERROR;
	if (rc < 0) {
		log_info("appoint form: malformed form");
		c.ok = false;
	}
	/* Values are checked even when the form itself had problems, so that
	 * one reply lists everything to fix. */
	check_texts(&c);
	check_person(&c, f);
	check_enterprise(&c, f);
	check_appointment(&c, f);
	if (!c.ok)
		return HANDLER_USAGE;
	fill_filing(f);
	return 0;
}

void appoint_form_free(struct appoint_form *f)
{
	form_free(&f->raw);
}
