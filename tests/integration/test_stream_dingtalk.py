"""DingTalk Stream mode (daemon/stream_dingtalk.c): the real daemon against
tests/fake/dingtalk_stream.py (proven faithful by the official SDK, see
test_stream_fakes.py) — messages in and replies out through the session
webhook (at tests/fake/fakeplatform.py), the acknowledgement only after
the COMMIT, pings, the server's disconnect, abrupt drops, a server that
comes back, frames too large or malformed, SIGHUP and SIGTERM."""
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

from harness import ROOT, Daemon, as_user_prefix, wait_until
from platforms import FakePlatform, ding_body, metric

sys.path.insert(0, os.path.join(ROOT, "tests", "fake"))
import dingtalk_stream   # noqa: E402


def stream_config(stream, fake, extra=""):
    return """
[dingtalk:d1]
mode = stream
app_key = %s
app_secret = %s
robot_code = ding-robot
api_base = %s
oapi_base = %s
%s""" % (dingtalk_stream.CLIENT_ID, dingtalk_stream.CLIENT_SECRET, stream.base, fake.base,
         extra)


def robot(fake, text, msg_id):
    return json.loads(ding_body(fake, text, msg_id))


def count(stream, kind):
    return len(stream.entries(kind))


def wait_count(stream, kind, n, timeout=10.0):
    stream.wait_for(lambda e: e["kind"] == kind and count(stream, kind) >= n, timeout)


def ack_of(stream, mid, timeout=10.0):
    return stream.wait_for(lambda e: e["kind"] == "ack" and e["message_id"] == mid, timeout)


def healthz(d):
    _, body, _ = d.request("GET", "/healthz")
    return json.loads(body)["streams"]


def gauge(d, name):
    _, data, _ = d.request("GET", "/metrics")
    m = re.search(r'%s\{platform="dingtalk",instance="d1"\} (\d+)' % name, data.decode())
    return int(m.group(1)) if m else None


def started(stream, fake, extra=""):
    d = Daemon(stream_config(stream, fake, extra))
    d.start()
    wait_count(stream, "connect", 1)
    return d


