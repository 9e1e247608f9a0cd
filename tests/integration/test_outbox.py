"""The outbox end to end, against tests/fake/fakeplatform.py: rows queued with
`cqoctl outbox send` are delivered at the configured rate (measured from the
fake's receive times), in order, exactly once through rate limits, an expired
token and a 5xx, dead-lettered on a permanent error with one admin notice,
held to the rate across a restart, and delivered after repeated kill -9 with
duplicates only for what was in flight. Also: a reply that cannot go back
directly falls back to the outbox; 队列 for each role; cqoctl outbox's
commands and errors; the console shows pushes. The rules themselves are unit
tested in tests/unit/test_outbox_policy.c and test_store_outbox.c."""
import json
import os
import random
import re
import select
import sqlite3
import subprocess
import time

from harness import Daemon, as_user_prefix, wait_until
from test_outbound import FEISHU_SECRET, FEISHU_VTOKEN, Fake, feishu_post

ROBOT = "wecom|grp|robot|0|"
ROBOT_PATH = "/cgi-bin/webhook/send"
FEISHU_CHAT = "feishu|f|chat|0|oc_outbox"
FEISHU_PATH = "/open-apis/im/v1/messages"
# Receive times are taken by the fake, a Python thread per connection: this
# much jitter between two requests is measurement noise, not cqod's pace.
JITTER_S = 0.03


def config(base, outbox="", robots=("grp",), max_in_flight=8):
    text = "\n[outbound]\ntimeout_ms = 5000\nmax_in_flight = %d\n\n[outbox]\n%s\n" % (
        max_in_flight, outbox)
    for name in robots:
        text += "\n[wecom_robot:%s]\nkey = %s-key\napi_base = %s\n" % (name, name, base)
    text += ("\n[dingtalk_robot:admins]\naccess_token = admins-token\napi_base = %s\n"
             "\n[feishu:f]\napp_id = cli_out\napp_secret = %s\nverification_token = %s\n"
             "api_base = %s\n" % (base, FEISHU_SECRET, FEISHU_VTOKEN, base))
    return text


def ctl_run(d, *args):
    """cqoctl without the harness's success check: (status, stdout, stderr)."""
    cmd = as_user_prefix() + [os.path.join(d.dir, "cqoctl"), "-c", d.config] + list(args)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=d.env)
    return r.returncode, r.stdout, r.stderr


def enqueue(d, dest, text, count=1):
    out = d.ctl("outbox", "send", "--dest", dest, "--text", text, "--count", str(count))
    assert "已加入发送队列：%d 条" % count in out, out


def sends(fake, path):
    return fake.call("GET", "/_requests?path_prefix=" + path)["requests"]


def wait_sends(fake, path, n, timeout=30.0, pred=None):
    def matching():
        return [r for r in sends(fake, path) if pred is None or pred(r)]
    wait_until(lambda: len(matching()) >= n, "%d requests to %s" % (n, path), timeout)
    return matching()


def settled(d, want, timeout=30.0):
    """Waits until the outbox's rows, counted by state, are `want`: the
    daemon has recorded the end of every send, so no request is left that
    could still reach the fake."""
    wait_until(lambda: rows(d, "SELECT state, count(*) FROM outbox GROUP BY state") == want,
               "outbox rows %s" % want, timeout)


def robot_text(r):
    return json.loads(r["body"])["text"]["content"]


def pump(d):
    """Reads what cqod has logged so far without waiting for more: at debug
    level a fast drain fills the stderr pipe, and a full pipe stalls cqod."""
    fd = d.proc.stderr.fileno()
    data = getattr(d, "pump_rest", b"")
    while select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    # A line cut between two reads waits for its end.
    *lines, d.pump_rest = data.split(b"\n")
    d.log.extend(l.decode("utf-8", "replace") for l in lines)


def rows(d, sql, *args):
    with sqlite3.connect(d.db) as db:
        return db.execute(sql, args).fetchall()


def metric(d, name, labels=""):
    _, data, _ = d.request("GET", "/metrics")
    m = re.search(r"^%s%s (\S+)$" % (re.escape(name), re.escape(labels)), data.decode(), re.M)
    return float(m.group(1)) if m else None


