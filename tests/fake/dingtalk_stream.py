"""Fake DingTalk Stream gateway (Python standard library only).

  POST /v1.0/gateway/connections/open   {clientId, clientSecret, subscriptions, ua}
       -> {"endpoint": "ws://127.0.0.1:<port>/connect", "ticket": "<one-time>"}
       a wrong id/secret -> 401 {"code":"InvalidAuthentication","message":...}
  GET  /connect?ticket=<ticket>          the WebSocket; a used or unknown ticket
                                         is refused with 401

Downstream frames are JSON text: {"specVersion":"1.0","type","headers":{
"appId","connectionId","contentType","messageId","time","topic"},"data":"<JSON>"}.
The client answers EVENT/CALLBACK frames by messageId ({"code":200,
"headers":{"messageId",...},"message":"OK","data":"..."}) and echoes SYSTEM
pings (same headers and data).

A test calls push(msg) (a robot message, as in HTTP mode), press(...) (a
card callback, topic /v1.0/card/instances/callback), ping(),
disconnect() (SYSTEM disconnect, then the socket is closed), drop() (TCP
reset). Frames not acked when their connection ends are pushed again, with
the same messageId, to the next connection: DingTalk's redelivery.

Recorded (self.log, see ws.FakeServer): open {client_id, subscriptions},
connect, ack {message_id, data, code}, pong {message_id}, unknown {text},
disconnect.

api.dingtalk.com serves the gateway and the OpenAPI alike (one api_base):
given `api` (a fakeplatform.py base URL), every other POST and PUT is passed
there (recorded and answered by it), so one instance can receive here and
send cards there.

Run alone: python3 tests/fake/dingtalk_stream.py [--port N] [--exit-on-eof];
control paths POST /_ctl/push {"msg":{...}}, /_ctl/ping, /_ctl/disconnect,
/_ctl/drop, /_ctl/log {"kind":...}."""
import json
import os
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ws import Closed, FakeServer, serve_main   # noqa: E402

CLIENT_ID = "dingfakeclientid"
CLIENT_SECRET = "fake-dingtalk-client-secret"
TOPIC_ROBOT = "/v1.0/im/bot/messages/get"
TOPIC_CARD = "/v1.0/card/instances/callback"


