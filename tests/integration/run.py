"""Runs every test_* function of tests/integration/test_*.py and prints one
line per test, the traceback of each failure, and 'integration: N passed,
N failed'. Usage: run.py [--build DIR] [-k SUBSTRING] [-j N]

Tests run in N worker processes (default: 4 per core; they mostly wait on
daemons). Each test owns its ports and directories, so any order is valid;
the slowest tests start first so the last worker does not finish alone:
their times come from the previous run in DIR, else from the times.json
kept beside this file (a fresh clone's order). Tests marked @harness.alone (they
assert how long another process waits for a lock, which a loaded machine
stretches) run afterwards, one at a time, with nothing else running."""
import argparse
import concurrent.futures
import importlib.util
import json
import multiprocessing
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
_modules = {}


def collect(pattern):
    """The (file, function) of every test whose "file::function" contains pattern."""
    found = []
    for fname in sorted(os.listdir(HERE)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        mod = load(fname)
        found += [(fname, n) for n in dir(mod)
                  if n.startswith("test_") and pattern in "%s::%s" % (fname, n)]
    return found


def load(fname):
    if fname not in _modules:
        spec = importlib.util.spec_from_file_location(fname[:-3], os.path.join(HERE, fname))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        _modules[fname] = mod
    return _modules[fname]


def run_one(fname, name):
    """Runs one test in this (worker) process; returns (ok, seconds, traceback)."""
    t0 = time.monotonic()
    try:
        getattr(load(fname), name)()
    except BaseException:
        return False, time.monotonic() - t0, traceback.format_exc()
    return True, time.monotonic() - t0, ""


def read_times(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def write_times(path, times):
    try:
        with open(path + ".tmp", "w") as f:
            json.dump(times, f, indent=0, sort_keys=True)
        os.replace(path + ".tmp", path)
    except OSError:
        pass   # only an ordering hint for the next run


def report(full, fut, times, counts):
    try:
        ok, secs, tb = fut.result()
    except Exception:
        ok, secs, tb = False, 0.0, traceback.format_exc()
    times[full] = round(secs, 2)
    if ok:
        counts["passed"] += 1
        print("ok   %s (%.1fs)" % (full, secs), flush=True)
    else:
        counts["failed"] += 1
        print("FAIL %s (%.1fs)\n%s" % (full, secs, tb), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("-k", default="")
    ap.add_argument("-j", type=int, default=4 * (os.cpu_count() or 1))
    opts = ap.parse_args()
    os.environ["CQOD_BUILD"] = opts.build
    sys.path.insert(0, HERE)
    tests = collect(opts.k)
    times_path = os.path.join(opts.build, "integration-times.json")
    times = read_times(os.path.join(HERE, "times.json"))
    times.update(read_times(times_path))
    # Unknown tests count as slow: they may be.
    tests.sort(key=lambda t: -times.get("%s::%s" % t, 60.0))
    alone = [t for t in tests if getattr(getattr(load(t[0]), t[1]), "alone", False)]
    shared = [t for t in tests if t not in alone]
    counts = {"passed": 0, "failed": 0}
    # fork: the workers inherit sys.path and the modules already imported.
    ctx = multiprocessing.get_context("fork")
    for group, jobs in ((shared, max(1, opts.j)), (alone, 1)):
        if not group:
            continue
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=ctx) as pool:
            futures = {pool.submit(run_one, *t): "%s::%s" % t for t in group}
            for fut in concurrent.futures.as_completed(futures):
                report(futures[fut], fut, times, counts)
    write_times(times_path, times)
    passed, failed = counts["passed"], counts["failed"]
    print("integration: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not tests else 0)


if __name__ == "__main__":
    main()
