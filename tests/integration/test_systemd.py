"""Running cqod the way systemd does: the unit files (verify, security rating,
sysusers, tmpfiles), socket activation, the notify protocol with a fake
NOTIFY_SOCKET, and `make install` / `make uninstall` into a DESTDIR.

Only offline tools are used (systemd-analyze, systemd-socket-activate,
systemd-sysusers --root, systemd-tmpfiles --root): CI has no systemd as PID 1."""
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time

from harness import ROOT, BUILD, Daemon, as_user_prefix

UNITS = os.path.join(ROOT, "systemd")
# What the sandbox cannot close for a daemon that serves HTTP and calls the
# platforms' HTTPS APIs: anything else marked ✗ is a regression.
EXPECTED_EXPOSURE = ("RootDirectory=/RootImage=", "RestrictAddressFamilies=~AF_UNIX",
                     "RestrictAddressFamilies=~AF_(INET|INET6)", "PrivateNetwork=",
                     "DeviceAllow=", "IPAddressDeny=")


def need_systemd_tools():
    """systemd-analyze and friends come with Debian's systemd package."""
    if not shutil.which("systemd-analyze"):
        subprocess.run(["sh", os.path.join(ROOT, "tests", "deps.sh"), "systemd"], check=True)


def units_for_build(tmp):
    """Copies of the units whose ExecStart names the binary under test, since
    systemd-analyze verify checks that the command exists."""
    cqod = os.path.abspath(os.path.join(ROOT, BUILD, "cqod"))
    for name in ("cqod.service", "cqod.socket"):
        with open(os.path.join(UNITS, name)) as f:
            text = f.read().replace("/usr/bin/cqod", cqod)
        with open(os.path.join(tmp, name), "w") as f:
            f.write(text)
    return os.path.join(tmp, "cqod.service"), os.path.join(tmp, "cqod.socket")


def unit_settings(path):
    """[Section] -> list of (key, value) of a unit file."""
    out, section = {}, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = line.strip("[]")
                out.setdefault(section, [])
            else:
                k, v = line.split("=", 1)
                out[section].append((k, v))
    return out


def test_units_verify_cleanly():
    need_systemd_tools()
    with tempfile.TemporaryDirectory() as tmp:
        service, sock = units_for_build(tmp)
        # The man pages named by Documentation= are checked too when man(1)
        # can find them: point it at ours.
        env = dict(os.environ, MANPATH=os.path.join(tmp, "man"))
        for sec, page in (("man8", "cqod.8"), ("man5", "cqod.conf.5")):
            os.makedirs(os.path.join(tmp, "man", sec))
            shutil.copy(os.path.join(ROOT, "man", page), os.path.join(tmp, "man", sec))
        man = "--man=yes" if shutil.which("man") else "--man=no"
        r = subprocess.run(["systemd-analyze", "verify", man, sock, service],
                           capture_output=True, text=True, env=env, timeout=60)
        # verify exits 0 on unknown keys and only warns: any output is a finding.
        assert r.returncode == 0 and not r.stderr.strip() and not r.stdout.strip(), \
            (r.returncode, r.stdout, r.stderr)
        # And it does find problems: a misspelt key is reported.
        with open(service, "a") as f:
            f.write("\n[Service]\nNoNewPriviliges=yes\n")
        r = subprocess.run(["systemd-analyze", "verify", "--man=no", service],
                           capture_output=True, text=True, timeout=60)
        assert "NoNewPriviliges" in r.stderr, r.stderr


def test_service_settings():
    s = unit_settings(os.path.join(UNITS, "cqod.service"))["Service"]
    d = dict(s)
    assert d["Type"] == "notify" and d["User"] == "cqod" and d["StateDirectory"] == "cqod"
    assert d["ExecStart"] == "/usr/bin/cqod -c /etc/cqod/cqod.conf"
    reload = [v for k, v in s if k == "ExecReload"]
    assert reload == ["/usr/bin/cqod -n -c /etc/cqod/cqod.conf", "/bin/kill -HUP $MAINPID"]
    assert re.fullmatch(r"\d+s", d["WatchdogSec"])
    assert d["CapabilityBoundingSet"] == "" and d["AmbientCapabilities"] == ""
    assert d["RestrictAddressFamilies"] == "AF_UNIX AF_INET AF_INET6"
    assert [v for k, v in s if k == "SystemCallFilter"] == ["@system-service",
                                                            "~@privileged @resources"]
    sock = unit_settings(os.path.join(UNITS, "cqod.socket"))["Socket"]
    assert sock == [("ListenStream", "127.0.0.1:8080"), ("NoDelay", "yes")]


