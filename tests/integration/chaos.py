"""Crash and failure drills for test_exactly_once.py (Python standard
library only).

Supervised wraps a harness.Daemon so it can be killed with SIGKILL and
started again at any moment: a thread drains its stderr (at debug level a
busy daemon fills the pipe and stalls otherwise) and keeps the sanitizer
reports of every run, not only the last. Ledger records what every copy of
every message was answered, from any thread. drive() sends every copy from
worker threads, each retried the way its platform retries, and kill_loop()
kills and restarts the daemon at random moments meanwhile. Also: a tmpfs
mount for a database that runs out of space, and a /livez poller."""
import collections
import errno
import http.client
import os
import queue
import re
import signal
import subprocess
import tempfile
import threading
import time

from harness import NOBODY

# A request that may not have reached the daemon, or whose answer did not
# come back: the connection was refused, reset, closed or timed out.
RETRIABLE = (OSError, http.client.HTTPException)


class Down(Exception):
    """The daemon is being restarted: there is no port to connect to."""


class Supervised:
    """A harness.Daemon with a stderr pump, killed and restarted at will."""

    def __init__(self, d):
        self.d = d
        self.port = None
        self.kills = 0
        self.kill_times = []                    # time.time() once each kill is done
        self.starts = 0
        self.pump = None
        self.sanitizer = []

    def start(self):
        self.d.start()
        self.starts += 1
        rest, self.d._partial = self.d._partial, b""
        self.pump = threading.Thread(target=self._pump, args=(self.d.proc, rest), daemon=True)
        self.pump.start()
        self.port = self.d.port
        return self

    def _pump(self, proc, buf):
        fd = proc.stderr.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for raw in lines:
                self._line(raw.decode("utf-8", "replace"))
        if buf:
            self._line(buf.decode("utf-8", "replace"))

    def _line(self, line):
        self.d.log.append(line)
        if "Sanitizer" in line or "runtime error" in line:
            self.sanitizer.append(line)

    def kill(self):
        """SIGKILL, wait, and collect the rest of its stderr."""
        self.port = None
        self.d.proc.kill()
        self.d.proc.wait()
        self.kill_times.append(time.time())
        self.pump.join(10)
        self.kills += 1

    def restart(self):
        self.kill()
        self.start()

    def stop(self, timeout=15):
        """SIGTERM and wait; returns the exit status."""
        self.port = None
        p = self.d.proc
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise AssertionError("cqod did not exit within %ds of SIGTERM" % timeout)
        self.pump.join(10)
        return p.returncode

    def grep(self, pattern):
        rx = re.compile(pattern)
        return [l for l in self.d.log if rx.search(l)]


