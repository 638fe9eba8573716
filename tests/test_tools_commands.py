"""The repository tooling's commands work as lessons/CONTRIBUTING.md and the READMEs name them.

``python -m tools.lessons …`` runs in the checkout's environment from any folder (``make install``
appends the checkout to ``./.venv``'s path with a ``.pth``): a contributor working inside
``lessons/NN-module/`` types the same command as at the top. The runtime package never imports
``tools``: a hub's ``pip install .`` has no ``tools/`` (tests/test_wheel_contents.py).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "sensorlab"


def _tool(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("where", ["lessons", "elsewhere"])
def test_lessons_check_runs_from_another_folder(where, tmp_path):
    cwd = REPO / "lessons" if where == "lessons" else tmp_path
    result = _tool("tools.lessons", "--check", cwd=cwd)
    assert "No module named 'tools'" not in result.stderr, (
        f"python -m tools.lessons from {cwd}: tools/ is not on .venv's path (run make install)\n{result.stderr}")
    assert result.returncode == 0, result.stderr
    assert "lessons: all fine" in result.stdout, result.stdout


@pytest.mark.parametrize("module", ["tools.lessons", "tools.setup_env", "tools.stated_numbers"])
def test_every_named_tool_answers_help_from_another_folder(module, tmp_path):
    result = _tool(module, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: python -m {module}"), result.stdout


def test_the_runtime_package_never_imports_tools():
    importers = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            importers += [f"{path.relative_to(REPO)}:{node.lineno}" for name in names
                          if name == "tools" or name.startswith("tools.")]
    assert importers == [], f"the runtime package imports repository tooling: {importers}"
