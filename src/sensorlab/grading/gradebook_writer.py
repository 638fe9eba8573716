"""The course's gradebook as the grader writes it: one writer, grades merged as nbgrader would.

Only the grader's own process writes the course's gradebook (SQLite dislikes concurrent
writers): each worker grades against a scratch copy (:func:`snapshot_gradebook`), and
:class:`CourseGradebook` merges its grades the way nbgrader's ``SaveAutoGrades`` would, keeping
any manual grades already given, or records 0 points and a placeholder for a submission that
could not be graded.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import nbformat

from sensorlab.grading import course

__all__ = ["CourseGradebook", "snapshot_gradebook"]


def snapshot_gradebook(db_url: str, dest: Path) -> None:
    """A consistent copy of the SQLite gradebook (safe even while the formgrader reads it)."""
    src = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    dst = sqlite3.connect(dest)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


class CourseGradebook:
    """The gradebook at ``db_url`` of the course at ``root``, written for one ``assignment``."""

    def __init__(self, db_url: str, root: Path, assignment: str):
        self.db_url, self.root, self.assignment = db_url, Path(root), assignment
        self._open_gradebook, self._open_file = None, None

    @contextlib.contextmanager
    def session(self):
        """The course's gradebook, open for the whole run: a gradebook opened anew for every
        submission checked the schema and compiled every query again. After a failure it is
        closed and opened again for the next submission, and so it is when the file at the
        gradebook's path is no longer the one opened (a restored copy or a sync client renamed
        another file into place: SQLite refuses to write into the one it had open)."""
        from nbgrader.api import Gradebook

        if self._open_gradebook is not None and self._file() != self._open_file:
            self.close()
        if self._open_gradebook is None:
            self._open_file = self._file()
            self._open_gradebook = Gradebook(self.db_url, course.COURSE_ID)
        try:
            yield self._open_gradebook
        except BaseException:
            self.close()
            raise

    def _file(self) -> tuple | None:
        """Which file the gradebook's path names now (device, inode), or None when there is none."""
        try:
            info = os.stat(self.db_url.removeprefix("sqlite:///"))
        except OSError:
            return None
        return info.st_dev, info.st_ino

    def close(self) -> None:
        """Let go of the gradebook (at the end of the run, or after a failure)."""
        gb, self._open_gradebook = self._open_gradebook, None
        if gb is not None:
            with contextlib.suppress(Exception):  # a broken database: letting go of it is all that is left
                gb.db.rollback()
                gb.close()

    def merge(self, student: str, out: dict, flagged: bool) -> None:
        """Write a worker's grades (``out``) into the course gradebook as SaveAutoGrades would."""
        from datetime import datetime

        with self.session() as gb:
            gb.update_or_create_student(student)
            kwargs = {"timestamp": datetime.fromisoformat(out["timestamp"])} if out.get("timestamp") else {}
            gb.update_or_create_submission(self.assignment, student, **kwargs)
            for nb_name, grades in out["grades"].items():
                nb = gb.find_submission_notebook(nb_name, self.assignment, student)
                for grade_id, (auto, needs) in grades.items():
                    grade = gb.find_grade(grade_id, nb_name, self.assignment, student)
                    grade.auto_score = auto
                    grade.needs_manual_grade = needs or grade.manual_score is not None or auto is None
                for name, comment in out["comments"].get(nb_name, {}).items():
                    gb.find_comment(name, nb_name, self.assignment, student).auto_comment = comment
                nb.late_submission_penalty = out["penalties"].get(nb_name)
                nb.flagged = flagged
            gb.db.commit()

    def record_zero(self, student: str, releases: dict, flags: list) -> None:
        """Record a submission that could not be graded: 0 points, flagged for the teacher.

        A placeholder notebook (the blank release under a note with the reasons) goes into
        ``autograded/``, because the formgrader lists only submissions it can open.
        """
        dest = self.root / "autograded" / student / self.assignment
        dest.mkdir(parents=True, exist_ok=True)
        reasons = "\n".join(f"- **{f.kind}**: {f.reason}" for f in flags)
        for nb_name, release in releases.items():
            placeholder = nbformat.from_dict(release)
            placeholder.cells.insert(0, nbformat.v4.new_markdown_cell(
                f"**Not graded automatically; the student's file is in `submitted/`.**\n\n{reasons}"))
            nbformat.write(placeholder, str(dest / f"{nb_name}.ipynb"))
        with self.session() as gb:
            gb.update_or_create_student(student)
            gb.update_or_create_submission(self.assignment, student)
            for nb_name in releases:
                nb = gb.find_submission_notebook(nb_name, self.assignment, student)
                for grade in nb.grades:
                    if grade.manual_score is None:
                        grade.auto_score, grade.needs_manual_grade = 0.0, False
                nb.flagged = True
            gb.db.commit()
