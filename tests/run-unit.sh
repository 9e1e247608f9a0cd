#!/bin/sh
# Runs the cmocka binaries given, two per core at a time (each
# test owns its temporary files); prints the output of those that failed, a
# summary line, and fails if any failed.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
jobs=$((2 * $(nproc 2>/dev/null || echo 2)))   # several wait on timers
for t in "$@"; do printf '%s\n' "$t"; done |
	xargs -P "$jobs" -I{} sh -c 'log="$1/$(basename "$2")"; "$2" >"$log.out" 2>&1 || touch "$log.failed"' \
		sh "$logs" {}
pass=0; fail=0
for t in "$@"; do
	name=$(basename "$t")
	if [ -e "$logs/$name.failed" ]; then
		fail=$((fail + 1))
		cat "$logs/$name.out"
		echo "FAILED: $t"
	else
		pass=$((pass + 1))
	fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" = 0 ]
