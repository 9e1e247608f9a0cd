#!/bin/sh
# Runs each cmocka binary given; prints a summary line; fails if any failed.
pass=0; fail=0
for t in "$@"; do
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" = 0 ]
