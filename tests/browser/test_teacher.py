"""The teacher's JupyterLab as a teacher sees it: nbgrader's formgrader over a graded class.

A copy of the course gets assignment 01 released and three submissions (full marks, a wrong
answer, blank) graded by ``sensorlab grade``'s parallel autograde; then JupyterLab starts the
way ``make lab ROLE=teacher`` does and chromium opens the formgrader.
"""

from __future__ import annotations

import re
import sys

import nbformat
import pytest

from sensorlab.grading import course
from sensorlab.grading.autograde import autograde
from sensorlab.grading.sandbox import Limits
from tools import grading_proof as proof

from .conftest import REPO, Lab, menu_items

sys.path.insert(0, str(REPO / "tests" / "hostile"))
import corpus  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]
A = "01-sensor-box"


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """A lab root holding a course in grader/ with three graded submissions of assignment 01."""
    root = tmp_path_factory.mktemp("teacher")
    grader = course.copy_course(course.find_course(), root / "grader")
    course.check(course.api(grader).generate_assignment(A), "generate_assignment")
    source = nbformat.read(str(grader / "source" / A / f"{A}.ipynb"), as_version=4)
    release = nbformat.read(str(grader / "release" / A / f"{A}.ipynb"), as_version=4)
    good = corpus.good_notebook(source, release)
    wrong = corpus._answer(good, "is_good_line", "def is_good_line(line):\n    return True")
    for student, nb in (("s2401", good), ("s2402", wrong), ("s2403", release)):
        proof.place_submission(grader, A, student, nb)
    outcomes = autograde(grader, A, jobs=2, limits=Limits(cell_timeout_s=20, timeout_s=180), progress=False)
    return root, grader, outcomes


@pytest.fixture(scope="module")
def teacher_lab(graded_class):
    root, grader, _ = graded_class
    lab = Lab(root, "teacher", root / "lab.log", env={"SENSORLAB_COURSE": str(grader)})
    yield lab
    lab.stop()


def test_teacher_has_the_instructor_tools(page, teacher_lab, screenshot):
    items = menu_items(page, teacher_lab, "Nbgrader")
    screenshot(page, "teacher-nbgrader-menu")
    assert any("Formgrader" in i for i in items), items


def test_formgrader_lists_the_assignments_and_the_graded_submissions(page, teacher_lab, graded_class, screenshot):
    _, grader, outcomes = graded_class
    page.goto(teacher_lab.url("formgrader/manage_assignments"))
    page.wait_for_selector(f"text={A}", timeout=90_000)
    listed = page.inner_text("body")
    screenshot(page, "teacher-formgrader-assignments")
    for name in course.assignments(grader):
        assert name in listed, f"{name} is not listed in the formgrader"
    assert "does not exist" not in listed, "the formgrader says the exchange is missing"

    page.goto(teacher_lab.url(f"formgrader/gradebook/{A}/{A}"))
    page.wait_for_selector("tbody tr a.name-shown", state="attached", timeout=90_000)
    page.click("text=Show All Names")  # the formgrader hides names until the teacher asks
    page.wait_for_selector("tbody tr a.name-shown >> visible=true", timeout=30_000)
    header = page.eval_on_selector_all("thead th", "els => els.map(e => e.innerText.trim())")
    rows = page.eval_on_selector_all(
        "tbody tr", "els => els.map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim()))")
    screenshot(page, "teacher-formgrader-submissions")
    code = next(i for i, h in enumerate(header) if h.startswith("Code"))
    scores = {}
    for cells in rows:
        student = next((c for c in cells if re.fullmatch(r"s240\d", c)), None)
        got, full = (float(x) for x in cells[code].split("/"))
        scores[student] = (got, full)
    assert set(scores) == {"s2401", "s2402", "s2403"}, rows
    # what the page shows is what autograde put in the gradebook
    full = scores["s2401"][1]
    assert full > 0 and scores["s2401"][0] == full and scores["s2403"][0] == 0, scores
    assert 0 < scores["s2402"][0] < full, scores
    assert not any(o.flags for o in outcomes.values()), outcomes