def test_security_rating():
    need_systemd_tools()
    with tempfile.TemporaryDirectory() as tmp:
        service, _ = units_for_build(tmp)
        r = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--no-pager",
                            service], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    m = re.search(r"Overall exposure level for cqod\.service: ([0-9.]+) (\w+)", r.stdout)
    assert m, r.stdout
    print("     systemd-analyze security cqod.service: %s %s" % (m.group(1), m.group(2)))
    exposed = [l.split()[1] for l in r.stdout.splitlines() if l.startswith("✗")]
    assert sorted(exposed) == sorted(EXPECTED_EXPOSURE), exposed
    assert float(m.group(1)) <= 1.5 and m.group(2) == "OK", m.group(0)


def test_sysusers_and_tmpfiles():
    need_systemd_tools()
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "etc"))
        r = subprocess.run(["systemd-sysusers", "--root=" + root,
                            os.path.join(UNITS, "cqod.sysusers")],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        with open(os.path.join(root, "etc", "passwd")) as f:
            user = [l for l in f.read().splitlines() if l.startswith("cqod:")]
        assert len(user) == 1, user
        name, _, uid, gid, _, home, shell = user[0].split(":")
        assert home == "/var/lib/cqod" and shell == "/usr/sbin/nologin" and int(uid) > 0
        r = subprocess.run(["systemd-tmpfiles", "--create", "--root=" + root,
                            os.path.join(UNITS, "cqod.tmpfiles")],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        st = os.stat(os.path.join(root, "var", "lib", "cqod"))
        assert stat.S_IMODE(st.st_mode) == 0o700 and st.st_uid == int(uid)
        st = os.stat(os.path.join(root, "etc", "cqod"))
        assert stat.S_IMODE(st.st_mode) == 0o750 and st.st_uid == 0 and st.st_gid == int(gid)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_socket_activation_serves_healthz():
    need_systemd_tools()
    with Daemon() as d:
        d.ctl("grant", "generic", "u-admin", "admin")
        port = free_port()
        # systemd-socket-activate listens, and on the first connection execs
        # the command in place with LISTEN_PID set to that same process.
        cmd = ["systemd-socket-activate", "-l", "127.0.0.1:%d" % port] + as_user_prefix() + \
            [os.path.join(d.dir, "cqod"), "-c", d.config]
        d.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=d.env)
        d.wait_log(r"Listening on 127\.0\.0\.1:%d" % port)
        d.port = port
        status, data, _ = d.request("GET", "/healthz")
        assert status == 200, data
        health = json.loads(data)
        assert health["status"] == "ok" and health["ready"] is True, health
        d.wait_log(r"listening on the activated socket \(port %d\)" % port)
        status, body = d.webhook("查询 张三", "sa-1")
        assert status == 200 and "张三" in body["reply"]["text"]
        assert d.stop() == 0


def start_with_fd3(d, fd3, listen_pid_self=True):
    """Starts cqod with `fd3` as fd 3 and LISTEN_FDS=1; LISTEN_PID is the
    child's own pid, or pid 1 (someone else's sockets)."""
    def child():
        os.dup2(fd3, 3)
        os.environ["LISTEN_FDS"] = "1"
        os.environ["LISTEN_PID"] = str(os.getpid() if listen_pid_self else 1)
    cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "-c", d.config]
    d.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              preexec_fn=child, pass_fds=(fd3,))


def test_activation_fd_checked():
    with Daemon() as d:
        # fd 3 is a regular file: refused with a clear message, exit 1.
        with open(os.path.join(d.dir, "not-a-socket"), "w") as f:
            start_with_fd3(d, f.fileno())
            d.wait_log(r"fd 3 is not a listening stream socket")
            assert d.proc.wait(30) == 1
    with Daemon() as d:
        # LISTEN_PID names another process: not ours, listen= is used.
        lst = socket.socket()
        lst.bind(("127.0.0.1", 0))
        lst.listen()
        start_with_fd3(d, lst.fileno(), listen_pid_self=False)
        line = d.wait_log(r"listening on .*\(port (\d+)\)")
        assert "127.0.0.1:0" in line and "activated" not in line, line
        d.port = int(re.search(r"\(port (\d+)\)", line).group(1))
        assert d.port != lst.getsockname()[1]
        assert d.request("GET", "/healthz")[0] == 200
        assert d.stop() == 0
        lst.close()


