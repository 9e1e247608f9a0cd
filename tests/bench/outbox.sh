#!/bin/sh
# make bench, the outbox: how fast queued messages drain to a local endpoint
# with the rate limits off (nginx answering WeCom's success), cqod's RSS
# during the drain, and what enqueueing costs per message. Two drains: every
# message to one group robot (one request at a time, in order) and the same
# number spread over 64 robots (max_in_flight of them at once). Figures are
# printed, never asserted.
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_OUTBOX_MESSAGES:-20000}
ROBOTS=64
dir=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/cqod-bench-outbox-XXXXXX")
chmod 755 "$dir"
cleanup() {
	[ -n "${CQOD_PID:-}" ] && kill "$CQOD_PID" 2>/dev/null || true
	[ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

as_user=""
if [ "$(id -u)" = 0 ]; then as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"; fi
cp "$ROOT/$BUILD/cqod" "$ROOT/$BUILD/cqoctl" "$dir/"
port_free() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
now() { date +%s.%N; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# CPU time (user + system) a process has used so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TCK=$(getconf CLK_TCK)
# Milliseconds a process has spent runnable but waiting for a CPU.
runq_ms() { awk '{print int($2 / 1000000)}' "/proc/$1/schedstat" 2>/dev/null || echo 0; }

NPORT=$(port_free)
mkdir -p "$dir/nginx/logs"
cat >"$dir/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
error_log $dir/nginx/logs/error.log;
pid $dir/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$NPORT;
    location / { default_type application/json; return 200 '{"errcode":0,"errmsg":"ok"}'; }
  }
}
CONF
nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$NPORT/" >/dev/null 2>&1 && break; sleep 0.1; done
NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -n 1)

PORT=$(port_free)
{
	cat <<CONF
[daemon]
listen = 127.0.0.1:$PORT
database = $dir/outbox.db
data_dir = $ROOT/data
log_level = warn
[outbound]
max_in_flight = $ROBOTS
[outbox]
robot_per_minute = 0
CONF
	for i in $(seq 0 $((ROBOTS - 1))); do
		printf '[wecom_robot:r%d]\nkey = k%d\napi_base = http://127.0.0.1:%d\n' "$i" "$i" "$NPORT"
	done
} >"$dir/cqod.conf"
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$dir"
ctl() { $as_user "$dir/cqoctl" -c "$dir/cqod.conf" "$@"; }
left() {
	python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
	    \"SELECT count(*) FROM outbox WHERE state <> 'sent'\").fetchone()[0])" "$dir/outbox.db"
}

# Runs the daemon until the outbox is empty; prints the rate, peak RSS and
# the CPU time cqod and nginx used per message (on a shared machine the
# rate moves with the load; the CPU per message much less).
drain() {
	label=$1
	n0=$(cpu_ticks $NGINX_WORKER)
	t0=$(now)
	$as_user "$dir/cqod" -c "$dir/cqod.conf" 2>>"$dir/cqod.log" &
	CQOD_PID=$!
	peak=0
	while [ "$(left)" != 0 ]; do
		r=$(rss_kib $CQOD_PID 2>/dev/null || echo 0); [ "$r" -gt "$peak" ] && peak=$r
		sleep 0.2
	done
	t1=$(now)
	c=$(cpu_ticks $CQOD_PID)
	q=$(runq_ms $CQOD_PID)
	n1=$(cpu_ticks $NGINX_WORKER)
	kill $CQOD_PID; wait $CQOD_PID 2>/dev/null || true; CQOD_PID=""
	echo "drain, $label: $N messages in $(echo "scale=2; ($t1 - $t0) / 1" | bc) s:" \
	     "$(echo "$N / ($t1 - $t0)" | bc) messages/s (daemon start included); RSS peak $peak KiB;" \
	     "CPU per message: cqod $(echo "scale=1; $c * 1000000 / $TCK / $N" | bc) µs," \
	     "nginx $(echo "scale=1; ($n1 - $n0) * 1000000 / $TCK / $N" | bc) µs;" \
	     "cqod waited $q ms for a CPU"
}

echo "== outbox: $N messages, rate limits off, to nginx"
t0=$(now)
ctl outbox send --dest 'wecom|r0|robot|0|' --text 'bench 基准测试消息' --count "$N" >/dev/null
t1=$(now)
echo "enqueue: $N messages in one transaction, $(echo "scale=1; ($t1 - $t0) * 1000000 / $N" | bc)" \
     "µs per message (cqoctl start included)"
t0=$(now)
for i in $(seq 1 50); do
	ctl outbox send --dest 'wecom|r0|robot|0|' --text "single $i" >/dev/null
done
t1=$(now)
echo "enqueue: 50 messages, one transaction and one cqoctl run each:" \
     "$(echo "scale=2; ($t1 - $t0) * 1000 / 50" | bc) ms per message"
N=$((N + 50))
drain "one group robot (in order, one at a time; target >= 5,000/s)"

N=$((N - 50))
per=$((N / ROBOTS))
for i in $(seq 0 $((ROBOTS - 1))); do
	ctl outbox send --dest "wecom|r$i|robot|0|" --text 'bench 基准测试消息' --count "$per" >/dev/null
done
N=$((per * ROBOTS))
drain "$ROBOTS group robots (up to $ROBOTS at once; target >= 15,000/s)"
