"""Every assignment grades correctly: source full marks, release zero, wrong answers lose points.

Assignments are discovered from grader/source/, so a module added later is covered without
editing this file; each must come with at least three plausible wrong answers in
grader/wrong-answers/<assignment>.yml. The slow proof itself (real nbgrader on the source, the
blank release and every wrong answer) is shared out over tests/test_grading_assignments_a.py,
_b.py, ... (see tests/_grading_proofs.py), so that pytest-xdist runs the proofs on several
workers; this file checks that those parts are all there.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from sensorlab.grading import course
from tools import grading_proof as proof

import _grading_proofs as proofs  # tests/ is on the path (conftest.py)

ROOT = course.find_course()
ASSIGNMENTS = course.assignments(ROOT)


def _source(assignment):
    return nbformat.read(str(ROOT / "source" / assignment / f"{assignment}.ipynb"), as_version=4)


def _is_autograded(assignment) -> bool:
    return bool(proof.autograded_tests(_source(assignment)))


def test_course_has_the_module_assignments():
    assert "01-sensor-box" in ASSIGNMENTS
    assert course.load_config(ROOT).CourseDirectory.course_id == "seoul-sensor-lab"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_is_clean_and_well_labelled(assignment):
    """Clean notebook, snake_case unique grade ids, schema 3, test cells open with a docstring."""
    nb = _source(assignment)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), "duplicate grade ids"
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        assert meta, f"cell without nbgrader metadata: {cell.source[:60]!r}"
        assert meta["schema_version"] == 3
        assert re.fullmatch(r"[a-z][a-z0-9_]*", meta["grade_id"]), meta["grade_id"]
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, meta["grade_id"]
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            first = cell.source.lstrip().splitlines()[0]
            assert re.fullmatch(r'""".+"""', first), f"{meta['grade_id']}: no one-line docstring"


def test_every_part_of_the_proof_has_its_file():
    """One proof file per part (_a, _b, ...), each proving its own share of the assignments."""
    import ast

    shared = ast.parse(Path(__file__).with_name("_grading_proofs.py").read_text(encoding="utf-8"))
    parts = next(n.value.value for n in shared.body
                 if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PARTS")
    files = sorted(p.name for p in Path(__file__).parent.glob("test_grading_assignments_*.py"))
    assert files == [f"test_grading_assignments_{chr(ord('a') + k)}.py" for k in range(parts)], \
        "one proof file per part: change PARTS in tests/_grading_proofs.py together with the files"
    for k, name in enumerate(files):
        text = (Path(__file__).parent / name).read_text(encoding="utf-8")
        assert re.search(rf"^PART = {k}$", text, flags=re.M), f"{name} must prove part {k}"
        assert "proofs.share(PART)" in text and "check_source_full_marks_release_zero_wrong_answers_lose" in text


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if not _is_autograded(a)])
def test_rubric_assignment_releases_without_model_answers(assignment, tmp_path):
    """A hand-graded assignment generates; students get blanks, every answer has points and a rubric."""
    generated = proofs.generated_course(tmp_path / "course", assignment, origin=ROOT)
    api, source, release = generated.api, generated.source, generated.release
    answers = [c for c in source.cells if c.metadata["nbgrader"].get("solution")]
    assert answers and all(c.metadata["nbgrader"].get("points", 0) > 0 for c in answers)
    released = {c.metadata["nbgrader"]["grade_id"]: c.source for c in release.cells}
    for cell in answers:
        assert released[cell.metadata["nbgrader"]["grade_id"]] != cell.source, "model answer leaked"
    prompts = [c.source for c in source.cells if c.metadata["nbgrader"]["grade_id"].endswith("_prompt")]
    assert all("Rubric" in p for p in prompts)
    with api.gradebook as gb:
        assert gb.find_assignment(assignment).max_score == sum(c.metadata["nbgrader"]["points"] for c in answers)
