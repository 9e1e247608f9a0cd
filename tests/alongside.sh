#!/bin/sh
# alongside.sh BACKGROUND FOREGROUND: runs the command BACKGROUND (its output
# kept in a log, shown if it fails) while FOREGROUND runs, then waits for
# both; fails if either failed. make check uses it to compile the next
# build at low priority while a test pass, which mostly waits on its
# daemons, runs.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
sh -c "$1" >"$log" 2>&1 &
bg=$!
sh -c "$2"
fg=$?
wait "$bg"
bgrc=$?
if [ "$bgrc" != 0 ]; then
	cat "$log"
	echo "alongside: '$1' failed ($bgrc)" >&2
fi
[ "$fg" = 0 ] && [ "$bgrc" = 0 ]
