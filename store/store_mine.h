/*
 * A CQO's own registry record, found from the person they are bound to
 * (我的).
 */
#ifndef CQOD_STORE_MINE_H
#define CQOD_STORE_MINE_H

#include <stdint.h>

struct store;

/* The person's current record: their newest active appointment, else their
 * newest appointment of any status. -ENOENT when they have none. */
int store_mine_record(struct store *st, int64_t person_id, int64_t *appointment_id);

#endif
