"""Trainings, sanctions, honours and 我的 through the signed generic webhook
and the console: success, every validation error, every role, masking, the
confirmation of 除名/黑名单 (confirm, cancel, another person, expiry) and
撤销 restoring a removed record.

Time is pinned (CQOD_FAKE_NOW) so the demo's dates are known: today is
2026-06-15. 张三 (person 1) holds record 2 in 兰山区 371302, term
2023-07-05 .. 2026-07-04, 20 training hours this year (12 + 8), 任职培训 on
2023-04-11. 李四 (person 2) holds record 3 in 罗庄区 371311 with an open
警示 (处理号 1, 未完成继续教育). 孙八 (person 6) held record 1, ended.
Alliance 1 is the organizer's."""
import calendar
import os
import re
import select
import subprocess
import time

from harness import Chat, Daemon, as_user_prefix, one as db_one, rows as db_rows

TODAY = "2026-06-15"
FAKE_NOW = TODAY + " 10:00:00"
PHONE, EMAIL = "13800000001", "zhangsan@example.com"
DENIED = "您没有权限使用“%s”。"
NOT_FOUND = "未找到记录号 %s，或该记录不在您的管辖范围内。"
GROUNDS = "事由须以下列之一开头"
CONFIRM_RX = re.compile(r"确认 (\d{6})")


def staffed(later=None):
    """The demo seeded on TODAY; the daemon runs at FAKE_NOW or `later`."""
    d = Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW})
    for g in ("generic u-admin admin", "generic clerk-ls clerk 371302",
              "generic clerk-ly clerk 3713", "generic clerk-lz clerk 371311",
              "generic cqo-zs cqo 1", "generic cqo-ls cqo 2", "generic cqo-sb cqo 6",
              "generic org organizer 1"):
        d.ctl("grant " + g)
    if later:
        d.env["CQOD_FAKE_NOW"] = later
    d.start()
    return d, Chat(d, "r")


def cst(y, mo, day, h, mi):
    """Unix time of a China Standard Time wall-clock time."""
    return calendar.timegm((y, mo, day, h, mi, 0)) - 8 * 3600


def counts(d):
    """What a refused command must leave untouched."""
    return db_rows(d, "SELECT (SELECT count(*) FROM trainings), (SELECT count(*) FROM sanctions),"
                      " (SELECT count(*) FROM honours), (SELECT count(*) FROM audit_log),"
                      " (SELECT group_concat(status) FROM appointments),"
                      " (SELECT group_concat(status) FROM sanctions)")[0]


def assert_usage(text, err, usage_start, *reasons):
    assert err, text
    assert "用法：" + usage_start in text, text
    for r in reasons:
        assert r in text, (r, text)


def assert_denied(say, text, sender, name):
    out, err = say(text, sender)
    assert err and DENIED % name in out, (sender, text, out)
    assert "张三" not in out, out


# ---- 培训 ----

def test_training_success_hours_and_audit():
    d, say = staffed()
    with d:
        text, err = say("培训 2 继续教育 2026-06-01 6 证书A 示例学院 省级 高级", "clerk-ls")
        assert not err, text
        assert "已登记培训 · 记录号 2" in text and "张三（示例精密机械有限公司）" in text
        assert "继续教育，2026-06-01，6.0 学时" in text and "证书号：证书A" in text
        assert "培训机构：示例学院" in text and "级别：省级" in text and "层次：高级" in text
        assert "2026年累计：26.0 学时，年度要求 30.0 学时，还差 4.0 学时" in text, text
        # Alias, another date form, skipped optional arguments, admin.
        text, err = say("train 2 线上自学 2026年6月2日 4.5 - - 市", "u-admin")
        assert not err and "30.5 学时，已达到年度要求 30.0 学时" in text, text
        # A city clerk reaches a county below.
        text, err = say("培训 3 任职培训 2026-06-10 16", "clerk-ly")
        assert not err and "李四" in text and "22.0 学时" in text, text
        rows = db_rows(d, "SELECT kind, date, hours, certificate_no, institution, level, tier"
                          " FROM trainings WHERE appointment_id = 2 AND date >= '2026-06-01'"
                          " ORDER BY id")
        assert rows == [("继续教育", "2026-06-01", 6.0, "证书A", "示例学院", "省", "高级"),
                        ("线上自学", "2026-06-02", 4.5, None, None, "市", None)], rows
        audit = db_rows(d, "SELECT actor_platform, actor_user, chat_id, command, entity"
                           " FROM audit_log WHERE record_id = 2"
                           " AND actor_platform <> 'cqoctl' ORDER BY id")
        assert audit == [("generic", "clerk-ls", "chat-1", "培训", "training"),
                         ("generic", "u-admin", "chat-1", "培训", "training")], audit


