"""Importing sensorlab changes no global matplotlib setting: only ``use_korean_font()`` may.

A lesson that imports ``forecast`` (or any module) must draw exactly what plain matplotlib
draws until it asks for the house style; a teacher's own figures in the same kernel too.
Each check runs in a fresh interpreter, so no earlier import in this test run hides a change.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import sensorlab

#: Every module of the package, by name (subpackages included).
MODULES = sorted(m.name for m in pkgutil.walk_packages(sensorlab.__path__, "sensorlab."))

_SCRIPT = """
import importlib, json, sys
import matplotlib
matplotlib.use("Agg")
before = {k: repr(v) for k, v in matplotlib.rcParams.items()}
changed = {}
for name in sys.argv[1:]:
    importlib.import_module(name)
    now = {k: repr(v) for k, v in matplotlib.rcParams.items()}
    diff = sorted(k for k in now if now[k] != before.get(k))
    if diff:
        changed[name] = diff
        before = now
print(json.dumps(changed))
"""


def _changes(modules: list[str], then: str = "") -> dict:
    done = subprocess.run([sys.executable, "-c", _SCRIPT + then, *modules], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_package_has_modules_to_check():
    assert {"sensorlab.plotting", "sensorlab.forecast", "sensorlab.live", "sensorlab.grading.autograde"} <= set(MODULES)


def test_importing_every_module_leaves_matplotlib_settings_alone():
    assert _changes(MODULES) == {}


def test_use_korean_font_is_what_changes_them():
    """The check itself: the one explicit call does change the settings, and is seen."""
    then = ("from sensorlab.plotting import use_korean_font\nuse_korean_font()\n"
            "now = {k: repr(v) for k, v in matplotlib.rcParams.items()}\n"
            "print(json.dumps({'call': sorted(k for k in now if now[k] != before.get(k))}))\n")
    changed = _changes(["sensorlab.plotting"], then)
    assert "font.family" in changed["call"] and "axes.prop_cycle" in changed["call"]
