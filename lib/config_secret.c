/*
 * Secrets given as "<key>_file = PATH" in cqod.conf: read once at load time,
 * with systemd's credential directory as a fallback for relative paths.
 * Messages name the file, never its content.
 */
#include "config_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest secret accepted from a file, after the trailing newline is cut. */
#define SECRET_MAX 4096

/* Reads at most SECRET_MAX bytes plus a "\r\n" from a regular file. */
static int read_secret_fd(int fd, const char *shown, char **out, char **why)
{
	char buf[SECRET_MAX + 3];
	size_t len = 0;
	struct stat st;
	int rc = 0;

	if (fstat(fd, &st) < 0)
		return config_fail(why, "cannot read \"%s\": %s", shown, strerror(errno));
	/* A FIFO or device could block the daemon's start-up forever. */
	if (!S_ISREG(st.st_mode))
		return config_fail(why, "\"%s\" is not a regular file", shown);
	while (len < sizeof buf) {
		ssize_t n = read(fd, buf + len, sizeof buf - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = config_fail(why, "cannot read \"%s\": %s", shown, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len >= 2 && buf[len - 2] == '\r' && buf[len - 1] == '\n')
		len -= 2;
	else if (len >= 1 && buf[len - 1] == '\n')
		len -= 1;
	if (len > SECRET_MAX)
		rc = config_fail(why, "\"%s\" is larger than %d bytes", shown, SECRET_MAX);
	else if (len == 0)
		rc = config_fail(why, "\"%s\" is empty", shown);
	else if (memchr(buf, '\0', len))
		rc = config_fail(why, "\"%s\" contains a NUL byte", shown);
	else if (!(*out = malloc(len + 1)))
		rc = -ENOMEM;
	else {
		memcpy(*out, buf, len);
		(*out)[len] = '\0';
	}
out:
	explicit_bzero(buf, sizeof buf);
	return rc;
}

int config_secret_read(const char *dir, const char *path, char **out, char **why)
{
	char shown[CONFIG_ESC_MAX], shown_alt[CONFIG_ESC_MAX];
	char *full, *alt = NULL;
	const char *creds;
	int fd, err, rc;

	*out = NULL;
	*why = NULL;
	full = path[0] == '/' ? strdup(path) : config_printf("%s/%s", dir, path);
	if (!full)
		return -ENOMEM;
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	err = errno;
	creds = getenv("CREDENTIALS_DIRECTORY");
	if (fd < 0 && err == ENOENT && path[0] != '/' && creds && *creds) {
		alt = config_printf("%s/%s", creds, path);
		if (!alt) {
			free(full);
			return -ENOMEM;
		}
		fd = open(alt, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		err = errno;
	}
	config_escape(full, shown, sizeof shown);
	if (alt)
		config_escape(alt, shown_alt, sizeof shown_alt);
	if (fd < 0) {
		if (alt)
			rc = config_fail(why, "cannot open \"%s\" or \"%s\": %s", shown, shown_alt,
			          strerror(err));
		else
			rc = config_fail(why, "cannot open \"%s\": %s", shown, strerror(err));
	} else {
		rc = read_secret_fd(fd, alt ? shown_alt : shown, out, why);
		close(fd);
	}
	free(full);
	free(alt);
	return rc;
}
