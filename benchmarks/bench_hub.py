"""Capacity of a school server: memory and start time of each student's server, measured.

Starts a real JupyterHub (``deploy/hub/jupyterhub_config.py``, the harness of
tests/test_hub.py) with N student OS users, starts their servers through the hub's REST API
(all at once, like a class logging in), then in each server a kernel that imports the lesson
stack (pandas, matplotlib, sensorlab) and loads the bundled synthetic city. Prints, per
student: server start time, kernel start + imports time, and the memory of all the student's
processes (server + kernel): RSS, and PSS (shared libraries split between the processes that
map them, the honest figure for many users on one machine). Then what that means for 30
students on a 16 GB server and 200 on Kubernetes.

Run as root (it creates and removes OS users):

    .venv/bin/python benchmarks/bench_hub.py --students 5
"""

from __future__ import annotations

import argparse
import pwd
import statistics
import sys
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
# the whole bundled synthetic city (about 1.1 million rows): what lessons 03-06 load
CITY = """
city = load_city()
city.readings.groupby("site_id")["pm25"].mean().head(10).plot.bar(ax=ax)
print(len(city.readings))
"""


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


def one_student(hub: harness.Hub, name: str) -> dict:
    start = hub.start_server(name)
    server = hub.session(name)
    t0 = time.monotonic()
    with server.kernel() as kernel:
        imports = float(kernel.run(LESSON_STACK).strip().splitlines()[-1])
        ready = time.monotonic() - t0
        rss, pss = user_memory(name)
        kernel.run(CITY)
        city_rss, city_pss = user_memory(name)
    idle_rss, idle_pss = user_memory(name)  # kernel shut down: the bare server
    return {"name": name, "start": start, "kernel": ready, "imports": imports,
            "rss": rss, "pss": pss, "idle_rss": idle_rss, "idle_pss": idle_pss,
            "city_rss": city_rss, "city_pss": city_pss}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=5)
    args = parser.parse_args(argv)
    error = harness.npm_ci()
    if error:
        sys.exit(error)
    names = [f"sslbench{i}" for i in range(1, args.students + 1)]
    before = psutil.virtual_memory()
    with harness.Hub(["sslbenchteach"], names) as hub:
        hub_rss = psutil.Process(hub.proc.pid).memory_info().rss / 2**20
        with ThreadPoolExecutor(len(names)) as pool:
            rows = list(pool.map(lambda n: one_student(hub, n), names))
        service_rss, _ = user_memory("sslbenchteach")
    print(f"machine: {psutil.cpu_count()} CPUs, {before.total / 2**30:.1f} GB RAM, "
          f"load average {', '.join(f'{x:.1f}' for x in psutil.getloadavg())} at the end")
    print(f"hub process {hub_rss:.0f} MB RSS; course service (teacher) {service_rss:.0f} MB RSS")
    print("memory in MB of all the student's processes: bare server (idle), + a kernel with the "
          "lesson stack imported (stack), + the whole synthetic city loaded (city)")
    print(f"{'student':<11}{'start s':>8}{'kernel+stack s':>15}{'imports s':>10}"
          f"{'idle RSS':>9}{'PSS':>6}{'stack RSS':>10}{'PSS':>6}{'city RSS':>9}{'PSS':>6}")
    for r in rows:
        print(f"{r['name']:<11}{r['start']:>8.1f}{r['kernel']:>15.1f}{r['imports']:>10.1f}"
              f"{r['idle_rss']:>9.0f}{r['idle_pss']:>6.0f}{r['rss']:>10.0f}{r['pss']:>6.0f}"
              f"{r['city_rss']:>9.0f}{r['city_pss']:>6.0f}")
    rss = statistics.median(r["rss"] for r in rows)
    pss = statistics.median(r["pss"] for r in rows)
    idle = statistics.median(r["idle_rss"] for r in rows)
    start = max(r["start"] for r in rows)
    city = statistics.median(r["city_rss"] for r in rows)
    print(f"median per student: bare server RSS {idle:.0f} MB; with a lesson kernel RSS {rss:.0f} MB "
          f"(PSS {pss:.0f}); with the whole city loaded RSS {city:.0f} MB; slowest start of "
          f"{len(rows)} at once {start:.1f} s")
    for label, per in (("lesson kernel", rss), ("whole city loaded", city)):
        need = 30 * per / 1024 + 2
        print(f"30 students, {label}: {30 * per / 1024:.1f} GB + 2 GB system = {need:.1f} GB "
              f"-> {'fits' if need <= 16 else 'does NOT fit'} in 16 GB")
    # 30 students with one kernel each, RSS (pessimistic: shared pages counted per student)
    # plus 2 GB for the OS, the hub, the proxy and the teacher's course service
    print(f"30 students with two lesson notebooks open each: {30 * (2 * rss - idle) / 1024 + 2:.1f} GB")
    # Kubernetes: each pod pays its own RSS (no sharing across pods)
    guarantee = max(512, 128 * round(rss * 1.5 / 128))
    print(f"200 students on Kubernetes: {200 * rss / 1024:.0f} GB in use at one lesson kernel each, "
          f"{200 * city / 1024:.0f} GB with the whole city; "
          f"memory guarantee {guarantee} MB/pod -> {200 * guarantee / 1024:.0f} GB of node memory "
          f"requested, e.g. {-(-200 * guarantee // (26 * 1024)):.0f} nodes of 32 GB "
          f"(about 26 GB allocatable each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
