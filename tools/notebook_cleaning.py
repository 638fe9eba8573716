"""Lesson notebooks committed clean: no outputs (but the ones nbval compares), execution counts or stray metadata.

:func:`clean_file` is both the pre-commit hook (``python -m tools.lessons clean``) and the check
that every committed lesson is clean; :func:`refresh_notebook` reruns a notebook and keeps the
outputs of its ``# NBVAL_CHECK_OUTPUT`` cells.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

ALLOWED_NB_METADATA = {"kernelspec", "language_info"}
ALLOWED_CELL_METADATA = {"tags", "jupyter", "editable", "deletable"}
CHECK_OUTPUT_MARK = "NBVAL_CHECK_OUTPUT"
#: nbval honours the marker only as a comment line of its own.
_CHECK_OUTPUT_LINE = re.compile(r"^\s*#\s*NBVAL_CHECK_OUTPUT\s*$", re.M)


def checks_output(cell) -> bool:
    """Whether nbval compares this code cell's output (a ``# NBVAL_CHECK_OUTPUT`` line)."""
    return bool(_CHECK_OUTPUT_LINE.search(cell.source))


def cleanliness_problems(nb) -> list[str]:
    """Outputs, execution counts and metadata that must not be committed."""
    problems = [f"notebook metadata {key!r} (only {sorted(ALLOWED_NB_METADATA)} allowed)"
                for key in nb.metadata if key not in ALLOWED_NB_METADATA]
    for i, cell in enumerate(nb.cells, 1):
        extra = set(cell.get("metadata", {})) - ALLOWED_CELL_METADATA
        if extra:
            problems.append(f"cell {i}: stray metadata {sorted(extra)}")
        if cell.cell_type == "code":
            if cell.get("execution_count") is not None and not checks_output(cell):
                problems.append(f"cell {i}: execution count {cell.execution_count} (commit notebooks clean)")
            if checks_output(cell) and cell.get("outputs") and cell.get("execution_count") != 1:
                problems.append(f"cell {i}: a checked cell keeps execution count 1 (nbval skips unrun cells); "
                                "run python -m tools.lessons refresh")
            if cell.get("outputs") and not checks_output(cell):
                problems.append(f"cell {i}: has outputs but no '# {CHECK_OUTPUT_MARK}' marker")
    return problems



def clean_notebook(nb):
    """Strip what must not be committed; keep outputs only of ``NBVAL_CHECK_OUTPUT`` cells."""
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in ALLOWED_NB_METADATA}
    if "language_info" in nb.metadata:
        nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.get("metadata", {}).items() if k in ALLOWED_CELL_METADATA}
        if cell.cell_type == "code":
            # nbval only compares cells that look run; a fixed count keeps diffs quiet.
            cell.execution_count = 1 if checks_output(cell) and cell.outputs else None
            if checks_output(cell):
                for out in cell.outputs:  # keep what nbval compares, drop what changes per run
                    if out.get("output_type") == "execute_result":
                        out["execution_count"] = 1
                    if out.get("output_type") in ("execute_result", "display_data"):
                        out["metadata"] = {}
            else:
                cell.outputs = []
    return nb


def clean_file(path: Path, write: bool = True) -> bool:
    """Whether the notebook at ``path`` was committed dirty; with ``write``, save it clean.

    The one check behind the pre-commit hook (``python -m tools.lessons clean``) and the test that
    every committed lesson is clean. A clean file is compared as JSON and never rewritten, so key
    order or indentation another editor chose does not count as dirt.
    """
    text = Path(path).read_text(encoding="utf-8")
    cleaned = clean_notebook(nbformat.reads(text, as_version=4))
    if json.loads(text) == json.loads(nbformat.writes(cleaned)):
        return False
    if write:
        nbformat.write(cleaned, path)
    return True


def refresh_notebook(path: Path, timeout: int = 180) -> None:
    """Run a notebook from top to bottom, then save it clean with its checked outputs."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    nbformat.write(clean_notebook(nb), path)

