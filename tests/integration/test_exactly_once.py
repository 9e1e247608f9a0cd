"""Exactly once, and honest answers (issue 12), end to end.

Every message here is a 培训 (training) entry for record 2 of the demo with
its own certificate number ("EO-G-00042"), so its effect is one row of
`trainings` that the test finds by that number, and its answer (which quotes
the number) can be recognized wherever it arrives.

What cqod must do, and these tests check from the outside:

1. A message's effect, audit rows, outbox rows and its id commit in one
   transaction, and the platform is answered only after the COMMIT; a retry
   of a committed message is a duplicate and runs nothing.
2. Every answer survives a crash. The generic adapter answers in the HTTP
   response, and a duplicate is answered 200 with the stored reply of the
   first run ({"ok":true,"duplicate":true,"reply":{...}}); on the chat
   platforms the answer arrives at the platform (WeCom's passive reply, or
   the fake API / session webhook) at least once and at most twice.
3. A failure that may pass (disk full, database locked, I/O error) is not
   acknowledged: the platform is told to retry (generic and Feishu: 503;
   WeCom and DingTalk: the connection is closed without an answer).
4. The loop never waits on a lock: /livez answers while another process
   holds the write lock, and the messages are retried until they succeed.
5. /healthz says "store":"full" (503) once a write failed for lack of space,
   until a write succeeds again (an idle daemon probes by itself).

The tests: 2,000 generic messages sent twice while cqod is killed 20
times; 200 each through WeCom, DingTalk and Feishu killed 8 times, each
client retrying the way its platform documents (compressed in time); the
database on a tmpfs filled up and freed three times (root only, skipped
otherwise); another process holding the write lock for 10 s while /livez
is polled; and one message per platform while the lock is held. Each
prints its figures. CQOD_TEST_SEED fixes the random choices (the kill
moments, the order of the copies); the seed is printed. Helpers:
chaos.py."""
import datetime
import json
import os
import random
import re
import socket
import sqlite3
import threading
import time

from chaos import (RETRIABLE, Ledger, LivePoller, Supervised, Tmpfs, call, drive, join_all,
                   kill_loop)
from harness import NOBODY, Daemon, signed, sized
from platforms import (FakePlatform, ding_body, ding_sign, ding_ts, feishu_event, platform_config,
                       wecom_encrypt, wecom_envelope, wecom_inner, wecom_open_reply,
                       wecom_query, xml_field, WECOM_AES, WECOM_CORP)

SEED = int(os.environ.get("CQOD_TEST_SEED", "0")) or random.randrange(1, 1 << 31)
# The day before today in UTC, so never after today in China: a training
# may not be dated in the future.
DAY = (datetime.datetime.now(datetime.timezone.utc).date() -
       datetime.timedelta(days=1)).isoformat()
# Replies to the fake platform are not paced: hundreds of answers to one
# user would take minutes at the platforms' real limits.
UNPACED = ("\n[outbox]\nrobot_per_minute = 0\nwecom_app_per_minute = 0\n"
           "wecom_app_per_hour = 0\nfeishu_per_second = 0\nfeishu_app_per_minute = 0\n")
MARKER = re.compile(r"EO-[A-Z]-\d{5}")


def rng(name):
    r = random.Random("%d/%s" % (SEED, name))
    print("    seed %d (CQOD_TEST_SEED)" % SEED)
    return r


def marker(kind, i):
    return "EO-%s-%05d" % (kind, i)


def training(mark):
    return "培训 2 线上自学 %s 0.5 %s" % (DAY, mark)


def send_order(n, rnd, together=0.25):
    """Message keys 0..n-1, each twice: for a quarter of them the second
    copy right behind the first (two workers send them at the same moment),
    for the rest at a random later point of the run."""
    keyed = []
    for i in range(n):
        keyed.append((i, 0, i))
        if rnd.random() < together:
            keyed.append((i, 1, i))
        else:
            keyed.append((rnd.uniform(i + 1, n + 8), 2, i))
    keyed.sort()
    return [k for _, _, k in keyed]


def backoff(base, cap):
    """Growing pauses with jitter: base, 2*base, ... at most cap seconds."""
    return lambda n: min(cap, base * 2 ** min(n - 1, 10)) * random.uniform(0.5, 1.0)


