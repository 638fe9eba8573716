"""The pre-commit hooks (``.pre-commit-config.yaml``) and ``make test`` run the same checks.

Lesson notebooks are committed clean: no outputs but the ``NBVAL_CHECK_OUTPUT`` ones nbval compares,
no execution counts, no stray metadata. One function, :func:`tools.notebook_cleaning.clean_file`, is both
the hook (``python -m tools.lessons clean``) and the check here. The hooks are local (the project's
own ``.venv``), so installing them downloads nothing; the last test runs real pre-commit in a
scratch repository and watches it stop a dirty notebook and a lint finding.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from tools.lesson_manifest import LESSONS
from tools.notebook_cleaning import clean_file

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / ".pre-commit-config.yaml"


def _run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _dirty_notebook(path: Path) -> Path:
    """A notebook saved straight after a run: counts, outputs, widget state, one checked output."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"state": {}}
    nb.cells = [
        nbformat.v4.new_code_cell("print(1)", execution_count=3, outputs=[nbformat.v4.new_output("stream", text="1\n")]),
        nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(2)", execution_count=1,
                                  outputs=[nbformat.v4.new_output("stream", text="2\n")]),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_every_committed_lesson_notebook_is_clean():
    notebooks = sorted(LESSONS.glob("*/*.ipynb"))
    assert len(notebooks) > 80, f"lesson notebooks not found under {LESSONS}"
    dirty = [str(p.relative_to(REPO)) for p in notebooks if clean_file(p, write=False)]
    assert dirty == [], f"run python -m tools.lessons clean on: {dirty}"


def test_clean_check_names_a_dirty_notebook_and_clean_keeps_only_checked_outputs(tmp_path):
    path = _dirty_notebook(tmp_path / "dirty.ipynb")
    before = path.read_bytes()
    check = _run(sys.executable, "-m", "tools.lessons", "clean", "--check", str(path), cwd=REPO)
    assert check.returncode == 1, check.stdout + check.stderr
    assert f"{path}: not clean" in check.stdout and check.stderr == ""
    assert path.read_bytes() == before, "--check must change nothing"

    cleaned = _run(sys.executable, "-m", "tools.lessons", "clean", str(path), cwd=REPO)
    assert cleaned.returncode == 0 and f"{path}: cleaned" in cleaned.stdout, cleaned.stdout + cleaned.stderr
    assert not clean_file(path, write=False)
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata
    assert (nb.cells[0].outputs, nb.cells[0].execution_count) == ([], None)
    assert nb.cells[1].outputs[0]["text"] == "2\n" and nb.cells[1].execution_count == 1

    again = _run(sys.executable, "-m", "tools.lessons", "clean", "--check", str(path), cwd=REPO)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_hooks_are_local_and_run_the_projects_own_environment():
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"], "a remote hook repository is downloaded at install"
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "lesson-notebooks-clean", "lessons-check"} <= set(hooks)
    for hook in hooks.values():
        assert hook["language"] == "system" and hook["entry"].startswith(".venv/bin/python -m "), hook
    valid = _run(sys.executable, "-m", "pre_commit", "validate-config", str(CONFIG), cwd=REPO)
    assert valid.returncode == 0, valid.stdout + valid.stderr


@pytest.mark.slow
def test_pre_commit_stops_a_dirty_notebook_and_a_lint_finding(tmp_path):
    """Real pre-commit, in a scratch repository that borrows this checkout's .venv and tools/."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "repo"
    work.mkdir()
    for name in (".pre-commit-config.yaml", "pyproject.toml"):
        shutil.copy2(REPO / name, work / name)
    (work / ".venv").symlink_to(REPO / ".venv")
    (work / "tools").symlink_to(REPO / "tools")
    notebook = _dirty_notebook(work / "lessons" / "00-scratch" / "01-dirty.ipynb")
    (work / "sloppy.py").write_text("import os\n\nprint('hello')\n", encoding="utf-8")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_CONFIG_NOSYSTEM="1",
               HOME=str(tmp_path))
    for git in (["git", "init", "-q"], ["git", "add", ".pre-commit-config.yaml", "pyproject.toml", "lessons",
                                         "sloppy.py"]):
        done = _run(*git, cwd=work, env=env)
        assert done.returncode == 0, done.stderr
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]

    first = _run(*pre_commit, cwd=work, env=env)
    report = first.stdout + first.stderr
    assert first.returncode == 1, report
    assert "F401" in report and "sloppy.py" in report, report
    assert "files were modified by this hook" in report, report
    assert not clean_file(notebook, write=False), "the hook left the notebook dirty"
    assert "lesson headers, Korean mirrors and the README tables" in report and "Traceback" not in report

    (work / "sloppy.py").write_text("print('hello')\n", encoding="utf-8")
    done = _run("git", "add", "-A", cwd=work, env=env)
    assert done.returncode == 0, done.stderr
    second = _run(*pre_commit, cwd=work, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Failed" not in second.stdout, second.stdout
