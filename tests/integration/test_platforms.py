"""WeCom, DingTalk and Feishu end to end: the real daemon, requests signed and
encrypted independently (platforms.py), replies read inline (WeCom's
passive reply) or at the fake platform server (DingTalk's sessionWebhook,
Feishu's reply API). Every refused request must run nothing."""
import base64
import json
import os
import sqlite3
import time

from platforms import (DING_BOT, FEISHU_TOKEN, FEISHU_TOKEN_PATH, WECOM2_AES, WECOM2_CORP,
                       WECOM2_TOKEN, WECOM_AES, WECOM_CORP, FakePlatform, assert_no_secrets,
                       ding_body, ding_post, ding_sign, ding_ts, feishu_encrypt,
                       feishu_encrypted_body, feishu_event, feishu_post, feishu_sign, metric,
                       start, wecom_encrypt, wecom_envelope, wecom_inner, wecom_open_reply,
                       wecom_post, wecom_query, xml_field)


# --- WeCom -----------------------------------------------------------------

def test_wecom_url_verification():
    with FakePlatform() as fake, start(fake) as d:
        # An echostr whose Base64 holds '+', '/' and '=': they arrive %-encoded.
        for i in range(200):
            echo = "echo-%d-%s" % (i, os.urandom(6).hex())
            enc = wecom_encrypt(WECOM_AES, echo, WECOM_CORP)
            if "+" in enc and "/" in enc:
                break
        assert "+" in enc and "/" in enc
        q = wecom_query(enc, echostr=enc)
        assert "%2B" in q
        status, body, r = d.request("GET", "/webhook/wecom/w1?" + q)
        assert status == 200 and body == echo.encode(), (status, body)
        assert r.getheader("Content-Type").startswith("text/plain")
        # A '+' sent raw stays '+' (no form decoding), so the same request
        # with '+' unescaped is still good.
        status, body, _ = d.request("GET", "/webhook/wecom/w1?" + q.replace("%2B", "+"))
        assert status == 200 and body == echo.encode()
        # Signed for another corp: decrypts, but the receiveid is not ours.
        other = wecom_encrypt(WECOM_AES, "x", "ww-someone-else")
        status, _, _ = d.request("GET", "/webhook/wecom/w1?" + wecom_query(other, echostr=other))
        assert status == 403
        status, _, _ = d.request("GET", "/webhook/wecom/w1?" + wecom_query(
            enc, token="wrong", echostr=enc))
        assert status == 401
        assert metric(d, "wecom", "verified") == 2
        assert_no_secrets(d)


def test_wecom_text_gets_passive_reply():
    with FakePlatform() as fake, start(fake) as d:
        status, body, r = wecom_post(d, wecom_inner("whoami", sender="lisi"))
        assert status == 200, body
        inner = wecom_open_reply(body)
        assert xml_field(inner, "ToUserName") == "lisi"
        assert xml_field(inner, "FromUserName") == WECOM_CORP
        assert xml_field(inner, "MsgType") == "text"
        content = xml_field(inner, "Content")
        assert "访客" in content and "lisi" in content, content
        # Answered inline: nothing went through the platform API.
        assert not fake.requests("/cgi-bin/message/send")
        assert metric(d, "wecom", "accepted") == 1


def test_wecom_grant_and_query():
    with FakePlatform() as fake, start(fake) as d:
        d.ctl("grant", "wecom:w1", "zhangsan", "admin")
        status, body, _ = wecom_post(d, wecom_inner("查询 张三", msg_id="7000000000000000077"))
        assert status == 200
        content = xml_field(wecom_open_reply(body), "Content")
        assert "张三" in content and "记录号" in content, content


