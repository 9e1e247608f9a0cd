"""续聘 and 绑定码 on the console, as the local operator. 备案, 更换, 续聘,
解聘 and the binding codes (validation, roles, chats, confirmation, the
atomicity of 更换, single use and expiry of codes) are tested in C,
tests/unit/test_cmd_appoint.c.

Time is pinned (CQOD_FAKE_NOW) so the demo's dates are known: today is
2026-06-15. 张三 (person 1) holds record 2 at 示例精密机械有限公司 in 兰山区
371302, term 2023-07-05 .. 2026-07-04."""
import os
import re
import subprocess

from harness import Daemon, as_user_prefix, one as db_one, rows as db_rows

TODAY = "2026-06-15"
FAKE_NOW = TODAY + " 10:00:00"
CODE_RX = re.compile(r"绑定码：([2-9A-HJ-NP-Z]{8})（有效期至 (\d{4}-\d\d-\d\d \d\d:\d\d)")


def test_renew_through_console():
    with Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW}) as d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input="续聘 2\n绑定码 2\n", capture_output=True, text=True,
                           timeout=60, env=d.env)
        assert r.returncode == 0, r.stderr
        assert "续聘成功 · 记录号 2" in r.stdout and "2029-07-04" in r.stdout, r.stdout
        assert CODE_RX.search(r.stdout), r.stdout
        assert db_one(d, "SELECT term_end FROM appointments WHERE id = 2") == "2029-07-04"
        assert db_rows(d, "SELECT actor_platform, command FROM audit_log WHERE record_id = 2"
                          " AND command = '续聘'") == [("console", "续聘")]