def test_training_validation_errors_change_nothing():
    d, say = staffed()
    with d:
        before = counts(d)
        usage = "培训 <记录号>"
        cases = [
            ("培训 2 外出考察 2026-06-01 6", ["培训类型“外出考察”无效，应为：任职培训、继续教育、线上自学"]),
            ("培训 2 继续教育 2026-06-16 6", ["培训日期不能晚于今天（2026-06-15）"]),
            ("培训 2 继续教育 2026-13-01 6", ["日期不存在"]),
            ("培训 2 继续教育 2026-6 6", ["日期格式不正确"]),
            ("培训 2 继续教育 2026-02-30 6", ["日期不存在"]),
            ("培训 2 继续教育 昨天 6", ["日期格式不正确"]),
            ("培训 2 继续教育 2026-06-01 0", ["学时应为大于 0"]),
            ("培训 2 继续教育 2026-06-01 1.25", ["学时应为大于 0"]),
            ("培训 2 继续教育 2026-06-01 1001", ["学时应为大于 0"]),
            ("培训 2 继续教育 2026-06-01 六", ["学时应为大于 0"]),
            ("培训 2 继续教育 2026-06-01 6 - - 乡", ["级别“乡”无效"]),
            ("培训 2 继续教育 2026-06-01 6 - - 省 初级", ["层次“初级”无效"]),
            ("培训 2 继续教育 2026-06-01 6 " + "证" * 65, ["证书号不能超过 64 个字"]),
            ("培训 2 继续教育 2026-06-01 6 - " + "机" * 65, ["培训机构不能超过 64 个字"]),
            ("培训 abc 继续教育 2026-06-01 6", ["记录号应为正整数"]),
            ("培训 2 继续教育 2026-06-01", []),
            ("培训 2 继续教育 2026-06-01 6 a b 省 高级 多余", []),
            # Every problem is reported, not just the first.
            ("培训 x 考察 2026-06-31 -1", ["记录号应为正整数", "培训类型“考察”无效",
                                          "日期不存在", "学时应为大于 0"]),
        ]
        for cmd, reasons in cases:
            text, err = say(cmd, "clerk-ls")
            assert_usage(text, err, usage, *reasons)
        text, err = say("培训 99 继续教育 2026-06-01 6", "clerk-ls")
        assert err and text.strip() == NOT_FOUND % "99", text
        # 孙八's record has ended.
        text, err = say("培训 1 继续教育 2026-06-01 6", "clerk-ls")
        assert err and "记录号 1 当前状态为“任期结束”，不能办理培训" in text, text
        assert counts(d) == before
        d.wait_log(r"ran 培训 \(usage")


def test_training_roles():
    d, say = staffed()
    with d:
        before = counts(d)
        out, err = say("培训 2 继续教育 2026-06-01 6", "clerk-lz")
        missing, _ = say("培训 99 继续教育 2026-06-01 6", "clerk-lz")
        # Out of scope reads exactly like a missing record.
        assert err and out.strip() == NOT_FOUND % "2", out
        assert out.replace("记录号 2", "记录号 99") == missing
        for sender in ("org", "cqo-zs", "stranger"):
            assert_denied(say, "培训 2 继续教育 2026-06-01 6", sender, "培训")
        assert counts(d) == before
        text, _ = say("帮助", "clerk-ls")
        assert "培训" in text and "除名" in text and "荣誉" in text and "撤销 <处理号>" not in text
        text, _ = say("帮助", "cqo-zs")
        assert "我的" in text and "培训 <记录号>" not in text


