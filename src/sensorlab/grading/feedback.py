"""Feedback that never shows hidden tests or their expected values (nbgrader issue #917).

nbgrader's ``generate_feedback`` renders the autograded notebook, hidden tests included, and a
failing hidden ``assert`` prints the expected value in its traceback. :class:`HideHiddenTests`
runs before nbgrader's own feedback preprocessors: each test cell keeps only the code students
were given, and its output becomes one sentence (passed / did not pass, with the error's type
only) from the message catalogue, in the notebook's language.

Everything a student wrote or printed is shown as text (:func:`show_as_text`): HTML, Markdown,
SVG and JavaScript outputs become their source text, and raw HTML in a student's Markdown cell
is escaped, so a printed fake score panel or a ``<script>`` never renders in the feedback.

Examples
--------
>>> import nbformat
>>> test_code = '\"\"\"f works.\"\"\"\\nassert f(1) == 1\\n### BEGIN HIDDEN TESTS\\nassert f(2) == 4\\n### END HIDDEN TESTS'
>>> cell = nbformat.v4.new_code_cell(test_code, metadata={"nbgrader": {
...     "grade": True, "grade_id": "test_f", "locked": True, "points": 1, "schema_version": 3, "solution": False}})
>>> cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="4 != 5", traceback=["f(2) == 4"])]
>>> nb = nbformat.v4.new_notebook(cells=[cell])
>>> nb, _ = HideHiddenTests().preprocess(nb, {})
>>> "f(2)" in nbformat.writes(nb), "4 != 5" in nbformat.writes(nb)
(False, False)
"""

from __future__ import annotations

import re

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from sensorlab.messages import get_language, text

_HIDDEN = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*", re.S)


class HideHiddenTests(Preprocessor):
    """Strip hidden tests and test outputs from a notebook before feedback is rendered."""

    enabled = Bool(True)  # nbconvert preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        lang = notebook_language(nb) or _course_language() or get_language()
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
                continue
            cell.source = _HIDDEN.sub(text("grading.feedback_hidden_block", lang=lang), cell.source)
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            message = (text("grading.feedback_failed", lang=lang, error=errors[0].get("ename", "Error"))
                       if errors else text("grading.feedback_passed", lang=lang))
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=message + "\n")]
        show_as_text(nb)
        return nb, resources


#: Output formats shown as they are: plain text, and images whose data is checked to be base64.
_SAFE_IMAGES = ("image/png", "image/jpeg", "image/gif")
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*\Z")


def show_as_text(nb, markdown: bool = True):
    """Make every student output (and, with ``markdown``, student Markdown cell) of ``nb`` render as text.

    Works in place and may run twice (outputs after grading, Markdown once, for the feedback).

    Examples
    --------
    >>> cell = nbformat.v4.new_code_cell("x")
    >>> cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<script>x()</script>"})]
    >>> show_as_text(nbformat.v4.new_notebook(cells=[cell])).cells[0].outputs[0].data
    {'text/plain': '<script>x()</script>'}
    """
    import html

    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if markdown and cell.cell_type == "markdown" and not (meta.get("locked") and not meta.get("solution")):
            cell.source = html.escape(cell.source, quote=False)  # Markdown shows &lt; as <, as text
            cell.pop("attachments", None)
        for out in cell.get("outputs", []):
            if out.get("output_type") not in ("display_data", "execute_result"):
                continue  # streams and errors are escaped by nbconvert's ansi2html
            data = out.get("data", {})
            text = data.get("text/plain") or next(
                (v for k, v in data.items() if k not in _SAFE_IMAGES and isinstance(v, str)), "")
            kept = {k: v for k, v in data.items()
                    if k in _SAFE_IMAGES and isinstance(v, str) and _BASE64.match(v)}
            out["data"] = {"text/plain": text if isinstance(text, str) else "".join(text), **kept}
            out["metadata"] = {}
    return nb


def notebook_language(nb) -> str | None:
    """The release language a notebook's metadata names, or None.

    The metadata travels in the student's file, so anything may be there (a list, a number,
    a language the course does not have): only a language of the course is taken.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(metadata={"sensorlab": {"language": ["ko"]}})
    >>> notebook_language(nb) is None, notebook_language(nbformat.v4.new_notebook(metadata={"sensorlab": {"language": "ko"}}))
    (True, 'ko')
    """
    from sensorlab.grading.course import SOURCE_DIRS

    meta = nb.metadata.get("sensorlab")
    lang = meta.get("language") if isinstance(meta, dict) else None
    return lang if isinstance(lang, str) and lang in SOURCE_DIRS else None


def _course_language() -> str | None:
    """The release language a teacher chose (``$SENSORLAB_COURSE_LANG``), if any."""
    import os

    from sensorlab.grading.course import LANG_ENV_VAR, SOURCE_DIRS

    lang = os.environ.get(LANG_ENV_VAR, "").strip().lower()[:2]
    return lang if lang in SOURCE_DIRS else None


def generate_feedback(root, assignment: str, student: str | None = None, lang: str | None = None) -> dict:
    """Run nbgrader's ``generate_feedback`` with :class:`HideHiddenTests` first; return its result.

    Each notebook's feedback is in its own language (a Korean release's notebooks say so in
    their metadata); ``lang`` picks the release's source directory as in ``course.api``.
    """
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from sensorlab.grading import course

    api = course.api(root, lang, GenerateFeedback__preprocessors=[HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor])
    return course.check(api.generate_feedback(assignment, student), f"generate_feedback {assignment}")
