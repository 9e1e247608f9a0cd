/*
 * Whether a file that loaded without error may replace the running
 * configuration (SIGHUP) or be called good (cqod -n).
 *
 * config_load() accepts an empty file and any subset of sections, since every
 * key has a default. A reload must not: an empty or half-written file would
 * bring back the defaults and drop every webhook instance, and each
 * platform's callbacks would be answered 404 until the next good reload.
 */
#include "../lib/config_keys.h"

#include <string.h>

int config_reload_check(const struct config *running, const struct config *next, char **why)
{
	char e1[CONFIG_ESC_MAX], e2[CONFIG_ESC_MAX];

	*why = NULL;
	if (!next->first_line)
		return config_fail(why, "%s: the file is empty (no section or key)", next->path);
	if (!next->daemon_line)
		return config_fail(why, "%s: no [daemon] section (is the file truncated?)",
		                   next->path);
	if (!running)
		return 0;
	/* The listener and the store are opened once, at start; taking the rest of
	 * the file while these silently stay as they were would hide the mistake. */
	if (strcmp(next->listen, running->listen) != 0)
		return config_fail(why, "%s: listen changed from \"%s\" to \"%s\"; that needs a "
		                   "restart of cqod", next->path,
		                   config_escape(running->listen, e1, sizeof e1),
		                   config_escape(next->listen, e2, sizeof e2));
	if (strcmp(next->database, running->database) != 0)
		return config_fail(why, "%s: database changed from \"%s\" to \"%s\"; that needs a "
		                   "restart of cqod", next->path,
		                   config_escape(running->database, e1, sizeof e1),
		                   config_escape(next->database, e2, sizeof e2));
	if (running->n_instances && !next->n_instances)
		return config_fail(why, "%s: no platform instance ([<platform>:<name>] section) "
		                   "left while %zu %s running; restart cqod to run without any",
		                   next->path, running->n_instances,
		                   running->n_instances == 1 ? "is" : "are");
	return 0;
}
