"""One client cannot starve the others or the process (issue 13, finding 7).

- 1,024 idle connections from 127.0.0.2 hold at most max_connections_per_address
  (64) places; the rest are answered 503 or closed, and a client from
  127.0.0.3 is served.
- Partial bodies that would pass max_body_memory are answered 503 while a small
  signed request is still served; the daemon's RSS is printed.
- Behind a trusted proxy (every connection from 127.0.0.1) the limit follows
  the client in X-Forwarded-For / X-Real-IP, counted per request in flight.

Waits are on the daemon's metrics, never on time alone."""
import http.client
import re
import resource
import select
import socket
import time

from harness import Daemon, raw_connect

WAIT_S = 20.0


def metric(d, name, labels=""):
    _, data, _ = d.request("GET", "/metrics")
    rx = r"^%s%s (\S+)$" % (re.escape(name), re.escape("{%s}" % labels) if labels else "")
    m = re.search(rx, data.decode(), re.M)
    return float(m.group(1)) if m else 0.0


def wait_metric(d, name, labels, want):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        d.drain_log()   # a refusal is a debug line: keep the pipe from filling
        got = metric(d, name, labels)
        if got >= want:
            return got
        time.sleep(0.02)
    raise AssertionError("%s{%s} stayed at %s, wanted %s" % (name, labels, got, want))


def rss_kib(d):
    with open("/proc/%d/status" % d.proc.pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1))


def connect_from(port, source):
    return socket.create_connection(("127.0.0.1", port), timeout=10,
                                    source_address=(source, 0))


def answer_of(s, timeout=5.0):
    """The first bytes the server sends, b"" when it closes first."""
    s.settimeout(timeout)
    try:
        return s.recv(64)
    except (socket.timeout, ConnectionResetError):
        return b""


def test_idle_flood_from_one_address_leaves_room_for_others():
    # This process and the daemon (which inherits it) each need 1,024 sockets.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096 and (hard == resource.RLIM_INFINITY or hard >= 4096):
        resource.setrlimit(resource.RLIMIT_NOFILE, (4096, hard))
    with Daemon() as d:
        d.ctl("grant", "generic", "u-admin", "admin")
        d.start()
        flood = []
        for i in range(1024):
            flood.append(connect_from(d.port, "127.0.0.2"))
            if i % 128 == 0:
                d.drain_log()
        refused = wait_metric(d, "cqod_http_refused_total", 'reason="address"', 1024 - 64)
        print("refused by address: %d of 1024; open connections: %d; RSS %d KiB" % (
            refused, metric(d, "cqod_http_connections"), rss_kib(d)))
        assert metric(d, "cqod_http_connections") <= 64 + 1
        # A client from another address is served while the flood holds on.
        other = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10,
                                           source_address=("127.0.0.3", 0))
        assert d.webhook("我是谁", "fl-3", conn=other)[0] == 200
        other.close()
        # The turned-away connections heard 503 or were closed at once; the
        # at most 64 served ones have nothing to read.
        poller = select.poll()
        by_fd = {s.fileno(): s for s in flood}
        for fd in by_fd:
            poller.register(fd, select.POLLIN)
        ready = {fd for fd, _ in poller.poll(1000)}
        answers = [answer_of(by_fd[fd]) for fd in ready]
        assert len(ready) >= 1024 - 64, len(ready)
        assert all(a == b"" or a.startswith(b"HTTP/1.1 503") for a in answers), answers
        print("503: %d, closed without an answer: %d, served: %d" % (
            sum(a != b"" for a in answers), sum(a == b"" for a in answers), 1024 - len(ready)))
        for s in flood:
            s.close()


def test_partial_bodies_past_memory_bound_get_503():
    # 8 MiB for all bodies: eight declared bodies of 1,000,000 bytes fit. All
    # 100 connections come from 127.0.0.1, so its own limit is raised.
    config = "[http]\nmax_body_memory = 8388608\nmax_connections_per_address = 1000\n"
    with Daemon(extra_config=config) as d:
        d.ctl("grant", "generic", "u-admin", "admin")
        d.start()
        before = rss_kib(d)
        head = (b"POST /webhook/generic/test HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n")
        conns = []
        for _ in range(100):
            s = raw_connect(d.port)
            s.sendall(head + b"{")
            conns.append(s)
        wait_metric(d, "cqod_http_refused_total", 'reason="body_memory"', 92)
        assert metric(d, "cqod_http_body_bytes") == 8 * 1000001
        held = []
        for s in conns:
            a = answer_of(s, 0.05)
            if a:
                assert a.startswith(b"HTTP/1.1 503"), a
            else:
                held.append(s)
        assert len(held) == 8, len(held)
        # The bodies that fit keep coming, up to 900,000 of their bytes.
        for s in held:
            s.sendall(b" " * 899999)
        # A small signed request still fits in what is left, and is served.
        status, body = d.webhook("我是谁", "mem-1")
        assert status == 200 and "管理员" in body["reply"]["text"], body
        after = rss_kib(d)
        print("RSS %d KiB before, %d KiB with 8 bodies of 900,000 bytes in flight and 92 "
              "refused (growth %d KiB)" % (before, after, after - before))
        assert after - before < 48 * 1024
        for s in conns:
            s.close()
        deadline = time.monotonic() + WAIT_S
        while metric(d, "cqod_http_body_bytes") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert metric(d, "cqod_http_body_bytes") == 0


def test_trusted_proxy_limit_follows_forwarded_client():
    config = ("[http]\nmax_connections_per_address = 2\n"
              "trusted_proxies = 127.0.0.1, ::1\n")
    with Daemon(extra_config=config) as d:
        d.ctl("grant", "generic", "u-admin", "admin")
        d.start()
        # The proxy keeps more connections than the limit: all are served.
        pool = [d.conn() for _ in range(5)]
        for c in pool:
            assert d.request("GET", "/livez", conn=c)[0] == 200

        def partial(headers):
            s = raw_connect(d.port)
            s.sendall(b"POST /webhook/generic/test HTTP/1.1\r\nHost: x\r\n" + headers +
                      b"Content-Length: 100\r\n\r\n{")
            return s

        # Two requests in flight for 203.0.113.9 (their bodies still coming).
        slow = [partial(b"X-Forwarded-For: 203.0.113.9\r\n") for _ in range(2)]
        wait_metric(d, "cqod_http_body_bytes", "", 2 * 101)
        for headers in (b"X-Forwarded-For: 198.51.100.1, 203.0.113.9\r\n",
                        b"X-Real-IP: 203.0.113.9\r\n",
                        b"X-Forwarded-For: 203.0.113.9, 127.0.0.1\r\n"):
            s = partial(headers)
            assert answer_of(s).startswith(b"HTTP/1.1 503"), headers
            s.close()
        assert metric(d, "cqod_http_refused_total", 'reason="address"') == 3
        # Another client through the same proxy, whatever it wrote on the left.
        for i, xff in enumerate(("198.51.100.7", "203.0.113.9, 198.51.100.7")):
            c = d.conn()
            c.putrequest("GET", "/livez")
            c.putheader("X-Forwarded-For", xff)
            c.endheaders()
            assert c.getresponse().status == 200, xff
            c.close()
        for s in slow:
            s.close()
        for c in pool:
            c.close()
        # Without a proxy in between, the limit is on connections again.
        direct = [connect_from(d.port, "127.0.0.2") for _ in range(3)]
        assert answer_of(direct[2]).startswith(b"HTTP/1.1 503")
        for s in direct:
            s.close()
