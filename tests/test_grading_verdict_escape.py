"""A student cannot hand the grader's outside verdict code of their own to run.

The hidden tests are decided outside the sandbox (:mod:`sensorlab.grading.verdict`), from the
test source that :class:`~sensorlab.grading.outside.SplitHiddenTests` keeps in a cell's metadata
while the kernel runs. A student can type that same metadata key into an answer cell's JSON and
make the cell display one export for its own grade id: the grader would then run the student's
"test" outside the sandbox, as the grader (root, beside the course's gradebook).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from sensorlab.grading import course, verdict
from sensorlab.grading.autograde import autograde
from tools import grading_proof as proof

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import corpus  # noqa: E402 - tests/hostile is not a package

A = corpus.ASSIGNMENT


@pytest.mark.slow
def test_verdict_metadata_typed_into_an_answer_cell_runs_nothing_outside_the_sandbox(tmp_path):
    root = course.copy_course(course.find_course(), tmp_path / "course")
    course.check(course.api(root).generate_assignment(A), "generate")
    source = nbformat.read(str(root / "source" / A / f"{A}.ipynb"), as_version=4)
    release = nbformat.read(str(root / "release" / A / f"{A}.ipynb"), as_version=4)
    good = corpus.good_notebook(source, release)
    canary = tmp_path / "escaped.txt"  # outside the sandbox: the kernel cannot even see tmp_path
    nb = nbformat.from_dict(good)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sds011_ugm3")
    cell.source += ("\nfrom IPython.display import display\n"
                    f"display({{{verdict.EXPORT_MIME!r}: {{'grade_id': 'sds011_ugm3', 'values': {{}}}}}}, raw=True)\n")
    cell.metadata[verdict.META_KEY] = {
        "source": f"open({str(canary)!r}, 'w').write(open('/proc/self/status').read())", "names": []}
    proof.place_submission(root, A, "escape", nb)
    proof.place_submission(root, A, "right", good)
    outcomes = autograde(root, A, jobs=2, progress=False)
    assert not canary.exists(), "student code ran outside the sandbox:\n" + canary.read_text()[:400]
    full = proof.autograded_tests(source)
    scores = proof.read_scores(root, A)
    assert {t: scores["right"][t] for t in full} == full
    assert {t: scores["escape"][t] for t in full} == full  # its honest answers still count
    graded = nbformat.read(str(root / "autograded" / "escape" / A / f"{A}.ipynb"), as_version=4)
    assert not any(str(canary) in c.source for c in graded.cells)
    assert outcomes["escape"].graded
