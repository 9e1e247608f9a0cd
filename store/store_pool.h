/*
 * The 人才库 (talent pool; seeds 002 art. 3 and 10, 003): people with a
 * recorded 任职培训 who hold no appointment in force and were neither
 * removed (除名) nor blacklisted. A former CQO is in it by their records,
 * in the region of their latest enterprise; someone trained but never
 * filed enters with a region (人才库 加入). 移出 takes anyone out. Filing a
 * pool member (备案 with the same name and phone) reuses the person and
 * their training, and their appointment takes them out of the list.
 */
#ifndef CQOD_STORE_POOL_H
#define CQOD_STORE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store_appoint.h"

struct store;
struct store_actor;

struct store_pool_person {
	int64_t person_id;          /* the 人才库 编号 */
	char name[64];
	char phone[32];
	char birth_date[11];
	char education[32];
	char title[64];
	char position[96];
	char region_code[16];
	char region_name[96];
	char enterprise[192];       /* the unit that put them forward, or their last one */
	char trained_on[11];        /* their first 任职培训 */
	char certificate_no[96];
	int64_t last_record;        /* their latest 记录号; 0: never filed */
};

/* The pool within `scope` ("" everywhere), by 编号: `person_id` (0: any)
 * and `name` (NULL: any). Rows offset.. offset+max into out, *n of them;
 * *total all that match. 0 or a negative errno. */
int store_pool_list(struct store *st, const char *scope, int64_t person_id, const char *name,
                    size_t offset, struct store_pool_person *out, size_t max, size_t *n,
                    size_t *total);

struct store_pool_entry {
	struct store_appoint_person person;   /* name and phone required */
	const char *region_code;              /* required, in scope */
	const char *enterprise;               /* may be NULL */
	const char *trained_on;               /* the 任职培训: date, hours required */
	double hours;
	const char *certificate_no, *institution;   /* may be NULL */
	const char *scope;                    /* the asker's ("" everywhere) */
	int64_t now;
};

/* Enters a trained person: the person (reused by name and phone as 备案
 * does, *reused), their 任职培训 and their pool row, with audit rows, all
 * or nothing; *person_id gets the 编号. -EEXIST: already in the pool;
 * -EBUSY: a CQO in office; -EPERM: removed or blacklisted; -EINVAL: a
 * value breaks a schema check. */
int store_pool_add(struct store *st, const struct store_actor *who,
                   const struct store_pool_entry *in, int64_t *person_id, bool *reused);

/* Takes 编号 `person_id` out of the pool with `reason`, with its audit
 * row. -ENOENT: not in the pool within `scope`. */
int store_pool_remove(struct store *st, const struct store_actor *who, int64_t person_id,
                      const char *scope, const char *reason, int64_t now);

#endif
