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

	*appointment_id = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*appointment_id = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	return rc == SQLITE_ROW ? 0 : store_fail(st, "mine", rc);
}