def test_outbox_burst_drains_at_the_configured_rate():
    """200 queued for one group robot at 1,200 a minute (the documented 20
    scaled by 60): in order, once each, never 21 within 1 s (the platform's
    minute scaled the same way), and no slower than the rate needs."""
    rate = 1200
    with Fake() as fake, Daemon(config(fake.base, "robot_per_minute = %d" % rate),
                                seed=None).start() as d:
        enqueue(d, ROBOT, "批量", 200)
        reqs = wait_sends(fake, ROBOT_PATH, 200, timeout=90)
        assert [robot_text(r) for r in reqs] == ["批量（%d/200）" % i for i in range(1, 201)]
        assert all(r["query"]["key"] == "grp-key" for r in reqs)
        times = [r["time"] for r in reqs]
        window, limit, interval = 60.0 / 60, 20, 60.0 / rate
        for i in range(len(times) - limit):
            assert times[i + limit] - times[i] >= window - JITTER_S, (i, times[i:i + limit + 1])
        span = times[-1] - times[0]
        assert span >= 199 * interval - JITTER_S, span
        assert span <= 199 * interval * 1.5 + 2, span
        # Every row settled as sent: nothing is left that could go out again.
        settled(d, [("sent", 200)])
        assert len(sends(fake, ROBOT_PATH)) == 200
        assert metric(d, "cqod_outbox_sends_total", '{platform="wecom",outcome="ok"}') == 200
        assert metric(d, "cqod_outbox_depth") == 0


def test_outbox_unpaced_batch_keeps_order_through_a_failure():
    """Rate limits off: a group's due rows are claimed together (all
    inflight while the first request is answered slowly) and still sent one
    at a time, in order. A 500 on the fourth puts the rows behind it back
    unsent; they follow its retry, each message arriving once."""
    with Fake() as fake, Daemon(config(fake.base, "robot_per_minute = 0"),
                                seed=None).start() as d:
        fake.script(ROBOT_PATH, [{"delay_ms": 1000}, {}, {}, {"status": 500, "body": "oops"}])
        enqueue(d, ROBOT, "成批", 8)
        wait_sends(fake, ROBOT_PATH, 1, timeout=10)
        assert rows(d, "SELECT count(*) FROM outbox WHERE state = 'inflight'") == [(8,)]
        reqs = wait_sends(fake, ROBOT_PATH, 9, timeout=30)
        settled(d, [("sent", 8)])
        texts = [robot_text(r) for r in sends(fake, ROBOT_PATH)]
        assert texts == ["成批（%d/8）" % i for i in (1, 2, 3, 4, 4, 5, 6, 7, 8)], texts
        assert [r["status"] for r in reqs[:5]] == [200, 200, 200, 500, 200]
        assert rows(d, "SELECT attempts FROM outbox ORDER BY id") == [(0,)] * 3 + [(1,)] + [
            (0,)] * 4
        times = [r["time"] for r in reqs]
        assert times == sorted(times)


def test_outbox_batch_outcomes_committed_while_it_runs():
    """Rate limits off, each answer 0.3 s: the outcomes of a batch's first
    rows are committed while its last rows are still to go (a group commit
    per tick, not only at the batch's end). A kill -9 then resends only what
    was not yet settled, and every message arrives."""
    with Fake() as fake, Daemon(config(fake.base, "robot_per_minute = 0"), seed=None) as d:
        fake.script(ROBOT_PATH, [{"delay_ms": 300}] * 8)
        d.start()
        enqueue(d, ROBOT, "分批", 8)
        wait_sends(fake, ROBOT_PATH, 4, timeout=10)
        wait_until(lambda: rows(d, "SELECT count(*) FROM outbox WHERE state = 'sent'")[0][0] >= 2,
                   "outcomes committed during the batch", 1.0)
        assert len(sends(fake, ROBOT_PATH)) < 8
        d.proc.kill()
        d.proc.wait()
        settled_at_kill = rows(d, "SELECT count(*) FROM outbox WHERE state = 'sent'")[0][0]
        d.start()
        settled(d, [("sent", 8)])
        got = [robot_text(r) for r in sends(fake, ROBOT_PATH)]
        assert set(got) == {"分批（%d/8）" % i for i in range(1, 9)}, got
        assert len(got) - 8 <= 8 - settled_at_kill, (got, settled_at_kill)


