#!/bin/sh
# make bench, import step: cqoctl import of a generated 信息表 of
# ${BENCH_IMPORT_ROWS:-100000} rows into a fresh database (enterprise,
# person, appointment and audit rows for each), then the same file again
# (every row unchanged), with the chunks it committed them in. Figures are
# printed, never asserted.
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_IMPORT_ROWS:-100000}
case $BUILD in /*) CQOCTL=$BUILD/cqoctl ;; *) CQOCTL=$ROOT/$BUILD/cqoctl ;; esac
dir=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/cqod-bench-import-XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

python3 "$ROOT/tests/bench/gen_import.py" "$N" "$dir/cqos.csv"
ctl() { "$CQOCTL" -d "$dir/import.db" --data-dir "$ROOT/data" "$@"; }
# Regions and schema first, so the timing is the import alone.
ctl policy show 37 >/dev/null 2>&1

run() {
	t0=$(date +%s.%N)
	ctl import cqos "$dir/cqos.csv" >"$dir/out.txt"
	t1=$(date +%s.%N)
	s=$(echo "$t1 - $t0" | bc)
	echo "import $1: $N rows in $s s, $(echo "$N / $s" | bc) rows/s" \
		"($(grep 备案记录 "$dir/out.txt"); $(grep 批 "$dir/out.txt"))"
}
echo "== cqoctl import cqos: $N generated rows, $(du -h "$dir/cqos.csv" | cut -f1) CSV"
run "fresh (target <= 3 s at 100,000)"
run "again (target <= 1 s at 100,000)"
