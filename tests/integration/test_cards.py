"""Interactive cards (issue 18): a button press is a command from the person
who pressed it. Feishu's card.action.trigger over HTTP (verified like any
event) and over the long connection, WeCom's template_card_event in the
encrypted callback, DingTalk's card callback over the Stream connection
(an instance with a card template): the effect happens once, a replayed callback id does
nothing twice, a forged signature is refused like any other, and a guest's
press is refused like the same command typed."""
import base64
import json
import os
import re
import sys
import time

from harness import ROOT, Daemon, one, wait_until
from platforms import (WECOM_AES, WECOM_CORP, FakePlatform, ding_body, feishu_encrypted_body,
                       feishu_event, feishu_sign, metric, platform_config, start, wecom_encrypt,
                       wecom_envelope, wecom_inner, wecom_open_reply, wecom_post, wecom_query,
                       xml_field)

sys.path.insert(0, os.path.join(ROOT, "tests", "fake"))

CODE_RX = re.compile(r"确认 (\d{6})")


def lark(body, ts=None, nonce="n-1", sig=None):
    ts = ts or str(int(time.time()))
    return {"Content-Type": "application/json", "X-Lark-Request-Timestamp": ts,
            "X-Lark-Request-Nonce": nonce, "X-Lark-Signature": sig or feishu_sign(ts, nonce, body)}


def post(d, body, headers, name="enc"):
    status, data, _ = d.request("POST", "/webhook/feishu/" + name, body, headers)
    return status, data


def typed(text, event_id, message_id, open_id="ou_sender"):
    ev = json.loads(feishu_event(text, event_id, message_id))
    ev["event"]["sender"]["sender_id"]["open_id"] = open_id
    return json.dumps(ev, ensure_ascii=False)


def press(cmd, event_id, message_id, open_id="ou_sender", token="feishu-verification-token",
          shared=False):
    """A card.action.trigger callback: open_id pressed a button of message_id
    (an event's card, everyone's, when shared)."""
    value = {"cmd": cmd, "card": "shared"} if shared else {"cmd": cmd}
    return json.dumps({
        "schema": "2.0",
        "header": {"event_id": event_id, "event_type": "card.action.trigger",
                   "create_time": str(int(time.time() * 1000)), "token": token,
                   "app_id": "cli_enc", "tenant_key": "t"},
        "event": {"operator": {"tenant_key": "t", "open_id": open_id, "user_id": "u"},
                  "token": "c-1", "host": "im_message",
                  "action": {"tag": "button", "value": value},
                  "context": {"open_message_id": message_id, "open_chat_id": "oc_chat"}}},
        ensure_ascii=False)


def replies(fake, message_id):
    return [json.loads(r["body"]) for r in
            fake.requests("/open-apis/im/v1/messages/%s/reply" % message_id)]


def test_feishu_card_press_runs_once():
    with FakePlatform() as fake, start(fake) as d:
        d.ctl("grant feishu:enc ou_sender admin")
        body = feishu_encrypted_body(typed("除名 2 违法违规 测试", "ev-c1", "om_ask"))
        assert post(d, body, lark(body))[0] == 200
        fake.wait_requests("/open-apis/im/v1/messages/om_ask/reply")
        asked = replies(fake, "om_ask")[0]
        # The confirmation is a card; its 确认 button carries the code.
        assert asked["msg_type"] == "interactive", asked
        card = json.loads(asked["content"])
        buttons = [a for e in card["elements"] if e["tag"] == "action" for a in e["actions"]]
        cmds = [b["value"]["cmd"] for b in buttons]
        assert len(cmds) == 2 and CODE_RX.fullmatch(cmds[0]) and cmds[1] == "取消", cmds
        before = one(d, "SELECT count(*) FROM sanctions")

        # A forged press is refused like any unauthenticated request.
        forged = feishu_encrypted_body(press(cmds[0], "ev-c2", "om_ask"))
        refused = post(d, forged, lark(forged, sig="0" * 64))
        other = feishu_encrypted_body(typed("whoami", "ev-c3", "om_x"))
        assert refused == post(d, other, lark(other, sig="1" * 64)) == (401, b"unauthorized\n")

        # The press: answered after the COMMIT with a toast, the answer replies
        # to the card.
        pressed = feishu_encrypted_body(press(cmds[0], "ev-c4", "om_ask"))
        headers = lark(pressed)
        status, data = post(d, pressed, headers)
        assert status == 200, data
        answer = json.loads(data)
        toast = answer["toast"]
        assert toast["type"] == "success" and "除名" in toast["content"], toast
        # The card is replaced by the answer: whoever sees it sees it done, and by whom.
        assert answer["card"]["type"] == "raw", answer
        shown = answer["card"]["data"]
        assert shown["config"]["update_multi"] is True, shown
        assert shown["header"]["title"]["content"] == toast["content"], shown
        assert [e["tag"] for e in shown["elements"]] == ["div", "note"], shown
        assert shown["elements"][1]["elements"][0]["content"] == "办理人：<at id=ou_sender></at>"
        assert one(d, "SELECT status FROM appointments WHERE id = 2") == "removed"
        assert one(d, "SELECT count(*) FROM sanctions") == before + 1
        wait_until(lambda: len(replies(fake, "om_ask")) == 2, "the answer to the press")
        assert one(d, "SELECT count(*) FROM audit_log WHERE entity = 'sanction'"
                      " AND actor_user = 'ou_sender'") == 1

        # Replayed: nothing twice.
        assert post(d, pressed, headers) == (200, b"{}")
        wait_until(lambda: metric(d, "feishu", "duplicate") == 1, "the replay found a duplicate")
        time.sleep(0.3)
        assert one(d, "SELECT count(*) FROM sanctions") == before + 1
        assert len(replies(fake, "om_ask")) == 2