def test_outbox_running_batch_is_topped_up_by_the_next_pass():
    """Rate limits off, each answer 0.3 s: rows queued for a group while its
    batch runs are claimed behind it by the next pass (a group commit's
    tick), not only once the batch has ended, so a drain costs no pass per
    batch's end. Every message arrives once, in order."""
    with Fake() as fake, Daemon(config(fake.base, "robot_per_minute = 0"),
                                seed=None).start() as d:
        fake.script(ROBOT_PATH, [{"delay_ms": 300}] * 8)
        enqueue(d, ROBOT, "先到", 4)
        wait_sends(fake, ROBOT_PATH, 1, timeout=10)
        enqueue(d, ROBOT, "后到", 4)
        wait_until(lambda: rows(d, "SELECT count(*) FROM outbox WHERE state = 'inflight'"
                                   " AND id > 4") == [(4,)],
                   "the later rows claimed behind the running batch", 3.0)
        # The first batch's fourth row had not gone yet.
        assert len(sends(fake, ROBOT_PATH)) < 4
        settled(d, [("sent", 8)])
        texts = [robot_text(r) for r in sends(fake, ROBOT_PATH)]
        assert texts == ["先到（%d/4）" % i for i in range(1, 5)] + [
            "后到（%d/4）" % i for i in range(1, 5)], texts


def test_outbox_burst_for_one_group_does_not_hold_up_others():
    """1,000 queued for one group at 20 a minute take 50 minutes; a message
    for another group queued after them goes at once."""
    with Fake() as fake, Daemon(config(fake.base, robots=("grp", "other")),
                                seed=None).start() as d:
        enqueue(d, ROBOT, "积压", 1000)
        wait_sends(fake, ROBOT_PATH, 1, timeout=10)
        enqueue(d, "wecom|other|robot|0|", "插队")
        reqs = wait_sends(fake, ROBOT_PATH, 1, timeout=5,
                          pred=lambda r: r["query"]["key"] == "other-key")
        assert robot_text(reqs[0]) == "插队"
        # Meanwhile the group kept its pace: one every 3 s.
        grp = [r for r in sends(fake, ROBOT_PATH) if r["query"]["key"] == "grp-key"]
        assert len(grp) <= 1 + (reqs[0]["time"] - grp[0]["time"]) // 3, len(grp)


def test_outbox_rate_holds_across_a_restart():
    """At the default 20 a minute (3 s apart): the daemon killed right after
    a send and started again still waits the 3 s before the next one."""
    with Fake() as fake, Daemon(config(fake.base), seed=None).start() as d:
        enqueue(d, ROBOT, "重启前", 2)
        wait_sends(fake, ROBOT_PATH, 2, timeout=15)
        d.proc.kill()
        d.proc.wait()
        d.start()
        enqueue(d, ROBOT, "重启后")
        wait_sends(fake, ROBOT_PATH, 1, timeout=15, pred=lambda r: robot_text(r) == "重启后")
        reqs = sends(fake, ROBOT_PATH)
        times = [r["time"] for r in reqs]
        for a, b in zip(times, times[1:]):
            assert b - a >= 3.0 - JITTER_S, times
        assert robot_text(reqs[-1]) == "重启后"


WECOM_APP = ("\n[wecom:wa]\ncorp_id = ww-paced\nagent_id = 1000002\nsecret = wa-secret\n"
             "token = t\naes_key = abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\napi_base = %s\n")


def test_outbox_wecom_member_hour_holds_across_a_restart():
    """WeCom drops a member's messages beyond 1,000 an hour without an error:
    at the defaults a member's messages go 3.6 s apart (not the minute's 2 s),
    and a daemon killed right after a send still waits them after its start."""
    member, path = "wecom|wa|user|0|zhangsan", "/cgi-bin/message/send"
    with Fake() as fake, Daemon(config(fake.base) + WECOM_APP % fake.base,
                                seed=None).start() as d:
        enqueue(d, member, "整点前", 2)
        wait_sends(fake, path, 2, timeout=15)
        d.proc.kill()
        d.proc.wait()
        d.start()
        enqueue(d, member, "重启后")
        wait_sends(fake, path, 3, timeout=15)
        times = [r["time"] for r in sends(fake, path)]
        assert len(times) == 3, times
        for a, b in zip(times, times[1:]):
            assert b - a >= 3.6 - JITTER_S, times


def test_outbox_feishu_app_bucket_spans_its_chats():
    """Feishu limits message sending per app as well as per chat: at an app
    rate of 120 a minute (0.5 s) and no per-chat limit, three messages to
    each of two chats go 0.5 s apart in all, not at once."""
    rates = "feishu_per_second = 0\nfeishu_app_per_minute = 120\n"
    with Fake() as fake, Daemon(config(fake.base, rates), seed=None).start() as d:
        enqueue(d, "feishu|f|chat|0|oc_app_a", "甲", 3)
        enqueue(d, "feishu|f|chat|0|oc_app_b", "乙", 3)
        reqs = wait_sends(fake, FEISHU_PATH, 6, timeout=20)
        assert len(reqs) == 6, reqs
        times = [r["time"] for r in reqs]
        for a, b in zip(times, times[1:]):
            assert b - a >= 0.5 - JITTER_S, times
        settled(d, [("sent", 6)])


