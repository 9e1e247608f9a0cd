"""Trainings, sanctions, honours on the console: 培训, 除名 with its
confirmation, 撤销 and 荣誉 as the local operator. Their logic (validation,
roles, masking, confirmations, expiry) is tested in C,
tests/unit/test_cmd_records.c.

Time is pinned (CQOD_FAKE_NOW) so the demo's dates are known: today is
2026-06-15. 张三 (person 1) holds record 2 in 兰山区 371302, term
2023-07-05 .. 2026-07-04, 20 training hours this year (12 + 8), 任职培训 on
2023-04-11. 李四 (person 2) holds record 3 in 罗庄区 371311 with an open
警示 (处理号 1, 未完成继续教育). 孙八 (person 6) held record 1, ended.
Alliance 1 is the organizer's."""
import os
import re
import select
import subprocess
import time

from harness import Daemon, as_user_prefix, one as db_one, rows as db_rows

TODAY = "2026-06-15"
FAKE_NOW = TODAY + " 10:00:00"
CONFIRM_RX = re.compile(r"确认 (\d{6})")


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
            console_read(proc, r"已作出除名决定 · 处理号 3")
            proc.stdin.write("撤销 3 控制台复核\n荣誉 2 典型选树 2026\n".encode())
            proc.stdin.flush()
            out = console_read(proc, r"2026 年 典型选树")
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
