"""Grades as a CSV that school systems and Excel open correctly (Korean names included).

Excel guesses the encoding of a CSV file; without a byte-order mark it reads UTF-8 Hangul as
mojibake. :func:`export_csv` writes UTF-8 *with* BOM, one row per student and assignment, with
the late penalty nbgrader applied (configured once, in ``grader/nbgrader_config.py``) and the
grader's flags, so nothing the teacher must check is lost on the way to the school system.

Examples
--------
>>> import io
>>> buf = io.StringIO()
>>> write_rows(buf, [{"student_id": "s1", "last_name": "김", "first_name": "민준", "assignment": "01",
...                   "raw_score": 9.0, "late_penalty": 0.9, "score": 8.1, "max_score": 14.0, "flags": ""}])
>>> buf.getvalue().splitlines()[1]
's1,김,민준,01,9.0,0.9,8.1,14.0,'
"""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = ["student_id", "last_name", "first_name", "assignment", "raw_score", "late_penalty",
           "score", "max_score", "flags"]


def rows(root, assignments: list[str] | None = None) -> list[dict]:
    """One dict per (student, assignment) submission in the gradebook, sorted."""
    from nbgrader.api import Gradebook

    from sensorlab.grading import course
    from sensorlab.grading.autograde import load_flags

    flags = load_flags(root)
    out = []
    with Gradebook(course.load_config(root).CourseDirectory.db_url, course.COURSE_ID) as gb:
        for assignment in gb.assignments:
            if assignments and assignment.name not in assignments:
                continue
            for sub in assignment.submissions:
                student = sub.student
                raw, penalty = float(sub.score), float(sub.late_submission_penalty or 0)
                kinds = sorted({f["kind"] for f in flags.get(assignment.name, {}).get(student.id, [])})
                out.append({"student_id": student.id, "last_name": student.last_name or "",
                            "first_name": student.first_name or "", "assignment": assignment.name,
                            "raw_score": raw, "late_penalty": penalty, "score": round(max(raw - penalty, 0), 4),
                            "max_score": float(sub.max_score), "flags": ";".join(kinds)})
    return sorted(out, key=lambda r: (r["assignment"], r["student_id"]))


def write_rows(handle, table: list[dict]) -> None:
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)


def export_csv(root, path, assignments: list[str] | None = None) -> Path:
    """Write the grades to ``path`` as UTF-8 with BOM (Excel-safe); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        write_rows(handle, rows(root, assignments))
    return path