def test_outbox_rate_limited_token_expired_500_then_delivered_once():
    """Feishu answers 429 (reset 1 s), then "token invalid" (cqod refreshes
    and retries once the chat's rate token is back), then 500, then success:
    each of 3 messages arrives exactly once, in order, every attempt of one
    with the same uuid."""
    with Fake() as fake, Daemon(config(fake.base), seed=None).start() as d:
        fake.script(FEISHU_PATH, [
            {"status": 429, "body": {"code": 99991400, "msg": "too many requests"},
             "headers": {"x-ogw-ratelimit-reset": "1"}},
            {"status": 400, "body": {"code": 99991663, "msg": "Invalid access token"}},
            {"status": 500, "body": "oops"},
        ])
        enqueue(d, FEISHU_CHAT, "飞书", 3)
        wait_sends(fake, FEISHU_PATH, 3, timeout=30, pred=lambda r: r["status"] == 200)
        settled(d, [("sent", 3)])
        reqs = sends(fake, FEISHU_PATH)
        assert [r["status"] for r in reqs] == [429, 400, 500, 200, 200, 200]
        texts = [json.loads(json.loads(r["body"])["content"])["text"] for r in reqs]
        assert texts == ["飞书（1/3）"] * 4 + ["飞书（2/3）", "飞书（3/3）"]
        uuids = [json.loads(r["body"])["uuid"] for r in reqs]
        assert len(set(uuids[:4])) == 1 and len(set(uuids)) == 3, uuids
        assert reqs[3]["query"]["receive_id_type"] == "chat_id"
        assert [r["headers"]["authorization"] for r in reqs[:3]] == ["Bearer tok-1"] * 2 + [
            "Bearer tok-2"]
        # The 429 was waited out for the second it asked, not counted.
        assert reqs[1]["time"] - reqs[0]["time"] >= 1.0 - JITTER_S
        # The retry with the new token kept the default 5 a second.
        assert reqs[2]["time"] - reqs[1]["time"] >= 0.2 - JITTER_S
        assert rows(d, "SELECT attempts, state FROM outbox ORDER BY id") == [
            (1, "sent"), (0, "sent"), (0, "sent")]
        assert metric(d, "cqod_outbox_sends_total", '{platform="feishu",outcome="rate_limited"}') == 1
        assert metric(d, "cqod_outbox_sends_total", '{platform="feishu",outcome="transient"}') == 1
        assert metric(d, "cqod_outbox_retries_total") == 2
        log = "\n".join(d.drain_log())
        assert FEISHU_SECRET not in log and "飞书" not in log and "tok-1" not in log


# One app destination per platform whose token is refused once: its send
# path, the fake's scripted refusal, and where a request carries the token.
TOKEN_CASES = [
    ("wecom|wa|user|0|zhangsan", "/cgi-bin/message/send",
     {"body": {"errcode": 42001, "errmsg": "access_token expired"}},
     lambda r: r["query"]["access_token"]),
    ("dingtalk|da|chat|0|cid-paced", "/v1.0/robot/groupMessages/send",
     {"status": 401, "body": {"code": "InvalidAuthentication", "message": "token invalid"}},
     lambda r: r["headers"]["x-acs-dingtalk-access-token"]),
    ("feishu|f|chat|0|oc_paced", FEISHU_PATH,
     {"status": 400, "body": {"code": 99991663, "msg": "Invalid access token"}},
     lambda r: r["headers"]["authorization"].replace("Bearer ", "")),
]


