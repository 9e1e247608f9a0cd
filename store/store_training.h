/*
 * Trainings (培训): 任职培训, 继续教育 and 线上自学, with hours. A training
 * belongs to the person of an appointment; yearly hours are summed per
 * person, so hours follow a CQO who moves to another enterprise.
 */
#ifndef CQOD_STORE_TRAINING_H
#define CQOD_STORE_TRAINING_H

#include <stdint.h>

struct store;
struct store_actor;

/* A training to record. Strings are borrowed for the call; the optional
 * ones may be NULL or "" (stored as NULL). */
struct store_training_new {
	int64_t appointment_id;
	const char *kind;             /* 任职培训, 继续教育, 线上自学 */
	const char *date;             /* YYYY-MM-DD */
	double hours;                 /* > 0, <= 1000 */
	const char *certificate_no;   /* optional */
	const char *institution;      /* optional */
	const char *level;            /* optional: 国家, 省, 市, 县 */
	const char *tier;             /* optional: 高级, 提升 */
	int64_t created_at;           /* unix seconds */
};

/* Records the training for the appointment's person together with its
 * audit row (entity "training", record_id = the appointment), in one
 * transaction; *id gets the training's id. -ENOENT when there is no such
 * appointment, -EINVAL when a value breaks a schema check. */
int store_training_add(struct store *st, const struct store_actor *who,
                       const struct store_training_new *t, int64_t *id);

/* Total training hours of `person_id` dated in calendar `year`, of the
 * kinds listed in `kinds` ("继续教育,线上自学"; NULL: every kind). */
int store_training_hours(struct store *st, int64_t person_id, int year, const char *kinds,
                         double *out);

/* A CQO's annual hours as the policy of the enterprise's region counts them. */
struct store_hours {
	double done;         /* hours in the year of the kinds that count */
	double required;     /* the quota, pro rata where the policy says; 0 = none */
	char kinds[64];      /* the kinds that count, "继续教育,线上自学" */
};
/* Fills *out for person `person_id` whose appointment in `region_code`
 * started on `start_date` (YYYY-MM-DD), for calendar `year`. */
int store_training_year(struct store *st, int64_t person_id, const char *region_code,
                        const char *start_date, int year, struct store_hours *out);

/* Date (YYYY-MM-DD) of the person's earliest 任职培训 into date[11];
 * -ENOENT when none is recorded. */
int store_training_first_appointment(struct store *st, int64_t person_id, char date[11]);

#endif