def effects(db, kind):
    """({marker: rows in trainings}, rows without exactly one audit row)."""
    c = sqlite3.connect(db, timeout=10)
    try:
        like = "EO-%s-%%" % kind
        counts = dict(c.execute("SELECT certificate_no, count(*) FROM trainings"
                                " WHERE certificate_no LIKE ? GROUP BY certificate_no", (like,)))
        unaudited = c.execute(
            "SELECT count(*) FROM trainings t WHERE certificate_no LIKE ? AND"
            " (SELECT count(*) FROM audit_log a WHERE a.entity = 'training'"
            "  AND a.entity_id = t.id) <> 1", (like,)).fetchone()[0]
    finally:
        c.close()
    return counts, unaudited


def outbox_busy(db):
    """Outbox rows still to send, or None when the table cannot be read."""
    try:
        c = sqlite3.connect(db, timeout=5)
        try:
            return c.execute("SELECT count(*) FROM outbox"
                             " WHERE state IN ('pending', 'inflight')").fetchone()[0]
        finally:
            c.close()
    except sqlite3.Error:
        return None


def lost_and_double(keys, marks, counts, ledger):
    """Messages answered 200 (as new or as duplicates) whose effect is
    missing, and messages whose effect is there more than once."""
    lost = [k for k in keys if ledger.answers.get(k) and counts.get(marks[k], 0) == 0]
    double = [k for k in keys if counts.get(marks[k], 0) > 1]
    return lost, double


def check(problems):
    assert not problems, "\n    ".join([""] + problems)


# --- the generic adapter -------------------------------------------------------

def generic_bodies(kind, n, sender="u-admin"):
    bodies, marks = {}, {}
    for i in range(n):
        marks[i] = marker(kind, i)
        bodies[i] = json.dumps({"msg_id": "eo-%s-%05d" % (kind.lower(), i), "chat_id": "chat-eo",
                                "chat_type": "private", "sender_id": sender,
                                "sender_name": "测试用户", "text": training(marks[i])},
                               ensure_ascii=False).encode()
    return bodies, marks


def generic_attempt(sup, bodies, timeout=10.0):
    """One POST to the generic webhook. 200 is an answer; a 503 with
    {"ok":false,"error":...} or no answer at all (refused, reset, closed,
    timed out) is retried; anything else is a refusal (a bug here)."""
    def attempt(state, key):
        body = bodies[key]
        try:
            status, data, _ = call(state, sup, "POST", "/webhook/generic/test", body,
                                   dict(signed(body), **{"Content-Type": "application/json"}),
                                   timeout)
        except RETRIABLE as e:
            return "retry", "no answer (%s)" % type(e).__name__
        try:
            answer = json.loads(data)
        except ValueError:
            answer = None
        if status == 503:
            if isinstance(answer, dict) and answer.get("ok") is False and "error" in answer:
                return "retry", "503"
            return "refused", "503 without {ok:false,error}: %r" % data[:100]
        if status != 200 or not isinstance(answer, dict):
            return "refused", "HTTP %d %r" % (status, data[:160])
        answer["_at"] = time.monotonic()
        return "ok", answer
    return attempt


def generic_replies(keys, marks, ledger):
    """Figures of the answers: (duplicates answered, duplicates without the
    reply, new answers without a proper reply, messages whose 200 answers
    carry different replies, messages answered new more than once)."""
    dups = dups_bare = bad = mismatched = twice = 0
    for k in keys:
        texts, new = set(), 0
        for a in ledger.answers.get(k, []):
            dup = a.get("duplicate") is True
            dups += dup
            new += not dup
            reply = a.get("reply")
            text = reply.get("text") if isinstance(reply, dict) else None
            if not a.get("ok") or not text or marks[k] not in text or reply.get("error"):
                if dup:
                    dups_bare += 1
                else:
                    bad += 1
                continue
            texts.add(text)
        mismatched += len(texts) > 1
        twice += new > 1
    return dups, dups_bare, bad, mismatched, twice


# The fake stamps a request when it handles it, which can be a moment after
# the process that sent it was killed (seen: 1-2 ms): a kill this long before
# the first of two arrivals still separates them.
FAKE_LAG_S = 0.1


def repeated_without_a_kill(times, kill_times):
    """Whether two arrivals of one answer at the fake came from one process:
    no kill between them."""
    ts = sorted(times)
    return any(not any(a - FAKE_LAG_S < k < b for k in kill_times)
               for a, b in zip(ts, ts[1:]))


