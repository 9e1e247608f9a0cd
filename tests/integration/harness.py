"""Starts the real cqod on an ephemeral loopback port with a temporary
database, and talks to it over HTTP. Used by tests/integration/test_*.py.

cqod refuses to run as root, so when the tests run as root (CI) the daemon
is started as the unprivileged user 'nobody' through setpriv, in a temporary
directory that user owns."""
import calendar
import hashlib
import hmac
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time

BUILD = os.environ.get("CQOD_BUILD", "build")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECRET = "test-secret-0123456789"
# The sanitizer pass (CQOD_BUILD=build/san) runs every test again to catch
# memory errors; a drill whose size serves statistics, not coverage, runs
# smaller there (sized()).
SANITIZED = os.path.basename(BUILD.rstrip("/")) == "san"


def sized(normal, sanitized):
    """`normal` in the plain build, `sanitized` under ASan/UBSan."""
    return sanitized if SANITIZED else normal
NOBODY = 65534


def as_user_prefix():
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"]


def signed(body, secret=SECRET, ts=None):
    """The generic adapter's authentication headers for body (bytes):
    X-Cqod-Timestamp (now, unless ts is given) and X-Cqod-Signature, the
    HMAC-SHA256 of "<timestamp>.<body>"."""
    ts = str(int(time.time())) if ts is None else str(ts)
    mac = hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Cqod-Timestamp": ts, "X-Cqod-Signature": "sha256=" + mac}


def fake_now(value):
    """CQOD_FAKE_NOW as unix seconds: seconds, or "YYYY-MM-DD[ HH:MM:SS]" in
    China Standard Time (daemon/clock.c)."""
    if value.isdigit():
        return int(value)
    date, _, clock = value.partition(" ")
    y, mo, d = (int(x) for x in date.split("-"))
    h, mi, se = (int(x) for x in (clock or "0:0:0").split(":"))
    return calendar.timegm((y, mo, d, h, mi, se)) - 8 * 3600


