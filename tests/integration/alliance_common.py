"""Shared by the alliance tests (test_alliance*.py): one daemon on the demo
registry with a WeCom, a DingTalk and a Feishu app and a group robot of each
platform, all pointing at tests/fake/fakeplatform.py, and the people the
tests act as:

  generic u-admin      admin            generic clerk-ls   clerk of 371302
  generic clerk-xa     clerk of 610113  generic org        organizer of alliance 1
  generic org2         organizer of alliance 2 (乙联盟, made by the test setup)
  generic zs / ls / zl 张三 (person 1) / 李四 (person 2) / 赵六 (person 4), cqo
  generic ww           王五 (person 3), cqo, no member of alliance 1
  dingtalk staff-org   organizer of alliance 1 (types in DingTalk groups)
  feishu ou_org        organizer of alliance 1 (types in Feishu groups)
  wecom zhangsan       张三 again: his private notices go to WeCom
  dingtalk staff-ls    李四: private notices through DingTalk
  feishu ou_zl         赵六 (person 4): private notices through Feishu

Demo alliance 1 (示例市首席质量官联盟（演示）) has records 2 (张三), 3 (李四)
and 4 (赵六) as members."""
import json
import re
import sqlite3
import time

from harness import Daemon, metric, wait_until
from platforms import FakePlatform, ding_sign, ding_ts

DING_SECRET = "alliance-ding-secret"
FEISHU_TOKEN = "alliance-feishu-token"

# Paths that are not messages (token requests, and Feishu's "who is the bot").
TOKEN_PATHS = ("/cgi-bin/gettoken", "/v1.0/oauth2/accessToken", "/gettoken",
               "/open-apis/auth/v3/tenant_access_token/internal", "/open-apis/bot/v3/info")


def config(base, robots=3, rates=False):
    """Platform instances at the fake; `robots` group robots of each kind
    (wr1.., dr1.., fb1..); rate limits off unless `rates`."""
    text = """
[wecom:w1]
corp_id = ww-alliance
agent_id = 1000002
secret = wecom-app-secret
token = wecom-token
aes_key = abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
api_base = %(b)s

[dingtalk:d1]
app_key = ding-key
app_secret = %(ds)s
robot_code = ding-robot
api_base = %(b)s
oapi_base = %(b)s

[feishu:f1]
app_id = cli_alliance
app_secret = feishu-app-secret
verification_token = %(ft)s
api_base = %(b)s
""" % {"b": base, "ds": DING_SECRET, "ft": FEISHU_TOKEN}
    for i in range(1, robots + 1):
        text += ("\n[wecom_robot:wr%(i)d]\nkey = wr-key-%(i)d\napi_base = %(b)s\n"
                 "\n[dingtalk_robot:dr%(i)d]\naccess_token = dr-token-%(i)d\n"
                 "secret = SECdr-secret-%(i)d\napi_base = %(b)s\n"
                 "\n[feishu_bot:fb%(i)d]\nhook_id = fb-hook-%(i)d\nsecret = fb-secret-%(i)d\n"
                 "api_base = %(b)s\n") % {"i": i, "b": base}
    if not rates:
        text += ("\n[outbox]\nrobot_per_minute = 0\nwecom_app_per_minute = 0\n"
                 "wecom_app_per_hour = 0\nfeishu_per_second = 0\nfeishu_bot_per_minute = 0\n"
                 "feishu_app_per_minute = 0\n")
    return text


GRANTS = [
    "grant generic u-admin admin",
    "grant generic clerk-ls clerk 371302",
    "grant generic clerk-xa clerk 610113",
    "grant generic org organizer 1",
    "grant generic zs cqo 2",
    "grant generic ls cqo 3",
    "grant generic ww cqo 5",
    "grant generic zl cqo 4",
    "grant dingtalk:d1 staff-org organizer 1",
    "grant feishu ou_org organizer 1",
    "grant wecom zhangsan cqo 2",
    "grant dingtalk:d1 staff-ls cqo 3",
    "grant feishu ou_zl cqo 4",
]


