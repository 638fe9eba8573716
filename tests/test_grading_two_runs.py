"""Two classes graded at once on one machine do not disturb each other.

Two ``sensorlab grade autograde`` processes (two courses, as two teachers on one server or two
``make test`` runs) start together. Both must finish with the right grades, and while both run
each must hold its own scratch folder with its own kernel fork server socket, its own cgroups
and (as root) its own block of sandbox uids.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from sensorlab.grading import course
from sensorlab.grading.autograde import SLOT_BLOCK, SLOT_UID
from sensorlab.grading.sandbox import bwrap_works, is_root
from tools import grading_proof as proof

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import corpus  # noqa: E402

A = corpus.ASSIGNMENT
VENV = Path(sys.executable).parent
WRONG = "def sds011_ugm3(raw):\n    return raw // 10"


def _course(base: Path) -> Path:
    root = course.copy_course(course.find_course(), base / "grader")
    course.check(course.api(root).generate_assignment(A), "generate")
    source = nbformat.read(str(root / "source" / A / f"{A}.ipynb"), as_version=4)
    release = nbformat.read(str(root / "release" / A / f"{A}.ipynb"), as_version=4)
    good = corpus.good_notebook(source, release)
    for student in ("right1", "right2"):
        proof.place_submission(root, A, student, good)
    proof.place_submission(root, A, "slip", corpus._answer(good, "sds011_ugm3", WRONG))
    return root


def _sandbox_uids() -> set[int]:
    uids = set()
    for status in glob.glob("/proc/[0-9]*/status"):
        try:
            uid = int(next(line for line in open(status) if line.startswith("Uid:")).split()[1])
        except (OSError, StopIteration, ValueError):
            continue
        if SLOT_UID <= uid < SLOT_UID + 64 * SLOT_BLOCK:
            uids.add(uid)
    return uids


def _scratch_folders() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "sensorlab-grade-*")))


@pytest.mark.slow
def test_two_classes_graded_at_once_both_get_the_right_grades_and_nothing_is_shared(tmp_path):
    roots = [_course(tmp_path / name) for name in ("class-a", "class-b")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSORLAB_")}
    env.update(HOME=str(tmp_path), SENSORLAB_LANG="en")
    before = _scratch_folders()
    runs = [subprocess.Popen([str(VENV / "sensorlab"), "grade", "autograde", A, "--jobs", "2", "--course", str(root)],
                             cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for root in roots]
    together, sockets, blocks = set(), set(), set()
    deadline = time.monotonic() + 900
    while any(r.poll() is None for r in runs) and time.monotonic() < deadline:
        mine = _scratch_folders() - before
        if len(mine) >= 2 and all(r.poll() is None for r in runs):
            together |= mine
        sockets |= {s for folder in mine for s in glob.glob(os.path.join(folder, "zygote.sock"))}
        blocks |= {(uid - SLOT_UID) // SLOT_BLOCK for uid in _sandbox_uids()}
        time.sleep(0.05)  # sampling what is running, not waiting for it
    outs = [r.communicate(timeout=60) for r in runs]
    for run, (out, err) in zip(runs, outs):
        assert run.returncode == 0, f"exit {run.returncode}:\n{out}\n{err}"
        assert "Traceback" not in err
    source = nbformat.read(str(roots[0] / "source" / A / f"{A}.ipynb"), as_version=4)
    full = proof.autograded_tests(source)
    for root in roots:
        scores = {s: {t: got[t] for t in full} for s, got in proof.read_scores(root, A).items()}
        assert scores["right1"] == scores["right2"] == full
        assert scores["slip"]["test_sds011_ugm3"] == 0 and sum(scores["slip"].values()) < sum(full.values())
    assert len(together) >= 2, "the two grading runs never held scratch folders at the same time"
    if bwrap_works() and is_root():
        assert len(sockets) >= 2, "each run has a kernel fork server of its own"
        assert len(blocks) >= 2, f"sandbox uids of both runs came from one block: {blocks}"
