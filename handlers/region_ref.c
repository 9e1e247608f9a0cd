/* Regions by name; see region_ref.h. */
#include "region_ref.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../store/store.h"
#include "text/registry.h"

int region_ref_resolve(struct cmd_ctx *ctx, const char *typed, int level, const char *what,
                       char code[16])
{
	struct store_region_match m[REGION_REF_SHOWN];
	size_t n;
	int rc = store_regions_by_name(ctx->store, typed, level, m, REGION_REF_SHOWN, &n);

	if (rc < 0)
		return rc;
	if (n == 1) {
		snprintf(code, 16, "%s", m[0].code);
		return 0;
	}
	if (n == 0) {
		reply_add_line(ctx->reply, level == 3 ? TXT_REGION_NO_COUNTY : TXT_REGION_NONE, what,
		               typed);
		return -ENOENT;
	}
	reply_add_line(ctx->reply, TXT_REGION_SEVERAL, what, typed, n);
	for (size_t i = 0; i < n && i < REGION_REF_SHOWN; i++)
		reply_add_line(ctx->reply, TXT_REGION_CHOICE, m[i].code, m[i].full_name);
	if (n > REGION_REF_SHOWN)
		reply_add_line(ctx->reply, TXT_REGION_MORE, n - REGION_REF_SHOWN);
	return -EINVAL;
}
