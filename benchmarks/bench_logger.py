"""Logger throughput and memory through a real pseudo-terminal, fsync on.

A classroom Raspberry Pi may host 30 boxes at about one line a second each: 30 lines/s.
This script pushes a one-hour run of 30 simulated boxes (all faults except unplug, since the
boxes share one stream) through a pty into a real ``sensorlab log`` subprocess as fast as
it will take them, then prints:

- sustained throughput in lines/s (lines logged / time between the first and the last
  arrival stamp in the log) and its ratio to the 30 lines/s need;
- the logger's peak memory (VmHWM, peak resident set) over the run, and at start-up;

for the default fsync interval (1 s) and for an fsync after every read (the worst case).

Then the restart figures (issue 12): how long ``sensorlab log`` takes from the command to
an open port (``--restarts`` restarts of a real logger process on a pty, beside the time of
``sensorlab log --help``, of a bare ``python -c pass`` and of ``import pandas``, measured in
the same run), and how many lines a restart loses when ``--restart-boxes`` boxes send one
line a second each (a line sent while no logger holds the port is gone, as with a real
USB-serial adapter).

Run: ``.venv/bin/python benchmarks/bench_logger.py [--boxes 30] [--seconds 3600]``
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import threading
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sensorlab.kit import encode_line
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


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command_time(cmd: list[str], repeat: int = 5) -> tuple[float, float]:
    """Median wall time and mean CPU time of a command that exits by itself."""
    walls, cpu0 = [], _child_cpu()
    for _ in range(repeat):
        t = time.monotonic()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.monotonic() - t)
    return statistics.median(walls), (_child_cpu() - cpu0) / repeat


def restarts(boxes: int, count: int) -> dict:
    """Restart a real logger ``count`` times while ``boxes`` boxes send a line a second each."""
    out = Path(tempfile.mkdtemp(prefix="bench-restart-"))
    port = PtyPort()
    sent, stop = [], threading.Event()

    def feed():
        seq, t0 = 0, time.monotonic()
        while not stop.is_set():
            for box in range(boxes):  # each box once a second, spread over the second
                due = t0 + seq + box / boxes
                while time.monotonic() < due and not stop.is_set():
                    time.sleep(0.001)
                line = encode_line(f"box-{box:02d}", 1, seq, seq * 1000, "sys", "hb",
                                   {"free_mem": 100000})
                try:
                    port.write(line.encode(), timeout=0)  # nobody reading: the line is gone
                except OSError:
                    pass
                sent.append((f"box-{box:02d}", seq))
            seq += 1

    def start() -> tuple[subprocess.Popen, float]:
        t = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "sensorlab.cli", "log", port.path,
                                 "--out", str(out), "--quiet"], stderr=subprocess.DEVNULL)
        while not port.has_reader():
            time.sleep(0.001)
        return proc, time.monotonic() - t

    logger, _ = start()
    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    opens = []
    for _ in range(count):
        time.sleep(3.0)
        logger.send_signal(signal.SIGTERM)  # a student stops the logger and runs it again
        logger.wait(30)
        logger, took = start()
        opens.append(took)
    time.sleep(3.0)
    stop.set()
    feeder.join()
    time.sleep(1.0)
    logger.send_signal(signal.SIGTERM)
    logger.wait(30)
    port.close()
    logged = set()
    for path in sorted(out.glob("20*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            logged |= {(r["node_id"], int(r["seq"])) for r in csv.DictReader(f)}
    lost = len(set(sent) - logged)
    return {"open_s": statistics.median(opens), "open_max_s": max(opens), "sent": len(sent),
            "lost": lost, "lost_per_restart": lost / count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boxes", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=3600.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--restarts", type=int, default=5)
    parser.add_argument("--restart-boxes", type=int, default=30,
                        help="boxes sending one line a second each during the restarts")
    parser.add_argument("--skip-throughput", action="store_true",
                        help="only the start-up and restart figures")
    parser.add_argument("--period", type=float, default=2.0,
                        help="report period of each box (2 s = one line a second per box; "
                             "the firmware's default is 10 s)")
    args = parser.parse_args()
    if not args.skip_throughput:
        throughput(args)
    py = sys.executable
    floor = command_time([py, "-c", "pass"])
    pandas = command_time([py, "-c", "import pandas"])
    helped = command_time([py, "-m", "sensorlab.cli", "log", "--help"])
    print(f"{'start-up':>22s} {'wall':>7s} {'CPU':>7s} {'x python':>9s}")
    for label, (wall, cpu) in (("python -c pass", floor), ("import pandas", pandas),
                               ("sensorlab log --help", helped)):
        print(f"{label:>22s} {wall:6.3f}s {cpu:6.3f}s {cpu / floor[1]:9.1f}")
    r = restarts(args.restart_boxes, args.restarts)
    print(f"restart to port open: median {r['open_s']:.3f} s, worst {r['open_max_s']:.3f} s "
          f"over {args.restarts} restarts (target 0.5 s)")
    print(f"lines lost in a restart at 1 line/s per box ({args.restart_boxes} boxes): "
          f"{r['lost_per_restart']:.1f} per restart ({r['lost']} of {r['sent']} sent)")


def throughput(args) -> None:
    """The throughput and memory table."""
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