def test_wecom_duplicate_runs_once():
    with FakePlatform() as fake, start(fake) as d:
        inner = wecom_inner("whoami", msg_id="7000000000000000002")
        status, body, _ = wecom_post(d, inner)
        assert status == 200 and b"Encrypt" in body
        # The retry (new timestamp, nonce and ciphertext, same MsgId).
        status, body, _ = wecom_post(d, inner)
        assert status == 200 and body == b""
        assert metric(d, "wecom", "accepted") == 1
        assert metric(d, "wecom", "duplicate") == 1
        # Events have no MsgId: sender + CreateTime identify them.
        ev = wecom_inner(None, msg_id=None, msg_type="event", create_time="1700000000",
                         extra="<Event><![CDATA[enter_agent]]></Event>\n")
        assert wecom_post(d, ev)[:2] == (200, b"")
        assert wecom_post(d, ev)[:2] == (200, b"")
        assert metric(d, "wecom", "ignored") == 1
        assert metric(d, "wecom", "duplicate") == 2


def test_wecom_non_text_is_refused_politely():
    with FakePlatform() as fake, start(fake) as d:
        inner = wecom_inner(None, msg_id="7000000000000000003", msg_type="image",
                            extra="<PicUrl><![CDATA[http://x/y.jpg]]></PicUrl>"
                                  "<MediaId><![CDATA[m]]></MediaId>\n")
        status, body, _ = wecom_post(d, inner)
        assert status == 200
        assert "暂不支持此类消息" in xml_field(wecom_open_reply(body), "Content")
        assert metric(d, "wecom", "unsupported") == 1


def test_wecom_long_reply_goes_through_sender():
    with FakePlatform() as fake, start(fake) as d:
        # The unknown-command answer quotes the word: far over 2048 bytes.
        status, body, _ = wecom_post(d, wecom_inner("查" * 1000, msg_id="7000000000000000004"))
        assert status == 200 and body == b""
        reqs = fake.wait_requests("/cgi-bin/message/send")
        sent = json.loads(reqs[0]["body"])
        assert sent["touser"] == "zhangsan"
        assert sent["agentid"] == 1000002


def test_wecom_bad_input_runs_nothing():
    with FakePlatform() as fake, start(fake) as d:
        inner = wecom_inner("whoami", msg_id="7000000000000000005")
        enc = wecom_encrypt(WECOM_AES, inner, WECOM_CORP)
        body = wecom_envelope(enc)
        old = str(int(time.time()) - 7200)
        cases = [
            # (query, body, status)
            (wecom_query(enc, token="wrong"), body, 401),
            (wecom_query(enc, ts=old), body, 401),
            (wecom_query(enc).replace("msg_signature=", "msg_signature=0"), body, 401),
            ("timestamp=1&nonce=2", body, 400),
            (wecom_query(enc).replace("nonce=", "nonce=%zz"), body, 400),
            (wecom_query(enc), b"<xml><Encrypt>" + enc.encode(), 400),
            (wecom_query(enc), b"not xml at all", 400),
            (wecom_query(enc), b"<xml><ToUserName>x</ToUserName></xml>", 400),
            (wecom_query(enc),
             b"<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><Encrypt>&e;</Encrypt></xml>", 400),
        ]
        forged = [
            (wecom_encrypt(WECOM_AES, inner, "ww-other-corp"), 403),
            (wecom_encrypt(WECOM_AES, inner, WECOM_CORP, pad_byte=0), 400),
            (wecom_encrypt(WECOM_AES, inner, WECOM_CORP, pad_byte=33), 400),
            (wecom_encrypt(WECOM_AES, inner, WECOM_CORP, length=100000), 400),
            (wecom_encrypt(WECOM_AES, "<xml><MsgType>text", WECOM_CORP), 400),
            (wecom_encrypt(WECOM_AES, wecom_inner("whoami", msg_id=None), WECOM_CORP), 400),
            (wecom_encrypt(WECOM2_AES, inner, WECOM_CORP), 400),
            ("not*base64", 400),
            (enc[:-44] + "==", 400),          # truncated
            (base64.b64encode(base64.b64decode(enc)[:-32]).decode(), 400),
        ]
        for e, status in forged:
            cases.append((wecom_query(e), wecom_envelope(e), status))
        for q, b, status in cases:
            got, data, _ = d.request("POST", "/webhook/wecom/w1?" + q, b)
            assert got == status, (q, b[:80], got, data)
        assert d.request("POST", "/webhook/wecom/nope?" + wecom_query(enc), body)[0] == 404
        assert d.request("PUT", "/webhook/wecom/w1?" + wecom_query(enc), body)[0] == 405
        # Each refusal is one warning line, and nothing ran or was recorded.
        log = d.drain_log()
        assert len([l for l in log if "wecom:w1:" in l and "warn" in l]) == len(cases)
        assert metric(d, "wecom", "accepted") == 0
        assert metric(d, "wecom", "bad_signature") == 2
        assert metric(d, "wecom", "stale") == 1
        assert metric(d, "wecom", "forbidden") == 1
        assert not fake.requests()
        status, reply, _ = wecom_post(d, inner)
        assert status == 200 and "访客" in xml_field(wecom_open_reply(reply), "Content")
        assert_no_secrets(d)


