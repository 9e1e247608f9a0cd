"""Outbound messages from the real daemon, through tests/fake/fakeplatform.py:
the exact requests cqod makes when it answers DingTalk and Feishu messages
(token fetched once and cached, refused token refreshed and the send retried
once), the [outbound] and robot configuration, the metric, and shutdown
waiting for a reply in flight. Request encoding and classification in detail
are covered by tests/unit/test_sender.c."""
import base64
import hashlib
import hmac
import json
import os
import re
import signal
import subprocess
import time

from harness import ROOT, Daemon, wait_until
from platforms import ding_ts

APP_SECRET = "outbound-ding-secret"
FEISHU_SECRET = "outbound-feishu-secret"
FEISHU_VTOKEN = "outbound-verification-token"


class Fake:
    def __init__(self):
        self.proc = subprocess.Popen(
            ["python3", os.path.join(ROOT, "tests", "fake", "fakeplatform.py"), "--exit-on-eof"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        m = re.match(r"PORT (\d+)", self.proc.stdout.readline())
        assert m, "fakeplatform did not start"
        self.port = int(m.group(1))
        self.base = "http://127.0.0.1:%d" % self.port

    def call(self, method, path, body=None):
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request(method, path, body=json.dumps(body) if body is not None else None)
        data = c.getresponse().read()
        c.close()
        return json.loads(data)

    def script(self, prefix, responses):
        self.call("POST", "/_script", {"path_prefix": prefix, "responses": responses})

    def wait(self, n, timeout=10.0):
        """The recorded requests once there are at least n."""
        def recorded():
            return self.call("GET", "/_requests")["requests"]
        wait_until(lambda: len(recorded()) >= n, "%d requests" % n, timeout)
        return recorded()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(10)
        self.proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def config(base):
    return """
[outbound]
timeout_ms = 5000
max_in_flight = 4

[dingtalk:d]
app_key = ding-key
app_secret = %(ds)s
robot_code = ding-robot
api_base = %(b)s
oapi_base = %(b)s

[feishu:f]
app_id = cli_out
app_secret = %(fs)s
verification_token = %(vt)s
api_base = %(b)s

[wecom_robot:alerts]
key = wecom-robot-key
api_base = %(b)s

[dingtalk_robot:alerts]
access_token = ding-robot-token
secret = SECding-robot-secret
api_base = %(b)s

[feishu_bot:alerts]
hook_id = feishu-hook
secret = feishu-bot-secret
api_base = %(b)s
""" % {"b": base, "ds": APP_SECRET, "fs": FEISHU_SECRET, "vt": FEISHU_VTOKEN}


def ding_post(d, msg_id, expired):
    now = int(time.time() * 1000)
    body = json.dumps({
        "msgtype": "text", "text": {"content": " whoami"}, "msgId": msg_id, "createAt": now,
        "conversationType": "2", "conversationId": "cid-group-1", "conversationTitle": "群",
        "senderId": "$:LWCP_v1:$x", "senderNick": "测试", "senderStaffId": "staff-9",
        "chatbotUserId": "$:bot", "robotCode": "ding-robot", "isInAtList": True,
        "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=old",
        "sessionWebhookExpiredTime": now - 60000 if expired else now + 5400000,
    }, ensure_ascii=False).encode()
    ts = ding_ts()
    sign = base64.b64encode(hmac.new(APP_SECRET.encode(), ("%s\n%s" % (ts, APP_SECRET)).encode(),
                                     hashlib.sha256).digest()).decode()
    status, _, _ = d.request("POST", "/webhook/dingtalk/d", body,
                             {"Content-Type": "application/json", "timestamp": ts, "sign": sign})
    assert status == 200


def feishu_post(d, event_id, message_id):
    body = json.dumps({
        "schema": "2.0",
        "header": {"event_id": event_id, "event_type": "im.message.receive_v1",
                   "create_time": str(int(time.time() * 1000)), "token": FEISHU_VTOKEN,
                   "app_id": "cli_out", "tenant_key": "t"},
        "event": {"sender": {"sender_id": {"open_id": "ou_asker"}, "sender_type": "user"},
                  "message": {"message_id": message_id, "chat_id": "oc_c", "chat_type": "p2p",
                              "message_type": "text", "content": "{\"text\":\"whoami\"}"}},
    }).encode()
    status, _, _ = d.request("POST", "/webhook/feishu/f", body, {"Content-Type": "application/json"})
    assert status == 200


def metric(d, platform, outcome):
    _, data, _ = d.request("GET", "/metrics")
    m = re.search(r'cqod_outbound_requests_total\{platform="%s",outcome="%s"\} (\d+)' % (
        platform, outcome), data.decode())
    return int(m.group(1)) if m else 0


def assert_no_secrets(d):
    for line in d.drain_log():
        for s in (APP_SECRET, FEISHU_SECRET, "tok-1", "tok-2", "wecom-robot-key",
                  "ding-robot-token", "SECding-robot-secret", "feishu-hook", "feishu-bot-secret"):
            assert s not in line, "secret in log: %s" % line


def test_outbound_config_check():
    with Fake() as fake, Daemon(config(fake.base), seed=None) as d:
        cmd = [os.path.join(d.dir, "cqod"), "-n", "-c", d.config]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        assert r.returncode == 0 and r.stdout.strip() == "configuration OK", r.stderr
        d.write_config(config(fake.base).replace("timeout_ms = 5000", "timeout_ms = 50"))
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        assert r.returncode == 1
        assert "timeout_ms: expected an integer from 100 to 600000, got \"50\"" in r.stderr
        assert "feishu-bot-secret" not in r.stderr


def test_outbound_dingtalk_openapi_token_cached():
    """An expired sessionWebhook: the group answer goes through the robot
    OpenAPI, with one access token for both answers."""
    with Fake() as fake, Daemon(config(fake.base)).start() as d:
        ding_post(d, "out-1", expired=True)
        reqs = fake.wait(2)
        ding_post(d, "out-2", expired=True)
        reqs = fake.wait(3)
        assert [(r["method"], r["path"]) for r in reqs] == [
            ("POST", "/v1.0/oauth2/accessToken"),
            ("POST", "/v1.0/robot/groupMessages/send"),
            ("POST", "/v1.0/robot/groupMessages/send")]
        assert json.loads(reqs[0]["body"]) == {"appKey": "ding-key", "appSecret": APP_SECRET}
        for r in reqs[1:]:
            assert r["headers"]["x-acs-dingtalk-access-token"] == "tok-1"
            assert r["headers"]["content-type"] == "application/json; charset=utf-8"
            sent = json.loads(r["body"])
            assert list(sent)[:2] == ["robotCode", "openConversationId"], sent
            assert sent["robotCode"] == "ding-robot"
            assert sent["openConversationId"] == "cid-group-1"
            assert sent["msgKey"] in ("sampleText", "sampleMarkdown")
            param = json.loads(sent["msgParam"])
            assert "访客" in json.dumps(param, ensure_ascii=False), param
        # Counted when the daemon has read the answer, a moment after the
        # fake logged the request.
        wait_until(lambda: metric(d, "dingtalk", "ok") == 2, "dingtalk ok == 2")
        assert metric(d, "dingtalk", "ok") == 2
        assert_no_secrets(d)


def test_outbound_feishu_token_refused_once():
    with Fake() as fake, Daemon(config(fake.base)).start() as d:
        fake.script("/open-apis/im/", [{"status": 400, "body": {
            "code": 99991663, "msg": "Invalid access token for authorization."}}])
        feishu_post(d, "ev-out-1", "om_out_1")
        reqs = fake.wait(4)
        assert [(r["path"], r["status"]) for r in reqs] == [
            ("/open-apis/auth/v3/tenant_access_token/internal", 200),
            ("/open-apis/im/v1/messages/om_out_1/reply", 400),
            ("/open-apis/auth/v3/tenant_access_token/internal", 200),
            ("/open-apis/im/v1/messages/om_out_1/reply", 200)]
        assert json.loads(reqs[0]["body"]) == {"app_id": "cli_out", "app_secret": FEISHU_SECRET}
        assert reqs[1]["headers"]["authorization"] == "Bearer tok-1"
        assert reqs[3]["headers"]["authorization"] == "Bearer tok-2"
        # The retry is the same message: same body, same idempotency key.
        assert reqs[1]["body"] == reqs[3]["body"]
        sent = json.loads(reqs[3]["body"])
        assert sent["uuid"].endswith("-1") and "ev-out-1" in sent["uuid"], sent
        json.loads(sent["content"])
        # The daemon has recorded the success: nothing more will be sent.
        wait_until(lambda: metric(d, "feishu", "ok") == 1, "the reply counted as sent")
        assert len(fake.wait(4)) == 4
        wait_until(lambda: metric(d, "feishu", "ok") == 1, "feishu ok == 1")
        assert metric(d, "feishu", "ok") == 1
        assert_no_secrets(d)


def test_outbound_feishu_token_expired_refreshed():
    # 99991677 (the token expired) refreshes it like 99991663: not a dead letter.
    with Fake() as fake, Daemon(config(fake.base)).start() as d:
        fake.script("/open-apis/im/", [{"status": 400, "body": {
            "code": 99991677, "msg": "Authentication token expired."}}])
        feishu_post(d, "ev-out-9", "om_out_9")
        reqs = fake.wait(4)
        assert [(r["path"], r["status"]) for r in reqs] == [
            ("/open-apis/auth/v3/tenant_access_token/internal", 200),
            ("/open-apis/im/v1/messages/om_out_9/reply", 400),
            ("/open-apis/auth/v3/tenant_access_token/internal", 200),
            ("/open-apis/im/v1/messages/om_out_9/reply", 200)]
        assert reqs[3]["headers"]["authorization"] == "Bearer tok-2"
        wait_until(lambda: metric(d, "feishu", "ok") == 1, "the reply counted as sent")
        assert metric(d, "feishu", "permanent") == 0


def test_outbound_shutdown_waits_for_reply():
    with Fake() as fake, Daemon(config(fake.base)).start() as d:
        fake.script("/open-apis/im/", [{"delay_ms": 800}])
        feishu_post(d, "ev-out-2", "om_out_2")
        fake.wait(2)
        d.signal(signal.SIGTERM)
        assert d.proc.wait(15) == 0
        log = "\n".join(d.drain_log())
        assert "cancelled" not in log and "not delivered" not in log, log
