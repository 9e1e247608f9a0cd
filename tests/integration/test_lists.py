"""The clerks' lists (到期, 逾期, 未培训, 处理名单, 空缺) and the statistics
(统计, 目标) on the console. Their logic (numbers, scope, roles, paging,
what the log keeps of bad arguments) is tested in C,
tests/unit/test_cmd_lists.c.

Time is pinned (CQOD_FAKE_NOW) so the demo's dates are known: today is
2026-06-15. Demo facts: 张三 holds record 2 in 兰山区 371302 (规上, 链主) and
has appointment training, term ending within 30 days; 李四 holds record 3 in
罗庄区 371311 (规上) since 2025, untrained, with the one open sanction (警示,
未完成继续教育); 演示纺织有限公司 (兰山区, 规上) never filed a CQO; 王五 and
钱七 are in 西安 (6101). Targets: 37 规上 2025 is 10%, none for 2026."""
import os
import subprocess

from harness import Daemon, as_user_prefix

FAKE_NOW = "2026-06-15 10:00:00"


def test_console():
    with Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW}) as d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input="到期\n目标 3713 规上 2025 80%\n统计 3713 2025\n空缺\n",
                           capture_output=True, text=True, timeout=60, env=d.env)
        assert r.returncode == 0, r.stderr
        assert "记录号 2　张三" in r.stdout, r.stdout
        assert "合计 | 3 | 2 | 66.7% | 80.0% | 差 13.3 个百分点 | 50.0% | 1 | 0 | 0" in r.stdout, r.stdout
        assert "演示纺织有限公司" in r.stdout, r.stdout
