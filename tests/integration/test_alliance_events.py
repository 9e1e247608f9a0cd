"""活动, 报名, 取消报名 and 报名名单 end to end, with every message checked
where it arrives: the fake WeCom, DingTalk and Feishu servers
(tests/fake/fakeplatform.py). Publishing to groups on every platform and to
members' private chats; capacity, waiting list and deadline; change and
cancel notices; an organizer of one alliance unable to touch another; the
delivery report after a partial failure; robots at their rate limit."""
import json
import re
import sqlite3
import subprocess
import time

from alliance_common import World, event_form, message_text, publish
from harness import metric, wait_until
from platforms import WECOM_AES, wecom_inner, wecom_post

DENIED = "您没有权限使用"
# WeCom's update of a template card it sent (response_code, one use each).
WECOM_CARD_UPDATE = "/cgi-bin/message/update_template_card"


def subscribe_all(w):
    """Alliance 1's groups: a DingTalk and a Feishu group chat (typed in the
    group by the organizer), a Feishu app group chat by id and a group robot
    of each platform (by the admin). (A WeCom app reaches only chats it
    created, so no WeCom chat is subscribed by id.)"""
    assert "已订阅" in w.ding("订阅 1 钉钉机械群")
    assert "已订阅" in w.feishu("订阅 1")
    w.ok("订阅 1 群 feishu:f1 oc_group_2")
    w.ok("订阅 1 机器人 wecom:wr1 企微机器人群")
    w.ok("订阅 1 机器人 dingtalk:dr1")
    w.ok("订阅 1 机器人 feishu:fb1")


def one(reqs, path, **query):
    got = [r for r in reqs if r["path"] == path
           and all(r["query"].get(k) == v for k, v in query.items())]
    assert len(got) == 1, (path, query, [(r["path"], r["query"]) for r in reqs])
    return got[0]


def body(req):
    return json.loads(req["body"])


def wait_for(w, text, n=1, timeout=20.0):
    """The messages at the fake that contain `text`, once there are n."""
    deadline = time.monotonic() + timeout
    while True:
        got = [r for r in w.messages() if text in message_text(r)]
        if len(got) >= n or time.monotonic() > deadline:
            return got
        time.sleep(0.05)


def test_publish_reaches_every_group_and_member():
    with World() as w:
        subscribe_all(w)
        # The preview: the message, its reach, nothing sent yet.
        preview = w.ok(event_form(), "org")
        assert "【沙龙】质量沙龙" in preview and "确认后将发送到 6 个群、3 人（私信）" in preview
        assert w.rows("SELECT count(*) FROM events")[0][0] == 1
        out = w.ok("取消", "org")
        assert "已取消" in out
        assert w.rows("SELECT count(*) FROM events")[0][0] == 1 and not w.messages()
        ev = publish(w)
        assert ev == 2
        w.drained()
        reqs = w.messages()
        assert len(reqs) == 9, [(r["path"], r["query"]) for r in reqs]
        hint = "报名请私聊发送“报名 2”"
        # The apps' messages carry 报名/取消报名 buttons; robots and DingTalk's
        # group messages say what to type instead.
        cards = ("/open-apis/im/v1/messages", "/cgi-bin/message/send",
                 "/v1.0/robot/oToMessages/batchSend")
        for r in reqs:
            text = message_text(r)
            assert "【沙龙】质量沙龙" in text and "2030-06-01 14:00 至 17:00" in text, text
            assert "示例会展中心" in text, text
            if r["path"] in cards:
                assert hint not in text and "取消报名" in text, text
            else:
                assert hint in text, text
        # Groups, each by its own API.
        r = one(reqs, "/v1.0/robot/groupMessages/send")
        assert body(r)["openConversationId"] == "cid-group-1"
        assert body(r)["robotCode"] == "ding-robot"
        chats = sorted(body(r)["receive_id"] for r in reqs
                       if r["path"] == "/open-apis/im/v1/messages"
                       and r["query"].get("receive_id_type") == "chat_id")
        assert chats == ["oc_group_1", "oc_group_2"], chats
        assert not [r for r in reqs if r["path"] == "/cgi-bin/appchat/send"]
        one(reqs, "/cgi-bin/webhook/send", key="wr-key-1")
        r = one(reqs, "/robot/send", access_token="dr-token-1")
        assert r["query"].get("timestamp") and r["query"].get("sign"), r["query"]
        r = one(reqs, "/open-apis/bot/v2/hook/fb-hook-1")
        assert body(r).get("timestamp") and body(r).get("sign"), body(r)
        # Members who take private notices, on the platform they are bound on.
        r = one(reqs, "/cgi-bin/message/send")
        assert body(r)["touser"] == "zhangsan" and body(r)["agentid"] == 1000002
        r = one(reqs, "/v1.0/robot/oToMessages/batchSend")
        assert body(r)["userIds"] == ["staff-ls"]
        r = one(reqs, "/open-apis/im/v1/messages", receive_id_type="open_id")
        assert body(r)["receive_id"] == "ou_zl"
        # Recorded and audited once.
        assert w.rows("SELECT kind, n_groups, n_people FROM broadcasts") == [("publish", 6, 3)]
        assert w.rows("SELECT count(*) FROM audit_log WHERE entity = 'event'"
                      " AND entity_id = 2")[0][0] == 1
        assert w.rows("SELECT count(*) FROM outbox WHERE idem_key LIKE 'event:2:publish:%'"
                      )[0][0] == 9
        out = w.ok("活动 报告 2", "org")
        assert "活动 2（发布）" in out and "6 个群、3 人：已送达 9，待发送 0，失败 0" in out, out


