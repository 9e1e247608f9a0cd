"""Fake WeCom intelligent-robot (智能机器人) long-connection server (Python
standard library only). The real one is wss://openws.work.weixin.qq.com;
there is no HTTP call before the WebSocket.

  GET /   the WebSocket of JSON text frames {"cmd","headers":{"req_id"},"body"}

From the client: aibot_subscribe {bot_id, secret} (answered errcode 0, or
40001 "invalid secret" for a wrong pair), ping, aibot_respond_msg (answers a
pushed message: same req_id), aibot_send_msg {chatid, msgtype, ...}. Every
one is answered {"headers":{"req_id"},"errcode":0,"errmsg":"ok"}; a frame
before a successful subscribe is answered errcode 40058 "not subscribed".

One connection per bot: when a second connection subscribes, the first gets
aibot_event_callback with event.eventtype "disconnected_event" and is closed.
There is no ack and no redelivery: a message pushed with no subscribed
connection is lost (push returns None).

A test calls push_text(userid, content, chatid=None) (a group message when
chatid is set), disconnect(), drop().

Recorded (self.log): subscribe {bot_id, ok}, ping, respond {req_id, body},
send {req_id, body}, kicked {conn}, unknown {text}, connect, disconnect.

Run alone: python3 tests/fake/wecom_aibot_ws.py [--port N] [--exit-on-eof];
control paths POST /_ctl/push_text {"userid","content","chatid"},
/_ctl/drop, /_ctl/disconnect, /_ctl/log."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ws import FakeServer, serve_main   # noqa: E402

BOT_ID = "aibFAKEBOT0001"
SECRET = "fake-wecom-aibot-secret"


class WeComAiBot(FakeServer):
    def __init__(self, port=0, bot_id=BOT_ID, secret=SECRET):
        super().__init__(port)
        self.bot_id = bot_id
        self.secret = secret
        self.current = None   # the subscribed connection
        self.seq = 0

    def _next(self, prefix):
        with self.cond:
            self.seq += 1
            return "%s%d" % (prefix, self.seq)

    @staticmethod
    def _answer(conn, req_id, errcode=0, errmsg="ok"):
        conn.send(json.dumps({"headers": {"req_id": req_id}, "errcode": errcode,
                              "errmsg": errmsg}))

    def ws_message(self, conn, opcode, data):
        try:
            f = json.loads(data)
            cmd, req_id = f.get("cmd"), f["headers"]["req_id"]
        except (ValueError, KeyError, TypeError, AttributeError):
            self.record("unknown", conn=conn.id, text=data.decode("utf-8", "replace"))
            return
        if cmd == "aibot_subscribe":
            b = f.get("body") or {}
            ok = b.get("bot_id") == self.bot_id and b.get("secret") == self.secret
            self.record("subscribe", conn=conn.id, bot_id=b.get("bot_id"), ok=ok)
            if not ok:
                self._answer(conn, req_id, 40001, "invalid secret")
                return
            with self.cond:
                old, self.current = self.current, conn
            conn.state["subscribed"] = True
            self._answer(conn, req_id)
            if old is not None and old is not conn and old.open:
                self.kick(old)
            return
        if not conn.state.get("subscribed"):
            self._answer(conn, req_id, 40058, "not subscribed")
            return
        if cmd == "ping":
            self.record("ping", conn=conn.id, req_id=req_id)
        elif cmd == "aibot_respond_msg":
            self.record("respond", conn=conn.id, req_id=req_id, body=f.get("body"))
        elif cmd == "aibot_send_msg":
            self.record("send", conn=conn.id, req_id=req_id, body=f.get("body"))
        else:
            self.record("unknown", conn=conn.id, text=data.decode("utf-8", "replace"))
            self._answer(conn, req_id, 40058, "unknown cmd")
            return
        self._answer(conn, req_id)

    def ws_closed(self, conn):
        with self.cond:
            if self.current is conn:
                self.current = None

    def kick(self, conn):
        conn.send(json.dumps({
            "cmd": "aibot_event_callback",
            "headers": {"req_id": self._next("evt-")},
            "body": {"msgid": self._next("kick-"), "create_time": int(time.time()),
                     "aibotid": self.bot_id, "msgtype": "event",
                     "event": {"eventtype": "disconnected_event"}}}))
        self.record("kicked", conn=conn.id)
        conn.close(1000, "new connection")

    # -- what tests do -------------------------------------------------------
    def push_text(self, userid, content, chatid=None):
        """Pushes a text message to the subscribed connection; returns the
        frame's req_id, or None when nobody is subscribed (lost, as on
        WeCom)."""
        with self.cond:
            conn = self.current
        if conn is None or not conn.open:
            self.record("lost", userid=userid)
            return None
        req_id = self._next("req-")
        body = {"msgid": self._next("msgid-"), "aibotid": self.bot_id,
                "chattype": "group" if chatid else "single", "from": {"userid": userid},
                "create_time": int(time.time()), "msgtype": "text",
                "text": {"content": content}}
        if chatid:
            body["chatid"] = chatid
        conn.send(json.dumps({"cmd": "aibot_msg_callback", "headers": {"req_id": req_id},
                              "body": body}, ensure_ascii=False))
        return req_id

    def disconnect(self):
        for c in self.live():
            c.close(1000, "server closing")

    def drop(self):
        for c in self.live():
            c.drop()

    def ctl_push_text(self, userid, content, chatid=None):
        return self.push_text(userid, content, chatid)

    ctl_disconnect = disconnect
    ctl_drop = drop


if __name__ == "__main__":
    serve_main(WeComAiBot, __doc__)
