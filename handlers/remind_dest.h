/*
 * Where reminders go: a person's or clerk's chat identity, reached by a
 * DEST_USER message through the config instance it was bound or granted
 * through ([wecom:NAME], [dingtalk:NAME], [feishu:NAME]), or, when that is
 * not known or no longer configured, the first configured instance of its
 * platform. Identities of platforms without out-of-band messages (generic,
 * console) cannot be reached.
 *
 * The instance names are copied from the configuration when a sweep
 * begins, so a SIGHUP that frees the old configuration mid-sweep does no
 * harm.
 */
#ifndef CQOD_REMIND_DEST_H
#define CQOD_REMIND_DEST_H

#include <stddef.h>

#include "../lib/platform.h"

struct config;
struct store_remind_identity;

struct remind_instance {
	char platform[16];
	char name[33];
};

struct remind_instances {
	struct remind_instance *v;   /* owned; in configuration order */
	size_t n;
};

/* Copies the app instances (wecom, dingtalk, feishu) of cfg. 0 or -ENOMEM. */
int remind_instances_from_config(const struct config *cfg, struct remind_instances *out);
void remind_instances_free(struct remind_instances *in);

/* The destination of identity `id`; -ENOENT when it cannot be reached. */
int remind_dest_for(const struct remind_instances *in, const struct store_remind_identity *id,
                    struct dest *out);

#endif