def test_publish_validation_and_roles():
    with World() as w:
        out, err = w.say("活动 发布", "org")
        assert err and "类型：（必填）" in out and "开放报名：" in out, out
        out, err = w.say(event_form(start="2020-01-01 10:00", extra="\n颜色：红"), "org")
        assert err and "开始时间：不能早于现在" in out and "未知字段“颜色”" in out, out
        out, err = w.say(event_form(cap="很多"), "org")
        assert err and "人数上限应为 1 到 100000 之间的整数" in out, out
        out, err = w.say(event_form(), "u-admin")
        assert err and "请在表单中填写“联盟：<名称或编号>”" in out, out
        out, err = w.say(event_form(extra="\n联盟：乙联盟"), "org")
        assert err and "您是其他联盟的组织者，不能管理“乙联盟”" in out, out
        preview = w.ok(event_form(extra="\n联盟：1"), "u-admin")
        assert "确认后将发送到 0 个群、3 人" in preview, preview
        for who in ("zs", "clerk-ls"):
            out, err = w.say(event_form(), who)
            assert err and "您没有权限使用“活动 发布”" in out, (who, out)
        out, err = w.say(event_form(), "stranger")
        assert err and DENIED in out
        out, err = w.say("活动 开会", "org")
        assert err and "活动 查看 <编号>" in out, out
        assert w.rows("SELECT count(*) FROM events")[0][0] == 1
        # 确认 belongs to whoever asked.
        out, err = w.confirm(preview, "org")
        assert err and "没有待确认的操作" in out
        w.confirm(preview, "u-admin")
        assert w.rows("SELECT count(*) FROM events")[0][0] == 2


def test_list_and_view_by_role():
    with World() as w:
        members_only = publish(w, title="成员沙龙")
        open_ = publish(w, title="开放论坛", open_="是", start="2030-07-01 09:00",
                        end="-", deadline="-")
        other = publish(w, sender="org2", title="乙联盟研讨", extra="")
        listing = {who: w.ok("活动 列表", who) for who in
                   ("u-admin", "clerk-ls", "clerk-xa", "org", "org2", "zs", "ww")}
        assert all(t in listing["u-admin"] for t in ("成员沙龙", "开放论坛", "乙联盟研讨"))
        assert "成员沙龙" in listing["clerk-ls"] and "乙联盟研讨" not in listing["clerk-ls"]
        assert "乙联盟研讨" in listing["clerk-xa"] and "成员沙龙" not in listing["clerk-xa"]
        assert "成员沙龙" in listing["org"] and "乙联盟研讨" not in listing["org"]
        assert listing["org2"].count("【") == 1 and "乙联盟研讨" in listing["org2"]
        # A member sees the alliance's events; a non-member only open ones.
        assert "成员沙龙" in listing["zs"] and "开放论坛" in listing["zs"]
        assert "开放论坛" in listing["ww"] and "成员沙龙" not in listing["ww"]
        out, err = w.say("活动 查看 %d" % members_only, "ww")
        assert err and "没有编号为 %d 的活动" % members_only in out, out
        out = w.ok("活动 查看 %d" % open_, "ww")
        assert "所有已绑定的首席质量官均可报名" in out and "报名：0" in out, out
        out, err = w.say("活动 查看 %d" % other, "clerk-ls")
        assert err and "没有编号为" in out
        out, err = w.say("活动 查看 x", "zs")
        assert err and "活动编号应为正整数" in out
        out, err = w.say("活动 列表", "stranger")
        assert err and DENIED in out


