"""nbgrader preprocessors that take the decision on test cells out of the student's kernel.

:class:`SplitHiddenTests` goes before nbgrader's ``Execute``, :class:`DecideOutside` after it;
:func:`autograde_preprocessors` is nbgrader's autograde list with both in place (used by
``nbgrader_config.py`` and by :mod:`sensorlab.grading.autograde`). How the decision is made is
in :mod:`sensorlab.grading.verdict`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

from sensorlab.grading import verdict
from sensorlab.grading.feedback import notebook_language, show_as_text
from sensorlab.messages import text


class SplitHiddenTests(Preprocessor):
    """Give the kernel each test cell without its hidden block, plus one export line."""

    enabled = Bool(True)  # nbconvert preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        setup = [c.source for c in nb.cells if verdict.is_setup(c)]
        for cell in nb.cells:
            if not verdict.is_test(cell):
                continue
            gid = cell.metadata["nbgrader"]["grade_id"]
            try:
                names = verdict.student_names(cell.source, setup)
            except SyntaxError:
                continue  # the kernel reports it as an error: 0 points, as before
            cell.metadata[verdict.META_KEY] = {"source": cell.source, "names": names}
            cell.source = verdict.kernel_source(cell.source, gid, names)
        return nb, resources


class DecideOutside(Preprocessor):
    """Score each test cell from a fresh grader process's run of its hidden tests on exported data."""

    enabled = Bool(True)
    timeout = Integer(600, help="seconds the outside run of one notebook's tests may take").tag(config=True)

    def preprocess(self, nb, resources):
        tests, cells = [], {}
        for cell in nb.cells:
            saved = cell.metadata.pop(verdict.META_KEY, None)
            if saved is None:
                continue
            gid = cell.metadata["nbgrader"]["grade_id"]
            cell.source = saved["source"]  # the teacher sees the whole test in the autograded notebook
            exports = [o for o in cell.get("outputs", []) if verdict.EXPORT_MIME in o.get("data", {})]
            # a test never shows a value: an execute_result would be read as partial credit by nbgrader
            cell.outputs = [o for o in cell.get("outputs", [])
                            if o not in exports and o.get("output_type") != "execute_result"]
            if any(o.get("output_type") == "error" for o in cell.outputs):
                continue  # already 0 points
            cells[gid] = cell
            values, why = None, None
            if len(exports) != 1:
                why = "grading.verdict_twice" if exports else "grading.verdict_no_results"
            else:
                payload = exports[0]["data"][verdict.EXPORT_MIME]
                if not isinstance(payload, dict) or payload.get("grade_id") != gid \
                        or not isinstance(payload.get("values"), dict):
                    why = "grading.verdict_twice"  # someone else's results: not this cell's own
                else:
                    values = {n: payload["values"].get(n) for n in saved["names"]}
            tests.append({"grade_id": gid, "source": saved["source"], "values": values, "why": why})
        if tests:
            setup = [c.source for c in nb.cells if verdict.is_setup(c)]
            lang = notebook_language(nb)
            for gid, failure in self._run(setup, tests, lang).items():
                if failure is not None and gid in cells:
                    ename, message = failure
                    cells[gid].outputs.append(nbformat.v4.new_output(
                        "error", ename=ename, evalue=message,
                        traceback=[f"{ename}: {message}", text("grading.verdict_outside", lang=lang)]))
        show_as_text(nb, markdown=False)  # the formgrader shows outputs as text too
        return nb, resources

    def _run(self, setup: list[str], tests: list[dict], lang: str | None) -> dict:
        request = json.dumps({"setup": setup, "tests": tests, "lang": lang})
        with tempfile.TemporaryDirectory(prefix="sensorlab-verdict-") as cwd:
            try:
                done = subprocess.run([sys.executable, "-I", "-m", "sensorlab.grading.verdict"], input=request,
                                      capture_output=True, text=True, cwd=cwd, timeout=self.timeout,
                                      env={**os.environ, "MPLBACKEND": "Agg"})
            except subprocess.TimeoutExpired:
                return {t["grade_id"]: ["GraderError", f"the hidden tests took more than {self.timeout} s"]
                        for t in tests}
        try:
            return json.loads(done.stdout)
        except ValueError:
            self.log.error("hidden tests could not run outside the kernel: %s", done.stderr[-2000:])
            return {t["grade_id"]: ["GraderError", "the hidden tests could not run: " + done.stderr[-300:]]
                    for t in tests}


def autograde_preprocessors(execute=None) -> list:
    """nbgrader's autograde preprocessors with the hidden tests decided outside the kernel.

    ``execute`` replaces nbgrader's ``Execute`` (``sensorlab.grading.autograde`` passes its own).
    """
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    out = []
    for pp in Autograde.class_traits()["autograde_preprocessors"].default():
        if pp is Execute:
            out += [SplitHiddenTests, execute or Execute, DecideOutside]
        else:
            out.append(pp)
    return out