def test_wecom_instances_are_separate():
    with FakePlatform() as fake, start(fake) as d:
        inner = wecom_inner("whoami", msg_id="7000000000000000006").replace(
            WECOM_CORP, WECOM2_CORP)
        status, body, _ = wecom_post(d, inner, name="w2", aes=WECOM2_AES, corp=WECOM2_CORP,
                                     token=WECOM2_TOKEN)
        assert status == 200
        msg = wecom_open_reply(body, aes=WECOM2_AES, token=WECOM2_TOKEN, corp=WECOM2_CORP)
        assert "访客" in xml_field(msg, "Content")
        # The same MsgId on the other instance is another message.
        status, body, _ = wecom_post(d, wecom_inner("whoami", msg_id="7000000000000000006"))
        assert status == 200 and b"Encrypt" in body
        # w1's credentials do not open w2.
        status, _, _ = wecom_post(d, inner, name="w2")
        assert status == 401
        assert metric(d, "wecom", "accepted") == 2


# --- DingTalk --------------------------------------------------------------

def test_dingtalk_reply_through_session_webhook():
    with FakePlatform() as fake, start(fake) as d:
        status, data, _ = ding_post(d, ding_body(fake, "whoami", "dm-1"))
        assert status == 200 and json.loads(data) == {}, data
        reqs = fake.wait_requests("/robot/sendBySession")
        assert reqs[0]["query"]["session"] == "s-dm-1"
        sent = json.loads(reqs[0]["body"])
        text = json.dumps(sent, ensure_ascii=False)
        assert "访客" in text and "staff-1" in text, text
        assert metric(d, "dingtalk", "accepted") == 1


def test_dingtalk_duplicate_and_non_text():
    with FakePlatform() as fake, start(fake) as d:
        body = ding_body(fake, "whoami", "dm-2", conv="2")
        assert ding_post(d, body)[0] == 200
        fake.wait_requests("/robot/sendBySession")
        assert ding_post(d, body)[0] == 200
        pic = ding_body(fake, msg_id="dm-3", msgtype="picture")
        assert ding_post(d, pic)[0] == 200
        # The picture's answer, sent after the duplicate, is the second.
        fake.wait_requests("/robot/sendBySession", 2)
        reqs = fake.requests("/robot/sendBySession")
        assert len(reqs) == 2, [r["query"] for r in reqs]
        assert "暂不支持此类消息" in reqs[1]["body"]
        assert metric(d, "dingtalk", "duplicate") == 1
        assert metric(d, "dingtalk", "unsupported") == 1


def test_dingtalk_foreign_session_webhook_is_not_used():
    with FakePlatform() as fake, start(fake) as d:
        body = ding_body(fake, "whoami", "dm-4", hook="https://attacker.example/steal")
        assert ding_post(d, body)[0] == 200
        d.wait_log("sessionWebhook is not a DingTalk URL")
        # The reply takes the OpenAPI path instead (1:1 chat: to the user).
        reqs = fake.wait_requests("/v1.0/robot/oToMessages/batchSend")
        assert "staff-1" in reqs[0]["body"]


