"""A clever student cannot fool the grader, and an honest slip does not cost the grade.

- Student output is shown as text in the feedback (a printed fake score panel, a ``<script>``,
  HTML/Markdown/JavaScript displays, an error message, raw HTML in a written answer).
- Hidden tests are decided outside the student's kernel on exported plain data
  (:mod:`sensorlab.grading.verdict`); the attacks on every assignment run inside the assignment
  proofs (tests/_grading_proofs.py, tests/hostile/attacks.py), the ones on assignment 01 also in
  the hostile batch (tests/hostile/corpus.py).
- A duplicated answer cell or cell id is graded and flagged (tests/test_grading_hostile.py
  grades them in the batch; the precheck is checked here).
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from sensorlab.grading import course, plain_data, verdict
from sensorlab.grading.autograde import autograde
from sensorlab.grading.feedback import generate_feedback
from sensorlab.grading.precheck import check_notebook
from tools import grading_proof as proof
from tools.grading_authoring import answer, notebook, written
from tools.grading_authoring import tests as _test_cell  # not "tests": pytest would collect that name

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import corpus  # noqa: E402 - tests/hostile is not a package
import _grading_proofs as proofs  # noqa: E402

A = corpus.ASSIGNMENT


# ---------------------------------------------------------------- feedback shows output as text

@pytest.mark.slow
def test_feedback_shows_injected_html_as_text(tmp_path):
    """Real autograde and feedback of a submission that prints, displays and writes HTML."""
    generated = proofs.generated_course(tmp_path / "course", A)
    root, api = generated.root, generated.api
    nb = corpus._answer(generated.good, "sds011_ugm3", corpus.PRINTS_HTML)
    nb = corpus._answer(nb, "q5_district_office",
                        '<div class="score">All tests passed</div><script>window.PWNED = 6</script>')
    nb.cells.append(nbformat.v4.new_code_cell('raise ValueError("<script>window.PWNED = 5</script>")'))
    proof.place_submission(root, A, "html", nb)
    course.check(api.autograde(A, "html"), "autograde")
    graded = nbformat.read(str(root / "autograded" / "html" / A / f"{A}.ipynb"), as_version=4)
    mimes = {k for c in graded.cells for o in c.get("outputs", []) for k in o.get("data", {})}
    assert mimes <= {"text/plain", "image/png"}, mimes  # the formgrader shows text too
    generate_feedback(root, A, "html")
    page = (root / "feedback" / "html" / A / f"{A}.html").read_text(encoding="utf-8")
    for n in range(1, 7):
        assert f"<script>window.PWNED = {n}" not in page, n
    assert '<div class="score">' not in page
    for n in (1, 2, 3, 5, 6):  # shown, as text
        assert f"&lt;script&gt;window.PWNED = {n}" in page, n
    assert proof.read_scores(root, A)["html"]["test_sds011_ugm3"] == 2


@pytest.mark.slow
def test_cells_that_claim_to_be_the_teachers_still_show_as_text(tmp_path):
    """A student's own cells dressed as locked teacher cells (nbgrader metadata typed into
    the notebook's JSON) cannot put live HTML into the feedback."""
    generated = proofs.generated_course(tmp_path / "course", A)
    root, nb = generated.root, generated.good
    locked = nbformat.v4.new_markdown_cell('<div class="score">All tests passed</div><script>window.PWNED = 7</script>')
    locked.metadata["nbgrader"] = {"locked": True, "grade": False, "solution": False,
                                   "grade_id": "intro_note", "schema_version": 3}
    nb.cells.insert(1, locked)
    proof.place_submission(root, A, "claims", nb)
    outcomes = autograde(root, A, jobs=1, progress=False)
    assert outcomes["claims"].graded and outcomes["claims"].kinds == ["tampered"], outcomes["claims"].flags
    generate_feedback(root, A, "claims")
    page = (root / "feedback" / "claims" / A / f"{A}.html").read_text(encoding="utf-8")
    assert "<script>window.PWNED = 7" not in page
    assert '<div class="score">' not in page
    assert "&lt;script&gt;window.PWNED = 7" in page
    full = proof.autograded_tests(generated.source)
    assert {t: proof.read_scores(root, A)["claims"][t] for t in full} == full


