"""授权, 撤销授权 and 角色 end to end: who may grant and revoke what, through the
signed generic webhook and the console, and that every change is audited and
every refusal changes nothing."""
import os
import subprocess

from harness import Chat, Daemon, as_user_prefix, rows

USAGE_GRANT = "用法：授权"
USAGE_REVOKE = "用法：撤销授权"


def identity(d, user, platform="generic"):
    r = rows(d, "SELECT role, scope_region, alliance_id, person_id FROM identities"
                " WHERE platform = ? AND user_id = ?", platform, user)
    return r[0] if r else None


def audit_count(d):
    """Audit rows the chat wrote (the setup's cqoctl grants are audited too)."""
    return rows(d, "SELECT count(*) FROM audit_log WHERE actor_platform <> 'cqoctl'")[0][0]


def staffed():
    """A demo daemon with an admin, clerks of 兰山区 (371302), 临沂市 (3713) and
    雁塔区 (610113), an organizer of alliance 1 and 张三 (person 1) as cqo."""
    d = Daemon()
    d.ctl("grant generic u-admin admin")
    d.ctl("grant generic clerk-ls clerk 371302")
    d.ctl("grant generic clerk-ly clerk 3713")
    d.ctl("grant generic clerk-xa clerk 610113")
    d.ctl("grant generic org organizer 1")
    d.ctl("grant generic cqo-zs cqo 1")
    d.start()
    return d, Chat(d, "id")


def test_admin_grants_every_role():
    d, say = staffed()
    with d:
        text, err = say("授权 @k1 办事员 371302")
        assert not err and "已将 k1 授权为办事员" in text and "兰山区（371302）" in text, text
        assert identity(d, "k1") == ("clerk", "371302", None, None)

        text, err = say("grant o1 organizer 示例市首席质量官联盟（演示）")
        assert not err and "示例市首席质量官联盟（演示）" in text, text
        text, err = say("授权 o2 组织者 1")
        assert not err, text
        assert identity(d, "o1") == ("organizer", None, 1, None)
        assert identity(d, "o2") == ("organizer", None, 1, None)

        # A CQO is named by their record number; the identity binds the person.
        text, err = say("授权 @z1 首席质量官 2")
        assert not err and "张三（记录号 2）" in text, text
        assert identity(d, "z1") == ("cqo", None, None, 1)

        text, err = say("授权 a2 admin")
        assert not err and "管理员" in text, text
        assert identity(d, "a2")[0] == "admin"

        # Re-granting replaces the role.
        text, err = say("授权 k1 首席质量官 3")
        assert not err and "李四" in text, text
        assert identity(d, "k1") == ("cqo", None, None, 2)

        # Each change is audited with actor, chat and command, before and after.
        audit = rows(d, "SELECT actor_platform, actor_user, chat_id, command, before_json,"
                        " after_json FROM audit_log WHERE entity = 'identity'"
                        " AND actor_platform <> 'cqoctl' ORDER BY id")
        assert len(audit) == 6, audit
        assert all(a[:4] == ("generic", "u-admin", "chat-1", a[3]) for a in audit)
        assert audit[0][3] == "授权" and audit[1][3] == "授权"   # typed as "grant"
        assert audit[0][4] is None and '"scope_region":"371302"' in audit[0][5]
        assert '"role":"clerk"' in audit[5][4] and '"role":"cqo"' in audit[5][5]

        # The new identities work at once.
        text, _ = say("我是谁", sender="o1")
        assert "组织者" in text and "示例市首席质量官联盟（演示）" in text, text
        text, _ = say("whoami", sender="z1")
        assert "首席质量官" in text and "张三（记录号 2）" in text, text