def call(state, sup, method, path, body=None, headers=None, timeout=10.0):
    """One request on this thread's keep-alive connection to the running
    daemon: (status, body bytes, response). Raises Down while the daemon is
    restarting, or a RETRIABLE error when no answer came back (the
    connection is then dropped, the next call opens another)."""
    port = sup.port
    if port is None:
        raise Down()
    c = state.get("conn")
    if c is None or state.get("port") != port:
        if c is not None:
            c.close()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        state["conn"], state["port"] = c, port
    c.timeout = timeout
    if c.sock is not None:
        c.sock.settimeout(timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
    except RETRIABLE:
        c.close()
        state["conn"] = None
        raise
    if r.will_close:
        c.close()
        state["conn"] = None
    return r.status, data, r


class Ledger:
    """What every copy of every message was answered, shared by threads.
    A message is a key; answers[key] lists the payload of each copy that
    was answered (what attempt() returned with "ok")."""

    def __init__(self):
        self.cond = threading.Condition()
        self.answers = collections.defaultdict(list)
        self.attempts = 0
        self.retries = collections.Counter()   # why -> retries
        self.refused = []                      # (key, why): answered, not to retry
        self.unanswered = []                   # keys given up at the deadline
        self.finished = 0                      # copies answered, refused or given up
        self.taken = []                        # keys in the order workers took them
        self.inflight = 0                      # attempts under way

    def attempt(self):
        with self.cond:
            self.attempts += 1

    def retry(self, why):
        with self.cond:
            self.retries[why] += 1

    def _finish(self):
        self.finished += 1
        self.cond.notify_all()

    def answered(self, key, payload):
        with self.cond:
            self.answers[key].append(payload)
            self._finish()

    def refuse(self, key, why):
        with self.cond:
            self.refused.append((key, why))
            self._finish()

    def give_up(self, key):
        with self.cond:
            self.unanswered.append(key)
            self._finish()

    def wait_finished(self, n, deadline):
        with self.cond:
            while self.finished < n and time.monotonic() < deadline:
                self.cond.wait(0.1)
            return self.finished

    def total_retries(self):
        return sum(self.retries.values())


def drive(tasks, attempt, ledger, threads, deadline, backoff, max_attempts=1000,
          paused=None, closed=None):
    """Starts `threads` workers that take tasks (message keys, one per copy)
    in order from a shared queue, so copies queued side by side go out at
    the same moment on two connections. attempt(state, key) makes one try
    and returns ("ok", payload), ("retry", why) or ("refused", why); it may
    raise Down (not an attempt: the daemon is restarting). A retry waits
    backoff(n) seconds after the n-th failed try. Every loop ends at the
    deadline. While the Event `paused` is set the workers make no attempt;
    once `closed` is set they take no further task. Returns the threads."""
    q = queue.Queue()
    for t in tasks:
        q.put(t)

    def work():
        state = {}
        while closed is None or not closed.is_set():
            try:
                key = q.get_nowait()
            except queue.Empty:
                break
            with ledger.cond:
                ledger.taken.append(key)
            tries = 0
            while True:
                while paused is not None and paused.is_set() and time.monotonic() < deadline:
                    time.sleep(0.01)
                if time.monotonic() > deadline or tries >= max_attempts:
                    ledger.give_up(key)
                    break
                with ledger.cond:
                    ledger.inflight += 1
                try:
                    outcome, info = attempt(state, key)
                except Down:
                    time.sleep(0.005)
                    continue
                finally:
                    with ledger.cond:
                        ledger.inflight -= 1
                ledger.attempt()
                tries += 1
                if outcome == "ok":
                    ledger.answered(key, info)
                    break
                if outcome == "refused":
                    ledger.refuse(key, info)
                    break
                ledger.retry(info)
                time.sleep(backoff(tries))
        if state.get("conn") is not None:
            state["conn"].close()

    workers = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()
    return workers


def join_all(workers, deadline):
    for w in workers:
        w.join(max(0.1, deadline - time.monotonic()))
    alive = [w for w in workers if w.is_alive()]
    assert not alive, "%d client thread(s) still running at the deadline" % len(alive)


def kill_loop(sup, ledger, total, kills, rnd, deadline):
    """Kills the daemon with SIGKILL `kills` times while the copies are
    answered, and restarts it each time: at a random point (after a random
    number of further copies were finished, spread so that every kill comes
    before the last copy), then a random 0-10 ms more. Returns the number of
    finished copies at each kill."""
    at = []
    while len(at) < kills and time.monotonic() < deadline:
        left = kills - len(at)
        done = ledger.finished
        share = max(2, (total - done) // (left + 1))
        target = done + rnd.randint(max(1, share // 4), max(2, share * 3 // 2))
        reached = ledger.wait_finished(min(target, total), deadline)
        if reached >= total:
            break
        time.sleep(rnd.uniform(0, 0.01))
        at.append(ledger.finished)
        sup.restart()
    return at


# --- a file system that fills up -----------------------------------------

class Tmpfs:
    """A small tmpfs mounted on a temporary directory owned by the daemon's
    user. Needs root; Tmpfs.mount() returns None with the reason otherwise."""

    def __init__(self, path):
        self.path = path
        self.filler = os.path.join(path, "filler")

    @staticmethod
    def mount(size_kib):
        if os.geteuid() != 0:
            return None, "not root: cannot mount a tmpfs"
        path = tempfile.mkdtemp(prefix="cqod-full-")
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dk,mode=0755" % size_kib,
                            "tmpfs", path], capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            os.rmdir(path)
            return None, "mount -t tmpfs failed: %s" % r.stderr.strip()
        os.chown(path, NOBODY, NOBODY)
        return Tmpfs(path), None

    def free_bytes(self):
        st = os.statvfs(self.path)
        return st.f_bavail * st.f_frsize

    def fill(self):
        """Writes the filler file until the file system has no block left."""
        with open(self.filler, "ab", buffering=0) as f:
            for size in (1 << 20, 1 << 16, 4096, 512, 1):
                chunk = b"\0" * size
                while True:
                    try:
                        f.write(chunk)
                    except OSError as e:
                        if e.errno != errno.ENOSPC:
                            raise
                        break
        return self.free_bytes()

    def free(self):
        try:
            os.unlink(self.filler)
        except FileNotFoundError:
            pass

    def unmount(self):
        r = subprocess.run(["umount", self.path], capture_output=True, timeout=30)
        if r.returncode != 0:
            subprocess.run(["umount", "-l", self.path], capture_output=True, timeout=30)
        try:
            os.rmdir(self.path)
        except OSError:
            pass


# --- liveness ----------------------------------------------------------------

class LivePoller:
    """Polls GET /livez on a fresh connection every `interval` seconds, each
    with a `timeout`; counts polls, answers (200) and their latencies."""

    def __init__(self, sup, interval=0.05, timeout=1.0):
        self.sup = sup
        self.interval = interval
        self.timeout = timeout
        self.polls = 0
        self.answered = 0
        self.latencies = []
        self.failures = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stopping.is_set():
            t0 = time.monotonic()
            self.polls += 1
            c = http.client.HTTPConnection("127.0.0.1", self.sup.port, timeout=self.timeout)
            try:
                c.request("GET", "/livez")
                r = c.getresponse()
                r.read()
                if r.status == 200:
                    self.answered += 1
                    self.latencies.append(time.monotonic() - t0)
                else:
                    self.failures.append("HTTP %d" % r.status)
            except RETRIABLE as e:
                self.failures.append("%s after %.2f s" % (type(e).__name__,
                                                           time.monotonic() - t0))
            finally:
                c.close()
            self.stopping.wait(max(0.0, self.interval - (time.monotonic() - t0)))

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join(5)

    def summary(self):
        lat = sorted(self.latencies)
        p50 = lat[len(lat) // 2] if lat else float("nan")
        mx = lat[-1] if lat else float("nan")
        return "%d of %d /livez polls answered, latency p50 %.1f ms, max %.1f ms" % (
            self.answered, self.polls, p50 * 1000, mx * 1000)
