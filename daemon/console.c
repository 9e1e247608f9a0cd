/* The console adapter; see console.h. */
#include "console.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "../lib/reply.h"
#include "../messages/platforms.h"
#include "../handlers/text/common.h"

#define LINE_MAX_BYTES (64 * 1024)
#define PROMPT "cqod> "

struct console {
	uv_loop_t *loop;
	union {
		uv_handle_t handle;
		uv_stream_t stream;
		uv_tty_t tty;
		uv_pipe_t pipe;
	} in;
	uv_fs_t fs;               /* reads when stdin is a regular file */
	bool is_file, interactive, reading, closing, fs_busy;
	int64_t file_offset;
	char readbuf[4096];
	char *line;               /* the command being read: one line, or a form's lines */
	size_t line_len;
	size_t cur_len;           /* bytes of the line being read, stored or not */
	bool line_overflow;
	bool in_form;             /* line holds a form's command line: reading its fields */
	uint64_t seq;
	const struct dispatch_env *env;
	void (*on_eof)(void *);
	void *arg;
};

static void prompt(struct console *c)
{
	if (c->interactive) {
		fputs(PROMPT, stdout);
		fflush(stdout);
	}
}

static void run_line(struct console *c, const char *text)
{
	struct reply r;
	struct chat_msg msg = {
		.platform = platform_console.name,
		.chat_id = platform_console.name,
		.kind = CHAT_PRIVATE,
		.tenant = platform_console.fixed_tenant,
		.sender_id = "operator",
		.sender_name = "",
		.text = text,
		.received_at = clock_now(),
		.request_id = ++c->seq,
	};

	reply_init(&r);
	dispatch_alone(c->env, &msg, &r);
	char *out = reply_render_text(&r);
	if (out) {
		printf("%s\n", out);
		free(out);
	}
	reply_free(&r);
	fflush(stdout);
}

/* Runs what line holds (a form without its last line break) unless it
 * overflowed, and starts afresh. */
static void run_pending(struct console *c)
{
	if (c->in_form && c->line_len && c->line[c->line_len - 1] == '\n')
		c->line_len--;
	c->line[c->line_len] = '\0';
	if (c->line_overflow)
		printf("%s\n", TXT_TOO_LONG);
	else if (c->line_len)
		run_line(c, c->line);
	c->line_len = 0;
	c->line_overflow = false;
	c->in_form = false;
}

/* One line has ended. A form's command line (备案, 活动 发布 …) and its
 * field lines are kept until an empty line, as a chat message carries
 * them, so `make run` can file; any other line runs at once. */
static void end_line(struct console *c)
{
	bool blank = c->cur_len == 0;

	c->cur_len = 0;
	c->line[c->line_len] = '\0';
	if (!blank && !c->in_form && !c->line_overflow && dispatch_takes_form(c->line)) {
		c->in_form = true;
		if (c->interactive)
			printf("%s\n", TXT_CONSOLE_FORM);
	}
	if (c->in_form && !blank) {
		if (c->line_len < LINE_MAX_BYTES)
			c->line[c->line_len++] = '\n';
		else
			c->line_overflow = true;
		return;
	}
	run_pending(c);
	prompt(c);
}

/* Splits input into lines; a command longer than LINE_MAX_BYTES is
 * refused whole rather than run in pieces. */
static void feed(struct console *c, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] != '\n') {
			if (c->line_len < LINE_MAX_BYTES)
				c->line[c->line_len++] = data[i];
			else
				c->line_overflow = true;
			c->cur_len++;
			continue;
		}
		if (c->cur_len && c->line_len && c->line[c->line_len - 1] == '\r') {
			c->line_len--;
			c->cur_len--;
		}
		end_line(c);
	}
}

static void finish(struct console *c)
{
	run_pending(c);
	if (c->interactive)
		fputc('\n', stdout);
	fflush(stdout);
	if (c->on_eof)
		c->on_eof(c->arg);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct console *c = h->data;
	(void)suggested;
	*buf = uv_buf_init(c->readbuf, sizeof c->readbuf);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct console *c = s->data;

	if (n > 0) {
		feed(c, buf->base, (size_t)n);
		return;
	}
	if (n == 0)
		return;
	if (n != UV_EOF)
		log_warn("console: read failed: %s", uv_strerror((int)n));
	uv_read_stop(s);
	c->reading = false;
	finish(c);
}

static void file_read_next(struct console *c);

static void on_file_read(uv_fs_t *req)
{
	struct console *c = req->data;
	ssize_t n = req->result;

	uv_fs_req_cleanup(req);
	c->fs_busy = false;
	if (c->closing) {
		free(c->line);
		free(c);
		return;
	}
	if (n > 0) {
		c->file_offset += n;
		feed(c, c->readbuf, (size_t)n);
		file_read_next(c);
		return;
	}
	if (n < 0)
		log_warn("console: read failed: %s", uv_strerror((int)n));
	finish(c);
}

static void file_read_next(struct console *c)
{
	uv_buf_t buf = uv_buf_init(c->readbuf, sizeof c->readbuf);

	c->fs.data = c;
	if (uv_fs_read(c->loop, &c->fs, 0, &buf, 1, c->file_offset, on_file_read) == 0)
		c->fs_busy = true;
	else
		finish(c);
}

static void on_closed(uv_handle_t *h)
{
	struct console *c = h->data;
	free(c->line);
	free(c);
}

int console_start(uv_loop_t *loop, const struct dispatch_env *env,
                  void (*on_eof)(void *), void *arg, struct console **out)
{
	struct console *c = calloc(1, sizeof *c);
	int rc;

	if (!c || !(c->line = malloc(LINE_MAX_BYTES + 1))) {
		free(c);
		return -ENOMEM;
	}
	c->loop = loop;
	c->env = env;
	c->on_eof = on_eof;
	c->arg = arg;
	c->interactive = isatty(0) && isatty(1);

	switch (uv_guess_handle(0)) {
	case UV_TTY:
		rc = uv_tty_init(loop, &c->in.tty, 0, 1);
		break;
	case UV_NAMED_PIPE:
		rc = uv_pipe_init(loop, &c->in.pipe, 0);
		if (rc == 0 && (rc = uv_pipe_open(&c->in.pipe, 0)) < 0) {
			/* The handle exists now: it is freed in its close callback. */
			c->in.handle.data = c;
			uv_close(&c->in.handle, on_closed);
			return rc;
		}
		break;
	case UV_FILE:
		c->is_file = true;
		rc = 0;
		break;
	default:
		rc = UV_EINVAL;
		break;
	}
	if (rc < 0) {
		free(c->line);
		free(c);
		return rc;
	}
	*out = c;
	prompt(c);
	if (c->is_file) {
		file_read_next(c);
		return 0;
	}
	c->in.handle.data = c;
	c->reading = true;
	return uv_read_start(&c->in.stream, on_alloc, on_read);
}

void console_close(struct console *c)
{
	c->closing = true;
	if (c->is_file) {
		/* A read in flight frees the console when it completes. */
		if (!c->fs_busy) {
			free(c->line);
			free(c);
		}
		return;
	}
	if (c->reading)
		uv_read_stop(&c->in.stream);
	uv_close(&c->in.handle, on_closed);
}
