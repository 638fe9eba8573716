'''Build nbgrader assignment notebooks from Python, with schema-3 metadata set correctly.

Repository tooling (not part of the installed ``sensorlab``): the builders in
``grader/authoring/`` use it to write ``grader/source*/``. Authoring with these helpers (rather
than the JupyterLab "Create Assignment" sidebar) keeps every grade id descriptive, every test
cell opening with a one-line docstring, and the committed ``.ipynb`` clean (no outputs, no
execution counts).

An assignment is written once: its cells hold the code, and every student-facing text (prose,
test docstrings, assertion messages, comments) is a ``{t:key}`` placeholder whose English and
Korean wording sit beside the builder in ``<builder>.en.toml`` and ``<builder>.ko.toml``
(:func:`bilingual`).

Examples
--------
>>> nb = notebook([markdown("intro", "# Title"), answer("squares", "def f(x):\\n    return x * x"),
...                tests("squares_small_numbers", '"""f squares small numbers."""\\nassert f(2) == 4', 1)])
>>> [c.metadata.nbgrader["grade_id"] for c in nb.cells]
['intro', 'squares', 'squares_small_numbers']
>>> nb.cells[2].metadata.nbgrader["points"]
1
'''

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SCHEMA = 3
_GRADE_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
#: A translated text in a cell's source: ``{t:key}``, the key in snake_case.
PLACEHOLDER = re.compile(r"\{t:([a-z][a-z0-9_]*)\}")
LANGUAGES = ("en", "ko")
#: The Korean edition's first code cell starts with this, so checks speak Korean to the student.
LANGUAGE_LINE = {"en": "", "ko": 'from sensorlab import messages; messages.set_language("ko")\n'}


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points=None, task=False) -> dict:
    if not _GRADE_ID.match(grade_id):
        raise ValueError(f"grade id {grade_id!r} is not snake_case")
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA,
            "solution": solution, "task": task}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown(grade_id: str, text: str):
    """A read-only Markdown cell (instructions students cannot edit)."""
    return new_markdown_cell(text, metadata=_meta(grade_id, grade=False, solution=False, locked=True))


def setup(grade_id: str, code: str):
    """A read-only code cell (imports, the data every question uses)."""
    return new_code_cell(code, metadata=_meta(grade_id, grade=False, solution=False, locked=True))


def answer(grade_id: str, code: str):
    """An autograded answer cell; the solution part goes between the nbgrader fences.

    ``code`` is the whole solution; it is wrapped in ``### BEGIN/END SOLUTION`` unless it
    already contains the fences (to keep a signature line visible to students).
    """
    if "### BEGIN SOLUTION" not in code:
        code = f"### BEGIN SOLUTION\n{code}\n### END SOLUTION"
    return new_code_cell(code, metadata=_meta(grade_id, grade=False, solution=True, locked=False))


def tests(grade_id: str, code: str, points: float):
    """An autograder test cell; must open with a one-line docstring saying what it checks.

    When grading, the whole cell is decided outside the student's kernel
    (:mod:`sensorlab.grading.verdict`) on the student's values as plain data, after the set-up
    cells: write it as if it ran in the notebook. Calls of a student's *function* on hidden
    inputs go in a ``### BEGIN PROBE`` / ``### END PROBE`` section inside the hidden block (run
    in the kernel, which never sees the rest of the hidden block; replayed outside).
    """
    if not code.lstrip().startswith('"""'):
        raise ValueError(f"test cell {grade_id!r} must open with a one-line docstring")
    return new_code_cell(code, metadata=_meta(grade_id, grade=True, solution=False, locked=True,
                                              points=points))


def work(grade_id: str, code: str, points: float):
    """A manually graded code answer (a team's own analysis; graded by rubric, not by tests)."""
    return new_code_cell(code, metadata=_meta(grade_id, grade=True, solution=True, locked=False, points=points))


def written(grade_id: str, model_answer: str, points: float):
    """A manually graded Markdown answer; students get "YOUR ANSWER HERE" instead of the model.

    Put the rubric in the question cell above it, where students and graders both see it.
    """
    return new_markdown_cell(model_answer, metadata=_meta(grade_id, grade=True, solution=True, locked=False,
                                                  points=points))


def notebook(cells: list, language: str = "en"):
    """A clean notebook with the Python 3 kernelspec nbgrader expects."""
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "sensorlab": {"language": language},
    }
    return nb


