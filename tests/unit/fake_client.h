/*
 * For unit tests that talk to tests/fake/fakeplatform.py: start it, stop it,
 * and use its control paths (/_requests, /_reset, /_script) with small
 * blocking HTTP/1.0 requests made from the test itself, never from the code
 * under test. See tests/fake/README.md. Header-only: each test binary is
 * built from one source file.
 */
#ifndef CQOD_TEST_FAKE_CLIENT_H
#define CQOD_TEST_FAKE_CLIENT_H

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

struct fake {
	pid_t pid;
	int stdin_fd;   /* closing it stops the fake (--exit-on-eof) */
	int port;
	char base[64];  /* "http://127.0.0.1:<port>" */
};

/* tests/fake/<name>, from the tree's top or a build directory, or NULL. */
static inline const char *fake_script_path(const char *name)
{
	static const char *const dirs[] = {"tests/fake/", "../tests/fake/", "../../tests/fake/"};
	static char path[256];

	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, sizeof path, "%s%s", dirs[i], name);
		if (access(path, R_OK) == 0)
			return path;
	}
	return NULL;
}

/* Starts tests/fake/<name> (any of the fakes: they share the command line)
 * and reads its "PORT <n>" line. 0 or -1. */
static inline int fake_start_script(struct fake *f, const char *name)
{
	const char *script = fake_script_path(name);
	int in[2], out[2];
	char line[64];
	FILE *fp;

	memset(f, 0, sizeof *f);
	if (!script || pipe(in) < 0 || pipe(out) < 0)
		return -1;
	f->pid = fork();
	if (f->pid < 0)
		return -1;
	if (f->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execlp("python3", "python3", script, "--exit-on-eof", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f->stdin_fd = in[1];
	fp = fdopen(out[0], "r");
	if (!fp || !fgets(line, sizeof line, fp) || sscanf(line, "PORT %d", &f->port) != 1) {
		if (fp)
			fclose(fp);
		return -1;
	}
	fclose(fp);
	snprintf(f->base, sizeof f->base, "http://127.0.0.1:%d", f->port);
	return 0;
}

/* Starts tests/fake/fakeplatform.py. 0 or -1. */
static inline int fake_start(struct fake *f)
{
	return fake_start_script(f, "fakeplatform.py");
}

static inline void fake_stop(struct fake *f)
{
	int status;

	if (f->pid <= 0)
		return;
	close(f->stdin_fd);
	kill(f->pid, SIGTERM);
	waitpid(f->pid, &status, 0);
	f->pid = 0;
}

/* One blocking request to the fake; returns the HTTP status (0 on failure)
 * and the body in *resp (caller frees; may be NULL). */
static inline int fake_http(const struct fake *f, const char *method, const char *path,
                            const char *body, char **resp)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)f->port)};
	struct timeval tv = {10, 0};
	size_t len = 0, cap = 4096, blen = body ? strlen(body) : 0;
	char head[512], *buf = malloc(cap), *sep;
	int fd, status = 0;
	ssize_t n;

	if (resp)
		*resp = NULL;
	if (!buf)
		return 0;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return 0;
	}
	snprintf(head, sizeof head,
	         "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
	         "Content-Length: %zu\r\n\r\n",
	         method, path, blen);
	if (write(fd, head, strlen(head)) < 0 || (blen && write(fd, body, blen) < 0)) {
		close(fd);
		free(buf);
		return 0;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap) {
			char *b = realloc(buf, cap * 2);

			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
	}
	close(fd);
	buf[len] = '\0';
	sscanf(buf, "HTTP/%*s %d", &status);
	sep = strstr(buf, "\r\n\r\n");
	if (resp && sep)
		*resp = strdup(sep + 4);
	free(buf);
	return status;
}

/* Every recorded request, oldest first (caller deletes), or NULL. */
static inline cJSON *fake_requests(const struct fake *f)
{
	char *body;
	cJSON *j, *list;

	if (fake_http(f, "GET", "/_requests", NULL, &body) != 200)
		return NULL;
	j = cJSON_Parse(body);
	free(body);
	list = cJSON_DetachItemFromObject(j, "requests");
	cJSON_Delete(j);
	return list;
}

static inline int fake_reset(const struct fake *f)
{
	return fake_http(f, "POST", "/_reset", "", NULL) == 200 ? 0 : -1;
}

/* responses: a JSON array text of {"status","body","headers","delay_ms"}. */
static inline int fake_script(const struct fake *f, const char *prefix, const char *responses)
{
	char *body;
	int rc;

	if (asprintf(&body, "{\"path_prefix\":\"%s\",\"responses\":%s}", prefix, responses) < 0)
		return -1;
	rc = fake_http(f, "POST", "/_script", body, NULL) == 200 ? 0 : -1;
	free(body);
	return rc;
}

#endif