class World:
    """The daemon, the fake platforms and helpers to talk as each person."""

    def __init__(self, robots=3, rates=False, env=None, extra="", clock=None):
        """clock: a fake time ("YYYY-MM-DD HH:MM:SS", China Standard Time)
        that set_clock() then moves without a restart."""
        self.fake = FakePlatform()
        if clock:
            env = dict(env or {}, CQOD_FAKE_NOW=clock)
        self.d = Daemon(config(self.fake.base, robots, rates) + extra, env=env)
        if clock:
            self.d.use_clock_file(clock)
        for g in GRANTS:
            self.d.ctl(g)
        self.d.start()
        self.n = 0
        # A second alliance with its own organizer.
        self.say("联盟 新建 乙联盟 61")
        self.d.ctl("grant generic org2 organizer 2")

    def close(self):
        try:
            self.d.close()
        finally:
            self.fake.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def restart(self, env):
        self.d.stop()
        self.d.env.update(env)
        self.d.start()

    def set_clock(self, value):
        """Moves the daemon's fake clock (World(clock=...)) and waits for a
        round of the alliances' timed work at the new time."""
        self.d.set_clock(value)
        self.tick()

    def tick(self, timeout=20.0):
        """Waits for a round of the alliances' timed work (every 2 s) that
        starts after this call."""
        before = metric(self.d, "cqod_alliance_ticks_total") or 0
        wait_until(lambda: (metric(self.d, "cqod_alliance_ticks_total") or 0) > before,
                   "a round of the alliances' timed work", timeout)

    def _id(self):
        self.n += 1
        return "m-%d-%d" % (self.n, time.monotonic_ns())

    def say(self, text, sender="u-admin", chat_type="private"):
        """Through the generic webhook: (reply text, is_error)."""
        status, body = self.d.webhook(text, self._id(), sender=sender, chat_type=chat_type)
        assert status == 200, body
        return body["reply"]["text"], body["reply"]["error"]

    def ok(self, text, sender="u-admin", chat_type="private"):
        out, err = self.say(text, sender, chat_type)
        assert not err, out
        return out

    def confirm(self, preview, sender):
        m = re.search(r"确认 (\d{6})", preview)
        assert m, preview
        return self.say("确认 " + m.group(1), sender)

    def ding(self, text, sender="staff-org", conv="cid-group-1", group=True):
        """A DingTalk message; returns the reply text sent to its sessionWebhook."""
        mid = self._id()
        now = int(time.time() * 1000)
        hook = self.fake.base + "/robot/sendBySession?session=" + mid
        body = json.dumps({
            "conversationId": conv, "chatbotCorpId": "dingcorp", "chatbotUserId": "$:bot",
            "msgId": mid, "senderNick": "组织者", "isAdmin": False, "senderStaffId": sender,
            "sessionWebhookExpiredTime": now + 90 * 60 * 1000, "createAt": now,
            "senderCorpId": "dingcorp", "conversationType": "2" if group else "1",
            "senderId": "$:LWCP_v1:$" + sender, "isInAtList": True, "robotCode": "ding-robot",
            "msgtype": "text", "text": {"content": " " + text}, "sessionWebhook": hook,
        }, ensure_ascii=False).encode()
        ts = ding_ts()
        status, _, _ = self.d.request("POST", "/webhook/dingtalk/d1", body, {
            "Content-Type": "application/json", "timestamp": ts,
            "sign": ding_sign(ts, DING_SECRET)})
        assert status == 200
        mine = wait_until(lambda: [r for r in self.fake.requests("/robot/sendBySession")
                                   if r["query"].get("session") == mid],
                          "a DingTalk reply for " + text, 10)
        return message_text(mine[0])

    def feishu(self, text, sender="ou_org", chat="oc_group_1", group=True):
        """A Feishu message; returns the reply text sent through the reply API.
        In a group it @-mentions the bot (the fake's ou_bot), as it must to be
        a command."""
        mid = "om_" + self._id()
        mentions = []
        if group:
            text = "@_user_1 " + text
            mentions = [{"key": "@_user_1", "id": {"open_id": "ou_bot"}, "name": "CQO",
                         "mentioned_type": "bot"}]
        body = json.dumps({
            "schema": "2.0",
            "header": {"event_id": "ev-" + mid, "event_type": "im.message.receive_v1",
                       "create_time": str(int(time.time() * 1000)), "token": FEISHU_TOKEN,
                       "app_id": "cli_alliance", "tenant_key": "t"},
            "event": {"sender": {"sender_id": {"open_id": sender}, "sender_type": "user",
                                 "tenant_key": "t"},
                      "message": {"message_id": mid, "chat_id": chat,
                                  "chat_type": "group" if group else "p2p",
                                  "message_type": "text",
                                  "content": json.dumps({"text": text}, ensure_ascii=False),
                                  "mentions": mentions}}}, ensure_ascii=False).encode()
        status, _, _ = self.d.request("POST", "/webhook/feishu/f1", body,
                                      {"Content-Type": "application/json"})
        assert status == 200
        path = "/open-apis/im/v1/messages/%s/reply" % mid
        return message_text(self.fake.wait_requests(path, 1)[0])

    def messages(self, prefix=""):
        """Message requests at the fake (no token fetches, no replies to commands)."""
        return [r for r in self.fake.requests(prefix)
                if not r["path"].startswith(TOKEN_PATHS)
                and not r["path"].startswith("/robot/sendBySession")
                and not r["path"].endswith("/reply")]

    def wait_messages(self, n, prefix="", timeout=20.0):
        wait_until(lambda: len(self.messages(prefix)) >= n, "%d messages under %r" % (n, prefix),
                   timeout)
        return self.messages(prefix)

    def drained(self, timeout=20.0):
        """Waits until the outbox has nothing pending or in flight."""
        wait_until(lambda: self.rows("SELECT count(*) FROM outbox"
                                     " WHERE state IN ('pending', 'inflight')")[0][0] == 0,
                   "an empty outbox", timeout)

    def rows(self, sql, *args):
        with sqlite3.connect(self.d.db, timeout=10) as db:
            return db.execute(sql, args).fetchall()


