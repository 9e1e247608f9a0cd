/*
 * What the configuration tells about identities' tenants (store.h): the
 * tenant an instance stands for, and settling the identities still pending
 * by it, after an upgrade (daemon start) and before cqoctl changes roles.
 */
#ifndef CQOD_TENANT_H
#define CQOD_TENANT_H

#include <stdbool.h>

struct config;
struct config_instance;
struct store;

/* The tenant every message through `ci` has, where the configuration
 * tells it: WeCom's corp_id (each message is decrypted against it),
 * DingTalk's optional corp_id, the generic instance's own name; NULL
 * otherwise (Feishu's tenant_key comes only with its messages). Borrowed
 * from ci. */
const char *tenant_of_instance(const struct config_instance *ci);

/* Whether `platform` takes chat messages through configured instances
 * (its row has an instance section): the platforms identities belong to
 * besides the console. */
bool tenant_chat_platform(const char *platform);

/* Settles the pending identities by cfg (store_identity_settle for each
 * chat instance, the first of each platform taking the rows that name no
 * instance), inside the caller's transaction. *settled (may be NULL) counts
 * the rows that got a tenant. */
int tenant_settle(struct store *st, const struct config *cfg, int *settled);

#endif
