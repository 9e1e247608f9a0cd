"""The foundation end to end: the real daemon over HTTP and on a console."""
import hashlib
import hmac
import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time

from harness import ROOT, BUILD, SECRET, Daemon, raw_connect, recv_all, signed, as_user_prefix


def grant_admin(d, user="u-admin"):
    d.ctl("grant", "generic", user, "admin")


def test_signed_query_returns_card():
    with Daemon() as d:
        grant_admin(d)
        d.start()
        status, body = d.webhook("查询 张三", "m-1")
        assert status == 200, body
        assert body["ok"] and not body["duplicate"]
        text = body["reply"]["text"]
        assert "张三" in text and "记录号" in text, text
        assert d.stop() == 0


def test_bad_signature_is_401_and_runs_nothing():
    with Daemon() as d:
        grant_admin(d)
        d.start()
        status, body = d.webhook("查询 张三", "m-sig", secret="wrong")
        assert status == 401 and not body["ok"]
        payload = b'{"msg_id":"x"}'
        status, _, _ = d.request("POST", "/webhook/generic/test", payload, {})
        assert status == 401
        # Nothing was recorded: the same id with a good signature still runs.
        status, body = d.webhook("查询 张三", "m-sig")
        assert status == 200 and not body["duplicate"] and "张三" in body["reply"]["text"]
        d.wait_log("bad or missing signature")
        assert not [l for l in d.drain_log() if "test-secret" in l]


def test_generic_replay_and_old_scheme_refused():
    """The signature covers the timestamp: a captured request is a duplicate
    while its timestamp is fresh and refused once it is 300 s old; the old
    body-only signature is refused; re-signed with a fresh timestamp, a
    handled msg_id is a duplicate. Every refusal has the bad signature's
    status and body."""
    with Daemon() as d:
        grant_admin(d)
        d.start()
        url = "/webhook/generic/test"
        _, bad_sig, _ = d.request("POST", url, b"{}", {"X-Cqod-Timestamp": str(int(time.time())),
                                                       "X-Cqod-Signature": "sha256=" + "0" * 64})
        assert json.loads(bad_sig) == {"ok": False, "error": "bad signature"}
        body = json.dumps({"msg_id": "rp-1", "chat_id": "c1", "chat_type": "private",
                           "sender_id": "u-admin", "sender_name": "管理员",
                           "text": "查询 张三"}, ensure_ascii=False).encode()
        now = int(time.time())
        captured = signed(body, ts=now - 299)    # one second left in the window
        status, data, _ = d.request("POST", url, body, captured)
        first = json.loads(data)
        assert status == 200 and not first["duplicate"] and "张三" in first["reply"]["text"]
        deadline = time.monotonic() + 5
        while True:
            status, data, _ = d.request("POST", url, body, captured)
            if status != 200 or time.monotonic() > deadline:
                break
            assert json.loads(data)["duplicate"]
            time.sleep(0.2)
        assert (status, data) == (401, bad_sig), (status, data)
        old_scheme = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        refusals = [
            signed(body, ts=now - 400),                              # stamped long ago
            signed(body, ts=now + 400),                              # stamped ahead
            {"X-Cqod-Signature": signed(body)["X-Cqod-Signature"]},  # no timestamp
            {"X-Cqod-Timestamp": "%d.5" % now,
             "X-Cqod-Signature": signed(body, ts="%d.5" % now)["X-Cqod-Signature"]},
            {"X-Cqod-Timestamp": str(now), "X-Cqod-Signature": old_scheme},
        ]
        for headers in refusals:
            status, data, _ = d.request("POST", url, body, headers)
            assert (status, data) == (401, bad_sig), (headers, status, data)
        d.wait_log("stale or missing X-Cqod-Timestamp")
        # The captured body again, signed now: its id ran once already.
        status, data, _ = d.request("POST", url, body, signed(body))
        again = json.loads(data)
        assert status == 200 and again["duplicate"] and again["reply"] == first["reply"], again
        text = d.request("GET", "/metrics")[1].decode()
        assert 'cqod_inbound_messages_total{platform="generic",outcome="stale"} 5' in text, text
        assert 'cqod_inbound_messages_total{platform="generic",outcome="bad_signature"} 2' in text


def test_malformed_bodies_are_400():
    with Daemon() as d:
        d.start()
        for payload in (b"not json", b"[]", b'{"msg_id":"1"}',
                        b'{"msg_id":"1","chat_id":"c","chat_type":"room","sender_id":"s","text":"x"}'):
            status, data, _ = d.request("POST", "/webhook/generic/test", payload,
                                        signed(payload))
            assert status == 400, (payload, status)
            assert json.loads(data)["ok"] is False


