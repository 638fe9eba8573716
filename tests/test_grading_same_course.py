"""Two ``sensorlab grade autograde`` on the SAME course at once: one grades, the other refuses.

Two runs on one course would both replace ``autograded/<student>/`` (one deleting what the other
is copying), both read-modify-write ``grading-flags.json`` (one run's flags lost) and both write
the gradebook. A teacher who starts the command twice (two terminals, a double click in a
scheduler) must get one run that grades and one clear sentence saying why the other did not.
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

from tools import grading_proof as proof

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import corpus  # noqa: E402
import _grading_proofs as proofs  # noqa: E402

A = corpus.ASSIGNMENT
VENV = Path(sys.executable).parent


def _scratch_folders() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "sensorlab-grade-*")))


def _class(tmp_path: Path, right: list[str], slow: str, seconds: int):
    """A course with right answers from ``right`` and one student whose notebook sleeps ``seconds``;
    returns it, its source notebook, and the environment and command of an autograde run."""
    generated = proofs.generated_course(tmp_path / "grader", A)
    root, source, good = generated.root, generated.source, generated.good
    sleeper = nbformat.from_dict(good)
    sleeper.cells.insert(1, nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})"))
    for student in right:
        proof.place_submission(root, A, student, good)
    proof.place_submission(root, A, slow, sleeper)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSORLAB_")}
    env.update(HOME=str(tmp_path), SENSORLAB_LANG="en")
    return root, source, env, [str(VENV / "sensorlab"), "grade", "autograde", A, "--jobs", "2", "--course", str(root)]


def _running_cell(source: str) -> bool:
    """Whether a grading worker's kernel is running the cell ``source`` now (its progress file)."""
    for folder in (tempfile.gettempdir(), "/var/tmp", "/dev/shm"):
        for path in glob.glob(os.path.join(folder, "sensorlab-grade-*", "s-*", "private", "progress.json")):
            try:
                if source in Path(path).read_text(encoding="utf-8"):
                    return True
            except OSError:
                pass
    return False


@pytest.mark.slow
def test_second_autograde_of_the_same_course_refuses_with_a_sentence(tmp_path):
    # a student whose notebook takes a while: the first run is still grading when the second starts
    root, source, env, cmd = _class(tmp_path, ["right"], "slow", seconds=20)
    before = _scratch_folders()
    first = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not (_scratch_folders() - before) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # sampling until the first run is grading, not waiting for a result
    assert first.poll() is None, "the first run ended before the second could start"
    second = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    out, err = first.communicate(timeout=900)
    runs = [(first.returncode, out, err), (second.returncode, second.stdout, second.stderr)]
    for _code, out, err in runs:
        assert "Traceback" not in out + err
    refused = [r for r in runs if r[0] != 0]
    assert len(refused) == 1, f"exactly one run must refuse: {runs}"
    code, out, err = refused[0]
    assert "is already grading this course" in out + err and str(root) in out + err, out + err
    graded = next(r for r in runs if r[0] == 0)
    assert "graded 2 submissions" in graded[1], graded
    full = proof.autograded_tests(source)
    scores = {s: {t: got[t] for t in full} for s, got in proof.read_scores(root, A).items()}
    assert scores == {"right": full, "slow": full}


@pytest.mark.slow
def test_grader_killed_between_two_recordings_leaves_the_gradebook_whole_and_a_rerun_finishes(tmp_path):
    import signal
    import sqlite3

    root, source, env, cmd = _class(tmp_path, ["a-right", "b-right"], "c-slow", seconds=30)  # running at the kill
    # output to files: a pipe's end would wait for every process that inherited it, not for the kill
    first = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=open(tmp_path / "first.out", "w"),
                             stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 600
    recorded = {}
    while first.poll() is None and time.monotonic() < deadline:
        try:
            recorded = proof.read_scores(root, A)
        except Exception:  # noqa: BLE001 - the gradebook is being written: look again
            recorded = {}
        if any(s.endswith("right") for s in recorded) and _running_cell("time.sleep(30)"):
            break
        time.sleep(0.1)  # sampling the gradebook until one grade is recorded
    assert first.poll() is None, "the run ended before it could be killed between two recordings"
    first.send_signal(signal.SIGKILL)  # the teacher's laptop lid, the OOM killer, a ^\
    first.wait(timeout=60)
    db = root / "gradebook.db"
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, f"exit {again.returncode}:\n{again.stdout}\n{again.stderr}"
    assert "Traceback" not in again.stdout + again.stderr
    assert "graded 3 submissions" in again.stdout
    full = proof.autograded_tests(source)
    scores = {s: {t: got[t] for t in full} for s, got in proof.read_scores(root, A).items()}
    assert scores == {"a-right": full, "b-right": full, "c-slow": full}
