"""Feishu end to end, issue 13: an instance with an encrypt_key answers every
refusal before authentication the same way (no padding oracle), and a group
message is a command only when it mentions the bot, wherever the mention
stands (mentions[] and the bot's open_id from GET /open-apis/bot/v3/info)."""
import base64
import json
import time

from harness import Daemon, wait_until
from platforms import (FEISHU_BOT, FEISHU_TOKEN, FEISHU_TOKEN_PATH, FakePlatform,
                       assert_no_secrets, feishu_encrypt, feishu_encrypted_body, feishu_event,
                       feishu_mention, feishu_post, feishu_sign, metric, platform_config, start)


def answer(d, body, headers, name="enc"):
    """(status, content type, body) of one POST: what a sender can observe
    (X-Request-Id aside, which differs for every request)."""
    status, data, r = d.request("POST", "/webhook/feishu/" + name, body,
                                dict({"Content-Type": "application/json"}, **headers))
    return status, r.getheader("Content-Type"), data


def lark(body, ts=None, nonce="n-1", sig=None):
    ts = ts or str(int(time.time()))
    return {"X-Lark-Request-Timestamp": ts, "X-Lark-Request-Nonce": nonce,
            "X-Lark-Signature": sig or feishu_sign(ts, nonce, body)}


def tampered(b64, i, x):
    """An envelope whose ciphertext has byte i (of IV || ciphertext) xored with x."""
    raw = bytearray(base64.b64decode(b64))
    raw[i] ^= x
    return json.dumps({"encrypt": base64.b64encode(bytes(raw)).decode()}).encode()


def test_feishu_padding_oracle_probe_gets_one_answer():
    """A captured event's last block tampered through every value of the byte
    that decides its padding, sent unsigned and wrongly signed, among every
    other way to fail before authentication: one status and body for all.
    Before the fix an unsigned body was decrypted first and answered 400
    "encrypt is not valid ciphertext" for bad padding, another 400 for good."""
    with FakePlatform() as fake, start(fake) as d:
        ev = feishu_event("whoami", "ev-po-1", "om_po1")
        captured = feishu_encrypt(ev)
        raw_len = len(base64.b64decode(captured))
        probes = []
        for x in range(1, 256):
            body = tampered(captured, raw_len - 17, x)
            probes.append((body, {}))
            probes.append((body, lark(body, sig="%064x" % x)))
        for i in range(1, 17):
            body = tampered(captured, raw_len - i, 0x80)
            probes.append((body, {}))
        good = feishu_encrypted_body(ev)
        bad_token = json.dumps({"challenge": "c-1", "token": "wrong",
                                "type": "url_verification"})
        probes += [
            (good, {}),                                             # unsigned event
            (good, lark(good, sig="0" * 64)),                       # wrong signature
            (good, dict(lark(good), **{"X-Lark-Request-Nonce": "other"})),
            (good, lark(good, ts=str(int(time.time()) - 9 * 3600))),  # stale
            (good.replace(b'{"encrypt"', b'{ "encrypt"'), lark(good)),  # other bytes
            (ev.encode(), {}),                                      # plaintext
            (ev.encode(), lark(ev.encode())),                       # plaintext, signed
            (b'{"encrypt":"***"}', {}),                             # not Base64
            (b'{"encrypt":1}', {}),                                 # bad envelope
            (b"{oops", {}),                                         # not JSON
            (json.dumps({"encrypt": feishu_encrypt("not json")}).encode(), {}),
            (json.dumps({"encrypt": feishu_encrypt(ev, pad_byte=0)}).encode(), {}),
            (json.dumps({"encrypt": captured[:-24]}).encode(), {}),  # not whole blocks
            (feishu_encrypted_body(bad_token), {}),                 # challenge, bad token
        ]
        answers = {}
        for i, (body, headers) in enumerate(probes):
            a = answer(d, body, headers)
            answers.setdefault(a, []).append(body[:40])
            if i % 50 == 0:
                d.drain_log()   # a full stderr pipe would stop the daemon
        assert len(answers) == 1, {k: len(v) for k, v in answers.items()}
        (status, ctype, data), = answers
        assert (status, data) == (401, b"unauthorized\n"), (status, data)
        assert ctype.startswith("text/plain")
        assert metric(d, "feishu", "unauthorized") == len(probes)
        assert metric(d, "feishu", "accepted") == 0
        assert not fake.requests()
        # The log still says what failed, for the operator.
        log = "\n".join(d.drain_log())
        for why in ("bad X-Lark-Signature", "unsigned body whose ciphertext is not valid",
                    "unsigned body that is not a URL challenge",
                    "URL challenge without the verification token",
                    "X-Lark-Request-Timestamp too far from now"):
            assert why in log, why
        # What is genuine still passes: the challenge, and the signed event.
        ch = json.dumps({"challenge": "c-ok", "token": FEISHU_TOKEN,
                         "type": "url_verification"})
        status, _, data = answer(d, feishu_encrypted_body(ch), {})
        assert status == 200 and json.loads(data) == {"challenge": "c-ok"}, data
        status, _, data = answer(d, good, lark(good))
        assert status == 200, data
        fake.wait_requests("/open-apis/im/v1/messages/om_po1/reply")
        assert_no_secrets(d)