# ---- sanctions ----

def test_sanctions_issue_with_ground_and_details():
    d, say = staffed()
    with d:
        text, err = say("警示 2 违法违规，未按期整改质量问题", "clerk-ls")
        assert not err and "已登记警示 · 处理号 3" in text, text
        assert "事由：违法违规：未按期整改质量问题" in text and "日期：2026-06-15" in text
        text, err = say("warn 2 虚假报告", "u-admin")
        assert not err and "已登记警示 · 处理号 4" in text and "事由：虚假报告" in text, text
        # The time as a date and a time token, and as one quoted token.
        text, err = say("约谈 2 2026-06-20 14:30 三楼会议室 知情不报 隐瞒重大质量风险", "clerk-ls")
        assert not err and "已登记约谈 · 处理号 5" in text, text
        assert "约谈时间：2026-06-20 14:30" in text and "约谈地点：三楼会议室" in text
        text, err = say("summon 3 \"2026年6月21日 09:05\" 会议室 拖延缓报", "clerk-ly")
        assert not err and "约谈时间：2026-06-21 09:05" in text, text
        text, err = say("建议解聘 2 重大质量事故：致使产品召回", "clerk-ls")
        assert not err and "已登记建议解聘 · 处理号 7" in text, text
        text, err = say("advise-dismissal 2 未完成继续教育", "u-admin")
        assert not err and "建议解聘" in text, text
        rows = db_rows(d, "SELECT id, appointment_id, kind, ground, reason, issued_on, scheduled_at,"
                          " place, status, created_by FROM sanctions WHERE id >= 3 ORDER BY id")
        at = cst(2026, 6, 20, 14, 30)
        assert rows == [
            (3, 2, "警示", "违法违规", "未按期整改质量问题", TODAY, None, None, "open",
             "generic:clerk-ls"),
            (4, 2, "警示", "虚假报告", None, TODAY, None, None, "open", "generic:u-admin"),
            (5, 2, "约谈", "知情不报", "隐瞒重大质量风险", TODAY, at, "三楼会议室", "open",
             "generic:clerk-ls"),
            (6, 3, "约谈", "拖延缓报", None, TODAY, cst(2026, 6, 21, 9, 5), "会议室",
             "open", "generic:clerk-ly"),
            (7, 2, "建议解聘", "重大质量事故", "致使产品召回", TODAY, None, None, "open",
             "generic:clerk-ls"),
            (8, 2, "建议解聘", "未完成继续教育", None, TODAY, None, None, "open",
             "generic:u-admin"),
        ], rows
        # Nothing of this takes the CQO out of the pool.
        assert db_one(d, "SELECT status FROM appointments WHERE id = 2") == "active"
        assert db_one(d, "SELECT count(*) FROM audit_log WHERE entity = 'sanction'"
                         " AND record_id = 2 AND after_json IS NOT NULL") == 5