def test_generic_kill9_runs_each_message_once_and_answers_it():
    """2,000 training entries (500 under the sanitizers), each sent twice (a
    quarter of the pairs at the same moment), every copy retried until
    answered 200, while cqod is killed 20 times (8) at random moments and
    restarted. Then: no message
    answered without its effect, none applied twice, each with its audit
    row, and every copy's answer carries the reply (a duplicate the same
    reply as the first run)."""
    n, kills, threads = sized(2000, 500), sized(20, 8), 8
    rnd = rng("generic")
    with Daemon() as d:
        d.ctl("grant generic u-admin admin")
        sup = Supervised(d).start()
        bodies, marks = generic_bodies("G", n)
        tasks = send_order(n, rnd)
        ledger = Ledger()
        t0 = time.monotonic()
        deadline = t0 + 240
        workers = drive(tasks, generic_attempt(sup, bodies), ledger, threads, deadline,
                        backoff(0.005, 0.2))
        at = kill_loop(sup, ledger, len(tasks), kills, rnd, deadline)
        join_all(workers, deadline + 10)
        elapsed = time.monotonic() - t0
        status = sup.stop()
        counts, unaudited = effects(d.db, "G")
        keys = range(n)
        lost, double = lost_and_double(keys, marks, counts, ledger)
        dups, dups_bare, bad, mismatched, twice = generic_replies(keys, marks, ledger)
        replied = sum(1 for k in keys if any(
            marks[k] in ((a.get("reply") or {}).get("text") or "") for a in ledger.answers[k]))
        print("    generic: %d messages, %d copies in %.1f s, %d kills (at %s finished), "
              "%d retries %s, %d duplicates answered (%d without the reply), lost %d, "
              "double %d, unaudited %d, new answers without a proper reply %d, "
              "replies differing %d, messages with their reply %d/%d" % (
                  n, len(tasks), elapsed, sup.kills, at, ledger.total_retries(),
                  dict(ledger.retries), dups, dups_bare, len(lost), len(double), unaudited,
                  bad, mismatched, replied, n))
        problems = []
        if sup.kills < kills:
            problems.append("only %d kills before the last copy was answered" % sup.kills)
        if ledger.unanswered:
            problems.append("%d copies never answered 200 (e.g. message %s)" % (
                len(ledger.unanswered), ledger.unanswered[:5]))
        if ledger.refused:
            problems.append("%d copies refused: %s" % (len(ledger.refused), ledger.refused[:3]))
        if lost:
            problems.append("%d messages answered 200 but their training is missing: %s" % (
                len(lost), [marks[k] for k in lost[:8]]))
        if double:
            problems.append("%d messages applied twice: %s" % (
                len(double), [marks[k] for k in double[:8]]))
        if twice:
            problems.append("%d messages answered as new (duplicate=false) twice" % twice)
        if unaudited:
            problems.append("%d trainings without exactly one audit row" % unaudited)
        if dups_bare:
            problems.append("%d of %d duplicates answered without the stored reply" % (
                dups_bare, dups))
        if bad:
            problems.append("%d answers without a reply quoting their message" % bad)
        if mismatched:
            problems.append("%d messages got different replies for their copies" % mismatched)
        if replied < n:
            problems.append("%d messages never got their reply" % (n - replied))
        if status != 0:
            problems.append("exit status %s after SIGTERM" % status)
        if sup.sanitizer:
            problems.append("sanitizer: %s" % sup.sanitizer[:5])
        check(problems)


# --- WeCom, DingTalk, Feishu ---------------------------------------------------