def test_dingtalk_bad_input_runs_nothing():
    with FakePlatform() as fake, start(fake) as d:
        body = ding_body(fake, "whoami", "dm-5")
        now = int(time.time() * 1000)
        old = str(now - 3600 * 1000 - 60000)
        cases = [
            (dict(sign="AAAA" + ding_sign(str(now))[4:]), body, 401),
            (dict(sign=""), body, 401),
            (dict(ts=old, sign=ding_sign(old)), body, 401),
            (dict(ts=str(now + 3700 * 1000), sign=ding_sign(str(now + 3700 * 1000))), body, 401),
            (dict(ts="soon"), body, 401),
            ({}, b"{not json", 400),
            ({}, b"[]", 400),
            ({}, json.dumps({"msgId": "x", "msgtype": "text"}).encode(), 400),
            ({}, body.replace(b'"conversationType": "1"', b'"conversationType": "9"'), 400),
        ]
        for kw, b, status in cases:
            got, data, _ = ding_post(d, b, **kw)
            assert got == status, (kw, b[:60], got, data)
        status, _, _ = d.request("POST", "/webhook/dingtalk/d1", body, {})
        assert status == 401
        assert d.request("GET", "/webhook/dingtalk/d1")[0] == 405
        assert ding_post(d, body, name="nope")[0] == 404
        assert metric(d, "dingtalk", "accepted") == 0
        assert metric(d, "dingtalk", "stale") == 3
        # The refused message id was not recorded: it still runs, and its
        # answer is all that the refusals before it let through.
        assert ding_post(d, body)[0] == 200
        fake.wait_requests("/robot/sendBySession")
        assert [r["path"] for r in fake.requests()] == ["/robot/sendBySession"], fake.requests()
        assert_no_secrets(d)


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def test_dingtalk_sign_replayed_with_another_message_is_refused():
    """DingTalk's sign covers only the timestamp: a captured header pair
    authenticates the message it came with (sent again, a duplicate), never
    another one, also when its Base64 is spelled differently."""
    with FakePlatform() as fake, start(fake) as d:
        ts = ding_ts()
        sign = ding_sign(ts)
        first = ding_body(fake, "whoami", "dm-r1")
        assert ding_post(d, first, ts=ts, sign=sign)[0] == 200
        fake.wait_requests("/robot/sendBySession")
        forged = ding_body(fake, "查询 张三", "dm-r2")
        status, data, _ = ding_post(d, forged, ts=ts, sign=sign)
        assert status == 401, data
        # The last Base64 digit carries two unused bits: the same MAC.
        alias = sign[:42] + B64[B64.index(sign[42]) ^ 1] + sign[43:]
        assert alias != sign and base64.b64decode(alias) == base64.b64decode(sign)
        assert ding_post(d, forged, ts=ts, sign=alias)[0] == 401
        d.wait_log("sign already used by another message")
        # The same request again is a platform retry: dedupe answers it.
        assert ding_post(d, first, ts=ts, sign=sign)[0] == 200
        assert metric(d, "dingtalk", "duplicate") == 1
        # The refused message was not recorded: signed anew, it runs.
        assert ding_post(d, forged)[0] == 200
        fake.wait_requests("/robot/sendBySession", 2)
        assert metric(d, "dingtalk", "accepted") == 2
        assert metric(d, "dingtalk", "replayed") == 2
        assert len(fake.requests("/robot/sendBySession")) == 2


def test_dingtalk_group_mentions_become_staff_ids():
    """授权 @张三 in a DingTalk group grants the role to the staff id DingTalk
    lists in atUsers, in the order of the @names (the bot's own entry
    dropped); an outsider (no staff id) keeps the typed @name."""
    with FakePlatform() as fake, start(fake) as d:
        d.ctl("grant", "dingtalk", "staff-1", "admin")
        at = [{"dingtalkId": DING_BOT},
              {"dingtalkId": "$:LWCP_v1:$outsider"},
              {"dingtalkId": "$:LWCP_v1:$zs", "staffId": "zhangsan01"}]
        body = ding_body(fake, "@外援 授权 @张三 办事员 371302", "dm-at1", conv="2",
                         at_users=at)
        assert ding_post(d, body)[0] == 200
        reqs = fake.wait_requests("/robot/sendBySession")
        assert "zhangsan01" in reqs[0]["body"], reqs[0]["body"]
        with sqlite3.connect(d.db) as db:
            ids = db.execute("SELECT user_id, role, scope_region FROM identities "
                             "WHERE platform = 'dingtalk' ORDER BY user_id").fetchall()
        assert ids == [("staff-1", "admin", None), ("zhangsan01", "clerk", "371302")], ids


