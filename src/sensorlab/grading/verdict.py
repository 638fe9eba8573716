'''Hidden tests decided outside the student's kernel, on plain data the kernel exports.

Anything that runs in the student's kernel can be fooled by the student's own code: a value
whose ``==`` is always true, ``builtins.abs`` or ``numpy.allclose`` patched, an IPython input
transformer that rewrites or skips later cells, a ``showtraceback`` that hides a failing assert.
So the kernel never decides and never sees a hidden test. During autograding:

1. :class:`SplitHiddenTests` (before nbgrader's ``Execute``) gives each test cell to the kernel
   without its hidden block: the visible checks, the block's ``### BEGIN PROBE`` sections (calls
   of the student's functions on hidden inputs, no expected values) and one line exporting, as
   plain data, every student value the whole cell refers to (:func:`export`);
2. :class:`DecideOutside` (after ``Execute``) runs the whole cell (visible checks, probes and
   hidden tests) in a fresh Python process of the grader (``python -I -m
   sensorlab.grading.verdict``): the notebook's locked set-up cells first, then each test on the
   exported values, decoded into plain ``int``/``float``/``str``/``bool``, lists, dicts, numpy
   arrays and pandas Series/DataFrames (:func:`~sensorlab.grading.plain_data.decode`). A student's
   function is replayed from the calls recorded in the kernel
   (:class:`~sensorlab.grading.plain_data.Replay`). A test cell scores only if the kernel ran
   it without an error *and* exported exactly once *and* the outside run passed.

How a value crosses from the kernel to the grader, and what it cannot carry, is
:mod:`sensorlab.grading.plain_data`.
'''

from __future__ import annotations

import ast
import builtins
import json
import re
import sys

from sensorlab.grading.plain_data import Recorder, decode, encode

#: MIME type of the one output a test cell's export line writes (never shown to anyone).
EXPORT_MIME = "application/vnd.sensorlab.export+json"
#: Cell metadata key holding a test cell's own source while the kernel runs the shortened one.
META_KEY = "sensorlab_verdict"
_HIDDEN = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*", re.S)
_PROBE = re.compile(r"^[ \t]*### BEGIN PROBE[ \t]*\n(.*?)^[ \t]*### END PROBE[ \t]*$", re.S | re.M)
_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) PROBE[ \t]*$", re.M)


def _say(key: str, **values) -> str:
    """A message from the catalogue, in the language of the notebook being graded."""
    from sensorlab.messages import text

    return text(key, **values)


# ------------------------------------------------------------------ kernel side (untrusted)

def watch(namespace: dict, names: list) -> None:
    """Record the calls of the student functions among ``names`` from here on (kernel side)."""
    for name in names:
        value = namespace.get(name)
        if isinstance(value, Recorder):
            value.calls = []
        elif callable(value) and not isinstance(value, type) and type(value).__name__ != "module":
            namespace[name] = Recorder(value)


def export(grade_id: str, namespace: dict, names: list) -> None:
    """Show the values of ``names`` as one plain-data output of this test cell (kernel side)."""
    from IPython.display import display

    values = {}
    for name in names:
        if name not in namespace and not hasattr(builtins, name):
            raise NameError(f"name {name!r} is not defined")
        values[name] = encode(namespace[name]) if name in namespace else None
    display({EXPORT_MIME: {"grade_id": grade_id, "values": values}}, raw=True)


# ------------------------------------------------------------------ grader side