def test_message_in_reply_out_ack_after_commit():
    with FakePlatform() as fake, dingtalk_stream.DingTalkStream() as stream, \
            started(stream, fake) as d:
        opened = stream.entries("open")[0]
        assert opened["client_id"] == dingtalk_stream.CLIENT_ID
        assert opened["subscriptions"] == [
            {"type": "CALLBACK", "topic": dingtalk_stream.TOPIC_ROBOT}], opened
        # The webhook path of a stream instance is not served.
        assert d.request("POST", "/webhook/dingtalk/d1", b"{}", {})[0] == 404

        mid = stream.push(robot(fake, "whoami", "st-1"))
        ack = ack_of(stream, mid)
        assert ack["code"] == 200
        reqs = fake.wait_requests("/robot/sendBySession")
        assert reqs[0]["query"]["session"] == "s-st-1"
        assert "访客" in reqs[0]["body"] and "staff-1" in reqs[0]["body"]
        assert metric(d, "dingtalk", "accepted") == 1

        # While another process holds the write lock nothing commits, and
        # nothing is acknowledged; once it is released the message commits,
        # then the ack comes.
        lock = sqlite3.connect(d.db, timeout=5, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        mid = stream.push(robot(fake, "whoami", "st-2"))
        time.sleep(1.0)
        assert not [e for e in stream.entries("ack") if e["message_id"] == mid]
        lock.execute("ROLLBACK")
        lock.close()
        ack_of(stream, mid)
        assert sqlite3.connect(d.db).execute(
            "SELECT count(*) FROM inbound WHERE msg_id = 'st-2'").fetchone()[0] == 1

        # The same robot message in another frame: acknowledged, run once.
        mid = stream.push(robot(fake, "whoami", "st-1"))
        ack_of(stream, mid)
        assert metric(d, "dingtalk", "duplicate") == 1
        fake.wait_requests("/robot/sendBySession", 2)
        time.sleep(0.5)
        assert len(fake.requests("/robot/sendBySession")) == 2

        # SYSTEM ping: echoed with its own messageId.
        pid = stream.ping()
        stream.wait_for(lambda e: e["kind"] == "pong" and e["message_id"] == pid)
        h = healthz(d)
        assert len(h) == 1 and h[0]["last_frame"] > 0, h
        assert (h[0]["platform"], h[0]["instance"], h[0]["state"], h[0]["reconnects"]) == \
            ("dingtalk", "d1", "connected", 0), h
        assert gauge(d, "cqod_stream_up") == 1
        assert gauge(d, "cqod_stream_last_frame_seconds") > 0
        assert d.stop() == 0
        assert count(stream, "disconnect") == 1
        log = "\n".join(d.log)
        assert dingtalk_stream.CLIENT_SECRET not in log and "ticket-" not in log


def test_disconnect_drop_and_server_back():
    with FakePlatform() as fake:
        stream = dingtalk_stream.DingTalkStream().start()
        port = stream.port
        with started(stream, fake) as d:
            # The server's rotation: a new ticket, a new connection.
            t0 = time.monotonic()
            stream.disconnect()
            wait_count(stream, "connect", 2)
            assert count(stream, "open") == 2
            assert time.monotonic() - t0 < 5
            # A TCP reset while a message waits for its COMMIT (another
            # process holds the write lock): it commits after the drop, its
            # ack has no connection to go to, DingTalk pushes it again on
            # the next one, and that run is a duplicate: once, one reply.
            lock = sqlite3.connect(d.db, timeout=5, isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")
            mid = stream.push(robot(fake, "whoami", "st-3"))
            time.sleep(0.3)
            t0 = time.monotonic()
            stream.drop()
            time.sleep(0.5)
            lock.execute("ROLLBACK")
            lock.close()
            wait_count(stream, "connect", 3)
            assert time.monotonic() - t0 < 5
            assert stream.entries("redeliver")[0]["message_id"] == mid
            ack_of(stream, mid)
            assert metric(d, "dingtalk", "accepted") == 1
            assert metric(d, "dingtalk", "duplicate") == 1
            fake.wait_requests("/robot/sendBySession")
            time.sleep(0.5)
            assert len(fake.requests("/robot/sendBySession")) == 1
            # The server goes away for a while, then comes back on its port.
            # (An attempt caught by its shutdown hangs until the 5 s timeout.)
            stream.stop()
            time.sleep(8)
            assert healthz(d)[0]["state"] in ("waiting", "connecting")
            assert gauge(d, "cqod_stream_up") == 0
            stream = dingtalk_stream.DingTalkStream(port=port).start()
            back = time.monotonic()
            wait_count(stream, "connect", 1, timeout=10)
            recovered = time.monotonic() - back
            assert recovered < 5, recovered
            print("reconnected %.2f s after the server came back" % recovered)
            wait_until(lambda: healthz(d)[0]["state"] == "connected", "connected")
            assert healthz(d)[0]["reconnects"] >= 3
            assert gauge(d, "cqod_stream_reconnects_total") >= 3
            mid = stream.push(robot(fake, "whoami", "st-4"))
            ack_of(stream, mid)
            assert d.stop() == 0
        stream.stop()


def test_bad_frames_are_dropped():
    with FakePlatform() as fake, dingtalk_stream.DingTalkStream() as stream, \
            started(stream, fake) as d:
        mark = len(d.log)
        big = stream.push(robot(fake, "x" * (1024 * 1024 + 10), "st-big"))
        conn = stream.live()[0]
        conn.send("not json")
        conn.send(b"\x00\x01binary")
        mid = stream.push(robot(fake, "whoami", "st-5"))
        ack_of(stream, mid)
        d.wait_log(r"larger than 1048576 bytes dropped", since=mark)
        d.wait_log(r"a malformed frame dropped", since=mark)
        d.wait_log(r"a binary frame dropped", since=mark)
        assert not [e for e in stream.entries("ack") if e["message_id"] == big]
        assert len([l for l in d.log[mark:] if "larger than" in l]) == 1
        assert count(stream, "connect") == 1
        assert metric(d, "dingtalk", "accepted") == 1


def test_sighup_reconnects_only_what_changed_and_console_never_connects():
    with FakePlatform() as fake, dingtalk_stream.DingTalkStream() as stream, \
            started(stream, fake) as d:
        mark = len(d.log)
        d.signal(signal.SIGHUP)
        d.wait_log(r"configuration reloaded", since=mark)
        time.sleep(1)
        assert count(stream, "open") == 1 and count(stream, "disconnect") == 0
        d.write_config(stream_config(stream, fake, "corp_id = dingcorp2\n"))
        mark = len(d.log)
        d.signal(signal.SIGHUP)
        d.wait_log(r"configuration reloaded", since=mark)
        wait_count(stream, "connect", 2)
        # The fake logs the old line's end when its reader sees it, which
        # may be after the new line is up.
        wait_count(stream, "disconnect", 1)
        assert count(stream, "disconnect") == 1
        # The console shares the configuration but opens no connection.
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input="我是谁\n", capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        time.sleep(0.5)
        assert count(stream, "open") == 2
        assert d.stop() == 0


def test_check_mode_key():
    with FakePlatform() as fake, dingtalk_stream.DingTalkStream() as stream:
        d = Daemon(stream_config(stream, fake))
        try:
            d.write_config(stream_config(stream, fake).replace("mode = stream", "mode = socket"))
            cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "-n", "-c", d.config]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            assert r.returncode != 0 and "expected webhook or stream" in r.stderr, r.stderr
        finally:
            d.close()


def test_sigkill_while_frames_flow_loses_nothing_runs_nothing_twice():
    """cqod is killed (SIGKILL) while 60 messages stream in, then started
    again on the same database: DingTalk pushes again what was not
    acknowledged, and in the end every message ran exactly once (one
    inbound row, one reply row each) and every frame was acknowledged."""
    n = 60
    with FakePlatform() as fake, dingtalk_stream.DingTalkStream() as stream, \
            started(stream, fake) as d:
        mids = []
        for i in range(n):
            mids.append(stream.push(robot(fake, "whoami", "k-%d" % i)))
            if i == n // 3:
                d.proc.kill()
                d.proc.wait()
        d.start()
        acked = lambda: {e["message_id"] for e in stream.entries("ack")}   # noqa: E731
        wait_until(lambda: set(mids) <= acked(), "every frame acknowledged", timeout=60)
        db = sqlite3.connect(d.db)
        assert db.execute("SELECT count(*) FROM inbound WHERE msg_id LIKE 'k-%'").fetchone()[0] \
            == n
        assert db.execute("SELECT count(*) FROM outbox WHERE idem_key LIKE 'reply:dingtalk:d1:k-%'"
                          ).fetchone()[0] == n
        assert count(stream, "redeliver") >= 1
        assert d.stop() == 0
