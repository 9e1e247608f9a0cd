"""授权 and 撤销授权 on the console, which runs as its configured role and so
can reach the last stored admin. Who may grant and revoke what, auditing
and refusals are tested in C, tests/unit/test_cmd_roles.c."""
import os
import subprocess

from harness import Daemon, as_user_prefix, rows


def identity(d, user, platform="generic"):
    r = rows(d, "SELECT role, scope_region, alliance_id, person_id FROM identities"
                " WHERE platform = ? AND user_id = ?", platform, user)
    return r[0] if r else None


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
