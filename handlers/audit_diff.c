/* Audit row summaries; see audit_diff.h. */
#include "audit_diff.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../messages/text.h"
#include "text/records.h"

struct name_map {
	const char *key, *name;
};

static const struct name_map entity_names[] = {
	{"appointment", TXT_ENTITY_APPOINTMENT},
	{"term", TXT_ENTITY_TERM},
	{"training", TXT_ENTITY_TRAINING},
	{"sanction", TXT_ENTITY_SANCTION},
	{"honour", TXT_ENTITY_HONOUR},
	{"honor", TXT_ENTITY_HONOUR},
	{"identity", TXT_ENTITY_IDENTITY},
	{"person", TXT_ENTITY_PERSON},
	{"enterprise", TXT_ENTITY_ENTERPRISE},
	{"bind_code", TXT_ENTITY_BIND_CODE},
	{"alliance", TXT_ENTITY_ALLIANCE},
	{"target", TXT_ENTITY_TARGET},
	{"policy", TXT_ENTITY_POLICY},
	{"talent_pool", TXT_ENTITY_POOL},
};

/* The registry's column names, which snapshots use as keys. */
static const struct name_map field_names[] = {
	{"status", TXT_FIELD_STATUS},
	{"start_date", TXT_FIELD_START_DATE},
	{"term_end", TXT_FIELD_TERM_END},
	{"ended_on", TXT_FIELD_ENDED_ON},
	{"end_reason", TXT_FIELD_END_REASON},
	{"doc_no", TXT_FIELD_DOC_NO},
	{"term_no", TXT_FIELD_TERM_NO},
	{"evaluation", TXT_FIELD_EVALUATION},
	{"predecessor_id", TXT_FIELD_PREDECESSOR},
	{"eligibility_warnings", TXT_FIELD_WARNINGS},
	{"remarks", TXT_FIELD_REMARKS},
	{"person_id", TXT_FIELD_PERSON},
	{"enterprise_id", TXT_FIELD_ENTERPRISE},
	{"appointment_id", TXT_FIELD_APPOINTMENT},
	{"kind", TXT_FIELD_KIND},
	{"date", TXT_FIELD_DATE},
	{"hours", TXT_FIELD_HOURS},
	{"certificate_no", TXT_FIELD_CERTIFICATE},
	{"institution", TXT_FIELD_INSTITUTION},
	{"level", TXT_FIELD_LEVEL},
	{"tier", TXT_FIELD_TIER},
	{"ground", TXT_FIELD_GROUND},
	{"reason", TXT_FIELD_REASON},
	{"issued_on", TXT_FIELD_ISSUED_ON},
	{"scheduled_at", TXT_FIELD_SCHEDULED_AT},
	{"place", TXT_FIELD_PLACE},
	{"rectify_by", TXT_FIELD_RECTIFY_BY},
	{"acknowledged_at", TXT_FIELD_ACKNOWLEDGED},
	{"revoked_by", TXT_FIELD_REVOKED_BY},
	{"revoked_at", TXT_FIELD_REVOKED_AT},
	{"revoke_note", TXT_FIELD_REVOKE_NOTE},
	{"id", TXT_FIELD_ID},
	{"name", TXT_FIELD_NAME},
	{"year", TXT_FIELD_YEAR},
	{"gender", TXT_FIELD_GENDER},
	{"birth_date", TXT_FIELD_BIRTH_DATE},
	{"education", TXT_FIELD_EDUCATION},
	{"major", TXT_FIELD_MAJOR},
	{"quality_years", TXT_FIELD_QUALITY_YEARS},
	{"position", TXT_FIELD_POSITION},
	{"title", TXT_FIELD_TITLE},
	{"phone", TXT_FIELD_PHONE},
	{"email", TXT_FIELD_EMAIL},
	{"resume", TXT_FIELD_RESUME},
	{"credit_code", TXT_FIELD_CREDIT_CODE},
	{"region_code", TXT_FIELD_REGION},
	{"industry_code", TXT_FIELD_INDUSTRY},
	{"size", TXT_FIELD_SIZE},
	{"nature", TXT_FIELD_NATURE},
	{"employees", TXT_FIELD_EMPLOYEES},
	{"main_products", TXT_FIELD_PRODUCTS},
	{"contact_name", TXT_FIELD_CONTACT_NAME},
	{"contact_phone", TXT_FIELD_CONTACT_PHONE},
	{"role", TXT_FIELD_ROLE},
	{"scope", TXT_FIELD_SCOPE},
	{"scope_region", TXT_FIELD_SCOPE},
	{"alliance_id", TXT_FIELD_ALLIANCE},
	{"platform", TXT_FIELD_PLATFORM},
	{"tenant", TXT_FIELD_TENANT},
	{"user_id", TXT_FIELD_USER},
	{"expires_at", TXT_FIELD_EXPIRES_AT},
	{"used_at", TXT_FIELD_USED_AT},
	{"category", TXT_FIELD_CATEGORY},
	{"rate", TXT_FIELD_RATE},
};

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