def test_feishu_guest_press_refused_like_typed():
    with FakePlatform() as fake, start(fake) as d:
        before = one(d, "SELECT count(*) FROM sanctions")
        body = feishu_encrypted_body(typed("除名 2 违法违规 测试", "ev-g1", "om_g1", "ou_guest"))
        assert post(d, body, lark(body))[0] == 200
        fake.wait_requests("/open-apis/im/v1/messages/om_g1/reply")
        pressed = feishu_encrypted_body(press("除名 2 违法违规 测试", "ev-g2", "om_g2", "ou_guest"))
        status, data = post(d, pressed, lark(pressed))
        assert status == 200
        answer = json.loads(data)
        assert answer["toast"]["type"] == "error" and "card" not in answer, answer
        fake.wait_requests("/open-apis/im/v1/messages/om_g2/reply")

        def text(reply):
            content = json.loads(reply["content"])
            return json.dumps(content.get("elements", content), ensure_ascii=False)
        typed_answer, pressed_answer = replies(fake, "om_g1")[0], replies(fake, "om_g2")[0]
        assert "您没有权限" in text(typed_answer) and text(typed_answer) == text(pressed_answer)
        assert one(d, "SELECT count(*) FROM sanctions") == before
        assert one(d, "SELECT status FROM appointments WHERE id = 2") == "active"


def test_feishu_card_press_over_the_long_connection():
    """A frame of type "card" runs its command; the acknowledgement carries
    the toast (Base64 in "data"); pushed again, it runs nothing."""
    from test_stream_feishu import FeishuApi, ack_of, started
    with FeishuApi() as fs, started(fs) as d:
        ev = json.loads(press("whoami", "ev-sc1", "om_card", "ou_presser", token=None))
        mid = fs.push(ev, type_="card")
        a = json.loads(ack_of(fs, mid)["payload"])
        assert a["code"] == 200, a
        answer = json.loads(base64.b64decode(a["data"]))
        toast = answer["toast"]
        assert toast["type"] == "success" and toast["content"], toast
        note = answer["card"]["data"]["elements"][-1]
        assert note["elements"][0]["content"] == "办理人：<at id=ou_presser></at>", answer
        reply = fs.wait_for(lambda e: e["kind"] == "reply")
        assert reply["path"] == "/open-apis/im/v1/messages/om_card/reply"
        assert "访客" in json.loads(reply["body"])["content"]
        assert one(d, "SELECT count(*) FROM inbound WHERE msg_id = 'ev-sc1'") == 1
        mid = fs.push(ev, type_="card")
        assert json.loads(ack_of(fs, mid)["payload"]) == {"code": 200}
        time.sleep(0.3)
        assert len(fs.entries("reply")) == 1
        # An event's card is everyone's: the press is answered by the toast alone.
        ev = json.loads(press("whoami", "ev-sc2", "om_event", "ou_presser", token=None,
                              shared=True))
        a = json.loads(ack_of(fs, fs.push(ev, type_="card"))["payload"])
        answer = json.loads(base64.b64decode(a["data"]))
        assert answer["toast"]["type"] == "success" and "card" not in answer, answer


