/* systemd notifications without libsystemd; see sd_notify.h. */
#include "sd_notify.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define NOTIFY_MAX 1024

/* Fills *sa from $NOTIFY_SOCKET's value; returns the address length or
 * -EINVAL. An abstract name keeps no trailing NUL: its length is its name. */
static int notify_addr(const char *name, struct sockaddr_un *sa, socklen_t *len)
{
	size_t n = strlen(name);

	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	if (n < 2 || n >= sizeof sa->sun_path || (name[0] != '/' && name[0] != '@'))
		return -EINVAL;
	memcpy(sa->sun_path, name, n);
	if (name[0] == '@') {
		sa->sun_path[0] = '\0';
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	} else {
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	}
	return 0;
}

int sd_notify_send(const char *state)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	socklen_t alen;
	ssize_t sent;
	int fd, rc;

	if (!name || !*name)
		return 0;
	rc = notify_addr(name, &sa, &alen);
	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	do
		sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, alen);
	while (sent < 0 && errno == EINTR);
	rc = sent < 0 ? -errno : 0;
	close(fd);
	return rc;
}

int sd_notify_sendf(const char *fmt, ...)
{
	char buf[NOTIFY_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		return -ENOSPC;
	return sd_notify_send(buf);
}

/* A decimal number with nothing after it, above 0; else 0. */
static unsigned long long positive(const char *s)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	return errno || *end ? 0 : v;
}

uint64_t sd_notify_watchdog_usec(void)
{
	const char *pid = getenv("WATCHDOG_PID");

	if (pid && positive(pid) != (unsigned long long)getpid())
		return 0;
	return positive(getenv("WATCHDOG_USEC"));
}