def signup(w, who, ev):
    return w.say("报名 %d" % ev, who)


def test_capacity_waitlist_and_deadline():
    with World(clock="2030-05-01 09:00:00") as w:
        ev = publish(w, cap="2", deadline="2030-05-28 18:00")
        out, err = signup(w, "zs", ev)
        assert not err and "报名成功：【沙龙】质量沙龙" in out and "取消报名 %d" % ev in out, out
        out, err = signup(w, "zs", ev)
        assert err and "您已报名活动 %d" % ev in out
        assert not signup(w, "ls", ev)[1]
        out, err = signup(w, "zl", ev)
        assert not err and "名额（2 人）已满，您在候补第 1 位" in out, out
        # Members only: 王五 is no member, as if it did not exist.
        out, err = signup(w, "ww", ev)
        assert err and "没有编号为 %d 的活动" % ev in out, out
        for who, want in (("org", DENIED), ("u-admin", DENIED), ("stranger", DENIED)):
            out, err = signup(w, who, ev)
            assert err and want in out, (who, out)
        out, err = w.say("报名 abc", "zs")
        assert err and "活动编号应为正整数" in out
        out, err = w.say("报名 999", "zs")
        assert err and "没有编号为 999 的活动" in out
        # The roster: names and enterprises only, the same in a group chat.
        roster = w.ok("报名名单 %d" % ev, "org")
        assert "正式 2 人，候补 1 人" in roster and "1. 张三　示例精密机械有限公司" in roster
        assert "3. 赵六　演示特种设备制造有限公司（候补）" in roster, roster
        assert "138" not in roster and "@" not in roster
        assert w.ok("报名名单 %d" % ev, "org", chat_type="group") == roster
        assert "赵六" in w.ok("报名名单 %d" % ev, "u-admin")
        out, err = w.say("报名名单 %d" % ev, "org2")
        assert err and "您不是该联盟的组织者" in out
        for who in ("zs", "clerk-ls"):
            out, err = w.say("报名名单 %d" % ev, who)
            assert err and DENIED in out, (who, out)
        # A place freed: the first waiting moves up and is told.
        out = w.ok("取消报名 %d" % ev, "zs")
        assert "已取消报名" in out
        promoted = wait_for(w, "从候补转为正式报名")
        assert len(promoted) == 1 and body(promoted[0])["receive_id"] == "ou_zl"
        assert "您已报名" in w.ok("活动 查看 %d" % ev, "zl")
        out, err = w.say("取消报名 %d" % ev, "zs")
        assert err and "您没有报名活动 %d" % ev in out
        # Back in line, at the end.
        out, err = signup(w, "zs", ev)
        assert not err and "候补第 1 位" in out, out
        # An open event lets 王五 in too.
        open_ev = publish(w, title="开放沙龙", cap="1", open_="是", deadline="2030-05-28 18:00")
        assert not signup(w, "ww", open_ev)[1]
        # Past the deadline: no sign-up, cancelling still possible.
        w.set_clock("2030-05-28 18:01:00")
        out, err = signup(w, "ls", open_ev)
        assert err and "活动 %d 的报名已于 2030-05-28 18:00 截止" % open_ev in out, out
        assert "已取消报名" in w.ok("取消报名 %d" % ev, "zs")
        # Once started, neither.
        w.set_clock("2030-06-01 14:30:00")
        out, err = w.say("取消报名 %d" % ev, "ls")
        assert err and "已经开始或结束" in out
        assert w.rows("SELECT count(*) FROM audit_log WHERE entity = 'signup'")[0][0] == 8


def test_export_signups_csv():
    with World() as w:
        ev = publish(w)
        signup(w, "zs", ev)
        signup(w, "zl", ev)
        out = w.d.ctl("export", "signups", "--event", str(ev))
        assert "张三" in out and "赵六" in out and "质量沙龙" in out, out


def test_blacklisted_cannot_sign_up():
    with World() as w:
        ev = publish(w)
        preview = w.ok("黑名单 3 违法违规", "u-admin")
        w.confirm(preview, "u-admin")
        out, err = signup(w, "ls", ev)
        assert err and "您已被除名或列入黑名单，不能报名" in out, out
        assert w.rows("SELECT count(*) FROM signups")[0][0] == 0


