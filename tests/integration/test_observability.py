"""Observability: /healthz (ready) versus /livez (up), the Prometheus page
(HTTP and command durations, store latency and errors, process gauges) and
the request id that ties a response to its log lines."""
import json
import re
import sqlite3

from harness import Daemon, signed


def metrics(d):
    status, data, _ = d.request("GET", "/metrics")
    assert status == 200
    return data.decode()


def sample(text, series):
    """The value of one series line, e.g. 'cqod_x_count{route="/y"}'; None if absent."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return None


def check_exposition(text):
    """Every line is a comment or 'name{labels} value'; histogram buckets are
    cumulative and end with +Inf equal to _count."""
    rx = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eE]+(Inf|NaN)?$')
    buckets = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        assert rx.match(line), line
        m = re.match(r'^(\w+)_bucket\{(.*?),?le="([^"]+)"\} (\d+)$', line)
        if m:
            buckets.setdefault((m.group(1), m.group(2)), []).append(int(m.group(4)))
    for (name, labels), counts in buckets.items():
        assert counts == sorted(counts), (name, labels, counts)
        series = "%s_count{%s}" % (name, labels) if labels else name + "_count"
        assert sample(text, series) == counts[-1], (series, counts)
    return buckets


def signed_post(d, text, msg_id, secret=None):
    body = json.dumps({"msg_id": msg_id, "chat_id": "c-1", "chat_type": "private",
                       "sender_id": "u-admin", "sender_name": "测试", "text": text},
                      ensure_ascii=False).encode()
    headers = signed(body) if secret is None else signed(body, secret)
    return d.request("POST", "/webhook/generic/test", body, headers)


def test_healthz_ready_and_livez():
    with Daemon() as d:
        d.start()
        status, data, _ = d.request("GET", "/healthz")
        h = json.loads(data)
        assert status == 200 and h["status"] == "ok", h
        assert h["ready"] is True and h["live"] is True, h
        assert h["store"] == "writable" and h["listener"] == "up" and h["schema"] >= 1, h
        for path in ("/livez", "/healthz?live", "/healthz?x=1&live=1"):
            status, data, _ = d.request("GET", path)
            assert status == 200 and json.loads(data) == {"status": "ok", "live": True}, path
        # Not a liveness query: a parameter that merely starts with "live".
        status, data, _ = d.request("GET", "/healthz?lively")
        assert status == 200 and "ready" in json.loads(data)
        assert d.request("POST", "/livez", b"")[0] == 405
        assert d.request("GET", "/livezz")[0] == 404
        text = metrics(d)
        assert sample(text, 'cqod_http_requests_total{route="/livez",code="200"}') == 1
        assert sample(text, 'cqod_http_requests_total{route="/healthz",code="200"}') == 4


def test_healthz_not_ready_while_store_locked():
    with Daemon() as d:
        d.start()
        # Ready first; this also lets start-up housekeeping (the inbox prune)
        # run before the lock is taken.
        assert d.request("GET", "/healthz")[0] == 200
        # Another writer holds the database's write lock: cqod cannot write.
        db = sqlite3.connect(d.db, isolation_level=None, timeout=30)
        db.execute("BEGIN EXCLUSIVE")
        try:
            status, data, _ = d.request("GET", "/healthz", conn=d.conn(timeout=30))
            h = json.loads(data)
            assert status == 503, (status, h)
            assert h["ready"] is False and h["live"] is True and h["status"] == "unavailable"
            assert h["store"] == "not writable" and h["listener"] == "up", h
            # Up all the same.
            assert d.request("GET", "/livez")[0] == 200
        finally:
            db.execute("ROLLBACK")
            db.close()
        assert d.request("GET", "/healthz")[0] == 200
        text = metrics(d)
        assert sample(text, 'cqod_store_errors_total{kind="busy"}') >= 1, text
        assert sample(text, 'cqod_http_requests_total{route="/healthz",code="503"}') == 1
        assert sample(text, 'cqod_http_requests_total{route="/healthz",code="200"}') == 2


def test_metrics_cover_http_commands_store_process():
    with Daemon() as d:
        d.ctl("grant", "generic", "u-admin", "admin")
        d.start()
        status, _, _ = signed_post(d, "查询 张三", "m-1")
        assert status == 200
        text = metrics(d)
        buckets = check_exposition(text)
        assert ("cqod_http_request_duration_seconds", 'route="/webhook/generic"') in buckets
        assert sample(text, 'cqod_http_request_duration_seconds_count{route="/webhook/generic"}') == 1
        assert sample(text, 'cqod_command_duration_seconds_count{command="查询"}') == 1
        assert sample(text, "cqod_inbox_commit_seconds_count") >= 1
        commits = sample(text, 'cqod_store_transaction_seconds_count{outcome="commit"}')
        assert commits >= 1, text
        assert sample(text, "process_resident_memory_bytes") > 1 << 20
        assert sample(text, "process_open_fds") >= 4
        assert sample(text, "process_start_time_seconds") > 1.6e9
        assert sample(text, "cqod_http_connections") >= 1
        for name, kind in (("cqod_http_request_duration_seconds", "histogram"),
                           ("cqod_store_transaction_seconds", "histogram"),
                           ("cqod_store_errors_total", "counter"),
                           ("process_resident_memory_bytes", "gauge")):
            assert "# TYPE %s %s\n" % (name, kind) in text, name
        # /healthz probes the store with a transaction it rolls back: not
        # counted as a store transaction, or the latencies would be the probe's.
        for _ in range(3):
            assert d.request("GET", "/healthz")[0] == 200
        text = metrics(d)
        assert sample(text, 'cqod_store_transaction_seconds_count{outcome="commit"}') == commits
        assert sample(text, 'cqod_store_transaction_seconds_count{outcome="rollback"}') is None
        assert sample(text, 'cqod_store_errors_total{kind="busy"}') is None


def test_request_id_ties_response_to_logs():
    with Daemon() as d:
        d.ctl("grant", "generic", "u-admin", "admin")
        d.start()
        status, _, r = signed_post(d, "查询 张三", "rid-1")
        assert status == 200
        rid = r.getheader("X-Request-Id")
        assert rid and rid.isdigit(), rid
        d.wait_log(r"req %s: generic:test ran 查询 \(ok, [0-9.]+ ms\)" % rid)
        status, _, r = signed_post(d, "查询 张三", "rid-2", secret="wrong")
        assert status == 401
        bad = r.getheader("X-Request-Id")
        assert bad.isdigit() and bad != rid
        d.wait_log(r"req %s: generic:test: bad or missing signature" % bad)
        _, _, r = d.request("GET", "/metrics")
        assert r.getheader("X-Request-Id").isdigit()


def test_request_id_follows_an_out_of_band_reply():
    # The DingTalk flow: acknowledged at once, command run, reply sent to the
    # session webhook; the three log lines share the request's id.
    from platforms import FakePlatform, start, ding_body, ding_post
    with FakePlatform() as fake, start(fake) as d:
        status, _, r = ding_post(d, ding_body(fake, "whoami", "rid-ding-1"))
        assert status == 200
        rid = r.getheader("X-Request-Id")
        assert rid and rid.isdigit(), rid
        fake.wait_requests("/robot/sendBySession")
        # The last line first: wait_log keeps the lines read before a match.
        d.wait_log(r"req %s: dingtalk:d1: reply delivered in 1 part\(s\)" % rid)
        d.wait_log(r"req %s: dingtalk:d1 ran 我是谁 \(ok" % rid)
