"""Look at a submission before nbgrader does: repair what can be repaired, flag the rest.

nbgrader scores a whole submission 0 when one cell's nbgrader metadata was edited
("Inconsistent checksums"), and cannot read a notebook that is not UTF-8 JSON. Here every
submission is compared with the released student version:

- nbgrader metadata of a released cell changed (points, grade, locked, cell type): restored
  from the release, flagged ``tampered`` with what changed;
- a test cell deleted or its code edited: nbgrader restores it; flagged ``tampered``;
- bytes that are not UTF-8: decoded with replacement characters, flagged ``non_utf8``;
- not a notebook (corrupt JSON, not nbformat): not graded, flagged ``corrupt`` (0 points);
- no cells: not graded, flagged ``empty`` (0 points: nbgrader would stop on the first missing question);
- the notebook of another assignment: not graded, flagged ``wrong_assignment``;
- the notebook under another file name: renamed, flagged ``renamed``;
- a question's cell twice (a copy-paste in Jupyter) or two cells with one cell id: every copy
  runs in order as the student ran it, the first copy keeps the question's nbgrader metadata
  (the others become ordinary cells) and cell ids are made unique; flagged ``duplicated``.

Examples
--------
>>> import nbformat
>>> from nbformat.v4 import new_code_cell, new_notebook
>>> def cell(grade_id, code, **nbgrader):  # an nbgrader cell as an assignment's builder writes it
...     meta = {"grade_id": grade_id, "locked": not nbgrader["solution"], "schema_version": 3, "task": False}
...     return new_code_cell(code, metadata={"nbgrader": {**meta, **nbgrader}})
>>> release = new_notebook(cells=[cell("f", "def f(): pass", grade=False, solution=True),
...                               cell("test_f", '\"\"\"f runs.\"\"\"\\nf()', grade=True, solution=False, points=2)])
>>> sub = nbformat.from_dict(release)
>>> sub.cells[1].metadata.nbgrader["points"] = 100
>>> nb, flags = check_notebook(nbformat.writes(sub).encode(), release)
>>> [f.kind for f in flags], nb.cells[1].metadata.nbgrader["points"]
(['tampered'], 2)
>>> check_notebook(b'{"cells": [', release)[1][0].kind
'corrupt'
"""

from __future__ import annotations

import copy
import json
import re
import warnings
from collections import Counter
from dataclasses import dataclass

import nbformat

from sensorlab.messages import text as _say

#: Flag kinds, in the order a teacher should look at them.
KINDS = ("corrupt", "wrong_assignment", "crashed", "timed_out", "over_memory", "tampered",
         "duplicated", "huge_output", "empty", "non_utf8", "renamed", "missing")
_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.S)
_KEYS = ("grade", "solution", "locked", "points", "task")


@dataclass(frozen=True)
class Flag:
    """Something the teacher should see about a submission: a kind and a plain reason."""

    kind: str
    reason: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "reason": self.reason}


def _grade_ids(nb) -> dict:
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
            if isinstance(c.get("metadata"), dict) and "grade_id" in c.metadata.get("nbgrader", {})}


