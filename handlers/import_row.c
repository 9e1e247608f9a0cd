/* Columns of import files and their headers; see import_row.h. The row
 * checks are in import_check.c. */
#include "import_row.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../lib/names.h"
#include "text/cqoctl.h"
#include "../messages/text.h"
#include "text/registry.h"
#include "form.h"

#define REQ IMPORT_COL_REQUIRED
#define IGN IMPORT_COL_IGNORED
#define NOX IMPORT_COL_NO_EXPORT

/* Column, JSON key and names, for the tables below. */
#define K_RECORD       IC_RECORD, "record_id", TXT_COL_RECORD
#define K_NAME         IC_NAME, "name", TXT_APPT_F_NAME
#define K_GENDER       IC_GENDER, "gender", TXT_APPT_F_GENDER
#define K_BIRTH        IC_BIRTH, "birth_date", TXT_APPT_F_BIRTH
#define K_EDUCATION    IC_EDUCATION, "education", TXT_APPT_F_EDUCATION
#define K_MAJOR        IC_MAJOR, "major", TXT_APPT_F_MAJOR
#define K_YEARS        IC_YEARS, "quality_years", TXT_APPT_F_YEARS
#define K_POSITION     IC_POSITION, "position", TXT_APPT_F_POSITION
#define K_TITLE        IC_TITLE, "title", TXT_APPT_F_TITLE
#define K_PHONE        IC_PHONE, "phone", TXT_APPT_F_PHONE
#define K_EMAIL        IC_EMAIL, "email", TXT_APPT_F_EMAIL
#define K_RESUME       IC_RESUME, "resume", TXT_APPT_F_RESUME
#define K_ENTERPRISE   IC_ENTERPRISE, "enterprise", TXT_APPT_F_ENTERPRISE
#define K_CREDIT       IC_CREDIT, "credit_code", TXT_APPT_F_CREDIT
#define K_REGION       IC_REGION, "region_code", TXT_COL_REGION
#define K_REGION_NAME  IC_REGION_NAME, "region_name", TXT_COL_REGION_NAME
#define K_INDUSTRY     IC_INDUSTRY, "industry_code", TXT_APPT_F_INDUSTRY
#define K_EMPLOYEES    IC_EMPLOYEES, "employees", TXT_APPT_F_EMPLOYEES
#define K_NATURE       IC_NATURE, "nature", TXT_APPT_F_NATURE
#define K_SIZE         IC_SIZE, "size", TXT_APPT_F_SIZE
#define K_PRODUCTS     IC_PRODUCTS, "main_products", TXT_APPT_F_PRODUCTS
#define K_CONTACT      IC_CONTACT_NAME, "contact_name", TXT_COL_CONTACT_NAME
#define K_CONTACT_TEL  IC_CONTACT_PHONE, "contact_phone", TXT_COL_CONTACT_PHONE
#define K_CATEGORY     IC_CATEGORY, "categories", TXT_COL_CATEGORY
#define K_DOC          IC_DOC, "doc_no", TXT_APPT_F_DOC
#define K_START        IC_START, "start_date", TXT_APPT_F_START
#define K_TERM_END     IC_TERM_END, "term_end", TXT_COL_TERM_END
#define K_TERM         IC_TERM, "term_years", TXT_APPT_F_TERM
#define K_STATUS       IC_STATUS, "status", TXT_COL_STATUS
#define K_ENDED_ON     IC_ENDED_ON, "ended_on", TXT_COL_ENDED_ON
#define K_END_REASON   IC_END_REASON, "end_reason", TXT_COL_END_REASON
#define K_REMARKS      IC_REMARKS, "remarks", TXT_APPT_F_REMARKS
#define K_TRAIN_KIND   IC_TRAIN_KIND, "kind", TXT_COL_TRAIN_KIND
#define K_TRAIN_DATE   IC_TRAIN_DATE, "date", TXT_COL_TRAIN_DATE
#define K_HOURS        IC_HOURS, "hours", TXT_COL_HOURS
#define K_CERTIFICATE  IC_CERTIFICATE, "certificate_no", TXT_COL_CERTIFICATE
#define K_INSTITUTION  IC_INSTITUTION, "institution", TXT_COL_INSTITUTION
#define K_LEVEL        IC_LEVEL, "level", TXT_COL_LEVEL
#define K_TIER         IC_TIER, "tier", TXT_COL_TIER
#define K_SANCTION_ID  IC_SANCTION_ID, "sanction_id", TXT_COL_SANCTION_ID
#define K_SAN_KIND     IC_SAN_KIND, "kind", TXT_COL_SANCTION_KIND
#define K_GROUND       IC_GROUND, "ground", TXT_COL_GROUND
#define K_REASON       IC_REASON, "reason", TXT_COL_REASON
#define K_ISSUED_ON    IC_ISSUED_ON, "issued_on", TXT_COL_ISSUED_ON
#define K_SCHEDULED_AT IC_SCHEDULED_AT, "scheduled_at", TXT_COL_SCHEDULED_AT
#define K_PLACE        IC_PLACE, "place", TXT_COL_PLACE
#define K_RECTIFY_BY   IC_RECTIFY_BY, "rectify_by", TXT_COL_RECTIFY_BY
#define K_SAN_STATUS   IC_SAN_STATUS, "status", TXT_COL_STATUS
#define K_ERRORS       IC_ERRORS, "errors", TXT_COL_ERRORS

