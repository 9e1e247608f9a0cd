"""Privacy in 查询: who sees a record at all, masking of phone, e-mail and
birth date in group chats, organizers limited to their alliance's members
and to names, and the access log of every full (unmasked) display.

Demo facts: 张三 (person 1) holds record 2 in 兰山区 371302 with phone
13800000001, zhangsan@example.com, born 1980-03-15; 李四 (person 2) holds
record 3 in 罗庄区 371311; 王五 holds record 5 in 雁塔区 610113. Alliance 1
has the active records of 临沂市 (2, 3, 4) as members."""
import os
import sqlite3
import subprocess

from harness import Chat, Daemon, as_user_prefix, wait_until

PHONE, EMAIL, BIRTH = "13800000001", "zhangsan@example.com", "1980-03-15"
PHONE_M, EMAIL_M, BIRTH_M = "138****0001", "z***@example.com", "1980年"


def access_rows(d):
    """The access log, read after the daemon has stopped (and flushed)."""
    with sqlite3.connect(d.db) as db:
        return db.execute("SELECT actor_platform, actor_user, chat_id, person_id,"
                          " appointment_id FROM access_log ORDER BY id").fetchall()


def staffed():
    d = Daemon()
    for g in ("generic u-admin admin", "generic clerk-ls clerk 371302",
              "generic clerk-ly clerk 3713", "generic clerk-lz clerk 371311",
              "generic cqo-zs cqo 1", "generic cqo-ls cqo 2", "generic org organizer 1"):
        d.ctl("grant " + g)
    d.start()
    return d, Chat(d, "p")


def assert_full(text):
    assert "记录号 2" in text and "张三" in text, text
    assert "手机：" + PHONE in text and "邮箱：" + EMAIL in text, text
    assert "出生日期：" + BIRTH in text and "性别：男" in text, text


def assert_masked(text):
    assert "记录号 2" in text and "张三" in text, text
    assert "手机：" + PHONE_M in text and "邮箱：" + EMAIL_M in text, text
    assert "出生日期：" + BIRTH_M in text and "性别：男" in text, text
    assert PHONE not in text and EMAIL not in text and BIRTH not in text, text


def assert_not_found(text, err, term="张三"):
    assert not err and text.strip() == "未找到与“%s”匹配的记录（或不在您的管辖范围内）。" % term, text


def test_entitled_staff_and_self_see_full_in_private_masked_in_group():
    d, say = staffed()
    with d:
        for sender in ("u-admin", "clerk-ls", "clerk-ly", "cqo-zs"):
            text, err = say("查询 张三", sender)
            assert not err
            assert_full(text)
            text, err = say("查询 张三", sender, "group")
            assert not err
            assert_masked(text)
        # The rest of the card is there in both.
        assert "示例精密机械有限公司" in text and "任期" in text and "学时" in text
        d.stop()
        assert access_rows(d) == [("generic", u, "chat-1", 1, 2)
                                  for u in ("u-admin", "clerk-ls", "clerk-ly", "cqo-zs")]


def test_out_of_scope_and_other_cqo_learn_nothing():
    d, say = staffed()
    with d:
        for sender in ("clerk-lz", "cqo-ls"):
            for chat in ("private", "group"):
                for term in ("张三", "2", "91371302DEM0000013", "示例精密机械有限公司"):
                    text, err = say("查询 " + term, sender, chat)
                    assert_not_found(text, err, term)
                # Exactly what a record that does not exist gets.
                text, err = say("查询 张三丰", sender, chat)
                assert_not_found(text, err, "张三丰")
        # 李四 is 李四's own and in 罗庄区's scope.
        text, _ = say("查询 李四", "cqo-ls")
        assert "lisi@example.com" in text, text
        text, _ = say("查询 李四", "clerk-lz", "group")
        assert "l***@example.com" in text and "13800000002" not in text, text
        d.stop()
        assert access_rows(d) == [("generic", "cqo-ls", "chat-1", 2, 3)]


def test_organizer_sees_members_names_only():
    d, say = staffed()
    with d:
        for chat in ("private", "group"):
            text, err = say("查询 张三", "org", chat)
            assert not err and "记录号 2" in text, text
            assert "姓名：张三" in text and "企业：示例精密机械有限公司" in text, text
            for hidden in ("手机", "邮箱", "出生日期", "性别", "138", "example.com", "1980",
                           "统一社会信用代码", "职务"):
                assert hidden not in text, (hidden, text)
            # Members only: 王五 (雁塔区) is not in the alliance.
            text, err = say("查询 王五", "org", chat)
            assert_not_found(text, err, "王五")
            text, err = say("查询 5", "org", chat)
            assert_not_found(text, err, "5")
        # A search listing only shows members.
        text, err = say("查询 示例", "org")
        assert not err and "张三" in text and "王五" not in text and "钱七" not in text, text
        text, _ = say("我是谁", "org")
        assert "示例市首席质量官联盟（演示）" in text, text
        d.stop()
        assert access_rows(d) == []


def test_guest_sees_nothing():
    d, say = staffed()
    with d:
        for chat in ("private", "group"):
            text, err = say("查询 张三", "stranger", chat)
            assert err and "您没有权限使用“查询”" in text and "张三" not in text, text
        d.stop()
        assert access_rows(d) == []


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