def platform_drill(kind, grant, payloads, attempt, retry_backoff, passive=None, n=sized(200, 100),
                   kills=8, threads=6):
    """n training entries through one platform's webhook, each sent twice,
    retried as the platform does, while cqod is killed `kills` times at
    random moments. Then, with cqod still running, waits until every answer
    reached the fake platform and the outbox has nothing left to send, stops
    cqod and checks: none lost, none double, every answer arrived, and again
    only after a kill (one process sends an answer once; a kill between its
    send and the mark may send it once more — passive(answer) gives the
    markers a 200 answer itself delivered: WeCom's passive reply)."""
    rnd = rng(kind)
    with FakePlatform() as fake:
        d = Daemon(platform_config(fake.base) + UNPACED)
        with d:
            d.ctl(grant)
            sup = Supervised(d).start()
            bodies, marks = payloads(fake, n)
            tasks = send_order(n, rnd)
            ledger = Ledger()
            t0 = time.monotonic()
            deadline = t0 + 120
            workers = drive(tasks, attempt(sup, bodies), ledger, threads, deadline,
                            retry_backoff)
            at = kill_loop(sup, ledger, len(tasks), kills, rnd, deadline)
            join_all(workers, deadline + 10)

            inline = {}
            if passive:
                for k in range(n):
                    for a in ledger.answers.get(k, []):
                        for m in passive(a):
                            inline[m] = inline.get(m, 0) + 1

            def arrivals(times=None):
                got = dict(inline)
                for r in fake.requests():
                    if r["status"] == 200 and r["body"]:
                        for m in set(MARKER.findall(r["body"])):
                            got[m] = got.get(m, 0) + 1
                            if times is not None:
                                times.setdefault(m, []).append(r["time"])
                return got

            # The stragglers: until every answer is at the fake and the outbox
            # has nothing left to send, or nothing is left to send and nothing
            # more arrived for 2 s (what is missing then will not come).
            settle = time.monotonic() + 30
            last, changed = None, time.monotonic()
            while True:
                got = arrivals()
                busy = outbox_busy(d.db)
                now = time.monotonic()
                if got != last:
                    last, changed = got, now
                if all(got.get(marks[k]) for k in range(n)) and not busy:
                    break
                if (busy == 0 or busy is None) and now - changed > 2.0:
                    break
                if now > settle:
                    break
                time.sleep(0.2)
            status = sup.stop()
            times = {}
            got = arrivals(times)
            counts, unaudited = effects(d.db, kind)
        keys = range(n)
        lost, double = lost_and_double(keys, marks, counts, ledger)
        missing = [marks[k] for k in keys if not got.get(marks[k])]
        over = [(marks[k], got[marks[k]]) for k in keys
                if got.get(marks[k], 0) > 1 + sup.kills
                or repeated_without_a_kill(times.get(marks[k], []), sup.kill_times)]
        print("    %s: %d messages, %d copies, %d kills (at %s finished), %d retries %s, "
              "lost %d, double %d, unaudited %d, answers missing %d, arrived twice %d, "
              "three times %d, repeated without a kill %d, passive replies %d, refused %d" % (
                  kind, n, len(tasks), sup.kills, at, ledger.total_retries(),
                  dict(ledger.retries), len(lost), len(double), unaudited, len(missing),
                  sum(1 for k in keys if got.get(marks[k], 0) == 2),
                  sum(1 for k in keys if got.get(marks[k], 0) > 2),
                  len(over), sum(inline.values()), len(ledger.refused)))
        problems = []
        if sup.kills < kills:
            problems.append("only %d kills before the last copy was answered" % sup.kills)
        if ledger.unanswered:
            problems.append("%d copies never answered 200" % len(ledger.unanswered))
        if ledger.refused:
            problems.append("%d copies answered with an error the platform does not retry: "
                            "%s" % (len(ledger.refused), ledger.refused[:3]))
        if lost:
            problems.append("%d messages acknowledged but their training is missing: %s" % (
                len(lost), [marks[k] for k in lost[:8]]))
        if double:
            problems.append("%d messages applied twice: %s" % (
                len(double), [marks[k] for k in double[:8]]))
        if unaudited:
            problems.append("%d trainings without exactly one audit row" % unaudited)
        if missing:
            problems.append("%d answers never arrived: %s" % (len(missing), missing[:8]))
        if over:
            problems.append("%d answers repeated without a kill between the arrivals: %s" % (
                len(over), over[:5]))
        if busy:
            problems.append("%s outbox rows still unsent" % busy)
        if status != 0:
            problems.append("exit status %s after SIGTERM" % status)
        if sup.sanitizer:
            problems.append("sanitizer: %s" % sup.sanitizer[:5])
        check(problems)


def wecom_payloads(fake, n):
    """The encrypted envelope of each message (encrypted once: a retry only
    signs it again with a new timestamp and nonce)."""
    encs, marks = {}, {}
    for i in range(n):
        marks[i] = marker("W", i)
        encs[i] = wecom_encrypt(WECOM_AES, wecom_inner(training(marks[i]), sender="zhangsan",
                                                       msg_id=str(7100000000000000000 + i)),
                                WECOM_CORP)
    return encs, marks


def wecom_attempt(sup, encs):
    """WeCom waits 5 s for an answer and pushes the message again when the
    connection fails, times out or the answer is not 200."""
    def attempt(state, key):
        enc = encs[key]
        path = "/webhook/wecom/w1?" + wecom_query(enc, nonce=str(random.randrange(10 ** 9)))
        try:
            status, data, _ = call(state, sup, "POST", path, wecom_envelope(enc),
                                   {"Content-Type": "text/xml"}, timeout=5.0)
        except RETRIABLE as e:
            return "retry", "no answer (%s)" % type(e).__name__
        if status != 200:
            return "retry", "HTTP %d" % status
        return "ok", data
    return attempt


