"""审计 <记录号> end to end: a record's history after real changes (培训, 警示,
荣誉, 授权, 撤销), newest first and paged, for staff in scope only."""
import os
import re
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone

from harness import Chat, Daemon, as_user_prefix

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d　(\S+)　会话 (\S+)　(\S+)　(.+)$")


def history(text):
    """The (who, chat, command, what) of each history line."""
    return [LINE.match(l).groups() for l in text.splitlines() if LINE.match(l)]


def audit_count(d):
    with sqlite3.connect(d.db) as db:
        return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def staffed():
    d = Daemon()
    for g in ("generic u-admin admin", "generic clerk-ls clerk 371302",
              "generic clerk-lz clerk 371311", "generic clerk-ly clerk 3713",
              "generic cqo-zs cqo 2", "generic org organizer 1"):
        d.ctl("grant " + g)
    d.start()
    return d, Chat(d, "a")


def test_history_of_real_changes_newest_first():
    today = datetime.now(timezone(timedelta(hours=8))).strftime("%Y-%m-%d")
    d, say = staffed()
    with d:
        text, err = say("培训 2 继续教育 %s 8" % today, sender="clerk-ls")
        assert not err, text
        text, err = say("警示 2 未完成继续教育 上年度学时不足", sender="clerk-ls", chat_type="group")
        assert not err, text
        sanction = re.search(r"处理号 (\d+)", text).group(1)
        text, err = say("荣誉 2 优秀首席质量官 2025")
        assert not err, text
        text, err = say("授权 z1 首席质量官 2")
        assert not err, text
        text, err = say("撤销 %s 误登记" % sanction)
        assert not err, text

        for sender, chat in (("u-admin", "private"), ("clerk-ls", "group"),
                             ("clerk-ly", "private")):
            text, err = say("审计 2", sender=sender, chat_type=chat)
            assert not err and "记录号 2 的操作历史（张三 · 示例精密机械有限公司）" in text, text
            rows = history(text)
            # Last, the setup's cqoctl grant of cqo-zs to 张三 (audited since issue 13).
            assert [r[2] for r in rows] == ["撤销", "授权", "荣誉", "警示", "培训", "grant"], text
            assert rows[0][0] == "generic:u-admin" and rows[4][0] == "generic:clerk-ls"
            assert all(r[1] == "chat-1" for r in rows[:5])
            assert rows[5][0].startswith("cqoctl:") and rows[5][3] == "新建身份授权", rows
            assert rows[0][3].startswith("修改处理记录：状态、撤销人、撤销时间"), rows[0]
            assert rows[1][3] == "新建身份授权" and rows[2][3] == "新建荣誉"
            assert rows[3][3] == "新建处理记录" and rows[4][3] == "新建培训记录"
            # Field names only: no personal data, even in a group chat.
            assert "138" not in text and "example.com" not in text
        # Another record's history is its own.
        text, err = say("审计 3")
        assert not err and "该记录还没有操作历史" in text and not history(text), text


def test_out_of_scope_and_other_roles():
    d, say = staffed()
    with d:
        say("授权 z1 首席质量官 2")
        text, err = say("审计 2", sender="clerk-ls")
        # The chat's grant and the setup's cqoctl grant of cqo-zs.
        assert not err and len(history(text)) == 2, text
        # Out of scope reads exactly like a record that does not exist.
        out, err = say("审计 2", sender="clerk-lz")
        assert err and "未找到记录号 2" in out and "张三" not in out, out
        missing, _ = say("审计 9999", sender="clerk-lz")
        assert out.replace("2", "9999") == missing, (out, missing)
        for sender in ("cqo-zs", "org", "stranger"):
            for chat in ("private", "group"):
                text, err = say("审计 2", sender=sender, chat_type=chat)
                assert err and "您没有权限使用“审计”" in text and "张三" not in text, text


def test_bad_input_gets_usage_and_changes_nothing():
    d, say = staffed()
    with d:
        n = audit_count(d)
        for cmd, why in (("审计", None), ("审计 2 3", None), ("audit abc", "记录号应为正整数"),
                         ("审计 0", "记录号应为正整数"), ("审计 -2", "记录号应为正整数")):
            text, err = say(cmd)
            assert err and "用法：审计 <记录号>" in text, (cmd, text)
            if why:
                assert why in text, (cmd, text)
        assert audit_count(d) == n


def test_long_history_pages():
    d, say = staffed()
    with d:
        for i in range(12):
            say("授权 z%02d 首席质量官 2" % i)
        text, err = say("审计 2")
        # 12 grants in the chat and the setup's cqoctl grant of cqo-zs.
        assert not err and len(history(text)) == 10, text
        assert "第 1–10 条，共 13 条" in text and "下一页" in text, text
        text, err = say("下一页")
        assert not err and len(history(text)) == 3, text
        assert "第 11–13 条，共 13 条" in text, text
        text, err = say("下一页")
        assert err or "没有可翻页" in text, text


def test_console():
    with Daemon() as d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input="授权 z1 首席质量官 2\n审计 2\n", capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        rows = history(r.stdout)
        assert rows == [("console:operator", "console", "授权", "新建身份授权")], r.stdout
