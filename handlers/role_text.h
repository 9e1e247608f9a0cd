/*
 * How an identity's role is told to people: by the chat's 角色
 * (handlers/role_list.c) and by cqoctl roles alike. Role names themselves
 * (role_name, role_display, role_parse) are declared in handler.h, since
 * every command family uses them; handlers/role_text.c defines all of them.
 */
#ifndef CQOD_ROLE_TEXT_H
#define CQOD_ROLE_TEXT_H

#include <stddef.h>

#include "handler.h"

struct store_identity_row;

/* The row's tenant, or that it is still pending and where it will be set
 * (into buf). */
void role_tenant_note(const struct store_identity_row *row, char *buf, size_t len);

/* What the row's role r covers (a region, an alliance, a record, or
 * everything), into buf. */
void role_detail(const struct store_identity_row *row, enum role r, char *buf, size_t len);

#endif