def test_outbox_retry_after_refused_token_keeps_the_pace():
    """Each platform refuses the first send's token: cqod fetches a new one
    and sends again, but only once the destination's rate token is back, so
    its interval (1 s here: every limit at 60 a minute) separates the refused
    request from the retry, and the retry from the next message, as it does
    any two requests to one destination."""
    interval = 1.0
    rates = ("robot_per_minute = 60\nwecom_app_per_minute = 60\nwecom_app_per_hour = 3600\n"
             "feishu_per_second = 1\n")
    with Fake() as fake:
        text = config(fake.base, rates) + (
            "\n[wecom:wa]\ncorp_id = ww-paced\nagent_id = 1000002\nsecret = wa-secret\n"
            "token = t\naes_key = abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\napi_base = %s\n"
            "\n[dingtalk:da]\napp_key = da-key\napp_secret = da-secret\nrobot_code = da-robot\n"
            "api_base = %s\noapi_base = %s\n" % (fake.base, fake.base, fake.base))
        with Daemon(text, seed=None).start() as d:
            for dest, path, refused, _ in TOKEN_CASES:
                fake.script(path, [refused])
                enqueue(d, dest, "续发", 2)
            gaps = {}
            for dest, path, _, token in TOKEN_CASES:
                reqs = wait_sends(fake, path, 3, timeout=30)
                assert len(reqs) == 3, (dest, reqs)
                assert [token(r) for r in reqs] == ["tok-1", "tok-2", "tok-2"], (dest, reqs)
                assert [r["status"] for r in reqs[1:]] == [200, 200], (dest, reqs)
                # The retry is the first message again, then the second one.
                assert reqs[1]["body"] == reqs[0]["body"], dest
                assert reqs[2]["body"] != reqs[1]["body"], dest
                times = [r["time"] for r in reqs]
                gaps[dest] = [b - a for a, b in zip(times, times[1:])]
            # Every platform checked before any failure is reported.
            assert all(g >= interval - JITTER_S for v in gaps.values() for g in v), gaps
            settled(d, [("sent", 6)])
            assert rows(d, "SELECT state, attempts, count(*) FROM outbox GROUP BY state, attempts"
                        ) == [("sent", 0, 6)]
            log = "\n".join(d.drain_log())
            for secret in ("wa-secret", "da-secret", FEISHU_SECRET, "tok-1", "tok-2"):
                assert secret not in log, secret


def test_outbox_permanent_error_dead_letters_and_tells_admins_once():
    with Fake() as fake, Daemon(config(fake.base, "robot_per_minute = 600\n"
                                       "admin_dest = dingtalk|admins|robot|0|")).start() as d:
        d.ctl("grant generic u-admin admin")
        bad = {"body": {"errcode": 93000, "errmsg": "invalid webhook url"}}
        fake.script(ROBOT_PATH, [bad, bad])
        enqueue(d, ROBOT, "坏地址", 2)
        notices = wait_sends(fake, "/robot/send", 1, timeout=15)
        # Both rows dead and the notice sent: what one notice was for is over.
        wait_until(lambda: rows(d, "SELECT state, count(*) FROM outbox WHERE destination = ?"
                                   " GROUP BY state", ROBOT) == [("dead", 2)]
                   and not rows(d, "SELECT id FROM outbox WHERE state IN ('pending', 'inflight')"),
                   "both rows dead, nothing else pending")
        notices = sends(fake, "/robot/send")
        assert len(notices) == 1, notices
        assert notices[0]["query"]["access_token"] == "admins-token"
        text = json.dumps(json.loads(notices[0]["body"]), ensure_ascii=False)
        assert "消息投递失败" in text and "累计失败" in text and "cqoctl outbox" in text, text
        assert len(sends(fake, ROBOT_PATH)) == 2
        dead = rows(d, "SELECT last_error FROM outbox WHERE state = 'dead'")
        assert len(dead) == 2 and all("93000" in e for (e,) in dead), dead
        assert metric(d, "cqod_outbox_dead") == 2
        assert metric(d, "cqod_outbox_dead_total") == 2
        status, body = d.webhook("队列", "q-1")
        assert status == 200 and not body["reply"]["error"], body
        assert "投递失败：2 条" in body["reply"]["text"], body
        assert "cqoctl outbox retry --dead" in body["reply"]["text"]
        # The operator's retry reaches the running daemon within a second or so
        # (PRAGMA data_version); the fake now says yes.
        out = d.ctl("outbox", "--state", "dead")
        assert out.count("\tdead\t") == 2 and "93000" in out and "坏地址" not in out, out
        assert "2 条投递失败的消息将立即重发" in d.ctl("outbox", "retry", "--dead")
        wait_sends(fake, ROBOT_PATH, 4, timeout=10)
        wait_until(lambda: rows(d, "SELECT state, count(*) FROM outbox WHERE destination = ?"
                                   " GROUP BY state", ROBOT) == [("sent", 2)], "the retries sent")
        # Still told once, now that the daemon has run well past the deaths.
        assert len(sends(fake, "/robot/send")) == 1


def recovered_in(log):
    """Rows a start found inflight, as cqod logs them."""
    found = (re.search(r"outbox: (\d+) message\(s\) were being sent", l) for l in log)
    return sum(int(m.group(1)) for m in found if m)


