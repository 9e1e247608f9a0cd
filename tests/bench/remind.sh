#!/bin/sh
# make bench: the daily reminder sweep against a generated registry of
# BENCH_REMIND_CQOS (default 1,000,000) CQOs, every one bound to a WeCom
# identity. The generator spreads term ends evenly over the days from seed +
# 96 on (about N/1000 a day), so on day A (seed + 40) only the 90-day
# milestone falls: about 1,000 due reminders; on day B (seed + 98) all four
# offsets do (90, 30, 7 and 0 days): about 4,000, and 3,000 lines of the
# clerks' digests (one per province). Each day is swept by the real
# daemon at start (what is due collected on a worker, the rest on its
# loop), and the log line with the sweep's times is
# printed: the cost follows what is due, not the registry's size. Figures
# are printed, never asserted. BENCH_REMIND_DB=path keeps the generated
# registry there (before any sweep) and, when the file exists, copies it
# instead of seeding again: two builds compare on the same registry (a
# newer build migrates the copy as it opens it).
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_REMIND_CQOS:-1000000}
SEED_DAY=2026-03-05            # a Thursday
DAY_A=2026-04-14               # seed + 40, a Tuesday
DAY_B=2026-06-11               # seed + 98, a Thursday
DAY_C=2026-04-15               # seed + 41, for the dry run
dir=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/cqod-bench-remind-XXXXXX")
chmod 755 "$dir"
cleanup() {
	[ -n "${CQOD_PID:-}" ] && kill "$CQOD_PID" 2>/dev/null || true
	wait 2>/dev/null || true
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT INT TERM

as_user=""
if [ "$(id -u)" = 0 ]; then as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"; fi
case $BUILD in /*) bin=$BUILD ;; *) bin=$ROOT/$BUILD ;; esac
cp "$bin/cqod" "$bin/cqoctl" "$dir/"
cat >"$dir/cqod.conf" <<CONF
[daemon]
listen = 127.0.0.1:0
database = $dir/remind.db
data_dir = $ROOT/data
log_level = info
[wecom:bench]
corp_id = ww-bench
agent_id = 1000002
secret = bench-secret
token = bench-token
aes_key = abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
api_base = http://127.0.0.1:9
[reminders]
send_at = 09:00
CONF
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$dir"

# Generates the registry: $N CQOs.
seed() {
echo "== reminders: seeding $N generated CQOs on $SEED_DAY, each with a WeCom identity"
t0=$(date +%s.%N)
CQOD_FAKE_NOW="$SEED_DAY 08:00:00" $as_user "$dir/cqoctl" -c "$dir/cqod.conf" seed "$N" >/dev/null
# One cqo identity per person, one clerk per province (the digests' readers).
python3 - "$dir/remind.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
INSERT INTO identities (platform, user_id, role, person_id, instance, created_at, updated_at)
  SELECT 'wecom', 'u' || person_id, 'cqo', person_id, 'bench', 0, 0 FROM appointments;
INSERT INTO identities (platform, user_id, role, scope_region, instance, created_at, updated_at)
  SELECT 'wecom', 'clerk' || code, 'clerk', code, 'bench', 0, 0 FROM regions WHERE level = 1;
""")
db.commit()
PY
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$dir"
t1=$(date +%s.%N)
echo "seed: $(echo "$t1 - $t0" | bc) s"
}
if [ -n "${BENCH_REMIND_DB:-}" ] && [ -f "$BENCH_REMIND_DB" ]; then
	cp "$BENCH_REMIND_DB" "$dir/remind.db"
	[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$dir"
	N=$(python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
'SELECT count(*) FROM appointments').fetchone()[0])" "$dir/remind.db")
	echo "== reminders: the registry of $N CQOs in $BENCH_REMIND_DB, copied"
else
	seed
	if [ -n "${BENCH_REMIND_DB:-}" ]; then
		cp "$dir/remind.db" "$BENCH_REMIND_DB"
		echo "the registry is kept in $BENCH_REMIND_DB"
	fi
fi

# Starts the daemon at 09:30 on $1 with no sweep recorded, waits for the
# sweep's log line and prints it.
sweep() {
	python3 -c "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]);
d.execute('DELETE FROM reminder_sweeps'); d.commit()" "$dir/remind.db"
	[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$dir"
	CQOD_FAKE_NOW="$1 09:30:00" $as_user "$dir/cqod" -c "$dir/cqod.conf" 2>"$dir/cqod-$1.log" &
	CQOD_PID=$!
	for _ in $(seq 600); do
		grep -qs "reminders: swept $1" "$dir/cqod-$1.log" && break
		sleep 0.1
	done
	kill "$CQOD_PID"; wait "$CQOD_PID" 2>/dev/null || true; CQOD_PID=""
	line=$(grep "reminders: swept $1" "$dir/cqod-$1.log" || echo "no sweep logged")
	echo "$2: ${line#*info: }"
}
echo "== reminders: the daily sweep, its time on the daemon's loop, registry of $N"
sweep "$DAY_A" "day A, about $((N / 1000)) due (90 days before; target <= 20 ms at 1,000,000)"
sweep "$DAY_B" "day B, about $((N / 250)) due (90, 30, 7, 0 days before) + digests"
# Start to ready on this registry: exec to sd_notify's READY=1, as systemd
# sees it (day B is swept already, so nothing else runs at start).
echo "== cqod: start to ready, registry of $N (target <= 50 ms)"
CQOD_FAKE_NOW="$DAY_B 09:30:00" python3 "$ROOT/tests/bench/ready.py" "$dir" 5 \
	$as_user "$dir/cqod" -c "$dir/cqod.conf" || echo "note: a start never became ready"
t0=$(date +%s.%N)
CQOD_FAKE_NOW="$DAY_A 09:30:00" $as_user "$dir/cqoctl" -c "$dir/cqod.conf" remind --dry-run \
	--date "$DAY_C" >"$dir/dry-run.txt"
t1=$(date +%s.%N)
echo "cqoctl remind --dry-run --date $DAY_C (printing every message): $(echo "$t1 - $t0" | bc) s," \
     "$(tail -1 "$dir/dry-run.txt")"