class Daemon:
    """One cqod process with its own directory, config and database."""

    def __init__(self, extra_config="", seed="demo", env=None):
        self.dir = tempfile.mkdtemp(prefix="cqod-it-")
        os.chmod(self.dir, 0o755)
        # Binaries are copied so an unprivileged user can run them whatever
        # the permissions of the checkout's parent directories.
        for name in ("cqod", "cqoctl"):
            shutil.copy(os.path.join(ROOT, BUILD, name), os.path.join(self.dir, name))
        # The data files too: the checkout's parents may not be readable by nobody.
        self.data_dir = os.path.join(self.dir, "data")
        shutil.copytree(os.path.join(ROOT, "data"), self.data_dir)
        self.db = os.path.join(self.dir, "cqod.db")
        self.config = os.path.join(self.dir, "cqod.conf")
        self.write_config(extra_config)
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.clock_file = None
        if seed:
            self._seed(seed)
        self.proc = None
        self.port = None
        self.log = []
        self._partial = b""
        self._skew = 0

    def _seed(self, seed):
        """`cqoctl <seed>` into the new database, run once per binary, seed and
        day and then copied: it takes 0.1 s, 0.8 s under the sanitizers, and
        most tests start from it. What it writes depends on those alone (the
        regions come from data/, the dates from the clock)."""
        ctl = os.stat(os.path.join(ROOT, BUILD, "cqoctl"))
        fake = self.env.get("CQOD_FAKE_NOW", "")
        day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
        key = hashlib.sha256(("%d|%d|%s|%s|%s" % (ctl.st_mtime_ns, ctl.st_size, seed, fake,
                                                  day)).encode()).hexdigest()[:20]
        cached = os.path.join(ROOT, BUILD, "it-seeds", key + ".db")
        if os.path.exists(cached):
            shutil.copy(cached, self.db)
            self._own()
            return
        self.ctl(seed)
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        tmp = "%s.%d.tmp" % (cached, os.getpid())
        shutil.copy(self.db, tmp)   # cqoctl has closed it: no WAL is left
        os.replace(tmp, cached)

    def write_config(self, extra=""):
        with open(self.config, "w") as f:
            f.write("[daemon]\nlisten = 127.0.0.1:0\ndatabase = %s\ndata_dir = %s\n"
                    "log_level = debug\nshutdown_timeout_ms = 3000\n\n"
                    "[generic:test]\nsecret = %s\n\n%s" % (
                        self.db, self.data_dir, SECRET, extra))
        self._own()

    def _own(self):
        if os.geteuid() == 0:
            for base, dirs, files in os.walk(self.dir):
                os.chown(base, NOBODY, NOBODY)
                for f in files:
                    os.chown(os.path.join(base, f), NOBODY, NOBODY)

    def ctl(self, *args):
        cmd = as_user_prefix() + [os.path.join(self.dir, "cqoctl"), "-c", self.config]
        cmd += list(args[0].split() if len(args) == 1 else args)
        self._own()
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=self.env)
        assert r.returncode == 0, "cqoctl %s failed: %s" % (args, r.stderr)
        return r.stdout

    def start(self, wait=True, args=(), settled=True):
        """Starts cqod -c <config>, followed by args. With wait, returns once it
        listens and, with settled, once its scheduler has first looked at the
        clock: a reminder sweep due at start (on the real date, the calendar's
        December warning to admins) has run, so it cannot race the test."""
        if self.proc:
            self.proc.stdout.close()
            self.proc.stderr.close()
        self.log = []
        self._partial = b""
        cmd = as_user_prefix() + [os.path.join(self.dir, "cqod"), "-c", self.config]
        cmd += list(args)
        fake = self.env.get("CQOD_FAKE_NOW")
        if self.clock_file is None:
            self._skew = fake_now(fake) - int(time.time()) if fake else 0
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=self.env)
        if wait:
            line = self.wait_log(r"listening on .*\(port (\d+)\)", 20)
            self.port = int(re.search(r"\(port (\d+)\)", line).group(1))
            if settled:
                self.wait_log(r"reminders: no sweep due", 20)
        return self

    def wait_log(self, pattern, timeout=10.0, since=0):
        """Reads the daemon's stderr until a line matches; returns it. Every
        line read is kept in self.log, including those after the match.
        Lines before self.log[since] (see log_mark) do not count."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        for line in self.log[since:]:
            if rx.search(line):
                return line
        fd = self.proc.stderr.fileno()
        while time.monotonic() < deadline:
            r, _, _ = select.select([fd], [], [], 0.1)
            if not r:
                if self.proc.poll() is not None:
                    break
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            self._partial += chunk
            lines = self._partial.split(b"\n")
            self._partial = lines.pop()
            found = None
            for raw in lines:
                line = raw.decode("utf-8", "replace")
                self.log.append(line)
                if found is None and rx.search(line):
                    found = line
            if found is not None:
                return found
        raise AssertionError("no log line matching %r; log so far:\n%s" % (
            pattern, "\n".join(self.log[-30:])))

    def log_mark(self):
        """Where the next log line will be: wait_log(..., since=mark) then
        matches only lines logged after this call."""
        self.drain_log()
        return len(self.log)

    def drain_log(self):
        """Collects whatever stderr has so far without blocking."""
        fd = self.proc.stderr.fileno()
        buf = self._partial
        self._partial = b""
        while select.select([fd], [], [], 0.05)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buf += chunk
        self.log.extend(buf.decode("utf-8", "replace").splitlines())
        return self.log

    def conn(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, conn=None):
        c = conn or self.conn()
        try:
            c.request(method, path, body=body, headers=headers or {})
        except ConnectionRefusedError:
            # Says why: the daemon gone (and its last words) or still there.
            code = self.proc.poll() if self.proc else "never started"
            tail = "\n".join(self.drain_log()[-40:]) if self.proc else ""
            raise ConnectionRefusedError("connection to cqod on port %s refused; exit status "
                                         "%s; last log lines:\n%s" % (self.port, code, tail))
        r = c.getresponse()
        data = r.read()
        if conn is None:
            c.close()
        return r.status, data, r

    def use_clock_file(self, value):
        """Runs the daemon (once started) and cqoctl on a fake clock kept in a
        file (CQOD_FAKE_NOW_FILE), set to `value` as fake_now() reads it;
        set_clock() moves it without a restart."""
        self.clock_file = os.path.join(self.dir, "fake-now")
        with open(self.clock_file, "w") as f:
            f.write(value)
        self._own()
        self.env.pop("CQOD_FAKE_NOW", None)
        self.env["CQOD_FAKE_NOW_FILE"] = self.clock_file
        self._skew = fake_now(value) - int(time.time())

    def set_clock(self, value, timeout=20.0):
        """Moves the fake clock of a running daemon to `value` and waits until
        its reminder scheduler has looked at the new time (and swept, if a
        sweep was due)."""
        mark = self.log_mark()
        with open(self.clock_file, "w") as f:
            f.write(value)
        self._skew = fake_now(value) - int(time.time())
        self.wait_log(r"clock: set to ", timeout, since=mark)
        self.wait_log(r"reminders: no sweep due", timeout, since=mark)

    def now(self):
        """The daemon's clock (pinned by CQOD_FAKE_NOW, then running), to
        within a second: what its signed timestamps are checked against."""
        return int(time.time()) + self._skew

    def webhook(self, text, msg_id, sender="u-admin", chat_type="private", name="test",
                secret=SECRET, conn=None, sender_name="测试用户"):
        body = json.dumps({"msg_id": msg_id, "chat_id": "chat-1", "chat_type": chat_type,
                           "sender_id": sender, "sender_name": sender_name,
                           "text": text}, ensure_ascii=False).encode()
        status, data, _ = self.request("POST", "/webhook/generic/" + name, body,
                                       dict(signed(body, secret, self.now()),
                                            **{"Content-Type": "application/json"}), conn)
        return status, json.loads(data) if data else None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=15):
        """SIGTERM and wait; returns the exit code."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("cqod did not exit within %ds of SIGTERM" % timeout)
        if self.proc:
            self.drain_log()
        return self.proc.returncode if self.proc else None

    def close(self):
        try:
            if self.proc and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            # Sanitizer builds report leaks and errors on stderr at exit.
            if self.proc:
                self.drain_log()
                bad = [l for l in self.log if "Sanitizer" in l or "runtime error" in l]
                assert not bad, "sanitizer report:\n" + "\n".join(self.log[-60:])
                # A command declared read-only in the command table that changed
                # the registry: the declaration is wrong.
                bad = [l for l in self.log if "declared read-only but changed" in l]
                assert not bad, "\n".join(bad)
        finally:
            for p in (self.proc.stdout, self.proc.stderr) if self.proc else ():
                p.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def raw_connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s


