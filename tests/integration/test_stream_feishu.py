"""Feishu long connection (daemon/stream_feishu.c): the real daemon against
tests/fake/feishu_ws.py (proven faithful by the official SDK's WSClient, see
test_stream_fakes.py), which here also answers the token and reply APIs
(Feishu serves both under one api_base) — events in and replies out,
fragmented events, the acknowledgement only after the COMMIT, pings, drops
with redelivery, bad frames, SIGTERM."""
import json
import os
import sqlite3
import subprocess
import sys
import time

from harness import ROOT, Daemon, as_user_prefix, wait_until
from platforms import feishu_event, feishu_mention, metric

sys.path.insert(0, os.path.join(ROOT, "tests", "fake"))
import feishu_ws   # noqa: E402


class FeishuApi(feishu_ws.FeishuWs):
    """The long-connection fake plus the two APIs a private reply needs."""

    def http_post(self, path, headers, raw):
        if path == "/open-apis/auth/v3/tenant_access_token/internal":
            return 200, {"code": 0, "msg": "ok", "tenant_access_token": "tok-1",
                         "expire": 7200}
        if path.startswith("/open-apis/im/v1/messages/"):
            self.record("reply", path=path, body=raw.decode())
            return 200, {"code": 0, "msg": "success", "data": {"message_id": "om_r"}}
        return super().http_post(path, headers, raw)


def config(fs, extra=""):
    return """
[feishu:f1]
mode = stream
app_id = %s
app_secret = %s
api_base = %s
%s""" % (feishu_ws.APP_ID, feishu_ws.APP_SECRET, fs.base, extra)


def event(text, event_id, message_id):
    return json.loads(feishu_event(text, event_id, message_id, token=None))


def count(fs, kind):
    return len(fs.entries(kind))


def ack_of(fs, mid, timeout=10.0):
    return fs.wait_for(lambda e: e["kind"] == "ack" and e["message_id"] == mid, timeout)


def started(fs, extra=""):
    d = Daemon(config(fs, extra))
    d.start()
    fs.wait_for(lambda e: e["kind"] == "connect")
    return d


def test_event_in_reply_out_fragments_ack_after_commit_ping():
    with FeishuApi(ping_interval=1) as fs, started(fs) as d:
        # No verification token in stream mode; the webhook path is not served.
        assert d.request("POST", "/webhook/feishu/f1", b"{}", {})[0] == 404
        mid = fs.push(event("whoami", "ev-s1", "om_s1"))
        a = ack_of(fs, mid)
        assert json.loads(a["payload"]) == {"code": 200}
        assert a["biz_rt"] is not None
        reply = fs.wait_for(lambda e: e["kind"] == "reply")
        assert reply["path"] == "/open-apis/im/v1/messages/om_s1/reply"
        assert "访客" in json.loads(reply["body"])["content"]
        assert metric(d, "feishu", "accepted") == 1

        # An event in three frames is joined, then acknowledged once.
        mid = fs.push(event("whoami " + "长" * 300, "ev-s2", "om_s2"), parts=3)
        ack_of(fs, mid)
        assert len([e for e in fs.entries("ack") if e["message_id"] == mid]) == 1

        # The write lock held elsewhere: no COMMIT, no ack; then both.
        lock = sqlite3.connect(d.db, timeout=5, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        mid = fs.push(event("whoami", "ev-s3", "om_s3"))
        time.sleep(1.0)
        assert not [e for e in fs.entries("ack") if e["message_id"] == mid]
        lock.execute("ROLLBACK")
        lock.close()
        ack_of(fs, mid)
        assert sqlite3.connect(d.db).execute(
            "SELECT count(*) FROM inbound WHERE msg_id = 'ev-s3'").fetchone()[0] == 1

        # Pings every PingInterval, with the URL's service_id.
        fs.wait_for(lambda e: e["kind"] == "ping" and count(fs, "ping") >= 2, timeout=5)
        assert fs.entries("ping")[0]["service"] == feishu_ws.SERVICE
        _, body, _ = d.request("GET", "/healthz")
        h = json.loads(body)["streams"]
        assert (h[0]["platform"], h[0]["state"]) == ("feishu", "connected"), h
        assert d.stop() == 0
        log = "\n".join(d.log)
        assert feishu_ws.APP_SECRET not in log


def test_drop_redelivery_and_bad_frames():
    with FeishuApi() as fs, started(fs) as d:
        # Only the first of two parts arrives, then the connection dies: the
        # whole event comes again on the next connection and runs once.
        mid = fs.push(event("whoami", "ev-d1", "om_d1"), parts=2, send=[0])
        time.sleep(0.3)
        t0 = time.monotonic()
        fs.drop()
        fs.wait_for(lambda e: e["kind"] == "connect" and count(fs, "connect") >= 2)
        assert time.monotonic() - t0 < 5
        ack_of(fs, mid)
        assert metric(d, "feishu", "accepted") == 1

        mark = len(d.log)
        fs.push_raw(b"\x0a\x05trunc")
        fs.live()[0].send("text frame")
        mid = fs.push(event("whoami", "ev-d2", "om_d2"))
        ack_of(fs, mid)
        d.wait_log(r"a malformed frame dropped", since=mark)
        d.wait_log(r"a text frame dropped", since=mark)
        assert count(fs, "connect") == 2
        # The same event again (Feishu's retry): acknowledged, run once.
        mid = fs.push(event("whoami", "ev-d2", "om_d2"))
        ack_of(fs, mid)
        # The fake may also have redelivered the first copy (its timer after
        # the reconnect races the push on a loaded machine): every extra copy
        # is a duplicate, and the event still ran once.
        wait_until(lambda: (metric(d, "feishu", "duplicate") or 0) >= 1, "the duplicate counted")
        assert metric(d, "feishu", "accepted") == 2
        wait_until(lambda: count(fs, "reply") == 2, "two replies")
        time.sleep(0.3)
        assert count(fs, "reply") == 2
        assert d.stop() == 0


def test_wrong_secret_keeps_trying_and_check():
    with FeishuApi() as fs:
        d = Daemon(config(fs).replace(feishu_ws.APP_SECRET, "wrong-secret"))
        try:
            d.start()
            d.wait_log(r"feishu:f1: the endpoint API refused \(code 514\)")
            assert count(fs, "connect") == 0
            assert "wrong-secret" not in "\n".join(d.log)
            assert d.stop() == 0
            cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "-n", "-c", d.config]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            assert r.returncode == 0, r.stderr
        finally:
            d.close()


