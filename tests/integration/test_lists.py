"""The clerks' lists (到期, 逾期, 未培训, 处理名单, 空缺) and the statistics
(统计, 目标) end to end, through the signed generic webhook and the console.

Time is pinned (CQOD_FAKE_NOW) so the demo's dates are known: today is
2026-06-15. Demo facts: 张三 holds record 2 in 兰山区 371302 (规上, 链主) and
has appointment training, term ending within 30 days; 李四 holds record 3 in
罗庄区 371311 (规上) since 2025, untrained, with the one open sanction (警示,
未完成继续教育); 演示纺织有限公司 (兰山区, 规上) never filed a CQO; 王五 and
钱七 are in 西安 (6101). Targets: 37 规上 2025 is 10%, none for 2026."""
import os
import re
import sqlite3
import subprocess
from datetime import date

from harness import Chat, Daemon, as_user_prefix

TODAY = date(2026, 6, 15)
FAKE_NOW = "2026-06-15 10:00:00"
DENIED = "您没有权限使用“%s”。"
ITEM = re.compile(r"^(\d+)\. ", re.M)


def staffed(seed=None, edit=None):
    """The demo registry at TODAY with every role; `seed` adds generated
    CQOs, `edit` (SQL) changes the database before the daemon starts."""
    d = Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW})
    if seed:
        d.ctl("seed %d" % seed)
    for g in ("generic u-admin admin", "generic clerk-ls clerk 371302",
              "generic clerk-ly clerk 3713", "generic clerk-xa clerk 610113",
              "generic cqo-zs cqo 1", "generic org organizer 1"):
        d.ctl("grant " + g)
    if edit:
        with sqlite3.connect(d.db) as db:
            db.executescript(edit)
        db.close()
        d._own()
    d.start()
    return d, Chat(d, "l")


def items(text):
    return [int(n) for n in ITEM.findall(text)]


def term_end(d, record):
    with sqlite3.connect(d.db) as db:
        value = db.execute("SELECT term_end FROM appointments WHERE id = ?",
                           (record,)).fetchone()[0]
    db.close()
    return value


def assert_refused_to_others(say, command):
    for who in ("cqo-zs", "org", "guest-1"):
        text, err = say(command, sender=who)
        assert err and DENIED % command.split()[0] in text, (who, text)
        assert "记录号" not in text, (who, text)


def test_expiring_scope_and_roles():
    d, say = staffed()
    with d:
        end = term_end(d, 2)
        left = (date.fromisoformat(end) - TODAY).days
        line = "1. 记录号 2　张三　示例精密机械有限公司　兰山区　任期至 %s（剩余 %d 天）" % (end, left)
        text, err = say("到期")
        assert not err and "90 天内任期届满的首席质量官（共 1 人）" in text, text
        assert line in text, text
        # A city clerk and the county clerk see it; a clerk of 西安 does not.
        for clerk in ("clerk-ly", "clerk-ls"):
            text, err = say("到期 30", sender=clerk)
            assert not err and line in text, (clerk, text)
        text, err = say("到期", sender="clerk-xa")
        assert not err and text == "90 天内没有任期届满的首席质量官。", text
        # Shorter than the term's remaining days: nothing; the alias works.
        text, err = say("expiring %d" % (left - 1))
        assert not err and "没有任期届满" in text, text
        text, err = say("到期 %d" % left)
        assert not err and line in text, text
        assert_refused_to_others(say, "到期")


def test_expiring_group_chat_same_and_no_contact_details():
    d, say = staffed()
    with d:
        private, _ = say("到期", sender="clerk-ls")
        group, err = say("到期", sender="clerk-ls", chat_type="group")
        assert not err and group == private, (private, group)
        assert "13800000001" not in group and "example.com" not in group, group


