"""What the teacher is told about each submission: its outcome and flags, kept beside the gradebook.

A flag names what went wrong (``timed_out``, ``crashed``, ``over_memory``, ``huge_output``,
``tampered``, …) in a sentence from the message catalogue. Flags are stored in
``grading-flags.json`` beside the gradebook, by assignment and student, so the report, the
export and the formgrader (nbgrader's own ``flagged`` mark) all show them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from sensorlab.grading.precheck import Flag
from sensorlab.grading.sandbox import Limits
from sensorlab.messages import text

__all__ = ["FLAGS_FILE", "Outcome", "failure_reason", "flag_outputs", "save_flags", "load_flags"]

FLAGS_FILE = "grading-flags.json"


@dataclass
class Outcome:
    """What happened to one submission."""

    student: str
    flags: list = field(default_factory=list)
    graded: bool = True
    #: False when its grades (or its 0 points) could not be written into the gradebook
    recorded: bool = True
    seconds: float = 0.0
    attempts: int = 1

    @property
    def kinds(self) -> list[str]:
        return [f.kind for f in self.flags]


def failure_reason(out: dict, limits: Limits) -> tuple[str, str]:
    """The flag kind and the sentence for a worker that graded nothing (``out`` is its result)."""
    log = (out.get("error") or "") + (out.get("log") or "")
    if out.get("timed_out"):
        return "timed_out", text("grade.reason.submission_timeout", seconds=limits.timeout_s)
    if "Inconsistent checksums" in log:
        return "tampered", text("grade.reason.tampered")
    if "DeadKernel" in log or "Kernel died" in log or "UnresponsiveKernel" in log:
        return "crashed", text("grade.reason.kernel_died")
    if "CellTimeoutError" in log or "Timeout waiting for execute reply" in log:
        return "timed_out", text("grade.reason.cell_timeout", seconds=limits.cell_timeout_s)
    from sensorlab.grading.reasons import nbgrader_failure

    return "crashed", nbgrader_failure(log)


def flag_outputs(folder: Path, outcome: Outcome, limits: Limits) -> None:
    """Flag, once each, a cell of the graded notebooks in ``folder`` that ran out of memory,
    was interrupted at the cell timeout or had its output cut."""
    seen = set(outcome.kinds)
    for path in folder.glob("*.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            label = cell.metadata.get("nbgrader", {}).get("grade_id") or text("grade.reason.a_cell")
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") == "MemoryError" and "over_memory" not in seen:
                    outcome.flags.append(Flag("over_memory", text("grade.reason.cell_memory", cell=label,
                                                                  mb=limits.memory_mb)))
                    seen.add("over_memory")
                if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError" and "timed_out" not in seen:
                    outcome.flags.append(Flag("timed_out", text("grade.reason.cell_interrupted", cell=label,
                                                                seconds=limits.cell_timeout_s)))
                    seen.add("timed_out")
                if out.get("output_type") == "stream" and "[output cut:" in out.get("text", "") and "huge_output" not in seen:
                    outcome.flags.append(Flag("huge_output", text("grade.reason.cell_output", cell=label,
                                                                  kb=limits.output_kb)))
                    seen.add("huge_output")


def save_flags(root: Path, assignment: str, outcomes: dict[str, Outcome]) -> None:
    """Write this run's flags of ``assignment`` into the course's flags file (others' kept)."""
    path = Path(root) / FLAGS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    mine = data.setdefault(assignment, {})
    for student, outcome in outcomes.items():
        if outcome.flags:
            mine[student] = [f.as_dict() for f in outcome.flags]
        else:
            mine.pop(student, None)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def load_flags(root) -> dict:
    """``{assignment: {student: [{"kind", "reason"}, ...]}}`` from the course's flags file."""
    try:
        return json.loads((Path(root) / FLAGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
