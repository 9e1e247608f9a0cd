"""The clerks' lists (到期, 逾期, 未培训, 处理名单, 空缺) and the statistics
(统计, 目标) through the daemon: what its log keeps of bad arguments, and
the console. Their logic (numbers, scope, roles, paging) is tested in C,
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


class Chat:
    def __init__(self, d):
        self.d = d
        self.n = 0

    def __call__(self, text, sender="u-admin", chat_type="private"):
        self.n += 1
        status, body = self.d.webhook(text, "l-%d" % self.n, sender=sender,
                                      chat_type=chat_type)
        assert status == 200, body
        return body["reply"]["text"], body["reply"]["error"]


def staffed():
    """The demo registry on 2026-06-15 with every role."""
    d = Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW})
    for g in ("generic u-admin admin", "generic clerk-ls clerk 371302",
              "generic clerk-ly clerk 3713", "generic clerk-xa clerk 610113",
              "generic cqo-zs cqo 1", "generic org organizer 1"):
        d.ctl("grant " + g)
    d.start()
    return d, Chat(d)


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


def test_console():
    with Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW}) as d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input="到期\n目标 3713 规上 2025 80%\n统计 3713 2025\n空缺\n",
                           capture_output=True, text=True, timeout=60, env=d.env)
        assert r.returncode == 0, r.stderr
        assert "记录号 2　张三" in r.stdout, r.stdout
        assert "合计 | 3 | 2 | 66.7% | 80.0% | 13.3% | 50.0% | 1" in r.stdout, r.stdout
        assert "演示纺织有限公司" in r.stdout, r.stdout
