"""Logger throughput and memory through a real pseudo-terminal, fsync on.

A classroom Raspberry Pi may host 30 boxes at about one line a second each: 30 lines/s.
This script pushes a one-hour run of 30 simulated boxes (all faults except unplug, since the
boxes share one stream) through a pty into a real ``sensorlab log`` subprocess as fast as
it will take them, then prints:

- sustained throughput in lines/s (lines logged / time between the first and the last
  arrival stamp in the log) and its ratio to the 30 lines/s need;
- the logger's peak memory (VmHWM, peak resident set) over the run, and at start-up;

for the default fsync interval (1 s) and for an fsync after every read (the worst case).

Run: ``.venv/bin/python benchmarks/bench_logger.py [--boxes 30] [--seconds 3600]``
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sensorlab.kit.pty import PtyPort
from sensorlab.kit.simulator import simulate

NEED = 30.0  # lines/s: 30 boxes at one line a second


def _vm(pid: int, key: str) -> int:
    """A memory figure of a process from /proc, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _stamp(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()


def run(data: list[bytes], fsync_interval: float) -> dict:
    out = Path(tempfile.mkdtemp(prefix="bench-logger-"))
    port = PtyPort()
    logger = subprocess.Popen([sys.executable, "-m", "sensorlab.kit.cli", "log", port.path,
                               "--out", str(out), "--quiet", "--fsync-interval",
                               str(fsync_interval)])
    assert port.wait_for_reader(60), "logger did not open the pty"
    rss_start = _vm(logger.pid, "VmRSS")
    blob = b"".join(data)
    t0 = time.monotonic()
    for i in range(0, len(blob), 1 << 15):
        assert port.write(blob[i:i + (1 << 15)], timeout=60), "logger stopped reading"
    write_s = time.monotonic() - t0
    # wait until the log stops growing, then read the peak memory before stopping it
    last, stable = -1, 0
    while stable < 4:
        size = sum(p.stat().st_size for p in out.glob("*.csv"))
        stable = stable + 1 if size == last else 0
        last = size
        time.sleep(0.25)
    peak = _vm(logger.pid, "VmHWM")
    logger.send_signal(signal.SIGINT)
    logger.wait(30)
    port.close()
    first, last_stamp, keys = None, None, set()
    for path in sorted(out.glob("20*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                keys.add((row["node_id"], row["boot_id"], row["seq"]))
                first = first or row["timestamp"]
                last_stamp = row["timestamp"]
    with open(out / "rejects.csv", newline="", encoding="utf-8") as f:
        rejects = sum(1 for _ in f) - 1
    span = _stamp(last_stamp) - _stamp(first)
    return {"lines": len(keys), "rejects": rejects, "span_s": span, "write_s": write_s,
            "rate": len(keys) / span if span > 0 else float("inf"),
            "rss_start_mb": rss_start / 1024, "peak_mb": peak / 1024,
            "bytes_mb": len(blob) / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boxes", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=3600.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--period", type=float, default=2.0,
                        help="report period of each box (2 s = one line a second per box; "
                             "the firmware's default is 10 s)")
    args = parser.parse_args()
    t = time.monotonic()
    data = [e.data for e in simulate(seed=args.seed, faults="all", duration_s=args.seconds,
                                     nodes=args.boxes, period_s=args.period, engine="diurnal")
            if e.data and e.sent]
    print(f"simulated {args.boxes} boxes x {args.seconds:.0f} s, a report every {args.period:g} s: "
          f"{len(data)} pieces "
          f"({time.monotonic() - t:.1f} s to generate)")
    print(f"{'fsync':>22s} {'lines':>7s} {'rejects':>7s} {'lines/s':>9s} {'x need':>7s} "
          f"{'RSS start':>9s} {'RSS peak':>9s}")
    for label, interval in (("every 1 s (default)", 1.0), ("after every read", 0.0)):
        r = run(data, interval)
        print(f"{label:>22s} {r['lines']:7d} {r['rejects']:7d} {r['rate']:9.0f} "
              f"{r['rate'] / NEED:7.0f} {r['rss_start_mb']:8.1f}M {r['peak_mb']:8.1f}M")
    print(f"need: {NEED:.0f} lines/s (30 boxes at 1 line/s); target >= {100 * NEED:.0f} lines/s "
          f"(100x). Machine: {os.cpu_count()} cores, shared.")


if __name__ == "__main__":
    main()