/* One column per category, 是/否; exports write the 类别 column instead. */
#define TAG_COLUMNS \
	{IC_TAG_FIRST + 0, "tag_above_scale", TXT_COL_TAG_ABOVE, NOX}, \
	{IC_TAG_FIRST + 1, "tag_chain_leader", TXT_COL_TAG_CHAIN, NOX}, \
	{IC_TAG_FIRST + 2, "tag_brand", TXT_COL_TAG_BRAND, NOX}, \
	{IC_TAG_FIRST + 3, "tag_quality_award", TXT_COL_TAG_AWARD, NOX}, \
	{IC_TAG_FIRST + 4, "tag_specialized", TXT_COL_TAG_SPECIAL, NOX}, \
	{IC_TAG_FIRST + 5, "tag_benchmark", TXT_COL_TAG_BENCHMARK, NOX}, \
	{IC_TAG_FIRST + 6, "tag_food", TXT_COL_TAG_FOOD, NOX}, \
	{IC_TAG_FIRST + 7, "tag_drug", TXT_COL_TAG_DRUG, NOX}, \
	{IC_TAG_FIRST + 8, "tag_special_equipment", TXT_COL_TAG_EQUIPMENT, NOX}

static const struct import_column enterprise_cols[] = {
	{K_CREDIT, REQ}, {K_ENTERPRISE, REQ}, {K_REGION, REQ}, {K_REGION_NAME, IGN},
	{K_INDUSTRY, 0}, {K_EMPLOYEES, 0}, {K_NATURE, 0}, {K_SIZE, 0}, {K_PRODUCTS, 0},
	{K_CONTACT, 0}, {K_CONTACT_TEL, 0}, {K_CATEGORY, 0}, TAG_COLUMNS,
	{K_ERRORS, IGN | NOX},
};

static const struct import_column cqo_cols[] = {
	{K_RECORD, IGN}, {K_NAME, REQ}, {K_GENDER, 0}, {K_BIRTH, 0}, {K_EDUCATION, 0},
	{K_MAJOR, 0}, {K_YEARS, 0}, {K_POSITION, 0}, {K_TITLE, 0}, {K_PHONE, 0}, {K_EMAIL, 0},
	{K_ENTERPRISE, REQ}, {K_CREDIT, REQ}, {K_REGION, REQ}, {K_REGION_NAME, IGN},
	{K_INDUSTRY, 0}, {K_EMPLOYEES, 0}, {K_NATURE, 0}, {K_SIZE, 0}, {K_PRODUCTS, 0},
	{K_CATEGORY, 0}, TAG_COLUMNS,
	{K_DOC, 0}, {K_START, REQ}, {K_TERM_END, 0}, {K_TERM, NOX}, {K_STATUS, 0},
	{K_ENDED_ON, 0}, {K_END_REASON, 0}, {K_REMARKS, 0}, {K_RESUME, 0},
	{K_ERRORS, IGN | NOX},
};

static const struct import_column training_cols[] = {
	{K_RECORD, IGN}, {K_NAME, REQ}, {K_CREDIT, REQ}, {K_ENTERPRISE, IGN},
	{K_TRAIN_KIND, REQ}, {K_TRAIN_DATE, REQ}, {K_HOURS, REQ}, {K_CERTIFICATE, 0},
	{K_INSTITUTION, 0}, {K_LEVEL, 0}, {K_TIER, 0},
	{K_ERRORS, IGN | NOX},
};

static const struct import_column sanction_cols[] = {
	{K_SANCTION_ID, IGN}, {K_RECORD, IGN}, {K_NAME, REQ}, {K_CREDIT, REQ},
	{K_ENTERPRISE, IGN}, {K_SAN_KIND, REQ}, {K_GROUND, REQ}, {K_REASON, 0},
	{K_ISSUED_ON, REQ}, {K_SCHEDULED_AT, 0}, {K_PLACE, 0}, {K_RECTIFY_BY, 0},
	{K_SAN_STATUS, 0},
	{K_ERRORS, IGN | NOX},
};

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

int import_kind_parse(const char *word, enum import_kind *out)
{
	static const struct {
		const char *word;
		enum import_kind kind;
	} kinds[] = {
		{"enterprises", IMPORT_ENTERPRISES}, {"cqos", IMPORT_CQOS},
		{"registry", IMPORT_CQOS},           {"trainings", IMPORT_TRAININGS},
		{"sanctions", IMPORT_SANCTIONS},
	};
	for (size_t i = 0; i < N_OF(kinds); i++) {
		if (strcmp(word, kinds[i].word) == 0) {
			*out = kinds[i].kind;
			return 0;
		}
	}
	return -EINVAL;
}

