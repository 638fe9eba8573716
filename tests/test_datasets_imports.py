"""Does every module of ``sensorlab.datasets`` import on its own, with no import cycle?

A cycle (city.py and city_store.py, now city_bundle_read.py, importing each other, issue 15) works only while every
import of one of them sits inside a function, in the right order; the first top-level import
added on either side breaks ``import sensorlab.datasets.city`` in a fresh interpreter.
"""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

import pytest

import sensorlab.datasets

PACKAGE = Path(sensorlab.datasets.__file__).parent
#: The modules of the former cycle, each imported first in a fresh interpreter (the graph test
#: covers the rest; a fresh interpreter per module costs seconds on a busy machine).
FIRST_IMPORTS = ["sensorlab.datasets.city", "sensorlab.datasets.city_bundle_read",
                 "sensorlab.datasets.city_select", "sensorlab.datasets.city_stations",
                 "sensorlab.datasets.city_layout"]


def _imports_of(path: Path) -> set[str]:
    """Every ``sensorlab.datasets`` module ``path`` imports, at top level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sensorlab.datasets"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("sensorlab.datasets")}
    return found


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for path in PACKAGE.glob("*.py"):
        name = "sensorlab.datasets" + ("" if path.stem == "__init__" else f".{path.stem}")
        graph[name] = _imports_of(path) - {name}
    return graph


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    assert "sensorlab.datasets.city_layout" in graph["sensorlab.datasets.city_bundle_read"]
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as err:
        pytest.fail(f"import cycle in sensorlab.datasets: {' -> '.join(err.args[1])}")
    # the city's constants sit below both of their users
    assert order.index("sensorlab.datasets.city_layout") < order.index("sensorlab.datasets.city_bundle_read")
    assert order.index("sensorlab.datasets.city_bundle_read") < order.index("sensorlab.datasets.city")


def test_the_graph_finds_a_cycle_inside_a_function(tmp_path):
    """The check itself: an import inside a function counts (what hid the old cycle)."""
    (tmp_path / "a.py").write_text("def f():\n    from sensorlab.datasets.b import x\n")
    (tmp_path / "b.py").write_text("from sensorlab.datasets.a import f\n")
    graph = {"sensorlab.datasets.a": _imports_of(tmp_path / "a.py"),
             "sensorlab.datasets.b": _imports_of(tmp_path / "b.py")}
    with pytest.raises(graphlib.CycleError):
        list(graphlib.TopologicalSorter(graph).static_order())


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_each_module_imports_alone_in_a_fresh_interpreter(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