def message_text(req):
    """Everything readable a platform request carries (text, markdown, post
    or card content), as one string for substring checks."""
    body = req.get("body") or ""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    out = []

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str):
            # Nested JSON strings (Feishu content, DingTalk msgParam).
            if v[:1] in "{[":
                try:
                    walk(json.loads(v))
                    return
                except ValueError:
                    pass
            out.append(v)
    walk(data)
    return "\n".join(out)


EVENT_FORM = ("活动 发布\n类型：沙龙\n标题：%(title)s\n开始时间：%(start)s\n结束时间：%(end)s\n"
              "地点：示例会展中心\n人数上限：%(cap)s\n报名截止：%(deadline)s\n简介：交流质量管理经验\n"
              "开放报名：%(open)s%(extra)s")


def event_form(title="质量沙龙", start="2030-06-01 14:00", end="2030-06-01 17:00", cap="40",
               deadline="2030-05-28", open_="否", extra=""):
    return EVENT_FORM % {"title": title, "start": start, "end": end, "cap": cap,
                         "deadline": deadline, "open": open_, "extra": extra}


def publish(w, sender="org", **kw):
    """Publishes through the generic webhook (preview, then 确认); returns the
    event number."""
    preview, err = w.say(event_form(**kw), sender)
    assert not err and "确认后将发送到" in preview, preview
    done, err = w.confirm(preview, sender)
    assert not err, done
    m = re.search(r"已发布活动 (\d+)", done)
    assert m, done
    return int(m.group(1))
