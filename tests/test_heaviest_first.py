"""`make test` hands its test files to the workers longest first (tools/heaviest_first.py).

Each test runs a real pytest with two xdist workers, the way the Makefile does, on a small
project of its own: files that write down where and in which order their tests ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FILES = ["test_a.py", "test_b.py", "test_c.py", "test_d.py", "test_e.py"]
#: the durations file: c and e are the long ones, a is unknown (counts as the median file)
SECONDS = {"test_b.py": 2.0, "test_c.py": 50.0, "test_d.py": 1.0, "test_e.py": 30.0}

RECORD = '''
import os

def test_{n}_1():
    with open(os.environ["RAN"], "a") as log:
        log.write(os.environ["PYTEST_XDIST_WORKER"] + " {name}\\n")

def test_{n}_2():
    pass
'''


@pytest.fixture
def project(tmp_path):
    for name in FILES:
        (tmp_path / name).write_text(RECORD.format(n=name[5], name=name), encoding="utf-8")
    (tmp_path / "durations.json").write_text(json.dumps(SECONDS), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # not the repository's options
    return tmp_path


def _pytest(project: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "xdist", "-p", "tools.heaviest_first", "-p", "no:cacheprovider", "-q", *args],
        cwd=project, capture_output=True, text=True, timeout=300,
        env={**_environ(), "RAN": str(project / "ran.txt"), "PYTHONPATH": str(REPO),
             # the installed plugins (nbval, Playwright, JupyterHub...) take seconds to load per process
             "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def _environ():
    return {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}


def _collected_files(result: subprocess.CompletedProcess) -> list[str]:
    """The files of a ``--collect-only -q`` listing, in the order collected."""
    return list(dict.fromkeys(line.split("::")[0] for line in result.stdout.splitlines() if "::" in line))


def test_each_worker_starts_with_one_of_the_two_longest_files(project):
    _pytest(project, "-n", "2", "--dist", "loadfile", "--no-loadscope-reorder",
            "--file-durations", str(project / "durations.json"))
    ran = [line.split() for line in (project / "ran.txt").read_text().splitlines()]
    assert sorted(name for _, name in ran) == FILES, ran
    first = {}
    for worker, name in ran:
        first.setdefault(worker, name)
    assert sorted(first.values()) == ["test_c.py", "test_e.py"], ran


def test_collection_order_is_longest_first_with_unknown_files_in_the_middle(project):
    result = _pytest(project, "--collect-only", "--file-durations", str(project / "durations.json"))
    files = _collected_files(result)
    # median of the known 50, 30, 2, 1 is 16: test_a.py goes after e and before b
    assert files == ["test_c.py", "test_e.py", "test_a.py", "test_b.py", "test_d.py"], result.stdout


def test_a_missing_or_broken_durations_file_keeps_the_collection_order(project):
    (project / "durations.json").write_text("{not json", encoding="utf-8")
    for durations in ("durations.json", "absent.json"):
        result = _pytest(project, "--collect-only", "--file-durations", str(project / durations))
        files = _collected_files(result)
        assert files == FILES, result.stdout


def test_recording_writes_every_file_and_keeps_the_files_it_did_not_run(project):
    durations = project / "durations.json"
    _pytest(project, "-n", "2", "--dist", "loadfile", "--no-loadscope-reorder", "--record-file-durations",
            "--file-durations", str(durations), "test_a.py", "test_b.py")
    recorded = json.loads(durations.read_text(encoding="utf-8"))
    assert set(recorded) == {"test_a.py", *SECONDS}, recorded
    assert recorded["test_c.py"] == 50.0 and recorded["test_e.py"] == 30.0  # not run: kept
    assert 0 <= recorded["test_a.py"] < 50 and recorded["test_b.py"] != 2.0  # run: measured
    assert list(recorded.values()) == sorted(recorded.values(), reverse=True)
    assert not list(project.glob("*.part"))


def test_the_make_test_command_keeps_xdist_from_re_sorting():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    command = next(line for line in makefile.splitlines() if "--dist loadfile" in line)
    assert "--no-loadscope-reorder" in command, command
    durations = json.loads((REPO / "tests" / "file_durations.json").read_text(encoding="utf-8"))
    assert "tests/test_check_limits.py" in durations and all(s >= 0 for s in durations.values())


@pytest.mark.parametrize("figures", [
    '{"test_c.py": 1' + "0" * 400 + "}",  # a whole number too large for a float (a slip of the editor)
    '{"test_c.py": NaN, "test_e.py": Infinity, "test_b.py": -3, "test_d.py": true}',
    '{"test_c.py": "50", "test_e.py": null, "test_b.py": [1], "test_d.py": {}}',
    "[50, 30]", '"test_c.py"', "", "\xff\xfe",
], ids=["huge-int", "nan-inf-negative-bool", "not-numbers", "a-list", "a-string", "empty", "not-utf8"])
def test_a_garbage_durations_file_neither_stops_the_run_nor_loses_a_test(project, figures):
    (project / "durations.json").write_bytes(figures.encode("latin-1"))
    result = _pytest(project, "-n", "2", "--dist", "loadfile", "--no-loadscope-reorder",
                     "--file-durations", str(project / "durations.json"))
    assert "10 passed" in result.stdout, result.stdout[-2000:]
    ran = [line.split()[1] for line in (project / "ran.txt").read_text().splitlines()]
    assert sorted(ran) == FILES, ran


WORKER_CONFTEST = '''
import json, os, time
from pathlib import Path

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # gw1 sorts its tests only after gw0 has sorted its own and another run has rewritten the figures
    if os.environ.get("PYTEST_XDIST_WORKER") == "gw1":
        deadline = time.monotonic() + 120
        while not Path("gw0.collected").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        Path("durations.json").write_text(json.dumps({"test_a.py": 99.0}), encoding="utf-8")


def pytest_collection_finish(session):
    if os.environ.get("PYTEST_XDIST_WORKER") == "gw0":
        Path("gw0.collected").write_text("done")
'''


def test_figures_rewritten_while_the_workers_collect_do_not_abort_the_run(project):
    """Another run's --record-file-durations may rewrite the figures between two workers' collections:
    each worker then sorted by other figures, and xdist aborts a run whose workers collected differently."""
    (project / "conftest.py").write_text(WORKER_CONFTEST, encoding="utf-8")
    result = _pytest(project, "-n", "2", "--dist", "loadfile", "--no-loadscope-reorder",
                     "--file-durations", str(project / "durations.json"))
    assert "10 passed" in result.stdout, result.stdout[-2000:]
    ran = [line.split()[1] for line in (project / "ran.txt").read_text().splitlines()]
    assert sorted(ran) == FILES, ran


def test_figures_that_cannot_be_written_lose_only_the_figures(project):
    """A checkout the run cannot write to (read-only, or the figures' folder gone): every test still
    runs and passes, and the run says the figures were not kept instead of ending in an INTERNALERROR."""
    unwritable = project / "gone" / "durations.json"
    result = _pytest(project, "-n", "2", "--dist", "loadfile", "--no-loadscope-reorder", "--record-file-durations",
                     "--file-durations", str(unwritable))
    assert "10 passed" in result.stdout and "INTERNALERROR" not in result.stdout + result.stderr, result.stdout[-2000:]
    assert f"were not written to {unwritable}" in result.stdout, result.stdout[-2000:]
    assert not unwritable.parent.exists()


def test_two_runs_recording_at_once_both_finish_and_keep_each_others_files(project):
    durations = project / "durations.json"
    runs = [subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "tools.heaviest_first", "-p", "no:cacheprovider", "-q",
         "--record-file-durations", "--file-durations", str(durations), name],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**_environ(), "RAN": str(project / "ran.txt"), "PYTHONPATH": str(REPO), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
             "PYTEST_XDIST_WORKER": "solo"})
        for name in ("test_a.py", "test_b.py")]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    recorded = json.loads(durations.read_text(encoding="utf-8"))
    assert set(recorded) == {"test_a.py", *SECONDS}, recorded  # test_a.py, the new file, was not lost
    assert not [p for p in project.iterdir() if p.name.endswith(".part")]
