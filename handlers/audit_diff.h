/*
 * What one audit row changed, in a line for 审计: "新建培训记录",
 * "删除身份授权", "修改聘任记录：状态、终止日期". Only field names are
 * shown, never values, so the history leaks no personal data into a group
 * chat. Entity and field names are shown in Chinese where known, else as
 * the stored key.
 */
#ifndef CQOD_AUDIT_DIFF_H
#define CQOD_AUDIT_DIFF_H

#include <stddef.h>

/* Room for any summary: longer field lists end in "…" at a whole name. */
#define AUDIT_SUMMARY_MAX 384

/* before/after: the row's JSON snapshots; NULL or "" when absent (created,
 * deleted). Snapshots that do not parse as JSON objects (cut short by the
 * store) give "修改<实体>" without the field list. out holds len bytes,
 * at least AUDIT_SUMMARY_MAX for the whole line. */
void audit_summary(const char *entity, const char *before, const char *after, char *out,
                   size_t len);

/* The Chinese name of an audit entity ("appointment" → 聘任记录) or of a
 * snapshot field ("term_end" → 任期届满); the key itself when unknown. */
const char *audit_entity_name(const char *entity);
const char *audit_field_name(const char *key);

#endif
