"""Benchmark of the synthetic city: make_city for one year, load_city, and peak memory.

Run from the repository root: ``.venv/bin/python benchmarks/bench_city.py``. Prints figures
(targets from the issue: make_city < 10 s, load_city < 1 s, memory < 1.5 GB); it asserts
nothing, because timings depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import tracemalloc


def cold_load_seconds() -> float:
    """load_city in a fresh interpreter (imports pandas first, as a notebook would)."""
    code = ("import time, pandas, numpy; import sensorlab.datasets as d; t = time.perf_counter(); "
            "d.load_city(); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    from sensorlab.datasets import load_city, make_city

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} - figures above the core count mean a busy machine")
    load_city()  # warm imports and file cache
    t, cpu = time.perf_counter(), time.process_time()
    city = load_city()
    warm_load, warm_cpu = time.perf_counter() - t, time.process_time() - cpu
    print(f"load_city (warm)      {warm_load:6.2f} s wall, {warm_cpu:5.2f} s CPU   target < 1 s   "
          f"({len(city.readings):,} rows)")
    print(f"load_city (cold proc) {cold_load_seconds():6.2f} s")

    t, cpu = time.perf_counter(), time.process_time()
    make_city(seed=2, start="2024-01-01", end="2024-12-31", freq="1h", street_per_district=4)
    print(f"make_city (1 year, hourly, 25 reference + 100 street) {time.perf_counter() - t:6.2f} s wall, "
          f"{time.process_time() - cpu:5.2f} s CPU   target < 10 s")
    # Memory on a separate run: tracemalloc slows allocation-heavy code many times over.
    tracemalloc.start()
    make_city(seed=1, start="2024-01-01", end="2024-12-31", freq="1h", street_per_district=4)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"make_city peak traced memory {peak / 1e9:5.2f} GB   target < 1.5 GB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux
    print(f"process peak RSS           {rss:5.2f} GB")


if __name__ == "__main__":
    main()
