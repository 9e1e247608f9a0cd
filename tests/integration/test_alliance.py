"""联盟, 订阅, 退订, 通知 and the yearly campaigns end to end: every command's
success, validation errors and each role, through the signed generic
webhook, DingTalk and Feishu group chats and the console; every change
audited, every refusal changing nothing. Events and sign-ups are in
test_alliance_events.py."""
import os
import re
import select
import subprocess
import time

from alliance_common import World, config, message_text
from harness import Daemon, as_user_prefix, wait_until

DENIED = "您没有权限使用"


def audit(w, entity):
    return w.rows("SELECT count(*) FROM audit_log WHERE entity = ?", entity)[0][0]


def test_alliance_create_and_list_by_role():
    with World() as w:
        before = audit(w, "alliance")
        out = w.ok("联盟 新建 丙联盟 3713")
        assert "已新建联盟“丙联盟” · 编号 3" in out and "临沂市（3713）" in out, out
        assert audit(w, "alliance") == before + 1
        for text, want in [("联盟 新建 丙联盟", "已有名为“丙联盟”的联盟"),
                           ("联盟 新建 丁联盟 379999", "地区代码 379999 不存在"),
                           ("联盟 新建 丁联盟 3x", "地区代码应为 2、4 或 6 位数字"),
                           ("联盟 新建 12345", "联盟名称不能全是数字"),
                           ("联盟 新建 " + "长" * 41, "联盟名称过长：最多 40 个字"),
                           ("联盟 新建", "联盟 新建 <名称> [地区代码]"),
                           ("联盟 解散 1", "联盟 列表\n")]:
            out, err = w.say(text)
            assert err and want in out, (text, out)
        assert audit(w, "alliance") == before + 1
        # Who sees which alliances.
        out = w.ok("联盟 列表", "u-admin")
        assert "联盟 3 个" in out and "乙联盟" in out and "成员 3 人" in out, out
        out = w.ok("联盟", "clerk-ls")
        assert "示例市首席质量官联盟（演示）" in out and "丙联盟" in out, out
        assert "乙联盟" not in out
        out = w.ok("alliance list", "clerk-xa")
        assert "乙联盟" in out and "示例市" not in out, out
        out = w.ok("联盟 列表", "org")
        assert "联盟 1 个" in out and "示例市" in out, out
        out = w.ok("联盟 列表", "zs")
        assert "示例市首席质量官联盟（演示）　私信通知：开启" in out, out
        assert w.ok("联盟 列表", "ww") == "您还不是任何联盟的成员。"
        # Only admins create.
        for who in ("clerk-ls", "org", "zs"):
            out, err = w.say("联盟 新建 戊联盟", who)
            assert err and "您没有权限使用“联盟 新建”" in out, (who, out)
        out, err = w.say("联盟 列表", "stranger")
        assert err and DENIED in out and "绑定" in out, out
        assert audit(w, "alliance") == before + 1


def test_members_join_leave_and_rules():
    with World() as w:
        out = w.ok("联盟 成员", "org")
        assert "成员 3 人" in out and "记录号 2　张三　示例精密机械有限公司" in out, out
        # Names and enterprises only, in a group chat as in a private one.
        group = w.ok("联盟 成员", "org", chat_type="group")
        assert group == out and "138" not in out and "@" not in out
        before = audit(w, "alliance_member")
        for text, want in [("联盟 成员 加入 5", "记录号 5 的企业不在“示例市首席质量官联盟（演示）”"),
                           ("联盟 成员 加入 1", "记录号 1 当前状态为“任期结束”"),
                           ("联盟 成员 加入 2", "记录号 2（张三）已是"),
                           ("联盟 成员 加入 999", "未找到记录号 999"),
                           ("联盟 成员 移出 5", "记录号 5（王五）不是")]:
            out, err = w.say(text, "org")
            assert err and want in out, (text, out)
        out, err = w.say("联盟 成员 加入 abc", "org")
        assert err and "记录号应为" in out, out
        assert audit(w, "alliance_member") == before
        # Another alliance's members: its organizer or an admin.
        out, err = w.say("联盟 成员 加入 5 乙联盟", "org")
        assert err and "您是其他联盟的组织者，不能管理“乙联盟”" in out, out
        out = w.ok("联盟 成员 加入 5 乙联盟", "u-admin")
        assert "已将 王五（示例电子科技有限公司，记录号 5）加入“乙联盟”" in out, out
        out = w.ok("联盟 成员", "org2")
        assert "王五" in out and "张三" not in out, out
        out, err = w.say("联盟 成员", "u-admin")
        assert err and "请写明联盟名称或编号" in out, out
        out = w.ok("联盟 成员 移出 3", "org")
        assert "已将 李四（演示食品股份有限公司，记录号 3）移出" in out, out
        assert "李四" not in w.ok("联盟 成员", "org")
        w.ok("联盟 成员 加入 3", "org")
        assert audit(w, "alliance_member") == before + 3
        assert w.rows("SELECT count(*) FROM audit_log WHERE entity = 'alliance_member'"
                      " AND record_id = 3")[0][0] == 2
        for who in ("zs", "clerk-ls"):
            out, err = w.say("联盟 成员", who)
            assert err and "您没有权限使用“联盟 成员”" in out, (who, out)
        # A blacklisted CQO drops off the list (and comes back if revoked).
        preview = w.ok("黑名单 3 违法违规", "u-admin")
        w.confirm(preview, "u-admin")
        out = w.ok("联盟 成员", "org")
        assert "李四" not in out and "成员 2 人" in out, out
        assert "成员 2 人" in w.ok("联盟 列表", "org")
        out, err = w.say("联盟 成员 加入 3 乙联盟", "u-admin")
        assert err and "已被除名或列入黑名单" in out, out