def wecom_press(key, sender="zhangsan", task="cqod-task-1", create_time=None):
    """A template_card_event: sender pressed the button whose key is `key`."""
    return wecom_inner(None, sender=sender, msg_id=None, msg_type="event",
                       create_time=create_time,
                       extra="<Event><![CDATA[template_card_event]]></Event>\n"
                             "<EventKey><![CDATA[%s]]></EventKey>\n"
                             "<TaskId><![CDATA[%s]]></TaskId>\n"
                             "<CardType><![CDATA[button_interaction]]></CardType>\n"
                             "<ResponseCode><![CDATA[rc-1]]></ResponseCode>\n" % (key, task))


def sent_to(fake, user):
    return [json.loads(r["body"]) for r in fake.requests("/cgi-bin/message/send")
            if json.loads(r["body"]).get("touser") == user]


def test_wecom_card_press_runs_once():
    with FakePlatform() as fake, start(fake) as d:
        d.ctl("grant", "wecom:w1", "zhangsan", "admin")
        # The confirmation goes by message/send as a template card.
        status, body, _ = wecom_post(d, wecom_inner("除名 2 违法违规 测试",
                                                    msg_id="7000000000000000101"))
        assert (status, body) == (200, b"")
        wait_until(lambda: sent_to(fake, "zhangsan"), "the card")
        card = sent_to(fake, "zhangsan")[0]
        assert card["msgtype"] == "template_card" and card["agentid"] == 1000002, card
        tc = card["template_card"]
        assert tc["card_type"] == "button_interaction" and tc["task_id"].startswith("cqod-")
        keys = [b["key"] for b in tc["button_list"]]
        assert len(keys) == 2 and CODE_RX.fullmatch(keys[0]) and keys[1] == "取消", keys
        before = one(d, "SELECT count(*) FROM sanctions")

        # Forged: refused like a forged message, nothing runs.
        inner = wecom_press(keys[0], task=tc["task_id"], create_time=str(int(time.time())))
        enc = wecom_encrypt(WECOM_AES, inner, WECOM_CORP)
        forged = d.request("POST", "/webhook/wecom/w1?" + wecom_query(enc, token="wrong"),
                           wecom_envelope(enc), {"Content-Type": "text/xml"})[:2]
        enc2 = wecom_encrypt(WECOM_AES, wecom_inner("whoami", msg_id="7000000000000000102"),
                             WECOM_CORP)
        other = d.request("POST", "/webhook/wecom/w1?" + wecom_query(enc2, token="wrong"),
                          wecom_envelope(enc2), {"Content-Type": "text/xml"})[:2]
        assert forged == other and forged[0] == 401, (forged, other)
        assert one(d, "SELECT count(*) FROM sanctions") == before

        # The press runs the command once; the card's buttons say it is done
        # (passive update_button), and the answer goes to the presser.
        status, body, _ = wecom_post(d, inner)
        assert status == 200
        done = wecom_open_reply(body)
        assert xml_field(done, "MsgType") == "update_button", done
        assert xml_field(done, "ReplaceName") == "已处理" and xml_field(done, "ToUserName") == \
            "zhangsan", done
        assert one(d, "SELECT status FROM appointments WHERE id = 2") == "removed"
        assert one(d, "SELECT count(*) FROM sanctions") == before + 1
        wait_until(lambda: len(sent_to(fake, "zhangsan")) == 2, "the answer to the press")
        answer = sent_to(fake, "zhangsan")[1]
        assert "除名" in json.dumps(answer, ensure_ascii=False), answer
        # WeCom retries the same callback: nothing twice.
        assert wecom_post(d, inner)[:2] == (200, b"")
        wait_until(lambda: metric(d, "wecom", "duplicate") == 1, "the retry found a duplicate")
        time.sleep(0.3)
        assert one(d, "SELECT count(*) FROM sanctions") == before + 1
        assert len(sent_to(fake, "zhangsan")) == 2


