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
from sensorlab.grading.sandbox import ENV_VAR, Limits
from sensorlab.grading.feedback import notebook_language, show_as_text
from sensorlab.messages import text


class SplitHiddenTests(Preprocessor):
    """Give the kernel each test cell without its hidden block, plus one export line."""

    enabled = Bool(True)  # nbconvert preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        setup = [c.source for c in nb.cells if verdict.is_setup(c)]
        for cell in nb.cells:
            # only this preprocessor writes the key: one typed into the submission's JSON would be
            # run outside the sandbox as a "test" by DecideOutside
            cell.metadata.pop(verdict.META_KEY, None)
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
            if saved is None or not verdict.is_test(cell):  # a test cell's, as SplitHiddenTests left it
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
                if isinstance(payload, dict) and "too_large_mb" in payload:
                    why = "grading.verdict_too_large"
                elif not isinstance(payload, dict) or payload.get("grade_id") != gid \
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
        request = {"setup": setup, "tests": tests, "lang": lang}
        limits = Limits.from_json(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else Limits()
        out = decide_outside(request, limits, self.timeout)
        if "verdicts" in out:
            return out["verdicts"]
        if out["error"] == "memory":
            why = text("grading.verdict_memory", mb=limits.memory_mb, lang=lang)
        elif out["error"] in ("timeout", "stopped"):
            why = text("grading.verdict_stopped", seconds=min(self.timeout, limits.cpu_s), lang=lang)
        else:
            self.log.error("hidden tests could not run outside the kernel: %s", out["error"])
            why = text("grading.verdict_failed", error=out["error"][-300:], lang=lang)
        return {t["grade_id"]: ["GraderError", why] for t in tests}


def decide_outside(request: dict, limits: Limits, timeout: float) -> dict:
    """Run :func:`sensorlab.grading.verdict.answer` on ``request`` in a process of its own, capped
    at the submission's memory and CPU limits and ``timeout`` seconds.

    Forked from the grading run's pre-imported zygote where there is one (no interpreter start,
    no pandas import per submission), else a fresh ``python -I``. Returns ``{"verdicts": ...}``
    or ``{"error": "memory" | "timeout" | "stopped" | other text}``.
    """
    from sensorlab.grading import zygote

    with tempfile.TemporaryDirectory(prefix="sensorlab-verdict-") as cwd:
        fork_server = os.environ.get(zygote.ENV_VAR)
        if fork_server and os.path.exists(fork_server):
            path = os.path.join(cwd, "request.json")
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(request, fh)
            return zygote.verdict(fork_server, path, cwd, limits.memory_mb, limits.cpu_s, timeout)
        try:
            done = subprocess.run([sys.executable, "-I", "-m", "sensorlab.grading.verdict",
                                   str(limits.memory_mb), str(limits.cpu_s)], input=json.dumps(request),
                                  capture_output=True, text=True, cwd=cwd, timeout=timeout,
                                  env={**os.environ, "MPLBACKEND": "Agg"})
        except subprocess.TimeoutExpired:
            return {"error": "timeout"}
    try:
        return json.loads(done.stdout)
    except ValueError:
        return {"error": "stopped"} if done.returncode < 0 else {"error": done.stderr[-2000:] or "no answer"}


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