class FakeNotify:
    """The systemd side of sd_notify: a datagram socket collecting messages."""

    def __init__(self, abstract=False):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if abstract:
            self.name = "@cqod-test-notify-%d-%d" % (os.getpid(), time.monotonic_ns())
            self.sock.bind("\0" + self.name[1:])
            self.dir = None
        else:
            self.dir = tempfile.mkdtemp(prefix="cqod-notify-")
            os.chmod(self.dir, 0o755)
            self.name = os.path.join(self.dir, "notify")
            self.sock.bind(self.name)
            # The daemon runs as nobody under CI: it must be allowed to send.
            os.chmod(self.name, 0o777)
        self.messages = []

    def wait_for(self, pred, timeout=15.0, since=0):
        """Collects messages until one from index `since` on satisfies pred;
        returns it."""
        for m in self.messages[since:]:
            if pred(m):
                return m
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                m = self.sock.recv(4096).decode()
            except socket.timeout:
                break
            self.messages.append(m)
            if pred(m):
                return m
        raise AssertionError("no such notification; got %r" % self.messages)

    def close(self):
        self.sock.close()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)


def test_notify_ready_status_reload_stopping():
    fake = FakeNotify()
    try:
        with Daemon(env={"NOTIFY_SOCKET": fake.name}) as d:
            d.start()
            ready = fake.wait_for(lambda m: "READY=1" in m)
            assert ready == "READY=1\nSTATUS=serving, 1 webhook instances", ready
            # Not before the listener is up: it answers at once.
            assert d.request("GET", "/healthz")[0] == 200
            # No watchdog asked for, none sent.
            d.signal(signal.SIGHUP)
            fake.wait_for(lambda m: m.startswith("RELOADING=1"))
            again = fake.wait_for(lambda m: "READY=1" in m, since=len(fake.messages))
            assert again.startswith("READY=1\nSTATUS=serving")
            d.proc.send_signal(signal.SIGTERM)
            stopping = fake.wait_for(lambda m: "STOPPING=1" in m)
            assert stopping == "STOPPING=1\nSTATUS=draining 0 requests", stopping
            assert d.proc.wait(30) == 0
            assert not [m for m in fake.messages if "WATCHDOG" in m], fake.messages
            order = [m.split("\n")[0] for m in fake.messages]
            assert order[0] == "READY=1" and order[-1] == "STOPPING=1", order
    finally:
        fake.close()


def test_notify_watchdog_abstract_socket():
    fake = FakeNotify(abstract=True)
    try:
        env = {"NOTIFY_SOCKET": fake.name, "WATCHDOG_USEC": "200000"}
        with Daemon(env=env) as d:
            d.start()
            fake.wait_for(lambda m: m.startswith("READY=1"))
            # 200 ms asked for: pings every 100 ms; a few in a row.
            for _ in range(3):
                fake.wait_for(lambda m: m == "WATCHDOG=1", timeout=10, since=len(fake.messages))
            d.wait_log(r"systemd watchdog: pinging every 100 ms")
            assert d.stop() == 0
        fake.messages.clear()
        # WATCHDOG_PID of another process: the watchdog is not ours.
        env["WATCHDOG_PID"] = "1"
        with Daemon(env=env) as d:
            d.start()
            fake.wait_for(lambda m: m.startswith("READY=1"))
            d.wait_log(r"systemd watchdog: not asked for")
            assert d.stop() == 0
            fake.wait_for(lambda m: m.startswith("STOPPING=1"))
            assert "WATCHDOG=1" not in fake.messages, fake.messages
    finally:
        fake.close()


def make(*args):
    # -o all: install what is built; never rebuild (others edit the tree).
    r = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "-o", "all",
                        "BUILD=" + BUILD] + list(args),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def files_under(root):
    out = set()
    for base, _, files in os.walk(root):
        for f in files:
            out.add(os.path.relpath(os.path.join(base, f), root))
    return out


