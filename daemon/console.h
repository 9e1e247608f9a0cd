/*
 * The console adapter: the same handlers on stdin/stdout, as the local
 * operator. Interactive with a prompt on a terminal; line by line when piped
 * or redirected from a file. Reading goes through the libuv loop (tty, pipe,
 * or threadpool file reads), so the loop never blocks on input.
 */
#ifndef CQOD_CONSOLE_H
#define CQOD_CONSOLE_H

#include <uv.h>

#include "../handlers/dispatch.h"

struct console;

/* Starts reading stdin. `env` is borrowed and must outlive the console.
 * on_eof(arg) runs once input ends. *out is freed by console_close. */
int console_start(uv_loop_t *loop, const struct dispatch_env *env,
                  void (*on_eof)(void *), void *arg, struct console **out);

/* Stops reading and frees the console once its handles are closed. */
void console_close(struct console *c);

#endif
