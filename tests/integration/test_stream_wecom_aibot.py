"""WeCom intelligent robot (daemon/stream_wecom_aibot.c): the real daemon
against tests/fake/wecom_aibot_ws.py (proven faithful by the official SDK,
see test_stream_fakes.py) — messages in, the answer on the pushed req_id
only after the COMMIT, pings, unprompted sends through the outbox, a second
connection kicking ours, drops, bad frames, a wrong secret, SIGHUP and
SIGTERM."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from harness import ROOT, Daemon, as_user_prefix, wait_until
from platforms import metric

sys.path.insert(0, os.path.join(ROOT, "tests", "fake"))
import wecom_aibot_ws   # noqa: E402
from wecom_aibot_ws import BOT_ID, SECRET, WeComAiBot   # noqa: E402


def ws_url(fake):
    return fake.base.replace("http://", "ws://")


def config(fake, extra="", secret=SECRET):
    return """
[wecom_aibot:b1]
bot_id = %s
secret = %s
corp_id = wwcorp1
api_base = %s
%s""" % (BOT_ID, secret, ws_url(fake), extra)


def count(fake, kind):
    return len(fake.entries(kind))


def started(fake, extra=""):
    d = Daemon(config(fake, extra))
    d.start()
    fake.wait_for(lambda e: e["kind"] == "subscribe" and e["ok"])
    wait_until(lambda: health(d)["state"] == "connected", "connected")
    return d


def health(d):
    _, body, _ = d.request("GET", "/healthz")
    streams = json.loads(body)["streams"]
    assert len(streams) == 1, streams
    return streams[0]


def respond_to(fake, req_id, timeout=10.0):
    return fake.wait_for(lambda e: e["kind"] == "respond" and e["req_id"] == req_id, timeout)


def test_message_in_reply_after_commit_ping_send_and_sigterm():
    with WeComAiBot() as fake, started(fake, "ping_interval = 1\n") as d:
        req = fake.push_text("zhangsan", "whoami")
        r = respond_to(fake, req)
        assert r["body"]["msgtype"] == "stream"
        assert r["body"]["stream"]["finish"] is True
        assert "访客" in r["body"]["stream"]["content"], r
        assert metric(d, "wecom_aibot", "accepted") == 1
        db = sqlite3.connect(d.db)
        # Settled once WeCom has answered the frame, just after the fake saw it.
        wait_until(lambda: db.execute("SELECT state FROM outbox WHERE idem_key LIKE "
                                      "'reply:wecom_aibot:b1:%'").fetchall() == [("sent",)],
                   "the answer's row settled as sent")

        # A group message: the same path, answered on its own req_id.
        req = fake.push_text("lisi", "whoami", chatid="wrgroup1")
        respond_to(fake, req)

        # The write lock held elsewhere: no COMMIT, no answer; then it.
        lock = sqlite3.connect(d.db, timeout=5, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        req = fake.push_text("zhangsan", "whoami")
        time.sleep(1.0)
        assert not [e for e in fake.entries("respond") if e["req_id"] == req]
        lock.execute("ROLLBACK")
        lock.close()
        respond_to(fake, req)

        # Pings on the loop timer.
        fake.wait_for(lambda e: e["kind"] == "ping" and count(fake, "ping") >= 2, timeout=5)

        # A message the daemon starts goes through the outbox, as a frame.
        out = d.ctl("outbox", "send", "--dest", "wecom_aibot|b1|user|0|zhangsan",
                    "--text", "到期提醒")
        assert "已加入发送队列：1 条" in out, out
        s = fake.wait_for(lambda e: e["kind"] == "send")
        assert s["body"]["chatid"] == "zhangsan"
        assert s["body"]["msgtype"] == "markdown"
        assert "到期提醒" in s["body"]["markdown"]["content"]
        assert s["req_id"].startswith("aibot_send_msg_")
        wait_until(lambda: db.execute("SELECT count(*) FROM outbox WHERE state = 'sent'"
                                      ).fetchone()[0] == 4, "every row sent")

        assert health(d)["platform"] == "wecom_aibot"
        _, body, _ = d.request("GET", "/metrics")
        assert b'cqod_stream_up{platform="wecom_aibot",instance="b1"} 1' in body
        assert d.stop() == 0
        assert fake.wait_for(lambda e: e["kind"] == "disconnect")
        log = "\n".join(d.log)
        assert SECRET not in log and "到期提醒" not in log


def test_kicked_by_a_second_connection_waits_long():
    with WeComAiBot() as fake, started(fake) as d:
        mark = len(d.log)
        # Another client of the same bot subscribes: ours is kicked.
        other = Daemon(config(fake), seed=None)
        try:
            other.start()
            d.wait_log(r"another connection took over this bot", since=mark)
            fake.wait_for(lambda e: e["kind"] == "kicked")
            wait_until(lambda: health(d)["state"] == "kicked", "kicked in /healthz")
            subs = count(fake, "subscribe")
            time.sleep(3)
            assert count(fake, "subscribe") == subs, "reconnected against the other holder"
            assert other.stop() == 0
        finally:
            other.close()
        assert d.stop() == 0


def test_drop_reconnect_bad_frames_and_dedupe():
    with WeComAiBot() as fake, started(fake) as d:
        fake.drop()
        fake.wait_for(lambda e: e["kind"] == "subscribe" and count(fake, "subscribe") >= 2,
                      timeout=6)
        wait_until(lambda: health(d)["state"] == "connected", "connected again")
        assert health(d)["reconnects"] >= 1

        mark = len(d.log)
        conn = fake.live()[0]
        conn.send("{not json")
        conn.send(json.dumps({"cmd": "aibot_msg_callback", "headers": {"req_id": "r-bad"},
                              "body": {"msgid": "m-bad"}}))
        conn.send("x" * (1024 * 1024 + 10))
        d.wait_log(r"a malformed frame dropped", since=mark)
        req = fake.push_text("zhangsan", "whoami")
        respond_to(fake, req)
        bad = [l for l in d.log[mark:] if "dropped" in l]
        assert all("xxxx" not in l and "m-bad" not in l for l in bad), bad

        # The same msgid pushed again (a reconnect may repeat): run once.
        frame = {"cmd": "aibot_msg_callback", "headers": {"req_id": "r-dup"},
                 "body": {"msgid": "m-dup", "aibotid": BOT_ID, "chattype": "single",
                          "from": {"userid": "zhangsan"}, "msgtype": "text",
                          "text": {"content": "whoami"}}}
        conn.send(json.dumps(frame))
        respond_to(fake, "r-dup")
        frame["headers"]["req_id"] = "r-dup2"
        conn.send(json.dumps(frame))
        wait_until(lambda: metric(d, "wecom_aibot", "duplicate") == 1, "the duplicate")
        time.sleep(0.3)
        assert not [e for e in fake.entries("respond") if e["req_id"] == "r-dup2"]
        assert d.stop() == 0


def test_send_while_disconnected_retries_and_sighup():
    with WeComAiBot() as fake:
        d = Daemon(config(fake))
        try:
            # The server is away: the send fails as retryable, then goes.
            port = fake.port
            fake.stop()
            d.start()
            d.ctl("outbox", "send", "--dest", "wecom_aibot|b1|chat|0|wrgroup1", "--text", "通知")
            db = sqlite3.connect(d.db)
            wait_until(lambda: db.execute("SELECT attempts FROM outbox").fetchone()[0] >= 1,
                       "a failed attempt")
            assert db.execute("SELECT state FROM outbox").fetchone()[0] == "pending"
            assert "long connection not open" in db.execute(
                "SELECT last_error FROM outbox").fetchone()[0]
            fake2 = WeComAiBot(port=port)
            fake2.start()
            try:
                s = fake2.wait_for(lambda e: e["kind"] == "send", timeout=60)
                assert s["body"]["chatid"] == "wrgroup1"
                # SIGHUP with the same settings keeps the connection...
                mark = len(d.log)
                d.proc.send_signal(signal.SIGHUP)
                d.wait_log(r"reload", since=mark)
                time.sleep(0.5)
                assert count(fake2, "subscribe") == 1
                # ...and reconnects when they changed.
                d.write_config(config(fake2, "ping_interval = 20\n"))
                d.proc.send_signal(signal.SIGHUP)
                fake2.wait_for(lambda e: e["kind"] == "subscribe" and
                               count(fake2, "subscribe") == 2)
                assert d.stop() == 0
            finally:
                fake2.stop()
        finally:
            d.close()


def test_wrong_secret_waits_and_check():
    with WeComAiBot() as fake:
        d = Daemon(config(fake, secret="wrong-secret"))
        try:
            d.start()
            d.wait_log(r"wecom_aibot:b1: subscription refused \(errcode 40001\)")
            wait_until(lambda: health(d)["state"] == "refused", "refused in /healthz")
            time.sleep(2)
            assert count(fake, "subscribe") == 1
            assert "wrong-secret" not in "\n".join(d.log)
            assert d.stop() == 0
            cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "-n", "-c", d.config]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            assert r.returncode == 0, r.stderr
            d.write_config(config(fake).replace(ws_url(fake), "https://x.example") +
                           "ping_interval = 0\n")
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            assert r.returncode != 0
            assert "expected a ws:// or wss:// URL" in r.stderr, r.stderr
            assert "expected whole seconds" in r.stderr, r.stderr
        finally:
            d.close()
