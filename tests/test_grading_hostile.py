"""Hostile submissions are graded or flagged correctly, and no other student's grade changes.

One batch holds three ordinary students and every kind in tests/hostile/corpus.py; it is graded
by ``sensorlab.grading.autograde`` with two workers and small limits. The ordinary students are
also graded alone by plain nbgrader (serial, in-process): their grades must be identical.
"""

from __future__ import annotations

import importlib.util
import sys
import sqlite3
from pathlib import Path

import nbformat
import pytest

from sensorlab.grading import course
from sensorlab.grading.autograde import autograde, load_flags
from sensorlab.grading.sandbox import Limits, is_root
from tools import grading_proof as proof

_spec = importlib.util.spec_from_file_location("hostile_corpus", Path(__file__).parent / "hostile" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
sys.modules["hostile_corpus"] = corpus
_spec.loader.exec_module(corpus)
import _grading_proofs as proofs  # noqa: E402 - tests/ is on the path (conftest.py)
A = corpus.ASSIGNMENT
LIMITS = Limits(timeout_s=120, cell_timeout_s=8, memory_mb=1024, cpu_s=20, output_kb=256)


def _ordinary(source, release, good):
    return {"good": good, "blank": release,
            "one_wrong": corpus._answer(good, "sds011_ugm3", "def sds011_ugm3(raw):\n    return raw // 10")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    generated = proofs.generated_course(base / "course", A)
    root, source, release, good = generated.root, generated.source, generated.release, generated.good
    ordinary = _ordinary(source, release, good)
    # serial nbgrader, ordinary students only, in a separate copy: the reference grades
    reference_course = proofs.generated_course(base / "reference", A, origin=root)
    ref_root, ref_api = reference_course.root, reference_course.api
    for student, nb in ordinary.items():
        proof.place_submission(ref_root, A, student, nb)
        course.check(ref_api.autograde(A, student), f"autograde {student}")
    reference = proof.read_scores(ref_root, A)
    # the mixed batch
    for student, nb in ordinary.items():
        proof.place_submission(root, A, student, nb)
    ctx = {"secrets": [str(root / "source" / A / f"{A}.ipynb"), str(root / "gradebook.db"),
                       str(root / "submitted" / "good" / A / f"{A}.ipynb")],
           "writable": [str(root / "gradebook.db"), str(root / "submitted" / "good" / A / f"{A}.ipynb")]}
    for kind in corpus.KINDS:
        proof.place_submission(root, A, kind.name, kind.build(good, ctx))
    before = (root / "submitted" / "good" / A / f"{A}.ipynb").read_bytes()
    outcomes = autograde(root, A, jobs=2, limits=LIMITS, progress=False)
    return {"root": root, "outcomes": outcomes, "scores": proof.read_scores(root, A),
            "reference": reference, "max": proof.autograded_tests(source), "before": before}


def test_corpus_has_at_least_fifteen_kinds():
    assert len({k.name for k in corpus.KINDS}) >= 15


@pytest.mark.slow
def test_ordinary_students_grades_equal_serial_nbgrader(graded):
    ref, full = graded["reference"], graded["max"]
    assert {t: ref["good"][t] for t in full} == full and sum(ref["blank"].values()) == 0
    assert 0 < sum(ref["one_wrong"][t] for t in full) < sum(full.values())
    for student, scores in graded["reference"].items():
        assert graded["scores"][student] == scores, student
        assert not graded["outcomes"][student].flags, student


@pytest.mark.slow
@pytest.mark.parametrize("kind", corpus.KINDS, ids=lambda k: k.name)
def test_hostile_submission_graded_or_flagged(graded, kind):
    scores, outcome, full = graded["scores"][kind.name], graded["outcomes"][kind.name], graded["max"]
    assert kind.flags <= set(outcome.kinds), (kind.name, outcome.flags)
    stored = {f["kind"] for f in load_flags(graded["root"]).get(A, {}).get(kind.name, [])}
    assert kind.flags <= stored
    for test_id, points in full.items():
        if kind.zero or test_id in kind.loses:
            assert scores[test_id] == 0, (kind.name, test_id, outcome.flags)
        else:
            assert scores[test_id] == points, (kind.name, test_id, outcome.flags)


@pytest.mark.slow
def test_student_code_cannot_reach_course_files(graded):
    root = graded["root"]
    assert (root / "submitted" / "good" / A / f"{A}.ipynb").read_bytes() == graded["before"]
    with sqlite3.connect(root / "gradebook.db") as db:  # the gradebook is intact
        assert db.execute("select count(*) from submitted_assignment").fetchone()[0] == 3 + len(corpus.KINDS)
    nb = nbformat.read(str(root / "autograded" / "reads_outside" / A / f"{A}.ipynb"), as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sds011_ugm3")
    printed = "".join(o.get("text", "") for o in cell.outputs)
    if not is_root():
        pytest.skip("file hiding applies only where the grader runs as root (see grader/README.md)")
    assert printed.count("blocked: ") == 3 and "[]" in printed, printed[:500]


@pytest.mark.slow
def test_teacher_sees_ungradable_submissions_and_flags(graded, tmp_path):
    from sensorlab.grading.report import build_report

    root = graded["root"]
    note = (root / "autograded" / "corrupt_json" / A / f"{A}.ipynb").read_text(encoding="utf-8")
    assert "corrupt" in note and "Not graded automatically" in note  # the formgrader can list it
    page = build_report(root, A, tmp_path / "report").read_text(encoding="utf-8")
    for name in ("corrupt_json", "wrong_assignment", "os_exit", "edited_points"):
        assert name in page.split("Flagged submissions")[1], name
    assert (tmp_path / "report" / "item-means.png").stat().st_size > 1000
