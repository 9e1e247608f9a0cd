/* A CQO's own record; see store_mine.h. */
#include "store_mine.h"

#include <errno.h>

#include "store_internal.h"

static const char MINE_SQL[] =
	"SELECT id FROM appointments WHERE person_id = ?"
	" ORDER BY status = 'active' DESC, id DESC LIMIT 1";

int store_mine_record(struct store *st, int64_t person_id, int64_t *appointment_id)
{
	sqlite3_stmt *s = store_prepare(st, MINE_SQL);
	int rc;

	*appointment_id = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	rc = store_step_row(st, s, "mine", 0, appointment_id, -1, NULL);
	return rc == 1 ? 0 : rc == 0 ? -ENOENT : rc;
}