def test_wecom_press_answered_late_updates_the_card():
    """A press answered too late for the passive reply (here a 统计 held 4.5 s
    by the test hook, past the 4 s cqod gives it): the response is an empty
    200, and the presser's buttons still turn into 已处理 through the outbox,
    update_template_card with the press's code. A press answered in time
    leaves no such update behind."""
    with FakePlatform() as fake, \
            Daemon(platform_config(fake.base),
                   env={"CQOD_TEST_HEAVY_READ_DELAY_MS": "4500"}) as d:
        d.ctl("grant", "wecom:w1", "zhangsan", "admin")
        d.start()
        late = wecom_press("统计", task="cqod-task-late")
        assert wecom_post(d, late)[:2] == (200, b"")
        ups = fake.wait_requests("/cgi-bin/message/update_template_card", 1)
        assert json.loads(ups[0]["body"]) == {
            "agentid": 1000002, "userids": ["zhangsan"], "response_code": "rc-1",
            "button": {"replace_name": "已处理"}}, ups
        wait_until(lambda: sent_to(fake, "zhangsan"), "the answer to the press")
        # In time: the passive reply shows it, the queued update is dropped.
        status, body, _ = wecom_post(d, wecom_press("whoami", task="cqod-task-in-time"))
        assert status == 200 and xml_field(wecom_open_reply(body), "ReplaceName") == "已处理"
        wait_until(lambda: one(d, "SELECT count(*) FROM outbox WHERE idem_key LIKE 'press:%'")
                   == 1, "the in-time press's update dropped")
        assert one(d, "SELECT state FROM outbox WHERE idem_key LIKE 'press:%'") == "sent"
        assert len(fake.requests("/cgi-bin/message/update_template_card")) == 1


def test_wecom_guest_press_refused_like_typed():
    with FakePlatform() as fake, start(fake) as d:
        status, body, _ = wecom_post(d, wecom_inner("除名 2 违法违规 测试", sender="guest-w",
                                                    msg_id="7000000000000000201"))
        typed_text = xml_field(wecom_open_reply(body), "Content")
        assert "您没有权限" in typed_text, typed_text
        status, body, _ = wecom_post(d, wecom_press("除名 2 违法违规 测试", sender="guest-w"))
        assert status == 200 and xml_field(wecom_open_reply(body), "ReplaceName") == "未办理"
        wait_until(lambda: sent_to(fake, "guest-w"), "the answer to the press")
        assert sent_to(fake, "guest-w")[0]["text"]["content"] == typed_text
        assert one(d, "SELECT status FROM appointments WHERE id = 2") == "active"


# -- DingTalk interactive cards ------------------------------------------------
def ding_started(stream, fake):
    """A DingTalk instance in stream mode with a card template, its
    connection open."""
    from test_stream_dingtalk import started
    return started(stream, fake, "card_template_id = tpl.schema\n")


def delivered(fake, n=1):
    reqs = fake.wait_requests("/v1.0/card/instances/createAndDeliver", n)
    return [json.loads(r["body"]) for r in reqs]


def ding_robot(text, msg_id, sender="staff01"):
    import dingtalk_stream
    return dingtalk_stream.robot_message(text, msg_id=msg_id, sender=sender)


def response_of(stream, mid):
    from test_stream_dingtalk import ack_of
    ack = ack_of(stream, mid)
    assert ack["code"] == 200, ack
    return json.loads(ack["data"])["response"]


def batch_texts(fake, user):
    return [json.loads(json.loads(r["body"])["msgParam"]).get("text", "") +
            json.loads(json.loads(r["body"])["msgParam"]).get("content", "")
            for r in fake.requests("/v1.0/robot/oToMessages/batchSend")
            if json.loads(r["body"])["userIds"] == [user]]


