"""Hidden tests decided outside the kernel: capped in memory and time, and fit for big answers.

The values a test cell exports come from student code, so the process that decodes and checks
them (a fork of the grading run's pre-imported zygote, or a fresh ``python -I``) is capped in
memory and CPU: a crafted export fails its own notebook's tests, never the grader. An honest
answer that is a big DataFrame (far more than the 512 kB of printed output a cell may keep)
reaches the grader whole and is graded.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from sensorlab.grading import zygote
from sensorlab.grading.kernels import ResilientExecute
from sensorlab.grading.outside import DecideOutside, SplitHiddenTests, decide_outside
from sensorlab.grading.sandbox import ENV_VAR, Limits

SETUP = ["import math"]
PASSING = {"grade_id": "t_peak", "source": "assert peak == 7", "values": {"peak": 7}, "why": None}


def _crafted(items: int) -> dict:
    """A forged export: a few bytes of JSON per item, hundreds of bytes once decoded."""
    nested = {"t": "list", "v": [{"t": "list", "v": []}] * items}
    return {"grade_id": "t_bomb", "source": "assert len(x) > 0", "values": {"x": nested}, "why": None}


@pytest.fixture(scope="module", params=["fresh interpreter", "zygote fork"])
def runner(request, tmp_path_factory, monkeypatch_module):
    if request.param == "zygote fork":
        proc, path = zygote.start(tmp_path_factory.mktemp("zygote"))
        zygote.wait_ready(proc)
        monkeypatch_module.setenv(zygote.ENV_VAR, path)
        yield request.param
        proc.kill()
        proc.wait()
        monkeypatch_module.delenv(zygote.ENV_VAR)
    else:
        monkeypatch_module.delenv(zygote.ENV_VAR, raising=False)
        yield request.param


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_an_honest_request_is_decided(runner):
    out = decide_outside({"setup": SETUP, "tests": [PASSING, {**PASSING, "grade_id": "t_wrong", "values": {"peak": 8}}],
                          "lang": "en"}, Limits(memory_mb=256, cpu_s=30), timeout=120)
    assert out["verdicts"]["t_peak"] is None
    assert out["verdicts"]["t_wrong"][0] == "AssertionError"


def test_a_crafted_export_runs_out_of_its_own_memory_not_the_graders(runner):
    request = {"setup": SETUP, "tests": [_crafted(2_000_000)], "lang": "en"}
    assert len(json.dumps(request)) > 30 * 2**20 // 2  # tens of MB of JSON, GBs of objects uncapped
    out = decide_outside(request, Limits(memory_mb=256, cpu_s=60), timeout=300)
    assert out == {"error": "memory"}


def test_checking_that_never_ends_is_stopped(runner):
    endless = {**PASSING, "source": "while peak == 7:\n    pass"}
    out = decide_outside({"setup": SETUP, "tests": [endless], "lang": "en"}, Limits(memory_mb=256, cpu_s=2), timeout=120)
    assert out.get("error") in ("stopped", "timeout"), out


def test_the_notebook_says_why_when_the_check_ran_out_of_memory(runner, monkeypatch):
    monkeypatch.setenv(ENV_VAR, Limits(memory_mb=256, cpu_s=60).to_json())  # as in a grading worker
    nb = _notebook("x = [[] for _ in range(3)]", "assert len(x) > 0")
    cell = nb.cells[2]
    cell.metadata["sensorlab_verdict"] = {"source": cell.source, "names": ["x"]}
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.sensorlab.export+json": {"grade_id": "t_frame", "values": _crafted(2_000_000)["values"]}})]
    nb, _ = DecideOutside().preprocess(nb, {})
    errors = [o for o in nb.cells[2].outputs if o.get("output_type") == "error"]
    assert errors and "more than 256 MB" in errors[0]["evalue"], nb.cells[2].outputs


def _notebook(answer: str, test: str):
    def meta(**kw):
        return {"nbgrader": {"schema_version": 3, "grade": False, "solution": False, "locked": False, **kw}}

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\nimport pandas as pd",
                                          metadata=meta(locked=True, grade_id="setup")),
                nbformat.v4.new_code_cell(answer, metadata=meta(solution=True, grade_id="answer")),
                nbformat.v4.new_code_cell(test, metadata=meta(grade=True, locked=True, points=1, grade_id="t_frame")),
                nbformat.v4.new_code_cell("print('x' * 2_000_000)", metadata=meta(grade_id="noise"))]
    return nb


@pytest.mark.slow
def test_an_honest_big_dataframe_answer_is_graded_and_printed_floods_are_still_cut(tmp_path):
    rows = 300_000
    nb = _notebook(f"frame = pd.DataFrame({{'a': np.arange({rows}), 'b': np.arange({rows}) * 0.5}})",
                   f"assert frame.shape == ({rows}, 2)\n### BEGIN HIDDEN TESTS\n"
                   f"assert frame['b'].sum() == 0.5 * {rows - 1} * {rows} / 2\n### END HIDDEN TESTS")
    resources = {"metadata": {"path": str(tmp_path)}}
    nb, resources = SplitHiddenTests().preprocess(nb, resources)
    execute = ResilientExecute(limits=Limits(output_kb=512), timeout=120, kernel_name="python3")
    nb, resources = execute.preprocess(nb, resources)
    export = nb.cells[2].outputs[0]["data"]["application/vnd.sensorlab.export+json"]
    assert len(json.dumps(export)) > 512 * 1024  # more than a cell may print: an export is not printed output
    nb, resources = DecideOutside().preprocess(nb, resources)
    assert [o for o in nb.cells[2].outputs if o.get("output_type") == "error"] == []
    assert "[output cut: more than 512 kB]" in "".join(o.get("text", "") for o in nb.cells[3].outputs)
    assert execute.output_cut == [3]
