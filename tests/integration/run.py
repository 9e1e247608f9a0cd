"""Runs every test_* function of tests/integration/test_*.py in order and
prints 'N passed, N failed'. Usage: run.py [--build DIR] [-k SUBSTRING]"""
import argparse
import importlib.util
import os
import sys
import time
import traceback


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("-k", default="")
    opts = ap.parse_args()
    os.environ["CQOD_BUILD"] = opts.build
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    passed = failed = 0
    for fname in sorted(os.listdir(here)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(fname[:-3], os.path.join(here, fname))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for name in [n for n in dir(mod) if n.startswith("test_")]:
            full = "%s::%s" % (fname, name)
            if opts.k not in full:
                continue
            t0 = time.monotonic()
            try:
                getattr(mod, name)()
            except Exception:
                failed += 1
                print("FAIL %s\n%s" % (full, traceback.format_exc()), flush=True)
            else:
                passed += 1
                print("ok   %s (%.1fs)" % (full, time.monotonic() - t0), flush=True)
    print("integration: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
