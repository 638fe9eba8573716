"""The hostile-submission corpus for assignment 01, generated from the course's own notebooks.

Each kind builds one submission from a *good* student notebook (the release with the model
answers typed in) and says what grading must do with it: the flags it must raise and the
autograded tests it must lose (every other test keeps full marks), or ``zero`` when nothing
can be graded. ``ROOT_ONLY`` kinds are protections that apply only where the grader runs as
root (see ``sensorlab.grading.sandbox``).
"""

from __future__ import annotations

import copy
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).parent))  # tests/hostile is not a package
import attacks  # noqa: E402

ASSIGNMENT = "01-sensor-box"
CORRECT_SDS = "def sds011_ugm3(raw):\n    return raw / 10"


@dataclass
class Kind:
    name: str
    build: object                      # (good notebook, context dict) -> notebook or bytes
    flags: set = field(default_factory=set)
    loses: set = field(default_factory=set)
    zero: bool = False
    root_only_loses: set = field(default_factory=set)   # lost only where the sandbox hides files


def good_notebook(source, release):
    """The release notebook with the model answers typed into the answer cells."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]  # the fences are comments: harmless in a submission
    return nb


def _answer(nb, grade_id, code):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = code
    return nb


def _tests(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")]


def _delete_tests(nb, ctx):
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c not in _tests(nb)]
    return nb


def _edit_test(nb, ctx):
    nb = _answer(nb, "sds011_ugm3", "def sds011_ugm3(raw):\n    return raw // 10")
    for cell in _tests(nb):
        if cell.metadata["nbgrader"]["grade_id"] == "test_sds011_ugm3":
            cell.source = '"""all good"""\npass'
    return nb


def _edit_points(nb, ctx):
    nb = copy.deepcopy(nb)
    for cell in _tests(nb):
        if cell.metadata["nbgrader"]["grade_id"] == "test_xor_checksum_example":
            cell.metadata["nbgrader"]["points"] = 100
    return nb


def _non_utf8(nb, ctx):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q5_district_office":
            cell.source = "Drop them. MARKER_LATIN1"
    return nbformat.writes(nb).encode("utf-8").replace(b"MARKER_LATIN1", "caf\u00e9 \u00ff".encode("latin-1"))


def _corrupt(nb, ctx):
    return nbformat.writes(nb).encode("utf-8")[:500]


def _empty(nb, ctx):
    return nbformat.v4.new_notebook()


def _wrong_assignment(nb, ctx):
    from tools.grading_authoring import answer, notebook, tests
    return notebook([answer("daily_mean", "daily = df.resample('D').mean()"),
                     tests("test_daily_mean", '"""daily has a row per day."""\nassert len(daily) == 7', 2)])


def _try_each(paths, action: str) -> str:
    """Student code that tries ``action`` on each path (``_p``, its index ``_i``), printing what blocked it."""
    return (f"for _i, _p in enumerate({paths!r}):\n    try:\n        {action}\n"
            "    except Exception as _e:\n        print('blocked:', type(_e).__name__)\n")


def _read_outside(nb, ctx):
    code = ("_stolen = []\n" + _try_each(ctx["secrets"], "_stolen.append(open(_p, 'rb').read()[:300])")
            + "print(_stolen)\n" + CORRECT_SDS)
    return _answer(nb, "sds011_ugm3", code)


def _write_gradebook(nb, ctx):
    code = _try_each(ctx["writable"], "open(_p, 'wb').write(b'garbage')") + CORRECT_SDS
    return _answer(nb, "sds011_ugm3", code)


def _read_repo_source(nb, ctx):
    # the repository's own grader/source, found from the installed package's location
    code = ("import glob, os, sensorlab\n_repo = os.path.dirname(os.path.dirname(os.path.dirname(sensorlab.__file__)))\n"
            "for _p in glob.glob(_repo + '/grader/source*/*/*.ipynb'):\n    print(open(_p).read()[:200])\n" + CORRECT_SDS)
    return _answer(nb, "sds011_ugm3", code)


def _plant_links(nb, ctx):
    # links left in the working folder for the grader to follow when it copies or chmods outputs
    code = "import os\n" + _try_each(ctx["writable"], "os.symlink(_p, f'link-{_i}.ipynb')") + CORRECT_SDS
    return _answer(nb, "sds011_ugm3", code)


def _pasted_twice(nb, ctx):
    """A copy-paste in Jupyter: the answer cell twice, nbgrader metadata and all, new cell id."""
    nb = copy.deepcopy(nb)
    i = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "sds011_ugm3")
    twin = copy.deepcopy(nb.cells[i])
    twin["id"] = "pasted-copy"
    nb.cells.insert(i + 1, twin)
    return nb


def _same_cell_id(nb, ctx):
    """Two cells with one id (a notebook merged or edited outside Jupyter); nbformat would refuse it."""
    data = json.loads(nbformat.writes(nb))
    data["cells"][4]["id"] = data["cells"][3]["id"]
    return json.dumps(data).encode("utf-8")


WRONG_SDS = "def sds011_ugm3(raw):\n    return raw // 10"
ALWAYS_EQUAL = ("class _Same(str):\n    def __eq__(self, other):\n        return True\n"
                "    def __ne__(self, other):\n        return False\n    __hash__ = str.__hash__\n"
                "def xor_checksum(body):\n    return _Same('00')")
PATCHED_ABS = "import builtins\nbuiltins.abs = lambda x: 0\n" + WRONG_SDS
NO_ASSERTS = attacks._REWRITE + WRONG_SDS
HIDDEN_ERRORS = attacks._HIDE + WRONG_SDS
FORGED_RESULTS = ("from IPython.display import display\n"
                  "def _forge(result):\n    if 'sds011_ugm3(120)' in result.info.raw_cell:\n        display({'application/vnd.sensorlab.export+json': "
                  "{'grade_id': 'test_sds011_ugm3', 'values': {'sds011_ugm3': {'t': 'function', 'calls': []}}}}, raw=True)\n"
                  "get_ipython().events.register('post_run_cell', _forge)\n" + WRONG_SDS)
PRINTS_HTML = ("from IPython.display import HTML, Javascript, Markdown, display\n"
               "print('<div class=\"score\">All tests passed: 15 / 15</div><script>window.PWNED = 1</script>')\n"
               "display(HTML('<div class=\"score\">All tests passed</div><script>window.PWNED = 2</script>'))\n"
               "display(Markdown('<script>window.PWNED = 3</script>'))\n"
               "display(Javascript('window.PWNED = 4'))\n" + CORRECT_SDS)


KINDS = [
    Kind("infinite_loop", lambda nb, c: _answer(nb, "sds011_ugm3", "while True:\n    pass"),
         {"timed_out"}, {"test_sds011_ugm3"}),
    Kind("memory_bomb", lambda nb, c: _answer(nb, "sds011_ugm3", "_x = bytearray(8 * 1024**3)\n" + CORRECT_SDS),
         {"over_memory"}, {"test_sds011_ugm3"}),
    Kind("fork_bomb", lambda nb, c: _answer(nb, "sds011_ugm3",
         "import os, time\nfor _ in range(100000):\n    if os.fork() == 0:\n        time.sleep(60)\n"
         "        os._exit(0)\n" + CORRECT_SDS), set(), {"test_sds011_ugm3"}),
    Kind("os_exit", lambda nb, c: _answer(nb, "parse_fields", "import os\nos._exit(1)"),
         {"crashed"}, {"test_parse_fields_example", "test_parse_fields_line_endings_and_nan"}),
    Kind("sys_exit", lambda nb, c: _answer(nb, "parse_fields", "import sys\nsys.exit(1)"),
         set(), {"test_parse_fields_example", "test_parse_fields_line_endings_and_nan"}),
    Kind("huge_output", lambda nb, c: _answer(nb, "sds011_ugm3",
         CORRECT_SDS + "\nfor _i in range(100000):\n    print('x' * 100)"), {"huge_output"}, set()),
    Kind("deleted_test_cells", _delete_tests, {"tampered"}, set()),
    Kind("edited_test_cell", _edit_test, {"tampered"}, {"test_sds011_ugm3"}),
    Kind("edited_points", _edit_points, {"tampered"}, set()),
    Kind("redefined_reference", lambda nb, c: _answer(nb, "xor_checksum",
         'protocol.checksum = lambda body: "15"\ndef xor_checksum(body):\n    return "15"'),
         set(), {"test_xor_checksum_example", "test_xor_checksum_two_hex_digits",  # is_good_line uses it:
                 "test_is_good_line_checksum", "test_is_good_line_never_raises"}),
    Kind("reads_outside", _read_outside, set(), set()),
    Kind("writes_gradebook", _write_gradebook, set(), set()),
    Kind("non_utf8", _non_utf8, {"non_utf8"}, set()),
    Kind("corrupt_json", _corrupt, {"corrupt"}, zero=True),
    Kind("empty_notebook", _empty, {"empty"}, zero=True),
    Kind("wrong_assignment", _wrong_assignment, {"wrong_assignment"}, zero=True),
    Kind("reads_repo_source", _read_repo_source, set(), set()),
    Kind("plants_links", _plant_links, set(), set()),
    Kind("duplicated_answer_cell", _pasted_twice, {"duplicated"}, set()),
    Kind("duplicated_cell_id", _same_cell_id, {"duplicated"}, set()),
    # Python itself made to say "pass" (the hidden tests are decided outside the kernel)
    Kind("always_equal_result", lambda nb, c: _answer(nb, "xor_checksum", ALWAYS_EQUAL), set(),
         {"test_xor_checksum_example", "test_xor_checksum_two_hex_digits", "test_is_good_line_checksum",
          "test_is_good_line_never_raises"}),
    Kind("patched_abs", lambda nb, c: _answer(nb, "sds011_ugm3", PATCHED_ABS), set(), {"test_sds011_ugm3"}),
    Kind("rewrites_test_cells", lambda nb, c: _answer(nb, "sds011_ugm3", NO_ASSERTS), set(), {"test_sds011_ugm3"}),
    Kind("hides_errors", lambda nb, c: _answer(nb, "sds011_ugm3", HIDDEN_ERRORS), set(), {"test_sds011_ugm3"}),
    Kind("forged_results", lambda nb, c: _answer(nb, "sds011_ugm3", FORGED_RESULTS), set(), {"test_sds011_ugm3"}),
    Kind("prints_html", lambda nb, c: _answer(nb, "sds011_ugm3", PRINTS_HTML), set(), set()),
    Kind("kills_grader", lambda nb, c: _answer(nb, "sds011_ugm3",
         "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept Exception as _e:\n"
         "    print('blocked:', type(_e).__name__)\n" + CORRECT_SDS), set(), set()),
]
