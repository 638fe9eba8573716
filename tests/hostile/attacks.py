"""Attacks on the hidden tests of any assignment, built from its own source notebook.

A clever student does not need the right answer if Python itself can be made to say "pass":
each attack below is a whole submission, generated for every assignment from the model
solution (or the blank release), and the proofs (tests/_grading_proofs.py) require:

- ``always_equal``, ``rewrites_test_cells``, ``hides_errors``: **0** on every autograded test
  (an object whose ``==`` is always true in place of every answer; an IPython input transformer
  that wraps every later cell holding an ``assert`` in ``try: ... except BaseException: pass``;
  ``showtraceback``/``excepthook`` silenced and ``run_cell`` patched so a failing cell shows no
  error and the kernel replies "ok");
- ``patched_python``: never more, test by test, than the same wrong answers without the patches
  (``perturbed``): ``builtins.abs``, numpy/pandas/math comparisons and the sensorlab functions
  hidden tests call are patched to agree with anything, and re-patched before every cell.
"""

from __future__ import annotations

import ast
import copy

_LIAR = '''class _Liar(str):
    """Equal to everything, greater and smaller than everything, callable, with every attribute."""
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    __hash__ = str.__hash__
    def __call__(self, *args, **kwargs): return self
    def __getattr__(self, name): return self
    def __bool__(self): return True
    def __float__(self): return 0.0
    def __int__(self): return 0
    def __index__(self): return 0
    def __abs__(self): return 0
    def __len__(self): return 0
    def __iter__(self): return iter(())
    def __contains__(self, item): return True
    def __getitem__(self, key): return self
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __call__
    __and__ = __or__ = __invert__ = __neg__ = __call__
'''

_PATCHES = '''import builtins, math
import numpy as _n
import pandas as _p
def _patch(*_):
    builtins.abs = lambda x: 0
    math.isclose = lambda *a, **k: True
    _n.allclose = _n.array_equal = lambda *a, **k: True
    _n.isclose = lambda a, b, *r, **k: _n.ones(_n.shape(a), bool)
    _p.Series.equals = _p.DataFrame.equals = lambda *a, **k: True
    try:
        import sensorlab.cleaning as _c
        _c.flag_spikes = lambda s, *a, **k: _p.Series(False, index=s.index)
    except Exception:
        pass
_patch()
get_ipython().events.register("pre_run_cell", _patch)
'''

_WRONG = '''def _wrong(v):
    import numpy as _n, pandas as _p
    if callable(v) and not isinstance(v, type):
        return lambda *a, **k: _wrong(v(*a, **k))
    if isinstance(v, (bool, _n.bool_)):
        return not v
    if isinstance(v, (int, _n.integer)):
        return v + 1
    if isinstance(v, (float, _n.floating)):
        return v * 1.5 + 1
    if isinstance(v, str):
        return v + "x"
    if isinstance(v, _p.DataFrame):
        v = v.copy()
        for c in v.columns:
            v[c] = _wrong(v[c])
        return v
    if isinstance(v, _p.Series):
        return ~v if v.dtype == bool else v * 1.5 + 1 if _p.api.types.is_numeric_dtype(v) else v
    if isinstance(v, _n.ndarray) and v.dtype.kind in "biuf":
        return ~v if v.dtype == bool else v * 1.5 + 1
    if isinstance(v, dict):
        return {k: _wrong(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return type(v)(_wrong(x) for x in v)
    return v
'''

_REWRITE = '''def _swallow(lines):
    if any("assert " in l or "verdict" in l for l in lines):  # every test cell, and the grader's lines
        return ["try:\\n"] + ["    " + l for l in lines] + ["\\nexcept BaseException:\\n", "    pass\\n"]
    return lines
get_ipython().input_transformers_cleanup.append(_swallow)
'''

_HIDE = '''import sys
_ip = get_ipython()
_ip.showtraceback = _ip._showtraceback = lambda *a, **k: None
sys.excepthook = lambda *a: None
for _name in ("run_cell_async", "run_cell"):  # the kernel's reply says "ok" even after an error
    def _quiet(*a, _orig=getattr(_ip, _name), **k):
        import inspect
        r = _orig(*a, **k)
        if inspect.isawaitable(r):
            async def _wait():
                res = await r
                res.error_in_exec = res.error_before_exec = None
                return res
            return _wait()
        r.error_in_exec = r.error_before_exec = None
        return r
    setattr(_ip, _name, _quiet)
'''


def _answers(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]


def _defined(code: str) -> list[str]:
    """Top-level names an answer cell defines (assignments, functions)."""
    names = []
    for node in ast.parse(code).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        for target in getattr(node, "targets", [getattr(node, "target", None)]):
            if isinstance(target, ast.Name):
                names.append(target.id)
    return list(dict.fromkeys(names))


def _rewritten(nb, first: str, each):
    nb = copy.deepcopy(nb)
    for i, cell in enumerate(_answers(nb)):
        cell.source = (first if i == 0 else "") + each(cell.source)
    return nb


def attacks(source, release) -> dict:
    """``{name: notebook}``: every attack, and ``perturbed``, for one assignment."""
    def liars(code):
        return "".join(f"{n} = _Liar()\n" for n in _defined(code))

    def perturbed(code):
        return code + "\n" + "".join(f"{n} = _wrong({n})\n" for n in _defined(code))

    return {
        "always_equal": _rewritten(source, _LIAR, liars),
        "perturbed": _rewritten(source, _WRONG, perturbed),
        "patched_python": _rewritten(source, _WRONG + _PATCHES, perturbed),
        "rewrites_test_cells": _rewritten(release, _REWRITE, lambda code: ""),
        "hides_errors": _rewritten(release, _HIDE, lambda code: ""),
    }


#: Attacks that must score 0 on every autograded test.
ZERO = ("always_equal", "rewrites_test_cells", "hides_errors")
#: attack -> the honest wrong answer it may never beat, test by test.
NO_GAIN = {"patched_python": "perturbed"}

