"""Every module of the package imports when it is the first one imported: no import cycle.

The splits made modules that import each other's parts (``live`` re-exports four modules,
``forecast`` re-exports ``daily_series``, ``widgets`` builds on ``explorer``). A cycle shows
only when a particular module is imported first (a notebook's ``from sensorlab.live_figure
import draw_live``, the zygote's pre-import list), so each module is imported with no other
part of the package loaded, in one fresh interpreter (third-party libraries stay loaded).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

_FIRST_IMPORT = textwrap.dedent("""
    import importlib, json, pkgutil, sys
    package = importlib.import_module(sys.argv[1])
    names = sorted(m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + "."))
    failed = {}
    for name in names:
        for loaded in [m for m in sys.modules if m == package.__name__ or m.startswith(package.__name__ + ".")]:
            del sys.modules[loaded]
        try:
            importlib.import_module(name)
        except Exception as error:
            failed[name] = f"{type(error).__name__}: {error}"
    print(json.dumps({"checked": len(names), "failed": failed}))
""")


def _first_imports(package: str, path: str | None = None) -> dict:
    import json

    env_path = [path] if path else []
    done = subprocess.run([sys.executable, "-c", f"import sys; sys.path[:0] = {env_path!r}\n" + _FIRST_IMPORT,
                           package], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_every_module_imports_first():
    result = _first_imports("sensorlab")
    assert result["checked"] > 100
    assert result["failed"] == {}


def test_a_cycle_is_seen(tmp_path):
    """The check itself: two modules that import a name from each other fail when one comes first."""
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic.b import B\nA = 1\n")
    (package / "b.py").write_text("from cyclic.a import A\nB = 2\n")
    result = _first_imports("cyclic", str(tmp_path))
    assert set(result["failed"]) == {"cyclic.a", "cyclic.b"}
    assert "partially initialized" in result["failed"]["cyclic.a"]
