"""Helpers for the chat-platform tests: the fake platform API server, one
daemon configured with WeCom, DingTalk and Feishu instances pointing at it,
and each platform's request signing and encryption done independently of
cqod (Python's hashlib/hmac, and the openssl tool for AES, since the
standard library has no AES)."""
import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse

from harness import ROOT, Daemon, wait_until

WECOM_TOKEN = "wecom-token-1"
WECOM_CORP = "ww-test-corp-1"
WECOM_AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
WECOM2_TOKEN = "wecom-token-2"
WECOM2_CORP = "ww-test-corp-2"
WECOM2_AES = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
DING_SECRET = "ding-app-secret-1"
FEISHU_TOKEN = "feishu-verification-token"
FEISHU_KEY = "feishu-encrypt-key-1"
# Everything a log line must never contain.
SECRETS = (WECOM_TOKEN, WECOM_AES, WECOM2_AES, DING_SECRET, FEISHU_TOKEN, FEISHU_KEY,
           "wecom-app-secret", "feishu-app-secret")


class FakePlatform:
    """tests/fake/fakeplatform.py on a loopback port; dies with its stdin."""

    def __init__(self):
        self.proc = subprocess.Popen(
            ["python3", os.path.join(ROOT, "tests", "fake", "fakeplatform.py"), "--exit-on-eof"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"PORT (\d+)", line)
        assert m, "fakeplatform did not start: %r" % line
        self.port = int(m.group(1))
        self.base = "http://127.0.0.1:%d" % self.port

    def _call(self, method, path, body=None):
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request(method, path, body=body)
        r = c.getresponse()
        data = r.read()
        c.close()
        return json.loads(data)

    def requests(self, prefix=""):
        q = "?path_prefix=" + urllib.parse.quote(prefix) if prefix else ""
        return self._call("GET", "/_requests" + q)["requests"]

    def wait_requests(self, prefix, n=1, timeout=10.0):
        """Polls until at least n requests under prefix arrived; returns them."""
        wait_until(lambda: len(self.requests(prefix)) >= n,
                   "%d request(s) under %s" % (n, prefix), timeout)
        return self.requests(prefix)

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


FEISHU_TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal"


def platform_config(fake_base):
    return """
[wecom:w1]
corp_id = %(corp)s
agent_id = 1000002
secret = wecom-app-secret
token = %(wtoken)s
aes_key = %(waes)s
api_base = %(base)s

[wecom:w2]
corp_id = %(corp2)s
agent_id = 1000003
secret = wecom-app-secret
token = %(wtoken2)s
aes_key = %(waes2)s
api_base = %(base)s

[dingtalk:d1]
app_key = ding-app-key
app_secret = %(dsecret)s
robot_code = ding-robot
api_base = %(base)s
oapi_base = %(base)s

[feishu:plain]
app_id = cli_plain
app_secret = feishu-app-secret
verification_token = %(ftoken)s
api_base = %(base)s

[feishu:enc]
app_id = cli_enc
app_secret = feishu-app-secret
verification_token = %(ftoken)s
encrypt_key = %(fkey)s
api_base = %(base)s
""" % {"corp": WECOM_CORP, "wtoken": WECOM_TOKEN, "waes": WECOM_AES, "corp2": WECOM2_CORP,
       "wtoken2": WECOM2_TOKEN, "waes2": WECOM2_AES, "dsecret": DING_SECRET,
       "ftoken": FEISHU_TOKEN, "fkey": FEISHU_KEY, "base": fake_base}


def start(fake):
    """A started daemon with every platform instance, answering at fake."""
    d = Daemon(platform_config(fake.base))
    d.start()
    return d


def metric(d, platform, outcome):
    _, data, _ = d.request("GET", "/metrics")
    m = re.search(r'cqod_inbound_messages_total\{platform="%s",outcome="%s"\} (\d+)' % (
        platform, outcome), data.decode())
    return int(m.group(1)) if m else 0


def assert_no_secrets(d):
    for line in d.drain_log():
        for s in SECRETS:
            assert s not in line, "secret in log: %s" % line


def openssl_aes(key, iv, data, decrypt=False, pad=True):
    cmd = ["openssl", "enc", "-aes-256-cbc", "-K", key.hex(), "-iv", iv.hex()]
    cmd += ["-d"] if decrypt else []
    cmd += [] if pad else ["-nopad"]
    r = subprocess.run(cmd, input=data, capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout


# --- WeCom -----------------------------------------------------------------

def wecom_key(aes):
    return base64.b64decode(aes + "=")


def wecom_sign(token, ts, nonce, encrypt):
    return hashlib.sha1("".join(sorted([token, ts, nonce, encrypt])).encode()).hexdigest()


def wecom_encrypt(aes, msg, corp, pad_byte=None, length=None):
    """Base64 of AES(random16 || len || msg || corp) with 32-byte PKCS#7; the
    pad byte or length field may be forged."""
    key = wecom_key(aes)
    msg = msg.encode() if isinstance(msg, str) else msg
    plain = os.urandom(16) + (len(msg) if length is None else length).to_bytes(4, "big")
    plain += msg + corp.encode()
    n = 32 - len(plain) % 32
    plain += bytes([n if pad_byte is None else pad_byte]) * n
    return base64.b64encode(openssl_aes(key, key[:16], plain, pad=False)).decode()


def wecom_decrypt(aes, b64):
    """(msg bytes, receiveid) of an Encrypt text, strictly unpadded."""
    key = wecom_key(aes)
    plain = openssl_aes(key, key[:16], base64.b64decode(b64), decrypt=True, pad=False)
    n = plain[-1]
    assert 1 <= n <= 32 and plain[-n:] == bytes([n]) * n, "bad padding"
    plain = plain[:-n]
    size = int.from_bytes(plain[16:20], "big")
    return plain[20:20 + size], plain[20 + size:].decode()


def wecom_inner(text=None, sender="zhangsan", msg_id="7000000000000000001", msg_type="text",
                create_time=None, extra=""):
    ct = create_time or str(int(time.time()))
    x = "<xml><ToUserName><![CDATA[%s]]></ToUserName>\n" % WECOM_CORP
    x += "<FromUserName><![CDATA[%s]]></FromUserName>\n" % sender
    x += "<CreateTime>%s</CreateTime>\n<MsgType><![CDATA[%s]]></MsgType>\n" % (ct, msg_type)
    if text is not None:
        x += "<Content><![CDATA[%s]]></Content>\n" % text
    if msg_id:
        x += "<MsgId>%s</MsgId>\n" % msg_id
    return x + extra + "<AgentID>1000002</AgentID>\n</xml>"


def wecom_envelope(encrypt):
    return ("<xml><ToUserName><![CDATA[%s]]></ToUserName><Encrypt><![CDATA[%s]]></Encrypt>"
            "<AgentID><![CDATA[1000002]]></AgentID></xml>" % (WECOM_CORP, encrypt)).encode()


def wecom_query(encrypt, token=WECOM_TOKEN, ts=None, nonce="1372623149", echostr=None):
    ts = ts or str(int(time.time()))
    q = {"msg_signature": wecom_sign(token, ts, nonce, encrypt), "timestamp": ts,
         "nonce": nonce}
    if echostr is not None:
        q["echostr"] = echostr
    return urllib.parse.urlencode(q, quote_via=urllib.parse.quote, safe="")


def wecom_post(d, inner, name="w1", aes=WECOM_AES, corp=WECOM_CORP, token=WECOM_TOKEN):
    enc = wecom_encrypt(aes, inner, corp)
    path = "/webhook/wecom/%s?%s" % (name, wecom_query(enc, token=token))
    return d.request("POST", path, wecom_envelope(enc), {"Content-Type": "text/xml"})


def xml_field(xml, name):
    m = re.search(r"<%s>(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))</%s>" % (name, name), xml, re.S)
    assert m, "no %s in %s" % (name, xml)
    return m.group(1) if m.group(1) is not None else m.group(2)


def wecom_open_reply(body, aes=WECOM_AES, token=WECOM_TOKEN, corp=WECOM_CORP):
    """Checks a passive reply envelope's signature; returns its inner XML."""
    xml = body.decode()
    enc = xml_field(xml, "Encrypt")
    sig = xml_field(xml, "MsgSignature")
    assert sig == wecom_sign(token, xml_field(xml, "TimeStamp"), xml_field(xml, "Nonce"), enc)
    msg, rid = wecom_decrypt(aes, enc)
    assert rid == corp
    return msg.decode()


# --- DingTalk --------------------------------------------------------------

def ding_sign(ts, secret=DING_SECRET):
    mac = hmac.new(secret.encode(), ("%s\n%s" % (ts, secret)).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


_ding_last = [0]
_ding_lock = threading.Lock()


def ding_ts():
    """Now in milliseconds, as DingTalk's timestamp header, never twice the
    same: cqod refuses a sign (a function of the timestamp alone) that comes
    back with another message, so two test messages must not share one."""
    with _ding_lock:
        _ding_last[0] = max(int(time.time() * 1000), _ding_last[0] + 1)
        return str(_ding_last[0])


DING_BOT = "$:bot"


def ding_body(fake, text="whoami", msg_id="ding-msg-1", conv="1", msgtype="text", hook=None,
              at_users=None, sender="staff-1"):
    """A DingTalk robot message; at_users lists the mentioned users as
    DingTalk does ({"dingtalkId"[, "staffId"]}, the bot's own entry first)."""
    now = int(time.time() * 1000)
    b = {"conversationId": "cid-test", "chatbotCorpId": "dingcorp", "chatbotUserId": DING_BOT,
         "msgId": msg_id, "senderNick": "测试", "isAdmin": False, "senderStaffId": sender,
         "sessionWebhookExpiredTime": now + 90 * 60 * 1000, "createAt": now,
         "senderCorpId": "dingcorp", "conversationType": conv, "senderId": "$:LWCP_v1:$x",
         "isInAtList": True, "robotCode": "ding-robot", "msgtype": msgtype,
         "sessionWebhook": hook or fake.base + "/robot/sendBySession?session=s-" + msg_id}
    if at_users is not None:
        b["atUsers"] = at_users
    if msgtype == "text":
        b["text"] = {"content": " " + text}
    else:
        b["content"] = {"downloadCode": "dl"}
    return json.dumps(b, ensure_ascii=False).encode()


def ding_post(d, body, ts=None, sign=None, name="d1"):
    ts = ts if ts is not None else ding_ts()
    headers = {"Content-Type": "application/json; charset=utf-8", "timestamp": ts,
               "sign": sign if sign is not None else ding_sign(ts)}
    return d.request("POST", "/webhook/dingtalk/" + name, body, headers)


# --- Feishu ----------------------------------------------------------------

def feishu_encrypt(plain, key=FEISHU_KEY, pad_byte=None):
    k = hashlib.sha256(key.encode()).digest()
    iv = os.urandom(16)
    data = plain.encode() if isinstance(plain, str) else plain
    n = 16 - len(data) % 16
    data += bytes([n if pad_byte is None else pad_byte]) * n
    return base64.b64encode(iv + openssl_aes(k, iv, data, pad=False)).decode()


def feishu_sign(ts, nonce, body, key=FEISHU_KEY):
    return hashlib.sha256(ts.encode() + nonce.encode() + key.encode() + body).hexdigest()


def feishu_event(text="whoami", event_id="ev-1", message_id="om_1", chat_type="p2p",
                 msg_type="text", mentions=None, token=FEISHU_TOKEN):
    content = json.dumps({"text": text}, ensure_ascii=False) if msg_type == "text" else \
        json.dumps({"image_key": "img_1"})
    return json.dumps({
        "schema": "2.0",
        "header": {"event_id": event_id, "event_type": "im.message.receive_v1",
                   "create_time": str(int(time.time() * 1000)), "token": token,
                   "app_id": "cli_x", "tenant_key": "t"},
        "event": {"sender": {"sender_id": {"open_id": "ou_sender", "union_id": "on_s"},
                             "sender_type": "user", "tenant_key": "t"},
                  "message": {"message_id": message_id, "chat_id": "oc_chat",
                              "chat_type": chat_type, "message_type": msg_type,
                              "content": content, "mentions": mentions or []}}},
        ensure_ascii=False)


# The bot's open_id as tests/fake/fakeplatform.py answers GET /open-apis/bot/v3/info.
FEISHU_BOT = "ou_bot"


def feishu_mention(key, open_id, name="某人", mentioned_type=None):
    """One mentions[] entry of a Feishu message; mentioned_type only when given."""
    m = {"key": key, "id": {"open_id": open_id, "union_id": "on_" + open_id[3:]},
         "name": name, "tenant_key": "t"}
    if mentioned_type:
        m["mentioned_type"] = mentioned_type
    return m


def feishu_post(d, body, name="plain", signed=None, ts=None, nonce="n-1", sig=None):
    """POSTs body (bytes); signed=True adds X-Lark-* headers for FEISHU_KEY."""
    ts = ts or str(int(time.time()))
    headers = {"Content-Type": "application/json"}
    if signed:
        headers.update({"X-Lark-Request-Timestamp": ts, "X-Lark-Request-Nonce": nonce,
                        "X-Lark-Signature": sig or feishu_sign(ts, nonce, body)})
    return d.request("POST", "/webhook/feishu/" + name, body, headers)


def feishu_encrypted_body(plain):
    return json.dumps({"encrypt": feishu_encrypt(plain)}).encode()