def test_sanction_validation_errors_change_nothing():
    d, say = staffed()
    with d:
        before = counts(d)
        cases = [
            ("警示 2", "警示 <记录号>", [GROUNDS]),
            ("警示 2 其他原因", "警示 <记录号>", [GROUNDS]),
            ("除名 2 严重违规", "除名 <记录号>", [GROUNDS]),
            ("黑名单 2 质量事故", "黑名单 <记录号>", [GROUNDS]),
            ("建议解聘 2", "建议解聘 <记录号>", [GROUNDS]),
            ("警示 2 违法违规 " + "详" * 81, "警示 <记录号>", ["事由说明不能超过 80 个字"]),
            ("警示 二 违法违规", "警示 <记录号>", ["记录号应为正整数"]),
            ("警示", "警示 <记录号>", []),
            ("约谈 2 明天 会议室 违法违规", "约谈 <记录号>", ["时间格式不正确"]),
            ("约谈 2 2026-06-20 会议室 违法违规", "约谈 <记录号>", ["时间格式不正确"]),
            ("约谈 2 2026-06-20 25:00 会议室 违法违规", "约谈 <记录号>", ["时间格式不正确"]),
            ("约谈 2 2026-06-14 09:00 会议室 违法违规", "约谈 <记录号>", ["约谈时间应晚于当前时间"]),
            ("约谈 2 2026-06-20 14:30 会议室", "约谈 <记录号>", [GROUNDS]),
            ("约谈 2 2026-06-20 14:30", "约谈 <记录号>", []),
            ("约谈 2", "约谈 <记录号>", []),
            ("约谈", "约谈 <记录号>", []),
            ("summon 2 2026-06-20", "约谈 <记录号>", ["时间格式不正确"]),
            ("约谈 2 2026-06-20 14:30 " + "室" * 65 + " 违法违规", "约谈 <记录号>",
             ["约谈地点不能超过 64 个字"]),
        ]
        for cmd, usage, reasons in cases:
            text, err = say(cmd, "clerk-ls")
            assert_usage(text, err, usage, *reasons)
            assert "确认" not in text, text
        for cmd in ("警示 99 违法违规", "除名 99 违法违规", "约谈 99 2026-06-20 14:30 会议室 违法违规"):
            text, err = say(cmd, "clerk-ls")
            assert err and text.strip() == NOT_FOUND % "99", text
        # Not in force: nothing but 黑名单 applies.
        text, err = say("警示 1 违法违规", "clerk-ls")
        assert err and "记录号 1 当前状态为“任期结束”，不能办理警示" in text, text
        assert counts(d) == before


def test_sanction_roles():
    d, say = staffed()
    with d:
        before = counts(d)
        commands = [("约谈 2 2026-06-20 14:30 会议室 违法违规", "约谈"), ("警示 2 违法违规", "警示"),
                    ("除名 2 违法违规", "除名"), ("黑名单 2 违法违规", "黑名单"),
                    ("建议解聘 2 违法违规", "建议解聘")]
        for cmd, name in commands:
            out, err = say(cmd, "clerk-lz")
            assert err and out.strip() == NOT_FOUND % "2", (cmd, out)
            for sender in ("org", "cqo-zs", "stranger"):
                assert_denied(say, cmd, sender, name)
        assert counts(d) == before


def test_remove_needs_confirmation_from_the_same_person():
    d, say = staffed()
    with d:
        before = counts(d)
        text, err = say("除名 2 违法违规 伪造检验报告", "clerk-ls")
        assert not err, text
        assert ("将对记录号 2 张三（示例精密机械有限公司）作出除名处理：备案状态改为“已除名”，"
                "移出首席质量官人才库。事由：违法违规：伪造检验报告") in text, text
        code = CONFIRM_RX.search(text).group(1)
        assert "10 分钟内有效" in text
        assert counts(d) == before
        # Someone else cannot confirm it.
        text, err = say("确认 " + code, "u-admin")
        assert err and "没有待确认的操作" in text, text
        assert counts(d) == before
        text, err = say("确认 " + code, "clerk-ls")
        assert not err and "已登记除名 · 处理号 3" in text, text
        assert "备案状态：已除名，已移出人才库" in text, text
        assert db_one(d, "SELECT status || ' ' || ended_on || ' ' || end_reason"
                         " FROM appointments WHERE id = 2") == "removed 2026-06-15 除名：违法违规"
        assert db_rows(d, "SELECT kind, ground, reason, status FROM sanctions WHERE id = 3") == [
            ("除名", "违法违规", "伪造检验报告", "open")]
        entities = [r[0] for r in db_rows(d, "SELECT entity FROM audit_log WHERE record_id = 2"
                                             " AND actor_platform <> 'cqoctl' ORDER BY id")]
        assert entities == ["sanction", "appointment"], entities
        # Once only.
        text, err = say("确认 " + code, "clerk-ls")
        assert err and "没有待确认的操作" in text
        assert db_one(d, "SELECT count(*) FROM sanctions WHERE kind = '除名'") == 1
        # A removed record takes no further 除名.
        text, err = say("remove 2 违法违规", "clerk-ls")
        assert err and "当前状态为“已除名”，不能办理除名" in text, text


