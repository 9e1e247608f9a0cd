"""Files cqod and cqoctl create are readable by their owner only (issue 13,
finding 10). With the caller's umask at the usual 022, everything either
binary creates is 0600: the database made by `cqoctl demo` and by the daemon,
their WAL and shared-memory files, the outbox lock, a backup, exports and an
import's reject file."""
import os
import stat
import subprocess

from harness import Daemon, as_user_prefix


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def ctl(d, *args):
    d._own()
    cmd = as_user_prefix() + [os.path.join(d.dir, "cqoctl"), "-c", d.config] + list(args)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=d.env)
    assert r.returncode == 0, "cqoctl %s: %s%s" % (args, r.stdout, r.stderr)
    return r.stdout


def assert_private(paths):
    modes = {os.path.basename(p): oct(mode(p)) for p in paths}
    print("file modes:", modes)
    assert all(m == oct(0o600) for m in modes.values()), modes


def test_files_are_0600_under_umask_022():
    old = os.umask(0o022)
    try:
        # cqoctl demo creates the database.
        with Daemon() as d:
            made = [d.db]
            backup = os.path.join(d.dir, "backup.db")
            ctl(d, "backup", backup)
            made.append(backup)
            for what in ("registry", "trainings"):
                out = os.path.join(d.dir, what + ".csv")
                ctl(d, "export", what, "-o", out)
                made.append(out)
            bad = os.path.join(d.dir, "ent.csv")
            with open(bad, "w", encoding="utf-8") as f:
                f.write("企业名称,统一社会信用代码,所在地区\r\n丙,123,371302\r\n")
            ctl(d, "import", "enterprises", bad, "--skip-bad")
            made.append(os.path.join(d.dir, "ent.rejects.csv"))
            assert_private(made)
        # The daemon creates its database, WAL, shared memory and lock file.
        with Daemon(seed=None) as d:
            d.start()
            assert d.webhook("我是谁", "fm-1")[0] == 200
            made = [d.db + suffix for suffix in ("", "-wal", "-shm", "-outbox.lock")]
            assert all(os.path.exists(p) for p in made), os.listdir(d.dir)
            assert_private(made)
            assert d.stop() == 0
    finally:
        os.umask(old)