const struct import_column *import_columns(enum import_kind kind, size_t *n)
{
	switch (kind) {
	case IMPORT_ENTERPRISES:
		*n = N_OF(enterprise_cols);
		return enterprise_cols;
	case IMPORT_CQOS:
		*n = N_OF(cqo_cols);
		return cqo_cols;
	case IMPORT_TRAININGS:
		*n = N_OF(training_cols);
		return training_cols;
	default:
		*n = N_OF(sanction_cols);
		return sanction_cols;
	}
}

void import_column_header(const struct import_column *c, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)names_first_len(c->names), c->names);
}

/* A header as templates write it: "*姓名", "姓名（必填）" are 姓名. */
static void header_key(const char *cell, char *buf, size_t len)
{
	static const char *const marks[] = {"（必填）", "(必填)", "*", "＊"};
	size_t n;

	snprintf(buf, len, "%s", cell);
	for (bool again = true; again;) {
		again = false;
		n = strlen(buf);
		for (size_t i = 0; i < N_OF(marks); i++) {
			size_t m = strlen(marks[i]);
			if (n >= m && strcmp(buf + n - m, marks[i]) == 0) {
				buf[n - m] = '\0';
				again = true;
				break;
			}
			if (strncmp(buf, marks[i], m) == 0) {
				memmove(buf, buf + m, n - m + 1);
				again = true;
				break;
			}
		}
	}
}

char *import_trim(char *s)
{
	for (;;) {
		if (*s == ' ' || *s == '\t')
			s++;
		else if (strncmp(s, "\u3000", 3) == 0)
			s += 3;
		else
			break;
	}
	size_t n = strlen(s);
	for (;;) {
		if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		else if (n >= 3 && strncmp(s + n - 3, "\u3000", 3) == 0)
			n -= 3;
		else
			break;
	}
	s[n] = '\0';
	return s;
}

static void note_unknown(char *unknown, size_t ulen, const char *cell)
{
	size_t used = strlen(unknown);
	if (used + 1 < ulen)
		snprintf(unknown + used, ulen - used, "%s%s", used ? TXT_LIST_SEP : "", cell);
}

int import_header_read(enum import_kind kind, char **cells, size_t n, struct import_header *h,
                       char *why, size_t wlen, char *unknown, size_t ulen)
{
	size_t ncols;
	const struct import_column *cols = import_columns(kind, &ncols);
	char key[128], name[64];

	memset(h, 0, sizeof *h);
	h->kind = kind;
	h->cells = cells;
	h->n_cells = n;
	for (size_t i = 0; i < IC_COUNT; i++)
		h->at[i] = -1;
	if (ulen)
		unknown[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		cells[i] = import_trim(cells[i]);
		header_key(cells[i], key, sizeof key);
		if (!*key)
			continue;
		size_t c = 0, kn = strlen(key);
		while (c < ncols && !names_has(cols[c].names, key, strlen(key)))
			c++;
		if (c == ncols && form_cut_note(key, &kn)) {
			key[kn] = '\0';
			c = 0;
			while (c < ncols && !names_has(cols[c].names, key, strlen(key)))
				c++;
		}
		if (c == ncols) {
			note_unknown(unknown, ulen, cells[i]);
			continue;
		}
		int *at = &h->at[cols[c].col];
		if (*at >= 0) {
			snprintf(why, wlen, TXT_IMP_DUP_COL, cells[*at], cells[i]);
			return -EINVAL;
		}
		*at = (int)i;
	}
	for (size_t c = 0; c < ncols; c++) {
		if ((cols[c].flags & REQ) && h->at[cols[c].col] < 0) {
			import_column_header(&cols[c], name, sizeof name);
			snprintf(why, wlen, TXT_IMP_MISSING_COL, name);
			return -EINVAL;
		}
	}
	return 0;
}

bool import_header_unknown(const struct import_header *h, size_t i)
{
	char key[128];

	if (i >= h->n_cells)
		return false;
	header_key(h->cells[i], key, sizeof key);
	if (!*key)
		return false;
	for (size_t c = 0; c < IC_COUNT; c++)
		if (h->at[c] == (int)i)
			return false;
	return true;
}

const char *import_header_name(const struct import_header *h, enum import_col col)
{
	int at = h->at[col];
	return at >= 0 && (size_t)at < h->n_cells ? h->cells[at] : "";
}

const char *import_status_text(const char *status)
{
	static const char *const names[][2] = {
		{"active", TXT_STATUS_ACTIVE}, {"ended", TXT_STATUS_ENDED},
		{"dismissed", TXT_STATUS_DISMISSED}, {"removed", TXT_STATUS_REMOVED},
		{"open", TXT_IMP_SAN_OPEN}, {"closed", TXT_IMP_SAN_CLOSED},
		{"revoked", TXT_IMP_SAN_REVOKED}, {"confirmed", TXT_CTL_SIGNUP_CONFIRMED},
		{"waitlist", TXT_CTL_SIGNUP_WAITLIST}, {"cancelled", TXT_CTL_SIGNUP_CANCELLED},
	};
	for (size_t i = 0; i < N_OF(names); i++)
		if (strcmp(status, names[i][0]) == 0)
			return names[i][1];
	return status;
}
