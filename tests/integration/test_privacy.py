"""Privacy in 查询 through the daemon: the access log of full displays is
written while running and from the console. Who sees what (scope, masking
in groups, organizers' names-only view) is tested in C,
tests/unit/test_cmd_query.c.

Demo facts: 张三 (person 1) holds record 2 in 兰山区 371302 with phone
13800000001, zhangsan@example.com, born 1980-03-15; 李四 (person 2) holds
record 3 in 罗庄区 371311; 王五 holds record 5 in 雁塔区 610113. Alliance 1
has the active records of 临沂市 (2, 3, 4) as members."""
import os
import sqlite3
import subprocess

from harness import Chat, Daemon, as_user_prefix, wait_until

PHONE, EMAIL, BIRTH = "13800000001", "zhangsan@example.com", "1980-03-15"


def access_rows(d):
    """The access log, read after the daemon has stopped (and flushed)."""
    with sqlite3.connect(d.db) as db:
        return db.execute("SELECT actor_platform, actor_user, chat_id, person_id,"
                          " appointment_id FROM access_log ORDER BY id").fetchall()


def staffed():
    d = Daemon()
    for g in ("generic u-admin admin", "generic clerk-ls clerk 371302",
              "generic clerk-ly clerk 3713", "generic clerk-lz clerk 371311",
              "generic cqo-zs cqo 2", "generic cqo-ls cqo 3", "generic org organizer 1"):
        d.ctl("grant " + g)
    d.start()
    return d, Chat(d, "p")


def assert_full(text):
    assert "记录号 2" in text and "张三" in text, text
    assert "手机：" + PHONE in text and "邮箱：" + EMAIL in text, text
    assert "出生日期：" + BIRTH in text and "性别：男" in text, text


def test_access_log_is_batched_while_running():
    d, say = staffed()
    with d:
        say("查询 张三", "u-admin")
        say("查询 张三", "u-admin", "group")
        # The daemon's timer writes the queue within about a second.
        d.wait_log(r"ran 查询", 5)
        wait_until(lambda: access_rows(d), "the access log written", 5)
        assert access_rows(d) == [("generic", "u-admin", "chat-1", 1, 2)]


def test_console_is_a_private_full_view():
    with Daemon() as d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input="查询 张三\n", capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert_full(r.stdout)
        assert access_rows(d) == [("console", "operator", "console", 1, 2)]