def test_bad_arguments_get_usage_and_are_logged():
    d, say = staffed()
    with d:
        cases = (("到期 0", "天数应为 1 到 3650 之间的整数", "到期 [天数]"),
                 ("到期 3651", "天数应为 1 到 3650 之间的整数", "到期 [天数]"),
                 ("到期 abc", "天数应为 1 到 3650 之间的整数", "到期 [天数]"),
                 ("到期 30 60", None, "到期 [天数]"),
                 ("逾期 全部", None, "逾期"),
                 ("未培训 2026", None, "未培训"),
                 ("处理名单 1", None, "处理名单"),
                 ("空缺 大企业", "企业类别应为：规上、链主", "空缺 [类别]"),
                 ("空缺 规上 链主", None, "空缺 [类别]"))
        for command, why, usage in cases:
            text, err = say(command, sender="clerk-ls")
            assert err and "用法：" + usage in text, (command, text)
            assert "记录号" not in text, (command, text)
            if why:
                assert why in text, (command, text)
        d.wait_log(r"ran 到期 \(usage")
        assert not [l for l in d.drain_log() if "大企业" in l or "abc" in l]


def test_overdue_lapsed_term():
    # 李四's term ended ten days ago and was neither renewed nor succeeded.
    d, say = staffed(edit="UPDATE appointments SET term_end = '2026-06-05' WHERE id = 3;")
    with d:
        line = "1. 记录号 3　李四　演示食品股份有限公司　罗庄区　任期至 2026-06-05（已逾期 10 天）"
        text, err = say("逾期")
        assert not err and "任期已满未续聘或更换（共 1 人）" in text and line in text, text
        text, err = say("overdue", sender="clerk-ly")
        assert not err and line in text, text
        for clerk in ("clerk-ls", "clerk-xa"):
            text, err = say("逾期", sender=clerk)
            assert not err and text == "没有任期已满未续聘或更换的首席质量官。", (clerk, text)
        # The succeeded predecessor of 张三 (record 1) is never listed.
        text, _ = say("逾期")
        assert "记录号 1　" not in text, text
        assert_refused_to_others(say, "逾期")


def test_untrained_reasons_and_scope():
    d, say = staffed()
    with d:
        text, err = say("未培训")
        assert not err and "培训未达标的首席质量官（2026 年，共 5 人）" in text, text
        assert "1. 记录号 2　张三　示例精密机械有限公司　兰山区　本年学时 20.0/30.0" in text, text
        assert "2. 记录号 3　李四　演示食品股份有限公司　罗庄区　未参加任职培训；本年学时 6.0/30.0" in text
        # 王五 has his 30 hours (32) but no appointment training.
        assert "记录号 5　王五　示例电子科技有限公司　雁塔区　未参加任职培训\n" in text + "\n", text
        text, err = say("untrained", sender="clerk-ls")
        assert not err and "共 1 人" in text and "张三" in text and "李四" not in text, text
        text, err = say("未培训", sender="clerk-xa")
        assert not err and "共 1 人" in text and "王五" in text, text
        assert "钱七" not in text and "张三" not in text, text
        assert_refused_to_others(say, "未培训")


def test_sanction_list():
    d, say = staffed()
    with d:
        line = ("1. 处理号 1　警示　2026-06-05　依据：未完成继续教育　记录号 3　李四"
                "　演示食品股份有限公司　罗庄区")
        text, err = say("处理名单")
        assert not err and "未结处理（共 1 条）" in text and line in text, text
        text, err = say("sanctions", sender="clerk-ly")
        assert not err and line in text, text
        for clerk in ("clerk-ls", "clerk-xa"):
            text, err = say("处理名单", sender=clerk)
            assert not err and text == "没有未结的处理。", (clerk, text)
        assert_refused_to_others(say, "处理名单")


def test_vacant_by_category():
    d, say = staffed()
    with d:
        line = "1. 演示纺织有限公司　91371302DEM000006J　兰山区　从未备案"
        text, err = say("空缺")
        assert not err and "规上企业中无在任首席质量官的（共 1 家）" in text and line in text, text
        text, err = say("vacant 规上", sender="clerk-ls")
        assert not err and line in text, text
        text, err = say("空缺", sender="clerk-xa")
        assert not err and text == "规上企业均已聘任首席质量官。", text
        text, err = say("空缺 食品")
        assert not err and text == "食品企业均已聘任首席质量官。", text
        assert_refused_to_others(say, "空缺")