# --- Feishu ----------------------------------------------------------------

def test_feishu_challenge_plain_and_encrypted():
    with FakePlatform() as fake, start(fake) as d:
        ch = {"challenge": "c-123", "token": FEISHU_TOKEN, "type": "url_verification"}
        status, data, r = feishu_post(d, json.dumps(ch).encode())
        assert status == 200 and json.loads(data) == {"challenge": "c-123"}, data
        assert r.getheader("Content-Type").startswith("application/json")
        bad = dict(ch, token="wrong")
        assert feishu_post(d, json.dumps(bad).encode())[0] == 401
        # Encrypted: the challenge is not signed, the answer is plaintext.
        status, data, _ = feishu_post(d, feishu_encrypted_body(json.dumps(ch)), name="enc")
        assert status == 200 and json.loads(data) == {"challenge": "c-123"}, data
        status, _, _ = feishu_post(d, feishu_encrypted_body(json.dumps(bad)), name="enc")
        assert status == 401
        assert metric(d, "feishu", "verified") == 2


def test_feishu_plain_message_reply():
    with FakePlatform() as fake, start(fake) as d:
        status, data, _ = feishu_post(d, feishu_event("whoami", "ev-p1", "om_p1").encode())
        assert status == 200 and json.loads(data) == {}
        reqs = fake.wait_requests("/open-apis/im/v1/messages/om_p1/reply")
        sent = json.loads(reqs[0]["body"])
        assert sent["msg_type"] in ("text", "post", "interactive")
        assert "访客" in sent["content"] and "ou_sender" in sent["content"], sent
        assert metric(d, "feishu", "accepted") == 1


def test_feishu_encrypted_signed_message_with_mentions():
    with FakePlatform() as fake, start(fake) as d:
        mentions = [{"key": "@_user_1", "id": {"open_id": "ou_bot"}, "name": "CQO"},
                    {"key": "@_user_2", "id": {"open_id": "ou_wang"}, "name": "王"}]
        ev = feishu_event("@_user_1 whoami", "ev-e1", "om_e1", chat_type="group",
                          mentions=mentions)
        body = feishu_encrypted_body(ev)
        status, data, _ = feishu_post(d, body, name="enc", signed=True)
        assert status == 200, data
        reqs = fake.wait_requests("/open-apis/im/v1/messages/om_e1/reply")
        assert "访客" in json.loads(reqs[0]["body"])["content"]
        # Same event again (Feishu's retry): acknowledged, not run.
        assert feishu_post(d, body, name="enc", signed=True)[0] == 200
        assert metric(d, "feishu", "duplicate") == 1
        # A later event is answered; the duplicate before it was not.
        ev2 = feishu_event("@_user_1 whoami", "ev-e2", "om_e2", chat_type="group",
                           mentions=mentions)
        assert feishu_post(d, feishu_encrypted_body(ev2), name="enc", signed=True)[0] == 200
        fake.wait_requests("/open-apis/im/v1/messages/om_e2/reply")
        assert [r["path"] for r in fake.requests("/open-apis/im/v1/messages/")] == [
            "/open-apis/im/v1/messages/om_e1/reply", "/open-apis/im/v1/messages/om_e2/reply"]


