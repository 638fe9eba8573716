"""Capacity of a school server: memory and start time of each student's server, measured.

Starts a real JupyterHub (``deploy/hub/jupyterhub_config.py``, the harness of
tests/test_hub.py) with N student OS users, starts their servers through the hub's REST API
(all at once, like a class logging in), then in each server a kernel that imports the lesson
stack (pandas, matplotlib, sensorlab) and then runs the heaviest lesson (``--lesson``, by
default 03.5 the city explorer, the heaviest in ``benchmarks/bench_lessons.py``) cell by cell,
in every student's kernel at once, as a class does. Prints, per student: server start time,
kernel start + imports time, and the memory of all the student's processes (server + kernel):
RSS, and PSS (shared libraries split between the processes that map them, the honest figure
for many users on one machine), with the kernel idle, with the lesson stack, and at the end of
the lesson with its data still loaded. Then what that means for a class on a 16 GB and a 32 GB
server (one and two lesson notebooks open per student), the per-student limit that holds two
notebooks, and 200 students on Kubernetes.

Run as root (it creates and removes OS users):

    .venv/bin/python benchmarks/bench_hub.py --students 10
"""

from __future__ import annotations

import argparse
import pwd
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hub"))
import harness  # noqa: E402

LESSON_STACK = """
import time
t0 = time.monotonic()
import pandas, matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
import sensorlab
from sensorlab.datasets import load_city
fig, ax = plt.subplots()
print(round(time.monotonic() - t0, 2))
"""
HEAVIEST = "03-exploring-the-city/05-city-explorer.ipynb"
SYSTEM_GB = 2.0  # the OS, the hub, the proxy and the teacher's course service