def test_outbox_kill9_loop_loses_nothing():
    """1,000 messages to four group robots, rate limits off; cqod is killed
    with SIGKILL at random moments of the drain (after a random number of
    further requests) and restarted, five times, then left to finish. Every message arrives; a message arrives twice only if it was
    in flight at a kill (the rows cqod found inflight at its next start)."""
    robots = ("r0", "r1", "r2", "r3")
    rnd = random.Random(int(os.environ.get("CQOD_TEST_SEED", "0")) or None)
    with Fake() as fake, Daemon(config(fake.base, "robot_per_minute = 0", robots=robots),
                                seed=None) as d:
        for name in robots:
            enqueue(d, "wecom|%s|robot|0|" % name, name, 250)
        recovered = kills = 0
        at_kills = []
        while True:
            # Not settled: the drain runs from the start, and the kills are to
            # come while it does.
            d.start(settled=False)
            d.pump_rest = b""
            if kills == 5:
                break
            # At a random point of the drain: once some more have arrived.
            target = len(sends(fake, ROBOT_PATH)) + rnd.randint(10, 150)
            deadline = time.monotonic() + 30
            while len(sends(fake, ROBOT_PATH)) < target and time.monotonic() < deadline:
                pump(d)
                time.sleep(0.002)
            d.proc.kill()
            d.proc.wait()
            kills += 1
            at_kills.append(len(sends(fake, ROBOT_PATH)))
            recovered += recovered_in(d.drain_log())
        deadline = time.monotonic() + 60
        while rows(d, "SELECT count(*) FROM outbox WHERE state <> 'sent'")[0][0]:
            assert time.monotonic() < deadline, "not drained"
            pump(d)
            time.sleep(0.1)
        recovered += recovered_in(d.drain_log())
        reqs = sends(fake, ROBOT_PATH)
        got = [(r["query"]["key"], robot_text(r)) for r in reqs]
        distinct = set(got)
        want = {("%s-key" % n, "%s（%d/250）" % (n, i)) for n in robots for i in range(1, 251)}
        assert distinct == want, len(want - distinct)
        duplicates = len(got) - len(distinct)
        print("    kill -9 x%d (after %s requests): %d messages, %d requests, %d duplicates, "
              "%d in flight at the kills" % (kills, at_kills, len(want), len(got), duplicates,
                                             recovered))
        # The kills came while the messages drained, not after.
        assert at_kills[-1] < len(want), at_kills
        assert duplicates <= recovered, (duplicates, recovered)
        # Per robot, the order held: each message's first arrival comes after
        # the previous message's first arrival.
        for n in robots:
            firsts = []
            for key, text in got:
                if key == "%s-key" % n and text not in firsts:
                    firsts.append(text)
            assert firsts == ["%s（%d/250）" % (n, i) for i in range(1, 251)]


def test_outbox_reply_falls_back_when_the_direct_answer_fails():
    """The Feishu reply API answers 500: the answer is queued and delivered
    from the outbox, same body and uuid, exactly once."""
    with Fake() as fake, Daemon(config(fake.base)).start() as d:
        fake.script("/open-apis/im/v1/messages/", [{"status": 500, "body": "busy"}])
        feishu_post(d, "ev-ob-1", "om_ob_1")
        reqs = wait_sends(fake, "/open-apis/im/v1/messages/om_ob_1/reply", 2, timeout=15)
        settled(d, [("sent", 1)])
        reqs = sends(fake, "/open-apis/im/v1/messages/om_ob_1/reply")
        assert [r["status"] for r in reqs] == [500, 200]
        assert reqs[0]["body"] == reqs[1]["body"]
        assert rows(d, "SELECT idem_key, state FROM outbox") == [
            ("reply:feishu:f:ev-ob-1#1", "sent")]
        d.wait_log(r"reply part 1 of 1 queued in the outbox")


def test_answer_retry_after_refused_token_keeps_the_pace():
    """An answer's fast path takes the same rate token as the outbox: when
    the Feishu reply API refuses the access token, the retry with a new one
    waits for the chat's interval (1 s here) like any other request."""
    with Fake() as fake, Daemon(config(fake.base, "feishu_per_second = 1\n")).start() as d:
        path = "/open-apis/im/v1/messages/om_tok_1/reply"
        fake.script("/open-apis/im/v1/messages/",
                    [{"status": 400, "body": {"code": 99991663, "msg": "Invalid access token"}}])
        feishu_post(d, "ev-tok-1", "om_tok_1")
        reqs = wait_sends(fake, path, 2, timeout=15)
        assert [r["status"] for r in reqs] == [400, 200], reqs
        tokens = [r["headers"]["authorization"] for r in reqs]
        assert tokens[0] != tokens[1] and reqs[0]["body"] == reqs[1]["body"], reqs
        assert reqs[1]["time"] - reqs[0]["time"] >= 1.0 - JITTER_S, reqs
        settled(d, [("sent", 1)])
        assert rows(d, "SELECT idem_key, state FROM outbox") == [
            ("reply:feishu:f:ev-tok-1#1", "sent")]


