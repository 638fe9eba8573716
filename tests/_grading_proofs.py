"""The slow proof that an assignment grades correctly, shared by the test_grading_assignments_* files.

Proving an assignment runs real nbgrader on its source, its blank release and every wrong answer
(one to three minutes each). The suite runs with ``pytest -n auto --dist loadfile``, which keeps
one file's tests on one worker, so the proofs are spread over ``PARTS`` files
(``test_grading_assignments_a.py``, ``_b.py``, ``_c.py``): part *k* proves the assignments whose
position in the sorted list is *k* modulo ``PARTS``, so an assignment added later is proved
without editing any test file. The test files import it by name (tests/conftest.py puts tests/ on the path).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from sensorlab.grading import course
from tools import grading_proof as proof

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import attacks  # noqa: E402
import corpus  # noqa: E402 - tests/hostile is not a package

ROOT = course.find_course()
ASSIGNMENTS = course.assignments(ROOT)
#: How many test files share the proofs (one per letter: _a, _b, ...).
PARTS = 3


@dataclass
class Course:
    """A course folder with one assignment generated: where most grading tests start."""

    root: Path
    api: object  #: nbgrader's API on ``root``
    assignment: str
    source: nbformat.NotebookNode  #: the teacher's notebook (model answers, hidden tests)
    release: nbformat.NotebookNode  #: the blank student version nbgrader generated
    good: nbformat.NotebookNode  #: the release answered right (tests/hostile/corpus.py)


def generate(root: Path, assignment: str = corpus.ASSIGNMENT, **overrides) -> Course:
    """Generate ``assignment`` in the course at ``root`` (nbgrader ``overrides`` as in :func:`course.api`)."""
    root = Path(root)
    api = course.api(root, **overrides)
    course.check(api.generate_assignment(assignment), "generate")
    source = nbformat.read(str(root / "source" / assignment / f"{assignment}.ipynb"), as_version=4)
    release = nbformat.read(str(root / "release" / assignment / f"{assignment}.ipynb"), as_version=4)
    return Course(root, api, assignment, source, release, corpus.good_notebook(source, release))


def generated_course(folder: Path, assignment: str = corpus.ASSIGNMENT, origin: Path | None = None,
                     **overrides) -> Course:
    """A copy of the course (``origin``, else the repository's) in ``folder``, ``assignment`` generated."""
    return generate(course.copy_course(origin or ROOT, folder), assignment, **overrides)


def share(part: int) -> list[str]:
    """The assignments proved by test file number ``part`` (0 for _a, 1 for _b, ...)."""
    return [a for i, a in enumerate(ASSIGNMENTS) if i % PARTS == part]


def is_autograded(assignment) -> bool:
    nb = nbformat.read(str(ROOT / "source" / assignment / f"{assignment}.ipynb"), as_version=4)
    return bool(proof.autograded_tests(nb))


def check_source_full_marks_release_zero_wrong_answers_lose(assignment, workdir) -> None:
    """Source full marks, blank release zero, every wrong answer loses the points it names, attacks earn nothing."""
    if not is_autograded(assignment):
        pytest.skip(f"{assignment} is graded by hand (rubric only)")
    entries = proof.wrong_answers(ROOT, assignment)
    assert len(entries) >= 3, f"{assignment}: needs at least three plausible wrong answers"
    result = proof.prove(ROOT, assignment, workdir, extra=attacks.attacks)
    assert result.full > 0
    key = result.scores[proof.SOLUTION_STUDENT]
    assert {g: key[g] for g in result.max_auto} == result.max_auto, "source must score full marks"
    blank = result.scores[proof.BLANK_STUDENT]
    assert all(blank[g] == 0 for g in result.max_auto), "the student version must score zero"
    for entry in result.wrong:
        got = result.scores[entry["student"]]
        assert result.auto_total(entry["student"]) < result.full, entry["name"]
        for test_id in entry["loses"]:
            assert got[test_id] < result.max_auto[test_id], f"{entry['name']}: {test_id} kept full points"
    check_attacks_earn_nothing(result)


def check_attacks_earn_nothing(result) -> None:
    """Every attack of tests/hostile/attacks.py scores 0, or no more than its honest wrong answer."""
    for name in attacks.ZERO:
        got = result.scores[result.extra[name]]
        assert {g: got[g] for g in result.max_auto} == dict.fromkeys(result.max_auto, 0.0), name
    for name, honest in attacks.NO_GAIN.items():
        got, base = result.scores[result.extra[name]], result.scores[result.extra[honest]]
        assert all(got[g] <= base[g] for g in result.max_auto), (name, got, base)
        assert result.auto_total(result.extra[honest]) < result.full, f"{honest} should be wrong"
