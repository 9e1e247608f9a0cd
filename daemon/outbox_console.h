/*
 * Console mode has no platform to send to: the dispatcher prints each
 * message the daemon would push (marked TXT_CONSOLE_PUSH with its
 * destination) and settles it as sent. Rows hold rendered platform bodies,
 * so the text is read back out of them.
 */
#ifndef CQOD_OUTBOX_CONSOLE_H
#define CQOD_OUTBOX_CONSOLE_H

#include <stdio.h>

/* The readable text of a rendered body, one line per text field in order:
 * the strings under "content" and "text" (and a Feishu post's "title"),
 * looking inside JSON carried in a string (Feishu content, DingTalk
 * msgParam). Caller frees; NULL when the body holds no text or on ENOMEM. */
char *outbox_console_text(const char *payload);

/* Prints "【推送 → destination】" and the text of payload to f. */
void outbox_console_print(FILE *f, const char *destination, const char *payload);

/* Prints "【推送 → destination】" and where the file `name` was written
 * (the console's file messages: the operator opens it there). */
void outbox_console_print_file(FILE *f, const char *destination, const char *name,
                               const char *path);

#endif