def recv_all(s, timeout=10.0):
    """Reads until the peer closes or timeout; returns bytes."""
    s.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return data


class Chat:
    """Sends generic-webhook messages to d with fresh message ids; a call
    returns the reply's (text, error). `secrets` maps instance names other
    than "test" to their secrets."""

    def __init__(self, d, prefix="m", secrets=None):
        self.d = d
        self.prefix = prefix
        self.secrets = secrets or {}
        self.n = 0

    def __call__(self, text, sender="u-admin", chat_type="private", name="test"):
        self.n += 1
        status, body = self.d.webhook(text, "%s-%d-%d" % (self.prefix, os.getpid(), self.n),
                                      sender=sender, chat_type=chat_type, name=name,
                                      secret=self.secrets.get(name, SECRET))
        assert status == 200, body
        return body["reply"]["text"], body["reply"]["error"]


def alone(test):
    """Marks a test that asserts how long another process waits for a lock:
    run.py runs it after the others, with nothing else running."""
    test.alone = True
    return test


def rows(d, sql, *args):
    """The rows of one query on d's database (a connection of its own)."""
    db = sqlite3.connect(d.db, timeout=10)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def one(d, sql, *args):
    """The first column of the first row."""
    return rows(d, sql, *args)[0][0]


def metric(d, name, labels=""):
    """The value of series name{labels} on d's /metrics, or None if absent."""
    status, data, _ = d.request("GET", "/metrics")
    assert status == 200, status
    rx = r"^%s%s (\S+)$" % (re.escape(name), re.escape("{%s}" % labels) if labels else "")
    m = re.search(rx, data.decode(), re.M)
    return float(m.group(1)) if m else None


def wait_until(check, what, timeout=20.0, interval=0.02):
    """Polls check() until it returns something true, and returns that;
    fails naming `what` (and the last value) after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.0f s waiting for %s (last: %r)" % (
                timeout, what, got))
        time.sleep(interval)