def test_routes_and_methods():
    with Daemon() as d:
        d.start()
        status, data, _ = d.request("GET", "/healthz")
        assert status == 200 and json.loads(data)["status"] == "ok"
        assert d.request("GET", "/nope")[0] == 404
        assert d.request("POST", "/healthz", b"")[0] == 405
        assert d.request("GET", "/webhook/generic/test")[0] == 405
        assert d.request("POST", "/webhook/generic/other", b"{}")[0] == 404
        assert d.request("POST", "/webhook/nosuch/test", b"{}")[0] == 404
        d.webhook("帮助", "r-1")
        status, data, _ = d.request("GET", "/metrics")
        text = data.decode()
        assert status == 200
        assert 'cqod_http_requests_total{route="/healthz",code="200"} 1' in text, text
        assert 'cqod_inbound_messages_total{platform="generic",outcome="accepted"} 1' in text
        assert 'cqod_commands_total{command="帮助",outcome="ok"} 1' in text


def test_same_message_id_runs_once():
    with Daemon() as d:
        grant_admin(d)
        d.start()
        _, first = d.webhook("查询 张三", "dup-1")
        _, second = d.webhook("查询 张三", "dup-1")
        # A retry gets the first run's answer again, marked duplicate.
        assert not first["duplicate"] and second["duplicate"] and second["ok"]
        assert second["reply"] == first["reply"], (first, second)
        assert d.stop() == 0
        # Persisted: a restart still knows the id.
        d.start()
        _, third = d.webhook("查询 张三", "dup-1")
        assert third["duplicate"]
        text = d.request("GET", "/metrics")[1].decode()
        assert 'cqod_commands_total{command="查询"' not in text


def test_concurrent_messages_group_commit():
    with Daemon() as d:
        grant_admin(d)
        d.start()
        results = []

        def worker(k):
            c = d.conn()
            for i in range(20):
                results.append(d.webhook("我是谁", "gc-%d-%d" % (k, i), conn=c)[0])
            c.close()

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert results.count(200) == 160
        text = d.request("GET", "/metrics")[1].decode()
        assert "cqod_inbox_messages_total 160" in text


def test_oversized_body_is_413():
    with Daemon(extra_config="[http]\nmax_body_bytes = 4096\n") as d:
        d.start()
        big = b'{"text":"' + b"x" * 10000 + b'"}'
        status, _, _ = d.request("POST", "/webhook/generic/test", big,
                                 signed(big))
        assert status == 413
        assert d.request("GET", "/healthz")[0] == 200


def test_slow_client_cut_off_while_others_served():
    with Daemon(extra_config="[http]\nrequest_timeout_ms = 500\n") as d:
        grant_admin(d)
        d.start()
        slow = raw_connect(d.port)
        slow.sendall(b"POST /webhook/generic/test HTTP/1.1\r\nHost: x\r\n")
        t0 = time.monotonic()
        served = 0
        for i in range(5):
            status, body = d.webhook("我是谁", "slow-%d" % i)
            served += status == 200
            try:
                slow.send(b"X")   # trickle one byte at a time
            except OSError:
                break
            time.sleep(0.2)
        data = recv_all(slow, 10)
        assert served >= 1
        assert data == b"" or b" 408 " in data.split(b"\r\n")[0], data
        assert time.monotonic() - t0 < 15
        slow.close()


def test_connection_flood_gets_503_existing_client_served():
    with Daemon(extra_config="[http]\nmax_connections = 8\n") as d:
        grant_admin(d)
        d.start()
        keep = d.conn()
        assert d.webhook("我是谁", "fl-0", conn=keep)[0] == 200
        flood = []
        for _ in range(40):
            try:
                flood.append(raw_connect(d.port))
            except OSError:
                break
        rejected = 0
        for s in flood:
            s.settimeout(0.5)
            try:
                head = s.recv(64)
            except (socket.timeout, ConnectionResetError):
                head = b""
            rejected += head.startswith(b"HTTP/1.1 503")
        assert rejected >= 30, rejected
        # The client that was there before the flood is still served.
        assert d.webhook("我是谁", "fl-1", conn=keep)[0] == 200
        for s in flood:
            s.close()
        keep.close()


def test_sighup_broken_config_keeps_serving():
    with Daemon() as d:
        grant_admin(d)
        d.start()
        good = open(d.config).read()
        with open(d.config, "a") as f:
            f.write("\n[http]\nmax_connections = lots\nbogus_key = 1\n")
        d.signal(signal.SIGHUP)
        d.wait_log(r"keeping the running configuration")
        assert any("max_connections" in l and "cqod.conf:" in l for l in d.log)
        assert d.webhook("我是谁", "hup-1")[0] == 200
        # A good config is swapped in: a new instance becomes reachable.
        with open(d.config, "w") as f:
            f.write(good + "\n[generic:second]\nsecret = another-secret\n")
        d.signal(signal.SIGHUP)
        d.wait_log(r"configuration reloaded")
        status, _ = d.webhook("我是谁", "hup-2", name="second", secret="another-secret")
        assert status == 200
        assert not [l for l in d.drain_log() if "another-secret" in l]