def test_change_and_cancel_notify_everyone_signed_up():
    with World() as w:
        w.ok("订阅 1 机器人 wecom:wr1")
        ev = publish(w, cap="1")
        assert not signup(w, "zs", ev)[1]
        assert not signup(w, "zl", ev)[1]
        # 张三 takes no private notices, but a change of his event reaches him.
        w.ok("联盟 私信 关闭", "zs")
        w.drained()
        w.fake._call("POST", "/_reset")
        out, err = w.say("活动 修改 %d" % ev, "org")
        assert err and "请在命令后换行，逐行填写要修改的" in out and "地点：" in out, out
        assert "联盟：" not in out
        out, err = w.say("活动 修改 %d\n联盟：乙联盟" % ev, "org")
        assert err and "活动不能改到其他联盟" in out
        out, err = w.say("活动 修改 999\n地点：新地点", "org")
        assert err and "没有编号为 999 的活动" in out
        preview = w.ok("活动 修改 %d\n地点：新会场\n人数上限：2" % ev, "org")
        assert "以下活动信息有变更：地点、人数上限" in preview and "1 个群、3 人" in preview
        assert "目前已报名（含候补）2 人" in preview, preview
        out, err = w.confirm(preview, "org")
        assert not err and "已修改活动" in out and "候补中有 1 人转为正式报名" in out, out
        w.drained()
        reqs = w.messages()
        changes = [r for r in reqs if "以下活动信息有变更：地点、人数上限" in message_text(r)]
        assert len(changes) == 4, [(r["path"], r["query"]) for r in reqs]
        assert all("新会场" in message_text(r) for r in changes)
        one(changes, "/cgi-bin/webhook/send", key="wr-key-1")
        assert body(one(changes, "/cgi-bin/message/send"))["touser"] == "zhangsan"
        promoted = [r for r in reqs if "从候补转为正式报名" in message_text(r)]
        assert len(promoted) == 1 and body(promoted[0])["receive_id"] == "ou_zl"
        assert "正式 2 人，候补 0 人" in w.ok("报名名单 %d" % ev, "org")
        # Cancelling: shown first, then everyone told.
        w.fake._call("POST", "/_reset")
        preview = w.ok("活动 取消 %d" % ev, "org")
        assert "确认后将取消活动，并通知 1 个群、3 人" in preview, preview
        assert w.rows("SELECT status FROM events WHERE id = ?", ev) == [("published",)]
        out, err = w.confirm(preview, "org")
        assert not err and "已取消活动 %d" % ev in out, out
        w.drained()
        cancels = [r for r in w.messages() if "【活动取消】" in message_text(r)
                   and r["method"] == "POST" and r["path"] != WECOM_CARD_UPDATE]
        assert len(cancels) == 4 and all("已报名的无需前往" in message_text(r) for r in cancels)
        # 张三's WeCom card of the change (its code unused) turns into the
        # cancellation, its button grey; the announcement's code was spent
        # on the sign-ups, so that card stays as it was.
        wcards = w.fake.requests(WECOM_CARD_UPDATE)
        assert len(wcards) == 1, wcards
        tc = body(wcards[0])["template_card"]
        assert "【活动取消】" in tc["main_title"]["title"] and "button_list" not in tc, tc
        assert tc["replace_text"] == "已关闭" and body(wcards[0])["atall"] == 1
        # 赵六's cards of the event (Feishu: the announcement, and the change
        # once it was sent) turn into the cancellation, without buttons.
        kept = {"/open-apis/im/v1/messages/" + h for (h,) in
                w.rows("SELECT handle FROM sent_cards WHERE event_id = ?", ev)}
        cards = [r for r in w.messages() if r["method"] == "PATCH"]
        assert cards and {r["path"] for r in cards} <= kept, (cards, kept)
        assert all("【活动取消】" in message_text(r) and
                   '"cmd"' not in json.loads(r["body"])["content"] for r in cards), cards
        assert w.rows("SELECT status FROM events WHERE id = ?", ev) == [("cancelled",)]
        for text in ("报名 %d", "活动 修改 %d\n地点：又一处", "活动 取消 %d"):
            who = "ls" if text.startswith("报名") else "org"
            out, err = w.say(text % ev, who)
            assert err and "活动 %d 已取消" % ev in out, (text, out)
        out = w.ok("活动 报告 %d" % ev, "org")
        assert "（取消）" in out and "（变更）" in out and "（发布）" in out, out
        out, err = w.say("活动 取消 abc", "org")
        assert err and "活动编号应为正整数" in out
        assert w.rows("SELECT count(*) FROM audit_log WHERE entity = 'event'"
                      " AND entity_id = ?", ev)[0][0] == 3


