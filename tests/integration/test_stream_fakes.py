"""The long-connection fakes (tests/fake/dingtalk_stream.py, feishu_ws.py,
wecom_aibot_ws.py) are faithful: the platforms' own clients from npm
(dingtalk-stream, @larksuiteoapi/node-sdk's WSClient, @wecom/aibot-node-sdk;
pinned in tests/interop/package-lock.json, driven by
tests/interop/stream_sdk.js) connect to them, receive what a test pushes,
and answer it the way the fake records. cqod's own stream clients are later
tested against the same fakes, so what passes here is what the platforms'
SDKs accept.

The SDKs are installed with `npm ci` when missing; if that fails these tests
fail, they never skip."""
import json
import os
import queue
import subprocess
import sys
import threading
import time

from harness import ROOT

INTEROP = os.path.join(ROOT, "tests", "interop")
sys.path.insert(0, os.path.join(ROOT, "tests", "fake"))
import dingtalk_stream   # noqa: E402
import feishu_ws   # noqa: E402
import wecom_aibot_ws   # noqa: E402

NEEDED = ("dingtalk-stream", "@larksuiteoapi/node-sdk", "@wecom/aibot-node-sdk")
_install_lock = threading.Lock()


def ensure_sdks():
    with _install_lock:
        if all(os.path.isdir(os.path.join(INTEROP, "node_modules", n)) for n in NEEDED):
            return
        try:
            r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=INTEROP,
                               capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise AssertionError("npm ci in tests/interop could not run: %s" % e)
        assert r.returncode == 0, "npm ci in tests/interop failed (network?):\n%s%s" % (
            r.stdout[-2000:], r.stderr[-2000:])


