"""Interoperability with the platforms' official SDKs from the npm registry
(tests/interop/: @wecom/crypto, @larksuiteoapi/node-sdk, pinned by its
package-lock.json): requests the SDKs encrypt and sign must be accepted by
the running daemon, and the daemon's encrypted WeCom passive reply must open
with the SDK. DingTalk publishes no SDK vectors; its signature is computed
here with the openssl tool, independently of cqod and of Python's hmac.

The SDKs are installed by the Makefile (make interop-deps: npm ci from the
lock file), never from here. Without them these tests fail: they never
skip."""
import json
import os
import subprocess
import time
import urllib.parse

from harness import ROOT
from platforms import (DING_SECRET, FEISHU_KEY, FEISHU_TOKEN, WECOM_AES, WECOM_CORP,
                       WECOM_TOKEN, FakePlatform, ding_body, ding_post, feishu_event, start,
                       wecom_envelope, wecom_inner, xml_field)

INTEROP = os.path.join(ROOT, "tests", "interop")


def ensure_sdks():
    for pkg in ("@wecom/crypto", "@larksuiteoapi/node-sdk"):
        assert os.path.isdir(os.path.join(INTEROP, "node_modules", pkg)), \
            "tests/interop/node_modules/%s is missing: run make interop-deps" % pkg


def sdk(op, **args):
    ensure_sdks()
    r = subprocess.run(["node", os.path.join(INTEROP, "sdk.js"), op], input=json.dumps(args),
                       capture_output=True, text=True, timeout=60, cwd=INTEROP)
    assert r.returncode == 0, "sdk.js %s failed:\n%s" % (op, r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_wecom_sdk_url_verification():
    with FakePlatform() as fake, start(fake) as d:
        ts, nonce = str(int(time.time())), "5361"
        e = sdk("wecom-encrypt", aes_key=WECOM_AES, corp_id=WECOM_CORP, token=WECOM_TOKEN,
                message="sdk-echo-8817", timestamp=ts, nonce=nonce)
        q = urllib.parse.urlencode({"msg_signature": e["signature"], "timestamp": ts,
                                    "nonce": nonce, "echostr": e["encrypt"]})
        status, body, _ = d.request("GET", "/webhook/wecom/w1?" + q)
        assert (status, body) == (200, b"sdk-echo-8817"), (status, body)


def test_wecom_sdk_message_and_passive_reply():
    with FakePlatform() as fake, start(fake) as d:
        ts, nonce = str(int(time.time())), "90210"
        inner = wecom_inner("whoami", sender="wangwu", msg_id="7100000000000000001")
        e = sdk("wecom-encrypt", aes_key=WECOM_AES, corp_id=WECOM_CORP, token=WECOM_TOKEN,
                message=inner, timestamp=ts, nonce=nonce)
        q = urllib.parse.urlencode({"msg_signature": e["signature"], "timestamp": ts,
                                    "nonce": nonce})
        status, body, _ = d.request("POST", "/webhook/wecom/w1?" + q, wecom_envelope(e["encrypt"]))
        assert status == 200, body
        xml = body.decode()
        out = sdk("wecom-decrypt", aes_key=WECOM_AES, token=WECOM_TOKEN,
                  encrypt=xml_field(xml, "Encrypt"), timestamp=xml_field(xml, "TimeStamp"),
                  nonce=xml_field(xml, "Nonce"), signature=xml_field(xml, "MsgSignature"))
        assert out["id"] == WECOM_CORP
        assert xml_field(out["message"], "ToUserName") == "wangwu"
        assert "访客" in xml_field(out["message"], "Content")


def test_feishu_sdk_encrypted_event():
    with FakePlatform() as fake, start(fake) as d:
        ts, nonce = str(int(time.time())), "sdk-nonce-1"
        r = sdk("feishu-request", encrypt_key=FEISHU_KEY, verification_token=FEISHU_TOKEN,
                plaintext=feishu_event("whoami", "ev-sdk-1", "om_sdk1"), timestamp=ts,
                nonce=nonce)
        status, data, _ = d.request("POST", "/webhook/feishu/enc", r["body"].encode(), {
            "Content-Type": "application/json", "X-Lark-Request-Timestamp": ts,
            "X-Lark-Request-Nonce": nonce, "X-Lark-Signature": r["signature"]})
        assert status == 200, data
        reqs = fake.wait_requests("/open-apis/im/v1/messages/om_sdk1/reply")
        assert "访客" in json.loads(reqs[0]["body"])["content"]


def test_feishu_sdk_challenge():
    with FakePlatform() as fake, start(fake) as d:
        plain = json.dumps({"challenge": "sdk-ch-42", "token": FEISHU_TOKEN,
                            "type": "url_verification"})
        r = sdk("feishu-encrypt", encrypt_key=FEISHU_KEY, plaintext=plain)
        want = sdk("feishu-challenge", encrypt_key=FEISHU_KEY, body=r["body"])["challenge"]
        status, data, _ = d.request("POST", "/webhook/feishu/enc", r["body"].encode(),
                                    {"Content-Type": "application/json"})
        assert status == 200 and json.loads(data) == want == {"challenge": "sdk-ch-42"}, data


def test_dingtalk_openssl_signature():
    with FakePlatform() as fake, start(fake) as d:
        ts = str(int(time.time() * 1000))
        cmd = "printf '%%s\\n%%s' '%s' '%s' | openssl dgst -sha256 -hmac '%s' -binary | " \
              "openssl base64 -A" % (ts, DING_SECRET, DING_SECRET)
        sign = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True,
                              timeout=30).stdout.strip()
        assert len(sign) == 44, sign
        status, _, _ = ding_post(d, ding_body(fake, "whoami", "dm-ssl"), ts=ts, sign=sign)
        assert status == 200
        fake.wait_requests("/robot/sendBySession")