def test_organizer_cannot_touch_another_alliance():
    with World() as w:
        w.ok("订阅 1 机器人 wecom:wr1")
        ev = publish(w)
        signup(w, "zs", ev)
        audit = w.rows("SELECT count(*) FROM audit_log")[0][0]
        outbox = w.rows("SELECT count(*) FROM outbox")[0][0]
        attempts = [
            ("活动 修改 %d\n地点：别处" % ev, "您不是该联盟的组织者"),
            ("活动 取消 %d" % ev, "您不是该联盟的组织者"),
            ("活动 报告 %d" % ev, "您不是该联盟的组织者"),
            ("报名名单 %d" % ev, "您不是该联盟的组织者"),
            ("通知 1 越权通知", "您是其他联盟的组织者"),
            ("联盟 成员 1", "您是其他联盟的组织者"),
            ("联盟 成员 加入 5 1", "您是其他联盟的组织者"),
            ("联盟 成员 移出 2 1", "您是其他联盟的组织者"),
            ("联盟 群 1", "您是其他联盟的组织者"),
            ("退订 1 机器人 wecom:wr1", "您是其他联盟的组织者"),
            (event_form(extra="\n联盟：1"), "您是其他联盟的组织者"),
        ]
        for text, want in attempts:
            out, err = w.say(text, "org2")
            assert err and want in out, (text, out)
        # Its events do not even show.
        assert "质量沙龙" not in w.ok("活动 列表", "org2")
        assert w.rows("SELECT count(*) FROM audit_log")[0][0] == audit
        assert w.rows("SELECT count(*) FROM outbox")[0][0] == outbox
        assert w.rows("SELECT status FROM events WHERE id = ?", ev) == [("published",)]


def test_delivery_report_after_partial_failure():
    """The organizer publishes from DingTalk; the WeCom robot's group refuses
    the message for good. The automatic report (a DingTalk private message)
    and 活动 报告 say what was delivered and name the failed group."""
    with World() as w:
        subscribe_all(w)
        w.fake._call("POST", "/_script", json.dumps({
            "path_prefix": "/cgi-bin/webhook/send",
            "responses": [{"body": {"errcode": 93000, "errmsg": "invalid webhook url"}}]}))
        preview = w.ding(event_form(title="钉钉发布的沙龙"), group=False)
        assert "确认后将发送到 6 个群、3 人" in preview, preview
        code = re.search(r"确认 (\d{6})", preview).group(1)
        out = w.ding("确认 " + code, group=False)
        assert "已发布活动 2" in out and "全部发送完毕后，将私聊告诉您送达结果" in out, out
        w.drained()
        reports = wait_for(w, "发送报告")
        assert len(reports) == 1, "no automatic report"
        assert reports[0]["path"] == "/v1.0/robot/oToMessages/batchSend"
        assert body(reports[0])["userIds"] == ["staff-org"]
        text = message_text(reports[0])
        assert "活动 2（发布）" in text and "已送达 8，待发送 0，失败 1" in text, text
        assert "未能送达：企微机器人群（企业微信群机器人）" in text, text
        out = w.ok("活动 报告 2", "org")
        assert "已送达 8，待发送 0，失败 1" in out and "企微机器人群" in out, out
        # Told once: two more rounds of the timed work send nothing more.
        w.tick()
        w.tick()
        w.drained()
        assert len(wait_for(w, "发送报告", n=2, timeout=0)) == 1
        assert w.rows("SELECT count(*) FROM broadcasts WHERE reported_at IS NOT NULL")[0][0] == 1


def test_robots_at_their_rate_limit_get_everything_in_order():
    """30 robot groups at the platforms' own limits (WeCom and DingTalk: 20
    messages a minute each): an announcement, a notice and a change all
    arrive, in order, none refused or given up."""
    with World(robots=10, rates=True) as w:
        for i in range(1, 11):
            for spec in ("wecom:wr%d", "dingtalk:dr%d", "feishu:fb%d"):
                w.ok("订阅 1 机器人 " + spec % i)
        ev = publish(w, title="限速沙龙")
        # 30 groups and 3 people: above confirm_above (20), so confirmed.
        w.confirm(w.ok("通知 1 限速通知", "org"), "org")
        preview = w.ok("活动 修改 %d\n地点：限速会场" % ev, "org")
        w.confirm(preview, "org")
        w.drained(timeout=60)
        assert w.rows("SELECT count(*) FROM outbox WHERE state = 'dead'")[0][0] == 0
        robots = {}
        for r in w.messages():
            if r["path"] in ("/cgi-bin/webhook/send", "/robot/send") or \
                    r["path"].startswith("/open-apis/bot/v2/hook/"):
                key = r["path"] + json.dumps(r["query"].get("key") or
                                             r["query"].get("access_token"))
                robots.setdefault(key, []).append(r)
        assert len(robots) == 30, list(robots)
        for key, got in robots.items():
            texts = [message_text(r) for r in got]
            assert len(got) == 3, (key, texts)
            assert "【沙龙】限速沙龙" in texts[0] and "限速通知" in texts[1], (key, texts)
            assert "【活动变更】" in texts[2], (key, texts)
            assert all(r["status"] == 200 for r in got)
        # Spaced by the limit, never a burst: the outbox started the attempts
        # to each WeCom or DingTalk robot 3 s apart (20 a minute; sent_at has
        # whole seconds).
        starts = {}
        for dest, at in w.rows("SELECT destination, sent_at FROM outbox WHERE chat_kind = 'group'"
                               " ORDER BY id"):
            starts.setdefault(dest, []).append(at)
        slow = {d: v for d, v in starts.items() if not d.startswith("feishu|")}
        assert len(slow) == 20 and all(len(v) == 3 for v in slow.values()), starts
        for dest, v in slow.items():
            assert min(b - a for a, b in zip(v, v[1:])) >= 2, (dest, v)


