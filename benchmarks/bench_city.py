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
    load_city()  # warm imports and file cache
    t = time.perf_counter()
    city = load_city()
    warm_load = time.perf_counter() - t
    print(f"load_city (warm)      {warm_load:6.2f} s   target < 1 s   ({len(city.readings):,} rows)")
    print(f"load_city (cold proc) {cold_load_seconds():6.2f} s")

    tracemalloc.start()
    t = time.perf_counter()
    city = make_city(seed=1, start="2024-01-01", end="2024-12-31", freq="1h", street_per_district=4)
    made = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"make_city (1 year, hourly, 25 reference + 100 street) {made:6.2f} s   target < 10 s "
          "(under tracemalloc, which slows it)")
    t = time.perf_counter()
    make_city(seed=2, start="2024-01-01", end="2024-12-31", freq="1h", street_per_district=4)
    print(f"make_city without tracing                            {time.perf_counter() - t:6.2f} s")
    print(f"make_city peak traced memory {peak / 1e9:5.2f} GB   target < 1.5 GB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux
    print(f"process peak RSS           {rss:5.2f} GB")


if __name__ == "__main__":
    main()
