/*
 * The 企业首席质量官信息表 as a chat form for 备案 and 更换: the fields
 * (Chinese names with English aliases), parsing, and validation of every
 * value into a filing for store_appoint_file. Region existence, scope and
 * eligibility need the store and are the handler's (handlers/appoint.c).
 */
#ifndef CQOD_APPOINT_FORM_H
#define CQOD_APPOINT_FORM_H

#include <stdbool.h>

#include "../store/store_appoint.h"
#include "form.h"
#include "handler.h"

/* A validated form. filing's strings point into raw and the buffers here;
 * filing.term_months, warnings, replaces and now are left to the caller, and
 * so is filing.enterprise.region_code when 所在地 is a name (region_name). */
struct appoint_form {
	struct form raw;                     /* owns the values as typed */
	char credit_code[19], phone[32], birth_date[11], start_date[11];
	char gender[8], size[16], industry[8];
	char region[16];                     /* the code 所在地 names, once resolved */
	const char *region_name;             /* 所在地 typed as a name (in raw), else NULL;
	                                      * the handler resolves it into region */
	long term_years;                     /* -1: not given (the policy's term) */
	struct store_appoint_filing filing;
};

/* Parses and validates the form in ctx->args->body. `replace` (更换) makes
 * the enterprise fields optional. Returns 0; HANDLER_USAGE after adding one
 * line per problem (an empty body gets the list of fields); HANDLER_ERROR on
 * ENOMEM. *f is always safe to appoint_form_free. */
int appoint_form_read(struct cmd_ctx *ctx, bool replace, struct appoint_form *f);

void appoint_form_free(struct appoint_form *f);

#endif
