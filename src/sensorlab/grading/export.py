"""Grades as a CSV that school systems and Excel open correctly (Korean names included).

Excel guesses the encoding of a CSV file; without a byte-order mark it reads UTF-8 Hangul as
mojibake. :func:`export_csv` writes UTF-8 *with* BOM, one row per student and assignment, with
the late penalty nbgrader applied (configured once, in ``grader/nbgrader_config.py``) and the
grader's flags, so nothing the teacher must check is lost on the way to the school system.
Every student on the roster gets a row for every assignment: 0 points and ``no submission``
when nothing was handed in.

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


NO_SUBMISSION = "no submission"
#: Handed in (in ``submitted/``) but not in the gradebook yet: not the same as handing nothing in.
NOT_GRADED = "not autograded yet"


def rows(root, assignments: list[str] | None = None) -> list[dict]:
    """One dict per student on the roster and assignment, sorted.

    The roster is every student in the gradebook (imported with ``sensorlab grade roster``, or
    added by grading): a student with no submission of an assignment gets a row with 0 points
    and ``no submission`` in ``flags``, as nbgrader's own CSV export does, so the school system
    never mistakes a missing student for one who was not in the class.
    """
    from sensorlab.grading import course
    from sensorlab.grading.autograde import load_flags

    flags = load_flags(root)
    out = []
    with course.gradebook(root) as gb:
        roster = sorted(gb.students, key=lambda s: s.id)
        for name in assignments or []:
            course.find_assignment(gb, name)  # a typo is said, not exported as an empty file
        for assignment in gb.assignments:
            if assignments and assignment.name not in assignments:
                continue
            subs = {sub.student_id: sub for sub in assignment.submissions}
            for student in roster:
                row = {"student_id": student.id, "last_name": student.last_name or "",
                       "first_name": student.first_name or "", "assignment": assignment.name,
                       "max_score": float(assignment.max_score)}
                sub = subs.get(student.id)
                if sub is None:
                    handed_in = (Path(root) / "submitted" / student.id / assignment.name).is_dir()
                    out.append({**row, "raw_score": 0.0, "late_penalty": 0.0, "score": 0.0,
                                "flags": NOT_GRADED if handed_in else NO_SUBMISSION})
                    continue
                raw, penalty = float(sub.score), float(sub.late_submission_penalty or 0)
                kinds = sorted({f["kind"] for f in flags.get(assignment.name, {}).get(student.id, [])})
                out.append({**row, "raw_score": raw, "late_penalty": penalty,
                            "score": round(max(raw - penalty, 0), 4), "flags": ";".join(kinds)})
    return sorted(out, key=lambda r: (r["assignment"], r["student_id"]))


def late_warnings(root, table: list[dict]) -> list[str]:
    """A sentence per assignment whose every submitted score the late penalty took to 0.

    That is almost always a due date entered wrongly (a past date, or the wrong year), and a
    school system would otherwise receive a column of zeros without a word.
    """
    from sensorlab.grading import course
    from sensorlab.grading.deadline import seoul_text
    from sensorlab.messages import text

    out = []
    for name in sorted({r["assignment"] for r in table}):
        subs = [r for r in table if r["assignment"] == name and r["flags"] not in (NO_SUBMISSION, NOT_GRADED)]
        if not subs or any(r["score"] > 0 for r in subs) or not any(r["late_penalty"] > 0 for r in subs):
            continue
        with course.gradebook(root) as gb:
            assignment = gb.find_assignment(name)
            due = assignment.duedate
            stamps = [s.timestamp for s in assignment.submissions if s.timestamp]
        if due is None or not stamps:
            continue
        days = (min(stamps) - due).days
        out.append(text("grade.all_zero_late", assignment=name, seoul=seoul_text(due), days=days))
    return out


#: A cell Excel (and LibreOffice, Google Sheets) would run as a formula starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value):
    """``value``, with a text that a spreadsheet would run as a formula made plain text.

    Student ids come from what students hand in (``sensorlab grade submit --student``): an id
    like ``=HYPERLINK(...)`` would otherwise become a live formula in the teacher's Excel.

    Examples
    --------
    >>> print(as_text_cell('=HYPERLINK("x")'), as_text_cell("kim"), as_text_cell(-1.5))
    '=HYPERLINK("x") kim -1.5
    """
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def ungraded_warnings(table: list[dict]) -> list[str]:
    """A sentence per assignment with submissions collected but not autograded (exported as 0)."""
    from sensorlab.messages import text

    names = sorted({r["assignment"] for r in table if r["flags"] == NOT_GRADED})
    return [text("grade.export_not_graded", assignment=name,
                 count=sum(r["assignment"] == name and r["flags"] == NOT_GRADED for r in table)) for name in names]


def write_rows(handle, table: list[dict]) -> None:
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: as_text_cell(v) for k, v in row.items()} for row in table)


def export_csv(root, path, assignments: list[str] | None = None) -> Path:
    """Write the grades to ``path`` as UTF-8 with BOM (Excel-safe); return the path."""
    return export(root, path, assignments)[0]


def export(root, path, assignments: list[str] | None = None) -> tuple[Path, list[dict]]:
    """Write the grades to ``path`` as UTF-8 with BOM (Excel-safe); return it and the rows."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = rows(root, assignments)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        write_rows(handle, table)
    return path, table
