"""Speed of the box simulator: this tree's against another git revision's, in the same run.

The simulator drives the firmware (``kits/firmware/main.py``) since issue 15; before, it
copied the firmware's rules. A lesson needs it to play hours of a box in seconds, so this
script runs the same simulated time both ways and prints CPU seconds, simulated seconds per
CPU second, and the ratio (this tree / the other revision). It also times a class network
(``sensorlab.kit.classnet.record_class``: N boxes over weeks, logged into one folder).

Run: ``.venv/bin/python benchmarks/bench_simulator.py [--ref main] [--hours 24]
[--class-weeks 3 --class-boxes 8]``
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _module_at(ref: str, path: str, name: str):
    """The module ``path`` as it is at git revision ``ref``, imported under ``name``."""
    source = subprocess.run(["git", "show", f"{ref}:{path}"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    tmp = Path(tempfile.mkdtemp()) / f"{name}.py"
    tmp.write_text(source)
    spec = importlib.util.spec_from_file_location(name, tmp)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _cpu(simulate, seconds: float, faults: str, seed: int) -> tuple[float, int]:
    t0 = time.process_time()
    n = sum(1 for e in simulate(seed=seed, faults=faults, duration_s=seconds, engine="diurnal")
            if e.truth is not None)
    return time.process_time() - t0, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="main", help="git revision to compare with")
    parser.add_argument("--hours", type=float, default=24.0, help="simulated hours of one box")
    parser.add_argument("--faults", default="all")
    parser.add_argument("--class-weeks", type=float, default=3.0)
    parser.add_argument("--class-boxes", type=int, default=8)
    args = parser.parse_args()

    from sensorlab.kit.simulator import simulate as new

    old = _module_at(args.ref, "src/sensorlab/kit/simulator.py", "simulator_at_ref").simulate
    seconds = args.hours * 3600
    print(f"one box, {args.hours:g} simulated hours, faults={args.faults}, seed 1 (CPU seconds)")
    rows = []
    for label, fn in ((f"{args.ref} (copied rules)", old), ("this tree (runs the firmware)", new)):
        _cpu(fn, 600, args.faults, 2)  # warm: imports, truth engine
        cpu, lines = _cpu(fn, seconds, args.faults, 1)
        rows.append(cpu)
        print(f"  {label:32s} {cpu:7.2f} s  {lines:7d} lines  "
              f"{seconds / cpu:9.0f} simulated s per CPU s")
    print(f"  ratio this tree / {args.ref}: {rows[1] / rows[0]:.2f}x the CPU time "
          f"({rows[0] / rows[1]:.2f}x the speed)")

    if args.class_weeks <= 0:
        return
    from sensorlab.kit.classnet import record_class

    with tempfile.TemporaryDirectory() as out:
        t0 = time.process_time()
        wall = time.perf_counter()
        counts = record_class(out, boxes=args.class_boxes, weeks=args.class_weeks, seed=1)
        cpu, wall = time.process_time() - t0, time.perf_counter() - wall
        size = sum(p.stat().st_size for p in Path(out).iterdir()) / 1e6
    print(f"class network: {args.class_boxes} boxes x {args.class_weeks:g} weeks -> "
          f"{counts['lines']} lines, {counts['rows']} rows, {size:.0f} MB; "
          f"{cpu:.1f} s CPU ({wall:.1f} s wall on a shared machine)")


if __name__ == "__main__":
    main()
