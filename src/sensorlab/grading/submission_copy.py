"""The copy of one submission that gets graded: plain files only, prechecked, and retried without
the cell that stopped the kernel.

:func:`prepare_submission` copies ``submitted/<student>/<assignment>`` as plain files
(:mod:`~sensorlab.grading.plainfiles`: no link followed, no fifo opened) and restores or refuses
each notebook (:mod:`~sensorlab.grading.precheck`); :func:`skip_stopping_cell` turns the cell
that killed or hung the kernel into a raise, so the submission can be graded again.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from sensorlab.grading.plainfiles import NotPlainFile, copy_plain_tree, read_plain
from sensorlab.grading.precheck import Flag, check_notebook
from sensorlab.messages import text

__all__ = ["prepare_submission", "skip_stopping_cell"]

_STOPPED = "raise RuntimeError('The grader skipped this cell: {why}')"


def prepare_submission(root: Path, assignment: str, student: str, releases: dict, others: dict,
                       dest: Path) -> tuple[list, bool]:
    """Copy one submission into ``dest`` after prechecks; return (flags, should_run).

    ``releases`` are the assignment's released notebooks by name, ``others`` the other
    assignments' (a submission of the wrong assignment is refused with a flag).
    """
    src = root / "submitted" / student / assignment
    for folder in (src.parent, src):
        if folder.is_symlink() or not folder.is_dir():
            raise NotPlainFile(0, text("grade.plainfile.not_folder", name=folder.relative_to(root)))
    # other files travel as nbgrader would take them (timestamp, submission secret, data
    # the student made), as plain copies: no link is followed, no fifo or device opened
    skipped = copy_plain_tree(src, dest, ignore=("*.ipynb", ".ipynb_checkpoints"),
                              file_mode=0o600, dir_mode=0o700)
    flags, run = [], True
    if skipped:
        more = [text("grade.precheck.and_more", count=len(skipped) - 5)] if len(skipped) > 5 else []
        flags.append(Flag("tampered", text("grade.precheck.not_copied", files=" ".join(["; ".join(skipped[:5])]
                                                                                      + more))))
    found = {p.stem: p for p in src.glob("*.ipynb")}
    for name, release in releases.items():
        path = found.get(name)
        if path is None:
            spare = [p for stem, p in found.items() if stem not in releases]
            if len(spare) == 1:
                path = spare[0]
                flags.append(Flag("renamed", text("grade.precheck.renamed", found=path.name, name=name)))
            else:
                flags.append(Flag("missing", text("grade.precheck.missing", name=name)))
                continue
        try:
            data = read_plain(path)
        except OSError as err:  # NotPlainFile too: a link, a fifo, a huge file
            data = b""
            flags.append(Flag("corrupt", text("grade.precheck.unreadable", file=path.name, error=err.strerror)))
        nb, nb_flags = check_notebook(data, release, others)
        flags += nb_flags
        if nb is None:
            run = False
        else:
            nbformat.write(nb, str(dest / f"{name}.ipynb"))
    return flags, run and any(dest.glob("*.ipynb"))


def skip_stopping_cell(folder: Path, progress: dict | None, why: str) -> str | None:
    """Replace the student cell that stopped the kernel with a raise; return its label.

    ``folder`` holds the submission's prepared copy, ``progress`` the cell the kernel was
    running (the kernel's progress file); a test cell that died blames the student's cell
    above it. None when there is no cell left to skip.
    """
    if not progress:
        return None
    for path in folder.glob("*.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        hits = [i for i, c in enumerate(code) if c.source == progress["source"]]
        if not hits:
            continue
        i = hits[0]
        while i >= 0 and code[i].metadata.get("nbgrader", {}).get("locked"):
            i -= 1  # a locked (test) cell died: the student's code above it is to blame
        if i < 0 or code[i].source.startswith("raise RuntimeError('The grader skipped"):
            return None
        label = code[i].metadata.get("nbgrader", {}).get("grade_id") or f"#{nb.cells.index(code[i]) + 1}"
        code[i].source = _STOPPED.format(why=why.replace("'", ""))
        nbformat.write(nb, str(path))
        return label
    return None
