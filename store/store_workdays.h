/*
 * The working-day calendar as the reminders use it: the calendar table
 * (official holidays and make-up working days, the format of
 * data/cn-workcalendar.csv: date,kind,name with kind "holiday" or
 * "workday") loaded from the data file and read into a struct calendar.
 *
 * The daemon loads the file at start and on SIGHUP, so a newer year's file
 * dropped into data_dir is picked up without a rebuild; cqoctl calendar load
 * writes the same table, with the same rule: a day already present takes the
 * file's kind and name, days the file does not list stay.
 */
#ifndef CQOD_STORE_WORKDAYS_H
#define CQOD_STORE_WORKDAYS_H

struct store;
struct calendar;

struct store_workdays_load {
	int rows;            /* entries in the file */
	int changed;         /* entries created or changed in the table */
	unsigned bad_line;   /* -EINVAL: the first line that is not a valid entry */
};

/* Loads the file at `path` atomically, inside the caller's transaction: a header line, then
 * date,kind[,name] lines with a real YYYY-MM-DD date. Nothing is written
 * unless every line is valid. Returns 0; -EINVAL (out->bad_line says where),
 * -errno when the file cannot be read, -ENOMEM, -EIO. */
int store_workdays_load_csv(struct store *st, const char *path, struct store_workdays_load *out);

/* Reads the whole table into *out (emptied first). 0, -ENOMEM or -EIO. */
int store_workdays_read(struct store *st, struct calendar *out);

#endif
