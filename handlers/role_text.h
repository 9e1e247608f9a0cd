/*
 * How an identity's role is told to people, one line per identity: by the
 * chat's 角色 (handlers/role_list.c) and by cqoctl roles alike. Role names
 * themselves (role_name, role_display, role_parse) are declared in
 * handler.h, since every command family uses them; handlers/role_text.c
 * defines all of them.
 */
#ifndef CQOD_ROLE_TEXT_H
#define CQOD_ROLE_TEXT_H

#include <stddef.h>

#include "handler.h"

struct store_identity_row;

/* Room for one role_line. */
#define ROLE_LINE_MAX 1024

/* "<number>. platform:user（name）　role　detail　tenant" for row, into buf;
 * cut at len. */
void role_line(const struct store_identity_row *row, size_t number, char *buf, size_t len);

#endif