def is_test(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_setup(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return (cell.get("cell_type") == "code" and bool(meta.get("locked"))
            and not meta.get("grade") and not meta.get("solution"))


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
           ast.GeneratorExp)


def _scope(node) -> tuple[set, set]:
    """(free names read, names bound) of one scope: a module, function, lambda or comprehension."""
    reads, bound = set(), set()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        bound |= {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        stack = list(ast.iter_child_nodes(node))
    else:
        stack = list(node.body) if isinstance(node.body, list) else [node.body]
    while stack:
        child = stack.pop()
        if child is not node and isinstance(child, _SCOPES):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                bound.add(child.name)
                stack += child.decorator_list + child.args.defaults + [d for d in child.args.kw_defaults if d]
            reads |= _scope(child)[0]  # what a nested scope reads from outside it
            continue
        if isinstance(child, ast.Name):
            (reads if isinstance(child.ctx, ast.Load) else bound).add(child.id)
        elif isinstance(child, ast.alias):
            bound.add((child.asname or child.name).split(".")[0])
        elif isinstance(child, ast.ClassDef):
            bound.add(child.name)
        elif isinstance(child, ast.ExceptHandler) and child.name:
            bound.add(child.name)
        stack += list(ast.iter_child_nodes(child))
    return reads - bound, bound


def _names(source: str) -> tuple[set, set]:
    """(names read from the module's namespace, names the module binds) in ``source``."""
    return _scope(ast.parse(source))


def student_names(test_source: str, setup_sources: list[str]) -> list[str]:
    """The names a test cell reads that only the student's cells define (exported from the kernel)."""
    read, bound = _names(test_source)
    trusted = set().union(*(_names(s)[1] for s in setup_sources)) if setup_sources else set()
    return sorted(n for n in read - bound - trusted if not hasattr(builtins, n))


def kernel_source(test_source: str, grade_id: str, names: list[str]) -> str:
    """What the student's kernel runs for a test cell: visible checks, probes, one export line."""
    probes = [m.group(1) for m in _PROBE.finditer("".join(_HIDDEN.findall(test_source)))]
    module = '__import__("sensorlab.grading.verdict").grading.verdict'
    return "\n".join([f"{module}.watch(globals(), {names!r})", _HIDDEN.sub("", test_source).rstrip(),
                      *probes, f"{module}.export({grade_id!r}, globals(), {names!r})"])


def decide(setup_sources: list[str], tests: list[dict]) -> dict:
    """Run each test (``grade_id``, ``source``, ``values``) on its decoded values after the set-up cells.

    Returns grade id -> ``None`` (passed) or ``[error type, message]``.
    """
    namespace: dict = {"__name__": "__main__"}
    out: dict = {}
    try:
        for source in setup_sources:
            exec(compile(source, "<set-up cell>", "exec"), namespace)  # noqa: S102 - the teacher's own cells
    except BaseException as err:  # noqa: BLE001 - report it on every test of the notebook
        return {t["grade_id"]: ["GraderError", f"the assignment's set-up cell failed outside the "
                                               f"kernel: {type(err).__name__}: {err}"[:500]] for t in tests}
    for test in tests:
        if test.get("values") is None:
            out[test["grade_id"]] = ["NoResults", _say(test.get("why") or "grading.verdict_no_results")]
            continue
        for name, data in test["values"].items():
            namespace[name] = decode(data, name)
        try:
            exec(compile(_MARKERS.sub("", test["source"]), f"<{test['grade_id']}>", "exec"), namespace)  # noqa: S102
            out[test["grade_id"]] = None
        except BaseException as err:  # noqa: BLE001 - any failure is a failed test
            out[test["grade_id"]] = [type(err).__name__, str(err)[:500]]
    return out


def limit_self(memory_mb: int, cpu_s: int) -> None:
    """Cap this process before it reads any exported value: ``memory_mb`` of address space on top
    of what it holds already (a forked grader holds pandas), ``cpu_s`` seconds of CPU.

    The exported values come from student code: a crafted one (a list of millions of empty lists,
    an array claiming a huge shape) then fails with ``MemoryError`` here, not in the grader.
    """
    import resource

    held = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize() \
        if sys.platform.startswith("linux") else 0
    space = held + memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (space, space))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))


def answer(request: dict) -> dict:
    """``{"verdicts": {grade id: ...}}`` for a request ``{"setup", "tests", "lang"}``, or
    ``{"error": "memory"}`` when checking the values needed more memory than allowed."""
    if request.get("lang"):
        from sensorlab import messages

        messages.set_language(request["lang"])
    shown, sys.stdout = sys.stdout, sys.stderr  # what the set-up cells print is not the answer
    try:
        return {"verdicts": decide(request["setup"], request["tests"])}
    except MemoryError:
        return {"error": "memory"}
    finally:
        sys.stdout = shown


def main(argv: list[str] | None = None) -> int:
    """``python -I -m sensorlab.grading.verdict MEMORY_MB CPU_S``: JSON request in, verdicts out."""
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        limit_self(int(argv[0]), int(argv[1]))
    try:
        result = answer(json.load(sys.stdin))
    except MemoryError:  # the request itself did not fit
        result = {"error": "memory"}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