def test_blacklist_cancel_and_expiry():
    d, say = staffed()
    with d:
        before = counts(d)
        text, err = say("黑名单 2 虚假报告", "clerk-ls")
        assert not err and "将把记录号 2 张三（示例精密机械有限公司）列入黑名单" in text, text
        assert "移出首席质量官人才库" in text
        code = CONFIRM_RX.search(text).group(1)
        text, err = say("取消", "clerk-ls")
        assert "已取消" in text, text
        text, err = say("确认 " + code, "clerk-ls")
        assert err and "没有待确认的操作" in text
        assert counts(d) == before
        # Asked again, then confirmed only after the 10 minutes have passed.
        text, _ = say("blacklist 2 虚假报告", "clerk-ls")
        code = CONFIRM_RX.search(text).group(1)
        assert d.stop() == 0
        d.env["CQOD_FAKE_NOW"] = TODAY + " 10:11:00"
        d.start()
        text, err = say("确认 " + code, "clerk-ls")
        assert err and "没有待确认的操作" in text, text
        assert counts(d) == before
        # Within the time it goes through; an ended record keeps its status.
        text, _ = say("黑名单 1 违法违规", "clerk-ls")
        assert "备案状态（任期结束）不变" in text, text
        code = CONFIRM_RX.search(text).group(1)
        text, err = say("确认 " + code, "clerk-ls")
        assert not err and "已登记黑名单" in text and "已除名" not in text, text
        assert db_one(d, "SELECT status FROM appointments WHERE id = 1") == "ended"


def test_revoke_restores_and_roles():
    d, say = staffed()
    with d:
        for cmd in ("除名 2 违法违规", "黑名单 2 知情不报"):
            text, _ = say(cmd, "clerk-ls")
            text, err = say("确认 " + CONFIRM_RX.search(text).group(1), "clerk-ls")
            assert not err, text
        assert db_rows(d, "SELECT id, kind FROM sanctions WHERE id >= 3 ORDER BY id") == [
            (3, "除名"), (4, "黑名单")]
        before = counts(d)
        for sender in ("clerk-ls", "clerk-ly", "org", "cqo-zs", "stranger"):
            assert_denied(say, "撤销 3", sender, "撤销")
        for cmd, reason in (("撤销 abc", "处理号应为正整数"), ("撤销", ""),
                            ("撤销 3 " + "说" * 81, "说明不能超过 80 个字")):
            text, err = say(cmd, "u-admin")
            assert_usage(text, err, "撤销 <处理号>", reason)
        text, err = say("撤销 99", "u-admin")
        assert err and "未找到处理号 99。" in text, text
        assert counts(d) == before

        text, err = say("撤销 3 复核后撤销", "u-admin")
        assert not err and "已撤销处理号 3（除名，记录号 2）" in text, text
        assert "仍有其他除名或黑名单处理，状态保持“已除名”" in text, text
        assert db_one(d, "SELECT status FROM appointments WHERE id = 2") == "removed"
        text, err = say("revoke 4", "u-admin")
        assert not err and "记录号 2 已恢复为“在任”" in text, text
        assert db_rows(d, "SELECT status, ended_on, end_reason FROM appointments WHERE id = 2") == [
            ("active", None, None)]
        assert db_rows(d, "SELECT id, status, revoked_by, revoke_note IS NOT NULL FROM sanctions"
                          " WHERE id IN (3, 4) ORDER BY id") == [
            (3, "revoked", "generic:u-admin", 1), (4, "revoked", "generic:u-admin", 0)]
        assert db_one(d, "SELECT revoke_note FROM sanctions WHERE id = 3") == "复核后撤销"
        text, err = say("撤销 3", "u-admin")
        assert err and "处理号 3 已撤销，无需重复操作" in text
        # A warning: revoked, nothing else to say.
        text, err = say("撤销 1", "u-admin")
        assert not err and "已撤销处理号 1（警示，记录号 3）" in text and "恢复" not in text
        appt = db_rows(d, "SELECT command, entity FROM audit_log WHERE record_id = 2"
                          " AND command IN ('撤销', 'revoke') ORDER BY id")
        assert appt == [("撤销", "sanction"), ("撤销", "sanction"), ("撤销", "appointment")]


