/*
 * The systemd notification protocol (sd_notify(3)) without libsystemd: one
 * datagram of "KEY=value\n..." lines to the AF_UNIX socket named by
 * $NOTIFY_SOCKET, a path or, with a leading '@', an abstract socket.
 *
 * Everything here is a no-op when $NOTIFY_SOCKET is unset (not started by
 * systemd with Type=notify), and nothing ever blocks: a full socket buffer
 * drops the message, which systemd tolerates (the next state or ping follows).
 */
#ifndef CQOD_SD_NOTIFY_H
#define CQOD_SD_NOTIFY_H

#include <stdint.h>

/* Sends `state`, e.g. "READY=1\nSTATUS=serving". Returns 0 when sent or when
 * there is no $NOTIFY_SOCKET; -EINVAL for an unusable socket address (not a
 * path, not '@', or too long), else the negative errno of socket/sendmsg. */
int sd_notify_send(const char *state);

/* sd_notify_send of a printf-formatted state; -ENOSPC past 1024 bytes. */
int sd_notify_sendf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The watchdog interval systemd asks for, in microseconds ($WATCHDOG_USEC),
 * or 0 when there is none: unset, not a positive number, or $WATCHDOG_PID
 * names another process (the variable was inherited, not meant for us). */
uint64_t sd_notify_watchdog_usec(void);

#endif