def test_feishu_signed_bad_ciphertext_is_told():
    """Once the signature holds the sender has the key: a broken envelope or
    ciphertext is answered as such (400), and runs nothing."""
    with FakePlatform() as fake, start(fake) as d:
        body = json.dumps({"encrypt": feishu_encrypt("x", pad_byte=0)}).encode()
        status, _, data = answer(d, body, lark(body))
        assert (status, data) == (400, b"encrypt is not valid ciphertext\n"), (status, data)
        assert metric(d, "feishu", "accepted") == 0
        # A later message is answered: the refused one was done with first,
        # and sent nothing.
        assert feishu_post(d, feishu_event("whoami", "ev-after", "om_after").encode())[0] == 200
        fake.wait_requests("/open-apis/im/v1/messages/om_after/reply")
        others = [r["path"] for r in fake.requests()
                  if r["path"] not in (FEISHU_TOKEN_PATH, "/open-apis/im/v1/messages/om_after/reply")]
        assert others == [], others


def group_event(text, event_id, message_id, mentions):
    return feishu_event(text, event_id, message_id, chat_type="group", mentions=mentions)


def reply_text(fake, message_id):
    reqs = fake.wait_requests("/open-apis/im/v1/messages/%s/reply" % message_id)
    return json.loads(reqs[0]["body"])["content"]


def test_feishu_group_mentions_of_the_bot():
    """The bot mentioned in the middle of a command runs it; a group message
    that starts with another person's mention and does not mention the bot is
    acknowledged and not answered. The bot's open_id is asked once."""
    bot = feishu_mention("@_user_1", FEISHU_BOT, "CQO")
    wang = feishu_mention("@_user_2", "ou_wang", "王")
    with FakePlatform() as fake, start(fake) as d:
        # Not for the bot: before the fix "@_user_2" was taken for the bot
        # (the first placeholder) and "whoami" ran.
        status, data = feishu_post(d, group_event("@_user_2 whoami", "ev-g1", "om_g1",
                                                  [wang]).encode())[:2]
        assert status == 200 and json.loads(data) == {}
        assert metric(d, "feishu", "ignored") == 1
        # The bot's mention in the middle: removed where it stands, so this
        # is help on 我是谁 (before the fix: help on an unknown "@ou_bot").
        status, data = feishu_post(d, group_event("帮助 @_user_1 我是谁", "ev-g2", "om_g2",
                                                  [bot]).encode())[:2]
        assert status == 200, data
        content = reply_text(fake, "om_g2")
        assert "我是谁" in content and "ou_bot" not in content and "未知" not in content, content
        # At the end, after another person's mention.
        feishu_post(d, group_event("@_user_2 查询 张三 @_user_1", "ev-g3", "om_g3",
                                   [wang, bot]).encode())
        assert "查询" in reply_text(fake, "om_g3")
        # The ignored message got no answer; the others one each.
        assert not fake.requests("/open-apis/im/v1/messages/om_g1/")
        assert metric(d, "feishu", "accepted") == 2
        # The open_id came from the platform, once, with the app's token.
        info = fake.requests("/open-apis/bot/v3/info")
        assert len(info) == 1 and info[0]["method"] == "GET", info
        assert info[0]["headers"]["authorization"].startswith("Bearer ")
        assert_no_secrets(d)