def user_memory(name: str) -> tuple[float, float]:
    """(RSS, PSS) in MB of every process of OS user ``name``."""
    uid = pwd.getpwnam(name).pw_uid
    rss = pss = 0
    for proc in psutil.process_iter(["uids"]):
        try:
            if proc.info["uids"].real != uid:
                continue
            full = proc.memory_full_info()
            rss += full.rss
            pss += getattr(full, "pss", full.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return rss / 2**20, pss / 2**20


def user_peak(name: str) -> float:
    """Sum in MB of the peak resident memory (``VmHWM``) of every process of OS user ``name``."""
    total = 0
    for pid in harness.user_pids(name):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    return total / 1024


def one_student(hub: harness.Hub, name: str, lesson: str, everyone_ready: threading.Barrier) -> dict:
    start = hub.start_server(name)
    server = hub.session(name)
    t0 = time.monotonic()
    with server.kernel() as kernel:
        imports = float(kernel.run(LESSON_STACK).strip().splitlines()[-1])
        ready = time.monotonic() - t0
        rss, pss = user_memory(name)
        kernel.run(f"import os; os.chdir(os.path.expanduser('~/sensor-lab/lessons/{Path(lesson).parent}'))")
        everyone_ready.wait()  # the whole class runs the lesson at the same time
        t1 = time.monotonic()
        for cell in harness.code_cells(harness.REPO / "lessons" / lesson):
            kernel.run(cell)
        lesson_s = time.monotonic() - t1
        lesson_rss, lesson_pss = user_memory(name)
        lesson_peak = user_peak(name)
        everyone_ready.wait()  # measured while every student's lesson is still loaded
    idle_rss, idle_pss = user_memory(name)  # kernel shut down: the bare server
    return {"name": name, "start": start, "kernel": ready, "imports": imports, "lesson_s": lesson_s,
            "rss": rss, "pss": pss, "idle_rss": idle_rss, "idle_pss": idle_pss,
            "lesson_rss": lesson_rss, "lesson_pss": lesson_pss, "lesson_peak": lesson_peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--lesson", default=HEAVIEST, help="notebook under lessons/ to run in every kernel")
    args = parser.parse_args(argv)
    error = harness.npm_ci()
    if error:
        sys.exit(error)
    names = [f"sslbench{i}" for i in range(1, args.students + 1)]
    before = psutil.virtual_memory()
    barrier = threading.Barrier(len(names))
    with harness.Hub(["sslbenchteach"], names) as hub:
        hub_rss = psutil.Process(hub.proc.pid).memory_info().rss / 2**20
        with ThreadPoolExecutor(len(names)) as pool:
            rows = list(pool.map(lambda n: one_student(hub, n, args.lesson, barrier), names))
        service_rss, _ = user_memory("sslbenchteach")
    print(f"machine: {psutil.cpu_count()} CPUs, {before.total / 2**30:.1f} GB RAM, "
          f"load average {', '.join(f'{x:.1f}' for x in psutil.getloadavg())} at the end")
    print(f"hub process {hub_rss:.0f} MB RSS; course service (teacher) {service_rss:.0f} MB RSS")
    print(f"memory in MB of all the student's processes: bare server (idle), + a kernel with the "
          f"lesson stack imported (stack), + lesson {args.lesson} run to the end in that kernel, "
          f"all {len(rows)} students at once (lesson)")
    print(f"{'student':<11}{'start s':>8}{'kernel+stack s':>15}{'lesson s':>9}"
          f"{'idle RSS':>9}{'PSS':>6}{'stack RSS':>10}{'PSS':>6}{'lesson RSS':>11}{'PSS':>6}{'peak':>6}")
    for r in rows:
        print(f"{r['name']:<11}{r['start']:>8.1f}{r['kernel']:>15.1f}{r['lesson_s']:>9.1f}"
              f"{r['idle_rss']:>9.0f}{r['idle_pss']:>6.0f}{r['rss']:>10.0f}{r['pss']:>6.0f}"
              f"{r['lesson_rss']:>11.0f}{r['lesson_pss']:>6.0f}{r['lesson_peak']:>6.0f}")
    med = {k: statistics.median(r[k] for r in rows)
           for k in ("idle_rss", "idle_pss", "rss", "pss", "lesson_rss", "lesson_pss", "lesson_peak")}
    top = max(r["lesson_rss"] for r in rows)
    print(f"median per student: bare server RSS {med['idle_rss']:.0f} MB (PSS {med['idle_pss']:.0f}); "
          f"lesson stack RSS {med['rss']:.0f} (PSS {med['pss']:.0f}); heaviest lesson loaded RSS "
          f"{med['lesson_rss']:.0f} (PSS {med['lesson_pss']:.0f}), largest {top:.0f}; slowest start of "
          f"{len(rows)} at once {max(r['start'] for r in rows):.1f} s")
    # A second open notebook adds one more kernel: the student's total minus the bare server.
    kernel = med["lesson_rss"] - med["idle_rss"]
    one, two = med["lesson_rss"], med["lesson_rss"] + kernel
    # the limit must hold both kernels at their peak (VmHWM), not only where they settle
    peak_two = med["idle_rss"] + 2 * (med["lesson_peak"] - med["idle_rss"])
    limit = 256 * -(-(peak_two * 1.1) // 256)  # two notebooks at their peak + 10 %, in 256 MB steps
    print(f"per student: one heaviest notebook {one:.0f} MB (at its peak {med['lesson_peak']:.0f}), two {two:.0f} "
          f"MB (both at their peak {peak_two:.0f}) -> limit {limit:.0f} MB (two peaks + 10 %, in 256 MB steps)")
    pss_two = med["lesson_pss"] + med["lesson_pss"] - med["idle_pss"]
    for gb in (16, 32):
        print(f"{gb} GB server by PSS (shared libraries counted once): {int((gb - SYSTEM_GB) * 1024 // med['lesson_pss'])} "
              f"students with the heaviest lesson open, {int((gb - SYSTEM_GB) * 1024 // pss_two)} with two each")
    for gb in (16, 32):
        fit_one = int((gb - SYSTEM_GB) * 1024 // one)
        fit_two = int((gb - SYSTEM_GB) * 1024 // two)
        print(f"{gb} GB server ({SYSTEM_GB:.0f} GB for the system): {fit_one} students with the heaviest "
              f"lesson open, {fit_two} with two such notebooks each (RSS, shared pages counted per student)")
    print(f"30 students: {30 * one / 1024 + SYSTEM_GB:.1f} GB with one heaviest notebook each, "
          f"{30 * two / 1024 + SYSTEM_GB:.1f} GB with two")
    guarantee = max(512, 128 * -(-one // 128))
    print(f"200 students on Kubernetes (no sharing between pods): {200 * one / 1024:.0f} GB in use with the "
          f"heaviest lesson each; memory guarantee {guarantee:.0f} MB/pod -> {200 * guarantee / 1024:.0f} GB "
          f"requested, e.g. {-(-200 * guarantee // (26 * 1024)):.0f} nodes of 32 GB (about 26 GB allocatable "
          f"each); limit {limit:.0f} MB/pod")
    return 0


if __name__ == "__main__":
    sys.exit(main())