def test_feishu_non_text_and_other_events():
    with FakePlatform() as fake, start(fake) as d:
        img = feishu_event(event_id="ev-i1", message_id="om_i1", msg_type="image")
        assert feishu_post(d, img.encode())[0] == 200
        reqs = fake.wait_requests("/open-apis/im/v1/messages/om_i1/reply")
        assert "暂不支持此类消息" in json.loads(reqs[0]["body"])["content"]
        other = json.dumps({"schema": "2.0", "header": {
            "event_id": "ev-o1", "event_type": "im.chat.member.bot.added_v1",
            "token": FEISHU_TOKEN}, "event": {}})
        assert feishu_post(d, other.encode())[0] == 200
        assert metric(d, "feishu", "ignored") == 1
        assert metric(d, "feishu", "unsupported") == 1


def test_feishu_bad_input_runs_nothing():
    with FakePlatform() as fake, start(fake) as d:
        ev = feishu_event("whoami", "ev-b1", "om_b1")
        enc_body = feishu_encrypted_body(ev)
        old = str(int(time.time()) - 9 * 3600)   # beyond the dedupe window
        now = str(int(time.time()))

        def lark(ts=now, nonce="n-1", body=enc_body, sig=None):
            return {"X-Lark-Request-Timestamp": ts, "X-Lark-Request-Nonce": nonce,
                    "X-Lark-Signature": sig or feishu_sign(ts, nonce, body)}

        def bad_cipher(text):
            b = json.dumps({"encrypt": text}).encode()
            return ("enc", b, lark(body=b), 400)

        spaced = enc_body.replace(b'{"encrypt"', b'{ "encrypt"')
        cases = [
            # (instance, body, headers, status)
            ("enc", enc_body, lark(sig="0" * 64), 401),
            ("enc", enc_body, {}, 401),                                   # unsigned event
            ("enc", enc_body, dict(lark(), **{"X-Lark-Request-Nonce": "other"}), 401),
            ("enc", enc_body, lark(ts=old), 401),                         # stale
            ("enc", spaced, lark(), 401),              # signed over other bytes
            ("enc", ev.encode(), lark(body=ev.encode()), 401),            # plaintext to enc
            ("plain", enc_body, {}, 400),                                 # no key to decrypt
            ("plain", feishu_event("whoami", "ev-b1", "om_b1", token="wrong").encode(), {},
             401),
            ("plain", b"{oops", {}, 400),
            ("plain", json.dumps({"schema": "2.0", "header": {"token": FEISHU_TOKEN}}).encode(),
             {}, 400),
            bad_cipher("***"),
            bad_cipher(feishu_encrypt(ev, pad_byte=0)),
            bad_cipher(feishu_encrypt("not json")),
            bad_cipher(feishu_encrypt(ev)[:-24]),
        ]
        for name, body, headers, status in cases:
            got, data, _ = d.request("POST", "/webhook/feishu/" + name, body, headers)
            assert got == status, (name, body[:60], headers, got, data)
        # A stale timestamp is refused on the plaintext instance too.
        got, _, _ = d.request("POST", "/webhook/feishu/plain", ev.encode(),
                              {"X-Lark-Request-Timestamp": old})
        assert got == 401
        assert d.request("GET", "/webhook/feishu/plain")[0] == 405
        assert feishu_post(d, ev.encode(), name="nope")[0] == 404
        assert metric(d, "feishu", "accepted") == 0
        # A good message is answered; the refusals before it sent nothing.
        assert feishu_post(d, ev.encode())[0] == 200
        fake.wait_requests("/open-apis/im/v1/messages/om_b1/reply")
        others = [r["path"] for r in fake.requests()
                  if r["path"] not in (FEISHU_TOKEN_PATH, "/open-apis/im/v1/messages/om_b1/reply")]
        assert others == [], others
        assert_no_secrets(d)


def test_metrics_list_every_platform_outcome():
    with FakePlatform() as fake, start(fake) as d:
        wecom_post(d, wecom_inner("whoami", msg_id="7000000000000000009"))
        ding_post(d, ding_body(fake, "whoami", "dm-m"))
        feishu_post(d, feishu_event("whoami", "ev-m", "om_m").encode())
        for p in ("wecom", "dingtalk", "feishu"):
            assert metric(d, p, "accepted") == 1, p
        assert d.stop() == 0
