"""make bench: start to ready. Starts COMMAND (the daemon) RUNS times with
$NOTIFY_SOCKET set, as systemd's Type=notify does, times each start from
the exec to its READY=1 datagram, and stops it (SIGTERM) before the next.
Prints the times; exits 1 if a start never became ready within 30 s.
Usage: ready.py DIR RUNS COMMAND... (DIR holds the socket; it must be
writable by the daemon's user)"""
import os
import socket
import statistics
import subprocess
import sys
import time

sock_dir, runs, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
path = os.path.join(sock_dir, "notify.sock")
times = []
for _ in range(runs):
    if os.path.exists(path):
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, 0o777)    # the daemon runs as another user under root
    sock.settimeout(30)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    t0 = time.monotonic()
    proc = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    ready = None
    try:
        while ready is None:
            data = sock.recv(4096)
            if b"READY=1" in data.split(b"\n"):
                ready = time.monotonic() - t0
    except socket.timeout:
        pass
    proc.terminate()
    proc.wait(timeout=60)
    sock.close()
    if ready is None:
        print("start to ready: no READY=1 within 30 s")
        sys.exit(1)
    times.append(ready * 1000)
os.unlink(path)
print("start to ready: median %.1f ms of %d starts (%s ms)"
      % (statistics.median(times), runs, ", ".join("%.1f" % t for t in times)))