def test_subscribe_in_groups_and_robots():
    with World() as w:
        before = audit(w, "subscription")
        out = w.ding("订阅 1 钉钉机械群")
        assert "已订阅：钉钉机械群（钉钉群）" in out, out
        assert "已订阅" in w.ding("订阅 1 钉钉机械群") and "已订阅“" in w.ding("订阅 1")
        out = w.feishu("订阅 示例市首席质量官联盟（演示）")
        assert "已订阅：飞书群 oc_group_1（f1）" in out, out
        # Not in a group, not a pushable group, not their alliance.
        assert "请在要订阅（或退订）的群里发送" in w.ding("订阅 1", group=False)
        out, err = w.say("订阅 1", "org", chat_type="group")
        assert err and "本平台的群不支持推送" in out, out
        out, err = w.say("订阅 1", "org2", chat_type="group")
        assert err and "您是其他联盟的组织者" in out, out
        assert "没有名称或编号为“9”的联盟" in w.ding("订阅 9")
        # Robots and chats by id: admins only, configured instances only.
        out, err = w.say("订阅 1 机器人 wecom:wr1", "org")
        assert err and "群机器人和按群ID订阅由管理员操作" in out, out
        out, err = w.say("订阅 1 机器人 wecom:nope", "u-admin")
        assert err and "没有配置群机器人“wecom:nope”" in out, out
        out, err = w.say("订阅 1 机器人 wr1", "u-admin")
        assert err and "没有配置群机器人" in out, out
        out, err = w.say("订阅 1 群 wecom:zz chat-1", "u-admin")
        assert err and "没有配置应用“wecom:zz”" in out, out
        out, err = w.say("订阅 1 群 wecom:w1", "u-admin")
        assert err and "用法：订阅" in out, out
        out, err = w.say("订阅 1 机器人 wecom:wr1 " + "名" * 31, "u-admin")
        assert err and "名称过长：最多 30 个字" in out, out
        assert "企微机器人群（企业微信群机器人）" in w.ok("订阅 1 机器人 wecom:wr1 企微机器人群")
        assert "钉钉群机器人 dr1" in w.ok("订阅 1 机器人 dingtalk_robot:dr1")
        assert "飞书群机器人 fb1" in w.ok("subscribe 1 机器人 feishu:fb1")
        # A WeCom app reaches only chats it created: no WeCom chat by id.
        out, err = w.say("订阅 1 群 wecom:w1 wrchat-1", "u-admin")
        assert err and "企业微信应用只能向本应用创建的群聊推送消息" in out, out
        assert "飞书群 oc_group_2（f1）" in w.ok("订阅 1 群 feishu:f1 oc_group_2")
        assert audit(w, "subscription") == before + 6, w.rows(
            "SELECT entity_id, after_json FROM audit_log WHERE entity = 'subscription'")
        out = w.ok("联盟 群", "org")
        assert "群 6 个" in out and "1. 钉钉机械群（钉钉群）" in out, out
        assert "联盟 1 个" in w.ok("联盟", "org") and "群 6 个" in w.ok("联盟", "org")
        for who in ("zs", "clerk-ls", "stranger"):
            out, err = w.say("订阅 1", who, chat_type="group")
            assert err and DENIED in out, (who, out)
        out, err = w.say("联盟 群", "zs")
        assert err and "您没有权限使用“联盟 群”" in out
        # 退订.
        assert "已退订：钉钉群" in w.ding("退订 1")
        assert "没有订阅" in w.ding("退订 1")
        assert "已退订：企业微信群机器人 wr1" in w.ok("退订 1 机器人 wecom:wr1")
        out, err = w.say("退订 1 机器人 wecom:wr1", "u-admin")
        assert err and "没有订阅" in out
        assert audit(w, "subscription") == before + 8
        rows = w.rows("SELECT platform, instance, chat_id, kind, label FROM subscriptions"
                      " ORDER BY id")
        assert rows == [("feishu", "f1", "oc_group_1", "chat", None),
                        ("dingtalk", "dr1", "", "robot", None),
                        ("feishu", "fb1", "", "robot", None),
                        ("feishu", "f1", "oc_group_2", "chat", None)], rows