class DingTalkStream(FakeServer):
    def __init__(self, port=0, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, api=None):
        super().__init__(port)
        self.api = api
        self.client_id = client_id
        self.client_secret = client_secret
        self.tickets = set()
        self.unacked = {}   # messageId -> frame text, in push order
        self.seq = 0

    def _next(self, prefix):
        with self.cond:
            self.seq += 1
            return "%s-%d" % (prefix, self.seq)

    def _pass(self, method, path, headers, raw):
        """The OpenAPI's request, answered by the fake platform at self.api."""
        keep = {k: v for k, v in headers.items()
                if k.lower() in ("content-type", "x-acs-dingtalk-access-token")}
        req = urllib.request.Request(self.api + path, data=raw, headers=keep, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def http_put(self, path, headers, raw):
        if self.api:
            return self._pass("PUT", path, headers, raw)
        return 404, {"code": "NotFound", "message": "no such API in the fake"}

    def http_post(self, path, headers, raw):
        if path != "/v1.0/gateway/connections/open":
            if self.api:
                return self._pass("POST", path, headers, raw)
            return 404, {"code": "NotFound", "message": "no such API in the fake"}
        try:
            req = json.loads(raw)
        except ValueError:
            return 400, {"code": "InvalidParameter", "message": "body is not JSON"}
        if req.get("clientId") != self.client_id or \
                req.get("clientSecret") != self.client_secret:
            return 401, {"code": "InvalidAuthentication", "message": "wrong client"}
        ticket = self._next("ticket")
        with self.cond:
            self.tickets.add(ticket)
        self.record("open", client_id=req.get("clientId"),
                    subscriptions=req.get("subscriptions"), ua=req.get("ua"))
        return 200, {"endpoint": self.ws_base + "/connect", "ticket": ticket}

    def ws_admit(self, path, query, headers):
        with self.cond:
            ticket = query.get("ticket")
            if path != "/connect" or ticket not in self.tickets:
                return 401, {"code": "InvalidTicket", "message": "unknown or used ticket"}
            self.tickets.discard(ticket)
        return None

    def ws_accept(self, conn):
        conn.state.setdefault("pending", set())
        with self.cond:
            again = list(self.unacked.items())
        for mid, text in again:
            conn.state["pending"].add(mid)
            conn.send(text)
            self.record("redeliver", conn=conn.id, message_id=mid)

    def ws_message(self, conn, opcode, data):
        try:
            msg = json.loads(data)
            headers = msg["headers"]
            mid = headers["messageId"]
        except (ValueError, KeyError, TypeError):
            self.record("unknown", conn=conn.id, text=data.decode("utf-8", "replace"))
            return
        if headers.get("topic") == "ping":
            self.record("pong", conn=conn.id, message_id=mid, data=msg.get("data"),
                        code=msg.get("code"))
            return
        with self.cond:
            known = self.unacked.pop(mid, None) is not None
        self.record("ack", conn=conn.id, message_id=mid, data=msg.get("data"),
                    code=msg.get("code"), known=known)

    # -- what tests do -------------------------------------------------------
    def _frame(self, type_, topic, data, mid=None):
        mid = mid or self._next("msg")
        return mid, json.dumps({
            "specVersion": "1.0", "type": type_,
            "headers": {"appId": "fake-app", "connectionId": "fake-conn",
                        "contentType": "application/json", "messageId": mid,
                        "time": str(int(time.time() * 1000)), "topic": topic},
            "data": data}, ensure_ascii=False)

    def push(self, msg, topic=TOPIC_ROBOT, type_="CALLBACK", mid=None):
        """Sends a robot message (a dict, HTTP mode's JSON) to every live
        connection, or keeps it for the next one; returns its messageId
        (`mid`, to push a frame again as DingTalk's retry does, else new)."""
        mid, text = self._frame(type_, topic, json.dumps(msg, ensure_ascii=False), mid)
        with self.cond:
            self.unacked[mid] = text
        for c in self.live():
            c.state.setdefault("pending", set()).add(mid)
            try:
                c.send(text)
            except (Closed, OSError):
                pass   # dying: the frame stays unacked, for the next connection
        return mid

    def press(self, out_track_id, user_id, action="btn1", cmd=None, corp="dingcorp",
              space="cidfake==", mid=None):
        """A card callback: user_id pressed button `action` (its params.cmd
        when given) of card out_track_id; returns its messageId."""
        private = {"actionIds": [action], "params": {"cmd": cmd} if cmd is not None else {}}
        return self.push(card_press(out_track_id, user_id, private, corp, space),
                         topic=TOPIC_CARD, mid=mid)

    def ping(self):
        mid, text = self._frame("SYSTEM", "ping", json.dumps({"opaque": "fake-opaque"}))
        for c in self.live():
            c.send(text)
        return mid

    def disconnect(self, grace=0.2):
        """SYSTEM disconnect on every connection, then close them."""
        _, text = self._frame("SYSTEM", "disconnect", json.dumps({"reason": "fake rotation"}))
        conns = self.live()
        for c in conns:
            c.send(text)
        time.sleep(grace)
        for c in conns:
            c.close(1000, "disconnect")

    def drop(self):
        for c in self.live():
            c.drop()

    ctl_push = push
    ctl_ping = ping
    ctl_press = press
    ctl_disconnect = disconnect
    ctl_drop = drop


def card_press(out_track_id, user_id, private, corp="dingcorp", space="cidfake=="):
    """A card callback's data as DingTalk sends it (content: JSON in a string)."""
    return {"extension": "{}", "corpId": corp, "spaceType": "IM", "userIdType": 1,
            "type": "actionCallback", "userId": user_id, "spaceId": space,
            "outTrackId": out_track_id, "value": "",
            "content": json.dumps({"cardPrivateData": private}, ensure_ascii=False)}


def robot_message(text, msg_id="msgfake1", sender="staff01", conversation="cidfake==",
                  group=False):
    """A robot message as DingTalk sends it in both modes."""
    return {
        "conversationId": conversation, "chatbotCorpId": "dingcorp", "chatbotUserId": "bot01",
        "msgId": msg_id, "senderNick": "张三", "isAdmin": False, "senderStaffId": sender,
        "sessionWebhookExpiredTime": int(time.time() * 1000) + 3600000,
        "createAt": int(time.time() * 1000), "senderCorpId": "dingcorp",
        "conversationType": "2" if group else "1", "senderId": "$:LWCP_v1:$fake",
        "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=fake",
        "text": {"content": text}, "robotCode": CLIENT_ID, "msgtype": "text"}


if __name__ == "__main__":
    serve_main(DingTalkStream, __doc__)
