"""Look at a submission before nbgrader does: repair what can be repaired, flag the rest.

nbgrader scores a whole submission 0 when one cell's nbgrader metadata was edited
("Inconsistent checksums"), and cannot read a notebook that is not UTF-8 JSON. Here every
submission is compared with the released student version:

- nbgrader metadata of a released cell changed (points, grade, locked, cell type): restored
  from the release, flagged ``tampered`` with what changed;
- a test cell deleted or its code edited: nbgrader restores it; flagged ``tampered``;
- bytes that are not UTF-8: decoded with replacement characters, flagged ``non_utf8``;
- not a notebook (corrupt JSON, not nbformat): not graded, flagged ``corrupt`` (0 points);
- no cells: flagged ``empty`` (graded: 0 on the autograded items);
- the notebook of another assignment: not graded, flagged ``wrong_assignment``;
- the notebook under another file name: renamed, flagged ``renamed``;
- a question's cell twice (a copy-paste in Jupyter) or two cells with one cell id: every copy
  runs in order as the student ran it, the first copy keeps the question's nbgrader metadata
  (the others become ordinary cells) and cell ids are made unique; flagged ``duplicated``.

Examples
--------
>>> import nbformat
>>> from sensorlab.grading.authoring import answer, notebook, tests
>>> release = notebook([answer("f", "def f(): pass"), tests("test_f", '\"\"\"f runs.\"\"\"\\nf()', 2)])
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
from dataclasses import dataclass

import nbformat

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
        return None, [Flag("corrupt", "the file is empty (0 bytes): nothing to grade")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        text = data.decode("utf-8", errors="replace")
        flags.append(Flag("non_utf8", f"bytes that are not UTF-8 at byte {err.start}; "
                                      "they were replaced by \ufffd before grading"))
    twins = _duplicate_cell_ids(text)
    try:
        with warnings.catch_warnings():  # nbformat renames repeated cell ids with a warning; we flag them
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
    except json.JSONDecodeError as err:
        return None, flags + [Flag("corrupt", f"not valid notebook JSON: line {err.lineno}, "
                                              f"column {err.colno}: {err.msg}")]
    except Exception as err:  # nbformat raises several types for "not a notebook"
        return None, flags + [Flag("corrupt", f"not a Jupyter notebook: {str(err).splitlines()[0][:200]}")]
    if not nb.cells:
        return nb, flags + [Flag("empty", "the notebook has no cells")]
    if twins:
        flags.append(Flag("duplicated", f"{len(twins)} cell id(s) used twice ({', '.join(twins[:5])}): "
                                        "renamed so every cell could be graded; nothing to do unless a "
                                        "question's answer looks missing"))
    flags += _drop_duplicate_questions(nb)
    wanted, got = _grade_ids(release), _grade_ids(nb)
    if not set(got) & set(wanted):
        for name, other in (other_releases or {}).items():
            if set(got) & set(_grade_ids(other)):
                return None, flags + [Flag("wrong_assignment", f"this is the notebook of {name}")]
        if got:
            return None, flags + [Flag("wrong_assignment", "none of this assignment's questions are in it")]
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
            diffs.append(f"cell type {cell.cell_type} -> {ref.cell_type}")
        if diffs:
            changes.append(f"{gid} ({', '.join(diffs)})")
            _restore(cell, ref)
        elif ref_meta.get("grade") and not ref_meta.get("solution") and _visible(cell.source) != _visible(ref.source):
            changes.append(f"{gid} (test code edited)")
    deleted = [gid for gid, ref in wanted.items() if gid not in got and ref.metadata["nbgrader"].get("locked")]
    if changes:
        flags.append(Flag("tampered", "restored before grading: " + "; ".join(changes)))
    if deleted:
        flags.append(Flag("tampered", "deleted cells put back before grading: " + ", ".join(deleted)))
    return nb, flags


def _duplicate_cell_ids(text: str) -> list[str]:
    """Cell ids that occur more than once in the raw notebook JSON (before nbformat renames them)."""
    try:
        cells = json.loads(text).get("cells", [])
        ids = [c.get("id") for c in cells if isinstance(c, dict) and isinstance(c.get("id"), str)]
    except (ValueError, AttributeError):
        return []  # not JSON: reported as corrupt below
    return sorted({i for i in ids if ids.count(i) > 1})


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
    return [Flag("duplicated", f"the cell of {gid} appears {len(where) + 1} times (a copy-paste in "
                               f"Jupyter?); all copies ran in order and the first one was graded as "
                               f"{gid}; look at cell(s) {', '.join(map(str, where))} if its points "
                               "seem wrong") for gid, where in copies.items()]


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
    return [Flag("tampered", f"cell(s) {', '.join(map(str, claimed[:10]))} carried nbgrader metadata that is "
                             "not in the release (typed into the notebook file?): graded as ordinary cells")]


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