def test_vacant_names_the_last_cqo():
    # 张三 dismissed: his enterprise is vacant and the line says since when.
    d, say = staffed(edit="UPDATE appointments SET status = 'dismissed', ended_on = '2026-06-01'"
                          " WHERE id = 2;")
    with d:
        text, err = say("空缺 链主", sender="clerk-ls")
        assert not err and "共 1 家" in text, text
        assert ("1. 示例精密机械有限公司　91371302DEM000001" in text and
                "兰山区　原首席质量官 张三（记录号 2）2026-06-01 离任" in text), text


def test_long_lists_page():
    d, say = staffed(seed=30)
    with d:
        text, err = say("到期 3650")
        assert not err and "3650 天内任期届满的首席质量官（共 35 人）" in text, text
        assert items(text) == list(range(1, 11)), text
        assert "第 1–10 条，共 35 条" in text and "发送“下一页”查看更多" in text, text
        seen = set(re.findall(r"记录号 (\d+)", text))
        for first in (11, 21):
            text, err = say("下一页")
            assert not err and items(text) == list(range(first, first + 10)), text
            seen |= set(re.findall(r"记录号 (\d+)", text))
        text, err = say("next")
        assert not err and items(text) == list(range(31, 36)), text
        assert "第 31–35 条，共 35 条" in text and "下一页" not in text, text
        seen |= set(re.findall(r"记录号 (\d+)", text))
        assert len(seen) == 35
        text, _ = say("下一页")
        assert "没有可翻页的列表" in text, text
        # Another person's 下一页 does not continue this list; a clerk of
        # 兰山区 gets no generated CQOs (they are in 北京).
        text, _ = say("未培训")
        assert "共 35 人" in text and "第 1–10 条" in text, text
        text, _ = say("下一页", sender="clerk-ls")
        assert "没有可翻页的列表" in text, text
        text, _ = say("未培训", sender="clerk-ls")
        assert "共 1 人" in text and "下一页" not in text, text
        text, _ = say("下一页")
        assert items(text) == list(range(11, 21)), text


STATS_HEAD = "地区 | 企业数 | 已聘任 | 聘任率 | 目标 | 差距 | 已任职培训 | 本年新备案"


def test_stats_hand_computed():
    d, say = staffed()
    with d:
        text, err = say("统计 3713 2025")
        assert not err, text
        assert text.splitlines() == [
            "临沂市（3713） · 规上企业首席质量官统计（2025 年）",
            STATS_HEAD,
            "兰山区 | 2 | 1 | 50.0% | 10.0% | 已达标 | 100.0% | 0",
            "罗庄区 | 1 | 1 | 100.0% | 10.0% | 已达标 | 0.0% | 1",
            "合计 | 3 | 2 | 66.7% | 10.0% | 已达标 | 50.0% | 1",
        ], text
        # Any order, alias, and the default year and category for a clerk.
        again, _ = say("stats 规上 2025 3713", sender="clerk-ly")
        assert again == text, again
        text, err = say("统计", sender="clerk-ls")
        assert not err and text.splitlines() == [
            "兰山区（371302） · 规上企业首席质量官统计（2026 年）",
            STATS_HEAD,
            "兰山区 | 2 | 1 | 50.0% | 未设定 | — | 100.0% | 0",
        ], text
        text, err = say("统计")
        assert not err and text.splitlines() == [
            "全国 · 规上企业首席质量官统计（2026 年）",
            STATS_HEAD,
            "山东省 | 3 | 2 | 66.7% | 未设定 | — | 50.0% | 0",
            "陕西省 | 1 | 1 | 100.0% | 未设定 | — | 0.0% | 1",
            "合计 | 4 | 3 | 75.0% | 未设定 | — | 33.3% | 1",
        ], text
        text, err = say("统计 371312")
        assert not err and "该地区暂无规上企业。" in text, text


def test_stats_refusals_and_bad_arguments():
    d, say = staffed()
    with d:
        text, err = say("统计 3713", sender="clerk-ls")
        assert err and "地区 3713 不在您的管辖范围内" in text and "兰山区 |" not in text, text
        text, err = say("统计 37", sender="clerk-xa")
        assert err and "不在您的管辖范围内" in text, text
        for command, why in (("统计 foo", "无法识别的参数“foo”"),
                             ("统计 3713 371302", "参数“371302”重复"),
                             ("统计 2025 2026", "参数“2026”重复"),
                             ("统计 379999", "地区代码 379999 不存在"),
                             ("统计 371", "无法识别的参数“371”")):
            text, err = say(command)
            assert err and why in text and "用法：统计 [地区代码] [类别] [年份]" in text, (command, text)
        # A long unknown word is quoted back only in part, whole characters.
        text, err = say("统计 " + "很" * 100)
        assert err and "“" + "很" * 16 + "”" in text, text
        assert_refused_to_others(say, "统计")