def test_queue_command_roles():
    with Fake() as fake, Daemon(config(fake.base)) as d:
        for g in ("generic u-admin admin", "generic clerk-ls clerk 371302",
                  "generic clerk-xa clerk 610113", "generic org organizer 1",
                  "generic cqo-zs cqo 2"):
            d.ctl("grant " + g)
        d.start()
        # An instance that does not exist: refused by the sender, dead at once.
        enqueue(d, "wecom|nosuch|robot|0|", "无处投递")
        wait_until(lambda: rows(d, "SELECT count(*) FROM outbox WHERE state = 'dead'")[0][0] >= 1,
                   "the row dead", 10)
        for n, (who, chat) in enumerate([("u-admin", "private"), ("u-admin", "group")]):
            for word in ("队列", "queue", "QUEUE"):
                status, body = d.webhook(word, "qa-%d-%s" % (n, word), sender=who,
                                         chat_type=chat)
                text = body["reply"]["text"]
                assert status == 200 and not body["reply"]["error"], body
                assert "发送队列" in text and "待发送：0 条（其中正在发送 0 条）" in text, text
                assert "最早到期：无" in text and "投递失败：1 条" in text, text
        status, body = d.webhook("队列 多余", "qa-usage", sender="u-admin")
        assert body["reply"]["error"] and "用法：队列" in body["reply"]["text"], body
        for who in ("clerk-ls", "clerk-xa", "org", "cqo-zs", "stranger"):
            status, body = d.webhook("队列", "qd-" + who, sender=who)
            assert status == 200 and body["reply"]["error"], body
            assert "您没有权限使用“队列”" in body["reply"]["text"], body
        for name in ("cqod_outbox_depth", "cqod_outbox_oldest_age_seconds",
                     "cqod_outbox_dead"):
            assert metric(d, name) is not None, name


def test_queue_shows_oldest_due_while_paced():
    with Fake() as fake, Daemon(config(fake.base, "robot_per_minute = 1"), seed=None) as d:
        d.ctl("grant generic u-admin admin")
        d.start()
        enqueue(d, ROBOT, "慢", 3)
        wait_sends(fake, ROBOT_PATH, 1, timeout=10)
        wait_until(lambda: (metric(d, "cqod_outbox_oldest_age_seconds") or 0) >= 1,
                   "the oldest due row a second old")
        status, body = d.webhook("队列", "qs-1", sender="u-admin")
        text = body["reply"]["text"]
        assert "待发送：2 条（其中正在发送 0 条）" in text, text
        assert re.search(r"最早到期：\d{4}-\d\d-\d\d \d\d:\d\d（已等待 \d+ 秒）", text), text
        assert metric(d, "cqod_outbox_depth") == 2
        assert metric(d, "cqod_outbox_oldest_age_seconds") >= 1


def test_cqoctl_outbox_commands_and_errors():
    with Daemon(seed=None) as d:
        assert "队列中没有符合条件的消息" in d.ctl("outbox")
        enqueue(d, "wecom|office|user|0|zhangsan", "你好", 3)
        out = d.ctl("outbox", "--limit", "2")
        lines = out.splitlines()
        assert lines[0].startswith("编号\t状态\t目的地") and len(lines) == 3, out
        assert lines[1].startswith("3\tpending\twecom|office|user|0|zhangsan\t0\t"), out
        assert "你好" not in out
        assert d.ctl("outbox", "--state", "sent").strip() == "队列中没有符合条件的消息"
        assert "消息 2 将立即发送" in d.ctl("outbox", "retry", "2")
        assert "已删除消息 1" in d.ctl("outbox", "drop", "1")
        assert rows(d, "SELECT id FROM outbox ORDER BY id") == [(2,), (3,)]
        for args, status, want in [
                (("outbox", "--state", "done"), 2, "--state 应为"),
                (("outbox", "--limit", "0"), 2, "--limit 应为"),
                (("outbox", "frobnicate"), 2, "动作应为"),
                (("outbox", "retry"), 2, "参数个数不对"),
                (("outbox", "retry", "x"), 2, "消息编号应为正整数"),
                (("outbox", "retry", "99"), 1, "没有编号为 99 的消息"),
                (("outbox", "drop", "99"), 1, "没有编号为 99 的消息"),
                (("outbox", "send", "--text", "x"), 2, "send 需要 --dest 和 --text"),
                (("outbox", "send", "--dest", ROBOT), 2, "send 需要 --dest 和 --text"),
                (("outbox", "send", "--dest", "wecom|a|pigeon|0|x", "--text", "x"), 2,
                 "目的地“wecom|a|pigeon|0|x”无效"),
                (("outbox", "send", "--dest", "generic|a|user|0|x", "--text", "x"), 2, "无效"),
                (("outbox", "send", "--dest", ROBOT, "--text", "x", "--count", "0"), 2,
                 "--count 应为"),
        ]:
            rc, out, err = ctl_run(d, *args)
            assert rc == status and want in err, (args, rc, out, err)
        assert rows(d, "SELECT count(*) FROM outbox")[0][0] == 2
        rc, out, _ = ctl_run(d, "outbox", "--help")
        assert rc == 0 and "cqoctl outbox send --dest" in out
        rc, out, _ = ctl_run(d, "--help")
        assert rc == 0 and "outbox" in out