def test_private_notices_toggle():
    with World() as w:
        assert "已关闭" in w.ok("联盟 私信 关闭", "zs")
        assert "私信通知：关闭" in w.ok("联盟 列表", "zs")
        assert w.rows("SELECT private_notices FROM alliance_members WHERE appointment_id = 2"
                      ) == [(0,)]
        # A notice now reaches 李四 and 赵六 privately, not 张三.
        out = w.ok("通知 1 下周三例会", "org")
        assert "0 个群、2 人" in out, out
        w.drained()
        targets = sorted(message_text(r).split("\n")[0] for r in w.messages())
        assert len(targets) == 2 and not w.messages("/cgi-bin/message/send"), targets
        out = w.ok("联盟 私信 开启 1", "zs")
        assert "已开启：“示例市首席质量官联盟（演示）”" in out, out
        out, err = w.say("联盟 私信 开启 乙联盟", "zs")
        assert err and "您不是“乙联盟”的成员" in out, out
        out, err = w.say("联盟 私信 关闭", "ww")
        assert err and "您还不是任何联盟的成员" in out, out
        out, err = w.say("联盟 私信 也许", "zs")
        assert err and "联盟 私信 开启|关闭" in out, out
        for who in ("org", "u-admin"):
            out, err = w.say("联盟 私信 关闭", who)
            assert err and "您没有权限使用“联盟 私信”" in out, (who, out)
        assert audit(w, "alliance_private") == 2


def test_notice_confirm_threshold_and_report():
    with World(extra="\n[alliances]\nconfirm_above = 3\n") as w:
        w.ok("订阅 1 机器人 wecom:wr1", "u-admin")
        # 1 group + 3 people > 3: shown first, sent on 确认.
        preview = w.ok("通知 1 本周五举行质量月启动会\n请各企业准时参加", "org")
        assert "确认后将发送到 1 个群、3 人" in preview and "本周五举行" in preview, preview
        assert w.rows("SELECT count(*) FROM broadcasts")[0][0] == 0
        out, err = w.confirm(preview, "org")
        assert not err and "已向“示例市首席质量官联盟（演示）”的 1 个群、3 人排队发送通知（批次 1）" in out
        w.drained()
        robot = w.messages("/cgi-bin/webhook/send")
        assert len(robot) == 1 and robot[0]["query"]["key"] == "wr-key-1"
        assert "【联盟通知】示例市首席质量官联盟（演示）" in message_text(robot[0])
        assert "请各企业准时参加" in message_text(robot[0])
        assert len(w.messages()) == 4
        # At or below the threshold: at once.
        out = w.ok("通知 乙联盟 乙联盟通知", "org2")
        assert "0 个群、0 人" in out and "批次 2" in out, out
        out = w.ok("通知 报告 1", "org")
        assert "通知（批次 1）" in out and "已送达 4，待发送 0，失败 0" in out, out
        out, err = w.say("通知 报告 2", "org")
        assert err and "没有批次为 2 的通知" in out, out
        for text, who, want in [("通知 1", "org", "用法：通知"),
                                ("通知 1 " + "字" * 1001, "org", "正文过长：最多 1000 个字"),
                                ("通知 1 越权", "org2", "您是其他联盟的组织者"),
                                ("通知 9 无此联盟", "u-admin", "没有名称或编号为“9”的联盟"),
                                ("通知 报告 x", "org", "用法：通知")]:
            out, err = w.say(text, who)
            assert err and want in out, (text, out)
        for who in ("zs", "clerk-ls", "stranger"):
            out, err = w.say("通知 1 你好", who)
            assert err and DENIED in out, (who, out)
        assert w.rows("SELECT count(*) FROM broadcasts")[0][0] == 2
        assert audit(w, "broadcast") == 2


