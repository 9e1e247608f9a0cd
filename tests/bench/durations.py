"""make bench: cqod's own request durations over a phase, from its
histogram cqod_http_request_duration_seconds on /metrics (route
/webhook/generic), so a client's own scheduling delays on a shared machine
can be told from the daemon's. Usage: durations.py BEFORE AFTER LIMIT_S:
BEFORE and AFTER are /metrics texts; requests slower than LIMIT_S (the
heavy reads of that phase) are left out. Prints how many requests took at
most 1, 2.5, 5 and 10 ms, and the slowest bucket among the rest."""
import re
import sys

SERIES = re.compile(r'^cqod_http_request_duration_seconds_bucket\{.*route="/webhook/generic"'
                    r'.*le="([^"]+)"\} (\d+)')


def buckets(path):
    out = {}
    with open(path) as f:
        for line in f:
            m = SERIES.match(line)
            if m:
                out[float("inf") if m.group(1) == "+Inf" else float(m.group(1))] = int(m.group(2))
    return out


before, after, limit = buckets(sys.argv[1]), buckets(sys.argv[2]), float(sys.argv[3])
delta = {le: n - before.get(le, 0) for le, n in after.items()}
kept = max((n for le, n in delta.items() if le <= limit), default=0)
if not kept:
    print("cqod's own durations: no request in the phase")
    sys.exit(0)
shares = ["<= %g ms %.1f %%" % (le * 1000, 100.0 * delta.get(le, 0) / kept)
          for le in (0.001, 0.0025, 0.005, 0.01) if le in delta]
slowest = min(le for le, n in delta.items() if le <= limit and n == kept)
print("cqod's own durations of %d requests: %s; all within %g ms"
      % (kept, ", ".join(shares), slowest * 1000))
