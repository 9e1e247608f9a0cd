/*
 * The command table: every handler_entry cqod knows, in help order.
 * Lookup is exact on the name or any alias (ASCII aliases case-insensitive);
 * handler_find_prefix finds a Chinese command word glued to its argument.
 */
#ifndef CQOD_TABLE_H
#define CQOD_TABLE_H

#include <stddef.h>

#include "handler.h"

/* The entries, each defined in its family's file (help.c, whoami.c, query.c). */
/* Every command, one line each (handlers/<family>.c defines them). */
extern const struct handler_entry handler_help;
extern const struct handler_entry handler_whoami;
extern const struct handler_entry handler_query;
extern const struct handler_entry handler_file;
extern const struct handler_entry handler_replace;
extern const struct handler_entry handler_renew;
extern const struct handler_entry handler_evaluate;
extern const struct handler_entry handler_category;
extern const struct handler_entry handler_dismiss;
extern const struct handler_entry handler_bind;
extern const struct handler_entry handler_unbind;
extern const struct handler_entry handler_bindcode;
extern const struct handler_entry handler_next_page;
extern const struct handler_entry handler_confirm;
extern const struct handler_entry handler_cancel;
extern const struct handler_entry handler_audit;
extern const struct handler_entry handler_grant;
extern const struct handler_entry handler_revoke;
extern const struct handler_entry handler_roles;
extern const struct handler_entry handler_train;
extern const struct handler_entry handler_summon;
extern const struct handler_entry handler_warn;
extern const struct handler_entry handler_remove;
extern const struct handler_entry handler_blacklist;
extern const struct handler_entry handler_advise_dismissal;
extern const struct handler_entry handler_revoke_sanction;
extern const struct handler_entry handler_honour;
extern const struct handler_entry handler_pool;
extern const struct handler_entry handler_mine;
extern const struct handler_entry handler_expiring;
extern const struct handler_entry handler_overdue;
extern const struct handler_entry handler_untrained;
extern const struct handler_entry handler_sanction_list;
extern const struct handler_entry handler_vacant;
extern const struct handler_entry handler_stats;
extern const struct handler_entry handler_target;
extern const struct handler_entry handler_export;
extern const struct handler_entry handler_queue;
extern const struct handler_entry handler_ack;
extern const struct handler_entry handler_unacked;
extern const struct handler_entry handler_remind;
extern const struct handler_entry handler_alliance;
extern const struct handler_entry handler_subscribe;
extern const struct handler_entry handler_unsubscribe;
extern const struct handler_entry handler_event;
extern const struct handler_entry handler_signup;
extern const struct handler_entry handler_withdraw;
extern const struct handler_entry handler_roster;
extern const struct handler_entry handler_notice;

/* NULL-terminated. */
extern const struct handler_entry *const handler_table[];

/* The entry whose name or alias is `word`; NULL if none. */
const struct handler_entry *handler_find(const char *word);

/* The entry with the longest Chinese name or alias that `word` starts with
 * and goes on past (查询张三 -> 查询; 取消报名12 -> 取消报名, not 取消), its
 * name or alias into *cmd (may be NULL); NULL if none. ASCII aliases never
 * match this way: "queryx" is a typo, not query x. */
const struct handler_entry *handler_find_prefix(const char *word, const char **cmd);

/* Up to `max` entries nearest to `word` (edit distance over Unicode code
 * points against names and aliases, closest first), only those `roles`
 * allows; returns how many were written to out. Nothing farther than a
 * sensible threshold is suggested. */
size_t handler_suggest(const char *word, unsigned roles,
                       const struct handler_entry **out, size_t max);

#endif