# ---- 荣誉 ----

def test_honours():
    d, say = staffed()
    with d:
        text, err = say("荣誉 2 优秀首席质量官 2026", "clerk-ls")
        assert not err and "已登记荣誉 · 记录号 2" in text and "2026年 优秀首席质量官" in text, text
        text, err = say("honour 2 \"质量专家人才库 成员\" 2025", "u-admin")
        assert not err and "2025年 质量专家人才库 成员" in text, text
        # A past term's honour may be recorded too.
        text, err = say("荣誉 1 市长质量奖个人奖 2021", "clerk-ls")
        assert not err and "孙八" in text, text
        assert db_rows(d, "SELECT person_id, appointment_id, name, year FROM honours"
                          " WHERE appointment_id IN (1, 2) ORDER BY id") == [
            (1, 2, "优秀首席质量官", 2026), (1, 2, "质量专家人才库 成员", 2025),
            (6, 1, "市长质量奖个人奖", 2021)]
        assert db_one(d, "SELECT count(*) FROM audit_log WHERE entity = 'honour'") == 3
        before = counts(d)
        text, err = say("荣誉 2 优秀首席质量官 2026", "clerk-ls")
        assert err and "张三已登记过 2026 年的“优秀首席质量官”" in text, text
        for cmd, reasons in (("荣誉 2 优秀首席质量官 1999", ["年份应为 2000 到 2027 之间的整数"]),
                             ("荣誉 2 优秀首席质量官 2028", ["年份应为 2000 到 2027"]),
                             ("荣誉 2 优秀首席质量官 今年", ["年份应为"]),
                             ("荣誉 2 \"\" 2026", ["荣誉名称不能为空"]),
                             ("荣誉 2 " + "荣" * 65 + " 2026", ["荣誉名称不能超过 64 个字"]),
                             ("荣誉 x 优秀首席质量官 2026", ["记录号应为正整数"]),
                             ("荣誉 2 优秀首席质量官", []),
                             ("荣誉 2 优秀 首席质量官 2026", [])):
            text, err = say(cmd, "clerk-ls")
            assert_usage(text, err, "荣誉 <记录号>", *reasons)
        text, err = say("荣誉 99 优秀首席质量官 2026", "clerk-ls")
        assert err and text.strip() == NOT_FOUND % "99"
        text, err = say("荣誉 2 优秀首席质量官 2024", "clerk-lz")
        assert err and text.strip() == NOT_FOUND % "2"
        for sender in ("org", "cqo-zs", "stranger"):
            assert_denied(say, "荣誉 2 优秀首席质量官 2024", sender, "荣誉")
        assert counts(d) == before


# ---- 我的 ----

