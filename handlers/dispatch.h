/*
 * Runs one chat message as a command: resolves the sender's identity, tokenizes,
 * finds the handler, checks the role, runs it and fills the reply. Generic
 * policy lives here once so handlers only do their own work.
 */
#ifndef CQOD_DISPATCH_H
#define CQOD_DISPATCH_H

#include "handler.h"

struct dispatch_env {
	struct store *store;
	const struct config *cfg;
	/* When non-NULL, used instead of looking the sender up (the console's
	 * local operator). */
	const struct identity *fixed_identity;
};

/* Fills `out` (initialized by the caller) with the answer to msg. Returns 0
 * when a reply was produced (including refusals and usage errors), or a
 * negative error when not even an apology could be built (ENOMEM). */
int dispatch_message(const struct dispatch_env *env, const struct chat_msg *msg,
                     struct reply *out);

/* Resolves the identity of (platform, user) from the store; guests get
 * ROLE_GUEST. 0 or -EIO. */
int dispatch_identity(struct store *st, const char *platform, const char *user_id,
                      struct identity *out);

/* Registers the command metrics (call once at start). */
void dispatch_metrics_init(void);

#endif