def test_campaigns_set_list_and_sent_on_their_day():
    with World(clock="2026-08-31 10:00:00") as w:
        w.ok("订阅 1 机器人 feishu:fb1", "u-admin")
        out = w.ok("联盟 年度 1 质量月 9月1日 质量月开始了，请关注各项活动")
        assert "已设置“示例市首席质量官联盟（演示）”的年度活动：质量月，每年 09-01" in out, out
        w.ok("联盟 年度 1 首席质量官日 09-15 首席质量官日快乐")
        out = w.ok("联盟 年度 1")
        assert "首席质量官日：每年 09-15：首席质量官日快乐" in out, out
        for text, want in [("联盟 年度 1 植树节 03-12 x", "年度活动类型应为 质量月 或 首席质量官日"),
                           ("联盟 年度 1 质量月 13-01 x", "日期应为“月-日”"),
                           ("联盟 年度 1 质量月 09-01", "联盟 年度 <联盟>"),
                           ("联盟 年度", "联盟 年度 <联盟>")]:
            out, err = w.say(text)
            assert err and want in out, (text, out)
        for who in ("org", "clerk-ls", "zs"):
            out, err = w.say("联盟 年度 1", who)
            assert err and "您没有权限使用“联盟 年度”" in out, (who, out)
        assert "已删除" in w.ok("联盟 年度 1 首席质量官日 删除")
        out, err = w.say("联盟 年度 1 首席质量官日 删除")
        assert err and "没有设置首席质量官日" in out
        assert audit(w, "campaign") == 3
        w.tick()
        w.drained()
        assert not w.messages(), "a campaign went out before its day"
        # The next day at 10:00 (after send_at 09:00) it goes out, once, to
        # the group and the three members (reminders may go out too).
        w.set_clock("2026-09-01 10:00:00")
        wait_until(lambda: len(campaign_messages(w)) >= 4, "four campaign messages")
        got = campaign_messages(w)
        assert len(got) == 4, [r["path"] for r in got]
        bot = [r for r in got if r["path"] == "/open-apis/bot/v2/hook/fb-hook-1"]
        assert len(bot) == 1 and "【质量月】示例市首席质量官联盟（演示）" in message_text(bot[0])
        w.set_clock("2026-09-02 10:00:00")
        w.drained()
        assert len(campaign_messages(w)) == 4
        assert w.rows("SELECT sent_year FROM alliance_campaigns") == [(2026,)]


def campaign_messages(w):
    return [r for r in w.messages() if "质量月开始了" in message_text(r)]


def console_read(proc, pattern, timeout=15.0):
    """Reads the console's stdout until `pattern` shows up; returns it all."""
    out = ""
    rx = re.compile(pattern)
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    while not rx.search(out) and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            out += chunk.decode("utf-8", "replace")
    assert rx.search(out), "console never printed %r:\n%s" % (pattern, out)
    return out


def test_console_path():
    """The console operator (admin) creates an alliance, adds a member and
    sends a notice; in console mode the pushed messages are printed."""
    d = Daemon(config("http://127.0.0.1:9"))
    with d:
        d.ctl("grant wecom zhangsan cqo 2")
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=d.env)
        try:
            proc.stdin.write("联盟 新建 控制台联盟 37\n".encode())
            proc.stdin.flush()
            console_read(proc, r"已新建联盟“控制台联盟” · 编号 2")
            proc.stdin.write("联盟 成员 加入 2 控制台联盟\n".encode())
            proc.stdin.flush()
            console_read(proc, r"已将 张三")
            proc.stdin.write("通知 控制台联盟 控制台发出的通知\n".encode())
            proc.stdin.flush()
            out = console_read(proc, r"【推送 → wecom\|w1\|user\|0\|zhangsan】[\s\S]*控制台发出的通知")
            assert "0 个群、1 人" in out, out
            proc.stdin.close()
            assert proc.wait(30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        with __import__("sqlite3").connect(d.db) as db:
            rows = db.execute("SELECT DISTINCT actor_platform FROM audit_log WHERE entity IN"
                              " ('alliance', 'alliance_member', 'broadcast')").fetchall()
        assert rows == [("console",)], rows
