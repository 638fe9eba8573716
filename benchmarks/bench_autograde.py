"""Autograde 40 generated submissions serially (plain nbgrader) and in parallel (ours).

    .venv/bin/python benchmarks/bench_autograde.py [--n 40] [--jobs 2]

Both runs grade the same submissions of 01-sensor-box in separate temporary copies of the
course, in one process: serial is nbgrader's own ``Autograde`` over every student (what
``nbgrader autograde 01-sensor-box`` does, minus its 3 s start-up); parallel is
``sensorlab.grading.autograde`` with ``--jobs`` workers, its sandbox (printed: which
protections were on) and its pre-imported kernel fork server. Prints both wall times, the
ratio, and whether every grade is identical.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "hostile"), str(REPO)]  # the hostile corpus; tools/
import corpus  # noqa: E402  (builds good notebooks and answers from the course's own files)

from sensorlab.grading import course  # noqa: E402
from sensorlab.grading.autograde import autograde  # noqa: E402
from sensorlab.grading.sandbox import Limits, protections  # noqa: E402
from tools import grading_proof as proof  # noqa: E402

A = corpus.ASSIGNMENT
WRONG = {"xor_checksum": "def xor_checksum(body):\n    return format(sum(map(ord, body)) % 256, 'x')",
         "sds011_ugm3": "def sds011_ugm3(raw):\n    return raw // 10",
         "is_good_line": "def is_good_line(line):\n    return line.startswith('$')"}


def submissions(root: Path, n: int) -> dict:
    source = nbformat.read(str(root / "source" / A / f"{A}.ipynb"), as_version=4)
    release = nbformat.read(str(root / "release" / A / f"{A}.ipynb"), as_version=4)
    good = corpus.good_notebook(source, release)
    out = {}
    for i in range(n):
        nb = good
        if i % 5 == 1:
            cell = list(WRONG)[i % 3]
            nb = corpus._answer(good, cell, WRONG[cell])
        elif i % 10 == 4:
            nb = release
        out[f"s{i:03d}"] = nb
    return out


def prepare(base: Path, n: int) -> Path:
    root = course.copy_course(course.find_course(), base)
    course.check(course.api(root).generate_assignment(A), "generate")
    for student, nb in submissions(root, n).items():
        proof.place_submission(root, A, student, nb)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        serial_root, parallel_root = prepare(Path(tmp) / "serial", args.n), prepare(Path(tmp) / "parallel", args.n)
        api = course.api(serial_root, Execute__timeout=30)
        t0 = time.perf_counter()
        course.check(api.autograde(A, "*"), "serial autograde")
        serial = time.perf_counter() - t0
        t0 = time.perf_counter()
        outcomes = autograde(parallel_root, A, jobs=args.jobs, progress=False,
                             limits=Limits(cell_timeout_s=30, timeout_s=120))
        parallel = time.perf_counter() - t0
        serial_scores, parallel_scores = proof.read_scores(serial_root, A), proof.read_scores(parallel_root, A)
        # identical, and over every submission: two gradebooks missing the same students are not "identical grades"
        same = serial_scores == parallel_scores and len(serial_scores) == args.n
        totals = sorted({sum(s.values()) for s in serial_scores.values()})
    print(f"submissions: {args.n} ({A}), cores: {os.cpu_count()}, jobs: {args.jobs}")
    print(protections())
    print(f"serial nbgrader autograde (in-process): {serial:6.1f} s  ({serial / args.n:.2f} s each)")
    print(f"sensorlab grade autograde --jobs {args.jobs}:    {parallel:6.1f} s  ({parallel / args.n:.2f} s each)")
    print(f"speed-up: {serial / parallel:.2f}x   identical grades: {same}   "
          f"flagged: {sum(bool(o.flags) for o in outcomes.values())}   "
          f"graded: {len(serial_scores)} serial, {len(parallel_scores)} parallel, distinct totals {totals}")


if __name__ == "__main__":
    main()