def test_grant_validation_errors_change_nothing():
    d, say = staffed()
    with d:
        before_ids = rows(d, "SELECT * FROM identities ORDER BY user_id")
        cases = [
            ("授权", None),
            ("授权 k1", None),
            ("授权 k1 办事员 371302 多余", None),
            ("授权 @ 办事员 371302", "用户应写作 @用户ID 或用户ID"),
            ("授权 %s 办事员 371302" % ("x" * 200), "用户应写作"),
            ("授权 k1 国王", "未知角色“国王”"),
            ("授权 k1 访客", "未知角色“访客”"),
            ("授权 k1 管理员 37", "管理员角色不带范围"),
            ("授权 k1 办事员", "办事员需要管辖地区代码"),
            ("授权 k1 办事员 37130", "地区代码应为 2、4 或 6 位数字"),
            ("授权 k1 办事员 兰山区", "地区代码应为 2、4 或 6 位数字"),
            ("授权 k1 办事员 999999", "地区代码 999999 不存在"),
            ("授权 k1 组织者", "组织者需要联盟名称或编号"),
            ("授权 k1 组织者 不存在的联盟", "没有名称或编号为“不存在的联盟”的联盟"),
            ("授权 k1 组织者 42", "没有名称或编号为“42”的联盟"),
            ("授权 k1 首席质量官", "首席质量官需要其备案记录号"),
            ("授权 k1 首席质量官 张三", "记录号应为正整数"),
            ("授权 k1 首席质量官 0", "记录号应为正整数"),
            ("授权 k1 首席质量官 999", "未找到记录号 999"),
        ]
        for text_in, why in cases:
            text, err = say(text_in)
            assert err and USAGE_GRANT in text, (text_in, text)
            if why:
                assert why in text, (text_in, text)
        text, err = say("撤销授权")
        assert err and USAGE_REVOKE in text, text
        text, err = say("撤销授权 @")
        assert err and "用户应写作" in text and USAGE_REVOKE in text, text
        assert rows(d, "SELECT * FROM identities ORDER BY user_id") == before_ids
        assert audit_count(d) == 0
        # Bad input is logged at info without the values typed.
        log = "\n".join(d.drain_log())
        assert "ran 授权 (usage" in log and "不存在的联盟" not in log and "国王" not in log


def test_clerk_grants_clerks_inside_own_scope_only():
    d, say = staffed()
    with d:
        # The city clerk may grant a county clerk of the city, and re-scope them
        # inside the city.
        text, err = say("授权 k1 办事员 371302", sender="clerk-ly")
        assert not err, text
        text, err = say("授权 k1 办事员 371311", sender="clerk-ly")
        assert not err and identity(d, "k1") == ("clerk", "371311", None, None), text
        text, err = say("授权 k2 办事员 3713", sender="clerk-ly")
        assert not err, text
        n = audit_count(d)
        for sender, cmd in [
            ("clerk-ly", "授权 k3 办事员 37"),          # wider than own scope
            ("clerk-ly", "授权 k3 办事员 610113"),      # another province
            ("clerk-ls", "授权 k3 办事员 3713"),        # county clerk: not the city
            ("clerk-ls", "授权 k3 办事员 371311"),      # county clerk: not a neighbour
            ("clerk-ly", "授权 k3 管理员"),
            ("clerk-ly", "授权 k3 组织者 1"),
            ("clerk-ly", "授权 k3 首席质量官 2"),
            ("clerk-ly", "授权 u-admin 办事员 3713"),   # would demote an admin
            ("clerk-ly", "授权 clerk-xa 办事员 3713"),  # a clerk outside the scope
            ("clerk-ly", "授权 org 办事员 3713"),       # an organizer
            ("clerk-ly", "授权 cqo-zs 办事员 3713"),    # a cqo
        ]:
            text, err = say(cmd, sender=sender)
            assert err and "办事员只能在本人管辖范围" in text, (cmd, text)
        assert identity(d, "k3") is None
        assert identity(d, "u-admin")[0] == "admin"
        assert identity(d, "clerk-xa") == ("clerk", "610113", None, None)
        assert identity(d, "org")[0] == "organizer" and identity(d, "cqo-zs")[0] == "cqo"
        assert audit_count(d) == n
        # A county clerk inside their own county is fine.
        text, err = say("授权 k4 办事员 371302", sender="clerk-ls")
        assert not err, text


def test_revoke_matrix():
    d, say = staffed()
    with d:
        say("授权 k1 办事员 371302")
        say("授权 k2 办事员 371311")
        # Clerks revoke clerks inside their scope only.
        text, err = say("撤销授权 @k1", sender="clerk-ls")
        assert not err and "已撤销 k1 的办事员角色" in text, text
        assert identity(d, "k1") is None
        for sender, user in [("clerk-ls", "k2"), ("clerk-ls", "clerk-ly"),
                             ("clerk-ls", "u-admin"), ("clerk-ly", "clerk-xa"),
                             ("clerk-ly", "org"), ("clerk-ly", "cqo-zs"),
                             ("clerk-ly", "nobody")]:
            text, err = say("撤销授权 " + user, sender=sender)
            assert err and "办事员只能在本人管辖范围" in text, (sender, user, text)
        assert identity(d, "k2") is not None and identity(d, "clerk-ly") is not None
        text, err = say("revoke-role k2", sender="clerk-ly")
        assert not err and identity(d, "k2") is None, text
        # Admins revoke anyone but themselves.
        for user, role in [("org", "组织者"), ("cqo-zs", "首席质量官"), ("clerk-xa", "办事员")]:
            text, err = say("撤销授权 " + user)
            assert not err and "已撤销 %s 的%s角色" % (user, role) in text, text
            assert identity(d, user) is None
        text, err = say("撤销授权 nobody")
        assert err and "用户 nobody 没有任何授权" in text, text
        # The revoked are guests now.
        text, err = say("查询 张三", sender="cqo-zs")
        assert err and "您没有权限" in text, text
        revokes = rows(d, "SELECT command, after_json FROM audit_log"
                          " WHERE before_json IS NOT NULL AND after_json IS NULL")
        assert len(revokes) == 5 and {r[0] for r in revokes} == {"撤销授权"}


