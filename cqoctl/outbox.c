/*
 * cqoctl outbox: the operator's view of the outbox (daemon/store_outbox.h).
 *
 *   outbox [--state S] [--limit N]      list rows, newest first, no message text
 *   outbox retry ID | --dead            make a row (all dead rows) due now
 *   outbox drop ID                      delete a row
 *   outbox send --dest D --text T [--count N]   queue test messages
 *
 * A running daemon notices these changes through PRAGMA data_version
 * within a second (daemon/outbox.c).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../store/store.h"
#include "../store/store_outbox.h"
#include "../handlers/timefmt.h"
#include "../lib/config.h"
#include "../lib/platform.h"
#include "../lib/reply.h"
#include "../handlers/text/cqoctl.h"
#include "../handlers/text/outbox.h"
#include "ctl.h"

#define CMD "outbox"
#define LIST_DEFAULT 50
#define MAX_COUNT 100000

static int print_entry(void *arg, const struct store_outbox_entry *e)
{
	size_t *n = arg;
	char due[20], tried[20];

	timefmt_cst_minute(e->not_before, due, sizeof due);
	if (e->sent_at)
		timefmt_cst_minute(e->sent_at, tried, sizeof tried);
	else
		snprintf(tried, sizeof tried, "%s", TXT_CTL_OB_NEVER);
	if (!*n)
		fputs(TXT_CTL_OB_HEADER, stdout);
	printf(TXT_CTL_OB_LINE, (long long)e->id, e->state, e->destination, e->attempts, due, tried,
	       e->last_error[0] ? e->last_error : TXT_CTL_OB_NEVER);
	(*n)++;
	return 0;
}

static bool state_valid(const char *s)
{
	static const char *const states[] = {"pending", "inflight", "sent", "dead"};

	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (strcmp(s, states[i]) == 0)
			return true;
	return false;
}

static int outbox_list(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"state", required_argument, NULL, 's'},
		{"limit", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	const char *state = NULL;
	long limit = LIST_DEFAULT;
	size_t n = 0;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (!state_valid(optarg))
				return ctl_usage(CMD, TXT_CTL_OB_BAD_STATE);
			state = optarg;
			break;
		case 'l':
			if (!ctl_parse_long(optarg, 1, MAX_COUNT, &limit))
				return ctl_usage(CMD, TXT_CTL_BAD_NUMBER, "--limit", 1L, (long)MAX_COUNT);
			break;
		default:
			return ctl_usage(CMD, TXT_CTL_BAD_OPTION);
		}
	}
	if (optind != argc)
		return ctl_usage(CMD, TXT_CTL_OB_ACTION);
	int rc = store_outbox_list(c->st, state, (int)limit, print_entry, &n);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	if (!n)
		fputs(TXT_CTL_OB_NONE, stdout);
	return CTL_OK;
}

static bool parse_id(const char *s, long long *id)
{
	long v;

	if (!ctl_parse_long(s, 1, LONG_MAX, &v))
		return false;
	*id = v;
	return true;
}

static int outbox_retry(struct ctl *c, int argc, char **argv)
{
	long long id;
	int n = 0, rc;

	if (argc != 3)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	if (strcmp(argv[2], "--dead") == 0) {
		rc = store_outbox_retry_dead(c->st, c->now, &n);
		if (rc < 0)
			return ctl_store_fail(CMD, rc);
		printf(TXT_CTL_OB_RETRIED_DEAD, n);
		return CTL_OK;
	}
	if (!parse_id(argv[2], &id))
		return ctl_usage(CMD, TXT_CTL_OB_BAD_ID);
	rc = store_outbox_retry(c->st, id, c->now);
	if (rc == -ENOENT)
		return ctl_fail(CMD, TXT_CTL_OB_NO_ROW, id);
	if (rc == -EBUSY)
		return ctl_fail(CMD, TXT_CTL_OB_INFLIGHT, id);
	if (rc == -EALREADY)
		return ctl_fail(CMD, TXT_CTL_OB_SENT, id);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	printf(TXT_CTL_OB_RETRIED, id);
	return CTL_OK;
}

/* Removes the files of row id (one per spec the id had, since ids are
 * reused), saying which could not. */
