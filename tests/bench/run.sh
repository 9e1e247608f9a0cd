#!/bin/sh
# make bench: the signed-webhook path (查询 against 100,000 generated CQOs,
# unique message ids, keep-alive, 32 connections) next to nginx answering a
# fixed 200 in the same run. Figures are printed, never asserted.
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_CQOS:-100000}
DURATION=${BENCH_SECONDS:-10}
CONNS=32
THREADS=2
SECRET=bench-secret-$$
dir=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/cqod-bench-XXXXXX")
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
PORT=$(port_free)
cat >"$dir/cqod.conf" <<CONF
[daemon]
listen = 127.0.0.1:$PORT
database = $dir/bench.db
data_dir = $ROOT/data
log_level = warn
[http]
max_connections = 256
[generic:bench]
secret = $SECRET
CONF
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$dir"

echo "== seeding $N generated CQOs"
t0=$(date +%s.%N)
$as_user "$dir/cqoctl" -c "$dir/cqod.conf" seed "$N" >/dev/null
$as_user "$dir/cqoctl" -c "$dir/cqod.conf" grant generic bench-admin admin >/dev/null
t1=$(date +%s.%N)
echo "seed: $(echo "$t1 - $t0" | bc) s"
python3 "$ROOT/tests/bench/gen_requests.py" "$SECRET" 400000 "$dir/requests.txt" "$N"

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

$as_user "$dir/cqod" -c "$dir/cqod.conf" 2>"$dir/cqod.log" &
CQOD_PID=$!
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
# $! is setpriv, which execs cqod: same pid.
echo "cqod idle RSS: $(rss_kib $CQOD_PID) KiB"

echo "== cqod: signed webhook, 查询, $CONNS connections, ${DURATION}s"
BENCH_REQUESTS="$dir/requests.txt" BENCH_THREADS=$THREADS \
	wrk -t$THREADS -c$CONNS -d${DURATION}s --latency -s "$ROOT/tests/bench/webhook.lua" \
	"http://127.0.0.1:$PORT" >"$dir/wrk-cqod.txt" &
WRK=$!
peak=0
while kill -0 $WRK 2>/dev/null; do
	r=$(rss_kib $CQOD_PID); [ "$r" -gt "$peak" ] && peak=$r
	sleep 0.5
done
wait $WRK || true
cat "$dir/wrk-cqod.txt"
echo "cqod RSS under load (peak): $peak KiB"
kill $CQOD_PID; wait $CQOD_PID 2>/dev/null || true; CQOD_PID=""

echo "== nginx: fixed 200, 1 worker, $CONNS connections, ${DURATION}s"
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
  server { listen 127.0.0.1:$NPORT; location / { return 200 "ok"; } }
}
CONF
nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$NPORT/" >/dev/null 2>&1 && break; sleep 0.1; done
wrk -t$THREADS -c$CONNS -d${DURATION}s --latency "http://127.0.0.1:$NPORT/" >"$dir/wrk-nginx.txt"
cat "$dir/wrk-nginx.txt"
kill $NGINX_PID; wait $NGINX_PID 2>/dev/null || true; NGINX_PID=""

rate() { awk '/^Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
echo "== summary"
echo "cqod  req/s: $(rate "$dir/wrk-cqod.txt")  p50: $(pct "$dir/wrk-cqod.txt" 50%)  p99: $(pct "$dir/wrk-cqod.txt" 99%)"
echo "nginx req/s: $(rate "$dir/wrk-nginx.txt")  p50: $(pct "$dir/wrk-nginx.txt" 50%)  p99: $(pct "$dir/wrk-nginx.txt" 99%)"
echo "ratio cqod/nginx: $(echo "scale=3; $(rate "$dir/wrk-cqod.txt") / $(rate "$dir/wrk-nginx.txt")" | bc)"
errors=$(grep -c "Non-2xx\|Socket errors" "$dir/wrk-cqod.txt" || true)
[ "$errors" = 0 ] || echo "note: wrk reported errors for cqod (see above)"

# The daily reminder sweep against a registry of 1,000,000 (its own database).
sh "$ROOT/tests/bench/remind.sh" "$BUILD"

# The import of a generated 信息表 (tests/bench/import.sh).
sh "$ROOT/tests/bench/import.sh" "$BUILD"

# The outbox: drain rate to a local endpoint, RSS, enqueue cost (tests/bench/outbox.sh).
sh "$ROOT/tests/bench/outbox.sh" "$BUILD"