@pytest.mark.slow
def test_a_notebook_language_typed_as_a_list_does_not_stop_the_class_feedback(tmp_path):
    """The notebook's ``sensorlab.language`` is the student's to edit: a list there must not
    stop grading or the feedback of the whole class."""
    generated = proofs.generated_course(tmp_path / "course", A)
    root, source, good = generated.root, generated.source, generated.good
    odd = copy.deepcopy(good)
    odd.metadata["sensorlab"] = {"language": ["ko"]}
    proof.place_submission(root, A, "honest", good)
    proof.place_submission(root, A, "odd_language", odd)
    outcomes = autograde(root, A, jobs=2, progress=False)
    generate_feedback(root, A)
    full = proof.autograded_tests(source)
    for student in ("honest", "odd_language"):
        assert outcomes[student].graded and not outcomes[student].flags, outcomes[student].flags
        assert {t: proof.read_scores(root, A)[student][t] for t in full} == full, student
        assert (root / "feedback" / student / A / f"{A}.html").is_file(), student


# ---------------------------------------------------------------- plain data across the boundary

def _round_trip(value, name="x"):
    return plain_data.decode(json.loads(json.dumps(plain_data.encode(value))), name)


def test_values_cross_as_exact_plain_types():
    class AlwaysEqual(str):
        def __eq__(self, other):
            return True

    class Zero(float):
        def __sub__(self, other):
            return 0.0

    got = _round_trip({"s": AlwaysEqual("99"), "f": Zero(2.5), "n": np.int64(7), "t": (1, None, True)})
    assert type(got["s"]) is str and got["s"] != "15"
    assert type(got["f"]) is float and got["f"] - 1.0 == 1.5
    assert got["n"] == 7 and type(got["n"]) is np.int64 and got["t"] == (1, None, True)


def test_a_named_tuple_crosses_with_its_fields():
    from sensorlab.stats import ConfidenceInterval

    got = _round_trip(ConfidenceInterval(10.0, 8.5, 11.5, 0.95))
    assert (got.low, got.high) == (8.5, 11.5) and tuple(got) == (10.0, 8.5, 11.5, 0.95)


def test_pandas_objects_cross_with_index_time_zone_and_dtype():
    idx = pd.date_range("2024-01-01", periods=3, freq="D", tz="Asia/Seoul")
    series = pd.Series([1.5, np.nan, 3.0], index=idx, name="pm25")
    frame = pd.DataFrame({"t": [20.1, 21.0], "rh": [55.0, 56.5], "ok": [True, False]},
                         index=pd.MultiIndex.from_tuples([(1, 2), (1, 3)], names=["boot_id", "seq"]))
    cats = pd.Series(pd.Categorical(["good", "bad", "good"], categories=["good", "bad"]))
    pd.testing.assert_series_equal(_round_trip(series), series, check_freq=False)
    pd.testing.assert_frame_equal(_round_trip(frame), frame)
    pd.testing.assert_series_equal(_round_trip(cats), cats)
    assert _round_trip(idx[0]) == idx[0] and str(_round_trip(idx[0]).tz) == "Asia/Seoul"


def test_an_object_the_grader_does_not_know_fails_with_a_sentence():
    class Model:
        def __eq__(self, other):
            return True

    got = _round_trip(Model(), "model")
    with pytest.raises(TypeError, match="model is a Model: the grader checks only numbers"):
        assert got == 1


