/* Naming alliances and groups for the alliance commands; see alliance_ref.h. */
#include "alliance_ref.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../messages/platforms.h"
#include "text/alliance.h"
#include "argtext.h"

char *alliance_ref_text(const struct args *a, int from)
{
	char *line = argtext_join(a, from), *out;
	size_t n1, n2;

	if (!line || !a->body || !a->body[0])
		return line;
	n1 = strlen(line);
	n2 = strlen(a->body);
	out = malloc(n1 + n2 + 2);
	if (out) {
		memcpy(out, line, n1);
		out[n1] = '\n';
		memcpy(out + n1 + (n1 > 0), a->body, n2 + 1);
	}
	free(line);
	return out;
}

bool alliance_ref_may_manage(const struct identity *who, int64_t id)
{
	return who->role == ROLE_ADMIN || (who->role == ROLE_ORGANIZER && who->alliance_id == id);
}

int alliance_ref_find(struct cmd_ctx *ctx, const char *arg, struct store_alliance *out)
{
	int rc = store_alliance_find(ctx->store, arg, out);

	if (rc == -ENOENT || rc == -EINVAL) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_AL_NONE, arg);
		return ALLIANCE_REF_REPLIED;
	}
	return rc < 0 ? HANDLER_ERROR : 0;
}

int alliance_ref_manage(struct cmd_ctx *ctx, const char *arg, struct store_alliance *out)
{
	int rc;

	if (!arg) {
		if (ctx->who->role != ROLE_ORGANIZER) {
			reply_add_line(ctx->reply, TXT_AL_NAME_IT);
			return HANDLER_USAGE;
		}
		rc = store_alliance_get(ctx->store, ctx->who->alliance_id, out);
		if (rc == -ENOENT) {
			ctx->reply->is_error = true;
			reply_add_line(ctx->reply, TXT_AL_OWN_GONE);
			return ALLIANCE_REF_REPLIED;
		}
		return rc < 0 ? HANDLER_ERROR : 0;
	}
	rc = alliance_ref_find(ctx, arg, out);
	if (rc != 0)
		return rc;
	if (!alliance_ref_may_manage(ctx->who, out->id)) {
		reply_add_line(ctx->reply, TXT_AL_NOT_YOURS, out->name);
		return HANDLER_DENIED;
	}
	return 0;
}

static const char *platform_word(const char *platform, bool robot)
{
	const struct platform_codec *p = platform_find(platform);
	const char *word = p ? (robot ? p->robot_word : p->group_word) : NULL;

	return word ? word : platform;
}

void alliance_ref_group_name(const struct dest *d, const char *label, char *buf, size_t len)
{
	const char *word = platform_word(d->platform, d->kind == DEST_ROBOT);

	if (label && label[0])
		snprintf(buf, len, TXT_AL_GROUP_LABELLED, label, word);
	else if (d->kind == DEST_ROBOT)
		snprintf(buf, len, TXT_AL_GROUP_ROBOT, word, d->instance);
	else
		snprintf(buf, len, TXT_AL_GROUP_CHAT, word, d->target, d->instance);
}

bool alliance_ref_report_dest(const struct cmd_ctx *ctx, struct dest *out)
{
	const struct chat_msg *m = ctx->msg;

	memset(out, 0, sizeof *out);
	if (!m->platform || !m->instance || !m->sender_id || !platform_has_dest(m->platform))
		return false;
	if (strlen(m->instance) >= sizeof out->instance ||
	    strlen(m->sender_id) >= sizeof out->target)
		return false;
	snprintf(out->platform, sizeof out->platform, "%s", m->platform);
	snprintf(out->instance, sizeof out->instance, "%s", m->instance);
	snprintf(out->target, sizeof out->target, "%s", m->sender_id);
	out->kind = DEST_USER;
	return true;
}