def check_notebook(data: bytes, release, other_releases: dict | None = None):
    """Return ``(notebook or None, flags)`` for the bytes of a submitted notebook.

    ``release`` is the released student version of this assignment; ``other_releases`` maps
    other assignments' names to theirs (to recognise a submission for the wrong assignment).
    ``None`` means "do not run it": the caller records 0 points with the flags.
    """
    flags: list[Flag] = []
    if not data.strip():
        return None, [Flag("corrupt", _say("grade.precheck.empty_file"))]
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as err:
        decoded = data.decode("utf-8", errors="replace")
        flags.append(Flag("non_utf8", _say("grade.precheck.non_utf8", at=err.start)))
    twins = _duplicate_cell_ids(decoded)
    try:
        with warnings.catch_warnings():  # nbformat renames repeated cell ids with a warning; we flag them
            warnings.simplefilter("ignore")
            nb = nbformat.reads(decoded, as_version=4)
            nbformat.validate(nb)
    except json.JSONDecodeError as err:
        return None, flags + [Flag("corrupt", _say("grade.precheck.bad_json", line=err.lineno,
                                                   column=err.colno, error=err.msg))]
    except Exception as err:  # nbformat raises several types for "not a notebook"
        return None, flags + [Flag("corrupt", _say("grade.precheck.not_notebook",
                                                   error=(str(err).splitlines() or [""])[0][:200]))]
    if not nb.cells:
        # nothing nbgrader could grade (it stops on the first missing question): 0 points, said once
        return None, flags + [Flag("empty", _say("grade.precheck.no_cells"))]
    if twins:
        flags.append(Flag("duplicated", _say("grade.precheck.duplicate_ids", count=len(twins),
                                             ids=", ".join(twins[:5]))))
    flags += _drop_duplicate_questions(nb)
    wanted, got = _grade_ids(release), _grade_ids(nb)
    if not set(got) & set(wanted):
        for name, other in (other_releases or {}).items():
            if set(got) & set(_grade_ids(other)):
                return None, flags + [Flag("wrong_assignment", _say("grade.precheck.wrong_assignment", name=name))]
        if got:
            return None, flags + [Flag("wrong_assignment", _say("grade.precheck.no_questions"))]
    flags += _drop_foreign_metadata(nb, wanted)
    got = _grade_ids(nb)
    changes = []
    for gid, cell in got.items():
        if gid not in wanted:
            continue
        ref = wanted[gid]
        meta, ref_meta = cell.metadata["nbgrader"], ref.metadata["nbgrader"]
        diffs = [f"{k} {meta.get(k)!r} -> {ref_meta.get(k)!r}" for k in _KEYS if meta.get(k) != ref_meta.get(k)]
        if cell.cell_type != ref.cell_type:
            diffs.append(_say("grade.precheck.cell_type", was=cell.cell_type, now=ref.cell_type))
        if diffs:
            changes.append(f"{gid} ({', '.join(diffs)})")
            _restore(cell, ref)
        elif ref_meta.get("grade") and not ref_meta.get("solution") and _visible(cell.source) != _visible(ref.source):
            changes.append(f"{gid} ({_say('grade.precheck.test_edited')})")
    deleted = [gid for gid, ref in wanted.items() if gid not in got and ref.metadata["nbgrader"].get("locked")]
    if changes:
        flags.append(Flag("tampered", _say("grade.precheck.restored", changes="; ".join(changes))))
    if deleted:
        flags.append(Flag("tampered", _say("grade.precheck.put_back", cells=", ".join(deleted))))
    return nb, flags


def _duplicate_cell_ids(text: str) -> list[str]:
    """Cell ids that occur more than once in the raw notebook JSON (before nbformat renames them)."""
    try:
        cells = json.loads(text).get("cells", [])
        ids = [c.get("id") for c in cells if isinstance(c, dict) and isinstance(c.get("id"), str)]
    except (ValueError, AttributeError):
        return []  # not JSON: reported as corrupt below
    return sorted(i for i, n in Counter(ids).items() if n > 1)  # linear: a notebook may hold 500,000 cells


def _drop_duplicate_questions(nb) -> list[Flag]:
    """Keep a question's nbgrader metadata on its first cell only; flag the copies.

    nbgrader keeps the last copy and crashes on the others; the first is where the release put
    the question, and every copy still runs in order, as it did in the student's Jupyter.
    """
    seen, copies = set(), {}
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader") if isinstance(cell.get("metadata"), dict) else None
        gid = meta.get("grade_id") if isinstance(meta, dict) else None
        if gid is None:
            continue
        if gid in seen:
            del cell.metadata["nbgrader"]
            copies.setdefault(gid, []).append(index + 1)
        seen.add(gid)
    return [Flag("duplicated", _say("grade.precheck.copied_question", gid=gid, times=len(where) + 1,
                                    cells=", ".join(map(str, where)))) for gid, where in copies.items()]


def _drop_foreign_metadata(nb, wanted: dict) -> list[Flag]:
    """Make a cell that claims nbgrader metadata the release does not have an ordinary cell.

    Typed into the notebook's JSON, such metadata would pass a student's Markdown off as the
    teacher's locked text (rendered as HTML in the feedback), and nbgrader stops on a cell
    without a ``grade_id`` (the whole submission 0).
    """
    claimed = []
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader") if isinstance(cell.get("metadata"), dict) else None
        if meta is None:
            continue
        gid = meta.get("grade_id") if isinstance(meta, dict) else None
        if isinstance(gid, str) and gid in wanted:
            continue
        del cell.metadata["nbgrader"]
        if not isinstance(meta, dict) or any(meta.get(k) for k in _KEYS):
            claimed.append(index + 1)
    if not claimed:
        return []
    return [Flag("tampered", _say("grade.precheck.foreign_metadata", cells=", ".join(map(str, claimed[:10]))))]


def _visible(source: str) -> str:
    """Test code as students see it (hidden-test blocks removed)."""
    return _HIDDEN.sub("", source).strip()


def _restore(cell, ref) -> None:
    """Give ``cell`` the release's nbgrader metadata and type (the student's text is kept)."""
    cell.metadata["nbgrader"] = copy.deepcopy(ref.metadata["nbgrader"])
    if cell.cell_type != ref.cell_type:
        cell.cell_type = ref.cell_type
        if ref.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
