"""One huge message from a student's kernel is dropped before the grader reads it into memory.

The output cap (``Limits.output_kb``) and the export cap (``Limits.export_mb``) apply to a message
the grading worker has already received and decoded: a kernel that displays one 300 MB text
made each worker hold about a gigabyte (the frame, the decoded text, its re-encoding), beyond
any limit of the student's own. The worker's sockets refuse such a message outright.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HUGE_MB = 300

SCRIPT = r"""
import json, resource, sys, tempfile
from pathlib import Path
import nbformat
sys.path[:0] = [{hostile!r}, {repo!r}]  # the hostile corpus; tools/ (repository tooling)
import corpus
from sensorlab.grading import course
from tools import grading_proof as proof
from sensorlab.grading.autograde import autograde
A = corpus.ASSIGNMENT
sys.path.insert(0, {tests!r})
import _grading_proofs as proofs
generated = proofs.generated_course(Path({base!r}) / "course", A)
root, source, good = generated.root, generated.source, generated.good
nb = nbformat.from_dict(good)
nb.cells.insert(1, nbformat.v4.new_code_cell(
    "from IPython.display import display\ndisplay({{'text/plain': 'x' * ({mb} * 2**20)}}, raw=True)"))
proof.place_submission(root, A, "huge", nb)
proof.place_submission(root, A, "right", good)
outcomes = autograde(root, A, jobs=2, progress=False)
print(json.dumps({{"worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "scores": proof.read_scores(root, A), "full": proof.autograded_tests(source),
                  "graded": {{s: o.graded for s, o in outcomes.items()}}}}))
"""


@pytest.mark.slow
def test_one_huge_message_never_reaches_the_grading_worker(tmp_path):
    script = SCRIPT.format(hostile=str(Path(__file__).parent / "hostile"), tests=str(Path(__file__).parent), repo=str(Path(__file__).resolve().parents[1]),
                           base=str(tmp_path), mb=HUGE_MB)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    said = json.loads(done.stdout.strip().splitlines()[-1])
    full = said["full"]
    for student in ("right", "huge"):  # the huge display costs nothing; the answers still count
        assert {t: said["scores"][student][t] for t in full} == full, said["scores"]
        assert said["graded"][student]
    # a worker holds nbgrader and one notebook (about 200 MB); the message alone is 300 MB
    assert said["worker_mb"] < HUGE_MB, f"a grading worker held {said['worker_mb']:.0f} MB"