def test_mine_for_each_cqo_and_masking():
    d, say = staffed()
    with d:
        for chat in ("private", "group"):
            text, err = say("我的", "cqo-zs", chat)
            assert not err, text
            assert "我的首席质量官档案 · 记录号 2" in text and "姓名：张三" in text
            assert "企业：示例精密机械有限公司" in text
            assert "任期：2023-07-05 至 2026-07-04" in text and "剩余：19 天" in text, text
            assert "2026年培训学时：20.0 学时，年度要求 30.0 学时，还差 10.0 学时" in text, text
            assert "任职培训：已完成（2023-04-11）" in text
            assert "未结处理：无" in text and "荣誉：无" in text
            # Contact details are never part of it.
            assert PHONE not in text and EMAIL not in text and "138" not in text
        say("警示 2 未完成继续教育 上年度学时不足", "clerk-ls")
        say("约谈 2 2026-06-20 14:30 三楼会议室 拖延缓报", "clerk-ls")
        say("荣誉 2 优秀首席质量官 2025", "clerk-ls")
        say("培训 2 继续教育 2026-06-01 10", "clerk-ls")
        text, err = say("mine", "cqo-zs", "group")
        assert not err
        assert "30.0 学时，已达到年度要求 30.0 学时" in text, text
        assert "警示（2026-06-15，处理号 3）未完成继续教育：上年度学时不足" in text, text
        assert "约谈（2026-06-15，处理号 4）拖延缓报；约谈时间 2026-06-20 14:30，地点 三楼会议室" in text
        assert "荣誉：2025年 优秀首席质量官" in text
        # 李四: the demo's open warning; no 任职培训 yet.
        text, err = say("我的", "cqo-ls")
        assert "记录号 3" in text and "警示（2026-06-05，处理号 1）未完成继续教育：" in text, text
        assert "6.0 学时，年度要求 30.0 学时，还差 24.0 学时" in text and "任职培训：未登记" in text
        # 孙八's only record has ended.
        text, err = say("我的", "cqo-sb")
        assert not err and "您目前没有在任的首席质量官备案记录。" in text, text
        assert "最近一条：记录号 1，示例精密机械有限公司，状态：任期结束" in text
        text, err = say("我的 2", "cqo-zs")
        assert_usage(text, err, "我的")
        for sender in ("u-admin", "clerk-ls", "org", "stranger"):
            assert_denied(say, "我的", sender, "我的")


def test_mine_after_removal_and_term_over():
    d, say = staffed(later="2026-07-10 09:00:00")
    with d:
        text, _ = say("我的", "cqo-zs")
        assert "剩余：已过期 6 天，请联系企业办理续聘" in text, text
        text, _ = say("除名 2 违法违规", "u-admin")
        say("确认 " + CONFIRM_RX.search(text).group(1), "u-admin")
        text, err = say("我的", "cqo-zs")
        assert "您目前没有在任的首席质量官备案记录。" in text and "状态：已除名" in text, text


# ---- console ----

def console_read(proc, pattern, timeout=20):
    """Reads the console's output until `pattern` appears; returns it all."""
    out, rx = "", re.compile(pattern)
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    while not rx.search(out):
        left = deadline - time.monotonic()
        assert left > 0, "console said:\n" + out
        if select.select([fd], [], [], left)[0]:
            chunk = os.read(fd, 65536)
            assert chunk, "console exited:\n" + out
            out += chunk.decode()
    return out


def test_console_path():
    d = Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW})
    with d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=d.env)
        try:
            proc.stdin.write("培训 2 继续教育 2026-06-01 10\n".encode())
            proc.stdin.flush()
            console_read(proc, r"已达到年度要求")
            proc.stdin.write("除名 2 违法违规\n".encode())
            proc.stdin.flush()
            code = CONFIRM_RX.search(console_read(proc, r"确认 \d{6}")).group(1)
            proc.stdin.write(("确认 %s\n" % code).encode())
            proc.stdin.flush()
            console_read(proc, r"已登记除名 · 处理号 3")
            proc.stdin.write("撤销 3 控制台复核\n荣誉 2 典型选树 2026\n".encode())
            proc.stdin.flush()
            out = console_read(proc, r"2026年 典型选树")
            assert "记录号 2 已恢复为“在任”" in out, out
            proc.stdin.close()
            assert proc.wait(30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        assert db_rows(d, "SELECT DISTINCT actor_platform, actor_user FROM audit_log"
                          " WHERE record_id = 2") == [("console", "operator")]
        assert db_one(d, "SELECT status FROM appointments WHERE id = 2") == "active"
