"""A minimal WebSocket server (RFC 6455) for the fake stream platforms, on
Python's standard library: the opening handshake, masked client frames,
fragmented messages both ways, ping/pong, the closing handshake, and an
abrupt drop (TCP reset) for tests.

FakeServer is an HTTP server on 127.0.0.1 that serves a subclass's HTTP
calls (http_post) and upgrades GET requests to WebSocket connections
(ws_accept, ws_message, ws_closed). Tests drive it in-process through the
subclass's methods, or from another process through the control paths
POST /_ctl/<name> with a JSON object of keyword arguments, which call the
subclass's ctl_<name>(**args) and answer its result as JSON.

Everything it records goes through record(kind, **fields), kept in
self.log; wait_for(pred) blocks until an entry matches."""
import base64
import hashlib
import http.server
import json
import socket
import struct
import threading
import time
import urllib.parse

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0, 1, 2, 8, 9, 10
MAX_MESSAGE = 16 * 1024 * 1024


class Closed(Exception):
    pass


class WsConn:
    """One accepted WebSocket connection. Sends are serialised by a lock, so
    tests may send from any thread while the reader runs in its own."""

    def __init__(self, server, sock, rfile, path, query, headers):
        self.server = server
        self.sock = sock
        self.rfile = rfile
        self.path = path
        self.query = query
        self.headers = headers
        self.lock = threading.Lock()
        self.open = True
        self.state = {}   # per-connection data of the fake protocol
        self.id = server.next_id()

    # -- sending -------------------------------------------------------------
    def _send_raw(self, opcode, payload, fin=True):
        head = bytearray([(0x80 if fin else 0) | opcode])
        n = len(payload)
        if n < 126:
            head.append(n)
        elif n < 65536:
            head.append(126)
            head += struct.pack("!H", n)
        else:
            head.append(127)
            head += struct.pack("!Q", n)
        with self.lock:
            if not self.open and opcode != OP_CLOSE:
                raise Closed()
            self.sock.sendall(bytes(head) + payload)

    def send(self, data, parts=1):
        """Sends a text (str) or binary (bytes) message, in `parts` WebSocket
        fragments when parts > 1."""
        opcode = OP_TEXT if isinstance(data, str) else OP_BINARY
        payload = data.encode() if isinstance(data, str) else data
        if parts <= 1:
            self._send_raw(opcode, payload)
            return
        step = max(1, -(-len(payload) // parts))
        chunks = [payload[i:i + step] for i in range(0, len(payload), step)] or [b""]
        for i, c in enumerate(chunks):
            self._send_raw(opcode if i == 0 else OP_CONT, c, fin=i == len(chunks) - 1)

    def ping(self, data=b"fake-ping"):
        self._send_raw(OP_PING, data)

    def close(self, code=1000, reason=""):
        """Starts the closing handshake; the reader ends when the client
        answers (or the socket dies)."""
        try:
            self._send_raw(OP_CLOSE, struct.pack("!H", code) + reason.encode())
        except OSError:
            pass
        with self.lock:
            self.open = False

    def drop(self):
        """Abrupt drop: a TCP reset, no closing handshake."""
        with self.lock:
            self.open = False
            try:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                     struct.pack("ii", 1, 0))
            except OSError:
                pass
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()

    # -- receiving -----------------------------------------------------------
    def _read(self, n):
        b = self.rfile.read(n)
        if b is None or len(b) < n:
            raise Closed()
        return b

    def _frame(self):
        b0, b1 = self._read(2)
        fin, opcode, masked, n = b0 & 0x80, b0 & 0x0F, b1 & 0x80, b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._read(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._read(8))[0]
        if not masked or n > MAX_MESSAGE:
            raise Closed()   # RFC 6455 5.1: a client frame must be masked
        key = self._read(4)
        data = bytearray(self._read(n))
        for i in range(n):
            data[i] ^= key[i & 3]
        return bool(fin), opcode, bytes(data)

    def messages(self):
        """Yields (opcode, payload) per complete message; answers pings and
        closes itself."""
        buf, first = bytearray(), None
        while True:
            fin, opcode, data = self._frame()
            if opcode == OP_PING:
                self._send_raw(OP_PONG, data)
                self.server.record("ws_ping", conn=self.id)
                continue
            if opcode == OP_PONG:
                self.server.record("ws_pong", conn=self.id, data=data.decode("latin-1"))
                continue
            if opcode == OP_CLOSE:
                code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
                self.server.record("ws_close", conn=self.id, code=code)
                with self.lock:
                    was_open = self.open
                    self.open = False
                if was_open:
                    try:
                        self._send_raw(OP_CLOSE, data[:2])
                    except OSError:
                        pass
                return
            if opcode in (OP_TEXT, OP_BINARY):
                first, buf = opcode, bytearray(data)
            elif opcode == OP_CONT and first is not None:
                buf += data
            else:
                raise Closed()
            if len(buf) > MAX_MESSAGE:
                raise Closed()
            if fin:
                yield first, bytes(buf)
                first, buf = None, bytearray()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    # Kept so that stop() ends idle keep-alive connections too, as a server
    # that goes away does (a client would otherwise reuse one, served by a
    # handler thread that outlives the listener).
    def setup(self):
        super().setup()
        with self.server.fake.cond:
            self.server.fake.http_socks.add(self.connection)

    def finish(self):
        with self.server.fake.cond:
            self.server.fake.http_socks.discard(self.connection)
        super().finish()

    def _answer(self, status, obj, ctype="application/json"):
        body = obj if isinstance(obj, bytes) else json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        fake = self.server.fake
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith("/_ctl/"):
            fn = getattr(fake, "ctl_" + url.path[6:], None)
            if fn is None:
                self._answer(404, {"error": "no such control"})
                return
            try:
                res = fn(**(json.loads(raw or b"{}")))
            except Exception as e:   # a test's mistake: say it, keep serving
                self._answer(400, {"error": repr(e)})
                return
            self._answer(200, {"result": res})
            return
        if self.command == "PUT":
            status, obj = fake.http_put(url.path, dict(self.headers), raw)
        else:
            status, obj = fake.http_post(url.path, dict(self.headers), raw)
        self._answer(status, obj)

    do_PUT = do_POST

    def do_GET(self):
        fake = self.server.fake
        url = urllib.parse.urlsplit(self.path)
        if self.headers.get("Upgrade", "").lower() != "websocket":
            self._answer(404, {"error": "not a websocket request"})
            return
        query = dict(urllib.parse.parse_qsl(url.query))
        refusal = fake.ws_admit(url.path, query, dict(self.headers))
        if refusal:
            self._answer(refusal[0], refusal[1])
            return
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        conn = WsConn(fake, self.connection, self.rfile, url.path, query, dict(self.headers))
        # Live before the client can know it is open, so a test that reacts
        # to the client's "connected" always finds the connection; the lock
        # keeps a test's close frame behind the 101.
        with conn.lock:
            fake.adopt(conn)
            self.send_response(101, "Switching Protocols")
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.send_header("Sec-WebSocket-Accept", accept)
            self.end_headers()
            self.wfile.flush()
        self.close_connection = True
        fake.serve_ws(conn)


class FakeServer:
    """Base of the three fakes. Subclasses override http_post, ws_admit,
    ws_accept, ws_message and ws_closed."""

    def __init__(self, port=0):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.fake = self
        # A dropped connection ends its handler with an error: expected here.
        self.httpd.handle_error = lambda request, address: None
        self.port = self.httpd.server_address[1]
        self.base = "http://127.0.0.1:%d" % self.port
        self.ws_base = "ws://127.0.0.1:%d" % self.port
        self.cond = threading.Condition()
        self.log = []
        self.conns = []
        self.http_socks = set()
        self._ids = 0
        self._thread = None

    # -- lifecycle -----------------------------------------------------------
    def start(self):
        # A short poll: stop() waits for serve_forever to notice, and tests
        # stop a fake after every case.
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        for c in list(self.conns):
            c.drop()
        self.httpd.shutdown()
        self.httpd.server_close()
        with self.cond:
            socks = list(self.http_socks)
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def next_id(self):
        with self.cond:
            self._ids += 1
            return self._ids

    # -- records -------------------------------------------------------------
    def record(self, kind, **fields):
        with self.cond:
            fields["kind"] = kind
            fields["at"] = time.monotonic()
            self.log.append(fields)
            self.cond.notify_all()

    def entries(self, kind):
        with self.cond:
            return [e for e in self.log if e["kind"] == kind]

    def wait_for(self, pred, timeout=10.0):
        """The first log entry for which pred(entry) holds, waiting up to
        timeout seconds; AssertionError with the log when none comes."""
        end = time.monotonic() + timeout
        with self.cond:
            while True:
                for e in self.log:
                    if pred(e):
                        return e
                left = end - time.monotonic()
                if left <= 0:
                    raise AssertionError("fake: nothing matched; log: %r" % self.log[-20:])
                self.cond.wait(left)

    def ctl_log(self, kind=None):
        with self.cond:
            return [e for e in self.log if kind is None or e["kind"] == kind]

    def live(self):
        with self.cond:
            return [c for c in self.conns if c.open]

    # -- protocol hooks ------------------------------------------------------
    def http_post(self, path, headers, raw):
        return 404, {"error": "no such endpoint"}

    def http_put(self, path, headers, raw):
        return 404, {"error": "no such endpoint"}

    def ws_admit(self, path, query, headers):
        """None to accept the upgrade, or (status, body) to refuse it."""
        return None

    def ws_accept(self, conn):
        pass

    def ws_message(self, conn, opcode, data):
        pass

    def ws_closed(self, conn):
        pass

    def adopt(self, conn):
        with self.cond:
            self.conns.append(conn)

    def serve_ws(self, conn):
        self.record("connect", conn=conn.id, path=conn.path)
        try:
            self.ws_accept(conn)
            for opcode, data in conn.messages():
                self.ws_message(conn, opcode, data)
        except (Closed, OSError, ValueError):
            pass
        finally:
            with conn.lock:
                conn.open = False
            with self.cond:
                if conn in self.conns:
                    self.conns.remove(conn)
            self.record("disconnect", conn=conn.id)
            self.ws_closed(conn)


def serve_main(cls, doc):
    """Command-line entry of a fake: prints PORT <n>, serves until stdin
    closes (--exit-on-eof) or a signal."""
    import argparse
    import signal
    import sys
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--exit-on-eof", action="store_true")
    opts = ap.parse_args()
    fake = cls(port=opts.port).start()
    print("PORT %d" % fake.port, flush=True)
    stop = threading.Event()
    # The handler only notes the signal: Event.set() takes the event's lock,
    # and a handler runs in the main thread, which may hold that very lock
    # inside stop.wait() just as the stdin thread's set() woke it (a test
    # closes stdin and sends SIGTERM together): a deadlock, seen as a test
    # waiting forever for its fake to exit.
    signalled = []
    signal.signal(signal.SIGTERM, lambda *a: signalled.append(True))
    if opts.exit_on_eof:
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    try:
        while not signalled and not stop.wait(0.05):
            pass
    except KeyboardInterrupt:
        pass
    fake.stop()