def wecom_passive(body):
    """The markers a WeCom answer delivered itself (its passive reply)."""
    if b"<Encrypt>" not in body:
        return []
    return MARKER.findall(xml_field(wecom_open_reply(body), "Content"))


def test_wecom_kill9_runs_each_message_once_and_answers_it():
    platform_drill("W", "grant wecom:w1 zhangsan admin", wecom_payloads, wecom_attempt,
                   backoff(0.01, 0.1), passive=wecom_passive)


def ding_payloads(fake, n):
    bodies, marks = {}, {}
    for i in range(n):
        marks[i] = marker("D", i)
        bodies[i] = ding_body(fake, training(marks[i]), "eo-ding-%05d" % i)
    return bodies, marks


def ding_attempt(sup, bodies):
    """DingTalk documents no retry on an answer; the fake pushes again only
    when the connection failed or closed without an answer. Any HTTP status
    but 200 is final (and counted: a transient failure must close the
    connection instead)."""
    def attempt(state, key):
        ts = ding_ts()
        try:
            status, data, _ = call(state, sup, "POST", "/webhook/dingtalk/d1", bodies[key],
                                   {"Content-Type": "application/json; charset=utf-8",
                                    "timestamp": ts, "sign": ding_sign(ts)}, timeout=10.0)
        except RETRIABLE as e:
            return "retry", "no answer (%s)" % type(e).__name__
        if status != 200:
            return "refused", "HTTP %d %r" % (status, data[:80])
        return "ok", data
    return attempt


def test_dingtalk_kill9_runs_each_message_once_and_answers_it():
    platform_drill("D", "grant dingtalk staff-1 admin", ding_payloads, ding_attempt,
                   backoff(0.01, 0.1))


def feishu_payloads(fake, n):
    bodies, marks = {}, {}
    for i in range(n):
        marks[i] = marker("F", i)
        bodies[i] = feishu_event(training(marks[i]), "ev-eo-%05d" % i,
                                 "om_eo_%05d" % i).encode()
    return bodies, marks


def feishu_attempt(sup, bodies):
    """Feishu pushes an event again when the answer is not 200 or the
    connection failed (15 s, 5 min, 1 h, 6 h later: compressed here)."""
    def attempt(state, key):
        try:
            status, data, _ = call(state, sup, "POST", "/webhook/feishu/plain", bodies[key],
                                   {"Content-Type": "application/json"}, timeout=10.0)
        except RETRIABLE as e:
            return "retry", "no answer (%s)" % type(e).__name__
        if status != 200:
            return "retry", "HTTP %d" % status
        return "ok", data
    return attempt


def test_feishu_kill9_runs_each_message_once_and_answers_it():
    platform_drill("F", "grant feishu:plain ou_sender admin", feishu_payloads, feishu_attempt,
                   backoff(0.015, 0.3))


# --- the disk fills up ---------------------------------------------------------

def health(sup, timeout=2.0):
    """(status, JSON or None) of GET /healthz, or (None, None) without an answer."""
    state = {}
    try:
        status, data, _ = call(state, sup, "GET", "/healthz", timeout=timeout)
    except Exception:
        return None, None
    finally:
        if state.get("conn") is not None:
            state["conn"].close()
    try:
        return status, json.loads(data)
    except ValueError:
        return status, None