def test_places_on_cards_follow_signups_coalesced():
    """A sign-up or a cancellation changes the places left on every card of
    the event that was sent (Feishu: PATCH im/v1/messages/<id>); a card has
    one update queued at a time, the newest, so a burst of ten changes sends
    far fewer, the last with the right number."""
    with World(rates=True, extra="\n[outbox]\nfeishu_per_second = 2\n") as w:
        w.ok("订阅 1 群 feishu:f1 oc_group_2")
        ev = publish(w, cap="10", open_="是")
        w.drained()
        # The group's card and 赵六's (ou_zl, a member): the Feishu sends.
        sent = [r for r in w.messages("/open-apis/im/v1/messages") if r["method"] == "POST"]
        assert len(sent) == 2, sent
        cards = sorted(h for (h,) in w.rows("SELECT handle FROM sent_cards WHERE event_id = ?"
                                             " AND platform = 'feishu'", ev))
        assert len(cards) == 2 and all(h.startswith("om_") for h in cards), cards
        ops = [("zs", "报名"), ("ls", "报名"), ("zl", "报名"), ("ww", "报名"),
               ("zs", "取消报名"), ("ls", "取消报名"), ("zs", "报名"), ("ls", "报名"),
               ("zl", "取消报名"), ("zs", "取消报名")]
        for who, cmd in ops:
            w.ok("%s %d" % (cmd, ev), who)
        w.drained()
        # 李四 and 王五 hold places: 8 of 10 left.
        for handle in cards:
            path = "/open-apis/im/v1/messages/" + handle
            patches = [r for r in w.fake.requests(path)
                       if r["path"] == path and r["method"] == "PATCH"]
            assert 1 <= len(patches) <= 5, (handle, len(patches))
            last = json.loads(json.loads(patches[-1]["body"])["content"])
            assert "剩余名额**：8 人" in message_text(patches[-1]), message_text(patches[-1])
            assert last["config"]["update_multi"] is True
            buttons = [b for e in last["elements"] if e["tag"] == "action" for b in e["actions"]]
            assert [b["value"] for b in buttons] == [
                {"cmd": "报名 %d" % ev, "card": "shared"},
                {"cmd": "取消报名 %d" % ev, "card": "shared"}], buttons
        # One row per update sent; none left behind.
        assert w.rows("SELECT count(*) FROM outbox WHERE destination LIKE 'feishu|f1|card|%'"
                      " AND state <> 'sent'")[0][0] == 0