def write(nb, path) -> None:
    """Validate and write ``nb`` with stable formatting (one cell id per cell, no outputs)."""
    for index, cell in enumerate(nb.cells):
        cell["id"] = cell.metadata["nbgrader"]["grade_id"].replace("_", "-")[:64] or f"cell-{index}"
    nbformat.validate(nb)
    nbformat.write(nb, str(path))


def write_editions(build, name: str, course_dir) -> list:
    """Write an assignment's English and Korean sources from one ``build(lang)`` function.

    ``build("en")`` goes to ``source/<name>/<name>.ipynb`` and ``build("ko")`` to
    ``source-ko/<name>/<name>.ipynb`` (the Korean release a teacher can choose); nothing is
    written unless the two mirror each other (:func:`tools.korean_mirror.mirror_problems`).
    """
    from sensorlab.grading.course import SOURCE_DIRS
    from tools.korean_mirror import mirror_problems

    editions = {lang: build(lang) for lang in LANGUAGES}
    problems = mirror_problems(editions["en"], editions["ko"])
    if problems:
        raise ValueError(f"{name}: the Korean edition does not mirror the English: {problems}")
    paths = []
    for lang, nb in editions.items():
        path = Path(course_dir) / SOURCE_DIRS[lang] / name / f"{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        write(nb, path)
        paths.append(path)
    return paths


class TranslationError(ValueError):
    """A translations file that does not match its assignment's placeholders."""


def translations_path(builder, lang: str) -> Path:
    """``build_NN_name.py`` -> ``build_NN_name.<lang>.toml`` beside it."""
    return Path(builder).with_suffix(f".{lang}.toml")


def placeholders(cells) -> dict[str, str]:
    """Every ``{t:key}`` of ``cells`` -> the grade id of the first cell that uses it, in order."""
    used: dict[str, str] = {}
    for cell in cells:
        for key in PLACEHOLDER.findall(cell.source):
            used.setdefault(key, cell.metadata["nbgrader"]["grade_id"])
    return used


def load_texts(name: str, builder, lang: str, used: dict[str, str]) -> dict[str, str]:
    """The ``lang`` texts of assignment ``name``, checked against the keys its cells use.

    Raises :class:`TranslationError` naming the assignment, the language and every missing or
    unused key, so a text added in one language only stops the build.
    """
    path = translations_path(builder, lang)
    if not path.is_file():
        raise TranslationError(f"{name} ({lang}): no translations file {path}")
    with path.open("rb") as handle:
        try:
            texts = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise TranslationError(f"{name} ({lang}): {path.name} is not valid TOML: {error}") from None
    problems = [f"key {key!r} (cell {cell}) is missing" for key, cell in used.items() if key not in texts]
    problems += [f"key {key!r} is used by no cell" for key in texts if key not in used]
    problems += [f"key {key!r} is not a string" for key, text in texts.items() if not isinstance(text, str)]
    if problems:
        raise TranslationError(f"{name} ({lang}, {path.name}): " + "; ".join(problems))
    return texts


def localize(cells, texts: dict[str, str], lang: str, values: dict | None = None) -> list:
    """Copies of ``cells`` with every placeholder replaced by its ``lang`` text.

    ``values`` maps a grade id to the fields its text is formatted with (``str.format``), for a
    model answer that quotes numbers computed when the assignment is built.
    """
    out, first_code = [], True
    for cell in cells:
        cell = copy.deepcopy(cell)
        cell.source = PLACEHOLDER.sub(lambda match: texts[match[1]], cell.source)
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if values and grade_id in values:
            cell.source = cell.source.format(**values[grade_id])
        if cell.cell_type == "code" and first_code:
            cell.source, first_code = LANGUAGE_LINE[lang] + cell.source, False
        out.append(cell)
    return out


def bilingual(name: str, cells: list, builder, computed: dict | None = None):
    """``build(lang)`` for an assignment written once: ``cells`` with ``{t:key}`` placeholders.

    The texts are read (and checked, see :func:`load_texts`) now, from the ``.en.toml`` and
    ``.ko.toml`` files beside ``builder`` (the builder's ``__file__``). ``computed`` maps a grade
    id to a function returning the ``{field}`` values of that cell's text (called once per build).
    """
    used = placeholders(cells)
    texts = {lang: load_texts(name, builder, lang, used) for lang in LANGUAGES}

    def build(lang: str):
        """The assignment notebook in ``lang`` ("en" or "ko")."""
        values = {grade_id: fields() for grade_id, fields in (computed or {}).items()}
        return notebook(localize(cells, texts[lang], lang, values), language=lang)

    return build