def wait_health(sup, want, timeout):
    """Polls /healthz until want(status, json); the seconds it took, or None."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        status, body = health(sup)
        if status is not None and want(status, body or {}):
            return time.monotonic() - t0
        time.sleep(0.05)
    return None


def is_full(status, body):
    return status == 503 and body.get("store") == "full"


def is_ready(status, body):
    return status == 200 and body.get("store") != "full"


def test_disk_full_is_never_acknowledged():
    """The database on a small tmpfs, filled up and freed three times while
    training entries flow (each retried until 200). No message is answered
    200 without its effect, or 200 with an error; /healthz says 503
    "store":"full" while full and recovers once space is back, the last
    time with no traffic at all (the daemon's own probe); the database is
    intact afterwards."""
    cycles = 3
    fs, why = Tmpfs.mount(8 * 1024)
    if fs is None:
        print("    SKIP test_disk_full_is_never_acknowledged: %s" % why)
        return
    try:
        with Daemon() as d:
            d.ctl("grant generic u-admin admin")
            db = os.path.join(fs.path, "cqod.db")
            src, dst = sqlite3.connect(d.db), sqlite3.connect(db)
            src.backup(dst)
            src.close()
            dst.close()
            os.chown(db, NOBODY, NOBODY)
            d.db = db
            d.write_config()
            sup = Supervised(d).start()
            n = 5000
            bodies, marks = generic_bodies("S", n)
            ledger = Ledger()
            paused, closed = threading.Event(), threading.Event()
            t0 = time.monotonic()
            deadline = t0 + 90
            workers = drive(list(range(n)), generic_attempt(sup, bodies, timeout=10.0), ledger,
                            4, deadline, backoff(0.01, 0.1), paused=paused, closed=closed)
            seen_full, seen_ready, fill_left = [], [], []
            for cycle in range(cycles):
                # Some messages go through first.
                ledger.wait_finished(ledger.finished + 30, time.monotonic() + 20)
                fill_left.append(fs.fill())
                seen_full.append(wait_health(sup, is_full, 10))
                # Full for a while longer: more writes fail.
                before = ledger.total_retries()
                limit = time.monotonic() + 3
                while ledger.total_retries() < before + 20 and time.monotonic() < limit:
                    time.sleep(0.02)
                last = cycle == cycles - 1
                if last:
                    # No traffic: only the daemon's own probe can see the space.
                    paused.set()
                    limit = time.monotonic() + 15
                    while ledger.inflight and time.monotonic() < limit:
                        time.sleep(0.01)
                fs.free()
                seen_ready.append(wait_health(sup, is_ready, 20))
                paused.clear()
            closed.set()
            join_all(workers, deadline + 15)
            status = sup.stop()
            counts, unaudited = effects(db, "S")
            c = sqlite3.connect(db)
            integrity = c.execute("PRAGMA integrity_check").fetchall()
            c.close()
        keys = sorted(ledger.taken)
        lost, double = lost_and_double(keys, marks, counts, ledger)
        errors = [k for k in keys for a in ledger.answers.get(k, [])
                  if not isinstance(a.get("reply"), dict) or a["reply"].get("error")]
        fmt = lambda ts: ["%.2fs" % t if t is not None else "never" for t in ts]
        print("    disk full x%d (free after filling: %s bytes): %d messages, %d answered, "
              "%d retries %s, lost %d, double %d, 200 with an error %d, unaudited %d, "
              "healthz full after %s, ready again after %s, integrity %s" % (
                  cycles, fill_left, len(keys), len(ledger.answers), ledger.total_retries(),
                  dict(ledger.retries), len(lost), len(double), len(errors), unaudited,
                  fmt(seen_full), fmt(seen_ready), integrity))
        problems = []
        if lost:
            problems.append("%d messages answered 200 but their training is missing: %s" % (
                len(lost), [marks[k] for k in lost[:8]]))
        if errors:
            problems.append("%d messages answered 200 with an error reply, e.g. %r" % (
                len(errors), [a.get("reply", {}).get("text") for a in
                              ledger.answers[errors[0]]][:1]))
        if double:
            problems.append("%d messages applied twice" % len(double))
        if unaudited:
            problems.append("%d trainings without exactly one audit row" % unaudited)
        if ledger.unanswered:
            problems.append("%d messages never answered 200" % len(ledger.unanswered))
        if ledger.refused:
            problems.append("%d refused: %s" % (len(ledger.refused), ledger.refused[:3]))
        if None in seen_full:
            problems.append("/healthz never said 503 \"store\":\"full\" while full (cycles %s)"
                            % fmt(seen_full))
        if None in seen_ready:
            problems.append("/healthz did not recover once space was back (cycles %s)"
                            % fmt(seen_ready))
        if integrity != [("ok",)]:
            problems.append("integrity_check: %s" % integrity[:5])
        if status != 0:
            problems.append("exit status %s after SIGTERM" % status)
        if sup.sanitizer:
            problems.append("sanitizer: %s" % sup.sanitizer[:5])
        check(problems)
    finally:
        fs.unmount()


# --- another process holds the write lock --------------------------------------

def test_write_lock_held_elsewhere_keeps_the_loop_live_and_loses_nothing():
    """A python sqlite3 connection holds BEGIN IMMEDIATE on the daemon's
    database for 10 s while 120 training entries are sent (each retried
    until 200) and /livez is polled every 50 ms with a 1 s timeout: every
    poll is answered, and every message lands once."""
    n, hold = 120, 10.0
    with Daemon() as d:
        d.ctl("grant generic u-admin admin")
        sup = Supervised(d).start()
        poller = LivePoller(sup, interval=0.05, timeout=1.0).start()
        limit = time.monotonic() + 10
        while poller.answered < 3 and time.monotonic() < limit:
            time.sleep(0.01)
        lock = sqlite3.connect(d.db, timeout=5, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        held = time.monotonic()
        bodies, marks = generic_bodies("L", n)
        ledger = Ledger()
        deadline = held + hold + 60
        workers = drive(list(range(n)), generic_attempt(sup, bodies, timeout=15.0), ledger, 4,
                        deadline, backoff(0.02, 0.25))
        time.sleep(max(0.0, held + hold - time.monotonic()))
        lock.execute("ROLLBACK")
        lock.close()
        released = time.monotonic()
        join_all(workers, deadline + 5)
        settled = time.monotonic()
        # A second of polls after the release too.
        time.sleep(max(0.0, released + 1.0 - settled))
        poller.stop()
        status = sup.stop()
        counts, unaudited = effects(d.db, "L")
    keys = range(n)
    lost, double = lost_and_double(keys, marks, counts, ledger)
    during = sum(1 for k in keys for a in ledger.answers.get(k, []) if a["_at"] < released)
    print("    write lock held %.1f s: %d messages, %d answered during the hold, all %s %.1f s "
          "after the release, %d retries %s, lost %d, double %d; %s%s" % (
              released - held, n, during, "answered" if not ledger.unanswered else "settled",
              settled - released, ledger.total_retries(), dict(ledger.retries), len(lost),
              len(double), poller.summary(),
              "; unanswered polls: %s" % poller.failures[:5] if poller.failures else ""))
    problems = []
    if poller.answered != poller.polls:
        problems.append("/livez answered %d of %d polls within 1 s" % (
            poller.answered, poller.polls))
    if ledger.unanswered:
        problems.append("%d messages never answered 200" % len(ledger.unanswered))
    if ledger.refused:
        problems.append("%d refused: %s" % (len(ledger.refused), ledger.refused[:3]))
    if lost:
        problems.append("%d messages answered 200 but their training is missing" % len(lost))
    if double:
        problems.append("%d messages applied twice" % len(double))
    if unaudited:
        problems.append("%d trainings without exactly one audit row" % unaudited)
    if status != 0:
        problems.append("exit status %s after SIGTERM" % status)
    if sup.sanitizer:
        problems.append("sanitizer: %s" % sup.sanitizer[:5])
    check(problems)


def exchange(port, path, body, headers, timeout):
    """One request on a fresh connection ("Connection: close"): (status or
    None, response bytes, seconds). None with no bytes means the daemon
    closed the connection without answering; None with "timeout" in the
    bytes, that nothing came back within the timeout."""
    t0 = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    head = "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: %d\r\n" % (
        path, len(body))
    head += "".join("%s: %s\r\n" % kv for kv in headers.items())
    data = b""
    try:
        s.sendall(head.encode() + b"\r\n" + body)
        while True:
            s.settimeout(max(0.01, t0 + timeout - time.monotonic()))
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        return None, b"timeout", time.monotonic() - t0
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.1 (\d{3}) ", data)
    return (int(m.group(1)) if m else None), data, time.monotonic() - t0


def test_locked_database_tells_every_platform_to_retry():
    """While another process holds the write lock, one training entry on
    each platform: cqod records nothing and asks for a retry the way each
    platform understands (generic: 503 {"ok":false,"error":...}; Feishu:
    503; WeCom and DingTalk: the connection closed without an answer).
    Once the lock is gone, the retry of each runs as a new message (the id
    was not recorded), once, and its answer arrives."""
    with FakePlatform() as fake:
        d = Daemon(platform_config(fake.base) + UNPACED)
        with d:
            for g in ("grant generic u-admin admin", "grant wecom:w1 zhangsan admin",
                      "grant dingtalk staff-1 admin", "grant feishu:plain ou_sender admin"):
                d.ctl(g)
            sup = Supervised(d).start()
            marks = {p: marker("B", i) for i, p in enumerate(("generic", "wecom", "dingtalk",
                                                             "feishu"))}
            gbody = generic_bodies("B", 1)[0][0]
            wenc = wecom_encrypt(WECOM_AES, wecom_inner(training(marks["wecom"]),
                                                        msg_id="7200000000000000001"),
                                 WECOM_CORP)
            dbody = ding_body(fake, training(marks["dingtalk"]), "eo-busy-ding")
            fbody = feishu_event(training(marks["feishu"]), "ev-eo-busy", "om_eo_busy").encode()

            def request(p):
                """(path, body, headers) of one try, signed now."""
                if p == "generic":
                    return "/webhook/generic/test", gbody, dict(
                        signed(gbody), **{"Content-Type": "application/json"})
                if p == "wecom":
                    return ("/webhook/wecom/w1?" + wecom_query(wenc), wecom_envelope(wenc),
                            {"Content-Type": "text/xml"})
                if p == "dingtalk":
                    ts = ding_ts()
                    return "/webhook/dingtalk/d1", dbody, {
                        "Content-Type": "application/json", "timestamp": ts,
                        "sign": ding_sign(ts)}
                return "/webhook/feishu/plain", fbody, {"Content-Type": "application/json"}

            lock = sqlite3.connect(d.db, timeout=5, isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")
            held = {}
            try:
                def one(p):
                    held[p] = exchange(sup.port, *request(p), timeout=20.0)
                threads = [threading.Thread(target=one, args=(p,)) for p in marks]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join(30)
            finally:
                lock.execute("ROLLBACK")
                lock.close()
            # The retries, now that the lock is gone.
            after = {}
            for p in marks:
                limit = time.monotonic() + 15
                while time.monotonic() < limit:
                    status, data, _ = exchange(sup.port, *request(p), timeout=10.0)
                    if status == 200:
                        break
                    time.sleep(0.05)
                after[p] = (status, data)
            inline = wecom_passive(after["wecom"][1].split(b"\r\n\r\n", 1)[-1])
            limit = time.monotonic() + 15
            while time.monotonic() < limit:
                bodies = " ".join(r["body"] or "" for r in fake.requests())
                arrived = {p for p, m in marks.items() if m in bodies or m in inline}
                if arrived >= {"wecom", "dingtalk", "feishu"}:
                    break
                time.sleep(0.1)
            status = sup.stop()
            counts, unaudited = effects(d.db, "B")

        def show(r):
            return "HTTP %d" % r[0] if r[0] else (
                "closed without an answer" if not r[1] else "no answer in 20 s")

        print("    while locked: %s" % ", ".join("%s %s after %.1f s" % (p, show(held[p]),
                                                                        held[p][2])
                                                   for p in marks))
        print("    after: %s; trainings %s" % (
            ", ".join("%s HTTP %s" % (p, after[p][0]) for p in marks),
            {p: counts.get(m, 0) for p, m in marks.items()}))
        problems = []
        g = held["generic"]
        gjson = g[1].split(b"\r\n\r\n", 1)[-1]
        try:
            gjson = json.loads(gjson)
        except ValueError:
            gjson = None
        if g[0] != 503 or not isinstance(gjson, dict) or gjson.get("ok") is not False or \
                "error" not in gjson:
            problems.append("generic: want 503 {\"ok\":false,\"error\":...}, got %s %r" % (
                show(g), g[1][-120:]))
        if held["feishu"][0] != 503:
            problems.append("feishu: want 503, got %s" % show(held["feishu"]))
        for p in ("wecom", "dingtalk"):
            if held[p][0] is not None or held[p][1]:
                problems.append("%s: want the connection closed without an answer, got %s %r"
                                % (p, show(held[p]), held[p][1][:60]))
        for p, m in marks.items():
            if after[p][0] != 200:
                problems.append("%s: the retry after the lock was answered %s" % (
                    p, after[p][0]))
            if counts.get(m, 0) != 1:
                problems.append("%s: %d trainings after the retry, want 1" % (
                    p, counts.get(m, 0)))
        gafter = after["generic"][1].split(b"\r\n\r\n", 1)[-1]
        try:
            gafter = json.loads(gafter)
        except ValueError:
            gafter = {}
        if gafter.get("duplicate") is not False or marks["generic"] not in (
                (gafter.get("reply") or {}).get("text") or ""):
            problems.append("generic: the retry is not answered as a new message with its "
                            "reply: %r" % after["generic"][1][-200:])
        missing = {"wecom", "dingtalk", "feishu"} - arrived
        if missing:
            problems.append("answers never arrived: %s" % sorted(missing))
        if unaudited:
            problems.append("%d trainings without exactly one audit row" % unaudited)
        if status != 0:
            problems.append("exit status %s after SIGTERM" % status)
        if sup.sanitizer:
            problems.append("sanitizer: %s" % sup.sanitizer[:5])
        check(problems)