static const char *lookup(const struct name_map *m, size_t n, const char *key)
{
	if (!key)
		return "";
	for (size_t i = 0; i < n; i++) {
		if (strcmp(m[i].key, key) == 0)
			return m[i].name;
	}
	return key;
}

const char *audit_entity_name(const char *entity)
{
	return lookup(entity_names, N_OF(entity_names), entity);
}

const char *audit_field_name(const char *key)
{
	return lookup(field_names, N_OF(field_names), key);
}

/* The list of changed field names being built: whole names only, so the
 * text is never cut inside a UTF-8 character. */
struct field_list {
	char buf[256];
	size_t used;
	size_t count;
	bool full;
};

static void list_add(struct field_list *l, const char *name)
{
	static const char more[] = "…";
	const char *sep = l->count ? TXT_LIST_SEP : "";
	size_t need = strlen(sep) + strlen(name);

	if (l->full)
		return;
	/* Always keep room to close with "…". */
	if (l->used + need + sizeof more > sizeof l->buf) {
		memcpy(l->buf + l->used, more, sizeof more);
		l->used += sizeof more - 1;
		l->full = true;
		return;
	}
	l->used += (size_t)snprintf(l->buf + l->used, sizeof l->buf - l->used, "%s%s", sep, name);
	l->count++;
}

/* A timestamp every update rewrites: not worth listing. */
static bool ignored(const char *key)
{
	return strcmp(key, "updated_at") == 0;
}

/* Names of the fields that differ between two objects, in the order they
 * appear (after's first). */
static void diff_fields(const cJSON *before, const cJSON *after, struct field_list *l)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, after) {
		const cJSON *old = cJSON_GetObjectItemCaseSensitive(before, item->string);

		if (!ignored(item->string) && (!old || !cJSON_Compare(item, old, true)))
			list_add(l, audit_field_name(item->string));
	}
	cJSON_ArrayForEach(item, before) {
		if (!ignored(item->string) && !cJSON_GetObjectItemCaseSensitive(after, item->string))
			list_add(l, audit_field_name(item->string));
	}
}

void audit_summary(const char *entity, const char *before, const char *after, char *out,
                   size_t len)
{
	const char *what = audit_entity_name(entity);
	bool has_before = before && *before, has_after = after && *after;

	if (len == 0)
		return;
	if (!has_before || !has_after) {
		snprintf(out, len, has_after ? TXT_AUDIT_CREATED : has_before ? TXT_AUDIT_DELETED
		                                                          : TXT_AUDIT_CHANGED_SOME,
		         what);
		return;
	}
	cJSON *b = cJSON_Parse(before), *a = cJSON_Parse(after);   /* owned here */
	if (cJSON_IsObject(b) && cJSON_IsObject(a)) {
		struct field_list l = {.used = 0};

		diff_fields(b, a, &l);
		if (l.count || l.full)
			snprintf(out, len, TXT_AUDIT_CHANGED, what, l.buf);
		else
			snprintf(out, len, TXT_AUDIT_UNCHANGED, what);
	} else {
		snprintf(out, len, TXT_AUDIT_CHANGED_SOME, what);
	}
	cJSON_Delete(b);
	cJSON_Delete(a);
}
