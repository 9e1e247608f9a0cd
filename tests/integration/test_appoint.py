"""续聘, 绑定码 and the multi-line forms on the console, as the local operator. 备案, 更换, 续聘,
解聘 and the binding codes (validation, roles, chats, confirmation, the
atomicity of 更换, single use and expiry of codes) are tested in C,
tests/unit/test_cmd_appoint.c.

Time is pinned (CQOD_FAKE_NOW) so the demo's dates are known: today is
2026-06-15. 张三 (person 1) holds record 2 at 示例精密机械有限公司 in 兰山区
371302, term 2023-07-05 .. 2026-07-04."""
import importlib.util
import os
import re
import subprocess

from harness import Daemon, ROOT, as_user_prefix, one as db_one, rows as db_rows

_spec = importlib.util.spec_from_file_location(
    "gen_import", os.path.join(ROOT, "tests", "bench", "gen_import.py"))
gen_import = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_import)

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


def test_forms_through_console():
    """A form's lines follow its command line up to an empty line, as one
    chat message carries them: 备案 then 更换 from piped input (`make run`),
    the commands around them one line each as before."""
    code = gen_import.credit_code("371302", 424242)
    form = ("查询 张三\n"
            "备案\n姓名：李雷\n手机：13900001111\n企业名称：控制台机械有限公司\n"
            "统一社会信用代码：%s\n所在地区：371302\n聘任文件号：控聘〔2026〕1号\n"
            "聘任日期：2026-01-01\n"
            "\n"
            "我是谁\n"
            "更换2\n姓名：韩梅梅\n手机：13900003333\n聘任文件号：示例企聘字〔示例〕第3号\r\n"
            "聘任日期：2026-06-01\r\n"
            "\r\n"
            "活动 发布\n"
            "\n"
            "查询 李雷\n"
            "备案\n姓名：王二\n聘任日期：2026-01-01") % code
    with Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW}) as d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input=form, capture_output=True, text=True, timeout=60,
                           env=d.env)
        assert r.returncode == 0, r.stderr
        out = r.stdout
        assert "备案成功 · 记录号 7" in out and "企业：控制台机械有限公司" in out, out
        assert "首席质量官：韩梅梅" in out, out
        assert "管理员" in out, out              # 我是谁, between the forms
        assert "未知命令" not in out and "没有“姓名" not in out, out
        assert "填完后输入空行" not in out, out    # the hint is for a terminal only
        # 活动 发布 with no field lines: the form's own answer, not a hang.
        assert "用法：活动 发布" in out, out
        # Input ending inside a form still runs it (and reports what is missing).
        assert "缺少必填字段“企业名称”" in out, out
        assert out.rstrip().endswith("用法：备案（换行后逐行填写“字段：值”）"), out
        assert db_rows(d, "SELECT p.name, e.credit_code FROM appointments a"
                          " JOIN people p ON p.id = a.person_id"
                          " JOIN enterprises e ON e.id = a.enterprise_id WHERE a.id = 7") == \
            [("李雷", code)]
        assert db_one(d, "SELECT count(*) FROM appointments a JOIN people p"
                         " ON p.id = a.person_id WHERE p.name = '韩梅梅' AND a.status = 'active'") == 1