def test_sigterm_exits_cleanly_database_intact():
    with Daemon() as d:
        grant_admin(d)
        d.start()
        c = d.conn()
        assert d.webhook("查询 张三", "t-1", conn=c)[0] == 200
        assert d.stop() == 0
        assert any("stopped cleanly" in l for l in d.log)
        db = sqlite3.connect(d.db)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM inbound").fetchone()[0] == 1
        db.close()
        c.close()


def test_refuses_root():
    if os.geteuid() != 0:
        return
    with Daemon() as d:
        r = subprocess.run([os.path.join(d.dir, "cqod"), "-c", d.config],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 1 and "refusing to run as root" in r.stderr


def test_check_config():
    with Daemon() as d:
        cqod = os.path.join(d.dir, "cqod")
        r = subprocess.run([cqod, "-n", "-c", d.config], capture_output=True, text=True)
        assert r.returncode == 0 and r.stdout.strip() == "configuration OK"
        bad = os.path.join(d.dir, "bad.conf")
        with open(bad, "w") as f:
            f.write("[daemon]\nlisten = nowhere\n[http]\nmax_body_bytes = -1\nnonsense line\n")
        r = subprocess.run([cqod, "-n", "-c", bad], capture_output=True, text=True)
        assert r.returncode == 1
        lines = r.stderr.strip().splitlines()
        assert len(lines) >= 3, lines
        assert all(l.startswith(bad + ":") for l in lines), lines


def test_check_config_platform_sections():
    """cqod -n checks instance sections by the platforms' rows: the WeCom
    aes_key row's own check, the known sections in the rows' order, and
    keys no row has."""
    with Daemon() as d:
        cqod = os.path.join(d.dir, "cqod")
        bad = os.path.join(d.dir, "bad.conf")
        with open(bad, "w") as f:
            f.write("[daemon]\n[wecom:w]\ncorp_id = ww1\nagent_id = 1\nsecret = s\n"
                    "token = t\naes_key = S3CRET-aes-jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj\n"
                    "[wecom_robot:r]\nkey = k\nagent_id = 1\n[slack:x]\n")
        r = subprocess.run([cqod, "-n", "-c", bad], capture_output=True, text=True, timeout=30)
        assert r.returncode == 1
        lines = r.stderr.strip().splitlines()
        assert bad + ":7: aes_key: expected an EncodingAESKey: 43 characters from " \
            "A-Z a-z 0-9" in lines, lines
        assert bad + ":10: unknown key \"agent_id\" in [wecom_robot:r]" in lines, lines
        assert bad + ":11: unknown platform \"slack\" in [slack:x] (known: generic, wecom, " \
            "dingtalk, feishu, wecom_aibot, wecom_robot, dingtalk_robot, feishu_bot)" in lines, lines
        assert "S3CRET" not in r.stderr


def run_console(d, text, extra_args=()):
    cmd = [os.path.join(d.dir, "cqod"), "--console", "-c", d.config] + list(extra_args)
    return subprocess.run(as_user_prefix() + cmd, input=text, capture_output=True,
                          text=True, timeout=60)


def test_console_piped():
    with Daemon() as d:
        r = run_console(d, "查询 张三\nwhoami\n帮助\n")
        assert r.returncode == 0, r.stderr
        assert "张三" in r.stdout and "管理员" in r.stdout and "查询" in r.stdout
        assert "cqod>" not in r.stdout     # no prompt when piped


def test_console_from_file():
    with Daemon() as d:
        path = os.path.join(d.dir, "cmds.txt")
        with open(path, "w") as f:
            f.write("我是谁")    # no trailing newline: the last line still runs
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        with open(path) as f:
            r = subprocess.run(cmd, stdin=f, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0 and "管理员" in r.stdout, (r.stdout, r.stderr)


def test_console_role_from_config():
    with Daemon(extra_config="") as d:
        with open(d.config) as f:
            text = f.read().replace("[daemon]\n", "[daemon]\nconsole_role = clerk\n"
                                    "console_scope = 610113\n", 1)
        with open(d.config, "w") as f:
            f.write(text)
        r = run_console(d, "我是谁\n查询 张三\n")
        assert "工作人员" in r.stdout and "610113" in r.stdout, r.stdout
        assert "未找到" in r.stdout, r.stdout