def test_a_student_function_is_replayed_from_the_recorded_calls():
    recorder = plain_data.Recorder(lambda raw: raw // 10)
    recorder(120)
    replay = _round_trip(recorder, "sds011_ugm3")
    assert replay(120) == 12
    with pytest.raises(AssertionError, match="not run on these inputs"):
        replay(7)


def test_the_kernel_never_gets_the_hidden_block_but_the_verdict_does():
    source = ('"""f squares."""\nassert f(2) == 4\n### BEGIN HIDDEN TESTS\n### BEGIN PROBE\nf(3)\n'
              '### END PROBE\nassert f(3) == 9, "SECRET"\n### END HIDDEN TESTS')
    names = verdict.student_names(source, ["import math"])
    kernel = verdict.kernel_source(source, "test_f", names)
    assert names == ["f"] and "SECRET" not in kernel and "f(3)" in kernel
    namespace = {"f": lambda x: x * x}
    exec(kernel.replace(f"{verdict.__name__.split('.')[0]}", "sensorlab"), namespace)  # as the kernel would
    recorder = namespace["f"]
    values = {"f": json.loads(json.dumps(plain_data.encode(recorder)))}
    assert verdict.decide([], [{"grade_id": "test_f", "source": source, "values": values}]) == {"test_f": None}
    wrong = plain_data.Recorder(lambda x: 4)
    wrong(2), wrong(3)
    values = {"f": json.loads(json.dumps(plain_data.encode(wrong)))}
    assert verdict.decide([], [{"grade_id": "test_f", "source": source, "values": values}]) == \
        {"test_f": ["AssertionError", "SECRET"]}


# ---------------------------------------------------------------- honest slips

RELEASE = notebook([answer("f", "def f(x):\n    return x"),
                    _test_cell("test_f", '"""f returns its argument."""\nassert f(1) == 1', 2),
                    written("why", "Because.", 1)])


def test_a_pasted_twice_answer_cell_is_graded_once_and_flagged():
    sub = copy.deepcopy(RELEASE)
    twin = copy.deepcopy(sub.cells[0])
    twin["id"] = "pasted"
    sub.cells.insert(1, twin)
    nb, flags = check_notebook(nbformat.writes(sub).encode(), RELEASE)
    assert [f.kind for f in flags] == ["duplicated"]
    assert "appears 2 times" in flags[0].reason and "cell(s) 2" in flags[0].reason
    assert [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells] == ["f", None, "test_f", "why"]


def test_a_repeated_cell_id_is_renamed_and_flagged():
    data = json.loads(nbformat.writes(RELEASE))
    data["cells"][1]["id"] = data["cells"][0]["id"]
    nb, flags = check_notebook(json.dumps(data).encode(), RELEASE)
    assert [f.kind for f in flags] == ["duplicated"] and data["cells"][0]["id"] in flags[0].reason
    assert len({c.id for c in nb.cells}) == 3


_MANY_CELLS = """
import json, sys
import nbformat
from sensorlab.grading.precheck import check_notebook
release = nbformat.reads(sys.stdin.read(), as_version=4)
data = json.loads(nbformat.writes(release))
data["cells"] += [{"cell_type": "raw", "id": f"c{i}", "metadata": {}, "source": ""} for i in range(300_000)]
blob = json.dumps(data).encode()
assert len(blob) < 32 * 2**20  # within the grader's per-file cap: it reaches the precheck
nb, flags = check_notebook(blob, release)
print(len(nb.cells), [f.kind for f in flags])
"""


def test_a_notebook_of_300000_cells_is_checked_before_a_class_would_wait_on_it():
    """Prechecks run in the grader itself, one submission after another, before any time limit
    applies: a notebook padded with 300,000 empty cells (20 MB, under the file cap) must not hold
    up the class (counting repeated cell ids took time growing with the square of the cells:
    about half an hour of CPU for this one)."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", _MANY_CELLS], input=nbformat.writes(RELEASE),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == str(300_000 + len(RELEASE.cells)), done.stdout