def audit_targets(d):
    with sqlite3.connect(d.db) as db:
        rows = db.execute("SELECT actor_user, command, before_json, after_json FROM audit_log"
                          " WHERE entity = 'target' ORDER BY id").fetchall()
    db.close()
    return rows


def test_target_sets_and_feeds_stats():
    d, say = staffed()
    with d:
        text, err = say("目标 3713 规上 2025 80%")
        assert not err and text == "已设定 临沂市（3713）规上企业 2025 年聘任率目标：80.0%", text
        text, _ = say("统计 3713 2025", sender="clerk-ly")
        assert "兰山区 | 2 | 1 | 50.0% | 80.0% | 30.0% | 100.0% | 0" in text, text
        assert "罗庄区 | 1 | 1 | 100.0% | 80.0% | 已达标 | 0.0% | 1" in text, text
        assert "合计 | 3 | 2 | 66.7% | 80.0% | 13.3% | 50.0% | 1" in text, text
        # A county of its own; the city's target stays for the others.
        text, err = say("target 371311 规上 2025 0.5", chat_type="group")
        assert not err and "50.0%" in text and "原目标" not in text, text
        text, err = say("目标 3713 规上 2025 60")
        assert not err and "60.0%" in text and "原目标为 80.0%。" in text, text
        text, _ = say("统计 3713 2025")
        assert "兰山区 | 2 | 1 | 50.0% | 60.0% | 10.0% | 100.0% | 0" in text, text
        assert "罗庄区 | 1 | 1 | 100.0% | 50.0% | 已达标" in text, text
        assert "合计 | 3 | 2 | 66.7% | 60.0% | 已达标" in text, text
        rows = audit_targets(d)
        assert len(rows) == 3 and all(r[0] == "u-admin" and r[1] in ("目标", "target")
                                      for r in rows), rows
        assert rows[0][2] is None and '"rate":0.8' in rows[0][3], rows
        assert '"rate":0.8' in rows[2][2] and '"rate":0.6' in rows[2][3], rows


def test_target_refusals_and_bad_arguments():
    d, say = staffed()
    with d:
        for command, why in (("目标 3713 规上 2025", None),
                             ("目标 37x3 规上 2025 80%", "地区代码应为 2、4 或 6 位数字"),
                             ("目标 379999 规上 2025 80%", "地区代码 379999 不存在"),
                             ("目标 3713 大企业 2025 80%", "企业类别应为"),
                             ("目标 3713 规上 1999 80%", "年份应为 2000 到 2200 之间的整数"),
                             ("目标 3713 规上 2025 150", "比例应为 0 到 100% 之间"),
                             ("目标 3713 规上 2025 1e2", "比例应为 0 到 100% 之间"),
                             ("目标 3713 规上 2025 -5%", "比例应为 0 到 100% 之间")):
            text, err = say(command)
            assert err and "用法：目标 <地区代码> <类别> <年份> <比例>" in text, (command, text)
            if why:
                assert why in text, (command, text)
        for who in ("clerk-ly", "cqo-zs", "org", "guest-1"):
            text, err = say("目标 3713 规上 2025 80%", sender=who)
            assert err and DENIED % "目标" in text, (who, text)
        assert audit_targets(d) == []


def test_console():
    with Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW}) as d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input="到期\n目标 3713 规上 2025 80%\n统计 3713 2025\n空缺\n",
                           capture_output=True, text=True, timeout=60, env=d.env)
        assert r.returncode == 0, r.stderr
        assert "记录号 2　张三" in r.stdout, r.stdout
        assert "合计 | 3 | 2 | 66.7% | 80.0% | 13.3% | 50.0% | 1" in r.stdout, r.stdout
        assert "演示纺织有限公司" in r.stdout, r.stdout