def test_places_on_dingtalk_cards_follow_signups_coalesced():
    """An instance with a card template announces to its groups with an
    interactive card (createAndDeliver), kept by its outTrackId; sign-ups
    update it (PUT v1.0/card/instances) paced like any DingTalk destination,
    one update queued at a time, the last with the right number."""
    import os
    import sys
    from harness import ROOT
    sys.path.insert(0, os.path.join(ROOT, "tests", "fake"))
    import dingtalk_stream
    with dingtalk_stream.DingTalkStream() as stream:
        extra = ("\n[dingtalk:d2]\nmode = stream\napp_key = %s\napp_secret = %s\n"
                 "robot_code = ding-robot-2\napi_base = %s\ncard_template_id = tpl.schema\n"
                 "\n[outbox]\nrobot_per_minute = 60\n") % (
                     dingtalk_stream.CLIENT_ID, dingtalk_stream.CLIENT_SECRET, stream.base)
        with World(rates=True, extra=extra) as w:
            # The OpenAPI shares api_base with the Stream gateway: passed on.
            stream.api = w.fake.base
            stream.wait_for(lambda e: e["kind"] == "connect")
            w.ok("订阅 1 群 dingtalk:d2 cidGroup2==")
            ev = publish(w, cap="10", open_="是")
            w.drained()
            sent = [json.loads(r["body"])
                    for r in w.messages("/v1.0/card/instances/createAndDeliver")]
            assert len(sent) == 1, sent
            card = sent[0]
            assert card["openSpaceId"] == "dtv1.card//IM_GROUP.cidGroup2==", card
            assert card["imGroupOpenDeliverModel"] == {"robotCode": "ding-robot-2"}, card
            assert "剩余名额" in card["cardData"]["cardParamMap"]["markdown"], card
            assert w.rows("SELECT platform, instance, handle FROM sent_cards"
                          " WHERE event_id = ? AND platform = 'dingtalk'", ev) == \
                [("dingtalk", "d2", card["outTrackId"])]
            ops = [("zs", "报名"), ("ls", "报名"), ("zl", "报名"), ("ww", "报名"),
                   ("zs", "取消报名"), ("ls", "取消报名"), ("zs", "报名"), ("ls", "报名"),
                   ("zl", "取消报名"), ("zs", "取消报名")]
            for who, cmd in ops:
                w.ok("%s %d" % (cmd, ev), who)
            w.drained()
            puts = [json.loads(r["body"]) for r in w.fake.requests("/v1.0/card/instances")
                    if r["path"] == "/v1.0/card/instances" and r["method"] == "PUT"]
            assert 1 <= len(puts) <= 5, len(puts)
            assert all(p["outTrackId"] == card["outTrackId"] for p in puts), puts
            last = puts[-1]
            assert last["cardUpdateOptions"] == {"updateCardDataByKey": True}, last
            params = last["cardData"]["cardParamMap"]
            # 李四 and 王五 hold places: 8 of 10 left.
            assert "剩余名额**：8 人" in params["markdown"], params["markdown"]
            assert (params["btn1_cmd"], params["btn2_cmd"]) == \
                ("报名 %d" % ev, "取消报名 %d" % ev), params
            # Paced: the updates' attempts at least a second apart.
            starts = [at for (at,) in w.rows(
                "SELECT sent_at FROM outbox WHERE destination LIKE 'dingtalk|d2|card|%'"
                " ORDER BY id")]
            assert all(b - a >= 1 for a, b in zip(starts, starts[1:])), starts
            assert w.rows("SELECT count(*) FROM outbox WHERE destination LIKE"
                          " 'dingtalk|d2|card|%' AND state <> 'sent'")[0][0] == 0


def wecom_card(w, ev):
    """张三's (wecom zhangsan) card of ev's announcement as kept: its row in
    sent_cards as a dict, and the template card it was sent as."""
    cols = ("handle", "target", "task_id", "response_code", "held_code")
    rows = w.rows("SELECT %s FROM sent_cards WHERE event_id = ? AND platform = 'wecom'"
                  % ", ".join(cols), ev)
    assert len(rows) == 1, rows
    sent = [body(r) for r in w.fake.requests("/cgi-bin/message/send")
            if body(r)["msgtype"] == "template_card" and body(r)["touser"] == "zhangsan"]
    assert len(sent) == 1, sent
    return dict(zip(cols, rows[0])), sent[0]["template_card"]


def wecom_press(w, key, task, code):
    """张三 presses the button `key` of the card `task`, WeCom bringing `code`."""
    inner = wecom_inner(None, sender="zhangsan", msg_id=None, msg_type="event",
                        extra="<Event><![CDATA[template_card_event]]></Event>\n"
                              "<EventKey><![CDATA[%s]]></EventKey>\n"
                              "<TaskId><![CDATA[%s]]></TaskId>\n"
                              "<CardType><![CDATA[button_interaction]]></CardType>\n"
                              "<ResponseCode><![CDATA[%s]]></ResponseCode>\n" % (key, task, code))
    status, _, _ = wecom_post(w.d, inner, name="w1", aes=WECOM_AES, corp="ww-alliance",
                              token="wecom-token")
    assert status == 200


def skipped(w):
    return metric(w.d, "cqod_card_updates_skipped_total", 'platform="wecom"') or 0