def test_feishu_bot_open_id_unknown():
    """When GET bot/v3/info fails: mentions that say they are the bot still
    work, an instance's bot_open_id stands in, and a message that only the
    open_id could place is answered 503 (Feishu pushes it again) and runs
    nothing."""
    extra = ("\n[feishu:conf]\napp_id = cli_conf\napp_secret = feishu-app-secret\n"
             "verification_token = %s\nbot_open_id = ou_conf_bot\napi_base = %%s\n" %
             FEISHU_TOKEN)
    with FakePlatform() as fake:
        fake._call("POST", "/_script", json.dumps({
            "path_prefix": "/open-apis/bot/v3/info",
            "responses": [{"status": 400, "body": {"code": 10003, "msg": "no bot"}}] * 4}))
        with Daemon(platform_config(fake.base) + extra % fake.base) as d:
            d.start()
            untyped = feishu_mention("@_user_1", FEISHU_BOT, "CQO")
            body = group_event("@_user_1 whoami", "ev-u1", "om_u1", [untyped]).encode()
            status, data = feishu_post(d, body)[:2]
            assert status == 503, (status, data)
            d.wait_log(r"cannot learn the bot's own id")
            assert metric(d, "feishu", "accepted") == 0
            # Within the retry pause it is refused at once, still unrecorded.
            assert feishu_post(d, body)[0] == 503
            # Typed as the bot: no open_id needed.
            typed = feishu_mention("@_user_1", FEISHU_BOT, "CQO", "bot")
            feishu_post(d, group_event("@_user_1 whoami", "ev-u2", "om_u2", [typed]).encode())
            assert "ou_sender" in reply_text(fake, "om_u2")
            # The configured bot_open_id decides on [feishu:conf].
            mine = feishu_mention("@_user_1", "ou_conf_bot", "CQO")
            other = feishu_mention("@_user_1", "ou_someone", "某人")
            status = feishu_post(d, group_event("@_user_1 whoami", "ev-c1", "om_c1", [other])
                                 .encode(), name="conf")[0]
            assert status == 200 and metric(d, "feishu", "ignored") == 1
            feishu_post(d, group_event("whoami @_user_1", "ev-c2", "om_c2", [mine]).encode(),
                        name="conf")
            assert "ou_sender" in reply_text(fake, "om_c2")
            assert metric(d, "feishu", "accepted") == 2
            assert not fake.requests("/open-apis/im/v1/messages/om_u1/")


def test_feishu_retry_within_dedupe_window_is_a_duplicate():
    """Feishu retries an event 15 s, 5 min, 1 h and 6 h after it failed: a
    signed event as old as the dedupe window (dedupe_hours, 8) is accepted,
    and found a duplicate when it has run; older ones are refused as stale.
    Before the fix anything stamped over an hour ago was refused."""
    with FakePlatform() as fake, start(fake) as d:
        old = str(int(time.time()) - 6 * 3600 - 300)
        body = feishu_encrypted_body(feishu_event("whoami", "ev-retry-1", "om_retry1"))
        for _ in range(2):
            status, _, data = answer(d, body, lark(body, ts=old))
            assert status == 200, data
        fake.wait_requests("/open-apis/im/v1/messages/om_retry1/reply")
        wait_until(lambda: metric(d, "feishu", "duplicate") == 1, "the retry found a duplicate")
        stale = str(int(time.time()) - 8 * 3600 - 120)
        body = feishu_encrypted_body(feishu_event("whoami", "ev-retry-2", "om_retry2"))
        assert answer(d, body, lark(body, ts=stale))[0] == 401
        time.sleep(0.5)
        assert len(fake.requests("/open-apis/im/v1/messages/om_retry1/reply")) == 1
        assert not fake.requests("/open-apis/im/v1/messages/om_retry2/")


def test_feishu_dedupe_memory_outlives_the_window():
    """An event stamped ahead of the daemon's clock (allowed by an hour) is
    still fresh dedupe_hours after its stamp: its id must be kept that long,
    restarts and their prune included, or the 6 h retry runs it again."""
    with FakePlatform() as fake:
        d = Daemon(platform_config(fake.base))
        try:
            t0 = int(time.time())
            d.use_clock_file(str(t0))
            d.start()
            ahead = str(t0 + 50 * 60)
            body = feishu_encrypted_body(feishu_event("whoami", "ev-ahead", "om_ahead"))
            assert answer(d, body, lark(body, ts=ahead))[0] == 200
            fake.wait_requests("/open-apis/im/v1/messages/om_ahead/reply")
            d.stop()
            # 7 h 55 min after the stamp: still within the window. The
            # start-up prune has run before the daemon is ready.
            d.use_clock_file(str(t0 + 50 * 60 + 7 * 3600 + 55 * 60))
            d.start()
            status, _, data = answer(d, body, lark(body, ts=ahead))
            assert status == 200, data
            wait_until(lambda: metric(d, "feishu", "duplicate") == 1, "the retry found a duplicate")
            time.sleep(0.5)
            assert len(fake.requests("/open-apis/im/v1/messages/om_ahead/reply")) == 1
        finally:
            d.close()
