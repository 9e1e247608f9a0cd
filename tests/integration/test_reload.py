"""SIGHUP and `cqod -n` refuse a file that would hurt the running daemon: an
empty one, one without [daemon], a new listen or database (those need a
restart), or one that leaves no platform instance. The running configuration
keeps serving and the log says why in one line."""
import json
import os
import re
import signal
import subprocess

from harness import as_user_prefix, SECRET, Daemon, signed

KEEPING = "; keeping the running configuration"


def rewrite(d, text):
    with open(d.config, "w") as f:
        f.write(text)
    d._own()


def daemon_section(d, listen="127.0.0.1:0", database=None):
    return "[daemon]\nlisten = %s\ndatabase = %s\ndata_dir = %s\nlog_level = debug\n" % (
        listen, database or d.db, d.data_dir)


def status_of(d, name, secret, msg_id):
    """The HTTP status of a signed message to /webhook/generic/<name> (a 404
    has no JSON body, so Daemon.webhook() cannot be used for it)."""
    body = json.dumps({"msg_id": msg_id, "chat_id": "c1", "chat_type": "private",
                       "sender_id": "u1", "sender_name": "张", "text": "我是谁"}).encode()
    return d.request("POST", "/webhook/generic/" + name, body,
                     signed(body, secret))[0]


def refused(d, text, why):
    """Rewrites the config to `text`, sends SIGHUP and waits for the refusal
    naming `why`; the instance the daemon started with still answers."""
    rewrite(d, text)
    d.signal(signal.SIGHUP)
    line = d.wait_log(r"SIGHUP: .*" + re.escape(KEEPING))
    assert line.endswith("SIGHUP: %s: %s%s" % (d.config, why, KEEPING)), line
    status, body = d.webhook("我是谁", "after-hup")
    assert status == 200 and body["ok"], (status, body)
    log = d.drain_log()
    assert not [l for l in log if "configuration reloaded" in l], log
    assert not [l for l in log if SECRET in l or "second-secret" in l], log
    return line


def test_reload_refuses_empty_file():
    with Daemon(seed=None) as d:
        d.start()
        assert d.webhook("我是谁", "before-hup")[0] == 200
        refused(d, "", "the file is empty (no section or key)")


def test_reload_refuses_file_without_daemon_section():
    with Daemon(seed=None) as d:
        d.start()
        # What is left when the top of the file is lost.
        refused(d, "[generic:test]\nsecret = %s\n" % SECRET,
                "no [daemon] section (is the file truncated?)")


def test_reload_refuses_new_listen():
    with Daemon(seed=None) as d:
        d.start()
        second = "[generic:second]\nsecret = second-secret\n"
        refused(d, daemon_section(d, listen="127.0.0.1:1") + second,
                'listen changed from "127.0.0.1:0" to "127.0.0.1:1"; '
                "that needs a restart of cqod")
        # Nothing of the refused file was taken, not even its new instance.
        assert status_of(d, "second", "second-secret", "hup-2") == 404


def test_reload_refuses_new_database():
    with Daemon(seed=None) as d:
        d.start()
        other = os.path.join(d.dir, "other.db")
        refused(d, daemon_section(d, database=other) + "[generic:test]\nsecret = %s\n" % SECRET,
                'database changed from "%s" to "%s"; that needs a restart of cqod'
                % (d.db, other))
        assert not os.path.exists(other)


def test_reload_refuses_no_instance_left():
    with Daemon(seed=None) as d:
        d.start()
        refused(d, daemon_section(d),
                "no platform instance ([<platform>:<name>] section) left while 1 is running; "
                "restart cqod to run without any")


def test_reload_after_refusal_takes_a_good_file():
    with Daemon(seed=None) as d:
        d.start()
        refused(d, "", "the file is empty (no section or key)")
        # Instances may be replaced, as long as one is left.
        rewrite(d, daemon_section(d) + "[generic:second]\nsecret = second-secret\n")
        d.signal(signal.SIGHUP)
        d.wait_log(r"SIGHUP: configuration reloaded from ")
        assert d.webhook("我是谁", "new-1", name="second", secret="second-secret")[0] == 200
        assert status_of(d, "test", SECRET, "new-2") == 404


def test_reload_keeps_database_given_with_d():
    with Daemon(seed=None) as d:
        given = os.path.join(d.dir, "given.db")
        d.start(args=("-d", given))
        # The file's database differs from the one in use, but -d wins on
        # reload as it did at start: nothing to refuse.
        d.signal(signal.SIGHUP)
        d.wait_log(r"SIGHUP: configuration reloaded from ")
        assert not [l for l in d.drain_log() if "database changed" in l], d.log
        assert d.webhook("我是谁", "d-1")[0] == 200
        assert os.path.exists(given)


def test_check_refuses_empty_file_and_no_daemon_section():
    with Daemon(seed=None) as d:
        cqod = os.path.join(d.dir, "cqod")
        for name, text, why in (
                ("empty.conf", "", "the file is empty (no section or key)"),
                ("comments.conf", "# cqod.conf\n\n", "the file is empty (no section or key)"),
                ("nodaemon.conf", "[generic:test]\nsecret = %s\n" % SECRET,
                 "no [daemon] section (is the file truncated?)")):
            path = os.path.join(d.dir, name)
            with open(path, "w") as f:
                f.write(text)
            r = subprocess.run([cqod, "-n", "-c", path], capture_output=True, text=True,
                               timeout=30)
            assert r.returncode == 1, (name, r.returncode, r.stdout, r.stderr)
            assert r.stdout == "", (name, r.stdout)
            assert r.stderr == "%s: %s\n" % (path, why), (name, r.stderr)
            # Starting on it is refused the same way: no daemon without platforms.
            r = subprocess.run(as_user_prefix() + [cqod, "-c", path], capture_output=True,
                               text=True, timeout=30)
            assert r.returncode == 1 and r.stderr == "%s: %s\n" % (path, why), (name, r.stderr)
        # The daemon's own file still passes.
        r = subprocess.run([cqod, "-n", "-c", d.config], capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 0 and r.stdout == "configuration OK\n", r.stderr
