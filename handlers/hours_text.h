/* A CQO's annual training hours as every command shows them (查询, 我的,
 * 培训): done, the quota and what is missing, and which kinds count. */
#ifndef CQOD_HOURS_TEXT_H
#define CQOD_HOURS_TEXT_H

#include <stddef.h>

/* "20.0 学时，年度要求 30.0 学时，还差 10.0 学时（计入：继续教育、线上自学）"
 * into buf; required 0: "20.0 学时（本地无年度学时要求）". kinds is the
 * policy's "继续教育,线上自学". */
void hours_text(char *buf, size_t len, double done, double required, const char *kinds);

#endif