def test_group_mentions():
    with FeishuApi() as fs, started(fs, "bot_open_id = ou_bot\n") as d:
        mentions = [feishu_mention("@_user_1", "ou_bot", "CQO")]
        mid = fs.push(json.loads(feishu_event("@_user_1 whoami", "ev-g1", "om_g1",
                                              chat_type="group", mentions=mentions,
                                              token=None)))
        ack_of(fs, mid)
        fs.wait_for(lambda e: e["kind"] == "reply")
        # Talk that mentions someone else: acknowledged and ignored.
        others = [feishu_mention("@_user_1", "ou_someone")]
        mid = fs.push(json.loads(feishu_event("@_user_1 hello", "ev-g2", "om_g2",
                                              chat_type="group", mentions=others,
                                              token=None)))
        ack_of(fs, mid)
        assert metric(d, "feishu", "ignored") == 1
        time.sleep(0.3)
        assert count(fs, "reply") == 1
        assert d.stop() == 0


def test_sigkill_while_events_flow_loses_nothing_runs_nothing_twice():
    """cqod is killed (SIGKILL) while 60 events stream in (some in two
    frames), then started again on the same database: Feishu pushes again
    what was not acknowledged, and every event ran exactly once."""
    n = 60
    with FeishuApi() as fs, started(fs) as d:
        mids = []
        for i in range(n):
            mids.append(fs.push(event("whoami", "ev-k%d" % i, "om_k%d" % i), parts=1 + i % 2))
            if i == n // 3:
                d.proc.kill()
                d.proc.wait()
        d.start()
        acked = lambda: {e["message_id"] for e in fs.entries("ack")}   # noqa: E731
        wait_until(lambda: set(mids) <= acked(), "every event acknowledged", timeout=60)
        db = sqlite3.connect(d.db)
        assert db.execute("SELECT count(*) FROM inbound WHERE msg_id LIKE 'ev-k%'"
                          ).fetchone()[0] == n
        assert db.execute("SELECT count(*) FROM outbox WHERE idem_key LIKE 'reply:feishu:f1:ev-k%'"
                          ).fetchone()[0] == n
        assert count(fs, "redeliver") >= 1
        assert d.stop() == 0