def test_other_roles_may_not_manage_identities():
    d, say = staffed()
    with d:
        for sender in ("org", "cqo-zs", "stranger"):
            for cmd in ("授权 k1 办事员 371302", "撤销授权 clerk-ls", "角色", "审计 2"):
                text, err = say(cmd, sender=sender)
                assert err and "您没有权限使用" in text, (sender, cmd, text)
            text, _ = say("帮助", sender=sender)
            assert "授权 <" not in text and "角色 — " not in text and "审计 <" not in text, text
        assert identity(d, "k1") is None and identity(d, "clerk-ls") is not None
        assert audit_count(d) == 0
        text, _ = say("帮助")
        assert "授权 <" in text and "撤销授权 <" in text and "角色 — " in text and "审计 <" in text


def test_nobody_changes_their_own_role():
    d, say = staffed()
    with d:
        for sender, cmd in [("u-admin", "授权 u-admin 办事员 37"),
                            ("u-admin", "授权 @u-admin 管理员"),
                            ("u-admin", "撤销授权 u-admin"),
                            ("clerk-ly", "授权 clerk-ly 办事员 371302"),
                            ("clerk-ly", "撤销授权 @clerk-ly")]:
            text, err = say(cmd, sender=sender)
            assert err and "不能更改自己的角色" in text, (cmd, text)
        assert identity(d, "u-admin")[0] == "admin"
        assert identity(d, "clerk-ly") == ("clerk", "3713", None, None)
        assert audit_count(d) == 0


def run_console(d, text):
    cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
    r = subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_last_admin_cannot_be_removed_console():
    # The console runs as its configured role, not a stored identity, so it
    # can reach the last stored admin; identities are on its platform.
    with Daemon() as d:
        d.ctl("grant console boss admin")
        out = run_console(d, "撤销授权 boss\n授权 boss 办事员 371302\n授权 k1 管理员\n"
                             "撤销授权 boss\n撤销授权 k1\n")
        lines = out.splitlines()
        assert sum("boss 是最后一位管理员" in l for l in lines) == 2, out
        assert "已将 k1 授权为管理员" in out and "已撤销 boss 的管理员角色" in out, out
        assert "k1 是最后一位管理员" in out, out
        assert identity(d, "boss", "console") is None
        assert identity(d, "k1", "console")[0] == "admin"
        audit = rows(d, "SELECT actor_platform, actor_user, chat_id FROM audit_log"
                        " WHERE actor_platform <> 'cqoctl'")
        assert audit == [("console", "operator", "console")] * 2, audit


def test_roles_list_pages_and_scopes():
    d, say = staffed()
    with d:
        for i in range(8):
            say("授权 extra%02d 办事员 371302" % i)
        text, err = say("角色")
        assert not err and "已授权用户（共 14 个）" in text, text
        lines = [l for l in text.splitlines() if l[:1].isdigit() and ". " in l]
        assert len(lines) == 10, text
        assert lines[0].startswith("1. generic:u-admin　管理员　全部地区"), lines
        assert "第 1–10 条，共 14 条" in text and "下一页" in text
        text, err = say("下一页")
        assert not err and "11. " in text and "14. " in text, text
        assert "组织者　示例市首席质量官联盟（演示）（联盟编号 1）" in text, text
        assert "首席质量官　张三（记录号 2）" in text, text
        # A city clerk sees the clerks of the city, nobody else.
        text, err = say("roles", sender="clerk-ly")
        assert not err and "共 10 个" in text, text
        assert "clerk-xa" not in text and "u-admin" not in text and "org" not in text
        assert "clerk-ls　办事员　兰山区（371302）" in text, text
        text, _ = say("角色", sender="clerk-xa")
        assert "共 1 个" in text and "雁塔区（610113）" in text, text
        text, err = say("角色 多余")
        assert err and "用法：角色" in text