def test_outbox_console_shows_pushes():
    """At the console there is no platform: what the daemon would push to
    others is printed, marked with its destination, and settled as sent."""
    with Daemon(seed=None) as d:
        enqueue(d, "wecom|office|user|0|zhangsan", "任期提醒")
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input="队列\n", capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert "【推送 → wecom|office|user|0|zhangsan】\n任期提醒\n" in r.stdout, r.stdout
        assert "发送队列" in r.stdout, r.stdout
        assert rows(d, "SELECT state FROM outbox") == [("sent",)]


def test_outbox_one_deliverer_per_database():
    """A console opened on the database of a running daemon leaves the
    outbox to the daemon: it neither shows nor settles its messages."""
    with Fake() as fake, Daemon(config(fake.base), seed=None).start() as d:
        enqueue(d, ROBOT, "只发一次")
        wait_sends(fake, ROBOT_PATH, 1, timeout=10)
        enqueue(d, ROBOT, "控制台开着")
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input="", capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert "【推送" not in r.stdout, r.stdout
        assert "another cqod process delivers the messages" in r.stderr, r.stderr
        reqs = wait_sends(fake, ROBOT_PATH, 2, timeout=10)
        assert [robot_text(q) for q in reqs] == ["只发一次", "控制台开着"]


def test_outbox_config_checked():
    with Daemon(seed=None) as d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "-n", "-c", d.config]
        for bad, want in [("admin_dest = wecom|x|robot", "admin_dest: expected a destination"),
                          ("max_age_hours = 0", "max_age_hours: expected an integer from 1"),
                          ("feishu_per_second = 1001", "feishu_per_second: expected an integer")]:
            d.write_config("[outbox]\n%s\n" % bad)
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            assert r.returncode == 1 and want in r.stderr, (bad, r.stderr)
        d.write_config("[outbox]\nadmin_dest = feishu|f|chat|0|oc_1\nrobot_per_minute = 0\n")
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        assert r.returncode == 0 and "configuration OK" in r.stdout, r.stderr


def test_start_waits_for_a_write_lock_held_elsewhere():
    """A daemon started while another process holds the write lock for a
    moment (a cqoctl chunk; its own checkpoint worker's restart right after
    the migrations) waits for it before it serves, instead of exiting: then a
    message a stopped daemon left in flight and the one queued after it go
    out, in order."""
    with Fake() as fake, Daemon(config(fake.base, "robot_per_minute = 0"), seed=None) as d:
        enqueue(d, ROBOT, "甲")
        enqueue(d, ROBOT, "乙")
        db = sqlite3.connect(d.db, isolation_level=None)
        db.execute("UPDATE outbox SET state = 'inflight', sent_at = 1 WHERE id = 1")
        db.execute("BEGIN IMMEDIATE")
        d.start(wait=False)
        time.sleep(1.0)
        alive = d.proc.poll() is None
        db.execute("COMMIT")
        db.close()
        assert alive, "\n".join(d.drain_log()[-5:])
        line = d.wait_log(r"listening on .*\(port (\d+)\)", 20)
        d.port = int(re.search(r"\(port (\d+)\)", line).group(1))
        d.wait_log(r"outbox: 1 message\(s\) were being sent when cqod stopped")
        reqs = wait_sends(fake, ROBOT_PATH, 2)
        assert ["甲" in r["body"] for r in reqs] == [True, False], reqs
        assert "乙" in reqs[1]["body"], reqs
        settled(d, [("sent", 2)])
        assert d.webhook("我是谁", "after-lock")[0] == 200
