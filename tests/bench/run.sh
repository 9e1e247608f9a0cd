#!/bin/sh
# make bench: the signed-webhook path (查询 against 100,000 generated CQOs,
# unique message ids, keep-alive, 32 connections) next to its peers in the
# same run, with the same wrk settings: nginx answering a fixed 200 (one
# worker) and Hubot 14 echoing the JSON body on its Express listener (what a
# team would pick instead; installed by the Makefile into $BUILD/hubot).
# Figures are printed with issue 17's targets, never asserted.
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
	[ -n "${HUBOT_PID:-}" ] && kill "$HUBOT_PID" 2>/dev/null || true
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
anon_kib() { awk '/^RssAnon/ {print $2}' "/proc/$1/status"; }
# User + system CPU of a process so far, in clock ticks (fields 14 and 15).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Microseconds of CPU per request: ticks between two readings over the
# requests wrk made ($3, its report). Steadier than req/s on a shared
# machine: a peer's figure counts its own process only.
cpu_per_req() {
	n=$(awk '/requests in/ {print $1}' "$3")
	echo "scale=1; ($2 - $1) * 1000000 / $(getconf CLK_TCK) / $n" | bc
}
# Samples the process's VmRSS and RssAnon while wrk (pid $2) runs; leaves
# the peaks in $peak and $peak_anon.
sample_peaks() {
	peak=0 peak_anon=0
	while kill -0 "$2" 2>/dev/null; do
		r=$(rss_kib "$1" 2>/dev/null || echo 0); [ "$r" -gt "$peak" ] && peak=$r
		a=$(anon_kib "$1" 2>/dev/null || echo 0); [ "$a" -gt "$peak_anon" ] && peak_anon=$a
		sleep 0.2
	done
}

$as_user "$dir/cqod" -c "$dir/cqod.conf" 2>"$dir/cqod.log" &
CQOD_PID=$!
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
# $! is setpriv, which execs cqod: same pid.
idle=$(rss_kib $CQOD_PID) idle_anon=$(anon_kib $CQOD_PID)
echo "cqod idle: VmRSS $idle KiB, RssAnon $idle_anon KiB"

cqod_t0=$(cpu_ticks $CQOD_PID)
echo "== cqod: signed webhook, 查询, $CONNS connections, ${DURATION}s"
BENCH_REQUESTS="$dir/requests.txt" BENCH_THREADS=$THREADS \
	wrk -t$THREADS -c$CONNS -d${DURATION}s --latency -s "$ROOT/tests/bench/webhook.lua" \
	"http://127.0.0.1:$PORT" >"$dir/wrk-cqod.txt" &
WRK=$!
sample_peaks $CQOD_PID $WRK
wait $WRK || true
cat "$dir/wrk-cqod.txt"
cqod_peak=$peak cqod_peak_anon=$peak_anon
cqod_cpu=$(cpu_per_req "$cqod_t0" "$(cpu_ticks $CQOD_PID)" "$dir/wrk-cqod.txt")
echo "cqod under load (peak): VmRSS $cqod_peak KiB, RssAnon $cqod_peak_anon KiB"

# 查询 by a two-character part of a name, one at a time: parts of people's
# names (they fall through to the enterprise-name search) and of enterprise
# names, none of them a whole name.
PARTS="人员,张飞,员0,赵云,业1,伟刘"
# wrk_one REQUESTS OUT: the requests in the file, one at a time, for 5 s.
wrk_one() {
	BENCH_REQUESTS="$1" BENCH_THREADS=1 \
		wrk -t1 -c1 -d5s --latency -s "$ROOT/tests/bench/webhook.lua" \
		"http://127.0.0.1:$PORT" >"$2" || true
}
echo "== cqod: 查询 by a 2-character part of a name, 1 connection, 5s"
python3 "$ROOT/tests/bench/gen_requests.py" "$SECRET" 100000 "$dir/partial.txt" "$N" "$PARTS"
wrk_one "$dir/partial.txt" "$dir/wrk-partial.txt"
cat "$dir/wrk-partial.txt"

# The nationwide 统计 and 未培训 run on a worker with a read-only connection
# of their own: timed alone, then back to back while the 2-character 查询
# runs again (new message ids): its p99 should not move.
echo "== cqod: nationwide 统计 / 未培训 one after another, 3s alone; then 5s beside 查询 by 2 characters"
heavy_ok=yes
python3 "$ROOT/tests/bench/heavy.py" "$PORT" "$SECRET" 3 >"$dir/heavy-alone.txt" || heavy_ok=no
cat "$dir/heavy-alone.txt"
python3 "$ROOT/tests/bench/gen_requests.py" "$SECRET" 100000 "$dir/partial2.txt" "$N" "$PARTS" \
	bench-h
curl -s "http://127.0.0.1:$PORT/metrics" >"$dir/metrics-before.txt"
python3 "$ROOT/tests/bench/heavy.py" "$PORT" "$SECRET" 5 >"$dir/heavy-beside.txt" &
HEAVY=$!
wrk_one "$dir/partial2.txt" "$dir/wrk-partial-heavy.txt"
wait $HEAVY || heavy_ok=no
curl -s "http://127.0.0.1:$PORT/metrics" >"$dir/metrics-after.txt"
cat "$dir/heavy-beside.txt" "$dir/wrk-partial-heavy.txt"
# The 查询 as cqod timed them (the heavy reads, over 100 ms, left out):
# wrk's figures also hold wrk's own waits for a CPU on two shared cores.
python3 "$ROOT/tests/bench/durations.py" "$dir/metrics-before.txt" "$dir/metrics-after.txt" \
	0.1 >"$dir/durations-heavy.txt"
