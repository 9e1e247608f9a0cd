/*
 * Honours (荣誉) of a CQO: 优秀首席质量官, 质量专家人才库 membership,
 * 典型选树, 市长质量奖个人奖 ... One per person, name and year.
 */
#ifndef CQOD_STORE_HONOUR_H
#define CQOD_STORE_HONOUR_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct store_actor;

/* Records honour `name` of `year` for the person of appointment
 * `appointment_id`, with its audit row (entity "honour", record_id = the
 * appointment), atomically; *id gets its id. -ENOENT: no such
 * appointment; -EEXIST: the person already has this honour for that year;
 * -EINVAL: a value breaks a schema check. */
int store_honour_add(struct store *st, const struct store_actor *who, int64_t appointment_id,
                     const char *name, int year, int64_t now, int64_t *id);

struct store_honour {
	int64_t id;
	char name[260];   /* room for 64 characters */
	int year;
};

/* The person's honours, newest year first: up to max into out, *n written,
 * *total all of them. */
int store_honour_list(struct store *st, int64_t person_id, struct store_honour *out, size_t max,
                      size_t *n, size_t *total);

#endif