def test_places_on_wecom_cards_follow_signups():
    """An event's announcement to a WeCom user is a template card whose send
    answers with a response_code, good once: it is kept with the card. A
    burst of sign-ups sends one update_template_card with the last count
    and that code; a later change finds no unused code and is skipped
    (counted, the spent code never sent again) until a press of the card
    brings a fresh one."""
    with World() as w:
        ev = publish(w, cap="10", open_="是")
        w.drained()
        card, sent = wecom_card(w, ev)
        assert card["target"] == "zhangsan" and card["task_id"] == sent["task_id"], card
        code = card["response_code"]
        assert code and code.startswith("rc-"), card
        ops = [("zs", "报名"), ("ls", "报名"), ("zl", "报名"), ("ww", "报名"),
               ("zs", "取消报名"), ("ls", "取消报名"), ("zs", "报名"), ("ls", "报名"),
               ("zl", "取消报名"), ("zs", "取消报名")]
        for who, cmd in ops:
            w.ok("%s %d" % (cmd, ev), who)
        w.drained()
        ups = w.fake.requests(WECOM_CARD_UPDATE)
        assert len(ups) == 1, ups
        last = body(ups[0])
        assert last["agentid"] == 1000002 and last["atall"] == 1, last
        assert last["response_code"] == code
        tc = last["template_card"]
        assert tc["task_id"] == sent["task_id"] and "剩余名额：8 人" in tc["sub_title_text"], tc
        assert [b["key"] for b in tc["button_list"]] == ["报名 %d" % ev, "取消报名 %d" % ev]
        # The code left the card with the update.
        card, _ = wecom_card(w, ev)
        assert card["response_code"] is None and card["held_code"] == code, card
        # Spent: the next change has no code to go with.
        before = skipped(w)
        w.ok("报名 %d" % ev, "zs")
        wait_until(lambda: skipped(w) == before + 1, "the update skipped for want of a code")
        w.drained()
        assert len(w.fake.requests(WECOM_CARD_UPDATE)) == 1
        # 张三 presses 取消报名 on his card: its fresh code shows the place freed.
        wecom_press(w, "取消报名 %d" % ev, sent["task_id"], "rc-press-1")
        ups = w.fake.wait_requests(WECOM_CARD_UPDATE, 2, timeout=20)
        assert len(ups) == 2, ups
        last = body(ups[1])
        assert last["response_code"] == "rc-press-1", last
        assert "剩余名额：8 人" in last["template_card"]["sub_title_text"], last
        codes = [body(r)["response_code"] for r in ups]
        assert len(set(codes)) == len(codes), codes
        w.drained()
        assert w.rows("SELECT count(*) FROM outbox WHERE destination LIKE 'wecom|w1|card|%'"
                      " AND state <> 'sent'")[0][0] == 0


def test_wecom_card_update_survives_restart_and_spent_code_dropped():
    """A queued WeCom card update, and the code it goes with, survive a
    restart. An update WeCom refuses for its code (spent or expired) is
    dropped: not retried, not dead, counted, logged without the code."""
    with World() as w:
        ev = publish(w, cap="10")
        w.drained()
        card, sent = wecom_card(w, ev)
        code = card["response_code"]
        w.ok("报名 %d" % ev, "ls")
        assert w.rows("SELECT count(*) FROM outbox WHERE destination LIKE 'wecom|w1|card|%'"
                      " AND state = 'pending'")[0][0] == 1
        w.restart({})
        ups = w.fake.wait_requests(WECOM_CARD_UPDATE, 1, timeout=20)
        last = body(ups[0])
        assert last["response_code"] == code, last
        assert "剩余名额：9 人" in last["template_card"]["sub_title_text"], last
        # A code WeCom no longer takes (here: the one just spent, put back).
        w.drained()
        with sqlite3.connect(w.d.db, timeout=10) as db:
            db.execute("UPDATE sent_cards SET response_code = ?, code_at = strftime('%s', 'now')"
                       " WHERE platform = 'wecom'", (code,))
        mark = w.d.log_mark()
        w.ok("报名 %d" % ev, "zl")
        w.d.wait_log(r"outbox \d+ to wecom/w1 dropped: wecom errcode 40058", 20, since=mark)
        w.drained()
        ups = w.fake.requests(WECOM_CARD_UPDATE)
        assert len(ups) == 2 and body(ups[1])["response_code"] == code, ups
        assert metric(w.d, "cqod_card_updates_dropped_total") == 1
        assert w.rows("SELECT count(*) FROM outbox WHERE state = 'dead'")[0][0] == 0
        assert w.rows("SELECT count(*) FROM outbox WHERE destination LIKE 'wecom|w1|card|%'"
                      " AND state <> 'sent'")[0][0] == 0
        assert not [line for line in w.d.drain_log() if code in line]
