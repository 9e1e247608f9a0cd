/*
 * The 活动 发布 / 活动 修改 form ("键：值" lines under the command):
 *   类型 (沙龙, 论坛, 围炉会, 大会, 现场会, 研讨会, 首席质量官日, 质量月), 标题,
 *   开始时间, 结束时间, 地点 and/or 线上链接, 人数上限 (a number or 不限),
 *   报名截止 (a time, or a date: until 23:59 that day), 简介,
 *   开放报名 (是: anyone bound may sign up; 否, the default: members only),
 *   联盟 (admins name it; an organizer's is their own).
 * To publish, 类型, 标题 and 开始时间 are required and a place or a link;
 * to change, any fields, and "无" clears an optional one.
 */
#ifndef CQOD_EVENT_FORM_H
#define CQOD_EVENT_FORM_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store_event.h"
#include "../lib/reply.h"

/* Fields a form set (bits), so a change can say what changed. */
enum {
	EVENT_F_KIND = 1u << 0,
	EVENT_F_TITLE = 1u << 1,
	EVENT_F_TIME = 1u << 2,        /* start or end */
	EVENT_F_PLACE = 1u << 3,       /* place or link */
	EVENT_F_CAPACITY = 1u << 4,
	EVENT_F_DEADLINE = 1u << 5,
	EVENT_F_DESCRIPTION = 1u << 6,
	EVENT_F_OPEN = 1u << 7,
};

/* Reads `body` onto *ev: a new event (creating: ev is cleared first) or
 * the changes to an existing one (ev holds its current values). The
 * alliance's name or number, when given, goes to alliance[len] ("" if
 * not). *changed gets the EVENT_F_* bits the form set. Returns 0; -ENODATA
 * for an empty form (nothing replied); -EINVAL after one line per problem
 * in `errors`; -ENOMEM. */
int event_form_read(const char *body, bool creating, int64_t now, struct store_event *ev,
                    char *alliance, size_t len, unsigned *changed, struct reply *errors);

/* The form's fields, one line each, for the usage reply. */
void event_form_describe(bool creating, struct reply *r);

#endif
