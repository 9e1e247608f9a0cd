/* Helpers shared by cqoctl's subcommands; see ctl.h. */
#include "ctl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/config.h"
#include "../store/store.h"
#include "../handlers/text/cqoctl.h"

void ctl_actor(const struct ctl *c, const char *command, struct store_actor *out)
{
	*out = (struct store_actor){.platform = "cqoctl", .user_id = c->user, .command = command};
}

__attribute__((format(printf, 3, 0)))
static void vline(const char *cmd, const char *hint_cmd, const char *fmt, va_list ap)
{
	char msg[1024], full[1200];

	vsnprintf(msg, sizeof msg, fmt, ap);
	/* One line, whatever the message held. */
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (hint_cmd)
		snprintf(full, sizeof full, TXT_CTL_SEE_HELP, msg, hint_cmd);
	else
		snprintf(full, sizeof full, "%s", msg);
	if (cmd)
		fprintf(stderr, TXT_CTL_ERR_CMD, cmd, full);
	else
		fprintf(stderr, TXT_CTL_ERR, full);
}

int ctl_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline(cmd, NULL, fmt, ap);
	va_end(ap);
	return CTL_FAILED;
}

int ctl_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline(cmd, cmd ? cmd : "", fmt, ap);
	va_end(ap);
	return CTL_USAGE;
}

void ctl_store_reason(int rc, char *buf, size_t len)
{
	if (rc == -EIO)
		snprintf(buf, len, "%s", TXT_CTL_STORE_EIO);
	else
		snprintf(buf, len, TXT_CTL_STORE, strerror(-rc));
}

int ctl_store_fail(const char *cmd, int rc)
{
	char why[256];

	ctl_store_reason(rc, why, sizeof why);
	return ctl_fail(cmd, "%s", why);
}

bool ctl_parse_long(const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

FILE *ctl_open_out(const char *cmd, const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		ctl_fail(cmd, TXT_CTL_FILE, path, strerror(errno));
	return f;
}

int ctl_close_out(const char *cmd, FILE *f, const char *path)
{
	bool is_stdout = f == stdout;
	int bad = ferror(f);

	if (fflush(f) != 0)
		bad = 1;
	int err = errno;
	if (!is_stdout && fclose(f) != 0) {
		bad = 1;
		err = errno;
	}
	if (bad)
		return ctl_fail(cmd, TXT_CTL_WRITE, is_stdout ? TXT_CTL_STDOUT : path, strerror(err));
	return CTL_OK;
}

int ctl_ensure_regions(struct ctl *c, const char *cmd)
{
	char path[4096];
	int loaded = 0;

	if (store_regions_count(c->st) > 0)
		return CTL_OK;
	snprintf(path, sizeof path, "%s/regions.csv", c->cfg->data_dir);
	int rc = store_begin(c->st);
	if (rc == 0)
		rc = store_regions_load_csv(c->st, path, &loaded);
	rc = store_end(c->st, rc);
	if (rc < 0)
		return ctl_fail(cmd, TXT_CTL_FILE, path, strerror(-rc));
	fprintf(stderr, TXT_CTL_REGIONS_LOADED, loaded);
	return CTL_OK;
}
