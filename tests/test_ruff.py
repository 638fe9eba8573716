"""ruff lints the repository's Python (pyflakes, syntax errors, bugbear) with the settings in pyproject.toml.

The same check is the ruff hook of ``.pre-commit-config.yaml``; here ``make test`` runs it, so a
finding fails the suite whether or not a contributor installed the hook.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Folders whose Python the lint must reach (a too-wide exclude would make the check pass vacuously).
LINTED = ("src/sensorlab/", "tools/", "tests/", "benchmarks/", "kits/", "grader/authoring/")


def ruff(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_ruff_finds_nothing_in_the_repository():
    result = ruff("check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, f"ruff check found problems (fix them, see pyproject [tool.ruff]):\n" \
                                   f"{result.stdout}{result.stderr}"
    assert "All checks passed" in result.stdout, result.stdout + result.stderr


def test_ruff_reaches_every_folder_of_python():
    result = ruff("check", "--show-files", ".")
    assert result.returncode == 0, result.stderr
    listed = [Path(line).resolve().relative_to(REPO).as_posix() for line in result.stdout.splitlines() if line]
    for folder in LINTED:
        assert any(path.startswith(folder) for path in listed), f"ruff does not lint {folder}"
    assert not any(path.endswith(".ipynb") for path in listed), "notebooks are checked by tools.lessons, not ruff"


def test_ruff_with_the_repository_settings_fails_on_a_finding(tmp_path):
    """The check above can fail: the project's settings flag an unused import and a loop variable left unused."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\n\nfor i, word in enumerate(['a']):\n    print(word)\n", encoding="utf-8")
    result = ruff("check", "--no-cache", "--config", str(REPO / "pyproject.toml"), "--output-format", "concise",
                  str(bad), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "F401" in result.stdout and "B007" in result.stdout, result.stdout
