"""Time and peak memory of every lesson notebook, run top to bottom as CI runs it.

School PCs are slow, so each notebook should stay under 30 s and 1.5 GB, and the whole set under
5 minutes run one after the other. Each notebook runs in a fresh kernel (nbclient); peak memory
is the kernel process's peak resident set size (``VmHWM`` from /proc, Linux), which includes
Python, pandas and the data. Prints one line per notebook, then the serial total.

Usage::

    python benchmarks/bench_lessons.py                      # every notebook in lessons/manifest.yml
    python benchmarks/bench_lessons.py lessons/03-exploring-the-city   # one module (or notebook paths)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from sensorlab.lessons import LESSONS, load_manifest

LIMIT_S, LIMIT_MB, TOTAL_LIMIT_S = 30.0, 1536.0, 300.0


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(path: Path) -> tuple[float, float]:
    """Execute one notebook in a fresh kernel; return (seconds, peak MB of the kernel)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    peak = float("nan")
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        peak = _peak_rss_mb(pid)
    return time.perf_counter() - start, peak


def notebooks(args: list[str]) -> list[Path]:
    if not args:
        return [lesson.path for module in load_manifest() for lesson in module.lessons]
    paths = []
    for arg in map(Path, args):
        paths += sorted(arg.glob("[0-9][0-9]-*.ipynb")) if arg.is_dir() else [arg]
    return [p for p in paths if not p.name.endswith(".ko.ipynb")] + [p for p in paths if p.name.endswith(".ko.ipynb")]


def main(argv: list[str]) -> int:
    paths = notebooks(argv)
    print(f"{'notebook':62} {'time s':>7} {'peak MB':>8}  (limits {LIMIT_S:.0f} s, {LIMIT_MB:.0f} MB)")
    total, over = 0.0, []
    for path in paths:
        seconds, peak = run(path)
        total += seconds
        flag = "" if seconds <= LIMIT_S and peak <= LIMIT_MB else "  OVER"
        if flag:
            over.append(path)
        name = str(path.resolve().relative_to(LESSONS.parent)) if path.resolve().is_relative_to(LESSONS.parent) else str(path)
        print(f"{name:62} {seconds:7.1f} {peak:8.0f}{flag}", flush=True)
    print(f"{'serial total (' + str(len(paths)) + ' notebooks)':62} {total:7.1f}          "
          f"(limit {TOTAL_LIMIT_S:.0f} s){'  OVER' if total > TOTAL_LIMIT_S else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
