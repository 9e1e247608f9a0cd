"""Fake Feishu long-connection server (Python standard library only).

  POST /callback/ws/endpoint   {"AppID","AppSecret"}
       -> {"code":0,"msg":"ok","data":{"URL":"ws://127.0.0.1:<port>/ws/v2?fpid=1&
          device_id=<d>&service_id=<SERVICE>&ticket=<t>","ClientConfig":{
          "PingInterval","ReconnectCount","ReconnectInterval","ReconnectNonce"}}}
       a wrong id/secret -> {"code":514,"msg":"auth failed"} (the SDK gives up)
  GET  /ws/v2?...&ticket=<t>   the WebSocket of binary protobuf frames
                               (messages/feishu_frame.proto), one per ticket

The client pings with control frames (method 0, header type=ping, service
= service_id); the fake answers type=pong with the ClientConfig as payload.
Events go out as data frames (method 1, headers type=event, message_id, sum,
seq, trace_id); a payload may be split in `parts` frames. The client answers
each whole event by sending the last frame back with header biz_rt and
payload {"code":200}.

A test calls push(event, parts=1) (event: the im.message.receive_v1 JSON, a
dict), disconnect() (WebSocket close), drop() (TCP reset), push_raw(bytes).
Events not acked when their connection ends are pushed again to the next
connection with the same message_id, redeliver_delay seconds after it opens.

Recorded (self.log): endpoint {app_id}, endpoint_refused {app_id}, connect, ping {service}, ack
{message_id, payload, biz_rt, headers}, unknown {hex}, disconnect.

Run alone: python3 tests/fake/feishu_ws.py [--port N] [--exit-on-eof];
control paths POST /_ctl/push {"event":{...},"parts":n}, /_ctl/drop,
/_ctl/disconnect, /_ctl/log."""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ws import OP_BINARY, Closed, FakeServer, serve_main   # noqa: E402

APP_ID = "cli_a1b2c3d4e5f60789"
APP_SECRET = "fake-feishu-app-secret"
SERVICE = 33554678


# -- protobuf, just what pbbp2.Frame needs -----------------------------------
def _varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(num, wire, value):
    key = _varint(num << 3 | wire)
    if wire == 0:
        return key + _varint(value)
    return key + _varint(len(value)) + value


def encode_frame(headers, payload=None, method=1, service=SERVICE, seq_id=0, log_id=0,
                 payload_type=None):
    """A pbbp2.Frame; headers is a list of (key, value)."""
    out = _field(1, 0, seq_id) + _field(2, 0, log_id) + _field(3, 0, service) + \
        _field(4, 0, method)
    for k, v in headers:
        out += _field(5, 2, _field(1, 2, k.encode()) + _field(2, 2, v.encode()))
    if payload_type is not None:
        out += _field(7, 2, payload_type.encode())
    if payload is not None:
        out += _field(8, 2, payload)
    return out


def _read_varint(b, i):
    n = shift = 0
    while True:
        if i >= len(b) or shift > 63:
            raise ValueError("truncated varint")
        c = b[i]
        i += 1
        n |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return n, i