static void remove_files(struct ctl *c, long long id)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *e;
	DIR *d;

	if (store_outbox_files_dir(c->cfg->database, dir, sizeof dir) < 0 || !(d = opendir(dir)))
		return;
	while ((e = readdir(d))) {
		if (!store_outbox_file_of(e->d_name, id))
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
			continue;
		if (unlink(path) < 0 && errno != ENOENT)
			fprintf(stderr, TXT_CTL_OB_FILE_LEFT, path, strerror(errno));
	}
	closedir(d);
}

static int outbox_drop(struct ctl *c, int argc, char **argv)
{
	long long id;
	int rc;

	if (argc != 3)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	if (!parse_id(argv[2], &id))
		return ctl_usage(CMD, TXT_CTL_OB_BAD_ID);
	rc = store_begin(c->st);
	if (rc == 0)
		rc = store_outbox_drop(c->st, id);
	rc = store_end(c->st, rc);
	if (rc == -ENOENT)
		return ctl_fail(CMD, TXT_CTL_OB_NO_ROW, id);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	/* A file row's workbook goes with it, after the COMMIT (a rolled-back
	 * drop keeps both); other rows have none. */
	remove_files(c, id);
	printf(TXT_CTL_OB_DROPPED, id);
	return CTL_OK;
}

/* Queues message i of count: the text, numbered when there are several. */
static int enqueue_one(struct ctl *c, const struct dest *d, const char *text, long i,
                       long count)
{
	char key[128];
	struct reply r;
	int rc;

	/* Unique per run: a second run queues new messages. */
	snprintf(key, sizeof key, "ctl:%s:%lld:%ld:%ld", c->user, (long long)c->now, (long)getpid(),
	         i);
	reply_init(&r);
	rc = count > 1 ? reply_add_line(&r, TXT_CTL_OB_COUNTED, text, i, count)
	               : reply_add_line(&r, "%s", text);
	if (rc == 0)
		rc = store_outbox_enqueue(c->st, d, &r, key, c->now, 0);
	reply_free(&r);
	return rc;
}

static int outbox_send(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"dest", required_argument, NULL, 'd'},
		{"text", required_argument, NULL, 't'},
		{"count", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	const char *dest_text = NULL, *text = NULL;
	long count = 1;
	struct dest d;
	int opt, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': dest_text = optarg; break;
		case 't': text = optarg; break;
		case 'n':
			if (!ctl_parse_long(optarg, 1, MAX_COUNT, &count))
				return ctl_usage(CMD, TXT_CTL_BAD_NUMBER, "--count", 1L, (long)MAX_COUNT);
			break;
		default:
			return ctl_usage(CMD, TXT_CTL_BAD_OPTION);
		}
	}
	if (optind != argc - 1 || !dest_text || !text || !*text)
		return ctl_usage(CMD, TXT_CTL_OB_NEED_SEND);
	if (dest_parse(dest_text, &d) < 0)
		return ctl_usage(CMD, TXT_CTL_OB_BAD_DEST, dest_text);
	/* One transaction: the daemon sees the whole burst at once. */
	rc = store_begin(c->st);
	for (long i = 1; rc == 0 && i <= count; i++)
		rc = enqueue_one(c, &d, text, i, count);
	rc = store_end(c->st, rc);
	if (rc < 0) {
		if (rc == -EINVAL)
			return ctl_usage(CMD, TXT_CTL_OB_BAD_DEST, dest_text);
		return ctl_store_fail(CMD, rc);
	}
	printf(TXT_CTL_OB_QUEUED, count);
	return CTL_OK;
}

int ctl_cmd_outbox(struct ctl *c, int argc, char **argv)
{
	const char *action = argc > 1 ? argv[1] : "";

	if (strcmp(action, "retry") == 0)
		return outbox_retry(c, argc, argv);
	if (strcmp(action, "drop") == 0)
		return outbox_drop(c, argc, argv);
	if (strcmp(action, "send") == 0)
		return outbox_send(c, argc, argv);
	return outbox_list(c, argc, argv);
}
