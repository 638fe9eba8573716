"""Time and peak memory of every lesson notebook, run top to bottom as CI runs it.

School PCs are slow and a class shares one server, so each notebook should stay under 30 s and
400 MB of kernel memory (the deployment guide's per-student limit is set from that), and the
whole set under 5 minutes run one after the other. The last line says whether every notebook
stayed under 400 MB; the script exits with status 1 when one did not (wall time depends on the
machine's load, so it is reported but does not fail the run). Each notebook runs in a fresh kernel (nbclient); peak memory
is the kernel process's peak resident set size (``VmHWM`` from /proc, Linux), which includes
Python, pandas and the data. Prints one line per notebook (wall time, the kernel's CPU time --
the figure to trust on a shared, busy machine -- and peak memory), then the serial totals.

Usage::

    python benchmarks/bench_lessons.py                      # every notebook in lessons/manifest.yml, EN and KO
    python benchmarks/bench_lessons.py lessons/03-exploring-the-city   # one module (or notebook paths)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# Run as a script, sys.path starts at benchmarks/: the lesson manifest reader is repository tooling in tools/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.lesson_manifest import LESSONS, load_manifest  # noqa: E402

LIMIT_S, LIMIT_MB, TOTAL_LIMIT_S = 30.0, 400.0, 300.0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process: unlike wall time, it barely changes on a busy machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(path: Path) -> tuple[float, float, float]:
    """Execute one notebook in a fresh kernel; return (wall s, kernel CPU s, kernel peak MB)."""
    nb = nbformat.read(path, as_version=4)
    peak = {"mb": float("nan"), "pid": None, "cpu": float("nan")}

    def started(**_):
        peak["pid"] = client.km.provisioner.process.pid

    def measured(**_):  # VmHWM only grows, so reading it after every cell gives the peak
        peak["mb"] = _peak_rss_mb(peak["pid"])
        peak["cpu"] = _cpu_seconds(peak["pid"])

    client = NotebookClient(nb, timeout=300, kernel_name="python3", on_notebook_start=started,
                            on_cell_executed=measured, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start, peak["cpu"], peak["mb"]


def notebooks(args: list[str]) -> list[Path]:
    if not args:  # both editions: a Korean class runs the .ko notebooks
        english = [lesson.path for module in load_manifest() for lesson in module.lessons]
        korean = [p.with_name(p.name.replace(".ipynb", ".ko.ipynb")) for p in english]
        return english + [p for p in korean if p.exists()]
    paths = []
    for arg in map(Path, args):
        paths += sorted(arg.glob("[0-9][0-9]-*.ipynb")) if arg.is_dir() else [arg]
    return [p for p in paths if not p.name.endswith(".ko.ipynb")] + [p for p in paths if p.name.endswith(".ko.ipynb")]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="module folders or notebooks (default: every lesson)")
    args = parser.parse_args(argv)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        parser.error(f"no such notebook or folder: {', '.join(missing)}")
    paths = notebooks(args.paths)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          "(wall time grows with load; kernel CPU time hardly does)")
    print(f"{'notebook':62} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}  (limits {LIMIT_S:.0f} s, {LIMIT_MB:.0f} MB)")
    total, total_cpu, over, peaks = 0.0, 0.0, [], {}
    for path in paths:
        seconds, cpu, peak = run(path)
        total += seconds
        total_cpu += cpu
        flag = "" if seconds <= LIMIT_S and peak <= LIMIT_MB else "  OVER (wall)" if peak <= LIMIT_MB else "  OVER"
        name = str(path.resolve().relative_to(LESSONS.parent)) if path.resolve().is_relative_to(LESSONS.parent) else str(path)
        peaks[name] = peak
        if not peak <= LIMIT_MB:  # NaN (no reading) counts as over
            over.append(name)
        print(f"{name:62} {seconds:7.1f} {cpu:6.1f} {peak:8.0f}{flag}", flush=True)
    print(f"{'serial total (' + str(len(paths)) + ' notebooks)':62} {total:7.1f} {total_cpu:6.1f}          "
          f"(limit {TOTAL_LIMIT_S:.0f} s){'  OVER' if total > TOTAL_LIMIT_S else ''}")
    heaviest = max(peaks, key=peaks.get)
    verdict = (f"every notebook under {LIMIT_MB:.0f} MB" if not over
               else f"FAIL: {len(over)} over {LIMIT_MB:.0f} MB: {', '.join(over)}")
    print(f"peak kernel memory: heaviest {heaviest} {peaks[heaviest]:.0f} MB; {verdict}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