def _fields(b):
    i = 0
    while i < len(b):
        key, i = _read_varint(b, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            v, i = _read_varint(b, i)
        elif wire == 2:
            n, i = _read_varint(b, i)
            if i + n > len(b):
                raise ValueError("truncated field")
            v, i = b[i:i + n], i + n
        else:
            raise ValueError("unexpected wire type %d" % wire)
        yield num, v


def decode_frame(b):
    """{seq_id, log_id, service, method, headers: [(k, v)], payload} or
    ValueError."""
    f = {"headers": [], "payload": b""}
    names = {1: "seq_id", 2: "log_id", 3: "service", 4: "method"}
    for num, v in _fields(b):
        if num in names:
            f[names[num]] = v
        elif num == 5:
            h = dict(_fields(v))
            f["headers"].append((h[1].decode(), h[2].decode()))
        elif num == 8:
            f["payload"] = bytes(v)
    for req in names.values():
        if req not in f:
            raise ValueError("missing " + req)
    return f


class FeishuWs(FakeServer):
    def __init__(self, port=0, app_id=APP_ID, app_secret=APP_SECRET, ping_interval=120,
                 reconnect_interval=1, redeliver_delay=0.3):
        super().__init__(port)
        self.redeliver_delay = redeliver_delay
        self.app_id = app_id
        self.app_secret = app_secret
        self.config = {"PingInterval": ping_interval, "ReconnectCount": -1,
                       "ReconnectInterval": reconnect_interval, "ReconnectNonce": 0}
        self.tickets = set()
        self.unacked = {}   # message_id -> [frame bytes]
        self.seq = 0

    def _next(self, prefix):
        with self.cond:
            self.seq += 1
            return "%s%d" % (prefix, self.seq)

    def http_post(self, path, headers, raw):
        if path != "/callback/ws/endpoint":
            return 404, {"code": 404, "msg": "no such API in the fake"}
        try:
            req = json.loads(raw)
        except ValueError:
            return 400, {"code": 400, "msg": "body is not JSON"}
        if req.get("AppID") != self.app_id or req.get("AppSecret") != self.app_secret:
            self.record("endpoint_refused", app_id=req.get("AppID"))
            return 200, {"code": 514, "msg": "auth failed", "data": {}}
        ticket = self._next("t")
        with self.cond:
            self.tickets.add(ticket)
        self.record("endpoint", app_id=req.get("AppID"))
        url = "%s/ws/v2?fpid=1&aid=1&device_id=%s&access_key=k&service_id=%d&ticket=%s" % (
            self.ws_base, self._next("dev"), SERVICE, ticket)
        return 200, {"code": 0, "msg": "ok", "data": {"URL": url, "ClientConfig": self.config}}

    def ws_admit(self, path, query, headers):
        with self.cond:
            ticket = query.get("ticket")
            if path != "/ws/v2" or ticket not in self.tickets:
                return 403, {"code": 403, "msg": "unknown or used ticket"}
            self.tickets.discard(ticket)
        return None

    def ws_accept(self, conn):
        # Redelivery waits a moment, as Feishu's retry does: the Node SDK
        # listens for messages only after its 'open' promise settles, so a
        # frame sent right behind the handshake would be lost by the SDK.
        t = threading.Timer(self.redeliver_delay, self._redeliver, (conn,))
        t.daemon = True
        t.start()

    def _redeliver(self, conn):
        with self.cond:
            again = list(self.unacked.items())
        for mid, frames in again:
            try:
                for fr in frames:
                    conn.send(fr)
            except (Closed, OSError):
                return
            self.record("redeliver", conn=conn.id, message_id=mid)

    def ws_message(self, conn, opcode, data):
        try:
            if opcode != OP_BINARY:
                raise ValueError("text frame")
            f = decode_frame(data)
        except (ValueError, KeyError, UnicodeDecodeError):
            self.record("unknown", conn=conn.id, hex=data.hex())
            return
        h = dict(f["headers"])
        if f["method"] == 0 and h.get("type") == "ping":
            self.record("ping", conn=conn.id, service=f["service"], raw=data.hex())
            conn.send(encode_frame([("type", "pong")], json.dumps(self.config).encode(),
                                   method=0, service=f["service"]))
            return
        if f["method"] == 1:
            mid = h.get("message_id")
            with self.cond:
                known = self.unacked.pop(mid, None) is not None
            self.record("ack", conn=conn.id, message_id=mid, headers=f["headers"],
                        biz_rt=h.get("biz_rt"), payload=f["payload"].decode("utf-8", "replace"),
                        known=known, raw=data.hex())
            return
        self.record("unknown", conn=conn.id, hex=data.hex())

    # -- what tests do -------------------------------------------------------
    def push(self, event, parts=1, type_="event", send=None):
        """Sends an event (a dict) in `parts` frames to every live connection
        (or keeps it for the next); returns its message_id. `send` (a list
        of seq numbers) sends only those parts now, as when the connection
        dies in the middle; all are redelivered on the next connection."""
        mid = self._next("msgfake-")
        payload = json.dumps(event, ensure_ascii=False).encode()
        step = max(1, -(-len(payload) // parts))
        chunks = [payload[i:i + step] for i in range(0, len(payload), step)]
        frames = []
        for i, c in enumerate(chunks):
            frames.append(encode_frame(
                [("type", type_), ("message_id", mid), ("sum", str(len(chunks))),
                 ("seq", str(i)), ("trace_id", "trace-" + mid)],
                c, method=1, seq_id=i, log_id=int(time.time())))
        with self.cond:
            self.unacked[mid] = frames
        for conn in self.live():
            try:
                for i, fr in enumerate(frames):
                    if send is None or i in send:
                        conn.send(fr)
            except (Closed, OSError):
                pass   # dying: the event stays unacked, for the next connection
        return mid

    def push_raw(self, data):
        for conn in self.live():
            conn.send(bytes(data))

    def disconnect(self):
        for c in self.live():
            c.close(1000, "server closing")

    def drop(self):
        for c in self.live():
            c.drop()

    def ctl_push(self, event, parts=1, send=None):
        return self.push(event, parts, send=send)

    ctl_disconnect = disconnect
    ctl_drop = drop


def message_event(text, event_id="ev-fake-1", open_id="ou_fakeuser", chat_type="p2p"):
    """An im.message.receive_v1 event (schema 2.0) as Feishu sends it."""
    ms = str(int(time.time() * 1000))
    return {
        "schema": "2.0",
        "header": {"event_id": event_id, "event_type": "im.message.receive_v1",
                   "create_time": ms, "token": "", "app_id": APP_ID,
                   "tenant_key": "tenant-fake"},
        "event": {
            "sender": {"sender_id": {"open_id": open_id, "union_id": "on_fake",
                                     "user_id": "fakeuser"},
                       "sender_type": "user", "tenant_key": "tenant-fake"},
            "message": {"message_id": "om_" + event_id, "create_time": ms,
                        "chat_id": "oc_fakechat", "chat_type": chat_type,
                        "message_type": "text",
                        "content": json.dumps({"text": text}, ensure_ascii=False)}}}


if __name__ == "__main__":
    serve_main(FeishuWs, __doc__)
