"""make bench: the nationwide heavy reads (统计 and 未培训, in turn) sent
one after another as signed generic-webhook messages from the bench's admin
for SECONDS, each timed from request to answer. Prints how many ran and
their median and worst times; exits 1 if any answer was not a normal reply
(the figures would be of something else). Usage: heavy.py PORT SECRET SECONDS"""
import http.client
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_requests import message_body, signature  # noqa: E402

port, secret, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
commands = ("统计", "未培训")
times = {c: [] for c in commands}
bad = 0
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
stamp = int(time.time() * 1000)
end = time.monotonic() + seconds
i = 0
while time.monotonic() < end:
    text = commands[i % len(commands)]
    body = message_body("bench-heavy-%d-%d" % (stamp, i), text)
    ts = str(int(time.time()))
    t0 = time.monotonic()
    conn.request("POST", "/webhook/generic/bench", body,
                 {"X-Cqod-Timestamp": ts, "X-Cqod-Signature": signature(secret, ts, body),
                  "Content-Type": "application/json"})
    resp = conn.getresponse()
    answer = resp.read()
    elapsed = time.monotonic() - t0
    try:
        reply = json.loads(answer)["reply"]
        ok = resp.status == 200 and not reply["error"] and reply["text"]
    except (ValueError, KeyError, TypeError):
        ok = False
    if ok:
        times[text].append(elapsed * 1000)
    else:
        bad += 1
    i += 1

for c in commands:
    t = times[c]
    if t:
        print("%s (nationwide): %d run, median %.1f ms, worst %.1f ms"
              % (c, len(t), statistics.median(t), max(t)))
if bad:
    print("heavy reads: %d answers were not a normal reply" % bad)
    sys.exit(1)