def test_dingtalk_card_press_runs_once():
    import dingtalk_stream
    with FakePlatform() as fake, dingtalk_stream.DingTalkStream(api=fake.base) as stream, \
            ding_started(stream, fake) as d:
        assert {"type": "CALLBACK", "topic": dingtalk_stream.TOPIC_CARD} in \
            stream.entries("open")[0]["subscriptions"]
        d.ctl("grant", "dingtalk:d1", "staff01", "admin")
        stream.push(ding_robot("除名 2 违法违规 测试", "dm-1"))
        req = fake.wait_requests("/v1.0/card/instances/createAndDeliver")[0]
        assert req["headers"]["x-acs-dingtalk-access-token"].startswith("tok-"), req
        card = json.loads(req["body"])
        # The instance's template and robot code, added at sending.
        assert card["cardTemplateId"] == "tpl.schema", card
        assert card["openSpaceId"] == "dtv1.card//IM_ROBOT.staff01", card
        assert card["imRobotOpenDeliverModel"] == {"spaceType": "IM_ROBOT",
                                                   "robotCode": "ding-robot"}, card
        assert card["callbackType"] == "STREAM" and card["outTrackId"].startswith("cqod")
        params = card["cardData"]["cardParamMap"]
        assert all(isinstance(v, str) for v in params.values()), params
        assert CODE_RX.fullmatch(params["btn1_cmd"]) and params["btn2_cmd"] == "取消", params
        assert (params["btn1_show"], params["btn2_show"], params["btn3_show"]) == \
            ("true", "true", "false"), params
        assert not fake.requests("/robot/sendBySession")
        track, confirm = card["outTrackId"], params["btn1_cmd"]
        before = one(d, "SELECT count(*) FROM sanctions")

        # A card cqod does not know, or a command that is not that button's:
        # acknowledged, nothing done.
        for mid in (stream.press("cqod" + "0" * 40, "staff01", "btn1", confirm),
                    stream.press(track, "staff01", "btn1", "除名 3 违法违规 测试"),
                    stream.press(track, "staff01", "btn3")):
            assert response_of(stream, mid) is None
        assert one(d, "SELECT count(*) FROM sanctions") == before
        assert one(d, "SELECT status FROM appointments WHERE id = 2") == "active"

        # The press: runs after its COMMIT; the ack shows the card done, and by whom.
        mid = stream.press(track, "staff01", "btn1", confirm)
        face = response_of(stream, mid)
        assert face["cardUpdateOptions"] == {"updateCardDataByKey": True}, face
        shown = face["cardData"]["cardParamMap"]
        assert shown["note"] == "办理人：staff01" and "除名" in shown["title"] + shown["markdown"]
        assert shown["btn1_show"] == "false", shown
        assert one(d, "SELECT status FROM appointments WHERE id = 2") == "removed"
        assert one(d, "SELECT count(*) FROM sanctions") == before + 1
        assert one(d, "SELECT count(*) FROM audit_log WHERE entity = 'sanction'"
                      " AND actor_user = 'staff01'") == 1
        # The answer goes to the presser as well.
        wait_until(lambda: batch_texts(fake, "staff01"), "the answer to the presser")

        # Pushed again (no ack reached DingTalk): nothing twice.
        stream.press(track, "staff01", "btn1", confirm, mid=mid)
        wait_until(lambda: len([e for e in stream.entries("ack") if e["message_id"] == mid]) == 2,
                   "the second ack")
        assert json.loads([e for e in stream.entries("ack")
                           if e["message_id"] == mid][1]["data"]) == {"response": None}
        assert metric(d, "dingtalk", "duplicate") == 1
        time.sleep(0.3)
        assert one(d, "SELECT count(*) FROM sanctions") == before + 1
        assert len(batch_texts(fake, "staff01")) == 1


def test_dingtalk_guest_press_refused_like_typed():
    import dingtalk_stream
    with FakePlatform() as fake, dingtalk_stream.DingTalkStream(api=fake.base) as stream, \
            ding_started(stream, fake) as d:
        d.ctl("grant", "dingtalk:d1", "staff01", "admin")
        stream.push(ding_robot("除名 2 违法违规 测试", "dm-g1"))
        card = delivered(fake)[0]
        track, confirm = card["outTrackId"], card["cardData"]["cardParamMap"]["btn1_cmd"]
        before = one(d, "SELECT count(*) FROM sanctions")
        # A guest presses the clerk's 确认: refused as if typed; the card stays.
        mid = stream.press(track, "guest07", "btn1", confirm)
        assert response_of(stream, mid) is None
        wait_until(lambda: batch_texts(fake, "guest07"), "the refusal")
        # Typed, the same answer (through the message's session webhook).
        stream.push(json.loads(ding_body(fake, confirm, "dm-g2", sender="guest07")))
        typed_answer = json.loads(fake.wait_requests("/robot/sendBySession")[0]["body"])
        assert batch_texts(fake, "guest07") == [typed_answer["text"]["content"]], typed_answer
        assert one(d, "SELECT count(*) FROM sanctions") == before
        assert one(d, "SELECT status FROM appointments WHERE id = 2") == "active"