def test_make_install_and_uninstall_debian_layout():
    with tempfile.TemporaryDirectory() as dest:
        make("install", "DESTDIR=" + dest, "PREFIX=/usr")
        want = {
            "usr/bin/cqod": 0o755, "usr/bin/cqoctl": 0o755,
            "usr/share/cqod/regions.csv": 0o644, "usr/share/cqod/cn-workcalendar.csv": 0o644,
            "etc/cqod/cqod.conf.example": 0o644,
            "usr/share/doc/cqod/cqod.conf.example": 0o644, "usr/share/doc/cqod/README.md": 0o644,
            "lib/systemd/system/cqod.service": 0o644, "lib/systemd/system/cqod.socket": 0o644,
            "usr/lib/sysusers.d/cqod.conf": 0o644, "usr/lib/tmpfiles.d/cqod.conf": 0o644,
            "usr/share/man/man8/cqod.8": 0o644, "usr/share/man/man5/cqod.conf.5": 0o644,
        }
        have = files_under(dest)
        assert set(want) <= have, sorted(set(want) - have)
        for path, mode in want.items():
            assert stat.S_IMODE(os.stat(os.path.join(dest, path)).st_mode) == mode, path
        # The group (cqod) comes from tmpfiles.d; the mode already keeps others out.
        assert stat.S_IMODE(os.stat(os.path.join(dest, "etc/cqod")).st_mode) == 0o750
        with open(os.path.join(dest, "lib/systemd/system/cqod.service")) as f:
            service = f.read()
        with open(os.path.join(UNITS, "cqod.service")) as f:
            assert service == f.read()
        with open(os.path.join(dest, "etc/cqod/cqod.conf.example")) as f:
            assert "\n#data_dir = /usr/share/cqod\n" in f.read()
        # The installed binary is the one built, and it runs.
        r = subprocess.run([os.path.join(dest, "usr/bin/cqod"), "--help"],
                           capture_output=True, text=True)
        assert r.returncode == 0 and "usage: cqod" in r.stdout
        # Something of the admin's that uninstall must leave alone.
        with open(os.path.join(dest, "etc/cqod/cqod.conf"), "w") as f:
            f.write("[daemon]\n")
        make("uninstall", "DESTDIR=" + dest, "PREFIX=/usr")
        assert files_under(dest) == {"etc/cqod/cqod.conf"}, files_under(dest)
        for gone in ("usr/share/cqod", "usr/share/doc/cqod"):
            assert not os.path.exists(os.path.join(dest, gone)), gone


def test_make_install_local_prefix():
    with tempfile.TemporaryDirectory() as dest:
        make("install", "DESTDIR=" + dest, "PREFIX=/usr/local")
        have = files_under(dest)
        for path in ("usr/local/bin/cqod", "usr/local/lib/systemd/system/cqod.service",
                     "usr/local/lib/systemd/system/cqod.socket",
                     "usr/local/lib/sysusers.d/cqod.conf", "usr/local/lib/tmpfiles.d/cqod.conf",
                     "usr/local/share/cqod/regions.csv", "usr/local/share/man/man8/cqod.8",
                     "etc/cqod/cqod.conf.example"):
            assert path in have, (path, sorted(have))
        with open(os.path.join(dest, "usr/local/lib/systemd/system/cqod.service")) as f:
            service = f.read()
        assert "ExecStart=/usr/local/bin/cqod -c /etc/cqod/cqod.conf\n" in service
        assert "ExecReload=/usr/local/bin/cqod -n -c /etc/cqod/cqod.conf\n" in service
        assert "/usr/bin/" not in service
        # The daemon's built-in data_dir is /usr/share/cqod: the example says where.
        example = os.path.join(dest, "etc/cqod/cqod.conf.example")
        with open(example) as f:
            assert "\ndata_dir = /usr/local/share/cqod\n" in f.read()
        r = subprocess.run([os.path.join(dest, "usr/local/bin/cqod"), "-n", "-c", example],
                           capture_output=True, text=True)
        assert r.returncode == 0 and r.stdout.strip() == "configuration OK", r.stderr
        make("uninstall", "DESTDIR=" + dest, "PREFIX=/usr/local")
        assert files_under(dest) == set(), files_under(dest)
