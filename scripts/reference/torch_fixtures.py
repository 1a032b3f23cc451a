#!/usr/bin/env python3
"""Write the PyTorch reference fixtures the engine's unit tests compare against.

Usage: /usr/bin/python3 scripts/reference/torch_fixtures.py [--out test/fixtures/torch]
Needs Debian's python3-torch. Every module fixtures_<area>.py beside this script contributes: it defines
write_fixtures(out_dir) and is called with <out>/<area> (recurrent, attention, ...).
Weights are in the studio's (Keras/tfjs) layout, so the tests load them directly.
"""
import argparse, glob, importlib, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=os.path.join(HERE, "..", "..", "test", "fixtures", "torch"))
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    sys.path.insert(0, HERE)
    for path in sorted(glob.glob(os.path.join(HERE, "fixtures_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        module = importlib.import_module(name)
        area_dir = os.path.join(a.out, name[len("fixtures_"):])
        module.write_fixtures(area_dir)
        files = sorted(glob.glob(os.path.join(area_dir, "*.json")))
        size = sum(os.path.getsize(f) for f in files)
        print("%-28s %3d fixtures, %7d bytes -> %s" % (name, len(files), size, os.path.relpath(area_dir)))


if __name__ == "__main__":
    main()
