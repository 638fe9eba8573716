"""Prove that an assignment grades correctly, in a temporary copy of the course.

For one assignment: the instructor's source must score full marks on every autograded item,
the generated student version must score zero on them, and each plausible wrong answer in
``grader/wrong-answers/<assignment>.yml`` must lose points on the tests it names. Runs real
nbgrader (generate, autograde, gradebook) in-process; never writes into the course itself.

Repository tooling (not part of the installed ``sensorlab``): whoever edits an assignment runs

    .venv/bin/python -m tools.grading_proof [ASSIGNMENT ...]

from the repository root (every assignment when none is named), and
``tests/test_grading_assignments_*.py`` prove every assignment in ``make test``.
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from sensorlab.grading import course, variants

WRONG_DIR = "wrong-answers"
#: Student id used for the model solution (assignments with per-student data use it too).
SOLUTION_STUDENT = "s0001"
BLANK_STUDENT = "s0002"


@dataclass
class Proof:
    """Scores of the model solution, the blank release and every wrong answer."""

    assignment: str
    max_auto: dict[str, float]                      # test grade id -> points
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # student -> grade id -> score
    wrong: list[dict] = field(default_factory=list)  # the wrong answers, with their student ids
    extra: dict[str, str] = field(default_factory=dict)  # name of an extra submission -> student id

    def auto_total(self, student: str) -> float:
        return sum(self.scores[student].get(g, 0.0) for g in self.max_auto)

    @property
    def full(self) -> float:
        return sum(self.max_auto.values())


def wrong_answers(root: Path, assignment: str) -> list[dict]:
    """The plausible wrong answers recorded for ``assignment`` (empty list if none)."""
    import yaml

    path = Path(root) / WRONG_DIR / f"{assignment}.yml"
    if not path.is_file():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for i, entry in enumerate(entries):
        missing = {"name", "cell", "code", "loses"} - set(entry)
        if missing:
            raise ValueError(f"{path}: entry {i + 1} lacks {', '.join(sorted(missing))}")
    return entries


def autograded_tests(nb) -> dict[str, float]:
    """Autograded test cells of a notebook: grade id -> points (manual answers excluded)."""
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            out[meta["grade_id"]] = float(meta.get("points", 0))
    return out


def with_answer(nb, grade_id: str, code: str):
    """A copy of ``nb`` whose answer cell ``grade_id`` holds ``code`` instead."""
    nb = copy.deepcopy(nb)
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    if len(cells) != 1:
        raise KeyError(f"no answer cell {grade_id!r}")
    cells[0].source = code
    return nb


def place_submission(root: Path, assignment: str, student: str, nb, name: str | None = None) -> Path:
    """Write ``nb`` as ``submitted/<student>/<assignment>/<name>.ipynb`` (nbgrader's layout)."""
    folder = Path(root) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or assignment}.ipynb"
    if isinstance(nb, (str, bytes)):
        path.write_bytes(nb if isinstance(nb, bytes) else nb.encode("utf-8"))
    else:
        nbformat.write(nb, str(path))
    return path


def read_scores(root: Path, assignment: str) -> dict[str, dict[str, float]]:
    """student -> grade id -> score, for every submission of ``assignment`` in the gradebook."""
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, float]] = {}
    with Gradebook(course.load_config(root).CourseDirectory.db_url, course.COURSE_ID) as gb:
        for sub in gb.assignment_submissions(assignment):
            out[sub.student_id] = {g.name: float(g.score) for nb in sub.notebooks for g in nb.grades}
    return out


def prove(root: str | Path, assignment: str, workdir: str | Path, timeout: int = 30,
          lang: str | None = None, wrong: bool = True, extra=None) -> Proof:
    """Grade the model solution, the blank release and every wrong answer of ``assignment``.

    ``lang`` ("en" or "ko") proves that language's release (default: the course setting);
    ``wrong=False`` grades only the model solution and the blank release. ``extra(source,
    release)`` may return more submissions to grade, ``{name: notebook}`` (attacks, for example).
    """
    work = course.copy_course(root, Path(workdir) / "course")
    shutil.copytree(Path(root) / WRONG_DIR, work / WRONG_DIR, dirs_exist_ok=True) \
        if (Path(root) / WRONG_DIR).is_dir() else None
    api = course.api(work, lang, Execute__timeout=timeout)
    course.check(api.generate_assignment(assignment), f"generate_assignment {assignment}")
    source_nb = nbformat.read(str(course.source_dir(work, lang) / assignment / f"{assignment}.ipynb"),
                              as_version=4)
    release_nb = nbformat.read(str(work / "release" / assignment / f"{assignment}.ipynb"), as_version=4)
    proof = Proof(assignment, autograded_tests(source_nb))
    place_submission(work, assignment, SOLUTION_STUDENT, source_nb)
    place_submission(work, assignment, BLANK_STUDENT, release_nb)
    for i, entry in enumerate(wrong_answers(work, assignment) if wrong else []):
        student = f"w{i + 1:03d}"
        place_submission(work, assignment, student, with_answer(source_nb, entry["cell"], entry["code"]))
        proof.wrong.append({**entry, "student": student})
    for i, (name, nb) in enumerate(sorted((extra(source_nb, release_nb) if extra else {}).items())):
        proof.extra[name] = f"x{i + 1:03d}"
        place_submission(work, assignment, proof.extra[name], nb)
    for student in sorted(p.name for p in (work / "submitted").iterdir()):
        # per-student data variants read the id from the environment, as in `sensorlab grade`
        previous = os.environ.get(variants.ENV_VAR)
        os.environ[variants.ENV_VAR] = student
        try:
            course.check(api.autograde(assignment, student), f"autograde {assignment} for {student}")
        finally:
            if previous is None:
                os.environ.pop(variants.ENV_VAR, None)
            else:
                os.environ[variants.ENV_VAR] = previous
    proof.scores = read_scores(work, assignment)
    return proof


def selfcheck(root: str | Path, names: list[str], out=sys.stdout) -> int:
    """Prove ``names`` (every assignment of the course when empty); one line each; 1 if any fails.

    An assignment passes when its source scores full marks, its blank release zero, and each of
    its wrong answers (at least three) loses points.
    """
    failed = 0
    for name in names or course.assignments(root):
        with tempfile.TemporaryDirectory() as tmp:
            result = prove(root, name, tmp)
        key = result.auto_total(SOLUTION_STUDENT)
        blank = result.auto_total(BLANK_STUDENT)
        weak = [w["name"] for w in result.wrong if result.auto_total(w["student"]) >= result.full]
        ok = key == result.full and blank == 0 and not weak and len(result.wrong) >= 3
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: source {key:g}/{result.full:g}, release {blank:g}, "
              f"{len(result.wrong)} wrong answers" + (f"; full marks for: {', '.join(weak)}" if weak else ""),
              file=out)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.grading_proof [--course DIR] [ASSIGNMENT ...]``."""
    parser = argparse.ArgumentParser(prog="python -m tools.grading_proof", description=(
        "prove assignments grade correctly (source full, blank zero, every wrong answer loses points)"))
    parser.add_argument("assignment", nargs="*")
    parser.add_argument("--course", help="course folder (default: grader/ of this repository)")
    args = parser.parse_args(argv)
    from sensorlab.grading.console import teacher_view

    root = course.find_course(args.course)
    with teacher_view(root, "selfcheck") as (out, _err):
        return selfcheck(root, args.assignment, out)


if __name__ == "__main__":
    sys.exit(main())
