"""Every package name a notebook, assignment, kit, guide, README or docstring cites still exists.

Modules were split and tools moved out of the package; a lesson that says
``widgets.calibration_explorer`` or a guide that says ``from sensorlab.x import y`` after the
name moved breaks a student's or teacher's copy-paste. Three kinds of reference are resolved
against the installed package: dotted names (``sensorlab.datasets.make_city``), import
statements (``from sensorlab.live import record_simulation as _record``) and, in notebooks
and Markdown, ``module.name`` where the module is one of the package's (``units.humidity_growth``).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
from pathlib import Path

import pytest

import sensorlab

REPO = Path(__file__).resolve().parents[1]

#: Dotted words that are not package names, with why.
NOT_NAMES = {
    "sensorlab.conf": "the TLJH config file deploy/tljh/sensorlab.conf",
    "sensorlab.py": "a file name in deploy's README",
    "sensorlab.grade": "the grader's logger name",
    "sensorlab.export": "part of the MIME type application/vnd.sensorlab.export+json",
    "sensorlab.language": "the notebook metadata key a student may edit",
    "sensorlab.exercises.m": "the placeholder sensorlab.exercises.mNN in docstrings",
    "sensorlab.exercises.mNN": "the placeholder for an exercise module's name",
}

#: A name is ASCII (``sensorlab.stats용`` is Korean prose after the name); a file suffix ends it.
DOTTED = re.compile(r"(?<![\w.])sensorlab(?:\.[A-Za-z_][A-Za-z0-9_]*)+(?![A-Za-z0-9_])")
FILE_SUFFIX = re.compile(r"\.(?:py|json|md|ipynb|csv|toml|yml|txt|conf)$")
FROM_IMPORT = re.compile(r"from (sensorlab(?:\.\w+)*) import (\([^)]*\)|[^\n\\\"`]*)")
#: The package's top-level modules by short name; ``data`` (the bundled files) is everyone's variable name.
MODULES = {m.name.rsplit(".", 1)[-1]: m.name for m in pkgutil.walk_packages(sensorlab.__path__, "sensorlab.")
           if "." not in m.name.removeprefix("sensorlab.") and m.name != "sensorlab.data"}


def _files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    # tests name absent modules on purpose (the wheel and authoring tests assert they are gone)
    return [REPO / f for f in listed.split() if f.endswith((".md", ".ipynb", ".py", ".toml", ".yml", ".cfg"))
            and not f.startswith("tests/")]


def _text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":  # the cells' source, unescaped, so a code line reads as written
        import json

        cells = json.loads(text)["cells"]
        text = "\n".join("".join(c["source"]) for c in cells)
    return text


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for name in parts[split:]:
            if not hasattr(obj, name):
                try:
                    obj = importlib.import_module(f"{obj.__name__}.{name}")
                except (ModuleNotFoundError, AttributeError):
                    return False
            else:
                obj = getattr(obj, name)
        return True
    return False


def _imported_names(clause: str) -> list[str]:
    clause = clause.strip().strip("()")
    clause = clause.split("#", 1)[0]
    return [item.split(" as ")[0].strip() for item in clause.split(",") if item.strip()]


def references(text: str) -> set[str]:
    """The package names ``text`` cites, as dotted names."""
    found = {m.group(0) for m in DOTTED.finditer(text) if not FILE_SUFFIX.search(m.group(0))} - set(NOT_NAMES)
    for m in FROM_IMPORT.finditer(text):
        found |= {f"{m.group(1)}.{name}" for name in _imported_names(m.group(2))
                  if re.fullmatch(r"[A-Za-z_]\w*", name)}
    return found


def short_references(text: str) -> set[str]:
    """``module.name`` for the package's own top-level modules, in a notebook or Markdown.

    Only a call or a name in backticks counts (``units.humidity_growth`` or ``live.provenance(``):
    message keys (``"live.ok"``) and file names (``cleaning.ipynb``) are quoted or have a suffix.
    """
    names = "|".join(sorted(MODULES, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.\"'/-])({names})\.([A-Za-z_][A-Za-z0-9_]*)(?=\(|`)")
    return {f"{MODULES[m.group(1)]}.{m.group(2)}" for m in pattern.finditer(text) if not FILE_SUFFIX.search(m.group(0))}


def test_the_scan_sees_a_gone_name():
    """The check itself: names that moved or never existed are caught, real ones pass."""
    cited = references("from sensorlab.live import record_simulation as _record, gone_thing\n"
                       "see `sensorlab.units.growth_explorer`")
    assert {n for n in cited if not _resolves(n)} == {"sensorlab.live.gone_thing", "sensorlab.units.growth_explorer"}
    short = short_references("call `widgets.calibration_explorer(pairs)` or `units.humidity_growth`; 'live.ok'")
    assert {n for n in short if not _resolves(n)} == {"sensorlab.widgets.calibration_explorer"}
    assert not _resolves("sensorlab.lessons") and not _resolves("sensorlab.setup_env")


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_cited_package_name_exists(path):
    text = _text(path)
    cited = references(text)
    if path.suffix in (".md", ".ipynb"):
        cited |= short_references(text)
    gone = sorted(name for name in cited if not _resolves(name))
    assert gone == [], f"{path.relative_to(REPO)} cites names the package no longer has: {gone}"