cat "$dir/durations-heavy.txt"
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
# The one worker: the master's child (the master only waits).
NGINX_WORKER=$(awk '{print $1}' "/proc/$NGINX_PID/task/$NGINX_PID/children")
nginx_t0=$(cpu_ticks $NGINX_WORKER)
wrk -t$THREADS -c$CONNS -d${DURATION}s --latency "http://127.0.0.1:$NPORT/" >"$dir/wrk-nginx.txt"
nginx_cpu=$(cpu_per_req "$nginx_t0" "$(cpu_ticks $NGINX_WORKER)" "$dir/wrk-nginx.txt")
cat "$dir/wrk-nginx.txt"
kill $NGINX_PID; wait $NGINX_PID 2>/dev/null || true; NGINX_PID=""

echo "== Hubot 14: Express JSON echo, $CONNS connections, ${DURATION}s"
HPORT=$(port_free)
HUBOT_DIR="$ROOT/$BUILD/hubot"
first=$(head -n 1 "$dir/requests.txt" | cut -f3)
(cd "$HUBOT_DIR" && EXPRESS_PORT=$HPORT EXPRESS_BIND_ADDRESS=127.0.0.1 HUBOT_LOG_LEVEL=error \
	exec node node_modules/hubot/bin/Hubot.mjs -f ./adapters/Silent.mjs -n bench \
	</dev/null >"$dir/hubot.log" 2>&1) &
HUBOT_PID=$!
for _ in $(seq 100); do
	curl -fs -H 'Content-Type: application/json' -d "$first" \
		"http://127.0.0.1:$HPORT/webhook/generic/bench" >/dev/null 2>&1 && break
	sleep 0.1
done
hubot_t0=$(cpu_ticks $HUBOT_PID)
# The subshell execs node: $HUBOT_PID is node's.
BENCH_REQUESTS="$dir/requests.txt" BENCH_THREADS=$THREADS \
	wrk -t$THREADS -c$CONNS -d${DURATION}s --latency -s "$ROOT/tests/bench/webhook.lua" \
	"http://127.0.0.1:$HPORT" >"$dir/wrk-hubot.txt" &
WRK=$!
sample_peaks $HUBOT_PID $WRK
wait $WRK || true
cat "$dir/wrk-hubot.txt"
hubot_peak=$peak
hubot_cpu=$(cpu_per_req "$hubot_t0" "$(cpu_ticks $HUBOT_PID)" "$dir/wrk-hubot.txt")
echo "Hubot under load (peak): VmRSS $hubot_peak KiB, RssAnon $peak_anon KiB"
kill $HUBOT_PID; wait $HUBOT_PID 2>/dev/null || true; HUBOT_PID=""

rate() { awk '/^Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
mib() { echo "scale=1; $1 / 1024" | bc; }
cqod_rate=$(rate "$dir/wrk-cqod.txt")
nginx_rate=$(rate "$dir/wrk-nginx.txt")
hubot_rate=$(rate "$dir/wrk-hubot.txt")
echo "== summary (targets: issue 17)"
echo "cqod  req/s: $cqod_rate  p50: $(pct "$dir/wrk-cqod.txt" 50%)  p99: $(pct "$dir/wrk-cqod.txt" 99%) (target <= 2ms)"
echo "cqod  RssAnon: idle $(mib "$idle_anon") MiB, peak $(mib "$cqod_peak_anon") MiB (target <= 6 MiB);" \
     "VmRSS: idle $(mib "$idle") MiB, peak $(mib "$cqod_peak") MiB"
echo "nginx req/s: $nginx_rate  p50: $(pct "$dir/wrk-nginx.txt" 50%)  p99: $(pct "$dir/wrk-nginx.txt" 99%)"
echo "Hubot req/s: $hubot_rate  p50: $(pct "$dir/wrk-hubot.txt" 50%)  p99: $(pct "$dir/wrk-hubot.txt" 99%)" \
     " VmRSS peak $(mib "$hubot_peak") MiB"
echo "CPU per request (user+sys, its own process): cqod $cqod_cpu us, nginx $nginx_cpu us, Hubot $hubot_cpu us"
echo "cqod  查询 by 2 characters: p50 $(pct "$dir/wrk-partial.txt" 50%)  p99 $(pct "$dir/wrk-partial.txt" 99%) (target <= 2ms)"
echo "cqod  查询 by 2 characters while 统计 / 未培训 run: p50 $(pct "$dir/wrk-partial-heavy.txt" 50%)" \
     " p99 $(pct "$dir/wrk-partial-heavy.txt" 99%) (target: p99 unchanged)"
echo "      $(cat "$dir/durations-heavy.txt")"
echo "cqod  nationwide, off the loop: $(grep -h '^统计' "$dir/heavy-alone.txt");" \
     "$(grep -h '^未培训' "$dir/heavy-alone.txt")"
[ "$heavy_ok" = yes ] || echo "note: a heavy read was not answered normally (see above)"
echo "ratio cqod/nginx: $(echo "scale=3; $cqod_rate / $nginx_rate" | bc) (target >= 0.5)"
echo "ratio cqod/Hubot: $(echo "scale=2; $cqod_rate / $hubot_rate" | bc) (target >= 10)"
for w in cqod hubot; do
	if grep -q "Non-2xx\|Socket errors" "$dir/wrk-$w.txt"; then
		echo "note: wrk reported errors for $w (see above)"
	fi
done

# The daily reminder sweep against a registry of 1,000,000 (its own database).
sh "$ROOT/tests/bench/remind.sh" "$BUILD"

# The import of a generated 信息表 (tests/bench/import.sh).
sh "$ROOT/tests/bench/import.sh" "$BUILD"

# The outbox: drain rate to a local endpoint, RSS, enqueue cost (tests/bench/outbox.sh).
sh "$ROOT/tests/bench/outbox.sh" "$BUILD"