class Sdk:
    """One SDK client process; its JSON lines are read into a queue."""

    def __init__(self, which, **opts):
        ensure_sdks()
        self.proc = subprocess.Popen(
            ["node", os.path.join(INTEROP, "stream_sdk.js"), which, json.dumps(opts)],
            cwd=INTEROP, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                self.lines.put(json.loads(line))
            except ValueError:
                pass

    def expect(self, ev, timeout=10.0, **fields):
        """The next line of kind `ev` whose fields match (earlier lines of
        other kinds are kept in self.seen)."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("sdk: no %s %r; seen %r; stderr %s" % (
                    ev, fields, self.seen, self._stderr()))
            try:
                o = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(o)
            if o.get("ev") == ev and all(o.get(k) == v for k, v in fields.items()):
                return o

    def _stderr(self):
        if self.proc.poll() is None:
            return "(running)"
        return self.proc.stderr.read()[-2000:]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()


def count(fake, kind):
    return len(fake.entries(kind))


# -- DingTalk Stream -----------------------------------------------------------
def dingtalk_sdk(fake, **extra):
    return Sdk("dingtalk", base=fake.base, client_id=dingtalk_stream.CLIENT_ID,
               client_secret=dingtalk_stream.CLIENT_SECRET, **extra)


def test_dingtalk_sdk_message_ack_and_ping():
    with dingtalk_stream.DingTalkStream() as fake, dingtalk_sdk(fake) as sdk:
        fake.wait_for(lambda e: e["kind"] == "connect")
        opened = fake.entries("open")[0]
        assert opened["client_id"] == dingtalk_stream.CLIENT_ID
        assert {"type": "CALLBACK", "topic": dingtalk_stream.TOPIC_ROBOT} in \
            opened["subscriptions"], opened
        mid = fake.push(dingtalk_stream.robot_message("查询 91310000", msg_id="m-1"))
        got = sdk.expect("message")
        assert (got["message_id"], got["msg_id"], got["text"]) == (mid, "m-1", "查询 91310000")
        ack = fake.wait_for(lambda e: e["kind"] == "ack")
        assert ack["message_id"] == mid and ack["code"] == 200 and ack["known"], ack
        assert json.loads(ack["data"]) == {"response": {"handled": True}}
        pid = fake.ping()
        pong = fake.wait_for(lambda e: e["kind"] == "pong")
        assert pong["message_id"] == pid and pong["code"] == 200
        assert json.loads(pong["data"]) == {"opaque": "fake-opaque"}


def test_dingtalk_sdk_card_press_and_its_answer():
    """The fake's card callback is what the SDK's TOPIC_CARD listener reads,
    and socketCallBackResponse's answer is data {"response": <result>}."""
    with dingtalk_stream.DingTalkStream() as fake, \
            dingtalk_sdk(fake, cards=True) as sdk:
        fake.wait_for(lambda e: e["kind"] == "connect")
        assert {"type": "CALLBACK", "topic": dingtalk_stream.TOPIC_CARD} in \
            fake.entries("open")[0]["subscriptions"]
        mid = fake.press("cqodtrack", "manager4220", action="btn2", cmd="取消")
        got = sdk.expect("card")
        assert (got["message_id"], got["out_track_id"], got["user_id"], got["action"],
                got["cmd"]) == (mid, "cqodtrack", "manager4220", "btn2", "取消"), got
        ack = fake.wait_for(lambda e: e["kind"] == "ack" and e["message_id"] == mid)
        assert ack["code"] == 200 and ack["known"], ack
        assert json.loads(ack["data"]) == {"response": {
            "cardUpdateOptions": {"updateCardDataByKey": True},
            "cardData": {"cardParamMap": {"note": "办理人：manager4220"}}}}


def test_dingtalk_sdk_disconnect_drop_and_redelivery():
    with dingtalk_stream.DingTalkStream() as fake, dingtalk_sdk(fake, skip_acks=1) as sdk:
        fake.wait_for(lambda e: e["kind"] == "connect")
        # SYSTEM disconnect: the SDK opens a new ticket and reconnects.
        fake.disconnect()
        fake.wait_for(lambda e: e["kind"] == "connect" and e["conn"] > 1)
        assert count(fake, "open") == 2
        # Not acked (the client skips its first ack), then the line dies: the
        # frame comes again, same messageId, on the next connection.
        mid = fake.push(dingtalk_stream.robot_message("第一条", msg_id="m-2"))
        sdk.expect("message", message_id=mid)
        fake.drop()
        fake.wait_for(lambda e: e["kind"] == "redeliver" and e["message_id"] == mid)
        sdk.expect("message", message_id=mid)
        fake.wait_for(lambda e: e["kind"] == "ack" and e["message_id"] == mid and e["known"])
        assert count(fake, "open") == 3
        # A used ticket is refused: each connection took a fresh one.
        assert len({e["conn"] for e in fake.entries("connect")}) == 3


# -- Feishu long connection ---------------------------------------------------
def feishu_sdk(fake):
    return Sdk("feishu", base=fake.base, app_id=feishu_ws.APP_ID,
               app_secret=feishu_ws.APP_SECRET)


def test_feishu_sdk_fragmented_event_ack_and_ping():
    with feishu_ws.FeishuWs(ping_interval=1) as fake, feishu_sdk(fake) as sdk:
        sdk.expect("ready")
        assert fake.entries("endpoint")[0]["app_id"] == feishu_ws.APP_ID
        text = "查询 一二三四五六七八九十" * 40
        mid = fake.push(feishu_ws.message_event(text, event_id="ev-1"), parts=3)
        got = sdk.expect("message")
        assert (got["event_id"], got["text"]) == ("ev-1", text)
        ack = fake.wait_for(lambda e: e["kind"] == "ack")
        assert ack["message_id"] == mid and ack["known"], ack
        assert json.loads(ack["payload"]) == {"code": 200}
        # The answer is the last fragment sent back with biz_rt added.
        keys = [k for k, _ in ack["headers"]]
        assert keys == ["type", "message_id", "sum", "seq", "trace_id", "biz_rt"], keys
        assert dict(ack["headers"])["seq"] == "2"
        ping = fake.wait_for(lambda e: e["kind"] == "ping")
        assert ping["service"] == feishu_ws.SERVICE


def test_feishu_sdk_reconnects_and_gets_redelivery():
    with feishu_ws.FeishuWs(reconnect_interval=1) as fake, feishu_sdk(fake) as sdk:
        sdk.expect("ready")
        fake.disconnect()
        sdk.expect("reconnected")
        assert count(fake, "endpoint") == 2
        # Half an event, then a reset: the whole event is redelivered and acked once.
        mid = fake.push(feishu_ws.message_event("半途", event_id="ev-2"), parts=2, send=[0])
        time.sleep(0.2)
        fake.drop()
        sdk.expect("reconnected")
        fake.wait_for(lambda e: e["kind"] == "redeliver" and e["message_id"] == mid)
        got = sdk.expect("message")
        assert got["event_id"] == "ev-2"
        fake.wait_for(lambda e: e["kind"] == "ack" and e["message_id"] == mid and e["known"])
        assert count(fake, "ack") == 1


def test_feishu_sdk_wrong_secret_gets_no_connection():
    with feishu_ws.FeishuWs(app_secret="another-secret") as fake, feishu_sdk(fake) as sdk:
        fake.wait_for(lambda e: e["kind"] == "endpoint_refused")
        # 514 is final for the SDK: no retry, no WebSocket.
        time.sleep(1.5)
        assert count(fake, "endpoint_refused") == 1 and count(fake, "connect") == 0
        assert not [s for s in sdk.seen if s["ev"] == "ready"]


# -- WeCom intelligent robot --------------------------------------------------
def wecom_sdk(fake, **extra):
    return Sdk("wecom", ws_url=fake.ws_base + "/", bot_id=wecom_aibot_ws.BOT_ID,
               secret=wecom_aibot_ws.SECRET, **extra)


def test_wecom_sdk_messages_replies_and_pings():
    with wecom_aibot_ws.WeComAiBot() as fake, \
            wecom_sdk(fake, send_to="wrgroup01", heartbeat_ms=300) as sdk:
        sdk.expect("authenticated")
        sub = fake.entries("subscribe")[0]
        assert sub["bot_id"] == wecom_aibot_ws.BOT_ID and sub["ok"]
        # A single chat, then a group chat.
        rid = fake.push_text("zhangsan", "查询 甲公司")
        got = sdk.expect("message")
        assert (got["req_id"], got["text"], got["chattype"], got["userid"]) == \
            (rid, "查询 甲公司", "single", "zhangsan")
        sdk.expect("replied", errcode=0)
        rid2 = fake.push_text("lisi", "帮助", chatid="wrgroup01")
        got = sdk.expect("message", req_id=rid2)
        assert (got["chattype"], got["chatid"]) == ("group", "wrgroup01")
        resp = [e for e in fake.entries("respond") if e["req_id"] == rid]
        assert resp and resp[0]["body"]["msgtype"] == "stream", resp
        assert resp[0]["body"]["stream"]["finish"] is True
        sent = fake.wait_for(lambda e: e["kind"] == "send")
        assert sent["body"] == {"chatid": "wrgroup01", "msgtype": "markdown",
                                "markdown": {"content": "主动推送"}}, sent
        assert sent["req_id"].startswith("aibot_send_msg_")
        ping = fake.wait_for(lambda e: e["kind"] == "ping")
        assert ping["req_id"].startswith("ping_")


def test_wecom_sdk_kicked_by_second_connection():
    with wecom_aibot_ws.WeComAiBot() as fake, wecom_sdk(fake) as first:
        first.expect("authenticated")
        with wecom_sdk(fake) as second:
            second.expect("authenticated")
            first.expect("kicked")
            fake.wait_for(lambda e: e["kind"] == "kicked")
            # The kicked client stays away (a reconnect would kick the new one).
            time.sleep(1.0)
            assert count(fake, "subscribe") == 2
            rid = fake.push_text("wangwu", "你好")
            second.expect("message", req_id=rid)


def test_wecom_sdk_wrong_secret_and_lost_messages():
    with wecom_aibot_ws.WeComAiBot(secret="another-secret") as fake, wecom_sdk(fake):
        fake.wait_for(lambda e: e["kind"] == "subscribe")
        assert not fake.entries("subscribe")[0]["ok"]
        # Nobody subscribed: WeCom keeps nothing for later.
        assert fake.push_text("zhaoliu", "丢失") is None
